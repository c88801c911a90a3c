//! `fromYaml` keeps the origin of every byte of a scalar it reads back: the chart pattern
//! `merge (fromYaml (include "container" .)) …` then `toYaml` must still say which value gave
//! the registry, the repository and the tag of an image.

use crate::template::value::Entries;
use std::rc::Rc;

use crate::source::FileId;
use crate::template::value::Value;
use crate::template::{Exec, Limits, Templates};

const VALUES: &str = "reg: quay.io\nrepo: st/x\ntag: \"1.0\"\nname: web\nlines: \"a\\nb\"\n";

const TEMPLATE: &str = r#"{{- define "c" -}}
image: "{{ .Values.reg }}/{{ .Values.repo }}:{{ .Values.tag }}"
name: {{ .Values.name }}
lines: {{ toYaml .Values.lines | nindent 2 }}
{{- end -}}
{{- $c := merge (fromYaml (include "c" .)) (dict "pullPolicy" "Always") -}}
{{ toYaml $c }}"#;

#[test]
fn scalars_read_back_keep_the_origin_of_each_piece() {
    let file = crate::yaml::load(FileId(0), VALUES, &Default::default()).expect("values parse");
    let values = crate::template::values_bridge::values_from_node(&file.documents[0], &[]);
    let mut top = Entries::new();
    top.insert(Rc::from("Values"), values);
    let mut set = Templates::new();
    set.parse_file("x", TEMPLATE).expect("parses");
    let mut exec = Exec::new(&set, Limits::default());
    let buf = exec.execute("x", Value::map(top)).expect("renders");
    // helm template (Helm 3.17.3) on a chart with these values and this template (the last
    // line break is Helm's, after the document).
    assert_eq!(
        buf.text,
        "image: quay.io/st/x:1.0\nlines: |-\n  a\n  b\nname: web\npullPolicy: Always"
    );
    let segs: Vec<(&str, String)> = buf
        .segs
        .iter()
        .map(|s| {
            let text = buf.text.get(s.start as usize..s.end as usize).unwrap_or("");
            (text, s.prov.user_path.join("."))
        })
        .collect();
    let want = [
        ("quay.io", "reg"),
        ("st/x", "repo"),
        ("1.0", "tag"),
        // One value, reformatted: the whole scalar keeps its single origin.
        ("a", "lines"),
        ("b", "lines"),
        ("web", "name"),
    ];
    let want: Vec<(&str, String)> = want.iter().map(|(t, k)| (*t, k.to_string())).collect();
    assert_eq!(segs, want);
}

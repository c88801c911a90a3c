//! `toYaml`, `toJson` and `fromYaml` pinned to the output of real Helm 3.17.3 (every expected
//! text below was printed by `helm template`; see each table's comment for the template).

use super::super::super::value::Value;
use super::super::super::values_bridge::values_from_node;
use super::super::helm_yaml::to_yaml;
use crate::source::FileId;

mod to_yaml_cases;

/// The value `v` of a values file `v: SRC`, typed as Helm types values.
fn value(src: &str) -> Value {
    let text = format!("v: {src}\n");
    let file = crate::yaml::load(FileId(0), &text, &Default::default()).expect("valid YAML");
    let node = file.documents[0].get_path(&["v"]).expect("v");
    values_from_node(node, &[])
}

/// Template: `{{ toYaml .Values.cNNN }}` with `cNNN: SRC` in values.yaml.
#[test]
fn to_yaml_matches_helm() {
    let mut failures = Vec::new();
    for (name, src, want) in to_yaml_cases::TO_YAML {
        let got = to_yaml(&value(src));
        if got.as_str() != *want {
            failures.push(format!(
                "{name}:\n--- helm\n{want}\n--- ours\n{}\n",
                got.as_str()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

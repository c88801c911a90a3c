//! Where the render printed a value the user wrote as a YAML number or boolean, and as what.
//!
//! Helm reads a values file through YAML→JSON, so `4.10` becomes the float 4.1 and a template
//! prints `4.1`; `1000000` prints `1e+06`, `0777` prints `511`, `yes` prints `true`. The engine
//! knows which value every rendered byte came from, so the text a release carries for a typed
//! value can be read back from the manifests instead of predicted from a model of the chart.

use crate::release::Release;
use crate::render::Output;
use crate::render::manifest::Manifest;
use crate::source::FileId;
use crate::template::value::{Prov, Seg};
use crate::value::{Node, Origin, Value};
use crate::yaml;

/// One place where a typed value the user wrote lands in the rendered release.
#[derive(Debug, Clone)]
pub struct Printed {
    /// The key path as the user writes it (list items as their index).
    pub path: Vec<String>,
    /// Where the user wrote it.
    pub origin: Origin,
    /// The value Helm read.
    pub value: Value,
    /// The text the manifest carries for it.
    pub text: String,
    /// The template whose output holds it (`stackstate/templates/server-deployment.yaml`).
    pub template: String,
    /// The manifest's kind and name (`Deployment release-name-server`), when known.
    pub object: Option<String>,
    /// The text is a whole plain scalar of the manifest that reads back as the same number or
    /// boolean (`replicas: 3` for `3.0`, `defaultMode: 511` for `0777`): the chart uses the value
    /// as a number or boolean there, not as text.
    pub whole_scalar: bool,
}

/// Every place a number or boolean of the user's values is printed in the manifests of
/// `output` (NOTES.txt is no manifest), in manifest order.
pub fn printed(release: &Release, output: &Output) -> Vec<Printed> {
    let mut out = Vec::new();
    for (m, segs) in manifest_segments(output) {
        in_manifest(release, m, segs, &mut out);
    }
    out
}

/// Each manifest of `output` (CRDs, manifests, hooks) with the provenance segments of its
/// bytes (segments of its rendered file that overlap it).
pub(crate) fn manifest_segments(output: &Output) -> impl Iterator<Item = (&Manifest, &[Seg])> {
    let sorted = &output.sorted;
    sorted
        .crds
        .iter()
        .chain(&sorted.manifests)
        .chain(&sorted.hooks)
        .filter_map(|m| {
            let segs = &output.files.files.get(&m.path)?.segs;
            let (start, end) = (m.offset, m.offset + m.content.len());
            let first = segs.partition_point(|s| (s.end as usize) <= start);
            let last = first + segs[first..].partition_point(|s| (s.start as usize) < end);
            Some((m, &segs[first..last]))
        })
}

fn in_manifest(release: &Release, m: &Manifest, segs: &[Seg], out: &mut Vec<Printed>) {
    let (start, end) = (m.offset, m.offset + m.content.len());
    let mut parsed: Option<Option<Parsed>> = None;
    for seg in segs {
        let Some(node) = typed_user_value(release, &seg.prov) else {
            continue;
        };
        let (a, b) = ((seg.start as usize).max(start), (seg.end as usize).min(end));
        let text = &m.content[a - start..b - start];
        // Only the value printed whole: `trunc`, `mul` or `int` make other text.
        if !reads_as(text, &node.value) {
            continue;
        }
        let doc = parsed.get_or_insert_with(|| Parsed::new(&m.content));
        let whole_scalar = doc
            .as_ref()
            .is_some_and(|d| d.whole_scalar(&m.content, a - start, b - start, &node.value));
        out.push(Printed {
            path: seg.prov.user_path.iter().map(|k| k.to_string()).collect(),
            origin: seg.prov.origin.clone(),
            value: node.value.clone(),
            text: text.to_string(),
            template: m.path.clone(),
            object: doc.as_ref().and_then(|d| d.object(&m.kind)),
            whole_scalar,
        });
    }
}

/// The user's node behind `prov` when it is a number or boolean from a file or `--set`.
fn typed_user_value<'r>(release: &'r Release, prov: &Prov) -> Option<&'r Node> {
    if !matches!(prov.origin, Origin::File { .. } | Origin::Set { .. }) {
        return None;
    }
    let node = crate::value::lookup_through_lists(&release.user, &prov.user_path)?;
    matches!(node.value, Value::Bool(_) | Value::Int(_) | Value::Float(_)).then_some(node)
}

/// Whether `text`, read as a YAML plain scalar, is the same number or boolean as `value`.
pub fn reads_as(text: &str, value: &Value) -> bool {
    let Ok(read) = yaml::resolve_plain(text.trim(), None) else {
        return false;
    };
    same(&read, value)
}

fn same(a: &Value, b: &Value) -> bool {
    let num = |v: &Value| match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    };
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x == y,
        _ => matches!((num(a), num(b)), (Some(x), Some(y)) if x == y),
    }
}

/// A rendered manifest, parsed: its scalars and its name.
struct Parsed {
    /// (start, end, value) of every scalar, in document order.
    scalars: Vec<(usize, usize, Value)>,
    name: Option<String>,
}

impl Parsed {
    /// `None` when the document does not parse (then nothing is known about its scalars).
    fn new(content: &str) -> Option<Parsed> {
        let limits = yaml::Limits {
            max_bytes: usize::MAX,
            ..yaml::Limits::default()
        };
        let file = yaml::load(FileId(u32::MAX), content, &limits).ok()?;
        let doc = file.documents.first()?;
        let mut scalars = Vec::new();
        collect(doc, &mut scalars);
        let name = doc
            .get_path(&["metadata", "name"])
            .and_then(|n| n.value.render());
        Some(Parsed { scalars, name })
    }

    /// Whether the manifest bytes `a..b` are a whole scalar that reads back as `value`.
    fn whole_scalar(&self, content: &str, a: usize, b: usize, value: &Value) -> bool {
        let text = content[a..b].trim();
        self.scalars
            .iter()
            .any(|(s, e, v)| *s <= a && b <= *e && content[*s..*e].trim() == text && same(v, value))
    }

    fn object(&self, kind: &str) -> Option<String> {
        match (&self.name, kind.is_empty()) {
            (Some(n), false) => Some(format!("{kind} {n}")),
            (Some(n), true) => Some(n.clone()),
            (None, false) => Some(kind.to_string()),
            (None, true) => None,
        }
    }
}

fn collect(node: &Node, out: &mut Vec<(usize, usize, Value)>) {
    match &node.value {
        Value::Map(m) => m.values().for_each(|n| collect(n, out)),
        Value::Seq(items) => items.iter().for_each(|n| collect(n, out)),
        v => {
            if let Some(span) = node.origin.value_span() {
                out.push((span.start, span.end, v.clone()));
            }
        }
    }
}

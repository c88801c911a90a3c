//! What rendering needs of a chart besides its default values: `Chart.yaml` as Helm's
//! `chart.Metadata`, the templates, the other files (`.Files`), the values schema and the
//! dependencies as declared — sorted out by Helm's loader rules (`pkg/chart/loader/load.go`).

use std::collections::BTreeMap;

use crate::file_bytes::FileBytes;
use crate::value::{Node, Value};

/// A file of a chart: its path relative to the chart root and its bytes.
#[derive(Debug, Clone)]
pub struct ChartFile {
    /// `templates/deployment.yaml`, `files/x.conf`.
    pub name: String,
    /// The contents (a UTF-8 byte-order mark removed).
    pub data: FileBytes,
}

/// One entry of `dependencies:` in Chart.yaml (or requirements.yaml).
#[derive(Debug, Clone, Default)]
pub(crate) struct DeclaredDependency {
    /// `name`.
    pub(crate) name: String,
    /// `version` (a semver range).
    pub(crate) version: String,
    /// `repository`.
    pub(crate) repository: String,
    /// `condition` (comma-separated paths).
    pub(crate) condition: String,
    /// `tags`.
    pub(crate) tags: Vec<String>,
    /// `import-values`.
    pub(crate) import_values: Vec<ImportValue>,
    /// `alias`.
    pub(crate) alias: String,
    /// `enabled`: true once Helm's `processDependencyEnabled` kept the dependency.
    pub(crate) enabled: bool,
}

/// One `import-values` entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ImportValue {
    /// A string: the child's `exports.<name>` table, merged at the parent's top level.
    Exports(String),
    /// `{child: a.b, parent: c.d}`.
    Map {
        /// A path in the child's values (Helm 4's `%v` of what is not a string: `<nil>`).
        child: String,
        /// Where it goes in the parent's values.
        parent: String,
        /// The Go type of the first of the two that is no string (Helm 3 asserts both are, so
        /// panics on it).
        not_string: Option<&'static str>,
    },
}

/// A maintainer in Chart.yaml.
#[derive(Debug, Clone, Default)]
pub(crate) struct Maintainer {
    /// `name`.
    pub(crate) name: String,
    /// `email`.
    pub(crate) email: String,
    /// `url`.
    pub(crate) url: String,
}

/// Chart.yaml as Helm's `chart.Metadata` holds it (what `.Chart` exposes).
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    /// `name`.
    pub(crate) name: String,
    /// `home`.
    pub(crate) home: String,
    /// `sources`.
    pub(crate) sources: Vec<String>,
    /// `version`.
    pub(crate) version: String,
    /// `description`.
    pub(crate) description: String,
    /// `keywords`.
    pub(crate) keywords: Vec<String>,
    /// `maintainers`.
    pub(crate) maintainers: Vec<Maintainer>,
    /// `icon`.
    pub(crate) icon: String,
    /// `apiVersion` (`v1` when absent, as Helm assumes).
    pub(crate) api_version: String,
    /// `condition` (Helm 2 era).
    pub(crate) condition: String,
    /// `tags` (Helm 2 era, a string).
    pub(crate) tags: String,
    /// `appVersion`.
    pub(crate) app_version: String,
    /// `deprecated`.
    pub(crate) deprecated: bool,
    /// `annotations`.
    pub(crate) annotations: BTreeMap<String, String>,
    /// `kubeVersion` (a semver range).
    pub(crate) kube_version: String,
    /// `dependencies` (from requirements.yaml for apiVersion v1 charts that have one).
    pub(crate) dependencies: Vec<DeclaredDependency>,
    /// `type`: `application`, `library` or empty.
    pub(crate) chart_type: String,
    /// Whether Chart.yaml has an `annotations` map (Helm 4 prints a missing one as null).
    pub(crate) annotations_set: bool,
    /// Whether `maintainers` is a list, even `[]` (else Go's slice is nil: `toJson` gives null).
    pub(crate) maintainers_set: bool,
    /// Whether `dependencies` is a list, even `[]`.
    pub(crate) dependencies_set: bool,
    /// Whether Helm's `processDependencyEnabled` runs on this chart (see `chart::from_tree`):
    /// then `.Chart.Dependencies` lists only the dependencies kept, named by alias, enabled.
    pub(crate) processed: bool,
}

impl Metadata {
    /// Whether this is a library chart (templates are parsed for their `define`s, never rendered).
    pub(crate) fn is_library(&self) -> bool {
        self.chart_type.eq_ignore_ascii_case("library")
    }
}

/// Everything of a chart that rendering needs besides its values.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Chart.yaml.
    pub metadata: Metadata,
    /// Files under `templates/`.
    pub templates: Vec<ChartFile>,
    /// Every other file (`.Files`), except Chart.yaml, Chart.lock, values.yaml,
    /// values.schema.json and subcharts.
    pub files: Vec<ChartFile>,
    /// `values.schema.json`.
    pub schema: Option<FileBytes>,
    /// Templates packed parsed (the built-in charts, see [`crate::template::ast_pack`]), by name
    /// (`templates/…`).
    pub(crate) parsed_templates: std::collections::BTreeMap<String, FileBytes>,
    /// What Helm's loader logs on stderr for this chart (its symbolic links, and
    /// requirements files in an apiVersion v2 chart), as the Helm it was loaded for prints it.
    pub(crate) log: Vec<String>,
    /// The `.Values.a.b…` chains the templates of the chart and its subcharts name, as the user
    /// writes the keys, with every shorter prefix (`lint::usage::mentioned`): worked out the
    /// first time a lint asks and kept for every values file after it.
    pub(crate) mentioned: std::sync::OnceLock<std::collections::HashSet<Vec<String>>>,
}

impl Content {
    /// Sorts a chart's files as Helm's loader does. `meta` is Chart.yaml, `reqs`
    /// requirements.yaml when there is one.
    pub(crate) fn from_files<'a>(
        meta: &Node,
        reqs: Option<&Node>,
        files: impl Iterator<Item = (&'a str, &'a FileBytes)>,
    ) -> Content {
        let mut metadata = metadata(meta);
        if let Some(reqs) = reqs
            && reqs.get_path(&["dependencies"]).is_some()
        {
            metadata.dependencies = dependencies(reqs);
            metadata.dependencies_set = is_list(reqs, "dependencies");
        }
        let v1 = metadata.api_version == "v1";
        let mut content = Content {
            metadata,
            ..Content::default()
        };
        for (name, data) in files {
            let file = || ChartFile {
                name: name.to_string(),
                data: data.clone(),
            };
            match name {
                "Chart.yaml" | "Chart.lock" | "values.yaml" => {}
                "values.schema.json" => content.schema = Some(data.clone()),
                "requirements.yaml" | "requirements.lock" => {
                    if v1 {
                        content.files.push(file());
                    }
                }
                _ if name.starts_with("templates/") => content.templates.push(file()),
                _ if name.starts_with("charts/") => {
                    if name.ends_with(".prov") {
                        content.files.push(file());
                    }
                }
                _ => content.files.push(file()),
            }
        }
        content
    }
}

/// Helm's `sanitizeString`: every white space a plain space, characters that do not print
/// dropped (as `Metadata.Validate` and `Dependency.Validate` leave Chart.yaml's strings).
pub(crate) fn sanitize(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else if c.is_control() || is_format(c) {
                None
            } else {
                Some(c)
            }
        })
        .collect()
}

/// Characters of Unicode's category Cf that often turn up (Go's `unicode.IsPrint` refuses them).
fn is_format(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

fn is_list(node: &Node, key: &str) -> bool {
    matches!(node.get_path(&[key]).map(|n| &n.value), Some(Value::Seq(_)))
}

/// A string field Helm does not sanitize (`version`, `apiVersion`, `type`, `alias`).
fn raw_text(node: &Node, key: &str) -> String {
    node.get_path(&[key])
        .and_then(|n| n.value.render())
        .unwrap_or_default()
}

fn text(node: &Node, key: &str) -> String {
    node.get_path(&[key])
        .and_then(|n| n.value.render())
        .map(|s| sanitize(&s))
        .unwrap_or_default()
}

fn texts(node: &Node, key: &str) -> Vec<String> {
    match node.get_path(&[key]).map(|n| &n.value) {
        Some(Value::Seq(items)) => items
            .iter()
            .map(|n| sanitize(&n.value.render().unwrap_or_default()))
            .collect(),
        _ => Vec::new(),
    }
}

fn metadata(node: &Node) -> Metadata {
    let annotations = node
        .get_path(&["annotations"])
        .and_then(Node::as_map)
        .map(|m| {
            // A null value is a key holding "" (encoding/json stores the zero string).
            m.iter()
                .filter_map(|(k, v)| match &v.value {
                    Value::Null => Some((k.clone(), String::new())),
                    other => Some((k.clone(), other.render()?)),
                })
                .collect()
        })
        .unwrap_or_default();
    let maintainers = match node.get_path(&["maintainers"]).map(|n| &n.value) {
        Some(Value::Seq(items)) => items
            .iter()
            .map(|m| Maintainer {
                name: text(m, "name"),
                email: text(m, "email"),
                url: text(m, "url"),
            })
            .collect(),
        _ => Vec::new(),
    };
    let api_version = match raw_text(node, "apiVersion") {
        v if v.is_empty() => "v1".to_string(),
        v => v,
    };
    Metadata {
        name: text(node, "name"),
        home: text(node, "home"),
        sources: texts(node, "sources"),
        version: raw_text(node, "version"),
        description: text(node, "description"),
        keywords: texts(node, "keywords"),
        maintainers,
        icon: text(node, "icon"),
        api_version,
        condition: text(node, "condition"),
        tags: text(node, "tags"),
        app_version: text(node, "appVersion"),
        deprecated: matches!(
            node.get_path(&["deprecated"]).map(|n| &n.value),
            Some(Value::Bool(true))
        ),
        annotations,
        kube_version: text(node, "kubeVersion"),
        dependencies: dependencies(node),
        chart_type: raw_text(node, "type"),
        annotations_set: matches!(
            node.get_path(&["annotations"]).map(|n| &n.value),
            Some(Value::Map(_))
        ),
        maintainers_set: is_list(node, "maintainers"),
        dependencies_set: is_list(node, "dependencies"),
        processed: false,
    }
}

fn dependencies(node: &Node) -> Vec<DeclaredDependency> {
    let Some(Value::Seq(items)) = node.get_path(&["dependencies"]).map(|n| &n.value) else {
        return Vec::new();
    };
    items
        .iter()
        .map(|d| DeclaredDependency {
            name: text(d, "name"),
            version: text(d, "version"),
            repository: text(d, "repository"),
            condition: text(d, "condition"),
            tags: texts(d, "tags"),
            import_values: import_values(d),
            alias: raw_text(d, "alias"),
            enabled: false,
        })
        .collect()
}

/// What the user is told where Helm 3 (release `release`) panics on an import entry of
/// `dependency` whose `child` or `parent` has the Go type `go_type` (see [`ImportValue::Map`]).
pub(crate) fn import_panic(release: &str, dependency: &str, go_type: &str) -> String {
    format!(
        "Helm {release} panics on an import-values entry of dependency {dependency} whose child \
         or parent is no string (\"interface conversion: interface {{}} is {go_type}, not \
         string\"): give both as strings"
    )
}

/// Go's `%v` of a value Chart.yaml decoded into `interface{}` that is no string, with its Go
/// type: what Helm 4's `fmt.Sprintf("%v", …)` makes of an import's `child` or `parent`.
fn go_v(value: Option<&Value>) -> (String, Option<&'static str>) {
    let go_type = match value {
        None | Some(Value::Null) => "nil",
        Some(Value::Bool(_)) => "bool",
        Some(Value::Seq(_)) => "[]interface {}",
        Some(Value::Map(_)) => "map[string]interface {}",
        Some(_) => "float64",
    };
    let text = value
        .and_then(Value::render)
        .unwrap_or_else(|| "<nil>".into());
    (text, Some(go_type))
}

fn import_values(dep: &Node) -> Vec<ImportValue> {
    let Some(Value::Seq(items)) = dep.get_path(&["import-values"]).map(|n| &n.value) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|iv| match &iv.value {
            Value::Str(s) => Some(ImportValue::Exports(s.clone())),
            Value::Map(_) => {
                let field = |key: &str| match iv.get_path(&[key]).map(|n| &n.value) {
                    Some(Value::Str(_)) => (text(iv, key), None),
                    other => go_v(other),
                };
                let (child, child_type) = field("child");
                let (parent, parent_type) = field("parent");
                Some(ImportValue::Map {
                    child,
                    parent,
                    not_string: child_type.or(parent_type),
                })
            }
            _ => None,
        })
        .collect()
}

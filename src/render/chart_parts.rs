//! The parts of `.Chart` that are Go pointers to structs in Helm 3 (`[]*chart.Maintainer`,
//! `[]*chart.Dependency`): fields by Go name, `toJson` with the structs' JSON tags (and their
//! `omitempty`), and Helm 4's `.Chart`, a map made by reflection (`structToMap`) that names every
//! field as Go does.

use std::rc::Rc;
use std::sync::Arc;

use crate::chart::content::{DeclaredDependency, ImportValue, Maintainer, Metadata};
use crate::template::value::{ElemType, GoStruct, MapData, Object, Value};

fn strs(items: &[String]) -> Value {
    Value::typed_list(
        items.iter().map(|s| Value::str(s.as_str())).collect(),
        ElemType::String,
    )
}

fn string_map(entries: Vec<(&str, &str)>) -> Value {
    Value::Map(Rc::new(std::cell::RefCell::new(MapData::build(|m| {
        m.entries = entries
            .into_iter()
            .map(|(k, v)| (Rc::from(k), Value::str(v)))
            .collect();
        m.elem = ElemType::String;
        m.origin = None;
        m.values_type = None;
        m.nil = false;
    }))))
}

fn plain(entries: Vec<(&str, Value)>) -> Value {
    Value::map(entries.into_iter().map(|(k, v)| (Rc::from(k), v)).collect())
}

/// `import-values` as Helm leaves them after `processImportValues`: every entry a
/// `map[string]string` of `child` and `parent` (a name `n` is `exports.n` into `.`).
fn import_values(d: &DeclaredDependency) -> Value {
    Value::list(
        d.import_values
            .iter()
            .map(|iv| match iv {
                ImportValue::Exports(name) => {
                    string_map(vec![("child", &format!("exports.{name}")), ("parent", ".")])
                }
                ImportValue::Map { child, parent, .. } => {
                    string_map(vec![("child", child), ("parent", parent)])
                }
            })
            .collect(),
    )
}

/// A `*chart.Maintainer`.
#[derive(Debug, Clone)]
pub(crate) struct MaintainerObject(pub(crate) Maintainer);

impl Object for MaintainerObject {
    fn type_name(&self) -> &str {
        "*chart.Maintainer"
    }
    fn field(&self, name: &str) -> Option<Value> {
        self.go_struct()?.field(name)
    }
    fn call(&self, _: &str, _: &[Value]) -> Option<Result<Value, crate::template::FuncError>> {
        None
    }
    fn json_order(&self) -> &'static [&'static str] {
        &["name", "email", "url"]
    }
    fn go_struct(&self) -> Option<GoStruct> {
        let m = &self.0;
        Some(GoStruct {
            type_name: "chart.Maintainer",
            pointer: true,
            stringer: false,
            fields: vec![
                ("Name", Value::str(m.name.as_str())),
                ("Email", Value::str(m.email.as_str())),
                ("URL", Value::str(m.url.as_str())),
            ],
        })
    }
    fn to_plain(&self) -> Value {
        let m = &self.0;
        let entries = [("name", &m.name), ("email", &m.email), ("url", &m.url)]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k, Value::str(v.as_str())))
            .collect();
        plain(entries)
    }
}

/// A `*chart.Dependency`, as `processDependencyEnabled` left it.
#[derive(Debug, Clone)]
pub(crate) struct DependencyObject(pub(crate) DeclaredDependency);

impl Object for DependencyObject {
    fn type_name(&self) -> &str {
        "*chart.Dependency"
    }
    fn field(&self, name: &str) -> Option<Value> {
        self.go_struct()?.field(name)
    }
    fn call(&self, _: &str, _: &[Value]) -> Option<Result<Value, crate::template::FuncError>> {
        None
    }
    fn go_struct(&self) -> Option<GoStruct> {
        let d = &self.0;
        Some(GoStruct {
            type_name: "chart.Dependency",
            pointer: true,
            stringer: false,
            fields: vec![
                ("Name", Value::str(d.name.as_str())),
                ("Version", Value::str(d.version.as_str())),
                ("Repository", Value::str(d.repository.as_str())),
                ("Condition", Value::str(d.condition.as_str())),
                ("Tags", strs(&d.tags)),
                ("Enabled", Value::bool(d.enabled)),
                ("ImportValues", import_values(d)),
                ("Alias", Value::str(d.alias.as_str())),
            ],
        })
    }
    fn json_order(&self) -> &'static [&'static str] {
        &[
            "name",
            "version",
            "repository",
            "condition",
            "tags",
            "enabled",
            "import-values",
            "alias",
        ]
    }
    fn to_plain(&self) -> Value {
        // `name` and `repository` have no omitempty.
        let d = &self.0;
        let mut out: Vec<(&str, Value)> = vec![
            ("name", Value::str(d.name.as_str())),
            ("repository", Value::str(d.repository.as_str())),
        ];
        for (k, v) in [
            ("version", &d.version),
            ("condition", &d.condition),
            ("alias", &d.alias),
        ] {
            if !v.is_empty() {
                out.push((k, Value::str(v.as_str())));
            }
        }
        if !d.tags.is_empty() {
            out.push(("tags", strs(&d.tags)));
        }
        if d.enabled {
            out.push(("enabled", Value::bool(true)));
        }
        if !d.import_values.is_empty() {
            out.push(("import-values", import_values(d)));
        }
        plain(out)
    }
}

/// A nil Go slice: `toJson` writes `null`, `len` is 0, `%v` prints `[]`.
#[derive(Debug)]
struct NilSlice(&'static str);

impl Object for NilSlice {
    fn type_name(&self) -> &str {
        self.0
    }
    fn field(&self, _: &str) -> Option<Value> {
        None
    }
    fn call(&self, _: &str, _: &[Value]) -> Option<Result<Value, crate::template::FuncError>> {
        None
    }
    fn fmt_v(&self) -> String {
        "[]".into()
    }
    fn underlying(&self) -> Option<Value> {
        Some(Value::nil_list(ElemType::Any))
    }
}

/// `.Chart.Maintainers` (Helm 3).
pub(crate) fn maintainers(meta: &Metadata) -> Value {
    if meta.maintainers.is_empty() && !meta.maintainers_set {
        return Value::Object(Rc::new(NilSlice("[]*chart.Maintainer")));
    }
    Value::list(
        meta.maintainers
            .iter()
            .map(|m| Value::Object(Rc::new(MaintainerObject(m.clone()))))
            .collect(),
    )
}

/// `.Chart.Dependencies` (Helm 3): nil when empty after Helm processed them (it appends the
/// dependencies it keeps to a nil slice), or when Chart.yaml has none.
pub(crate) fn dependencies(meta: &Metadata) -> Value {
    if meta.dependencies.is_empty() && (meta.processed || !meta.dependencies_set) {
        return Value::Object(Rc::new(NilSlice("[]*chart.Dependency")));
    }
    Value::list(
        meta.dependencies
            .iter()
            .map(|d| Value::Object(Rc::new(DependencyObject(d.clone()))))
            .collect(),
    )
}

/// Helm 4's `.Chart`: `structToMap(chart.Metadata)` plus `IsRoot`, every field under its Go
/// name; a nil slice is an empty list, nil annotations `null`.
pub(crate) fn helm4_chart(meta: &Arc<Metadata>, name: &str, is_root: bool) -> Value {
    let m = meta.as_ref();
    let list_of =
        |items: &[String]| Value::list(items.iter().map(|s| Value::str(s.as_str())).collect());
    let maintainers = Value::list(
        m.maintainers
            .iter()
            .map(|x| {
                plain(vec![
                    ("Name", Value::str(x.name.as_str())),
                    ("Email", Value::str(x.email.as_str())),
                    ("URL", Value::str(x.url.as_str())),
                ])
            })
            .collect(),
    );
    let dependencies = Value::list(
        m.dependencies
            .iter()
            .map(|d| {
                plain(vec![
                    ("Name", Value::str(d.name.as_str())),
                    ("Version", Value::str(d.version.as_str())),
                    ("Repository", Value::str(d.repository.as_str())),
                    ("Condition", Value::str(d.condition.as_str())),
                    ("Tags", list_of(&d.tags)),
                    ("Enabled", Value::bool(d.enabled)),
                    ("ImportValues", import_values(d)),
                    ("Alias", Value::str(d.alias.as_str())),
                ])
            })
            .collect(),
    );
    let annotations = if m.annotations_set {
        string_map(
            m.annotations
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
        )
    } else {
        // A nil `map[string]string`: `null` to `toJson`, 0 to `len`.
        match Value::nil_map() {
            Value::Map(m) => {
                m.borrow_mut().elem = crate::template::value::ElemType::String;
                Value::Map(m)
            }
            other => other,
        }
    };
    let s = |v: &str| Value::str(v);
    plain(vec![
        ("Name", s(name)),
        ("Home", s(&m.home)),
        ("Sources", list_of(&m.sources)),
        ("Version", s(&m.version)),
        ("Description", s(&m.description)),
        ("Keywords", list_of(&m.keywords)),
        ("Maintainers", maintainers),
        ("Icon", s(&m.icon)),
        ("APIVersion", s(&m.api_version)),
        ("Condition", s(&m.condition)),
        ("Tags", s(&m.tags)),
        ("AppVersion", s(&m.app_version)),
        ("Deprecated", Value::bool(m.deprecated)),
        ("Annotations", annotations),
        ("KubeVersion", s(&m.kube_version)),
        ("Dependencies", dependencies),
        ("Type", s(&m.chart_type)),
        ("IsRoot", Value::bool(is_root)),
    ])
}

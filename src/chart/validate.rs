//! Helm's loader checks on a chart's files (`pkg/chart/loader/load.go`, `pkg/chart/metadata.go`,
//! `pkg/chart/dependency.go`): Chart.yaml, requirements.yaml and the lock files decoded into
//! Helm's structs (sigs.k8s.io/yaml, then encoding/json: a value of the wrong JSON type is an
//! `UnmarshalTypeError`), then `Metadata.Validate`. Messages are Helm 3.17.3's.

use crate::source::Sources;
use crate::template::funcs::helm_yaml;
use crate::value::{Node, Value};

use super::content::Metadata;
use super::{ChartError, YamlFail};

/// What a field of Helm's structs holds, for encoding/json.
#[derive(Clone, Copy)]
enum Kind {
    /// `string`: any scalar fits (sigs.k8s.io/yaml turns numbers and booleans into text).
    Str,
    /// `bool`.
    Bool,
    /// `[]string`.
    Strings,
    /// `map[string]string`.
    StrMap,
    /// `[]interface {}`.
    AnyList,
    /// `time.Time` (its own `UnmarshalJSON`).
    Time,
    /// `[]*chart.Maintainer`.
    Maintainers,
    /// `[]*chart.Dependency`.
    Dependencies,
}

const METADATA: &[(&str, Kind)] = &[
    ("name", Kind::Str),
    ("home", Kind::Str),
    ("sources", Kind::Strings),
    ("version", Kind::Str),
    ("description", Kind::Str),
    ("keywords", Kind::Strings),
    ("maintainers", Kind::Maintainers),
    ("icon", Kind::Str),
    ("apiVersion", Kind::Str),
    ("condition", Kind::Str),
    ("tags", Kind::Str),
    ("appVersion", Kind::Str),
    ("deprecated", Kind::Bool),
    ("annotations", Kind::StrMap),
    ("kubeVersion", Kind::Str),
    ("dependencies", Kind::Dependencies),
    ("type", Kind::Str),
];

const MAINTAINER: &[(&str, Kind)] = &[
    ("name", Kind::Str),
    ("email", Kind::Str),
    ("url", Kind::Str),
];

const DEPENDENCY: &[(&str, Kind)] = &[
    ("name", Kind::Str),
    ("version", Kind::Str),
    ("repository", Kind::Str),
    ("condition", Kind::Str),
    ("tags", Kind::Strings),
    ("enabled", Kind::Bool),
    ("import-values", Kind::AnyList),
    ("alias", Kind::Str),
];

const LOCK: &[(&str, Kind)] = &[
    ("generated", Kind::Time),
    ("digest", Kind::Str),
    ("dependencies", Kind::Dependencies),
];

/// The first error encoding/json meets decoding a document into a struct.
struct Decode {
    /// The Go package of Helm's chart structs: `chart` (Helm 3), `v2` (Helm 4).
    pkg: &'static str,
    /// An error that stops decoding at once (an `UnmarshalJSON` method's).
    fatal: Option<String>,
    /// The first `UnmarshalTypeError`: decoding goes on past it.
    saved: Option<String>,
}

impl Decode {
    fn mismatch(&mut self, v: &Value, strukt: &str, path: &str, go_type: &str) {
        if self.saved.is_none() {
            self.saved = Some(format!(
                "json: cannot unmarshal {} into Go struct field {strukt}.{path} of type {go_type}",
                v.json_kind()
            ));
        }
    }

    fn fields(&mut self, map: &crate::value::Map, table: &[(&str, Kind)], strukt: &str, at: &str) {
        // sigs.k8s.io/yaml hands encoding/json the keys sorted; a key matches a field's JSON
        // name regardless of case.
        for (key, node) in map {
            if self.fatal.is_some() {
                return;
            }
            let Some((name, kind)) = table
                .iter()
                .find(|(n, _)| *n == key)
                .or_else(|| table.iter().find(|(n, _)| n.eq_ignore_ascii_case(key)))
            else {
                continue;
            };
            let path = if at.is_empty() {
                name.to_string()
            } else {
                format!("{at}.{name}")
            };
            self.value(&node.value, *kind, strukt, &path);
        }
    }

    fn value(&mut self, v: &Value, kind: Kind, strukt: &str, path: &str) {
        if matches!(v, Value::Null) {
            return;
        }
        match kind {
            Kind::Str => {
                if matches!(v, Value::Seq(_) | Value::Map(_)) {
                    self.mismatch(v, strukt, path, "string");
                }
            }
            Kind::Bool => {
                if !matches!(v, Value::Bool(_)) {
                    self.mismatch(v, strukt, path, "bool");
                }
            }
            Kind::Strings => match v {
                Value::Seq(items) => {
                    for item in items {
                        self.value(&item.value, Kind::Str, strukt, path);
                    }
                }
                _ => self.mismatch(v, strukt, path, "[]string"),
            },
            Kind::StrMap => match v {
                Value::Map(m) => {
                    for item in m.values() {
                        self.value(&item.value, Kind::Str, strukt, path);
                    }
                }
                _ => self.mismatch(v, strukt, path, "map[string]string"),
            },
            Kind::AnyList => {
                if !matches!(v, Value::Seq(_)) {
                    self.mismatch(v, strukt, path, "[]interface {}");
                }
            }
            Kind::Time => match v {
                Value::Str(s) => {
                    if let Err(e) = parse_rfc3339(s) {
                        self.fatal = Some(e);
                    }
                }
                _ => self.fatal = Some("Time.UnmarshalJSON: input is not a JSON string".into()),
            },
            Kind::Maintainers => self.structs(v, strukt, path, ("Maintainer", MAINTAINER)),
            Kind::Dependencies => self.structs(v, strukt, path, ("Dependency", DEPENDENCY)),
        }
    }

    /// A list of pointers to structs (`[]*chart.Maintainer`).
    fn structs(&mut self, v: &Value, strukt: &str, path: &str, elem: (&str, &[(&str, Kind)])) {
        let Value::Seq(items) = v else {
            self.mismatch(v, strukt, path, &format!("[]*{}.{}", self.pkg, elem.0));
            return;
        };
        for item in items {
            match &item.value {
                Value::Null => {}
                Value::Map(m) => self.fields(m, elem.1, elem.0, path),
                other => {
                    let go_type = format!("{}.{}", self.pkg, elem.0);
                    self.mismatch(other, strukt, path, &go_type)
                }
            }
        }
    }

    fn result(self) -> Option<String> {
        self.fatal.or(self.saved)
    }
}

/// The top level of a document decoded into `go_type` (a map is the only thing that fits).
fn top_level<'a>(doc: &'a Node, go_type: &str) -> Result<Option<&'a crate::value::Map>, String> {
    match &doc.value {
        Value::Null => Ok(None),
        Value::Map(m) => Ok(Some(m)),
        other => Err(format!(
            "json: cannot unmarshal {} into Go value of type {go_type}",
            other.json_kind()
        )),
    }
}

/// Why Chart.yaml (or requirements.yaml, decoded into the same struct) does not decode into
/// `chart.Metadata`: encoding/json's message.
/// `helm4` names Helm 4's package (`v2.Maintainer`).
pub(crate) fn metadata_error(doc: &Node, helm4: bool) -> Option<String> {
    let pkg = if helm4 { "v2" } else { "chart" };
    let map = match top_level(doc, &format!("{pkg}.Metadata")) {
        Ok(map) => map?,
        Err(e) => return Some(e),
    };
    let mut d = Decode {
        pkg,
        fatal: None,
        saved: None,
    };
    d.fields(map, METADATA, "Metadata", "");
    d.result()
}

/// Why Chart.lock or requirements.lock does not decode into `chart.Lock`.
pub(crate) fn lock_error(doc: &Node, helm4: bool) -> Option<String> {
    let pkg = if helm4 { "v2" } else { "chart" };
    let map = match top_level(doc, &format!("{pkg}.Lock")) {
        Ok(map) => map?,
        Err(e) => return Some(e),
    };
    let mut d = Decode {
        pkg,
        fatal: None,
        saved: None,
    };
    d.fields(map, LOCK, "Lock", "");
    d.result()
}

/// Go's `filepath.Base` on a Unix path.
fn go_base(path: &str) -> &str {
    if path.is_empty() {
        return ".";
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// Helm's `Metadata.Validate` (on metadata already sanitized, see
/// [`super::content::sanitize`]), its message after `validation: `.
pub(crate) fn validate(
    md: &Metadata,
    (null_maintainer, null_dependency): (bool, bool),
    build: crate::helm_build::HelmBuild,
) -> Result<(), String> {
    if md.api_version.is_empty() {
        return Err("chart.metadata.apiVersion is required".into());
    }
    if md.name.is_empty() {
        return Err("chart.metadata.name is required".into());
    }
    // `.` and `..` since 4.1.4; a name with a path in it since 3.14.1 (and in Helm 4).
    if build.since((4, 1, 4)) && (md.name == "." || md.name == "..") {
        return Err(format!("chart.metadata.name {:?} is not allowed", md.name));
    }
    if build.since((3, 14, 1)) && md.name != go_base(&md.name) {
        return Err(format!("chart.metadata.name {:?} is invalid", md.name));
    }
    if md.version.is_empty() {
        return Err("chart.metadata.version is required".into());
    }
    if crate::template::funcs::sprig_semver::Version::parse(&md.version).is_err() {
        return Err(format!(
            "chart.metadata.version {:?} is invalid",
            md.version
        ));
    }
    if !matches!(md.chart_type.as_str(), "" | "application" | "library") {
        return Err("chart.metadata.type must be application or library".into());
    }
    if null_maintainer {
        return Err("maintainers must not contain empty or null nodes".into());
    }
    if null_dependency {
        return Err("dependencies must not contain empty or null nodes".into());
    }
    let mut keys: Vec<&str> = Vec::new();
    for d in &md.dependencies {
        let alias_ok = d
            .alias
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !alias_ok {
            return Err(format!(
                "dependency {:?} has disallowed characters in the alias",
                d.name
            ));
        }
        let key = if d.alias.is_empty() {
            d.name.as_str()
        } else {
            d.alias.as_str()
        };
        if keys.contains(&key) {
            return Err(format!(
                "more than one dependency with name or alias {key:?}"
            ));
        }
        keys.push(key);
    }
    Ok(())
}

/// Helm 4's first look at a top chart's Chart.yaml (`loader.chartBase`, only `apiVersion`):
/// which loader reads it. Err(message) for one Helm 4 cannot load; Ok(true) for apiVersion v3,
/// which Helm 4.1.4 loads and then refuses to install.
pub(crate) fn helm4_chart_base(doc: &Node) -> Result<bool, String> {
    let Some(node) = doc.get_path(&["apiVersion"]) else {
        return Ok(false);
    };
    match &node.value {
        v @ (Value::Seq(_) | Value::Map(_)) => Err(format!(
            "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field chartBase.apiVersion of type string",
            v.json_kind()
        )),
        v => match v.render().unwrap_or_default().as_str() {
            "" | "v1" | "v2" => Ok(false),
            "v3" => Ok(true),
            _ => Err("unsupported chart version".into()),
        },
    }
}

/// Whether a list field of a document holds a null item (`maintainers: [null]`).
pub(crate) fn has_null_item(doc: &Node, key: &str) -> bool {
    matches!(doc.get_path(&[key]).map(|n| &n.value),
        Some(Value::Seq(items)) if items.iter().any(|n| matches!(n.value, Value::Null)))
}

/// Helm's refusal of a chart read for rendering: its message, exit 2.
pub(super) fn helm_error(shown: &str, message: String) -> ChartError {
    ChartError::Helm {
        path: shown.to_string(),
        message,
    }
}

/// A YAML file of the chart read as Helm's loader reads it. With `words` (for `render`; `true`
/// for Helm 4), a file go-yaml refuses, or whose top level is no map (`target` is the Go type
/// decoded into), fails with Helm's message (`cannot load values.yaml: error converting YAML to
/// JSON: yaml: line 1: …`); otherwise with ours, which names the line and column.
pub(super) fn parse_helm_yaml(
    bytes: &[u8],
    (file, shown, target): (&str, &str, &str),
    sources: &mut Sources,
    words: Option<bool>,
) -> Result<Node, ChartError> {
    let path = format!("{shown}/{file}");
    let (e, fail) = match super::read_yaml(bytes, &path, sources) {
        Ok(node) => return Ok(node),
        Err(failure) => failure,
    };
    let Some(helm4) = words else {
        return Err(e);
    };
    let text = String::from_utf8_lossy(bytes);
    let message = match fail {
        YamlFail::Syntax => helm_yaml::yaml_to_json_error(&text),
        YamlFail::TopLevel => helm_yaml::top_level_type(&text).map(|kind| {
            format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {kind} into Go value of type {target}"
            )
        }),
        YamlFail::Other => None,
    };
    // Helm 4 reads values.yaml document by document.
    let document = if helm4 && file == "values.yaml" {
        "cannot unmarshal yaml document: "
    } else {
        ""
    };
    match message {
        Some(m) => Err(helm_error(
            shown,
            format!("cannot load {file}: {document}{m}"),
        )),
        None => Err(e),
    }
}

/// Helm's decoding of Chart.yaml-shaped and lock files into its structs, for rendering.
pub(super) fn decode_check(
    error: Option<String>,
    file: &str,
    shown: &str,
) -> Result<(), ChartError> {
    match error {
        Some(e) => Err(helm_error(
            shown,
            format!("cannot load {file}: error unmarshaling JSON: while decoding JSON: {e}"),
        )),
        None => Ok(()),
    }
}

const RFC3339: &str = "2006-01-02T15:04:05Z07:00";

/// Go's `time.Parse(time.RFC3339, s)` as `Time.UnmarshalJSON` reports it: Ok, or Go's message.
fn parse_rfc3339(s: &str) -> Result<(), String> {
    let cannot = |rest: &str, elem: &str| {
        format!("parsing time {s:?} as {RFC3339:?}: cannot parse {rest:?} as {elem:?}")
    };
    let range = |what: &str| format!("parsing time {s:?}: {what} out of range");
    let digits = |v: &str, n: usize| -> Option<u32> {
        let d = v.get(..n)?;
        if d.bytes().all(|b| b.is_ascii_digit()) {
            d.parse().ok()
        } else {
            None
        }
    };
    let mut v = s;
    // 2006
    let Some(year) = digits(v, 4) else {
        return Err(cannot(v, "2006"));
    };
    v = &v[4..];
    let mut month = 0;
    let mut day = 0;
    for (lit, elem, max) in [("-", "01", 12u32), ("-", "02", 31)] {
        let Some(rest) = v.strip_prefix(lit) else {
            return Err(cannot(v, lit));
        };
        let Some(n) = digits(rest, 2) else {
            return Err(cannot(rest, elem));
        };
        if elem == "01" {
            if n == 0 || n > max {
                return Err(range("month"));
            }
            month = n;
        } else {
            if n == 0 || n > max {
                return Err(range("day"));
            }
            day = n;
        }
        v = &rest[2..];
    }
    let Some(rest) = v.strip_prefix('T') else {
        return Err(cannot(v, "T"));
    };
    v = rest;
    // 15: one or two digits.
    let hour_len = match (digits(v, 2), digits(v, 1)) {
        (Some(_), _) => 2,
        (None, Some(_)) => 1,
        _ => return Err(cannot(v, "15")),
    };
    if digits(v, hour_len).unwrap_or(0) >= 24 {
        return Err(range("hour"));
    }
    v = &v[hour_len..];
    for (elem, what) in [("04", "minute"), ("05", "second")] {
        let Some(rest) = v.strip_prefix(':') else {
            return Err(cannot(v, ":"));
        };
        let Some(n) = digits(rest, 2) else {
            return Err(cannot(rest, elem));
        };
        if n >= 60 {
            return Err(range(what));
        }
        v = &rest[2..];
    }
    if v.len() >= 2
        && (v.starts_with('.') || v.starts_with(','))
        && v.as_bytes()[1].is_ascii_digit()
    {
        let end = 1 + v[1..].bytes().take_while(u8::is_ascii_digit).count();
        v = &v[end..];
    }
    if let Some(rest) = v.strip_prefix('Z') {
        v = rest;
    } else {
        let b = v.as_bytes();
        let ok = b.len() >= 6
            && (b[0] == b'+' || b[0] == b'-')
            && b[3] == b':'
            && digits(&v[1..], 2).is_some()
            && digits(&v[4..], 2).is_some();
        if !ok {
            return Err(cannot(v, "Z07:00"));
        }
        v = &v[6..];
    }
    if !v.is_empty() {
        return Err(format!("parsing time {s:?}: extra text: {v:?}"));
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day > days {
        return Err(range("day"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_as_go_reports_them() {
        assert!(parse_rfc3339("2024-01-01T00:00:00Z").is_ok());
        assert!(parse_rfc3339("2024-01-01T10:00:00.123+02:00").is_ok());
        assert_eq!(
            parse_rfc3339("yesterday").unwrap_err(),
            r#"parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006""#
        );
        assert_eq!(
            parse_rfc3339("2024-01-01").unwrap_err(),
            r#"parsing time "2024-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T""#
        );
        assert_eq!(
            parse_rfc3339("2024-13-01T00:00:00Z").unwrap_err(),
            r#"parsing time "2024-13-01T00:00:00Z": month out of range"#
        );
    }

    #[test]
    fn base_is_gos() {
        assert_eq!(go_base("a/x"), "x");
        assert_eq!(go_base(".."), "..");
        assert_eq!(go_base("x/"), "x");
        assert_eq!(go_base("/"), "/");
    }
}

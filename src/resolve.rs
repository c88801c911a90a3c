//! Component → image: registry, repository and tag with the key and origin that decided each,
//! rendered exactly as the chart's template would print them.

use crate::catalog::{Catalog, Component, Style};
use crate::release::Release;
use crate::value::{Map, Node, Origin, Value};
use crate::version::Version;

/// One part (registry, repository or tag) of an image.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The full dotted key that decided it (the last one tried when none was set).
    pub key: String,
    /// Where the deciding value came from (`None` when the key is missing altogether).
    pub origin: Option<Origin>,
    /// The value Helm holds there.
    pub value: Option<Value>,
    /// The text as it appears in the reference.
    pub text: String,
    /// Every key tried, in order, with whether it was set (non-empty).
    pub tried: Vec<(String, bool)>,
}

/// The image one component pulls.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// The catalogue entry's id.
    pub component: String,
    /// Human description.
    pub name: String,
    /// The subchart path the component belongs to.
    pub chart: Vec<String>,
    /// Registry part; `None` when the registry lives inside the repository.
    pub registry: Option<Part>,
    /// Repository part (suffix included in `text`).
    pub repository: Part,
    /// The repository suffix part, when the template appends one.
    pub suffix: Option<Part>,
    /// Tag part.
    pub tag: Part,
    /// `false` when the tag is chosen by a subchart whose defaults are unknown (spotlight).
    pub tag_known: bool,
    /// The reference as rendered.
    pub reference: String,
    /// Whether the template ignores `global.imageRegistry`.
    pub ignores_global: bool,
}

/// What kind of value breaks the render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// A null printed into the image line breaks the manifest's YAML.
    NullPrinted,
    /// The chart needs a string and got a number, boolean or null.
    NotAString,
    /// A map the template reads through is missing or null.
    MissingMap,
    /// A map the template reads through is a scalar or list.
    NotAMap,
    /// The printed image is not valid YAML for another reason.
    InvalidYaml,
    /// Helm's merge fails (a scalar where a subchart's values belong).
    TypeMismatch,
    /// A template stops the render (`fail`, `required`, a function's error).
    Failed,
}

/// Why Helm would fail to render the release.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderFailure {
    /// The kind of failure.
    pub kind: FailureKind,
    /// The component whose template fails (or `values` for a merge failure).
    pub component: String,
    /// The full dotted key at fault.
    pub key: String,
    /// Every key whose null value contributes (the key at fault first).
    pub null_keys: Vec<String>,
    /// The origin of the value at fault, if the user wrote it.
    pub origin: Option<Origin>,
    /// What Helm does and why.
    pub message: String,
}

/// Every image of a release, plus the reasons it would not render.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    /// Images of deployed components, in catalogue order.
    pub images: Vec<Image>,
    /// Components configured but not deployed (id, subchart path, the condition that is off).
    pub skipped: Vec<(String, Vec<String>)>,
    /// Render failures.
    pub failures: Vec<RenderFailure>,
}

impl Resolution {
    /// Failures grouped by the key at fault: (failure, ids of every component it breaks).
    pub fn grouped_failures(&self) -> Vec<(&RenderFailure, Vec<&str>)> {
        let mut groups: Vec<(&RenderFailure, Vec<&str>)> = Vec::new();
        for f in &self.failures {
            match groups.iter_mut().find(|(g, _)| g.key == f.key) {
                Some((_, ids)) => ids.push(&f.component),
                None => groups.push((f, vec![&f.component])),
            }
        }
        groups
    }

    /// Distinct rendered references, sorted (what `helm template | grep image: | sort -u` shows).
    pub fn distinct(&self) -> Vec<String> {
        let mut refs: Vec<String> = self.images.iter().map(|i| i.reference.clone()).collect();
        refs.sort();
        refs.dedup();
        refs
    }
}

/// The result of reading a key as a Go template does.
enum Lookup<'a> {
    /// The key holds a value (possibly `null`).
    Found(&'a Node),
    /// The last key is absent.
    Missing,
    /// An intermediate map is missing, null or not a map: the template fails.
    Broken { at: String, origin: Option<Origin> },
}

fn lookup<'a>(values: &'a Map, key: &str) -> Lookup<'a> {
    let parts: Vec<&str> = key.split('.').collect();
    let mut map = values;
    for (i, part) in parts.iter().enumerate() {
        let node = map.get(*part);
        if i + 1 == parts.len() {
            return node.map_or(Lookup::Missing, Lookup::Found);
        }
        match node {
            Some(Node {
                value: Value::Map(m),
                ..
            }) => map = m,
            Some(n) => {
                return Lookup::Broken {
                    at: parts[..=i].join("."),
                    origin: Some(n.origin.clone()),
                };
            }
            None => {
                return Lookup::Broken {
                    at: parts[..=i].join("."),
                    origin: None,
                };
            }
        }
    }
    Lookup::Missing
}

/// Resolves every component of the catalogue for `release`.
pub fn resolve(release: &Release, catalog: &Catalog) -> Resolution {
    let mut out = Resolution::default();
    if let Some(f) = &release.failure {
        out.failures.push(RenderFailure {
            null_keys: Vec::new(),
            kind: FailureKind::TypeMismatch,
            component: "values".into(),
            key: f.path.clone(),
            origin: Some(f.origin.clone()),
            message: f.message.clone(),
        });
        return out;
    }
    // A chart without a usable version gets the newest rules.
    let version = Version::parse(&release.chart.version)
        .or_else(|| Version::parse(crate::builtin::newest()))
        .unwrap_or_else(Version::zero);
    for c in catalog.for_chart(&release.chart.name, &version) {
        if !release.is_enabled(&c.chart) {
            out.skipped.push((c.id.clone(), c.chart.clone()));
            continue;
        }
        let Some(values) = release.values_at(&c.chart) else {
            continue;
        };
        if !conditions_hold(c, values) {
            out.skipped.push((c.id.clone(), c.chart.clone()));
            continue;
        }
        match resolve_component(c, values) {
            Ok(img) => out.images.push(img),
            Err(f) => {
                let mut f = *f;
                // A null the user wrote is gone from the merged values: find where it was written.
                if f.origin.is_none() {
                    f.origin = user_origin(&release.user, &f.key);
                }
                out.failures.push(f);
            }
        }
    }
    out
}

/// The origin of what the user wrote at a dotted key (before merging with the chart).
pub fn user_origin(user: &Map, key: &str) -> Option<Origin> {
    match lookup(user, key) {
        Lookup::Found(n) => Some(n.origin.clone()),
        _ => None,
    }
}

fn conditions_hold(c: &Component, values: &Map) -> bool {
    c.when.iter().all(|cond| {
        cond.any.iter().any(|(negated, key)| {
            let truthy = match lookup(values, key) {
                Lookup::Found(n) => !n.value.is_empty(),
                _ => false,
            };
            truthy != *negated
        })
    })
}

/// Picks the first non-empty of `keys` (Go `default`); when none is, the last one as it is.
fn pick(c: &Component, values: &Map, keys: &[String]) -> Result<Picked, Box<RenderFailure>> {
    let mut tried = Vec::new();
    let mut chosen: Option<(String, Option<Node>)> = None;
    for key in keys {
        // NOTE: `global.imageRegistry` is only read inside `if .Values.global`, so a missing
        // or null `global` is no failure.
        let guarded = key.starts_with("global.");
        let found = match lookup(values, key) {
            Lookup::Found(n) => Some(n.clone()),
            Lookup::Missing => None,
            Lookup::Broken { .. } if guarded => None,
            Lookup::Broken { at, origin } => {
                let kind = match origin {
                    Some(_)
                        if !matches!(
                            lookup(values, &at),
                            Lookup::Found(Node {
                                value: Value::Null,
                                ..
                            })
                        ) =>
                    {
                        FailureKind::NotAMap
                    }
                    _ => FailureKind::MissingMap,
                };
                return Err(Box::new(RenderFailure {
                    null_keys: vec![c.full_key(&at)],
                    kind,
                    component: c.id.clone(),
                    key: c.full_key(key),
                    origin,
                    message: format!(
                        "`{}` is missing or not a map, so the template fails reading `{}` (nil pointer evaluating interface {{}})",
                        c.full_key(&at),
                        c.full_key(key)
                    ),
                }));
            }
        };
        let set = found.as_ref().is_some_and(|n| !n.value.is_empty());
        tried.push((c.full_key(key), set));
        let last = keys.last().is_some_and(|k| k == key);
        if chosen.is_none() && (set || last) {
            chosen = Some((key.clone(), found));
        }
    }
    let (key, node) = chosen.unwrap_or_default();
    Ok((key, node, tried))
}

const NO_VALUE: &str = "<no value>";

fn resolve_component(c: &Component, values: &Map) -> Result<Image, Box<RenderFailure>> {
    let registry = match &c.registry {
        Some(keys) => Some(pick(c, values, keys)?),
        None => None,
    };
    let repository = pick(c, values, std::slice::from_ref(&c.repository))?;
    let suffix = match &c.suffix {
        Some(k) => Some(pick(c, values, std::slice::from_ref(k))?),
        None => None,
    };
    let tag = pick(c, values, &c.tag)?;
    let tag_known = !(c.tag_unknown_default && tag.1.as_ref().is_none_or(|n| n.value.is_empty()));

    if c.tag_string {
        let got = tag.1.as_ref().map(|n| &n.value);
        if !matches!(got, Some(Value::Str(_))) {
            let what = match got {
                None | Some(Value::Null) => "nothing".to_string(),
                Some(v) => format!("a {} ({})", v.type_name(), v.render().unwrap_or_default()),
            };
            return Err(Box::new(RenderFailure {
                null_keys: Vec::new(),
                kind: FailureKind::NotAString,
                component: c.id.clone(),
                key: c.full_key(&tag.0),
                origin: tag.1.as_ref().map(|n| n.origin.clone()),
                message: format!(
                    "`{}` must be a string: the chart splits it on \".\" to find the major version, and Helm fails with \"wrong type for value; expected string\" on {what}; quote it",
                    c.full_key(&tag.0)
                ),
            }));
        }
    }

    let print = |node: &Option<Node>, is_tag: bool| -> String {
        let v = node.as_ref().map(|n| &n.value);
        match c.style {
            Style::ToYaml => v.and_then(Value::render).unwrap_or_else(|| NO_VALUE.into()),
            Style::Quoted => v.and_then(Value::render).unwrap_or_default(),
            Style::Bitnami if is_tag => v.and_then(Value::render).unwrap_or_else(|| "<nil>".into()),
            Style::Bitnami => go_percent_s(v),
        }
    };
    let reg_text = registry.as_ref().map(|r| print(&r.1, false));
    let repo_text = print(&repository.1, false);
    let suffix_text = suffix
        .as_ref()
        .map(|s| print(&s.1, false))
        .unwrap_or_default();
    let tag_text = if tag_known {
        print(&tag.1, true)
    } else {
        String::new()
    };
    let mut raw = String::new();
    if let Some(r) = &reg_text {
        raw.push_str(r);
        raw.push('/');
    }
    raw.push_str(&repo_text);
    raw.push_str(&suffix_text);
    if tag_known {
        raw.push(':');
        raw.push_str(&tag_text);
    }

    let reference = match c.style {
        Style::ToYaml => {
            let stripped = raw.replace(NO_VALUE, "");
            // toYaml decided on quoting while the placeholder was still there; if it wrote the
            // reference plain, the stripped text must still parse as a plain YAML scalar.
            if raw != stripped && plain_allowed(&raw) && !plain_allowed(&stripped) {
                let (key, origin) =
                    blame_null(c, &[&tag, &repository], suffix.as_ref(), registry.as_ref());
                let null_keys = null_keys(
                    c,
                    &[
                        registry.as_ref(),
                        Some(&repository),
                        suffix.as_ref(),
                        Some(&tag),
                    ],
                );
                return Err(Box::new(RenderFailure {
                    null_keys,
                    kind: FailureKind::NullPrinted,
                    component: c.id.clone(),
                    message: format!(
                        "`{key}` is null: the template prints \"<no value>\", Helm strips it after the container spec was serialised, and the manifest line `image: {stripped}` is no longer valid YAML (\"mapping values are not allowed in this context\")"
                    ),
                    key,
                    origin,
                }));
            }
            stripped
        }
        Style::Bitnami => {
            if !plain_allowed(&raw) {
                let (key, origin) = blame_null(c, &[&repository, &tag], None, registry.as_ref());
                let kind = if raw.contains("(<nil>)") {
                    FailureKind::NullPrinted
                } else {
                    FailureKind::InvalidYaml
                };
                let null_keys = null_keys(c, &[registry.as_ref(), Some(&repository), Some(&tag)]);
                return Err(Box::new(RenderFailure {
                    null_keys,
                    kind,
                    component: c.id.clone(),
                    message: format!(
                        "the image renders as `{raw}` on an unquoted line, which is not valid YAML (Helm fails with a YAML parse error); `{key}` must be a non-null string"
                    ),
                    key,
                    origin,
                }));
            }
            raw
        }
        Style::Quoted => raw,
    };

    let part =
        |(key, node, tried): (String, Option<Node>, Vec<(String, bool)>), text: String| Part {
            key: c.full_key(&key),
            origin: node.as_ref().map(|n| n.origin.clone()),
            value: node.map(|n| n.value),
            text,
            tried,
        };
    Ok(Image {
        component: c.id.clone(),
        name: c.name.clone(),
        chart: c.chart.clone(),
        registry: registry.map(|r| {
            part(
                r,
                reg_text.clone().unwrap_or_default().replace(NO_VALUE, ""),
            )
        }),
        repository: part(
            repository,
            format!("{repo_text}{suffix_text}").replace(NO_VALUE, ""),
        ),
        suffix: suffix.map(|s| {
            let t = print(&s.1, false).replace(NO_VALUE, "");
            part(s, t)
        }),
        tag: part(tag, tag_text.replace(NO_VALUE, "")),
        tag_known,
        reference,
        ignores_global: c.ignores_global,
    })
}

/// The key that decided a part, its node, and every key tried (with whether it was set).
type Picked = (String, Option<Node>, Vec<(String, bool)>);

/// The full keys of the parts that are null or missing.
fn null_keys(c: &Component, parts: &[Option<&Picked>]) -> Vec<String> {
    parts
        .iter()
        .flatten()
        .filter(|p| p.1.as_ref().is_none_or(|n| n.value == Value::Null))
        .map(|p| c.full_key(&p.0))
        .collect()
}

/// The first null (or non-string, for bitnami) part, by the order given, for a failure message.
fn blame_null(
    c: &Component,
    parts: &[&Picked],
    suffix: Option<&Picked>,
    registry: Option<&Picked>,
) -> (String, Option<Origin>) {
    let bad = |p: &Picked| {
        !matches!(
            p.1.as_ref().map(|n| &n.value),
            Some(Value::Str(_))
                | Some(Value::Float(_))
                | Some(Value::Int(_))
                | Some(Value::Bool(_))
        )
    };
    let mut candidates: Vec<&Picked> = Vec::new();
    if let Some(r) = registry {
        candidates.push(r);
    }
    candidates.extend(parts.iter().copied());
    if let Some(s) = suffix {
        candidates.push(s);
    }
    let chosen = candidates
        .iter()
        .find(|p| bad(p))
        .or(candidates.first())
        .copied();
    match chosen {
        Some(p) => (c.full_key(&p.0), p.1.as_ref().map(|n| n.origin.clone())),
        None => (c.id.clone(), None),
    }
}

/// Go's `printf "%s"` of a value.
fn go_percent_s(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "%!s(<nil>)".into(),
        Some(Value::Str(s)) => s.clone(),
        Some(Value::Float(_)) => format!(
            "%!s(float64={})",
            v.and_then(Value::render).unwrap_or_default()
        ),
        Some(Value::Int(i)) => format!("%!s(int64={i})"),
        Some(Value::Bool(b)) => format!("%!s(bool={b})"),
        Some(other @ Value::Map(_)) => format!(
            "%!s(map[string]interface {{}}={})",
            other.render().unwrap_or_default()
        ),
        Some(other @ Value::Seq(_)) => format!(
            "%!s([]interface {{}}={})",
            other.render().unwrap_or_default()
        ),
    }
}

/// Whether go-yaml would write `s` as a plain scalar (and read it back as the same string).
pub fn plain_allowed(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace) {
        return false;
    }
    if "[]{},#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if "-?:".contains(first) && s.chars().nth(1).is_none_or(char::is_whitespace) {
        return false;
    }
    if s.ends_with(':') || s.contains(": ") || s.contains(" #") || s.contains('\n') {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars() {
        assert!(plain_allowed("quay.io/stackstate/kafka:2.3"));
        assert!(plain_allowed("/stackstate/kafka:2.3"));
        assert!(plain_allowed("quay.io/x:<no value>"));
        assert!(!plain_allowed("quay.io/x:"));
        assert!(!plain_allowed("%!s(<nil>)/stackstate/kafka:1"));
        assert!(!plain_allowed(""));
    }

    #[test]
    fn percent_s_formats_like_go() {
        assert_eq!(go_percent_s(None), "%!s(<nil>)");
        assert_eq!(go_percent_s(Some(&Value::Float(4.1))), "%!s(float64=4.1)");
        assert_eq!(go_percent_s(Some(&Value::Bool(true))), "%!s(bool=true)");
    }
}

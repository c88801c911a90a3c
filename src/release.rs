//! A release: chart defaults + `-f` files + `--set` arguments, merged as Helm merges them.

use std::sync::Arc;

use crate::chart::Chart;
use crate::helm_log;
use crate::merge::{self, CoalesceError, HelmVersion};
use crate::set;
use crate::source::{FileId, SourceFile, Sources, Span};
use crate::value::{Map, Node, Origin, SetKind, Value};
use crate::yaml::{Limits, YamlFile};

use crate::error::InputError;

/// One loaded values file. Cheap to clone: a `-f` file is part of the release of every PATH.
#[derive(Debug, Clone)]
pub struct ValuesFile {
    /// Its text in the source set.
    pub(crate) id: FileId,
    /// What the YAML loader saw besides the values: duplicates, document starts, scalar spans.
    /// Its `documents` are empty: their values were moved into [`ValuesFile::values`] (a copy
    /// of every value tree more than doubled the memory a large file takes).
    pub(crate) yaml: Arc<YamlFile>,
    /// How many YAML documents the file holds, and how many of them are not empty.
    pub(crate) documents: usize,
    /// See [`ValuesFile::documents`].
    pub(crate) filled_documents: usize,
    /// The values Helm takes from it: the first document (Helm 3) or all merged (Helm 4).
    pub(crate) values: Arc<Map>,
    /// Where text that Helm never reads starts: past the first document, when what follows
    /// is not YAML (Helm 3), or after a `...` line up to the next `---` line (Helm 4).
    pub(crate) unread: Option<usize>,
}

/// Reads and parses a values file's text.
pub fn load_values(
    name: &str,
    text: impl Into<Arc<str>>,
    sources: &mut Sources,
    helm: HelmVersion,
    limits: &Limits,
) -> Result<ValuesFile, InputError> {
    let id = sources.add(SourceFile::new(name, text));
    let text = sources.get(id).text.clone();
    let crate::values_read::Read { mut yaml, unread } =
        crate::values_read::read(id, name, &text, limits, helm.is_v4())
            .map_err(|e| InputError::at(sources, e.span(), e.user_message()))?;
    // Helm 3 reads values files with go-yaml v2, which gives a block scalar running to the end
    // of a text without a final line break no final break; Helm 4's reader (go-yaml v3) and
    // ours give it one.
    if !helm.is_v4()
        && !text.ends_with(['\n', '\r'])
        && let Some(last) = yaml.documents.last_mut()
    {
        crate::template::funcs::helm_yaml::unbreak_final_block_scalar(last, &text);
    }
    let documents = yaml.documents.len();
    let filled_documents = yaml
        .documents
        .iter()
        .filter(|d| !d.value.is_empty())
        .count();
    let used = if helm.merges_all_documents() {
        documents
    } else {
        documents.min(1)
    };
    let mut values = Map::new();
    for doc in yaml.documents.drain(..).take(used) {
        match doc.value {
            Value::Map(m) => merge::merge_user(&mut values, m),
            Value::Null => {}
            other => {
                let span = doc.origin.user_span().unwrap_or(Span::new(id, 0, 0));
                return Err(InputError::at(
                    sources,
                    span,
                    format!(
                        "a values file must be a map of keys, but this document is a {}",
                        other.type_name()
                    ),
                ));
            }
        }
    }
    yaml.documents = Vec::new();
    Ok(ValuesFile {
        id,
        yaml: Arc::new(yaml),
        documents,
        filled_documents,
        values: Arc::new(values),
        unread,
    })
}

/// An argument of one of the `--set` flags.
#[derive(Debug, Clone, PartialEq)]
pub struct SetArg {
    /// The argument text (`a.b=c,d=e`).
    pub text: String,
    /// Which flag.
    pub kind: SetKind,
}

/// Everything Helm would compute for one release.
#[derive(Debug, Clone)]
pub struct Release<'c> {
    /// The chart.
    pub(crate) chart: &'c Chart,
    /// Helm semantics used.
    pub(crate) helm: HelmVersion,
    /// User values: files then `--set`, merged, before the chart defaults.
    pub(crate) user: Map,
    /// Final values the templates see (enabled subcharts only).
    pub values: Map,
    /// Dependency paths (dotted) of subcharts that deploy, and of declared dependencies no
    /// subchart stands for that stay on (see [`Chart::unfilled`]).
    pub enabled: Vec<String>,
    /// Dependency paths of subcharts switched off by a condition or tag.
    pub disabled: Vec<String>,
    /// A coalescing error that stops Helm's render.
    pub(crate) failure: Option<CoalesceError>,
    /// Stand-in subcharts the values would deploy but the render leaves out, with the note
    /// that says so (see [`crate::stand_in`]).
    pub(crate) left_out: Vec<(String, std::sync::Arc<str>)>,
    /// What Helm logs while it decides the dependencies (a tag or condition that is not a
    /// boolean), in its words and order.
    pub(crate) log: Vec<String>,
    /// The name it will be installed under, when the user gave one (`--release-name`): the
    /// chart names objects after it, and pods name those objects (their pull secret).
    pub(crate) name: Option<String>,
}

/// Merges user layers in Helm's order (`pkg/cli/values/options.go`): files, then every
/// `--set-json`, `--set`, `--set-string`, `--set-file`, `--set-literal`, each flag's arguments in
/// the order given. `read_file` reads `--set-file` paths.
pub fn user_values(
    files: &[ValuesFile],
    sets: &[SetArg],
    helm: HelmVersion,
    read_file: &mut set::FileReader,
) -> Result<Map, InputError> {
    let mut user = Map::new();
    for f in files {
        merge::merge_user(&mut user, Map::clone(&f.values));
    }
    for kind in SetKind::ALL {
        for (i, arg) in sets.iter().filter(|a| a.kind == kind).enumerate() {
            let n = i + 1;
            let located = |message: String| {
                InputError::new(
                    format!("{} #{n} `{}`", kind.flag(), shorten(&arg.text)),
                    message,
                )
            };
            // Helm 4 also takes a whole JSON object, merged like a values file.
            let trimmed = arg.text.trim();
            if kind == SetKind::Json && helm.is_v4() && trimmed.starts_with('{') {
                let origin = Origin::Set {
                    index: n,
                    arg: arg.text.as_str().into(),
                    kind,
                };
                let value = serde_json::from_str::<serde_json::Value>(
                    &set::lone_surrogates_replaced(trimmed),
                )
                .map_err(|e| located(format!("invalid JSON object: {e}")))?;
                let ticket = set::node_ticket(kind, &arg.text);
                let nodes = set::json_nodes(&value);
                if nodes > ticket.nodes_left {
                    return Err(located(set::too_many_values(ticket.run_max)));
                }
                ticket.charge(nodes);
                match set::json_to_value(value, &origin) {
                    Value::Map(m) => merge::merge_user(&mut user, m),
                    _ => return Err(located("invalid JSON object".into())),
                }
                continue;
            }
            match set::parse_kind_into(&arg.text, &mut user, n, kind, read_file) {
                Err(e) if e.wraps_eof && helm.is_v4() => {}
                other => other.map_err(|e| located(e.message))?,
            }
        }
    }
    Ok(user)
}

/// An argument as quoted in a message: long ones (up to the 128 KiB a shell passes) cut short.
fn shorten(text: &str) -> String {
    const MAX_CHARS: usize = 80;
    match text.char_indices().nth(MAX_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

impl<'c> Release<'c> {
    /// Coalesces `user` with `chart` under `helm`'s semantics.
    pub fn build(chart: &'c Chart, user: Map, helm: HelmVersion) -> Release<'c> {
        if !helm.models(chart) {
            return Release::build_on_shared_maps(chart, user, helm);
        }
        // Conditions are read from the values with every subchart present, as Helm does.
        let mut left_out = Vec::new();
        let mut log = Log {
            lines: Vec::new(),
            helm4: helm.is_v4(),
            at: helm.build().dependencies_log_lines(),
        };
        let (enabled, disabled, failure) = match merge::coalesce(chart, user.clone(), helm, None) {
            Ok(all) => {
                let mut on = Vec::new();
                let mut off = Vec::new();
                let tags = all.get("tags").and_then(Node::as_map).cloned();
                let tags = tags.unwrap_or_default();
                let level = Level {
                    root: &all,
                    prefix: "",
                    tags: &tags,
                };
                walk_conditions(chart, &level, &mut on, (&mut off, &mut left_out), &mut log);
                (on, off, None)
            }
            Err(e) => (Vec::new(), Vec::new(), Some(e)),
        };
        let filter = |path: &[&str]| enabled.iter().any(|e| *e == path.join("."));
        let failure = failure.or_else(|| merge::import_step_failure(chart, helm, &filter));
        let (values, failure) = match failure {
            Some(f) => (user.clone(), Some(f)),
            None => match merge::coalesce(chart, user.clone(), helm, Some(&filter)) {
                Ok(v) => (v, None),
                Err(e) => (user.clone(), Some(e)),
            },
        };
        Release {
            chart,
            helm,
            user,
            values,
            enabled,
            disabled,
            failure,
            left_out,
            log: log.lines,
            name: None,
        }
    }

    /// [`Release::build`] for a release the model does not cover ([`HelmVersion::modelled`]):
    /// Helm's own steps as that release wrote them ([`crate::merge::shared_maps`]), the import
    /// step included.
    fn build_on_shared_maps(chart: &'c Chart, user: Map, helm: HelmVersion) -> Release<'c> {
        let out = crate::merge::shared_maps::release(chart, &user, helm.build());
        Release {
            chart,
            helm,
            values: if out.failure.is_some() {
                user.clone()
            } else {
                out.values
            },
            user,
            enabled: out.enabled,
            disabled: out.disabled,
            failure: out.failure,
            left_out: out.left_out,
            log: out.log,
            name: None,
        }
    }

    /// Whether the subchart at a dependency path deploys (`[]` is the chart itself).
    pub fn is_enabled(&self, path: &[String]) -> bool {
        path.is_empty() || self.enabled.iter().any(|e| *e == path.join("."))
    }

    /// The final values under a subchart path.
    pub fn values_at(&self, path: &[String]) -> Option<&Map> {
        let mut map = &self.values;
        for key in path {
            map = map.get(key)?.as_map()?;
        }
        Some(map)
    }
}

/// Where [`walk_conditions`] stands: the coalesced values, the path of the chart's values in
/// them (`kafka.`), and the `tags` table its dependencies are read against.
struct Level<'a> {
    root: &'a Map,
    prefix: &'a str,
    /// Helm coalesces each subchart's own defaults into the top of the values before it
    /// processes that subchart's dependencies, so a subchart's `tags:` defaults count for its
    /// dependencies (below the values the parent already had).
    tags: &'a Map,
}

/// Helm's `processDependencyEnabled`: tags first, then the first condition that is a boolean.
/// What Helm logs on the way goes to `log`, in its order: the tags of every dependency of a
/// chart, then their conditions, then the same for each subchart that stays. A declared
/// dependency no subchart stands for ([`Chart::unfilled`]) that stays on counts as on.
fn walk_conditions(
    chart: &Chart,
    level: &Level<'_>,
    on: &mut Vec<String>,
    (off, left_out): (&mut Vec<String>, &mut Vec<(String, std::sync::Arc<str>)>),
    log: &mut Log,
) {
    let switches: Vec<Switch<'_>> = (chart.dependencies.iter())
        .map(|d| Switch::new(&d.key, &d.conditions, &d.tags))
        .chain((chart.unfilled.iter()).map(|u| Switch::new(&u.key, &u.conditions, &u.tags)))
        .collect();
    let by_tags: Vec<bool> = (switches.iter())
        .map(|sw| tags_enabled(sw, level, log))
        .collect();
    let by_condition: Vec<Option<bool>> = (switches.iter())
        .map(|sw| condition(sw, level, log))
        .collect();
    let mut states = by_tags.into_iter().zip(by_condition);
    for (dep, (tags, cond)) in chart.dependencies.iter().zip(&mut states) {
        let path = format!("{}{}", level.prefix, dep.key);
        let enabled = cond.unwrap_or(tags);
        if let (true, Some(note)) = (enabled, &dep.stand_in) {
            left_out.push((path.clone(), note.clone()));
        }
        if enabled && dep.stand_in.is_none() {
            on.push(path.clone());
            let mut tags = level.tags.clone();
            if let Some(own) = dep.chart.values.get_path(&["tags"]).and_then(Node::as_map) {
                for (k, v) in own {
                    tags.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            let prefix = format!("{path}.");
            let next = Level {
                root: level.root,
                prefix: &prefix,
                tags: &tags,
            };
            walk_conditions(&dep.chart, &next, on, (off, left_out), log);
        } else {
            off.push(path.clone());
            collect_all(&dep.chart, &format!("{path}."), off);
        }
    }
    for (unfilled, (tags, cond)) in chart.unfilled.iter().zip(states) {
        if cond.unwrap_or(tags) {
            on.push(format!("{}{}", level.prefix, unfilled.key));
        }
    }
}

/// What switches a dependency on or off: its key in the parent's values, conditions, tags.
struct Switch<'a> {
    key: &'a str,
    conditions: &'a [String],
    tags: &'a [String],
}

impl<'a> Switch<'a> {
    fn new(key: &'a str, conditions: &'a [String], tags: &'a [String]) -> Self {
        Switch {
            key,
            conditions,
            tags,
        }
    }
}

fn collect_all(chart: &Chart, prefix: &str, off: &mut Vec<String>) {
    for dep in &chart.dependencies {
        let path = format!("{prefix}{}", dep.key);
        off.push(path.clone());
        collect_all(&dep.chart, &format!("{path}."), off);
    }
}

/// What Helm logs while it decides dependencies, and for which Helm.
struct Log {
    lines: Vec<String>,
    helm4: bool,
    /// The source lines Helm 3 names (see [`crate::helm_build::HelmBuild::dependencies_log_lines`]).
    at: [u16; 4],
}

/// Helm's `processDependencyTags` for one dependency: on unless its tags hold a `false` and
/// no `true` (a tag that is not a boolean is logged and counts for neither).
fn tags_enabled(dep: &Switch<'_>, level: &Level<'_>, log: &mut Log) -> bool {
    let (mut any_true, mut any_false) = (false, false);
    for tag in dep.tags {
        match level.tags.get(tag).map(|n| &n.value) {
            None => {}
            Some(Value::Bool(b)) => {
                any_true |= *b;
                any_false |= !*b;
            }
            Some(_) => log.lines.push(
                helm_log::DependencyWarning::Tag {
                    tag,
                    chart: dep.key,
                }
                .logged(log.at, log.helm4),
            ),
        }
    }
    any_true || !any_false
}

/// Helm's `processDependencyConditions` for one dependency: the first condition whose value
/// is a boolean; a value there that is neither a boolean nor a table is logged and skipped.
fn condition(dep: &Switch<'_>, level: &Level<'_>, log: &mut Log) -> Option<bool> {
    for cond in dep.conditions {
        let full = format!("{}{cond}", level.prefix);
        let mut node: Option<&Node> = None;
        let mut map = Some(level.root);
        for part in full.split('.') {
            node = map.and_then(|m| m.get(part));
            map = node.and_then(Node::as_map);
        }
        match node.map(|n| &n.value) {
            Some(Value::Bool(b)) => return Some(*b),
            None | Some(Value::Map(_)) => {}
            Some(_) => log.lines.push(
                helm_log::DependencyWarning::Condition {
                    path: cond,
                    chart: dep.key,
                }
                .logged(log.at, log.helm4),
            ),
        }
    }
    None
}

/// Where a node came from, for people: `values.yaml:12:5`, `chart default (stackstate 4.4.0)`,
/// `--set #2`.
pub(crate) fn describe_origin(origin: &Origin, sources: &Sources) -> String {
    match origin {
        Origin::Chart(label) => format!("chart default ({label})"),
        Origin::File { key, value } => sources.describe(key.unwrap_or(*value)),
        Origin::Set { index, kind, .. } => format!("{} #{index}", kind.flag()),
        Origin::Synthetic => "(none)".into(),
    }
}

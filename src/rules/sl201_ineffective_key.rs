//! SL201: a key the chart never reads — above all the documented-but-wrong ones — with the key
//! the chart really reads (`rules/ineffective-keys.yaml`).

use std::sync::OnceLock;

use crate::diagnostic::Finding;
use crate::key_path::KeyPath;
use crate::lint::Context;
use crate::lint::context::walk;
use crate::lint::usage::Why;
use crate::release::describe_origin;
use crate::source::FileId;
use crate::value::Value;
use crate::version::{Version, VersionReq};
use crate::yaml::{self, Limits};

super::declare_rule! {
    code: "SL201",
    name: "ineffective-key",
    severity: Warning,
    summary: "A key the chart never reads (often copied from the documentation)",
}

/// One entry of `rules/ineffective-keys.yaml`.
pub struct Entry {
    /// Per segment: the keys it matches (`None` = any).
    pub segments: Vec<Option<Vec<String>>>,
    /// The charts it applies to (by name): versions of different charts say nothing about each
    /// other.
    pub charts: Vec<String>,
    /// Where it applies.
    pub versions: VersionReq,
    /// What the chart reads instead.
    pub reads: String,
    /// The key the same block belongs under, when moving it is the fix.
    pub move_to: Option<String>,
}

impl Entry {
    fn matches(&self, key: &str, chart: &str, version: &Version) -> bool {
        let path = KeyPath::parse_key(key);
        let parts = path.keys();
        parts.len() == self.segments.len()
            && self.charts.iter().any(|c| c == chart)
            && self.versions.matches(version)
            && parts
                .iter()
                .zip(&self.segments)
                .all(|(p, s)| s.as_ref().is_none_or(|alts| alts.iter().any(|a| a == p)))
    }
}

/// The entries, parsed once.
pub fn entries() -> &'static [Entry] {
    static ENTRIES: OnceLock<Vec<Entry>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        let text = include_str!("../../rules/ineffective-keys.yaml");
        // The tool's own data: not charged to the run's budget (as in SL101's table).
        let loaded =
            crate::budget::uncharged(|| yaml::load(FileId(u32::MAX), text, &Limits::default()));
        let Ok(file) = loaded else {
            return Vec::new();
        };
        let Some(root) = file.documents.first() else {
            return Vec::new();
        };
        let Some(Value::Seq(items)) = root.get_path(&["keys"]).map(|n| n.value.clone()) else {
            return Vec::new();
        };
        let default_chart = root
            .get_path(&["chart"])
            .and_then(|v| v.value.render())
            .unwrap_or_default();
        items
            .iter()
            .filter_map(|item| {
                let key = item.get_path(&["key"])?.value.render()?;
                let reads = item.get_path(&["reads"])?.value.render()?;
                let versions = item
                    .get_path(&["versions"])
                    .and_then(|v| v.value.render())
                    .and_then(|v| VersionReq::parse(&v).ok())
                    .unwrap_or_default();
                let segments = KeyPath::parse(&key)
                    .keys()
                    .iter()
                    .map(|s| (s != "*").then(|| s.split('|').map(String::from).collect()))
                    .collect();
                let move_to = item.get_path(&["move_to"]).and_then(|v| v.value.render());
                let charts = item
                    .get_path(&["chart"])
                    .and_then(|v| v.value.render())
                    .unwrap_or_else(|| default_chart.clone())
                    .split('|')
                    .map(String::from)
                    .collect();
                Some(Entry {
                    segments,
                    charts,
                    versions,
                    reads,
                    move_to,
                })
            })
            .collect()
    })
}

/// The entry for a dotted key in a version of the chart named `chart`, if it never reads it.
pub fn ineffective(key: &str, chart: &str, version: &Version) -> Option<&'static Entry> {
    entries().iter().find(|e| e.matches(key, chart, version))
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    if cx.usage.is_some() {
        check_rendered(cx, out);
        return;
    }
    let mut keys = Vec::new();
    walk(&cx.release.user, "", &mut keys);
    let mut reported: Vec<String> = Vec::new();
    for (key, node) in keys {
        if reported.iter().any(|r| key.starts_with(&format!("{r}."))) {
            continue;
        }
        let Some(entry) = ineffective(&key, &cx.chart().name, &cx.version) else {
            continue;
        };
        reported.push(key.clone());
        let mut f = Finding::new(
            &META,
            format!("the chart never reads `{key}`: it has no effect"),
        )
        .at(
            node.origin.user_span().or_else(|| cx.nearest_written(&key)),
            "ignored by the chart",
        )
        .key(key.clone())
        .help(format!("the chart reads {}", entry.reads));
        if let Some(fix) = entry
            .move_to
            .as_deref()
            .and_then(|to| crate::fix::move_block_fix(cx, &key, to))
        {
            f = f.fix(fix);
        }
        out.push(f);
    }
}

/// How many unread keys of one release get their switch looked for.
const MAX_SWITCH_SEARCHES: usize = 200;

/// The keys written below a value (relative paths, deepest first), at most a few dozen: the
/// settings the user meant, whose places in the templates say best what switch they wait for.
fn written_under(value: &crate::value::Value) -> Vec<Vec<&str>> {
    fn walk<'v>(v: &'v crate::value::Value, path: &mut Vec<&'v str>, out: &mut Vec<Vec<&'v str>>) {
        if let crate::value::Value::Map(m) = v {
            for (k, n) in m {
                if out.len() >= 32 {
                    return;
                }
                path.push(k);
                walk(&n.value, path, out);
                out.push(path.clone());
                path.pop();
            }
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out.sort_by_key(|p| std::cmp::Reverse(p.len()));
    out
}

/// The help naming the condition of the chart's templates that keeps a key from being read.
fn switch_help(s: &crate::lint::switches::Switch) -> String {
    // One line of the condition, shortened: it is quoted inside a sentence.
    let mut condition = s.condition.split_whitespace().collect::<Vec<_>>().join(" ");
    if condition.chars().count() > 100 {
        condition = condition.chars().take(97).collect::<String>() + "…";
    }
    let keys = s
        .keys
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if s.in_else {
        format!(
            "the chart reads it where `{condition}` ({}) does not hold, and it holds with these \
             values ({keys}): change them to use it, or remove the key",
            s.at
        )
    } else {
        format!(
            "the chart reads it inside `{condition}` ({}), which is false with these values \
             ({keys}): change them to use it, or remove the key",
            s.at
        )
    }
}

/// The call's template and line, and the line cut to 120 characters (with `…`).
fn shown_place(u: &crate::template::Unpicked) -> (String, String) {
    let (at, line) = u.place();
    let line = match line.char_indices().nth(120) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line,
    };
    (at, line)
}

/// The finding for a key whose every read ended in a choosing function that took another value.
fn passed_over(
    cx: &Context,
    key: &str,
    u: &crate::template::Unpicked,
    span: Option<crate::source::Span>,
) -> Finding {
    let (func, shown, picked) = (u.func, &u.shown, &u.picked);
    if u.same
        && let Some(p) = u.picked_from.as_ref()
    {
        return same_as_picked(cx, key, u, p, span);
    }
    let message = match (func, u.empty) {
        ("ternary", _) => format!(
            "`{key}` has no effect with these values: the chart's `ternary` picks `{picked}` instead"
        ),
        (_, true) => format!(
            "`{key}` has no effect: the chart's `{func}` counts `{shown}` as unset and uses `{picked}`"
        ),
        ("coalesce", false) => format!(
            "`{key}` has no effect with these values: the chart's `coalesce` takes `{picked}`, \
             an earlier value, over it"
        ),
        _ => format!(
            "`{key}` has no effect with these values: the chart's `{func}` takes `{picked}` over it"
        ),
    };
    let picked_key = u.picked_from.as_ref().filter(|p| !p.user_path.is_empty());
    let help = match (picked_key, u.empty) {
        (_, true) => format!(
            "`{func}` cannot pass on `{shown}`: remove the key (the release gets `{picked}` either way)"
        ),
        (Some(p), false) => {
            let k = crate::key_path::display(&p.user_path);
            let from = describe_origin(&p.origin, cx.sources);
            if matches!(p.origin, crate::value::Origin::Chart(_)) {
                format!(
                    "the release gets `{k}` ({from}) in its place: set that key instead, or \
                     remove this one"
                )
            } else {
                format!(
                    "`{k}` ({from}) takes its place: remove this key, or that one if this is \
                     the value you want"
                )
            }
        }
        (None, false) => "the template works that value out itself from other settings: change \
                          those, or remove this key"
            .to_string(),
    };
    let (at, line) = shown_place(u);
    Finding::new(&META, message)
        .at(span, "read, but not used")
        .note(None, format!("{at}: {line}"))
        .help(help)
}

/// The finding for a key passed over for another of the user's keys that holds the same value
/// (a component's registry equal to `global.imageRegistry`): harmless today, so info, but the
/// other key alone decides, which the user who wrote both may not know.
fn same_as_picked(
    cx: &Context,
    key: &str,
    u: &crate::template::Unpicked,
    picked: &crate::template::value::Prov,
    span: Option<crate::source::Span>,
) -> Finding {
    let other = crate::key_path::display(&picked.user_path);
    let from = describe_origin(&picked.origin, cx.sources);
    let (at, line) = shown_place(u);
    Finding::new(
        &META,
        format!(
            "`{key}` has no effect: the chart's `{}` takes `{other}` over it, which holds the same value",
            u.func
        ),
    )
    .severity(crate::diagnostic::Severity::Info)
    .at(span, "read, but not used")
    .note(None, format!("{at}: {line}"))
    .help(format!(
        "only `{other}` ({from}) decides: changing it changes the release, changing this key does not; remove this key"
    ))
}

/// Asks the render: every key of the linted file that no template read (outside switched-off
/// subcharts, which SL206 reports, and keys that are not the chart's, which SL202 reports), and
/// every key a later file or `--set` sets again.
fn check_rendered(cx: &Context, out: &mut Vec<Finding>) {
    // Finding a switch parses the templates that name the key: a bound on how many keys of a
    // file ask, so that a file of thousands of unread keys stays quick.
    let mut searches = 0usize;
    for u in cx.unused_keys() {
        let key = &u.key;
        let entry = ineffective(key, &cx.chart().name, &cx.version);
        let span = u
            .node
            .origin
            .user_span()
            .or_else(|| cx.nearest_written(key));
        let f = match &u.why {
            Why::SubchartOff { .. } => continue,
            Why::Outranked(by) => Finding::new(
                &META,
                format!(
                    "`{key}` is set again by {}, which Helm uses: this value has no effect",
                    describe_origin(by, cx.sources)
                ),
            )
            .at(span, "outranked")
            .help("remove one of the two, so that the file says what the release gets"),
            Why::PassedOver(u) => passed_over(cx, key, u, span),
            Why::NotRead => {
                let path = KeyPath::parse_key(key);
                let parts = path.strs();
                if entry.is_none()
                    && super::sl202_unknown_key::is_unknown(cx, key)
                    && !crate::lint::usage::is_mentioned(cx.chart(), &parts)
                {
                    continue;
                }
                let switch = super::sl206_disabled_component::switch_for(cx, key);
                let help = match (entry, switch) {
                    (Some(e), _) => format!("the chart reads {}", e.reads),
                    (None, Some(why)) => format!("{why}; remove the key, or turn on what needs it"),
                    (None, None) => match (searches < MAX_SWITCH_SEARCHES)
                        .then(|| {
                            searches += 1;
                            crate::lint::switches::switch_for(
                                cx.chart(),
                                &cx.release.values,
                                &parts,
                                &written_under(&u.node.value),
                            )
                        })
                        .flatten()
                    {
                        Some(s) => switch_help(&s),
                        None => "the templates read it only with other settings (another mode, a switch \
                             that is off) or in other chart versions; remove it, or turn on what needs it"
                            .to_string(),
                    },
                };
                Finding::new(
                    &META,
                    format!(
                        "no template of {} {} reads `{key}` with these values: it has no effect",
                        cx.chart().name,
                        cx.chart().version
                    ),
                )
                .at(span, "not read by the chart")
                .help(help)
            }
        };
        let mut f = f.key(key.clone());
        if let Some(fix) = entry
            .and_then(|e| e.move_to.as_deref())
            .and_then(|to| crate::fix::move_block_fix(cx, key, to))
        {
            f = f.fix(fix);
        }
        out.push(f);
    }
}

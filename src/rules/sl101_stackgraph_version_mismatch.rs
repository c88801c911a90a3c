//! SL101: StackGraph (HBase) images on different tags, or a StackGraph version that does not
//! pair with the StackState version.

use std::sync::OnceLock;

use super::util::part_location;
use crate::diagnostic::Finding;
use crate::lint::Context;
use crate::resolve::Image;
use crate::source::FileId;
use crate::value::Value;
use crate::version::VersionReq;
use crate::yaml::{self, Limits};

super::declare_rule! {
    code: "SL101",
    name: "stackgraph-version-mismatch",
    severity: Error,
    summary: "StackGraph images disagree on their tag, or do not pair with the StackState version",
}

/// One group of `rules/stackgraph.yaml`: StackGraph's images in some versions of some charts.
struct Group {
    charts: Vec<String>,
    versions: VersionReq,
    /// The key holding the StackGraph tag, where the StackState → StackGraph table applies.
    pairing: Option<String>,
    /// Repository key → what the image is.
    images: Vec<(String, String)>,
}

/// The groups, parsed once.
fn groups() -> &'static [Group] {
    static GROUPS: OnceLock<Vec<Group>> = OnceLock::new();
    GROUPS.get_or_init(|| {
        let text = include_str!("../../rules/stackgraph.yaml");
        let file = crate::budget::uncharged(|| {
            yaml::load(FileId(u32::MAX), text, &Limits::default()).ok()
        });
        let Some(root) = file.and_then(|f| f.documents.into_iter().next()) else {
            return Vec::new();
        };
        let Some(Value::Seq(items)) = root.get_path(&["groups"]).map(|n| n.value.clone()) else {
            return Vec::new();
        };
        let texts = |node: Option<&crate::value::Node>| -> Vec<String> {
            match node.map(|n| &n.value) {
                Some(Value::Seq(xs)) => xs.iter().filter_map(|x| x.value.render()).collect(),
                _ => Vec::new(),
            }
        };
        items
            .iter()
            .map(|item| Group {
                charts: texts(item.get_path(&["charts"])),
                versions: item
                    .get_path(&["versions"])
                    .and_then(|v| v.value.render())
                    .and_then(|v| VersionReq::parse(&v).ok())
                    .unwrap_or_default(),
                pairing: item.get_path(&["pairing"]).and_then(|v| v.value.render()),
                images: match item.get_path(&["images"]).map(|n| &n.value) {
                    Some(Value::Map(m)) => m
                        .iter()
                        .filter_map(|(k, v)| Some((k.clone(), v.value.render()?)))
                        .collect(),
                    _ => Vec::new(),
                },
            })
            .collect()
    })
}

/// The group of the release's chart and version.
fn group_of(cx: &Context) -> Option<&'static Group> {
    let name = &cx.chart().name;
    groups()
        .iter()
        .find(|g| g.charts.iter().any(|c| c == name) && g.versions.matches(&cx.version))
}

/// StackState version → the StackGraph version released with it (`rules/stackgraph-compat.yaml`).
pub fn compat() -> &'static [(String, String)] {
    static PAIRS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        let text = include_str!("../../rules/stackgraph-compat.yaml");
        // The tool's own data, not the user's input: not charged to the run's budget (the
        // thread that first needs it may have none, when a folder is linted on several).
        let file = crate::budget::uncharged(|| {
            yaml::load(FileId(u32::MAX), text, &Limits::default()).ok()
        });
        let mut pairs = Vec::new();
        if let Some(Value::Map(m)) = file
            .and_then(|f| f.documents.into_iter().next())
            .map(|d| d.value)
        {
            for (k, v) in m {
                if let Some(v) = v.value.render() {
                    pairs.push((k, v));
                }
            }
        }
        pairs
    })
}

/// The StackGraph version that ships with a StackState version.
pub fn stackgraph_for(stackstate: &str) -> Option<&'static str> {
    compat()
        .iter()
        .find(|(s, _)| s == stackstate)
        .map(|(_, g)| g.as_str())
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    let Some(group) = group_of(cx) else {
        return;
    };
    let what = |i: &Image| {
        group
            .images
            .iter()
            .find(|(key, _)| *key == i.repository.key)
            .map(|(_, name)| name.as_str())
    };
    let graph: Vec<(&Image, &str)> = cx
        .resolution
        .images
        .iter()
        .filter(|i| !i.tag.text.is_empty())
        .filter_map(|i| Some((i, what(i)?)))
        .collect();
    let Some((first, _)) = graph.first() else {
        return;
    };
    // The tag most StackGraph images share is the intended one.
    let mut tags: Vec<(&str, usize)> = Vec::new();
    for (img, _) in &graph {
        match tags.iter_mut().find(|(t, _)| *t == img.tag.text) {
            Some((_, n)) => *n += 1,
            None => tags.push((&img.tag.text, 1)),
        }
    }
    tags.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let main_tag = tags[0].0;
    let mut told: Vec<&str> = Vec::new();
    for (img, name) in graph.iter().filter(|(i, _)| i.tag.text != main_tag) {
        // One finding per image, not per workload that runs it (the console's cron job).
        if told.contains(&img.reference.as_str()) {
            continue;
        }
        told.push(&img.reference);
        out.push(
            Finding::new(
                &META,
                format!(
                    "{name} runs StackGraph {} while the other StackGraph images run {main_tag}: {}",
                    img.tag.text, img.reference
                ),
            )
            .at(part_location(cx, &img.tag), format!("`{}` = {}", img.tag.key, img.tag.text))
            .key(img.tag.key.clone())
            .help(format!(
                "HBase master, region servers, Tephra and the console must run the same StackGraph version: remove `{}` or set it to {main_tag}",
                img.tag.key
            )),
        );
    }
    // Pairing with StackState (the table is the stackstate chart's releases): the tag the main
    // StackState images run.
    let Some(stackgraph_tag) = group.pairing.as_deref() else {
        return;
    };
    // (The common all.image.tag, unless every main image overrides it.)
    const ALL_TAG: &str = "stackstate.components.all.image.tag";
    let main = |i: &&Image| super::sl102_stackstate_version_skew::falls_back_to_all(cx, &i.tag);
    let Some(stackstate) = cx
        .resolution
        .images
        .iter()
        .filter(main)
        .find(|i| i.tag.key == ALL_TAG)
        .or_else(|| cx.resolution.images.iter().find(main))
    else {
        return;
    };
    let Some(expected) = stackgraph_for(&stackstate.tag.text) else {
        // Saying nothing would read as "the pair is fine". NOTE: not for a tag that is no
        // version at all (`latest`: SL103) or a number Helm reprints (`4.10`: SL104); those
        // rules already name the tag.
        let versionish = stackstate
            .tag
            .text
            .starts_with(|c: char| c.is_ascii_digit());
        if !versionish || !matches!(stackstate.tag.value, Some(Value::Str(_))) {
            return;
        }
        let (first, last) = match (compat().first(), compat().last()) {
            (Some((a, _)), Some((b, _))) => (a.as_str(), b.as_str()),
            _ => ("?", "?"),
        };
        out.push(
            Finding::new(
                &META,
                format!(
                    "StackState {} is not a release this tool knows, so whether StackGraph {main_tag} pairs with it is not checked",
                    stackstate.tag.text
                ),
            )
            .severity(crate::diagnostic::Severity::Info)
            .at(
                cx.part_span(&stackstate.tag),
                format!("StackState {}", stackstate.tag.text),
            )
            .key(stackstate.tag.key.clone())
            .help(format!(
                "known releases run from {first} to {last} (rules/stackgraph-compat.yaml); check the StackGraph version that ships with {} in its chart",
                stackstate.tag.text
            )),
        );
        return;
    };
    if main_tag == expected {
        return;
    }
    // The tag of an image on the main version (the first image may be the odd one out).
    let graph_part = graph
        .iter()
        .map(|(i, _)| &i.tag)
        .find(|t| t.text == main_tag)
        .unwrap_or(&first.tag);
    let user_graph = cx.written(stackgraph_tag);
    let at = user_graph
        .or_else(|| cx.part_span(&stackstate.tag))
        .or_else(|| cx.nearest_written(stackgraph_tag));
    // NOTE: an unreleased pair is a warning: it renders and may be a deliberate upgrade
    // path; StackGraph images disagreeing among themselves is the error.
    let mut f = Finding::new(
        &META,
        format!(
            "StackState {} was released with StackGraph {expected}, but the StackGraph images run {main_tag}",
            stackstate.tag.text
        ),
    )
    .severity(crate::diagnostic::Severity::Warning)
    .at(at, if user_graph.is_some() {
        format!("StackGraph {main_tag}")
    } else {
        format!("StackState {} needs StackGraph {expected}", stackstate.tag.text)
    })
    .key(stackgraph_tag)
    .help(format!("set `{stackgraph_tag}: \"{expected}\"` (the pair released together)"))
    .note(cx.part_span(&stackstate.tag), format!("StackState tag from `{}`", stackstate.tag.key));
    if graph_part.key != stackgraph_tag {
        f = f.note(
            cx.part_span(graph_part),
            format!("StackGraph tag from `{}`", graph_part.key),
        );
    }
    if let Some(fix) =
        crate::fix::set_key_fix(cx, stackgraph_tag, &format!("\"{expected}\""), false)
    {
        f = f.fix(fix);
    }
    out.push(f);
}

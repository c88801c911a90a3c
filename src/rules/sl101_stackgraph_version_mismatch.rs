//! SL101: StackGraph (HBase) images on different tags, or a StackGraph version that does not
//! pair with the StackState version.

use std::sync::OnceLock;

use super::util::part_location;
use crate::diagnostic::Finding;
use crate::lint::Context;
use crate::resolve::Image;
use crate::source::FileId;
use crate::value::Value;
use crate::yaml::{self, Limits};

super::declare_rule! {
    code: "SL101",
    name: "stackgraph-version-mismatch",
    severity: Error,
    summary: "StackGraph images disagree on their tag, or do not pair with the StackState version",
}

const STACKGRAPH: &[&str] = &[
    "hbaseMaster",
    "hbaseRegionserver",
    "tephra",
    "stackgraphConsole",
];
const STACKGRAPH_TAG: &str = "hbase.stackgraph.image.tag";

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
    let graph: Vec<&Image> = cx
        .resolution
        .images
        .iter()
        .filter(|i| STACKGRAPH.contains(&i.component.as_str()) && !i.tag.text.is_empty())
        .collect();
    let Some(first) = graph.first() else {
        return;
    };
    // The tag most StackGraph images share is the intended one.
    let mut tags: Vec<(&str, usize)> = Vec::new();
    for img in &graph {
        match tags.iter_mut().find(|(t, _)| *t == img.tag.text) {
            Some((_, n)) => *n += 1,
            None => tags.push((&img.tag.text, 1)),
        }
    }
    tags.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let main_tag = tags[0].0;
    for img in graph.iter().filter(|i| i.tag.text != main_tag) {
        out.push(
            Finding::new(
                &META,
                format!(
                    "{} runs StackGraph {} while the other StackGraph images run {main_tag}: {}",
                    img.name, img.tag.text, img.reference
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
    // Pairing with StackState: the tag the main StackState images run.
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
    let graph_part = &first.tag;
    let user_graph = cx.written(STACKGRAPH_TAG);
    let at = user_graph
        .or_else(|| cx.part_span(&stackstate.tag))
        .or_else(|| cx.nearest_written(STACKGRAPH_TAG));
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
    .key(STACKGRAPH_TAG)
    .help(format!("set `{STACKGRAPH_TAG}: \"{expected}\"` (the pair released together)"))
    .note(cx.part_span(&stackstate.tag), format!("StackState tag from `{}`", stackstate.tag.key));
    if graph_part.key != STACKGRAPH_TAG {
        f = f.note(
            cx.part_span(graph_part),
            format!("StackGraph tag from `{}`", graph_part.key),
        );
    }
    if let Some(fix) =
        crate::fix::set_key_fix(cx, STACKGRAPH_TAG, &format!("\"{expected}\""), false)
    {
        f = f.fix(fix);
    }
    out.push(f);
}

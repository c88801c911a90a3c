//! SL108: an image tag the user pinned to what another version of the chart ships.

use std::cmp::Ordering;
use std::sync::OnceLock;

use super::util::part_location;
use crate::diagnostic::Finding;
use crate::lint::Context;
use crate::resolve::Image;
use crate::source::FileId;
use crate::value::{Origin, Value};
use crate::version::Version;
use crate::yaml::{self, Limits};

super::declare_rule! {
    code: "SL108",
    name: "tag-of-other-chart",
    severity: Warning,
    summary: "An image tag is pinned to what another chart version ships, not this chart's own",
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    let me = cx.chart();
    // Other versions are known only of the built-in charts' lines.
    if line_of(&me.name).is_none() {
        return;
    }
    // The user's tag keys with the images each decides, in render order.
    let mut pins: Vec<(&str, Vec<&Image>)> = Vec::new();
    for img in &cx.resolution.images {
        let tag = &img.tag;
        if !matches!(tag.origin, Some(Origin::File { .. } | Origin::Set { .. })) {
            continue;
        }
        match pins.iter_mut().find(|(k, _)| *k == tag.key) {
            Some((_, images)) => images.push(img),
            None => pins.push((&tag.key, vec![img])),
        }
    }
    for (key, images) in pins {
        let Some(pinned) = images[0].tag.value.as_ref().and_then(|v| v.render()) else {
            continue;
        };
        let Some(own) = cx.default_at(key).and_then(|n| n.value.render()) else {
            continue;
        };
        if own.is_empty() || pinned == own {
            continue;
        }
        let shipped = shipped_by(cx, key, &pinned);
        if shipped.is_empty() {
            continue;
        }
        out.push(finding(cx, key, &pinned, &own, &shipped, &images));
    }
}

/// The chart lines in release order (`rules/chart-lines.yaml`).
fn lines() -> &'static [String] {
    static LINES: OnceLock<Vec<String>> = OnceLock::new();
    LINES.get_or_init(|| {
        let text = include_str!("../../rules/chart-lines.yaml");
        // The tool's own data: not charged to the run's budget (as in SL101's table).
        let loaded =
            crate::budget::uncharged(|| yaml::load(FileId(u32::MAX), text, &Limits::default()));
        let Some(Value::Seq(items)) = loaded.ok().and_then(|file| {
            let root = file.documents.first()?;
            root.get_path(&["lines"]).map(|n| n.value.clone())
        }) else {
            return Vec::new();
        };
        items.iter().filter_map(|n| n.value.render()).collect()
    })
}

/// The place of chart `name` among the lines.
fn line_of(name: &str) -> Option<usize> {
    lines().iter().position(|l| l == name)
}

/// Whether chart `a` at `a_version` was released before `b` at `b_version` (`None` when either
/// is of no known line or a version does not parse).
fn older(a: &str, a_version: &str, b: &str, b_version: &str) -> Option<bool> {
    match line_of(a)?.cmp(&line_of(b)?) {
        Ordering::Equal => Some(Version::parse(a_version)? < Version::parse(b_version)?),
        order => Some(order == Ordering::Less),
    }
}

/// The older built-in chart versions whose defaults hold `value` at `key`, by chart name, each
/// name's versions oldest first.
fn shipped_by(cx: &Context, key: &str, value: &str) -> Vec<(&'static str, Vec<&'static str>)> {
    let me = cx.chart();
    let mut out: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for c in crate::builtin_charts::all() {
        // Only older charts: a newer one's tag is a version set ahead of the chart on purpose
        // (SL101 pairs StackGraph with it), not one left behind.
        if older(c.name(), c.version(), &me.name, &me.version) != Some(true) {
            continue;
        }
        // The tool's own data, not the user's input: not charged to the run's budget.
        let Ok(chart) = crate::budget::uncharged(|| c.try_load(crate::chart::Load::Values)) else {
            continue;
        };
        let defaults = crate::lint::context::chart_defaults(chart, cx.helm());
        let held = crate::value::lookup(&defaults.map, key).and_then(|n| n.value.render());
        if held.as_deref() != Some(value) {
            continue;
        }
        match out.iter_mut().find(|(name, _)| *name == c.name()) {
            Some((_, versions)) => versions.push(c.version()),
            None => out.push((c.name(), vec![c.version()])),
        }
    }
    for (name, versions) in &mut out {
        *versions = crate::builtin_charts::versions_of(name)
            .into_iter()
            .map(|c| c.version())
            .filter(|v| versions.contains(v))
            .collect();
    }
    out
}

/// `stackstate 4.4.0, 4.4.2 and 4.5.0`; past three versions the first and last with the count.
fn named(shipped: &[(&str, Vec<&str>)]) -> String {
    let names: Vec<String> = shipped
        .iter()
        .map(|(name, versions)| match versions.as_slice() {
            [one] => format!("{name} {one}"),
            [first, second, third] => format!("{name} {first}, {second} and {third}"),
            [first, last] => format!("{name} {first} and {last}"),
            [first, .., last] => format!("{name} {first}, …, {last} ({} versions)", versions.len()),
            [] => name.to_string(),
        })
        .collect();
    names.join(" and ")
}

fn finding(
    cx: &Context,
    key: &str,
    pinned: &str,
    own: &str,
    shipped: &[(&str, Vec<&str>)],
    images: &[&Image],
) -> Finding {
    let me = cx.chart();
    let mut references: Vec<&str> = Vec::new();
    for img in images {
        if !references.contains(&img.reference.as_str()) {
            references.push(&img.reference);
        }
    }
    let versions: usize = shipped.iter().map(|(_, v)| v.len()).sum();
    let held = match references.as_slice() {
        [one] => format!("`{one}`"),
        _ => format!("{} images", references.len()),
    };
    let tag = &images[0].tag;
    let mut f = Finding::new(
        &META,
        format!(
            "`{key}: {pinned}` is the tag {} {}; this chart ({} {}) ships `{own}`: the pin holds \
             {held} at the other version",
            named(shipped),
            if versions == 1 { "ships" } else { "ship" },
            me.name,
            me.version,
        ),
    )
    .at(part_location(cx, tag), "a tag from another chart version")
    .key(key.to_string())
    .help(format!(
        "a pin carried over from another chart version keeps those images there while the rest \
         of the release moves: write `{key}: {own}` (or remove the key) unless holding this \
         version is deliberate"
    ));
    if references.len() > 1 {
        let shown: Vec<String> = references
            .iter()
            .take(3)
            .map(|r| format!("`{r}`"))
            .collect();
        let more = references.len() - shown.len();
        f = f.note(
            None,
            format!(
                "renders {}{}",
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ),
        );
    }
    // Only where the linted file holds the pin: a key set elsewhere (another file, `--set`)
    // is not this file's to change, and a key inserted here would not outrank a `--set`.
    let here = cx
        .user_at(key)
        .and_then(|n| n.origin.user_span())
        .is_some_and(|s| Some(s.file) == cx.target);
    if here && let Some(fix) = crate::fix::set_key_fix(cx, key, own, false) {
        f = f.fix(fix);
    }
    f
}

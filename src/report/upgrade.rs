//! `upgrade`'s report: the image changes of each release and the heading of the new findings
//! (text), the same in one versioned JSON document, or as notes beside another lint format.

use serde_json::{Value as Json, json};

use crate::escape;
use crate::upgrade::{Delta, Pulled, ReleaseImages};

/// One side of the upgrade: the chart (as the notes name it) and the Helm release.
pub struct Side {
    /// `stackstate 4.4.0 (built-in)`.
    pub chart: String,
    /// `3.17.3`.
    pub helm: String,
}

impl Side {
    fn shown(&self) -> String {
        format!("{}, Helm {}", self.chart, self.helm)
    }
}

/// The image changes of every release, as text.
pub fn human(sides: &(Side, Side), releases: &[ReleaseImages]) -> String {
    let mut out = format!(
        "Upgrade: {} → {}\n",
        escape::line(&sides.0.shown()),
        escape::line(&sides.1.shown())
    );
    for r in releases {
        let name = escape::line(&r.name);
        out.push('\n');
        match (&r.before, &r.after, r.delta()) {
            (_, _, Some(d)) => {
                out.push_str(&format!("{name}: {}\n", counts(&d)));
                for reference in &d.to_mirror {
                    out.push_str(&format!("  mirror   {}\n", escape::line(reference)));
                }
                // One line for each reference (or change of one), however many containers.
                let changed = d.changed.iter().map(|(b, a)| {
                    let text = format!(
                        "{} → {}",
                        escape::line(&b.reference),
                        escape::line(&a.reference)
                    );
                    (text, a)
                });
                fn one(p: &Pulled) -> (String, &Pulled) {
                    (escape::line(&p.reference).into_owned(), p)
                }
                for (what, lines) in [
                    ("changed", grouped(changed)),
                    ("added  ", grouped(d.added.iter().map(one))),
                    ("dropped", grouped(d.removed.iter().map(one))),
                ] {
                    for line in lines {
                        out.push_str(&format!("  {what}  {line}\n"));
                    }
                }
            }
            (Err(e), _, None) => out.push_str(&format!(
                "{name}: Helm cannot render it today ({}): {}\n",
                escape::line(&sides.0.chart),
                escape::line(e)
            )),
            (_, Err(e), None) => out.push_str(&format!(
                "{name}: Helm cannot render it after the upgrade ({}): {}\n",
                escape::line(&sides.1.chart),
                escape::line(e)
            )),
            (Ok(_), Ok(_), None) => {}
        }
    }
    out.push('\n');
    out
}

/// The line above the new findings.
/// `after_fails`: Helm cannot render some release after the upgrade, so what is gone is only
/// gone from the render lint made without the values the new chart fails on.
pub fn findings_heading(
    sides: &(Side, Side),
    new: usize,
    gone: &[String],
    after_fails: bool,
) -> String {
    // The first few gone findings are named: "which one?" is the next question.
    let mut named: Vec<String> = gone
        .iter()
        .take(3)
        .map(|g| escape::line(g).into_owned())
        .collect();
    if gone.len() > named.len() {
        named.push(format!("{} more", gone.len() - named.len()));
    }
    let named = named.join(", ");
    let gone = match (gone.len(), after_fails) {
        (0, _) => String::new(),
        (1, false) => format!("; 1 finding of today's is gone ({named})"),
        (n, false) => format!("; {n} findings of today's are gone ({named})"),
        (1, true) => format!(
            "; 1 finding of today's is not found ({named}), but only in a render without the values the new chart fails on"
        ),
        (n, true) => format!(
            "; {n} findings of today's are not found ({named}), but only in a render without the values the new chart fails on"
        ),
    };
    let target = escape::line(&sides.1.shown()).into_owned();
    match new {
        0 => format!("No new findings after the upgrade to {target}{gone}.\n"),
        1 => format!("1 new finding after the upgrade to {target}{gone}:\n\n"),
        n => format!("{n} new findings after the upgrade to {target}{gone}:\n\n"),
    }
}

/// One line per release for stderr, beside a lint format that has no room for images.
pub fn notes(sides: &(Side, Side), releases: &[ReleaseImages]) -> Vec<String> {
    let target = escape::line(&sides.1.shown()).into_owned();
    releases
        .iter()
        .map(|r| {
            let name = escape::line(&r.name);
            match (&r.before, &r.after, r.delta()) {
                (_, _, Some(d)) if d.to_mirror.is_empty() => {
                    format!("note: {name}: upgrading to {target}: {}", counts(&d))
                }
                (_, _, Some(d)) => format!(
                    "note: {name}: upgrading to {target}: {}; mirror first: {}",
                    counts(&d),
                    d.to_mirror
                        .iter()
                        .map(|r| escape::line(r))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                (Err(e), _, None) => format!(
                    "note: {name}: Helm cannot render it today: {}",
                    escape::line(e)
                ),
                (_, Err(e), None) => format!(
                    "note: {name}: Helm cannot render it after upgrading to {target}: {}",
                    escape::line(e)
                ),
                (Ok(_), Ok(_), None) => String::new(),
            }
        })
        .filter(|l| !l.is_empty())
        .collect()
}

/// The versioned JSON document: both sides, each release's image changes, and the new
/// findings as the lint's JSON document (`findings_json`) holds them.
pub fn json(
    sides: &(Side, Side),
    releases: &[ReleaseImages],
    findings_json: &str,
    gone: usize,
) -> String {
    let side = |s: &Side| json!({"chart": s.chart, "helm": s.helm});
    let releases: Vec<Json> = releases.iter().map(release_json).collect();
    let findings: Json = serde_json::from_str(findings_json).unwrap_or(Json::Null);
    let doc = json!({
        "version": 1,
        "tool": {"name": "stackstate-lint", "version": env!("CARGO_PKG_VERSION")},
        "from": side(&sides.0),
        "to": side(&sides.1),
        "releases": releases,
        "findings": findings,
        "gone": gone,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

fn release_json(r: &ReleaseImages) -> Json {
    let failure = |e: &Result<Vec<Pulled>, String>| match e {
        Err(m) => Json::from(m.as_str()),
        Ok(_) => Json::Null,
    };
    let images = r.delta().map_or(Json::Null, |d| {
        json!({
            "to_mirror": d.to_mirror,
            "changed": d.changed.iter().map(|(b, a)| json!({
                "object": a.object, "container": a.container, "from": b.reference, "to": a.reference,
            })).collect::<Vec<_>>(),
            "added": d.added.iter().map(pulled_json).collect::<Vec<_>>(),
            "removed": d.removed.iter().map(pulled_json).collect::<Vec<_>>(),
            "unchanged": d.unchanged,
        })
    });
    json!({
        "name": r.name,
        "images": images,
        "failure": {"from": failure(&r.before), "to": failure(&r.after)},
    })
}

fn pulled_json(p: &Pulled) -> Json {
    json!({"object": p.object, "container": p.container, "reference": p.reference})
}

/// One line per distinct text, in order of first appearance, with the container that has it
/// or how many do.
fn grouped<'p>(items: impl Iterator<Item = (String, &'p Pulled)>) -> Vec<String> {
    let mut groups: Vec<(String, Vec<&Pulled>)> = Vec::new();
    for (text, p) in items {
        match groups.iter_mut().find(|(t, _)| *t == text) {
            Some((_, at)) => at.push(p),
            None => groups.push((text, vec![p])),
        }
    }
    groups
        .into_iter()
        .map(|(text, at)| match at.as_slice() {
            [one] => format!("{text} ({})", place(one)),
            many => format!("{text} ({} containers)", many.len()),
        })
        .collect()
}

/// `Kind/name (container)`.
fn place(p: &Pulled) -> String {
    format!(
        "{} ({})",
        escape::line(&p.object),
        escape::line(&p.container)
    )
}

/// `3 new images to mirror first, 2 changed, 1 added, 20 unchanged` (the counts that are not 0).
fn counts(d: &Delta) -> String {
    if d.is_empty() {
        return format!("no image changes ({} unchanged)", d.unchanged);
    }
    let mut parts = Vec::new();
    match d.to_mirror.len() {
        0 => {}
        1 => parts.push("1 new image to mirror first".to_string()),
        n => parts.push(format!("{n} new images to mirror first")),
    }
    for (n, what) in [
        (d.changed.len(), "changed"),
        (d.added.len(), "added"),
        (d.removed.len(), "dropped"),
        (d.unchanged, "unchanged"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    parts.join(", ")
}

//! SL103: an image pulled by a moving tag (`latest`, a forbidden tag) or by a tag the chart
//! leaves to a subchart whose defaults are not known.

use super::util::part_location;
use crate::diagnostic::Finding;
use crate::lint::Context;

super::declare_rule! {
    code: "SL103",
    name: "mutable-tag",
    severity: Warning,
    summary: "An image uses `latest` (or a forbidden tag), or a tag a subchart picks",
}

/// The reference as the runtime pulls it: one that names no tag (and no digest) pulls `latest`.
fn pulled_as(reference: &str) -> String {
    let tagged = crate::render::images::parts::split(reference)
        .iter()
        .any(|(k, _)| {
            !matches!(
                k,
                crate::render::images::PartKind::Registry
                    | crate::render::images::PartKind::Repository
            )
        });
    if tagged {
        reference.to_string()
    } else {
        format!("{reference} (no tag: {reference}:latest)")
    }
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    let mut seen: Vec<&str> = Vec::new();
    for img in &cx.resolution.images {
        // One finding per key that moves the tag; a tag no key holds, per reference.
        let id = if img.tag.key.is_empty() {
            img.reference.as_str()
        } else {
            img.tag.key.as_str()
        };
        if seen.contains(&id) {
            continue;
        }
        let tag = img.tag.text.as_str();
        let forbidden = cx.config.forbidden_tags.iter().any(|t| t == tag);
        if tag != "latest" && !forbidden {
            continue;
        }
        seen.push(id);
        let why = if forbidden {
            "a tag your configuration forbids".to_string()
        } else {
            "`latest` moves: every pull may bring another image, and a mirror copies whatever it was that day".to_string()
        };
        out.push(
            Finding::new(
                &META,
                format!(
                    "{} is pulled as {}: {why}",
                    img.name,
                    pulled_as(&img.reference)
                ),
            )
            .at(part_location(cx, &img.tag), format!("tag `{tag}`"))
            .key(img.tag.key.clone())
            .help(if img.tag.key.is_empty() {
                // No values key holds the tag: the chart's template wrote it (or none).
                "the chart's template writes this tag itself and no value changes it: override \
                 the image where the chart lets you, or disable the component"
                    .to_string()
            } else {
                format!("pin `{}` to a fixed version", img.tag.key)
            }),
        );
    }
}

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

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    let mut seen: Vec<&str> = Vec::new();
    for img in &cx.resolution.images {
        if seen.contains(&img.tag.key.as_str()) {
            continue;
        }
        let tag = img.tag.text.as_str();
        let forbidden = cx.config.forbidden_tags.iter().any(|t| t == tag);
        if tag != "latest" && !forbidden {
            continue;
        }
        seen.push(&img.tag.key);
        let why = if forbidden {
            "a tag your configuration forbids".to_string()
        } else {
            "`latest` moves: every pull may bring another image, and a mirror copies whatever it was that day".to_string()
        };
        out.push(
            Finding::new(
                &META,
                format!("{} is pulled as {}: {why}", img.name, img.reference),
            )
            .at(part_location(cx, &img.tag), format!("tag `{tag}`"))
            .key(img.tag.key.clone())
            .help(format!("pin `{}` to a fixed version", img.tag.key)),
        );
    }
}

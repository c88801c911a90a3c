//! SL107 (policy, off by default): images must be pinned by digest.

use super::util::part_location;
use crate::lint::{Context, Finding};
use crate::reference;

super::rule_meta!(
    "SL107",
    "digest-required",
    Error,
    true,
    "An image is not pinned by digest (policy; enable with require-digest)"
);

/// The rule.
pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static super::RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let mut seen: Vec<&str> = Vec::new();
        for img in &cx.resolution.images {
            if reference::has_digest(&img.reference) || seen.contains(&img.tag.key.as_str()) {
                continue;
            }
            seen.push(&img.tag.key);
            out.push(
                Finding::new(
                    &META,
                    format!(
                        "{} is pulled by tag, not digest: {}",
                        img.name, img.reference
                    ),
                )
                .at(part_location(cx, &img.tag), "not pinned by digest")
                .key(img.tag.key.clone())
                .help(format!(
                    "set `{}` to `<tag>@sha256:<digest>` (the digest of the image you mirrored)",
                    img.tag.key
                )),
            );
        }
    }
}

//! SL102: StackState's own components resolve to different tags.

use super::util::part_location;
use crate::diagnostic::Finding;
use crate::lint::Context;

super::declare_rule! {
    code: "SL102",
    name: "stackstate-version-skew",
    severity: Warning,
    summary: "StackState components run different versions",
}

const ALL_TAG: &str = "stackstate.components.all.image.tag";

/// Whether a tag is one of StackState's own components': decided by all.image.tag, or by a
/// component key with no default of its own whose template also tries all.image.tag.
pub fn falls_back_to_all(cx: &Context, tag: &crate::resolve::Part) -> bool {
    tag.key == ALL_TAG
        || (tag.tried.iter().any(|(k, _)| k == ALL_TAG)
            && cx
                .default_at(&tag.key)
                .and_then(|n| n.value.render())
                .is_none_or(|t| t.is_empty()))
}

/// A tag without its `@digest`.
fn version(tag: &str) -> &str {
    tag.split('@').next().unwrap_or(tag)
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    let main: Vec<_> = cx
        .resolution
        .images
        .iter()
        .filter(|i| falls_back_to_all(cx, &i.tag))
        .collect();
    let Some(common) = cx.value_at(ALL_TAG).and_then(|n| n.value.render()) else {
        return;
    };
    // Compare the values, not the rendered tags: a template may add to the tag (the -2.5
    // suffix of suse-observability's server images), and it adds the same to either value.
    let written = |i: &crate::resolve::Image| {
        i.tag
            .value
            .as_ref()
            .and_then(|v| v.render())
            .unwrap_or_else(|| i.tag.text.clone())
    };
    for img in main
        .iter()
        // A digest pins the same version: compare what comes before it.
        .filter(|i| version(&written(i)) != version(&common) && i.tag.key != ALL_TAG)
    {
        out.push(
            Finding::new(
                &META,
                format!(
                    "{} runs tag {} from `{}: {}`, while the other StackState components take `{ALL_TAG}: {common}`",
                    img.name,
                    img.tag.text,
                    img.tag.key,
                    written(img)
                ),
            )
            .at(part_location(cx, &img.tag), format!("overrides {ALL_TAG}"))
            .key(img.tag.key.clone())
            .help(format!(
                "StackState components talk to each other and to StackGraph with one version: remove `{}` unless this is a deliberate hotfix",
                img.tag.key
            )),
        );
    }
}

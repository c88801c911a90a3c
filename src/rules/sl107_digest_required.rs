//! SL107 (policy, off by default): images must be pinned by digest.

use super::util::part_location;
use crate::diagnostic::Finding;
use crate::lint::Context;
use crate::reference;

super::declare_rule! {
    code: "SL107",
    name: "digest-required",
    severity: Error,
    default_off: true,
    summary: "An image is not pinned by digest (policy; enable with require-digest)",
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    let mut seen: Vec<&str> = Vec::new();
    for img in &cx.resolution.images {
        if reference::has_digest(&img.reference) || seen.contains(&img.reference.as_str()) {
            continue;
        }
        seen.push(&img.reference);
        // A digest names one image: a tag key several repositories share (all.image.tag,
        // hbase.stackgraph.image.tag) cannot carry it, the component's own key can.
        // The component's own key: the `tag` beside its repository key, when the template
        // tries it; else the first one tried.
        let sibling = img
            .repository
            .key
            .rsplit_once('.')
            .map(|(parent, _)| format!("{parent}.tag"));
        let own_key = img
            .tag
            .tried
            .iter()
            .find(|(k, _)| Some(k) == sibling.as_ref())
            .or(img.tag.tried.first())
            .map_or(img.tag.key.as_str(), |(k, _)| k.as_str());
        let shared = cx
            .resolution
            .images
            .iter()
            .any(|o| o.tag.key == img.tag.key && o.repository.text != img.repository.text);
        let key = if shared {
            own_key
        } else {
            img.tag.key.as_str()
        };
        out.push(
            Finding::new(
                &META,
                format!(
                    "{} is pulled by tag, not digest: {}",
                    img.name, img.reference
                ),
            )
            .at(part_location(cx, &img.tag), "not pinned by digest")
            .key(key)
            .help(format!(
                "set `{key}` to `<tag>@sha256:<digest>` (the digest of the image you mirrored)"
            )),
        );
    }
}

//! SL004: private images come from more than one registry (a half-done migration).

use super::util::{part_location, registry_part};
use crate::diagnostic::Finding;
use crate::lint::Context;
use crate::reference;

super::declare_rule! {
    code: "SL004",
    name: "mixed-registries",
    severity: Warning,
    summary: "Private images come from more than one registry",
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    let mut hosts: Vec<(String, usize)> = Vec::new();
    for img in &cx.resolution.images {
        let host = reference::registry_of(&img.reference);
        if reference::is_public(&host) {
            continue;
        }
        match hosts.iter_mut().find(|(h, _)| *h == host) {
            Some((_, n)) => *n += 1,
            None => hosts.push((host, 1)),
        }
    }
    if hosts.len() < 2 {
        return;
    }
    // The registry most images use (global.imageRegistry wins ties) is the intended one.
    let global = cx.global_registry().map(|g| g.to_ascii_lowercase());
    hosts.sort_by_key(|(h, n)| {
        (
            std::cmp::Reverse(Some(h) == global.as_ref()),
            std::cmp::Reverse(*n),
        )
    });
    let main = hosts[0].0.clone();
    let mut reported: Vec<String> = Vec::new();
    for img in &cx.resolution.images {
        let host = reference::registry_of(&img.reference);
        if host == main || reference::is_public(&host) {
            continue;
        }
        let part = registry_part(img);
        if reported.contains(&part.key) {
            continue;
        }
        reported.push(part.key.clone());
        out.push(
            Finding::new(
                &META,
                format!(
                    "{} comes from {host}, while the other private images come from {main}",
                    img.reference
                ),
            )
            .at(
                part_location(cx, part),
                format!("`{}` decides {host}", part.key),
            )
            .key(part.key.clone())
            .help(format!(
                "move it to {main}, or mirror every image to {host}"
            )),
        );
    }
}

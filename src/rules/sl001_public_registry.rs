//! SL001: an image still pulls from a public registry although the release points at a private one.

use super::util::{list, part_location, path_without_host, private_target, registry_part};
use crate::diagnostic::Finding;
use crate::lint::Context;
use crate::reference;

super::declare_rule! {
    code: "SL001",
    name: "public-registry",
    severity: Error,
    summary: "An image still resolves to a public registry although the release uses a private one",
}

/// Images that one edit moves.
struct Group<'a> {
    refs: Vec<String>,
    part: &'a crate::resolve::Part,
    user_wrote: bool,
    set_key: String,
    set_value: String,
    /// The repository key, when the repository starts with a registry host too (SL005):
    /// setting the registry alone would make a reference with two.
    repository_with_host: Option<String>,
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    let Some((target, why)) = private_target(cx) else {
        return;
    };
    let global = cx.global_registry();
    // Group images by the key that has to change, so one edit is one finding.
    let mut groups: Vec<Group> = Vec::new();
    for img in &cx.resolution.images {
        let host = reference::registry_of(&img.reference);
        if !reference::is_public(&host) {
            continue;
        }
        let part = registry_part(img);
        let user_wrote = cx.part_span(part).is_some();
        // SL002 reports what global.imageRegistry cannot reach while the chart default stands.
        if global.is_some() && img.registry.is_none() && !user_wrote {
            continue;
        }
        let is_registry = img.registry.is_some();
        // Where global.imageRegistry would fix it, point there instead of the component key.
        let (set_key, set_value) = if is_registry && !user_wrote && global.is_none() {
            ("global.imageRegistry".to_string(), target.clone())
        } else if is_registry {
            (part.key.clone(), target.clone())
        } else if let Some(whole) = whole_reference_at(cx, part, &img.reference, &target) {
            // The key holds the whole reference (an item of a sidecar list): its tag and digest
            // stay, and the reference is the one the mirror plan copies to.
            (part.key.clone(), whole)
        } else {
            (
                part.key.clone(),
                part.key_value_with(&format!("{target}/{}", path_without_host(&part.text))),
            )
        };
        match groups.iter_mut().find(|g| g.set_key == set_key) {
            Some(g) => {
                if !g.refs.contains(&img.reference) {
                    g.refs.push(img.reference.clone())
                }
            }
            None => groups.push(Group {
                refs: vec![img.reference.clone()],
                part,
                user_wrote,
                set_key,
                set_value,
                repository_with_host: (is_registry
                    && reference::split_host(&img.repository.text).0.is_some())
                .then(|| img.repository.key.clone()),
            }),
        }
    }
    for Group {
        refs,
        part,
        user_wrote,
        set_key,
        set_value,
        repository_with_host,
    } in groups
    {
        let key = part.key.clone();
        let host = reference::registry_of(&refs[0]);
        let mut f = Finding::new(
            &META,
            format!(
                "{} still pulled from the public registry {host}: {}",
                if refs.len() == 1 { "image" } else { "images" },
                list(&refs, 3)
            ),
        )
        .at(
            part_location(cx, part),
            if user_wrote {
                format!("`{key}` points at {host}")
            } else {
                format!("`{set_key}` is not set")
            },
        )
        .key(set_key.clone())
        .help(match &repository_with_host {
            Some(repository) => format!(
                "set `{set_key}: {set_value}` (your private registry, from {why}) and write `{repository}` without its registry host (SL005): with both, the reference gets two"
            ),
            None => format!("set `{set_key}: {set_value}` (your private registry, from {why})"),
        });
        if set_key == key
            && let Some(n) = cx.default_note(&key)
        {
            f = f.note(None, n);
        }
        // A fix of the registry alone would double the host: SL005's fix goes first.
        if repository_with_host.is_none()
            && let Some(fix) = crate::fix::set_key_fix(cx, &set_key, &set_value, true)
        {
            f = f.fix(fix);
        }
        out.push(f);
    }
}

/// The reference on `target` (as the mirror plan names it) when the part's key holds the
/// whole rendered `reference`: repository, tag and digest. Keys inside lists have no value in
/// the part; they are looked up through the lists.
fn whole_reference_at(
    cx: &Context,
    part: &crate::resolve::Part,
    reference: &str,
    target: &str,
) -> Option<String> {
    let held = match &part.value {
        Some(v) => v.render(),
        None => {
            let path = crate::key_path::KeyPath::parse(&part.key);
            crate::value::lookup_through_lists(&cx.release.values, &path.strs())
                .and_then(|n| n.value.render())
        }
    }?;
    if held != reference || held.len() <= part.text.len() {
        return None;
    }
    let registry = crate::mirror::Registry::parse(target).ok()?;
    Some(crate::mirror::destination(reference, &registry))
}

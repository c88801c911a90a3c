//! SL003: an image comes from a registry outside the configured allow-list.

use super::util::{list, part_location, registry_part};
use crate::diagnostic::Finding;
use crate::lint::Context;
use crate::reference;

super::declare_rule! {
    code: "SL003",
    name: "registry-not-allowed",
    severity: Error,
    summary: "An image comes from a registry outside the configured allow-list",
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    let allowed = &cx.config.allowed_registries;
    // `registries.required` allows exactly one registry.
    let required = cx
        .config
        .required_registry
        .as_deref()
        .map(str::to_ascii_lowercase);
    if allowed.is_empty() && required.is_none() {
        return;
    }
    let mut groups: Vec<(String, String, Vec<String>, &crate::resolve::Part)> = Vec::new();
    for img in &cx.resolution.images {
        let host = reference::registry_of(&img.reference);
        if let Some(r) = &required {
            let prefix = format!("{r}/");
            if !img.reference.to_ascii_lowercase().starts_with(&prefix) {
                let part = registry_part(img);
                match groups.iter_mut().find(|(k, ..)| *k == part.key) {
                    Some((_, _, refs, _)) if !refs.contains(&img.reference) => {
                        refs.push(img.reference.clone())
                    }
                    Some(_) => {}
                    None => {
                        groups.push((part.key.clone(), host, vec![img.reference.clone()], part))
                    }
                }
            }
            continue;
        }
        if allowed.iter().any(|p| {
            p.matches_with(
                &host,
                glob::MatchOptions {
                    case_sensitive: false,
                    ..Default::default()
                },
            )
        }) {
            continue;
        }
        let part = registry_part(img);
        match groups.iter_mut().find(|(k, ..)| *k == part.key) {
            Some((_, _, refs, _)) => {
                if !refs.contains(&img.reference) {
                    refs.push(img.reference.clone())
                }
            }
            None => groups.push((part.key.clone(), host, vec![img.reference.clone()], part)),
        }
    }
    let mut allowed_text: Vec<String> = allowed.iter().map(|p| p.as_str().to_string()).collect();
    if let Some(r) = &required {
        allowed_text = vec![format!("{r} (registries.required)")];
    }
    for (key, host, refs, part) in groups {
        out.push(
            Finding::new(
                &META,
                format!("registry {host} is not allowed: {}", list(&refs, 3)),
            )
            .at(part_location(cx, part), format!("`{key}` decides {host}"))
            .key(key)
            .help(format!("allowed registries: {}", allowed_text.join(", "))),
        );
    }
}

//! SL002: `global.imageRegistry` is set, but an image whose registry is part of its repository
//! (Elasticsearch exporter, MinIO, cluster-agent images) was not moved.

use super::util::path_without_host;
use crate::diagnostic::Finding;
use crate::lint::Context;
use crate::reference;

super::declare_rule! {
    code: "SL002",
    name: "registry-ignores-global",
    severity: Error,
    summary: "global.imageRegistry is set but an image that ignores it was not overridden",
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    let Some(global) = cx.global_registry() else {
        return;
    };
    let mut seen: Vec<&str> = Vec::new();
    for img in &cx.resolution.images {
        if img.registry.is_some() || !img.ignores_global {
            continue;
        }
        let repo = &img.repository;
        if cx.part_span(repo).is_some() || seen.contains(&repo.key.as_str()) {
            continue;
        }
        // Already on the global registry by default (nothing to move).
        if reference::registry_of(&img.reference) == global.to_ascii_lowercase() {
            continue;
        }
        seen.push(&repo.key);
        let value = repo.key_value_with(&format!(
            "{}/{}",
            super::util::as_fixed(&global),
            path_without_host(&repo.text)
        ));
        // What the template did with the global registry, as its render read it.
        let why = if repo.tried.iter().any(|(k, _)| k == "global.imageRegistry") {
            format!(
                "its template reads global.imageRegistry but prints `{}` instead",
                repo.key
            )
        } else {
            "its template never reads global.imageRegistry".to_string()
        };
        let mut f = Finding::new(
            &META,
            format!("{} still pulls {}: {why}", img.name, img.reference),
        )
        .at(
            cx.written("global.imageRegistry")
                .or_else(|| cx.nearest_written(&repo.key)),
            format!("does not reach {}", img.component),
        )
        .key(repo.key.clone())
        .help(format!("add `{}: {value}`", repo.key));
        if let Some(n) = cx.default_note(&repo.key) {
            f = f.note(None, n);
        }
        if let Some(fix) = crate::fix::set_key_fix(cx, &repo.key, &value, true) {
            f = f.fix(fix);
        }
        out.push(f);
    }
}

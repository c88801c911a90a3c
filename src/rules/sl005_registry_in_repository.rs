//! SL005: a repository that already names a registry host while the template also prefixes a
//! registry (`registry.example.com/quay.io/stackstate/…`).

use super::util::part_location;
use crate::diagnostic::Finding;
use crate::lint::Context;
use crate::reference;

super::declare_rule! {
    code: "SL005",
    name: "registry-in-repository",
    severity: Error,
    summary: "A repository names a registry host while a registry is also prefixed",
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    let mut seen: Vec<&str> = Vec::new();
    for img in &cx.resolution.images {
        let Some(registry) = &img.registry else {
            continue;
        };
        let repo = &img.repository;
        let (Some(host), rest) = reference::split_host(&repo.text) else {
            continue;
        };
        let rest = repo.key_value_with(rest);
        if seen.contains(&repo.key.as_str()) {
            continue;
        }
        seen.push(&repo.key);
        let mut f = Finding::new(
            &META,
            format!(
                "{} renders as {}: the repository already starts with the registry {host}, and the chart prefixes `{}` ({}) in front of it",
                img.name, img.reference, registry.key, registry.text
            ),
        )
        .at(part_location(cx, repo), format!("starts with the registry host {host}"))
        .key(repo.key.clone())
        .help(format!(
            "write the repository without a registry (`{}: {rest}`) and choose the registry with `{}`",
            repo.key, registry.key
        ));
        if cx.part_span(repo).is_some()
            && let Some(mut fix) = crate::fix::set_key_fix(cx, &repo.key, &rest, false)
        {
            // The host goes to the image's own registry key, so the release keeps pulling from
            // it (without, the chart's default registry takes its place); a registry key shared
            // with other images (`global.imageRegistry`) is left alone.
            let own_registry = registry.key.rsplit_once('.').map(|(p, _)| p)
                == repo.key.rsplit_once('.').map(|(p, _)| p);
            if own_registry
                && let Some(set_host) = crate::fix::set_key_fix(cx, &registry.key, host, false)
            {
                fix.description = format!("{}, and `{}: {host}`", fix.description, registry.key);
                fix.edits.extend(set_host.edits);
                fix.keys.extend(set_host.keys);
            }
            f = f.fix(fix);
        }
        out.push(f);
    }
}

//! SL206: image settings for a component the release does not deploy.

use crate::lint::{Context, Finding};

super::rule_meta!(
    "SL206",
    "disabled-component",
    Info,
    "Image settings for a component the release does not deploy"
);

/// The rule.
pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static super::RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let mut seen: Vec<String> = Vec::new();
        let deployed_keys: Vec<String> = cx
            .resolution
            .images
            .iter()
            .flat_map(|i| {
                [
                    i.registry.as_ref(),
                    Some(&i.repository),
                    i.suffix.as_ref(),
                    Some(&i.tag),
                ]
            })
            .flatten()
            .flat_map(|p| {
                p.tried
                    .iter()
                    .map(|(k, _)| k.clone())
                    .chain([p.key.clone()])
            })
            .collect();
        for (id, chart) in &cx.resolution.skipped {
            let Some(c) = cx
                .catalog
                .for_version(&cx.version)
                .find(|c| &c.id == id && &c.chart == chart)
            else {
                continue;
            };
            // Deployed under another catalogue entry with the same id (version variants).
            if cx.resolution.images.iter().any(|i| &i.component == id) {
                continue;
            }
            let why = if !cx.release.is_enabled(&c.chart) {
                let dep = c.chart.join(".");
                format!("the {dep} subchart is disabled")
            } else {
                let conds: Vec<String> = c
                    .when
                    .iter()
                    .map(|w| {
                        w.any
                            .iter()
                            .map(|(neg, k)| {
                                format!("{}{}", if *neg { "not " } else { "" }, c.full_key(k))
                            })
                            .collect::<Vec<_>>()
                            .join(" or ")
                    })
                    .collect();
                format!("it renders only when {}", conds.join(" and "))
            };
            let keys = c
                .registry
                .iter()
                .flatten()
                .chain([&c.repository])
                .chain(c.tag.iter());
            for k in keys.filter(|k| !k.starts_with("global.")) {
                let key = c.full_key(k);
                // Shared keys (stackstate.components.all.*) still configure deployed images.
                if deployed_keys.contains(&key) {
                    continue;
                }
                let Some(span) = cx.written(&key) else {
                    continue;
                };
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key.clone());
                out.push(
                    Finding::new(
                        &META,
                        format!(
                            "`{key}` configures {}, which this release does not deploy: {why}",
                            c.name
                        ),
                    )
                    .at(Some(span), "not deployed")
                    .key(key),
                );
            }
        }
    }
}

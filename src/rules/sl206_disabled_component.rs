//! SL206: image settings for a component the release does not deploy.

use crate::lint::usage::Why;
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
        if cx.usage.is_some() {
            check_rendered(cx, out);
            return;
        }
        let mut seen: Vec<String> = Vec::new();
        // Keys of every component that deploys (rendered or failing to render).
        let deployed_keys: Vec<String> = cx
            .catalog
            .for_chart(&cx.chart().name, &cx.version)
            .filter(|c| {
                !cx.resolution
                    .skipped
                    .iter()
                    .any(|(id, chart)| *id == c.id && *chart == c.chart)
            })
            .flat_map(|c| c.keys().map(|k| c.full_key(k)).collect::<Vec<_>>())
            .collect();
        for (id, chart) in &cx.resolution.skipped {
            let Some(c) = cx
                .catalog
                .for_chart(&cx.chart().name, &cx.version)
                .find(|c| &c.id == id && &c.chart == chart)
            else {
                continue;
            };
            // Deployed under another catalogue entry with the same id (version variants).
            if cx.resolution.images.iter().any(|i| &i.component == id) {
                continue;
            }
            let why = off_reason(cx, c);
            for k in c.keys().filter(|k| !k.starts_with("global.")) {
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

/// Asks the render: every key of the linted file under a subchart that does not deploy.
fn check_rendered(cx: &Context, out: &mut Vec<Finding>) {
    for u in cx.unused_keys() {
        let Why::SubchartOff {
            subchart,
            conditions,
        } = &u.why
        else {
            continue;
        };
        // Helm takes the first condition path that holds a boolean (user values, else the
        // chart's), then the tags.
        let boolean = |c: &&String| {
            let node = cx.user_at(c).or_else(|| cx.default_at(c));
            matches!(node.map(|n| &n.value), Some(crate::value::Value::Bool(_)))
        };
        let why = match conditions.iter().find(boolean) {
            Some(c) => format!("the {subchart} subchart is off (`{c}` is false)"),
            None => format!("the {subchart} subchart is disabled"),
        };
        out.push(
            Finding::new(
                &META,
                format!(
                    "`{}` configures the {subchart} subchart, which this release does not deploy: {why}",
                    u.key
                ),
            )
            .at(
                u.node.origin.user_span().or_else(|| cx.nearest_written(&u.key)),
                "not deployed",
            )
            .key(u.key.clone()),
        );
    }
}

/// Why a catalogue component does not deploy: its subchart's switch, or the settings it
/// renders under (split mode, `backup.enabled`…).
fn off_reason(cx: &Context, c: &crate::catalog::Component) -> String {
    if !cx.release.is_enabled(&c.chart) {
        let dep = c.chart.join(".");
        // Name the switch: the dependency's condition, relative to its parent chart.
        let mut parent = cx.chart();
        let mut prefix = String::new();
        let mut cond = None;
        for key in &c.chart {
            let Some(d) = parent.dependencies.iter().find(|d| d.key == *key) else {
                break;
            };
            if !cx
                .release
                .enabled
                .iter()
                .any(|e| *e == format!("{prefix}{key}"))
            {
                cond = d.conditions.first().map(|k| format!("{prefix}{k}"));
                break;
            }
            prefix.push_str(&format!("{key}."));
            parent = &d.chart;
        }
        match cond {
            Some(k) => format!("the {dep} subchart is off (`{k}` is false)"),
            None => format!("the {dep} subchart is disabled"),
        }
    } else if let Some(text) = &c.when_text {
        format!("it renders only {text}")
    } else {
        let conds: Vec<String> = c
            .when
            .iter()
            .map(|w| {
                w.any
                    .iter()
                    .map(|(neg, k)| {
                        format!(
                            "`{}` is {}",
                            c.full_key(k),
                            if *neg { "false" } else { "true" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" or ")
            })
            .collect();
        format!("it renders only when {}", conds.join(" and "))
    }
}

/// For a key no template read: the switch of the catalogue component it configures, when that
/// component does not deploy in this release (StackState knowledge from `rules/catalog.yaml`).
pub fn switch_for(cx: &Context, key: &str) -> Option<String> {
    let prefix = format!("{key}.");
    cx.resolution.skipped.iter().find_map(|(id, chart)| {
        let c = cx
            .catalog
            .for_chart(&cx.chart().name, &cx.version)
            .find(|c| &c.id == id && &c.chart == chart)?;
        c.keys()
            .map(|k| c.full_key(k))
            .any(|k| k == key || k.starts_with(&prefix) || key.starts_with(&format!("{k}.")))
            .then(|| format!("{} does not deploy: {}", c.name, off_reason(cx, c)))
    })
}

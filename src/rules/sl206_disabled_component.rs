//! SL206: image settings for a component the release does not deploy.

use crate::diagnostic::Finding;
use crate::lint::Context;
use crate::lint::usage::Why;

super::declare_rule! {
    code: "SL206",
    name: "disabled-component",
    severity: Info,
    summary: "Image settings for a component the release does not deploy",
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    // Only the render knows which keys its templates left unread.
    if cx.usage.is_some() {
        check_rendered(cx, out);
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
    cx.catalog
        .for_chart(&cx.chart().name, &cx.version)
        .filter(|c| {
            !cx.release.is_enabled(&c.chart)
                || cx
                    .release
                    .values_at(&c.chart)
                    .is_some_and(|values| !c.switched_on(values))
        })
        .find(|c| {
            let block = c.block();
            key == block || key.starts_with(&format!("{block}.")) || block.starts_with(&prefix)
        })
        .map(|c| format!("{} does not deploy: {}", c.name, off_reason(cx, c)))
}

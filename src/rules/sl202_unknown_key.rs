//! SL202: a key that exists nowhere in the chart's defaults (a typo, a wrong nesting level),
//! with a did-you-mean.

use crate::builtin;
use crate::lint::{Context, Finding};
use crate::merge;
use crate::suggest::closest;
use crate::value::{Map, Node, Value};

super::rule_meta!(
    "SL202",
    "unknown-key",
    Warning,
    "A key that exists nowhere in the chart's defaults"
);

/// The rule.
pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static super::RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let mut unknown = Vec::new();
        visit(cx, &cx.release.user, Some(cx.defaults()), "", &mut unknown);
        // Keys the templates read although the defaults leave them out (per-image tags…).
        let mut read: Vec<String> = Vec::new();
        for c in cx.catalog.for_version(&cx.version) {
            read.extend(c.keys().map(|k| c.full_key(k)));
            read.extend(
                c.when
                    .iter()
                    .flat_map(|w| w.any.iter().map(|(_, k)| c.full_key(k))),
            );
        }
        for (key, node, siblings) in unknown {
            if read
                .iter()
                .any(|r| r == &key || r.starts_with(&format!("{key}.")))
            {
                continue;
            }
            let name = key.rsplit('.').next().unwrap_or(&key);
            let hint = closest(name, siblings.iter().map(String::as_str))
                .map(|s| {
                    let parent = key.rsplit_once('.').map(|(p, _)| format!("{p}.")).unwrap_or_default();
                    format!("did you mean `{parent}{s}`?")
                })
                .or_else(|| elsewhere(cx.defaults(), name, &key).map(|p| format!("did you mean `{p}`? (`{name}` lives there)")))
                .or_else(|| other_versions(cx, &key))
                .unwrap_or_else(|| "the chart ignores keys it does not know; check the spelling and the nesting level".into());
            out.push(
                Finding::new(
                    &META,
                    format!("`{key}` is not in the values of chart {}: unless a template reads it, Helm ignores it", cx.chart().version),
                )
                    .at(node.origin.user_span().or_else(|| cx.nearest_written(&key)), "unknown key")
                    .key(key.clone())
                    .help(hint),
            );
        }
    }
}

type Unknown<'m> = (String, &'m Node, Vec<String>);

fn visit<'m>(
    cx: &Context,
    user: &'m Map,
    defaults: Option<&Map>,
    prefix: &str,
    out: &mut Vec<Unknown<'m>>,
) {
    // A missing or empty map in the defaults is free-form (annotations, resources, extra env…).
    let Some(defaults) = defaults.filter(|d| !d.is_empty()) else {
        return;
    };
    for (k, node) in user {
        if k == "global" || (prefix.is_empty() && k == "tags") {
            continue;
        }
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        if super::sl201_ineffective_key::ineffective(&key, &cx.version).is_some() {
            continue;
        }
        match defaults.get(k) {
            None => out.push((key, node, defaults.keys().cloned().collect())),
            Some(d) => {
                if let (Value::Map(um), Value::Map(dm)) = (&node.value, &d.value) {
                    visit(cx, um, Some(dm), &key, out);
                }
            }
        }
    }
}

/// The shortest path in the defaults that ends with `name` (a key written at the wrong level).
fn elsewhere(defaults: &Map, name: &str, key: &str) -> Option<String> {
    let mut all = Vec::new();
    crate::lint::context::walk(defaults, "", &mut all);
    all.into_iter()
        .map(|(p, _)| p)
        .filter(|p| {
            p.rsplit('.').next() == Some(name)
                && p != key
                && key.split('.').count() <= p.split('.').count() + 1
        })
        .min_by_key(|p| (p.split('.').count(), p.len()))
}

/// `exists in chart 4.4.0, 4.5.0 but not in 4.3.0`.
fn other_versions(cx: &Context, key: &str) -> Option<String> {
    let found: Vec<&str> = builtin::versions()
        .filter(|v| *v != cx.chart().version)
        .filter(|v| {
            builtin::chart(v)
                .and_then(|c| merge::coalesce(c, Map::new(), cx.helm(), None).ok())
                .is_some_and(|d| crate::lint::context::lookup(&d, key).is_some())
        })
        .collect();
    (!found.is_empty()).then(|| {
        format!(
            "`{key}` exists in chart {} but not in {}: check --chart-version",
            found.join(", "),
            cx.chart().version
        )
    })
}

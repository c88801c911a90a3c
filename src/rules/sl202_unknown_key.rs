//! SL202: a key that exists nowhere in the chart's defaults (a typo, a wrong nesting level),
//! with a did-you-mean.

use std::collections::HashMap;

use crate::diagnostic::Finding;
use crate::key_path::{self, KeyPath};
use crate::lint::Context;
use crate::suggest::closest;
use crate::value::{Map, Node, Value};

super::declare_rule! {
    code: "SL202",
    name: "unknown-key",
    severity: Warning,
    summary: "A key that exists nowhere in the chart's defaults",
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    let mut unknown = Vec::new();
    visit(cx, &cx.release.user, Some(cx.defaults()), "", &mut unknown);
    if let Some(Value::Map(global)) = cx.release.user.get("global").map(|n| &n.value) {
        visit_global(cx, global, &mut vec!["global"], &mut unknown);
    }
    if unknown.is_empty() {
        return;
    }
    // NOTE: everything a hint looks up is indexed once here, so that the cost of a file
    // grows with its number of keys, not with keys times the size of the defaults.
    let kept = cx.kept_defaults();
    let by_name = kept.by_name.get_or_init(|| paths_by_name(&kept.map));
    // Keys the templates read although the defaults leave them out (per-image tags…): the
    // render knows; without one (Helm fails), the keys its templates name.
    match cx.usage {
        // Under a key no template read at all, SL201 or SL206 speaks for the whole block.
        Some(usage) => unknown.retain(|(key, _, _)| {
            let path = KeyPath::parse_key(key);
            let parts = path.strs();
            // The root of the values is always there: a top-level key has no parent
            // that a template must have read first.
            !usage.is_used(&parts)
                && (parts.len() == 1 || usage.is_used(&parts[..parts.len() - 1]))
                && !crate::lint::usage::is_mentioned(cx.chart(), &parts)
        }),
        // A chart without templates says nothing of what is read (lint says so in a note).
        None if !crate::lint::rendered::has_templates(cx.chart()) => return,
        None => {
            let named = crate::lint::usage::mentioned(cx.chart());
            unknown.retain(|(key, _, _)| !named.contains(KeyPath::parse_key(key).keys()));
        }
    }
    // A key the chart's values.yaml documents with a null (`replicaCount: null`, "set by the
    // sizing profile") is the chart's, though coalescing drops it from the defaults: SL201
    // speaks for it when no template reads it.
    unknown.retain(|(key, _, _)| !documented(cx.chart(), &KeyPath::parse_key(key).strs()));
    for (key, node, siblings) in unknown {
        let path = KeyPath::parse_key(&key);
        let name = path.last().unwrap_or_default();
        // A top-level key the chart reads under `global` (a global block pasted one level too
        // high): its name says where it belongs better than a near spelling does.
        let under_global = path.len() == 1 && global_name(cx, name);
        // A required value written at the wrong place: Helm fails without it (lint stood in).
        let required: Vec<&String> = if under_global {
            let below = format!("global.{name}.");
            let at = format!("global.{name}");
            cx.resolution
                .stood_in
                .iter()
                .filter(|k| k.starts_with(&below) || **k == at)
                .collect()
        } else {
            Vec::new()
        };
        let hint = under_global
            .then(|| {
                format!("did you mean `global.{name}`? (the chart reads `{name}` under `global`)")
            })
            .or_else(|| {
                closest(name, siblings.iter().copied()).map(|s| {
                    let near = path.parent().unwrap_or_default().child(s);
                    format!("did you mean `{near}`?")
                })
            })
            .or_else(|| {
                elsewhere(by_name, name, &path)
                    .map(|p| format!("did you mean `{p}`? (`{name}` lives there)"))
            })
            .or_else(|| other_versions(cx, &key))
            .unwrap_or_else(|| {
                "the chart ignores keys it does not know; check the spelling and the nesting level"
                    .into()
            });
        let mut f = Finding::new(
            &META,
            match cx.usage {
                Some(_) => format!("`{key}` is not a key of chart {} {}: no template reads it, Helm ignores it", cx.chart().name, cx.chart().version),
                None => format!("`{key}` is not in the values of chart {} {}: unless a template reads it, Helm ignores it", cx.chart().name, cx.chart().version),
            },
        )
        .at(node.origin.user_span().or_else(|| cx.nearest_written(&key)), "unknown key")
        .key(key.clone())
        .help(hint);
        if !required.is_empty() {
            let list: Vec<String> = required.iter().map(|k| format!("`{k}`")).collect();
            f = f.severity(crate::diagnostic::Severity::Error).note(
                None,
                format!(
                    "Helm fails without {}, which the chart requires there",
                    super::util::list(&list, 3)
                ),
            );
        }
        out.push(f);
    }
}

/// Whether this rule speaks for a dotted key the render did not use: a key missing from a
/// non-empty map of the chart's defaults (outside `tags`), or a key under `global` that neither
/// the defaults nor any template names.
pub fn is_unknown(cx: &Context, key: &str) -> bool {
    let path = KeyPath::parse_key(key);
    let parts = path.strs();
    if parts[0] == "global" {
        return unknown_global(cx, &parts).is_some_and(|at| at + 1 == parts.len());
    }
    if parts[0] == "tags" {
        return false;
    }
    let mut defaults = cx.defaults();
    for (i, p) in parts.iter().enumerate() {
        if defaults.is_empty() {
            return false;
        }
        match defaults.get(*p) {
            None => return !documented(cx.chart(), &parts),
            Some(d) => match &d.value {
                Value::Map(m) if i + 1 < parts.len() => defaults = m,
                _ => return false,
            },
        }
    }
    false
}

/// Whether a values.yaml along the key's chart and subcharts writes the key itself (a null
/// that coalescing drops from the defaults): the parent's `hbase.hbase.master.replicaCount`,
/// or the subchart's own `hbase.master.replicaCount`.
fn documented(chart: &crate::chart::Chart, parts: &[&str]) -> bool {
    let mut chart = chart;
    let mut rest = parts;
    loop {
        if chart.values.get_path(rest).is_some() {
            return true;
        }
        let Some((first, below)) = rest.split_first() else {
            return false;
        };
        match chart.dependencies.iter().find(|d| d.key == *first) {
            Some(dep) if !below.is_empty() => {
                chart = &dep.chart;
                rest = below;
            }
            _ => return false,
        }
    }
}

/// Under `global` (one map that every subchart reads, its keys spread over their defaults and
/// templates): where along `parts` the first key is that the defaults do not hold and whose
/// name no template of the chart or a subchart holds — no values make a template read it.
/// `None` when every key is known, or one sits in a free-form map of the defaults.
fn unknown_global(cx: &Context, parts: &[&str]) -> Option<usize> {
    let mut defaults = match cx.defaults().get("global").map(|n| &n.value) {
        Some(Value::Map(m)) => Some(m),
        _ => None,
    };
    for (i, p) in parts.iter().enumerate().skip(1) {
        // An empty map of the defaults below `global` holds free-form keys (labels, env).
        if i > 1 && defaults.is_some_and(|d| d.is_empty()) {
            return None;
        }
        match defaults.and_then(|d| d.get(*p)) {
            Some(d) => match &d.value {
                Value::Map(m) => defaults = Some(m),
                _ => return None,
            },
            None if i > 1 && defaults.is_none() => return None,
            None => {
                return (!crate::lint::usage::named_in_templates(cx.chart(), p)).then_some(i);
            }
        }
    }
    None
}

/// An unknown key, its node, and the keys it may have meant (its siblings in the defaults).
type Unknown<'m> = (String, &'m Node, Vec<&'m str>);

fn visit<'m>(
    cx: &Context,
    user: &'m Map,
    defaults: Option<&'m Map>,
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
            key_path::escape(k)
        } else {
            format!("{prefix}.{}", key_path::escape(k))
        };
        if super::sl201_ineffective_key::ineffective(&key, &cx.chart().name, &cx.version).is_some()
        {
            continue;
        }
        match defaults.get(k) {
            None => out.push((key, node, defaults.keys().map(String::as_str).collect())),
            Some(d) => {
                if let (Value::Map(um), Value::Map(dm)) = (&node.value, &d.value) {
                    visit(cx, um, Some(dm), &key, out);
                }
            }
        }
    }
}

/// The keys under the user's `global` that [`unknown_global`] finds, each with the names known
/// beside it: the defaults' and those the templates read there.
fn visit_global<'m>(
    cx: &'m Context,
    user: &'m Map,
    path: &mut Vec<&'m str>,
    out: &mut Vec<Unknown<'m>>,
) {
    for (k, node) in user {
        path.push(k);
        match unknown_global(cx, path) {
            Some(at) if at + 1 == path.len() => {
                let under = &path[1..at];
                let defaults = crate::value::lookup_path(cx.defaults(), &path[..at]);
                let mut near: Vec<&str> = match defaults.map(|n| &n.value) {
                    Some(Value::Map(m)) => m.keys().map(String::as_str).collect(),
                    _ => Vec::new(),
                };
                near.extend(crate::lint::usage::global_names_mentioned(
                    cx.chart(),
                    under,
                ));
                let key = path
                    .iter()
                    .map(|p| key_path::escape(p))
                    .collect::<Vec<_>>()
                    .join(".");
                out.push((key, node, near));
            }
            Some(_) => {}
            None => {
                if let Value::Map(m) = &node.value {
                    visit_global(cx, m, path, out);
                }
            }
        }
        path.pop();
    }
}

/// Whether `global.NAME` is a key of the chart: in its defaults, or read by a template
/// (`.Values.global.NAME`).
fn global_name(cx: &Context, name: &str) -> bool {
    let in_defaults = match cx.defaults().get("global").map(|n| &n.value) {
        Some(Value::Map(m)) => m.contains_key(name),
        _ => false,
    };
    in_defaults || crate::lint::usage::global_names_mentioned(cx.chart(), &[]).contains(&name)
}

/// Every path of the defaults, by its last key.
fn paths_by_name(defaults: &Map) -> HashMap<String, Vec<String>> {
    let mut all = Vec::new();
    crate::lint::context::walk(defaults, "", &mut all);
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (p, _) in all {
        let name = KeyPath::parse(&p).last().unwrap_or_default().to_string();
        out.entry(name).or_default().push(p);
    }
    out
}

/// The one path in the defaults that ends with `name` (a key written at the wrong level).
fn elsewhere(by_name: &HashMap<String, Vec<String>>, name: &str, key: &KeyPath) -> Option<String> {
    let mut places = by_name.get(name)?.iter().filter(|p| {
        let place = KeyPath::parse(p);
        place != *key && key.len() <= place.len() + 1
    });
    // Only a name that lives in one place says where the key belongs: `enabled` or `cpu` live
    // in dozens, and the shallowest of them (`kots.enabled` for `minio.enabled`) is a guess.
    match (places.next(), places.next()) {
        (Some(only), None) => Some(only.clone()),
        _ => None,
    }
}

/// `exists in chart stackstate 4.4.0, 4.5.0 but not in 4.3.0`: the other built-in versions of
/// the same chart whose defaults hold the key.
fn other_versions(cx: &Context, key: &str) -> Option<String> {
    let me = &cx.chart().version;
    let path = KeyPath::parse_key(key);
    let path = path.strs();
    let found: Vec<&str> = crate::builtin_charts::versions_of(&cx.chart().name)
        .into_iter()
        .filter(|c| c.version() != me)
        .filter(|c| crate::chart_pick::defaults_hold(*c, &path))
        .map(|c| c.version())
        .collect();
    (!found.is_empty()).then(|| {
        format!(
            "`{key}` exists in chart {} {} but not in {me}: check --chart-version",
            cx.chart().name,
            found.join(", "),
        )
    })
}

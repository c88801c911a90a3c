//! SL209: one Kubernetes object defined twice in the release.

use crate::diagnostic::Finding;
use crate::lint::Context;
use crate::lint::objects::{Definition, Repeated};
use crate::source::Span;
use crate::value::{Origin, Value};

super::declare_rule! {
    code: "SL209",
    name: "duplicate-object",
    severity: Error,
    summary: "The release defines one Kubernetes object more than once",
}

/// The findings of one release: one per set of objects the same copies define.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    let Some(usage) = cx.usage else {
        return;
    };
    // The Services, ConfigMaps and workload of one subchart switched on twice clash together:
    // one finding for them, on what made the copies.
    let mut groups: Vec<(Vec<&str>, Vec<&Repeated>)> = Vec::new();
    for r in usage.repeated() {
        let templates: Vec<&str> = r.copies.iter().map(|c| chart_dir(&c.template)).collect();
        match groups.iter_mut().find(|(t, _)| *t == templates) {
            Some((_, objects)) => objects.push(r),
            None => groups.push((templates, vec![r])),
        }
    }
    for (_, objects) in groups {
        out.push(finding(cx, &objects));
    }
}

/// The folder of the chart that rendered a template (`a/charts/b` of `a/charts/b/templates/x`).
fn chart_dir(template: &str) -> &str {
    template
        .rfind("/templates/")
        .map_or(template, |i| &template[..i])
}

/// The finding for objects the same copies define.
fn finding(cx: &Context, objects: &[&Repeated]) -> Finding {
    let first = objects[0];
    let copies = &first.copies;
    let times = match copies.len() {
        2 => "twice".to_string(),
        n => format!("{n} times"),
    };
    let by = by_whom(copies);
    let what = match objects {
        [one] => format!("`{}` is defined {times}, {by}", one.object),
        many => format!(
            "{} objects are defined {times}, {by}: {}",
            many.len(),
            many.iter()
                .map(|r| format!("`{}`", r.object))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let message = format!(
        "{what}: `helm install` fails on the second copy (`already exists`), and an upgrade \
         keeps only the last"
    );
    let mut places = switches(cx, copies);
    let label = if places.is_empty() {
        places = names(cx, copies);
        "names a copy"
    } else {
        "switches on a copy"
    };
    // The place furthest down the file is the one that made a copy too many.
    places.sort_by_key(|(_, span)| span.start);
    let mut f = Finding::new(&META, message).help(
        "keep one copy: switch the others off, or give them names of their own (a subchart's \
         `fullnameOverride`)",
    );
    match places.split_last() {
        Some(((key, span), others)) => {
            f = f.at(Some(*span), label).key(key.clone());
            for (key, span) in others {
                f = f.note(Some(*span), format!("`{key}` {label} too"));
            }
        }
        None => {
            let sub = copies.last().map(Definition::subchart).unwrap_or_default();
            f = f.at(cx.nearest_written(&sub.join(".")), "defined more than once");
        }
    }
    f
}

/// How the copies are told apart: by the subchart each belongs to (as the values name it), or
/// by template when that says nothing.
fn by_whom(copies: &[Definition]) -> String {
    let subcharts: Vec<String> = copies.iter().map(|c| c.subchart().join(".")).collect();
    let distinct = subcharts
        .iter()
        .enumerate()
        .all(|(i, s)| !s.is_empty() && !subcharts[..i].contains(s));
    let names: Vec<String> = if distinct {
        subcharts
            .iter()
            .map(|s| format!("the `{s}` subchart"))
            .collect()
    } else {
        copies.iter().map(|c| format!("`{}`", c.template)).collect()
    };
    match names.split_last() {
        Some((last, [])) => format!("by {last}"),
        Some((last, rest)) => format!("by {} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// For each copy in a subchart, the deepest switch of its subchart chain that the linted file
/// turns on (`kafka.zookeeper.enabled: true`), each once.
fn switches(cx: &Context, copies: &[Definition]) -> Vec<(String, Span)> {
    let mut out: Vec<(String, Span)> = Vec::new();
    for c in copies {
        let mut chart = cx.chart();
        let mut prefix = String::new();
        let mut found = None;
        for key in c.subchart() {
            let Some(dep) = chart.dependencies.iter().find(|d| d.key == key) else {
                break;
            };
            // Helm goes by the first condition whose path holds a boolean.
            let condition = dep
                .conditions
                .iter()
                .map(|k| format!("{prefix}{k}"))
                .find(|k| matches!(cx.value_at(k).map(|n| &n.value), Some(Value::Bool(_))));
            if let Some(k) = condition
                && let Some(node) = cx.user_at(&k)
                && node.value == Value::Bool(true)
                && let Some(span) = in_linted_file(cx, &node.origin)
            {
                found = Some((k, span));
            }
            prefix.push_str(key);
            prefix.push('.');
            chart = &dep.chart;
        }
        if let Some(f) = found
            && !out.contains(&f)
        {
            out.push(f);
        }
    }
    out
}

/// The values of the linted file that the copies' names were made of, each once.
fn names(cx: &Context, copies: &[Definition]) -> Vec<(String, Span)> {
    let mut out: Vec<(String, Span)> = Vec::new();
    for c in copies {
        for prov in &c.name_from {
            if let Some(span) = in_linted_file(cx, &prov.origin) {
                let key = crate::key_path::display(&prov.user_path);
                if !out.iter().any(|(_, s)| *s == span) {
                    out.push((key, span));
                }
            }
        }
    }
    out
}

/// The key's span, when the value came from the linted file.
fn in_linted_file(cx: &Context, origin: &Origin) -> Option<Span> {
    origin.user_span().filter(|s| Some(s.file) == cx.target)
}

//! SL204: a map where the chart has a scalar, or the reverse; Helm fails to render.

use crate::diagnostic::Finding;
use crate::lint::Context;
use crate::resolve::FailureKind;
use crate::value::{Map, Node, Value};

super::declare_rule! {
    code: "SL204",
    name: "wrong-type",
    severity: Error,
    summary: "A map where the chart expects a scalar, or the reverse",
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    let mut found = Vec::new();
    visit(&cx.release.user, cx.defaults(), "", &mut found);
    let mut keys: Vec<String> = Vec::new();
    let mut mine = Vec::new();
    for (key, node, default) in found {
        let want = default.value.type_name();
        let got = node.value.type_name();
        // When the release renders, the render says what the value did: a map the chart has
        // got through every template that read it (the failures below speak for those it
        // broke), and a scalar the chart has matters where a template printed the user's map
        // in Go's form. Read any other way (`toYaml`, `range`), the map is what it wanted.
        if let Some(usage) = cx.usage
            && (default.value.is_map() || !usage.printed_in_go_form(&key))
        {
            continue;
        }
        let consequence = if default.value.is_map() {
            let children: Vec<&str> = default
                .as_map()
                .map(|m| m.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let example = ["repository", "tag", "registry", "enabled"]
                .into_iter()
                .find(|k| children.contains(k))
                .or(children.first().copied())
                .unwrap_or("…");
            format!("Helm keeps your {got} and every template reading `{key}.{example}` fails")
        } else if cx.usage.is_some() {
            format!("a template prints it in Go's form (`map[…]`) where it expects a {want}")
        } else {
            format!("templates print the {got} where they expect a {want}")
        };
        keys.push(key.clone());
        mine.push(
            Finding::new(
                &META,
                format!("`{key}` is a {want} in the chart but a {got} here: {consequence}"),
            )
            .at(
                node.origin.user_span().or_else(|| cx.nearest_written(&key)),
                format!("expected a {want}"),
            )
            .key(key.clone())
            .help(match default.as_map() {
                Some(m) => {
                    // Five keys show the shape; an ellipsis says the list goes on.
                    let mut shown: Vec<&str> = m.keys().take(5).map(String::as_str).collect();
                    if m.len() > shown.len() {
                        shown.push("…");
                    }
                    format!("write `{key}` as a map (keys: {})", shown.join(", "))
                }
                None => format!(
                    "write `{key}` as a {want}, like the chart default `{}`",
                    default.value.render().unwrap_or_default()
                ),
            }),
        );
    }
    // A map the chart has no default to compare with (an item of a list the chart leaves
    // empty, `global.imagePullSecrets: [{name: x}]` where the chart wants names) that a
    // template printed where it wants text.
    for key in cx.usage.map(|u| u.go_form()).unwrap_or_default() {
        if keys.iter().any(|k| related(key, k)) {
            continue;
        }
        keys.push(key.clone());
        mine.push(
            Finding::new(
                &META,
                format!(
                    "`{key}` is a map here, and a template prints it in Go's form (`map[…]`) \
                     where it expects text: the manifest holds that text, which no Kubernetes \
                     field reads as you meant"
                ),
            )
            .at(
                crate::value::lookup_through_lists(
                    &cx.release.user,
                    &key.split('.').collect::<Vec<_>>(),
                )
                .and_then(|n| n.origin.user_span())
                .or_else(|| cx.nearest_written(key)),
                "printed as `map[…]`",
            )
            .key(key.clone())
            .help(format!(
                "write `{key}` as the scalar the chart's templates print there (`render \
                 --show-origin` shows the line)"
            )),
        );
    }
    for f in &cx.resolution.failures {
        if !matches!(f.kind, FailureKind::TypeMismatch | FailureKind::NotAMap) {
            continue;
        }
        // A value reported above is the cause of the failure on the keys around it.
        if keys.iter().any(|k| related(&f.key, k)) {
            continue;
        }
        // A map where the chart has a scalar (or the reverse) is why a template reads a
        // field of a string: Helm's failure is told with the first such finding.
        if !mine.is_empty() {
            let first = mine.remove(0);
            mine.insert(0, first.note(None, format!("Helm fails: {}", f.message)));
            keys.push(f.key.clone());
            continue;
        }
        {
            keys.push(f.key.clone());
            mine.push(
                Finding::new(
                    &META,
                    format!("Helm cannot render this release: {}", f.message),
                )
                .at(
                    cx.span_of(f.origin.as_ref())
                        .or_else(|| cx.nearest_written(&f.key)),
                    "wrong type",
                )
                .key(f.key.clone()),
            );
        }
    }
    out.extend(mine);
    switches_not_boolean(cx, out);
}

/// Whether one key is the other or lies below it (keys as shown: `a.b.0`).
fn related(a: &str, b: &str) -> bool {
    let within = |a: &str, b: &str| {
        a.strip_prefix(b)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    };
    within(a, b) || within(b, a)
}

/// A subchart switch (a dependency's `condition:` path, a `tags:` entry) the user gave a value
/// that is no boolean: Helm logs "returned non-bool value", skips it, and the subchart deploys
/// unless another switch turns it off (`enabled: "false"` keeps it on).
fn switches_not_boolean(cx: &Context, out: &mut Vec<Finding>) {
    let mut seen: Vec<Vec<String>> = Vec::new();
    for crate::lint::usage::HelmSwitch {
        path,
        subchart,
        tag: is_tag,
    } in crate::lint::usage::helm_switches(cx.release.chart)
    {
        let Some((first, rest)) = path.split_first() else {
            continue;
        };
        let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
        let Some(node) = cx.release.user.get(first).and_then(|n| n.get_path(&rest)) else {
            continue;
        };
        if matches!(node.value, Value::Bool(_) | Value::Map(_) | Value::Null)
            || seen.contains(&path)
        {
            continue;
        }
        seen.push(path.clone());
        let key = crate::key_path::display(&path);
        let shown = match &node.value {
            Value::Str(s) => format!("the string `{}`", crate::template::fmt::quote(s)),
            other => format!("`{}`", other.render().unwrap_or_default()),
        };
        let what = if is_tag {
            "a tag"
        } else {
            "a subchart's condition"
        };
        let outcome = if cx.release.enabled.contains(&subchart) {
            format!("so the {subchart} subchart deploys")
        } else {
            format!("(the {subchart} subchart is off through another switch)")
        };
        let mut f = Finding::new(
            &META,
            format!(
                "`{key}` is {shown}, not a boolean: Helm skips {what} that is not true or false, \
                 {outcome}"
            ),
        )
        .severity(crate::diagnostic::Severity::Warning)
        .at(
            node.origin.user_span().or_else(|| cx.nearest_written(&key)),
            "not a boolean",
        )
        .key(key.clone());
        let word = match &node.value {
            Value::Str(s) if s == "true" || s == "false" => Some(s.as_str()),
            _ => None,
        };
        f = match (word, &node.origin) {
            (Some(word), crate::value::Origin::File { value, .. }) => f
                .help(format!("write `{word}` without quotes"))
                .fix(crate::diagnostic::Fix {
                    description: format!("write `{key}: {word}` as a boolean"),
                    safe: true,
                    edits: vec![crate::diagnostic::Edit {
                        span: *value,
                        replacement: word.to_string(),
                    }],
                    keys: vec![key.clone()],
                }),
            (Some(word), _) => f.help(format!("give `{key}={word}` with --set, not --set-string")),
            (None, _) => f.help("write true or false"),
        };
        out.push(f);
    }
}

fn visit<'m>(
    user: &'m Map,
    defaults: &'m Map,
    prefix: &str,
    out: &mut Vec<(String, &'m Node, &'m Node)>,
) {
    for (k, node) in user {
        let Some(default) = defaults.get(k) else {
            continue;
        };
        let key = if prefix.is_empty() {
            crate::key_path::escape(k)
        } else {
            format!("{prefix}.{}", crate::key_path::escape(k))
        };
        match (&node.value, &default.value) {
            (Value::Null, _) | (_, Value::Null) => {}
            (Value::Map(um), Value::Map(dm)) => visit(um, dm, &key, out),
            (Value::Map(_), _) | (_, Value::Map(_)) => out.push((key, node, default)),
            _ => {}
        }
    }
}

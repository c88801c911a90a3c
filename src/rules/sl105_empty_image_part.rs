//! SL105: an image whose registry, repository or tag is empty, null or `<nil>`.

use crate::diagnostic::Finding;
use crate::lint::Context;
use crate::resolve::{FailureKind, Part};

super::declare_rule! {
    code: "SL105",
    name: "empty-image-part",
    severity: Error,
    summary: "An image's registry, repository or tag is empty, null or <nil>",
}

/// Whether the user wrote a null at `key` or at one of its parents.
fn user_null_at_or_above(cx: &Context, key: &str) -> bool {
    let path = crate::key_path::KeyPath::parse(key);
    (1..=path.len()).any(|n| {
        let k = path.prefix(n).to_string();
        let null = |node: &crate::value::Node| node.value == crate::value::Value::Null;
        // SL203 speaks for a null that deletes a chart default.
        cx.user_at(&k).is_some_and(null) && cx.default_at(&k).is_some_and(|d| !null(d))
    })
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    let mut groups: Vec<(String, &'static str, Vec<String>, &Part)> = Vec::new();
    for img in &cx.resolution.images {
        for (what, part) in super::util::empty_parts(img) {
            match groups.iter_mut().find(|(k, ..)| *k == part.key) {
                Some((_, _, refs, _)) => {
                    if !refs.contains(&img.reference) {
                        refs.push(img.reference.clone())
                    }
                }
                None => groups.push((part.key.clone(), what, vec![img.reference.clone()], part)),
            }
        }
    }
    for (key, what, refs, part) in groups {
        // No value behind the part: the user's null deleted it, or the template made the part
        // empty itself (`global.imageRegistry: "/"` renders `//stackstate/…`).
        let deleted = match &part.value {
            Some(v) => matches!(v, crate::value::Value::Null),
            None => cx
                .user_at(&key)
                .is_some_and(|n| matches!(n.value, crate::value::Value::Null)),
        };
        let shown = if deleted { "null (deleted)" } else { "empty" };
        // A part no key holds (`<nil>` printed for a null): the null the user wrote among the
        // keys its template read is the line to point at.
        let read_null = || {
            part.tried.iter().find_map(|(k, _)| {
                cx.user_at(k)
                    .filter(|n| n.value == crate::value::Value::Null)
                    .and_then(|_| cx.written(k))
            })
        };
        let span = cx
            .part_span(part)
            .or_else(|| cx.written(&key))
            .or_else(|| key.is_empty().then(read_null).flatten())
            .or_else(|| cx.nearest_written(&key));
        let mut f = Finding::new(
            &META,
            format!(
                "the {what} is {shown}, so the release pulls {}",
                super::util::list(&refs, 3)
            ),
        )
        .at(
            span,
            if key.is_empty() {
                format!("the {what} comes out {shown}")
            } else {
                format!("`{key}` is {shown}")
            },
        )
        .key(key.clone())
        .help(if key.is_empty() {
            // No values key holds the part: the template built it empty from this value.
            format!("the chart's template makes the {what} empty from the value here: give it one that leaves a {what}")
        } else {
            format!("set `{key}` to a value, or remove the line to keep the chart default")
        });
        if let Some(n) = cx.default_note(&key) {
            f = f.note(None, n);
        }
        out.push(f);
    }
    let mut seen: Vec<&str> = Vec::new();
    for fail in &cx.resolution.failures {
        if !matches!(
            fail.kind,
            FailureKind::InvalidYaml | FailureKind::MissingMap | FailureKind::Failed
        ) || seen.contains(&fail.key.as_str())
        {
            continue;
        }
        // SL203 reports a null the user wrote, with what it breaks.
        if fail
            .null_keys
            .iter()
            .chain([&fail.key])
            .any(|k| user_null_at_or_above(cx, k))
        {
            continue;
        }
        seen.push(&fail.key);
        let span = cx
            .span_of(fail.origin.as_ref())
            .or_else(|| cx.written(&fail.key))
            .or_else(|| cx.nearest_written(&fail.key));
        let f = Finding::new(
            &META,
            format!("Helm cannot render this release: {}", fail.message),
        );
        if fail.key.is_empty() {
            // The failing action read no values key (a bare `fail`, a template error): nothing
            // of the file is to blame, so the finding sits on its first key and names none.
            let build = cx.helm().build();
            let help = match build.too_old_for(&fail.message) {
                Some((newer, what)) => format!(
                    "Helm {} cannot read this chart: it uses {what}, which Helm {newer} reads; \
                     use a newer Helm (and `--helm-version`) or a chart version written for yours",
                    build.release()
                ),
                None => "the failing template action reads none of your keys: the chart's message above says what it needs".to_string(),
            };
            out.push(
                f.at(span, "the chart fails to render with these values")
                    .help(help),
            );
            continue;
        }
        let mut f = f
            .at(span, format!("`{}` breaks the render", fail.key))
            .key(fail.key.clone())
            .help(match fail.kind {
                // The chart itself stops on the value (`fail`, `required`, a function's error):
                // its message says what it wants, not a type.
                FailureKind::Failed => format!(
                    "the chart refuses this value and its message above says what it needs: \
                     change `{}`, or remove it to keep the chart default",
                    fail.key
                ),
                FailureKind::MissingMap => format!(
                    "set `{}` to a map, or remove it to keep the chart default",
                    fail.key
                ),
                _ => format!(
                    "set `{}` to a string (use \"\" for empty), or remove it to keep the chart default",
                    fail.key
                ),
            });
        if let Some(n) = cx.default_note(&fail.key) {
            f = f.note(None, n);
        }
        out.push(f);
    }
}

//! SL203: a blank or null value that deletes a chart default (documentation snippets copied
//! verbatim), and what that does to the release.

use crate::diagnostic::{Edit, Finding, Fix, Severity};
use crate::lint::Context;
use crate::lint::context::walk;
use crate::source::Span;
use crate::value::{Origin, Value};

super::declare_rule! {
    code: "SL203",
    name: "null-deletes-default",
    severity: Error,
    summary: "A blank or null value deletes a chart default",
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    let mut keys = Vec::new();
    walk(&cx.release.user, "", &mut keys);
    for (key, node) in keys {
        if node.value != Value::Null {
            continue;
        }
        let Some(default) = cx.default_at(&key).filter(|d| d.value != Value::Null) else {
            continue;
        };
        let shown = match &default.value {
            Value::Map(_) => "(a map)".to_string(),
            Value::Seq(_) => "(a list)".to_string(),
            v => format!("`{}`", v.render().unwrap_or_default()),
        };
        let (blank, span) = match &node.origin {
            Origin::File { key: k, value } => (
                cx.sources.slice(*value).trim().is_empty(),
                k.or(Some(*value)),
            ),
            _ => (false, None),
        };
        let written = match &node.origin {
            _ if blank => format!("`{key}:` is blank, which YAML reads as null"),
            // A flag's value has no line to point at: the message names the flag.
            Origin::Set { .. } => format!(
                "`{key}` is null (given by {})",
                crate::release::describe_origin(&node.origin, cx.sources)
            ),
            _ => format!("`{key}` is null"),
        };
        let failure = cx.resolution.failures.iter().find(|f| {
            f.key == key || f.key.starts_with(&format!("{key}.")) || f.null_keys.contains(&key)
        });
        let mut broken: Vec<&str> = cx
            .resolution
            .images
            .iter()
            .filter(|i| {
                [i.registry.as_ref(), Some(&i.repository), Some(&i.tag)]
                    .into_iter()
                    .flatten()
                    .any(|p| {
                        // The part's key, or a key its template read (a null printed as
                        // `<nil>` comes from no key).
                        (p.key == key || p.tried.iter().any(|(k, _)| *k == key))
                            && (p.text.is_empty()
                                || p.text.contains("<nil>")
                                // Printed as nothing beside other text (a suffix).
                                || !crate::reference::is_valid_reference(&i.reference))
                    })
            })
            .map(|i| i.reference.as_str())
            .collect();
        // One image of several containers is named once.
        let mut seen = std::collections::HashSet::new();
        broken.retain(|r| seen.insert(*r));
        // A registry key deleted: an image of the same image block that now names no host pulls
        // from Docker Hub (the template prints no registry and no `/`).
        let to_docker_hub: Vec<String> = match key.strip_suffix(".registry") {
            Some(parent) => cx
                .resolution
                .images
                .iter()
                .filter(|i| {
                    i.registry.is_none()
                        && i.repository.key == format!("{parent}.repository")
                        && crate::reference::split_host(&i.reference).0.is_none()
                })
                .map(|i| i.reference.clone())
                .collect(),
            None => Vec::new(),
        };
        let subchart = cx
            .chart()
            .dependencies
            .iter()
            .any(|d| key.starts_with(&format!("{}.", d.key)));
        let (severity, consequence) = if let Some(f) = failure {
            (
                Severity::Error,
                format!("Helm cannot render the release: {}", f.message),
            )
        } else if !broken.is_empty() {
            (
                Severity::Error,
                format!(
                    "images render as {}",
                    super::util::list(&broken.iter().map(|s| s.to_string()).collect::<Vec<_>>(), 3)
                ),
            )
        } else if !to_docker_hub.is_empty() {
            let mut unique = to_docker_hub;
            unique.dedup();
            (
                Severity::Error,
                format!(
                    "images render without a registry, so they pull from Docker Hub (docker.io): {}",
                    super::util::list(&unique, 3)
                ),
            )
        } else if subchart && cx.helm().line() == crate::merge::HelmLine::V3Legacy {
            (Severity::Warning, "with Helm ≤ 3.16 the subchart's own default comes back, with Helm ≥ 3.17.1 and 4 the key is gone: the release differs between Helm versions".to_string())
        } else if default.value.is_empty() {
            // Deleting an empty default changes nothing a template can see.
            continue;
        } else {
            (
                Severity::Warning,
                "templates fall back to their defaults or print nothing".to_string(),
            )
        };
        let mut f = Finding::new(
            &META,
            format!("{written}: it deletes the chart default {shown}; {consequence}"),
        )
        .severity(severity)
        .at(
            span.or_else(|| cx.nearest_written(&key)),
            "deletes the chart default",
        )
        .key(key.clone())
        .help(match &node.origin {
            _ if blank => {
                format!("write a value, or remove the line to keep the chart default {shown}")
            }
            Origin::Set { .. } => {
                format!("give the flag a value, or drop it to keep the chart default {shown}")
            }
            _ => format!("remove `{key}` to keep the chart default {shown}"),
        });
        if let Some(n) = cx.default_note(&key) {
            f = f.note(None, n);
        }
        if let (Some(s), Origin::File { .. }) = (span, &node.origin)
            && let Some(edit) = remove_line(cx, s)
        {
            f = f.fix(Fix {
                description: format!("remove `{key}` and keep the chart default"),
                safe: blank,
                edits: vec![edit],
                keys: vec![key.clone()],
            });
        }
        out.push(f);
    }
}

/// An edit removing the whole line of a key, when nothing else shares it.
fn remove_line(cx: &Context, key: Span) -> Option<Edit> {
    let file = cx.sources.get(key.file);
    let (line, _) = file.line_col(key.start);
    let start = file.line_start(line);
    let end = file.line_start(line + 1);
    let text = file.text.get(start..end)?;
    let before = &file.text[start..key.start];
    // Only a `key:` (blank, null or ~, maybe a comment) alone on its line.
    if !before.trim().is_empty() && before.trim() != "-" {
        return None;
    }
    let after_colon = text.split_once(':')?.1.trim();
    let after_colon = after_colon.split(" #").next().unwrap_or("").trim();
    if !matches!(after_colon, "" | "null" | "~" | "Null" | "NULL") {
        return None;
    }
    Some(Edit {
        span: Span::new(key.file, start, end),
        replacement: String::new(),
    })
}

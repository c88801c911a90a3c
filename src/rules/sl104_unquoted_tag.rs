//! SL104: a value written as an unquoted YAML number or boolean that Helm renders differently
//! (`4.10` → `4.1`), or where the chart needs a string and fails on a number.
//!
//! With a render, every value the user wrote is checked where the manifests print it
//! ([`crate::lint::numbers`]); without one, only Helm's failure on a value it needed as a string.

use crate::diagnostic::{Edit, Finding, Fix};
use crate::lint::Context;
use crate::lint::numbers::Printed;
use crate::lint::usage::Usage;
use crate::resolve::FailureKind;
use crate::source::Span;
use crate::value::{Origin, SetKind, Value};

super::declare_rule! {
    code: "SL104",
    name: "unquoted-tag",
    severity: Error,
    summary: "A value is an unquoted number or boolean that Helm renders differently",
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    let mut covered: Vec<String> = Vec::new();
    // Without a render (Helm fails, or the chart came without templates) only Helm's
    // failure speaks: nothing else says how a value prints.
    if let Some(usage) = cx.usage {
        from_render(cx, usage, &mut covered, out);
    }
    failures(cx, &covered, out);
}

/// What the user wrote for a typed value: the scalar's text and, in a file, its span (without
/// an anchor in front). `None` for an alias (it is fixed where its anchor is) and for a value
/// with an explicit tag.
fn written(cx: &Context, origin: &Origin, key: &str) -> Option<(String, Option<Span>)> {
    match origin {
        Origin::File { key: k, value } => {
            // An explicit tag (`!!float 2.50`) asks for the type: nothing to quote.
            let file = &cx.sources.get(value.file).text;
            let from = k.map_or_else(
                || file[..value.start].rfind('\n').map_or(0, |i| i + 1),
                |k| k.end,
            );
            if file.get(from..value.start).is_some_and(|t| t.contains('!')) {
                return None;
            }
            let raw = cx.sources.slice(*value);
            let mut start = raw.len() - raw.trim_start().len();
            let mut text = raw.trim();
            if text.starts_with(['*', '!']) {
                return None;
            }
            while let Some(rest) = text.strip_prefix('&') {
                let token = rest.find(char::is_whitespace)?;
                let after = rest[token..].trim_start();
                start += text.len() - after.len();
                text = after;
            }
            let span = Span {
                file: value.file,
                start: value.start + start,
                end: value.start + start + text.len(),
            };
            Some((text.to_string(), Some(span)))
        }
        Origin::Set {
            arg,
            kind: SetKind::Json,
            ..
        } if !arg.contains(&format!("{key}=")) => {
            // `a={"b":5.10}`: the number inside the JSON a parent key was given.
            let path = crate::key_path::KeyPath::parse(key);
            (1..path.len()).rev().find_map(|n| {
                let parent = format!("{}=", path.prefix(n));
                let at = arg.find(&parent)? + parent.len();
                let text = json_scalar_at(&arg[at..], &path.keys()[n..])?;
                Some((text.to_string(), None))
            })
        }
        Origin::Set { arg, .. } => {
            // `a.b=+12,c=1`: the text after `key=` up to the next unescaped comma.
            let at = arg.find(&format!("{key}="))? + key.len() + 1;
            let rest = &arg[at..];
            let mut end = rest.len();
            let mut escaped = false;
            for (i, c) in rest.char_indices() {
                match c {
                    '\\' if !escaped => escaped = true,
                    ',' if !escaped => {
                        end = i;
                        break;
                    }
                    _ => escaped = false,
                }
            }
            Some((rest[..end].to_string(), None))
        }
        _ => None,
    }
}

/// The text of the scalar at `path` (object keys, array indices) in the JSON value `json`
/// starts with, as written (`5.10`, which Go's decoder reads as the float64 `5.1`). The last of
/// duplicate keys wins, as in Go.
fn json_scalar_at<'a>(json: &'a str, path: &[String]) -> Option<&'a str> {
    use crate::template::funcs::json_decode::value_end;
    let b = json.as_bytes();
    let ws = |mut i: usize| {
        while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
        }
        i
    };
    let mut at = ws(0);
    for step in path {
        match b.get(at)? {
            b'{' => {
                let mut i = ws(at + 1);
                let mut found = None;
                while b.get(i) == Some(&b'"') {
                    let key_end = value_end(b, i)?;
                    let name: String = serde_json::from_str(json.get(i..key_end)?).ok()?;
                    i = ws(key_end);
                    if b.get(i) != Some(&b':') {
                        return None;
                    }
                    let value = ws(i + 1);
                    if name == *step {
                        found = Some(value);
                    }
                    i = ws(value_end(b, value)?);
                    if b.get(i) == Some(&b',') {
                        i = ws(i + 1);
                    }
                }
                at = found?;
            }
            b'[' => {
                let index: usize = step.parse().ok()?;
                let mut i = ws(at + 1);
                for _ in 0..index {
                    i = ws(value_end(b, i)?);
                    if b.get(i) != Some(&b',') {
                        return None;
                    }
                    i = ws(i + 1);
                }
                at = i;
            }
            _ => return None,
        }
    }
    if matches!(b.get(at)?, b'{' | b'[') {
        return None;
    }
    json.get(at..value_end(b, at)?)
}

/// Whether the printed text says what the user wrote: the same text, or, for a boolean, the
/// same word in other letter case (`True` is the boolean the user meant; `yes` may not be).
fn says_what_was_written(written: &str, p: &Printed) -> bool {
    p.text == written || (matches!(p.value, Value::Bool(_)) && p.text.eq_ignore_ascii_case(written))
}

/// The value as the user gave it: `` `a.b: 4.10` is a YAML number`` or
/// `` `--set a.b=7` gives a number``.
fn given(key: &str, text: &str, origin: &Origin, value: &Value) -> String {
    let kind = value.type_name();
    match origin {
        Origin::Set { kind: flag, .. } => format!("`{} {key}={text}` gives a {kind}", flag.flag()),
        _ => format!("`{key}: {text}` is a YAML {kind}"),
    }
}

/// A number printed with an exponent (`1e+06`).
fn exponent(p: &Printed) -> bool {
    !matches!(p.value, Value::Bool(_)) && p.text.contains(['e', 'E'])
}

fn place(p: &Printed) -> String {
    match &p.object {
        Some(o) => format!("{o} ({})", p.template),
        None => p.template.clone(),
    }
}

fn from_render(cx: &Context, usage: &Usage, covered: &mut Vec<String>, out: &mut Vec<Finding>) {
    let mut keys: Vec<&[String]> = Vec::new();
    for p in usage.printed() {
        if !keys.contains(&p.path.as_slice()) {
            keys.push(&p.path);
        }
    }
    for path in keys {
        let key = crate::key_path::display(path);
        let at: Vec<&Printed> = usage.printed().iter().filter(|p| p.path == path).collect();
        let Some((text, span)) = written(cx, &at[0].origin, &key) else {
            continue;
        };
        // Where the chart places the value itself as a whole field of a manifest
        // (`replicas: {{ .Values.replicaCount }}`), it means a number or boolean: its spelling
        // is no loss, but Kubernetes reads no exponent (`1e+06`) in an integer field, and
        // scripts seldom do. A map handed on whole (`toYaml .Values.nodeSelector`) keeps the
        // user's YAML types instead: `elasticsearch: yes` becomes a boolean where Kubernetes
        // wants the label text.
        let parts: Vec<&str> = path.iter().map(String::as_str).collect();
        let as_number = !usage.under_map_used_whole(&parts) && at.iter().any(|p| p.whole_scalar);
        let mangled: Vec<&Printed> = at
            .iter()
            .copied()
            .filter(|p| !says_what_was_written(&text, p))
            .filter(|p| !as_number || exponent(p))
            .collect();
        let Some(first) = mangled.first() else {
            continue;
        };
        covered.push(key.clone());
        let mut f = Finding::new(
            &META,
            format!(
                "{}: Helm renders it as `{}`, not `{text}`, in {}",
                given(&key, &text, &first.origin, &first.value),
                first.text,
                place(first)
            ),
        )
        .at(
            span.or_else(|| cx.nearest_written(&key)),
            format!("renders as `{}`", first.text),
        )
        .key(key.clone());
        let mut places = vec![place(first)];
        for p in &mangled[1..] {
            let where_ = place(p);
            if !places.contains(&where_) {
                if places.len() < 4 {
                    f = f.note(None, format!("also renders as `{}` in {where_}", p.text));
                }
                places.push(where_);
            }
        }
        if places.len() > 4 {
            f = f.note(None, format!("and in {} more objects", places.len() - 4));
        }
        out.push(quote_it(f, &key, &text, span));
    }
}

/// The help and fix of a finding on a typed value: quote it in the file, or `--set-string`.
fn quote_it(f: Finding, key: &str, text: &str, span: Option<Span>) -> Finding {
    match span {
        Some(span) => f.help(format!("quote it: `\"{text}\"`")).fix(Fix {
            description: format!("quote `{text}`"),
            safe: true,
            edits: vec![Edit {
                span,
                replacement: crate::emit::quote(text),
            }],
            keys: vec![key.to_string()],
        }),
        None => f.help(format!("give it with --set-string {key}={text}")),
    }
}

fn failures(cx: &Context, covered: &[String], out: &mut Vec<Finding>) {
    let mut seen: Vec<&str> = Vec::new();
    for f in &cx.resolution.failures {
        if f.kind != FailureKind::NotAString
            || covered.contains(&f.key)
            || seen.contains(&f.key.as_str())
        {
            continue;
        }
        let Some(node) = cx.user_at(&f.key) else {
            continue;
        };
        // A null is SL203's: it deleted the default, there is nothing to quote.
        if node.value == Value::Null {
            continue;
        }
        seen.push(&f.key);
        let key = &f.key;
        let typed = matches!(node.value, Value::Bool(_) | Value::Int(_) | Value::Float(_));
        let origin = f.origin.as_ref().unwrap_or(&node.origin);
        match written(cx, origin, key).filter(|_| typed) {
            Some((text, span)) => {
                let finding = Finding::new(
                    &META,
                    format!(
                        "{}, but the chart needs a string there: Helm cannot render the release: {}",
                        given(key, &text, origin, &node.value),
                        f.message
                    ),
                )
                .at(
                    span.or_else(|| cx.nearest_written(key)),
                    "must be a string",
                )
                .key(key.clone());
                out.push(quote_it(finding, key, &text, span));
            }
            None => out.push(
                Finding::new(&META, f.message.clone())
                    .at(
                        cx.span_of(f.origin.as_ref())
                            .or_else(|| cx.nearest_written(key)),
                        "must be a string",
                    )
                    .key(key.clone())
                    .help(format!(
                        "give `{key}` as a string (quote it, or use --set-string)"
                    )),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::json_scalar_at;

    fn at(json: &str, path: &[&str]) -> Option<String> {
        let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        json_scalar_at(json, &path).map(String::from)
    }

    #[test]
    fn the_json_text_of_a_number_inside_an_object() {
        assert_eq!(at(r#"{"tag":5.10}"#, &["tag"]).as_deref(), Some("5.10"));
        assert_eq!(
            at(
                r#" { "a" : {"x":"}","tag" : 1e3 } , "b":[1]}"#,
                &["a", "tag"]
            )
            .as_deref(),
            Some("1e3")
        );
        assert_eq!(
            at(r#"{"l":[{"t":1},{"t":2.50}]}"#, &["l", "1", "t"]).as_deref(),
            Some("2.50")
        );
        // The last of duplicate keys, as Go's decoder keeps it.
        assert_eq!(at(r#"{"t":1.0,"t":2.0}"#, &["t"]).as_deref(), Some("2.0"));
        assert_eq!(at(r#"{"t":1}"#, &["u"]), None);
        assert_eq!(at(r#"{"t":{"u":1}}"#, &["t"]), None);
        assert_eq!(at(r#"{"t":"#, &["t"]), None);
        assert_eq!(at(r#"{"t\"x":3.10}"#, &["t\"x"]).as_deref(), Some("3.10"));
    }
}

//! Fixes as text edits on the user's own file: replace a value in place, or insert a missing key
//! into the existing mapping at the file's indentation (or append a new block).

use crate::diagnostic::{Edit, Fix};
use crate::lint::Context;
use crate::resolve::plain_allowed;
use crate::source::{FileId, Span};
use crate::value::{Node, Origin, Value};
use crate::yaml::resolve_plain;

/// How a string value is written: plain when YAML reads it back as the same string, else quoted.
pub fn yaml_scalar(value: &str) -> String {
    if value.starts_with('"') && value.ends_with('"') && value.len() >= 2 {
        return value.to_string();
    }
    let stays_string = matches!(resolve_plain(value, None), Ok(Value::Str(ref s)) if s == value);
    // NOTE: `,[]{}` end a plain scalar inside a flow collection (`{a: x}`), and a control
    // character is not printable plain: quoted, the value reads back the same anywhere.
    let flow_safe = !value.contains([',', '[', ']', '{', '}']) && !value.contains(char::is_control);
    if stays_string && flow_safe && plain_allowed(value) {
        value.to_string()
    } else {
        crate::emit::quote(value)
    }
}

/// A fix that makes dotted `key` hold `value` in the linted file: the value is replaced where
/// the user wrote the key, else the key is inserted under its deepest existing parent.
pub fn set_key_fix(cx: &Context, key: &str, value: &str, safe: bool) -> Option<Fix> {
    let scalar = yaml_scalar(value);
    let description = format!("set `{key}: {scalar}`");
    // Replace in place when a file holds the key.
    if let Some(node) = cx.user_at(key) {
        return Some(Fix {
            description,
            safe,
            edits: vec![replace_value_edit(cx, node, value)?],
            keys: vec![key.to_string()],
        });
    }
    let edit = insert_edit(cx, key, &Inserted::Scalar(scalar))?;
    Some(Fix {
        description,
        safe,
        edits: vec![edit],
        keys: vec![key.to_string()],
    })
}

/// An edit writing the scalar `value` in place of the one a values file holds at `node`
/// (`None` for a map, a list, or a value no file wrote), in the quotes the user wrote it in.
pub fn replace_value_edit(cx: &Context, node: &Node, value: &str) -> Option<Edit> {
    let Origin::File { value: span, .. } = &node.origin else {
        return None;
    };
    if node.value.is_map() || matches!(node.value, Value::Seq(_)) {
        return None;
    }
    // A block scalar's span (`>-` and its lines) runs on to the next key's line: the line
    // break that ends it is not part of the value and must stay.
    let whole = cx.sources.slice(*span);
    // An anchor or a tag before the scalar stays: replacing it with the value deleted an
    // anchor (`&reg "https://…"`) whose aliases then failed Helm's parse.
    let mut skip = 0;
    while let Some(rest) = whole.get(skip..)
        && (rest.starts_with('&') || rest.starts_with('!'))
    {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        skip += end + (rest[end..].len() - rest[end..].trim_start().len());
    }
    let written = &whole[skip..];
    let start = span.start + skip;
    let span = Span::new(span.file, start, start + written.trim_end().len());
    // A value given already in double quotes (as `yaml_scalar` takes it) is that text: quoting
    // it again in the user's quotes wrote `"\"4.1.8\""`.
    let scalar = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) if !inner.contains(['"', '\\']) => {
            in_quotes_of(written, inner).unwrap_or_else(|| value.to_string())
        }
        Some(_) => value.to_string(),
        None => in_quotes_of(written, value).unwrap_or_else(|| yaml_scalar(value)),
    };
    Some(Edit {
        span,
        // A blank value: written after the colon.
        replacement: if span.is_empty() {
            format!(" {scalar}")
        } else {
            scalar
        },
    })
}

/// `value` in the quotes the user wrote the value it replaces in (`"…"` or `'…'`), when they
/// did: their style stays, and a JSON file stays JSON.
fn in_quotes_of(written: &str, value: &str) -> Option<String> {
    let plain_text = !value.contains(|c: char| c.is_control());
    match written.trim_start().as_bytes().first() {
        Some(b'"') => Some(crate::emit::quote(value)),
        Some(b'\'') if plain_text => Some(format!("'{}'", value.replace('\'', "''"))),
        _ => None,
    }
}

/// What goes under a new key.
pub enum Inserted {
    /// `key: value`.
    Scalar(String),
    /// `key:` followed by these lines, indented one level below it (relative indentation kept).
    Block(Vec<String>),
}

/// An edit inserting dotted `key` into the linted file under its deepest existing parent
/// mapping, at that mapping's indentation, or as a new block at the end of the first document.
pub fn insert_edit(cx: &Context, key: &str, value: &Inserted) -> Option<Edit> {
    let target = cx.target?;
    let file = cx.files.iter().find(|f| f.id == target)?;
    let path = crate::key_path::KeyPath::parse(key);
    let parts = path.strs();
    // The root (an image part no key of the values wrote, whose key is empty) is no key to add.
    let (last, parents) = parts.split_last()?;
    // The deepest parent map the file already has.
    let mut parent: Option<&Node> = None;
    let mut depth = 0;
    let mut map: &crate::value::Map = &file.values;
    for (i, part) in parents.iter().enumerate() {
        match map.get(*part) {
            Some(n) if n.value.is_map() => {
                parent = Some(n);
                depth = i + 1;
                map = n.as_map()?;
            }
            Some(_) => return None,
            None => break,
        }
    }
    if map.contains_key(*last) && depth == parents.len() {
        return None;
    }
    let text = &cx.sources.get(target).text;
    let (insert_at, indent) = match parent {
        Some(p) => block_insert_point(cx, p)?,
        // A new top-level block ends the first document: Helm 3 reads no other, and Helm 4
        // may read no text after a `...` line.
        None => (
            crate::yaml::first_document_end(text).unwrap_or(text.len()),
            0,
        ),
    };
    // New levels step as the file does (a file indented by 4 gets 4): the parent's children
    // below its key, else the file's first indented key.
    let parent_column = parent.and_then(|p| match &p.origin {
        Origin::File { key: Some(k), .. } => Some(cx.sources.get(target).line_col(k.start).1 - 1),
        _ => None,
    });
    let step = match parent_column {
        Some(column) if indent > column => indent - column,
        _ => indent_step(text),
    }
    .clamp(1, 8);
    let mut lines = String::new();
    if insert_at == text.len() && !text.is_empty() && !text.ends_with('\n') {
        lines.push('\n');
    }
    for (i, part) in parts[depth..].iter().enumerate() {
        let pad = " ".repeat(indent + step * i);
        let last = depth + i + 1 == parts.len();
        match (last, value) {
            (true, Inserted::Scalar(v)) => {
                lines.push_str(&format!("{pad}{}: {v}\n", key_text(part)))
            }
            (true, Inserted::Block(block)) => {
                lines.push_str(&format!("{pad}{}:\n", key_text(part)));
                for l in block {
                    if l.trim().is_empty() {
                        lines.push('\n');
                    } else {
                        lines.push_str(&format!("{pad}{}{l}\n", " ".repeat(step)));
                    }
                }
            }
            (false, _) => lines.push_str(&format!("{pad}{}:\n", key_text(part))),
        }
    }
    Some(Edit {
        span: Span::new(target, insert_at, insert_at),
        replacement: lines,
    })
}

/// How far the file indents a nested key: the indentation of its first indented line that
/// holds a key (not a comment, a list item or a quoted scalar's continuation); 2 when none does.
fn indent_step(text: &str) -> usize {
    text.lines()
        .find_map(|line| {
            let body = line.trim_start_matches(' ');
            let indent = line.len() - body.len();
            let keyish = !body.is_empty()
                && !body.starts_with(['#', '-', '"', '\'', '\t'])
                && (body.contains(": ") || body.ends_with(':'));
            (indent > 0 && keyish).then_some(indent)
        })
        .unwrap_or(2)
}

/// A fix moving the block of a key the chart ignores to the key it reads, comments included.
pub fn move_block_fix(cx: &Context, from: &str, to: &str) -> Option<Fix> {
    let node = cx.user_at(from)?;
    let Origin::File {
        key: Some(key_span),
        ..
    } = &node.origin
    else {
        return None;
    };
    if Some(key_span.file) != cx.target || !node.value.is_map() {
        return None;
    }
    let source = cx.sources.get(key_span.file);
    let (key_line, _) = source.line_col(key_span.start);
    let (last_line, _) = source.line_col(deepest_end(node).saturating_sub(1));
    let start = source.line_start(key_line);
    let before = &source.text[start..key_span.start];
    if !before.trim().is_empty() || last_line <= key_line {
        return None;
    }
    let end = source.line_start(last_line + 1);
    let children: Vec<&str> = (key_line + 1..=last_line)
        .map(|l| source.line_text(l))
        .collect();
    let indent = children
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()?;
    let block = children
        .iter()
        .map(|l| l.get(indent..).unwrap_or("").to_string())
        .collect();
    let insert = insert_edit(cx, to, &Inserted::Block(block))?;
    Some(Fix {
        description: format!("move `{from}` to `{to}`"),
        safe: false,
        edits: vec![
            Edit {
                span: Span::new(key_span.file, start, end),
                replacement: String::new(),
            },
            insert,
        ],
        keys: vec![from.to_string(), to.to_string()],
    })
}

fn key_text(key: &str) -> String {
    yaml_scalar(key)
}

/// After the last line of a block mapping, indented like its children.
fn block_insert_point(cx: &Context, map_node: &Node) -> Option<(usize, usize)> {
    let map = map_node.as_map()?;
    let file_id = map_node.origin.user_span()?.file;
    let source = cx.sources.get(file_id);
    let mut last_end = 0;
    let mut indent = None;
    for child in map.values() {
        let Origin::File { key, .. } = &child.origin else {
            return None;
        };
        let key = (*key)?;
        if key.file != file_id {
            return None;
        }
        let (_, col) = source.line_col(key.start);
        indent = Some(indent.map_or(col - 1, |i: usize| i.min(col - 1)));
        last_end = last_end.max(deepest_end(child));
    }
    let indent = indent?;
    // Flow mappings (`{a: 1}`) have no block lines to extend (the value's span: the node's own
    // span is its key's).
    if cx
        .sources
        .slice(map_node.origin.value_span()?)
        .trim_start()
        .starts_with('{')
    {
        return None;
    }
    let (line, _) = source.line_col(last_end.saturating_sub(1));
    Some((source.line_start(line + 1), indent))
}

/// The end of the last scalar (or key) inside a node. NOTE: a block mapping's own span ends
/// where the next token starts, often on a later line, so only scalars count.
fn deepest_end(node: &Node) -> usize {
    let key_end = match &node.origin {
        Origin::File { key: Some(k), .. } => k.end,
        _ => 0,
    };
    let inner = match &node.value {
        Value::Map(m) => m.values().map(deepest_end).max().unwrap_or(0),
        Value::Seq(s) => s.iter().map(deepest_end).max().unwrap_or(0),
        _ => match &node.origin {
            Origin::File { value, .. } => value.end,
            _ => 0,
        },
    };
    key_end.max(inner)
}

/// Whether `after` holds the same values as `before` except under `keys`, comparing the value
/// trees the YAML reads as (origins ignored), not the text: a fix that makes a block scalar
/// swallow the next key still parses, and is refused here.
pub fn only_keys_changed(before: &str, after: &str, keys: &[String]) -> bool {
    // As Helm 3 reads a values file: text after the first document that is no YAML is left
    // out (see `values_read`).
    let load = |t: &str| {
        let limits = crate::yaml::Limits::default();
        crate::values_read::read(FileId(0), "", t, &limits, false)
            .ok()
            .map(|r| r.yaml)
    };
    let (Some(a), Some(b)) = (load(before), load(after)) else {
        return false;
    };
    a.documents.len() == b.documents.len()
        && a.documents
            .into_iter()
            .zip(b.documents)
            .all(|(mut x, mut y)| {
                let mut paths: Vec<Vec<String>> = keys
                    .iter()
                    .map(|k| {
                        let path = crate::key_path::KeyPath::parse(k);
                        path.strs().iter().map(|s| s.to_string()).collect()
                    })
                    .collect();
                // An alias of a changed anchored scalar (`tag: &t 7.10` … `tag: *t`) changes
                // with it: allowed when it then reads as the text the user wrote (a quoting
                // fix), never when the fix writes another value (`mirrorOf: *reg` would move).
                let anchors: Vec<(String, String)> = paths
                    .iter()
                    .filter_map(|p| {
                        let parts: Vec<&str> = p.iter().map(String::as_str).collect();
                        let Origin::File { value, .. } = &x.get_path(&parts)?.origin else {
                            return None;
                        };
                        let written = before.get(value.start..value.end)?.trim_start();
                        let rest = written.strip_prefix('&')?;
                        let name = rest.split_whitespace().next()?;
                        let scalar = rest.strip_prefix(name)?.trim();
                        Some((format!("*{name}"), scalar.to_string()))
                    })
                    .collect();
                if !anchors.is_empty() {
                    let mut aliases = Vec::new();
                    alias_paths(&x, (before, &anchors), &mut Vec::new(), &mut aliases);
                    for (path, scalar) in aliases {
                        let parts: Vec<&str> = path.iter().map(String::as_str).collect();
                        if y.get_path(&parts)
                            .is_some_and(|n| matches!(&n.value, Value::Str(s) if *s == scalar))
                        {
                            paths.push(path);
                        }
                    }
                }
                for p in &paths {
                    let parts: Vec<&str> = p.iter().map(String::as_str).collect();
                    remove_path(&mut x, &parts);
                    remove_path(&mut y, &parts);
                }
                same_values(&x, &y)
            })
}

/// Adds the paths below `node` of the scalars written in `text` as one of `anchors`' aliases
/// (`*t`), each with the anchored scalar's text.
fn alias_paths(
    node: &Node,
    (text, anchors): (&str, &[(String, String)]),
    path: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, String)>,
) {
    match &node.value {
        Value::Map(m) => {
            for (k, child) in m {
                path.push(k.clone());
                alias_paths(child, (text, anchors), path, out);
                path.pop();
            }
        }
        Value::Seq(_) => {}
        _ => {
            let Origin::File { value, .. } = &node.origin else {
                return;
            };
            let written = text.get(value.start..value.end).unwrap_or_default().trim();
            if let Some((_, scalar)) = anchors.iter().find(|(alias, _)| alias == written) {
                out.push((path.clone(), scalar.clone()));
            }
        }
    }
}

/// Removes the value at `parts`, and maps left empty on the way; true when `node` is left an
/// empty map.
fn remove_path(node: &mut Node, parts: &[&str]) -> bool {
    let Value::Map(m) = &mut node.value else {
        return false;
    };
    match parts {
        [] => {}
        [last] => {
            m.remove(*last);
        }
        [first, rest @ ..] => {
            if m.get_mut(*first)
                .is_some_and(|child| remove_path(child, rest))
            {
                m.remove(*first);
            }
        }
    }
    m.is_empty()
}

/// Equal values, wherever they were written.
pub fn same_values(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && same_values(va, vb))
        }
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_values(p, q))
        }
        (x, y) => x == y,
    }
}

/// `edits` for a file whose lines end in CRLF: inserted line breaks are CRLF too.
pub fn match_line_ends(text: &str, edits: &[Edit]) -> Vec<Edit> {
    let crlf = text.contains("\r\n");
    edits
        .iter()
        .map(|e| Edit {
            span: e.span,
            replacement: if crlf {
                e.replacement.replace("\r\n", "\n").replace('\n', "\r\n")
            } else {
                e.replacement.clone()
            },
        })
        .collect()
}

/// Applies non-overlapping edits to `text`, back to front so earlier offsets stay valid.
pub fn apply(text: &str, edits: &[Edit]) -> Option<String> {
    let mut edits: Vec<&Edit> = edits.iter().collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    for pair in edits.windows(2) {
        if pair[0].span.end > pair[1].span.start {
            return None;
        }
    }
    let mut out = text.to_string();
    for e in edits.iter().rev() {
        if e.span.end > out.len()
            || !out.is_char_boundary(e.span.start)
            || !out.is_char_boundary(e.span.end)
        {
            return None;
        }
        out.replace_range(e.span.start..e.span.end, &e.replacement);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        assert_eq!(yaml_scalar("registry.example.com"), "registry.example.com");
        assert_eq!(yaml_scalar("4.10"), "\"4.10\"");
        assert_eq!(yaml_scalar("yes"), "\"yes\"");
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar("\"4.1.8\""), "\"4.1.8\"");
    }

    #[test]
    fn edits_apply_back_to_front() {
        let f = FileId(0);
        let edits = [
            Edit {
                span: Span::new(f, 0, 1),
                replacement: "X".into(),
            },
            Edit {
                span: Span::new(f, 4, 4),
                replacement: "!".into(),
            },
        ];
        assert_eq!(apply("abcdef", &edits).unwrap(), "Xbcd!ef");
        let overlapping = [
            Edit {
                span: Span::new(f, 0, 3),
                replacement: String::new(),
            },
            Edit {
                span: Span::new(f, 2, 4),
                replacement: String::new(),
            },
        ];
        assert!(apply("abcdef", &overlapping).is_none());
    }
}

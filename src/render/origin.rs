//! `render --show-origin`: each rendered scalar that came from a values file or `--set` gets a
//! YAML comment naming where (`# values.yaml:12 stackstate.server.config`).
//!
//! The comment goes at the end of the line where the scalar ends, or, for a block scalar
//! (`|`, `>`), on its header line, where YAML allows a comment; scalars ending on one line share
//! one comment. Chart defaults are not annotated.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::Output;
use super::manifest::{self, Manifest};
use crate::source::{FileId, Sources, Span};
use crate::template::value::Prov;
use crate::value::{Node, Origin, Value};
use crate::yaml;

/// The release as [`Output::text`], with origin comments.
pub(crate) fn annotate(output: &Output, sources: &Sources) -> String {
    manifest::print_with(&output.sorted, &|m| annotate_doc(output, m, sources))
}

/// Where a value came from, as the comment says it; `None` for chart defaults.
fn label(prov: &Prov, sources: &Sources) -> Option<String> {
    let place = match &prov.origin {
        Origin::File { key, value } => {
            let span = key.unwrap_or(*value);
            let file = sources.get(span.file);
            let (line, _) = file.line_col(span.start);
            format!("{}:{line}", file.name)
        }
        Origin::Set { index, kind, .. } => format!("{} #{index}", kind.flag()),
        Origin::Chart(_) | Origin::Synthetic => return None,
    };
    Some(format!(
        "{place} {}",
        crate::key_path::display(&prov.user_path)
    ))
}

fn annotate_doc<'m>(output: &Output, m: &'m Manifest, sources: &Sources) -> Cow<'m, str> {
    let Some(buf) = output.files.files.get(&m.path) else {
        return Cow::Borrowed(&m.content);
    };
    let (start, end) = (m.offset, m.offset + m.content.len());
    let segs: Vec<(usize, usize, String)> = buf
        .segs
        .iter()
        .filter(|s| (s.end as usize) > start && (s.start as usize) < end)
        .filter_map(|s| {
            let l = label(&s.prov, sources)?;
            let a = (s.start as usize).max(start) - start;
            let b = (s.end as usize).min(end) - start;
            Some((a, b, l))
        })
        .collect();
    if segs.is_empty() {
        return Cow::Borrowed(&m.content);
    }
    let limits = super::manifest::manifest_limits(&m.content);
    let Ok(file) = yaml::load(FileId(u32::MAX), &m.content, &limits) else {
        return Cow::Borrowed(&m.content);
    };
    let mut spans = Vec::new();
    for doc in &file.documents {
        scalar_spans(doc, &mut spans);
    }
    let text = m.content.as_str();
    // Line start offsets, for finding the line of an offset.
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |off: usize| line_starts.partition_point(|&s| s <= off).saturating_sub(1);
    let mut comments: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for span in spans {
        let labels: Vec<&String> = segs
            .iter()
            .filter(|(a, b, _)| *b > span.start && *a < span.end.max(span.start + 1))
            .map(|(_, _, l)| l)
            .collect();
        if labels.is_empty() {
            continue;
        }
        let line = match block_header(text, span.start, &line_starts, line_of(span.start)) {
            Some(header) => header,
            None => {
                let end = text[..span.end.min(text.len())].trim_end().len();
                line_of(end.saturating_sub(1).max(span.start))
            }
        };
        let entry = comments.entry(line).or_default();
        for l in labels {
            if !entry.contains(l) {
                entry.push(l.clone());
            }
        }
    }
    if comments.is_empty() {
        return Cow::Borrowed(&m.content);
    }
    let mut out = String::with_capacity(text.len() + comments.len() * 48);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line);
        if let Some(labels) = comments.get(&i) {
            out.push_str(" # ");
            out.push_str(&labels.join(", "));
        }
    }
    Cow::Owned(out)
}

/// The header line (`key: |-`) of a block scalar whose content starts at `start`: the nearest
/// line before that is not blank (a block may start with empty lines), when the content
/// starts its line and that line ends with a block indicator.
fn block_header(text: &str, start: usize, line_starts: &[usize], line: usize) -> Option<usize> {
    let line_start = *line_starts.get(line)?;
    if line == 0 || !text[line_start..start].trim().is_empty() {
        return None;
    }
    let mut header = line - 1;
    let mut prev = text[line_starts[header]..line_starts[header + 1]].trim_end();
    while prev.is_empty() && header > 0 {
        header -= 1;
        prev = text[line_starts[header]..line_starts[header + 1]].trim_end();
    }
    let indicator = prev.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '+');
    matches!(indicator.chars().last(), Some('|' | '>')).then_some(header)
}

/// The value spans of every scalar of a document.
fn scalar_spans(node: &Node, out: &mut Vec<Span>) {
    match &node.value {
        Value::Map(m) => m.values().for_each(|n| scalar_spans(n, out)),
        Value::Seq(items) => items.iter().for_each(|n| scalar_spans(n, out)),
        _ => {
            if let Some(span) = node.origin.value_span() {
                out.push(span);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_scalars_are_annotated_on_their_header_line() {
        let text = "a:\n  block: |-\n    line1\n  b: >2\n    x\n  plain: v\n";
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let at = |needle: &str| text.find(needle).unwrap();
        assert_eq!(block_header(text, at("line1"), &starts, 2), Some(1));
        assert_eq!(block_header(text, at("x\n"), &starts, 4), Some(3));
        assert_eq!(block_header(text, at("v\n"), &starts, 5), None);
        // A block that starts with empty lines (the header is further up).
        let text = "a: |\n    \n\n  x\nb: y\n";
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        assert_eq!(
            block_header(text, text.find("x\n").unwrap(), &starts, 3),
            Some(0)
        );
        assert_eq!(
            block_header(text, text.find("y\n").unwrap(), &starts, 4),
            None
        );
    }
}

//! Which part of a values file each Helm reads. Helm 3 hands the whole file to
//! `sigs.k8s.io/yaml`, which reads its first document and never looks further: a later document
//! may be anything, even broken YAML. Helm 4 first splits the file at `---` lines (apimachinery's
//! `YAMLReader`) and reads each piece the same way, so within a piece whatever follows a `...`
//! line is never read.

use std::borrow::Cow;

use crate::source::{FileId, Span};
use crate::yaml::first_document_end;
use crate::yaml::{self, Limits, YamlError, YamlFile};

/// A values file as one Helm reads it.
#[derive(Debug)]
pub(crate) struct Read {
    pub(crate) yaml: YamlFile,
    /// Where the first stretch of text this Helm never reads starts (at its `---` or `...`
    /// line), when that stretch holds anything but blanks and comments.
    pub(crate) unread: Option<usize>,
}

/// Loads `text` as a Helm reads it — Helm 4 (`parts`: the file split at `---` lines) or Helm 3
/// (its first document); a YAML error is the one that Helm would meet.
pub(crate) fn read(
    id: FileId,
    name: &str,
    text: &str,
    limits: &Limits,
    parts: bool,
) -> Result<Read, YamlError> {
    // go-yaml's reader refuses DEL and other control characters anywhere in the text, before
    // it parses (Helm 3 and 4 alike).
    if let Some((at, problem)) = crate::template::go_bytes::yaml_reader_error_at(text) {
        return Err(YamlError::Syntax {
            message: problem.into(),
            span: Span::new(id, at, at),
        });
    }
    if parts {
        let skipped = after_document_ends(text);
        let unread = skipped
            .iter()
            .find(|&&(_, from, to)| has_content(&text[from..to]))
            .map(|&(marker, _, _)| marker);
        let loaded = yaml::load_named(id, name, &blank(text, &skipped), limits);
        // The parts are read in order: an error in an earlier part comes first.
        let syntax = |message: String, at: usize| YamlError::Syntax {
            message,
            span: Span::new(id, at, at),
        };
        // The first error of a part, and from where an error of the loader comes after it.
        // NOTE: in the first part the loader's error for a directive stands (it knows go-yaml's
        // words for bad directives); in a later part a directive is always reported as the
        // missing document start, where go-yaml may first find fault with the directive itself.
        let part_error = bad_separator(text)
            .map(|(part, at, message)| (part, syntax(message, at)))
            .or_else(|| {
                crate::yaml_gap::directives_alone(text).map(|(part, gap)| {
                    let loader_first = if part == 0 { usize::MAX } else { part };
                    (loader_first, syntax(gap.message.into(), gap.at))
                })
            });
        return match (loaded, part_error) {
            (Err(e), Some((after, _))) if e.span().start < after => Err(e),
            (_, Some((_, e))) | (Err(e), None) => Err(e),
            (Ok(yaml), None) => Ok(Read { yaml, unread }),
        };
    }
    match yaml::load_named(id, name, text, limits) {
        Ok(yaml) => Ok(Read { yaml, unread: None }),
        Err(e) => {
            // Helm 3 meets no error that lies past the end of the first document.
            let end = first_document_end(text).filter(|&end| e.span().start >= end);
            match end.map(|end| (end, yaml::load_named(id, name, &text[..end], limits))) {
                Some((end, Ok(yaml))) => Ok(Read {
                    yaml,
                    unread: Some(end),
                }),
                _ => Err(e),
            }
        }
    }
}

/// For each piece between `---` lines whose first document ends at a `...` line before more
/// text: (the `...` line, the start of the line after it, the end of the piece).
fn after_document_ends(text: &str) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut piece = 0;
    let mut offset = 0;
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let at = offset;
        offset += line.len();
        let separator = line.starts_with("---");
        if separator || lines.peek().is_none() {
            let end = if separator { at } else { offset };
            if let Some(marker) = first_document_end(&text[piece..end]).map(|m| piece + m) {
                let after = text[marker..].find('\n').map_or(end, |nl| marker + nl + 1);
                if after < end {
                    out.push((marker, after, end));
                }
            }
            piece = offset;
        }
    }
    out
}

/// apimachinery's `YAMLReader` takes every line that starts with `---` for a separator and
/// refuses one with more than a comment after the dashes. For the first such line: where the
/// part it ends starts, the line, and Helm 4's words.
fn bad_separator(text: &str) -> Option<(usize, usize, String)> {
    let mut part = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let Some(rest) = line.strip_prefix("---") else {
            continue;
        };
        let rest = rest.trim();
        if !rest.is_empty() && !rest.starts_with('#') {
            return Some((part, at, format!("invalid Yaml document separator: {rest}")));
        }
        part = offset;
    }
    None
}

/// `text` with the byte ranges `[from, to)` turned to spaces, line breaks kept: every offset
/// and line number stays where it was.
fn blank<'t>(text: &'t str, ranges: &[(usize, usize, usize)]) -> Cow<'t, str> {
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for &(_, from, to) in ranges {
        for b in &mut bytes[from..to] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    // Only whole lines were blanked (they start after a line break and end at one or at the
    // end), so no character was cut.
    Cow::Owned(String::from_utf8(bytes).unwrap_or_default())
}

/// Whether a stretch of YAML holds more than blank lines and comments.
fn has_content(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        !l.is_empty() && !l.starts_with('#')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `parts`: Helm 4's reading.
    fn read_as(text: &str, parts: bool) -> Result<(usize, Option<usize>), String> {
        read(FileId(0), "v.yaml", text, &Limits::default(), parts)
            .map(|r| (r.yaml.documents.len(), r.unread))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn helm3_never_reads_past_the_first_document() {
        // A broken document after the first one: Helm 3 renders (checked with Helm 3.17.3).
        for text in [
            "a: 1\n---\nb: [\n",
            "a: 1\n...\nb: [\n",
            "a: 1\n---\nb: *x\n",
            "a: 1\n--- @x\n",
            "a: 1\n---\nb: \"x\n",
        ] {
            assert_eq!(read_as(text, false), Ok((1, Some(5))), "{text:?}");
        }
        // An error inside the first document is still one.
        assert!(read_as("a: [\n---\nb: 1\n", false).is_err());
        // A readable second document is read (and left to the caller to ignore).
        assert_eq!(read_as("a: 1\n---\nb: 2\n", false), Ok((2, None)));
    }

    #[test]
    fn helm4_reads_each_piece_up_to_its_document_end() {
        assert_eq!(read_as("a: 1\n...\nb: 2\n", true), Ok((1, Some(5))));
        assert_eq!(read_as("a: 1\n...\nb: [\n", true), Ok((1, Some(5))));
        // The piece after the next `---` is read again.
        assert_eq!(
            read_as("a: 1\n...\nx: [\n---\nb: 2\n", true),
            Ok((2, Some(5)))
        );
        // Only blanks and comments after `...`: nothing left unread.
        assert_eq!(read_as("a: 1\n...\n# c\n", true), Ok((1, None)));
        // A broken later piece is read, and fails (Helm 4.1.4 fails too).
        assert!(read_as("a: 1\n---\nb: [\n", true).is_err());
        // Helm 4.1.4's words for a separator line with more after it.
        assert_eq!(
            read_as("a: 1\n--- @x\n", true),
            Err("invalid YAML: invalid Yaml document separator: @x".into())
        );
        assert_eq!(
            read_as("a: 1\n---\n%YAML 1.1\nb: 2\n", true),
            Err("invalid YAML: did not find expected <document start>".into())
        );
    }
}

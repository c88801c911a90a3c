//! Where the bytes of a decoded YAML scalar sit in the text it was read from (a rendered file,
//! a string `fromYaml` parses).
//!
//! A scalar's decoded text differs from its source bytes when it is quoted (quotes, escapes),
//! folded, or a block scalar (indentation): a [`Located`] maps the decoded text back piece by
//! piece where the decoding is 1:1, and falls back to the whole scalar's source span where it is
//! not, so an origin is never claimed for bytes it did not produce.

use std::ops::Range;

/// A run of bytes that is the same text in the decoded string and in the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    /// Start in the decoded text.
    text: usize,
    /// Start in the target (the source text, or an outer decoded text).
    target: usize,
    /// Length in bytes.
    len: usize,
}

/// A decoded text placed in a target text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// Exact pieces, sorted by `text`, not overlapping.
    pieces: Vec<Piece>,
    /// The whole source span: what a range not covered by `pieces` maps to.
    whole: Range<usize>,
}

impl Located {
    /// A text that is `len` bytes of the target starting at `start`, unchanged.
    pub fn identity(start: usize, len: usize) -> Located {
        Located {
            pieces: vec![Piece {
                text: 0,
                target: start,
                len,
            }],
            whole: start..start + len,
        }
    }

    /// The source span of the whole text.
    pub fn whole(&self) -> Range<usize> {
        self.whole.clone()
    }

    /// The target ranges of `range` of the decoded text, and whether they are exact (every byte
    /// mapped); when not, the whole source span stands for it.
    pub fn map(&self, range: Range<usize>) -> (Vec<Range<usize>>, bool) {
        if range.is_empty() {
            return (Vec::new(), true);
        }
        let mut out: Vec<Range<usize>> = Vec::new();
        let mut at = range.start;
        for p in &self.pieces {
            let (lo, hi) = (p.text.max(at), (p.text + p.len).min(range.end));
            if lo >= hi {
                continue;
            }
            if lo != at {
                // A gap: a byte with no counterpart in the source (an escape, a folded break).
                break;
            }
            let start = p.target + (lo - p.text);
            match out.last_mut() {
                Some(r) if r.end == start => r.end += hi - lo,
                _ => out.push(start..start + (hi - lo)),
            }
            at = hi;
            if at == range.end {
                return (out, true);
            }
        }
        (vec![self.whole.clone()], false)
    }

    /// This text seen through `outer` (which places the text this one's target is in).
    pub fn through(&self, outer: &Located) -> Located {
        let mut pieces = Vec::new();
        for p in &self.pieces {
            let (ranges, exact) = outer.map(p.target..p.target + p.len);
            if !exact {
                continue;
            }
            let mut text = p.text;
            for r in ranges {
                pieces.push(Piece {
                    text,
                    target: r.start,
                    len: r.len(),
                });
                text += r.len();
            }
        }
        let (ranges, _) = outer.map(self.whole.clone());
        let whole = match (ranges.first(), ranges.last()) {
            (Some(a), Some(b)) => a.start..b.end,
            _ => outer.whole(),
        };
        Located { pieces, whole }
    }
}

/// Places a scalar's decoded text in `source`, the text it was parsed from, given the span the
/// parser reported for it (quotes included; a block scalar's span starts at its first content
/// byte, after the `|`/`>` header line).
pub fn scalar(source: &str, span: Range<usize>, decoded: &str) -> Located {
    let end = span.end.min(source.len());
    let span = span.start.min(end)..end;
    let whole = |span: Range<usize>| Located {
        pieces: Vec::new(),
        whole: span,
    };
    let Some(raw) = source.get(span.clone()) else {
        return whole(span);
    };
    let exact = |offset: usize| Located {
        pieces: vec![Piece {
            text: 0,
            target: span.start + offset,
            len: decoded.len(),
        }],
        whole: span.clone(),
    };
    if let Some((header, literal)) = block_header(source, span.start) {
        let span = header..span.end;
        return match literal {
            true => literal_block(source, span.clone(), decoded).unwrap_or(whole(span)),
            // Folded blocks join lines: no byte-for-byte correspondence worth claiming.
            false => whole(span),
        };
    }
    match raw.as_bytes().first() {
        Some(b'"') | Some(b'\'') => {
            // Quoted: 1:1 when the text between the quotes is the decoded text (no escapes,
            // no folded line breaks).
            if raw.len() >= 2 && raw.get(1..raw.len() - 1) == Some(decoded) {
                exact(1)
            } else {
                whole(span)
            }
        }
        _ if raw == decoded => exact(0),
        // A plain scalar over several lines (folded), an alias, a tagged scalar.
        _ => whole(span),
    }
}

/// When the scalar starting at `start` is a block scalar: where its `|`/`>` indicator is and
/// whether it is literal. The content starts on a later line than the header, so the nearest
/// non-blank line above must end with a block header (`|`, `>-`, `|2+`, a comment after it).
fn block_header(source: &str, start: usize) -> Option<(usize, bool)> {
    let before = source.get(..start)?;
    let line_start = before.rfind('\n')? + 1;
    if !before[line_start..].bytes().all(|b| b == b' ') {
        return None;
    }
    let mut end = line_start - 1;
    loop {
        let line_start = before[..end].rfind('\n').map_or(0, |i| i + 1);
        let line = &before[line_start..end];
        if line.trim().is_empty() {
            if line_start == 0 {
                return None;
            }
            end = line_start - 1;
            continue;
        }
        let code = match line.find(" #") {
            Some(i) => &line[..i],
            None => line,
        }
        .trim_end();
        let token_start = code.rfind([' ', '\t']).map_or(0, |i| i + 1);
        let token = &code[token_start..];
        let mut chars = token.chars();
        let indicator = chars.next()?;
        if !matches!(indicator, '|' | '>') || !chars.all(|c| matches!(c, '-' | '+' | '1'..='9')) {
            return None;
        }
        return Some((line_start + token_start, indicator == '|'));
    }
}

/// A literal block scalar (`|`, `|-`, `|2+`…): every decoded line is a source line without its
/// indentation, so each maps exactly. `None` when the lines do not line up.
fn literal_block(source: &str, span: Range<usize>, decoded: &str) -> Option<Located> {
    let (raw, base) = (source.get(span.clone())?, span.start);
    // The content starts on the line after the indicator.
    let header_end = raw.find('\n')? + 1;
    let mut src_at = header_end;
    let mut pieces = Vec::new();
    let mut text_at = 0;
    for line in decoded.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        // The next source line that ends with this content after indentation only.
        let rest = raw.get(src_at..)?;
        let src_line_end = rest.find('\n').map_or(rest.len(), |i| i);
        let src_line = &rest[..src_line_end];
        let indent = src_line.len().checked_sub(content.len())?;
        if !src_line.ends_with(content) || !src_line[..indent].bytes().all(|b| b == b' ') {
            return None;
        }
        if !content.is_empty() {
            pieces.push(Piece {
                text: text_at,
                target: base + src_at + indent,
                len: content.len(),
            });
        }
        if line.ends_with('\n') {
            // The line break is kept as is by literal style (the last one per chomping; it
            // is in the source either way when the line is not the last).
            if src_line_end < rest.len() {
                pieces.push(Piece {
                    text: text_at + content.len(),
                    target: base + src_at + src_line_end,
                    len: 1,
                });
            }
        }
        text_at += line.len();
        src_at += src_line_end + 1;
    }
    merge(&mut pieces);
    Some(Located {
        pieces,
        whole: base..base + raw.len(),
    })
}

/// Joins adjacent pieces that continue each other.
fn merge(pieces: &mut Vec<Piece>) {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for p in pieces.drain(..) {
        match out.last_mut() {
            Some(q) if q.text + q.len == p.text && q.target + q.len == p.target => q.len += p.len,
            _ => out.push(p),
        }
    }
    *pieces = out;
}

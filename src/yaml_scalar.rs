//! Where the bytes of a decoded YAML scalar sit in the text it was read from (a rendered file,
//! a string `fromYaml` parses).
//!
//! A scalar's decoded text differs from its source bytes when it is quoted (quotes, escapes),
//! folded, or a block scalar (indentation): a [`Located`] maps the decoded text back piece by
//! piece where the decoding is 1:1, and falls back to the whole scalar's source span where it is
//! not, so an origin is never claimed for bytes it did not produce.

use std::ops::Range;

/// A run of bytes that is the same text in the decoded string and in the target, or a folded
/// line break: the space (or line break) YAML reads for a line break of a plain or quoted
/// scalar, placed on that line break (whose provenance is the value that printed it).
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
    let folded = |inner: Range<usize>| {
        let text = source.get(inner.clone())?;
        let pieces = folded(text, inner.start, decoded)?;
        Some(Located {
            pieces,
            whole: span.clone(),
        })
    };
    match raw.as_bytes().first() {
        Some(b'"') | Some(b'\'') => {
            // Quoted: 1:1 when the text between the quotes is the decoded text; line by line
            // when it only folds line breaks; no escapes.
            if raw.len() >= 2 && raw.get(1..raw.len() - 1) == Some(decoded) {
                exact(1)
            } else if raw.len() >= 2 {
                folded(span.start + 1..span.end - 1).unwrap_or_else(|| whole(span.clone()))
            } else {
                whole(span)
            }
        }
        _ if raw == decoded => exact(0),
        // A plain scalar over several lines (folded); an alias or a tagged scalar does not
        // line up.
        _ => folded(span.clone()).unwrap_or_else(|| whole(span.clone())),
    }
}

/// The pieces of `decoded` in `raw` (which starts at `base`) when the only difference is YAML's
/// folding of line breaks: the blanks around a break dropped, a single break read as a space,
/// `n + 1` breaks as `n` line breaks. `None` when anything else differs (escapes, `''`, tags).
fn folded(raw: &str, base: usize, decoded: &str) -> Option<Vec<Piece>> {
    let (r, d) = (raw.as_bytes(), decoded.as_bytes());
    let (mut i, mut j) = (0, 0);
    let mut pieces = Vec::new();
    let blank = |b: u8| b == b' ' || b == b'\t';
    while i < d.len() || j < r.len() {
        // The blanks that end a line, then the breaks and the next line's indentation.
        let line_end = (j..r.len()).find(|&k| !blank(r[k])).unwrap_or(r.len());
        if line_end < r.len() && (r[line_end] == b'\n' || r[line_end] == b'\r') {
            let mut breaks = Vec::new();
            let mut k = line_end;
            while k < r.len() && (blank(r[k]) || r[k] == b'\n' || r[k] == b'\r') {
                if r[k] == b'\n' {
                    breaks.push(k);
                }
                k += 1;
            }
            let folds: Vec<(u8, usize)> = match breaks.as_slice() {
                [] => return None,
                [one] => vec![(b' ', *one)],
                [_, rest @ ..] => rest.iter().map(|&at| (b'\n', at)).collect(),
            };
            for (byte, at) in folds {
                if d.get(i) != Some(&byte) {
                    return None;
                }
                pieces.push(Piece {
                    text: i,
                    target: base + at,
                    len: 1,
                });
                i += 1;
            }
            j = k;
            continue;
        }
        if i < d.len() && j < r.len() && d[i] == r[j] {
            pieces.push(Piece {
                text: i,
                target: base + j,
                len: 1,
            });
            i += 1;
            j += 1;
            continue;
        }
        return None;
    }
    merge(&mut pieces);
    Some(pieces)
}

/// Whether the scalar whose span starts at `start` is a block scalar: its span starts at its
/// content, after the header line, or at its anchor or tag, before the `|` or `>`.
pub(crate) fn is_block_scalar(text: &str, start: usize) -> bool {
    let start = start.min(text.len());
    block_header(text, start).is_some()
        || (text[start..].starts_with(['&', '!'])
            && text[crate::yaml_gap::properties_end(text, start)..].starts_with(['|', '>']))
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

#[cfg(test)]
mod tests {
    use super::scalar;

    /// The source text of each decoded byte, as [`super::Located::map`] gives it byte by byte.
    fn each_byte(source: &str, span: std::ops::Range<usize>, decoded: &str) -> Option<String> {
        let located = scalar(source, span, decoded);
        let mut out = String::new();
        for i in 0..decoded.len() {
            let (ranges, exact) = located.map(i..i + 1);
            if !exact {
                return None;
            }
            out.push_str(&source[ranges[0].clone()]);
        }
        Some(out)
    }

    #[test]
    fn a_folded_line_break_is_placed_on_the_break() {
        // `image: a:1\n  b` reads as `a:1 b`: the space is the line break the value printed.
        let src = "image: a:1\n  b\n";
        assert_eq!(each_byte(src, 7..14, "a:1 b").as_deref(), Some("a:1\nb"));
        // Blanks around the break are dropped; two breaks read as one line break.
        let src = "k: \"x  \n\n   y\"";
        assert_eq!(each_byte(src, 3..14, "x\ny").as_deref(), Some("x\ny"));
        let src = "k: x  \n   y";
        assert_eq!(each_byte(src, 3..11, "x y").as_deref(), Some("x\ny"));
    }

    #[test]
    fn escapes_and_other_differences_fall_back_to_the_whole_scalar() {
        let src = "k: \"a\\tb\"";
        assert_eq!(each_byte(src, 3..9, "a\tb"), None);
        let src = "k: 'it''s'";
        assert_eq!(each_byte(src, 3..10, "it's"), None);
        let src = "k: a\n  b";
        assert_eq!(each_byte(src, 3..8, "a  b"), None);
    }
}

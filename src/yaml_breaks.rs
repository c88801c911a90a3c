//! go-yaml's line breaks and byte-order marks, read through saphyr.
//!
//! libyaml (go-yaml v2, which Helm reads YAML with) breaks lines at NEL (U+0085), LS (U+2028)
//! and PS (U+2029) as at `\n`, and takes a byte-order mark past the text's first character for
//! an ordinary character (`a: x\u{feff}y` is `"x\u{feff}y"`). saphyr, a YAML 1.2 reader, takes
//! the three for ordinary characters and refuses such a mark. So the loader gives saphyr a
//! rewritten text of the same length in bytes, where every byte offset still points at the
//! same place: NEL becomes `\r\n` (one break, as NEL is), LS and PS ` \r\n` (blanks before a
//! break are no content outside block scalars), a byte-order mark a noncharacter the text does
//! not hold. A plain or quoted scalar holding LS, PS or a mark is then read again from the
//! original text as libyaml reads it (`read_line` keeps LS and PS, and a fold at one keeps it:
//! `"x\u{2028}y"` is `"x\u{2028}y"`, where at `\n` it is `"x y"`); in block scalars the mark
//! comes back, while LS and PS stay `\n` (with a space before it).
//!
//! Texts without these characters (every ASCII text) are not copied.

use saphyr_parser::ScalarStyle;

/// The text saphyr reads in place of a text holding go-yaml's other line breaks or a
/// byte-order mark past its start.
pub(crate) struct Rewritten {
    /// Same length in bytes as the original; char boundaries of the original are its too.
    pub(crate) text: String,
    /// The noncharacter standing for a byte-order mark, if one was replaced.
    pub(crate) mark: Option<char>,
}

/// `text` rewritten for saphyr, or `None` when it holds no NEL, LS, PS, nor a byte-order mark
/// past its first character.
pub(crate) fn rewrite(text: &str) -> Option<Rewritten> {
    if text.is_ascii() {
        return None;
    }
    rewrite_non_ascii(text)
}

#[inline(never)]
fn rewrite_non_ascii(text: &str) -> Option<Rewritten> {
    let bytes = text.as_bytes();
    let rare = |i: usize| match bytes[i] {
        0xC2 => bytes.get(i + 1) == Some(&0x85),
        0xE2 => bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)),
        0xEF => i > 0 && bytes.get(i + 1) == Some(&0xBB) && bytes.get(i + 2) == Some(&0xBF),
        _ => false,
    };
    let first = (0..bytes.len()).find(|&i| rare(i))?;
    let mut mark = None;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..first]);
    let mut i = first;
    while i < bytes.len() {
        if !rare(i) {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        match bytes[i] {
            0xC2 => out.extend_from_slice(b"\r\n"),
            0xE2 => out.extend_from_slice(b" \r\n"),
            _ => {
                // NOTE: a text holding all 32 noncharacters keeps its mark (saphyr refuses it).
                let stand_in = *mark.get_or_insert_with(|| {
                    ('\u{FDD0}'..='\u{FDEF}')
                        .find(|c| !text.contains(*c))
                        .unwrap_or('\u{FEFF}')
                });
                let mut buf = [0; 4];
                out.extend_from_slice(stand_in.encode_utf8(&mut buf).as_bytes());
            }
        }
        i += if bytes[i] == 0xC2 { 2 } else { 3 };
    }
    // Every replacement is a whole character for a whole character sequence of the same size.
    let text = String::from_utf8(out).ok()?;
    Some(Rewritten { text, mark })
}

/// A scalar saphyr read from the rewritten text as go-yaml reads it from `original`: `value`
/// is saphyr's, `start..end` its span (the opening quote of a quoted scalar).
pub(crate) fn scalar<'v>(
    original: &str,
    (start, end): (usize, usize),
    style: ScalarStyle,
    value: std::borrow::Cow<'v, str>,
    mark: Option<char>,
) -> std::borrow::Cow<'v, str> {
    let again = match style {
        ScalarStyle::Plain => original
            .get(start..end)
            .filter(|s| holds_rare(s))
            .map(plain),
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => original
            .get(start..)
            .and_then(|s| quoted(s, style == ScalarStyle::SingleQuoted))
            .filter(|(_, written)| holds_rare(written))
            .map(|(value, _)| value),
        _ => None,
    };
    match (again, mark) {
        (Some(v), _) => v.into(),
        (None, Some(m)) if value.contains(m) => value.replace(m, "\u{feff}").into(),
        (None, _) => value,
    }
}

/// Whether `s` holds LS, PS or a byte-order mark.
fn holds_rare(s: &str) -> bool {
    !s.is_ascii() && s.contains(['\u{2028}', '\u{2029}', '\u{feff}'])
}

/// The length of the line break (as libyaml's `is_break` knows them) at the start of `s`.
fn break_len(s: &[u8]) -> usize {
    match s {
        [b'\r', b'\n', ..] => 2,
        [b'\r' | b'\n', ..] => 1,
        [0xC2, 0x85, ..] => 2,
        [0xE2, 0x80, 0xA8 | 0xA9, ..] => 3,
        _ => 0,
    }
}

/// What libyaml's `read_line` copies for a break: `\n`, or LS and PS themselves.
fn read_line(s: &str) -> &str {
    if s.starts_with(['\u{2028}', '\u{2029}']) {
        &s[..3]
    } else {
        "\n"
    }
}

/// libyaml's join of a fold: the leading break and the trailing ones.
fn fold(out: &mut String, leading: &str, trailing: &str) {
    if leading == "\n" {
        out.push_str(if trailing.is_empty() { " " } else { trailing });
    } else {
        out.push_str(leading);
        out.push_str(trailing);
    }
}

/// A plain scalar as written (saphyr found its extent), folded as libyaml's
/// `yaml_parser_scan_plain_scalar` folds it.
fn plain(written: &str) -> String {
    let b = written.as_bytes();
    let mut out = String::with_capacity(written.len());
    let (mut leading, mut trailing, mut spaces) = (String::new(), String::new(), String::new());
    let mut i = 0;
    while i < b.len() {
        let n = break_len(&b[i..]);
        if n > 0 {
            if leading.is_empty() {
                spaces.clear();
                leading.push_str(read_line(&written[i..]));
            } else {
                trailing.push_str(read_line(&written[i..]));
            }
            i += n;
        } else if matches!(b[i], b' ' | b'\t') {
            if leading.is_empty() {
                spaces.push(b[i] as char);
            }
            i += 1;
        } else {
            if !leading.is_empty() {
                fold(&mut out, &leading, &trailing);
                leading.clear();
                trailing.clear();
            } else {
                out.push_str(&spaces);
            }
            spaces.clear();
            let c = written[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// A quoted scalar at the start of `s` (its opening quote) as libyaml's
/// `yaml_parser_scan_flow_scalar` reads it, and the text it was written as; `None` where
/// libyaml would fail (saphyr's error on the rewritten text stands then).
fn quoted(s: &str, single: bool) -> Option<(String, &str)> {
    let b = s.as_bytes();
    let quote = if single { b'\'' } else { b'"' };
    if b.first() != Some(&quote) {
        return None;
    }
    let mut out = String::new();
    let (mut leading, mut trailing, mut spaces) = (String::new(), String::new(), String::new());
    let mut i = 1;
    loop {
        let mut leading_blanks = false;
        // Non-blank characters.
        while i < b.len() && !matches!(b[i], b' ' | b'\t') && break_len(&b[i..]) == 0 {
            match b[i] {
                b'\'' if single && b.get(i + 1) == Some(&b'\'') => {
                    out.push('\'');
                    i += 2;
                }
                c if c == quote => break,
                b'\\' if !single && break_len(&b[i + 1..]) > 0 => {
                    i += 1 + break_len(&b[i + 1..]);
                    leading_blanks = true;
                    break;
                }
                b'\\' if !single => i = escape(s, i, &mut out)?,
                _ => {
                    let c = s[i..].chars().next()?;
                    out.push(c);
                    i += c.len_utf8();
                }
            }
        }
        match b.get(i) {
            None => return None,
            Some(&c) if c == quote => break,
            _ => {}
        }
        // Blanks and breaks.
        loop {
            let n = break_len(&b[i..]);
            if n > 0 {
                if !leading_blanks {
                    spaces.clear();
                    leading.push_str(read_line(&s[i..]));
                    leading_blanks = true;
                } else {
                    trailing.push_str(read_line(&s[i..]));
                }
                i += n;
            } else if matches!(b.get(i), Some(b' ' | b'\t')) {
                if !leading_blanks {
                    spaces.push(b[i] as char);
                }
                i += 1;
            } else {
                break;
            }
        }
        if leading_blanks {
            fold(&mut out, &leading, &trailing);
            leading.clear();
            trailing.clear();
        } else {
            out.push_str(&spaces);
            spaces.clear();
        }
    }
    Some((out, &s[..=i]))
}

/// One escape of a double-quoted scalar at `s[i]` (the backslash) appended to `out`; the
/// offset past it.
fn escape(s: &str, i: usize, out: &mut String) -> Option<usize> {
    let c = *s.as_bytes().get(i + 1)?;
    let code_length = match c {
        b'x' => 2,
        b'u' => 4,
        b'U' => 8,
        _ => 0,
    };
    if code_length == 0 {
        out.push(match c {
            b'0' => '\0',
            b'a' => '\x07',
            b'b' => '\x08',
            b't' | b'\t' => '\t',
            b'n' => '\n',
            b'v' => '\x0b',
            b'f' => '\x0c',
            b'r' => '\r',
            b'e' => '\x1b',
            b' ' => ' ',
            b'"' => '"',
            b'\'' => '\'',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            _ => return None,
        });
        return Some(i + 2);
    }
    let hex = s.get(i + 2..i + 2 + code_length)?;
    let value = u32::from_str_radix(hex, 16).ok()?;
    out.push(char::from_u32(value)?);
    Some(i + 2 + code_length)
}

/// go-yaml's 1-based line of byte `at` of `text`: every break `is_break` knows (CR LF once)
/// starts a line.
pub(crate) fn line(text: &str, at: usize) -> usize {
    let head = &text.as_bytes()[..at.min(text.len())];
    if head.is_ascii() && !head.contains(&b'\r') {
        return head.iter().filter(|&&b| b == b'\n').count() + 1;
    }
    let mut line = 1;
    let mut i = 0;
    while i < head.len() {
        match break_len(&head[i..]) {
            0 => i += 1,
            n => {
                line += 1;
                i += n;
            }
        }
    }
    line
}

/// Whether `text` ends with a line break as go-yaml knows them.
pub(crate) fn ends_with_break(text: &str) -> bool {
    text.ends_with(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_keep_every_offset() {
        let text = "a: 1\u{85}b: x\u{2028}y\n\u{feff}c: 2\n";
        let r = rewrite(text).unwrap();
        assert_eq!(r.text.len(), text.len());
        assert_eq!(r.text, "a: 1\r\nb: x \r\ny\n\u{fdd0}c: 2\n");
        assert!(rewrite("a: é\n").is_none());
        assert!(rewrite("\u{feff}a: 1\n").is_none());
    }

    #[test]
    fn folds_keep_ls_and_ps() {
        assert_eq!(quoted("\"x\u{2028}y\"", false).unwrap().0, "x\u{2028}y");
        assert_eq!(quoted("'x\u{2029}  y'", true).unwrap().0, "x\u{2029}y");
        assert_eq!(quoted("\"x\ny\"", false).unwrap().0, "x y");
        assert_eq!(quoted("\"x \\\u{2028} y\"", false).unwrap().0, "x y");
        assert_eq!(quoted("'it''s'", true).unwrap().0, "it's");
        assert_eq!(plain("x\u{2028}  y\n\n z"), "x\u{2028}y\nz");
        assert_eq!(plain("x\u{feff}y"), "x\u{feff}y");
    }

    #[test]
    fn lines_count_every_break() {
        assert_eq!(line("a\u{85}b\u{2028}c\r\nd\re", 14), 5);
        assert_eq!(line("a\nb", 2), 2);
    }
}

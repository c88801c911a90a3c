//! Go's `json.Unmarshal` into `interface{}`, with its wording: the whole text is checked by
//! `encoding/json`'s scanner first (`invalid character 'x' after top-level value`,
//! `unexpected end of JSON input`), then decoded: objects become maps, arrays lists, numbers
//! float64 (one out of range is an `UnmarshalTypeError` that decoding records and goes on
//! past, leaving nil in its place), strings with invalid escapes of surrogates as U+FFFD.

use std::rc::Rc;

use super::super::value::Value;
use crate::template::value::Entries;

/// A decoded value and the first error decoding recorded (Go's `d.savedError`), or the
/// scanner's syntax error.
pub(crate) fn decode(text: &str) -> Result<(Value, Option<String>), String> {
    let bytes = super::super::go_bytes::go_bytes(text);
    check_valid(&bytes)?;
    let mut d = Decoder {
        b: &bytes,
        i: 0,
        saved: None,
    };
    let v = d.value();
    Ok((v, d.saved))
}

/// `quoteChar`: how the scanner names the byte it stopped at.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => r"'\''".into(),
        b'"' => "'\"'".into(),
        _ => {
            let q = super::super::literal::fmt_q(&char::from(c).to_string());
            format!("'{}'", &q[1..q.len() - 1])
        }
    }
}

fn syntax(c: u8, context: &str) -> String {
    format!("invalid character {} {context}", quote_char(c))
}

const EOF: &str = "unexpected end of JSON input";

/// The end of the text inside a literal, a number still wanting a digit or a string escape:
/// Go's scanner feeds a space at the end (`eof`), and that space fails before the end is
/// reported (`nul` is "invalid character ' ' in literal null (expecting 'l')").
const AT_END: u8 = b' ';

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// `checkValid`: Go's scanner over the whole text.
fn check_valid(b: &[u8]) -> Result<(), String> {
    let mut i = 0;
    let skip = |i: &mut usize| {
        while *i < b.len() && is_space(b[*i]) {
            *i += 1;
        }
    };
    skip(&mut i);
    scan_value(b, &mut i, 0)?;
    skip(&mut i);
    match b.get(i) {
        None => Ok(()),
        Some(&c) => Err(syntax(c, "after top-level value")),
    }
}

/// Scans one value starting at `b[*i]` (whitespace before it skipped by the caller).
/// encoding/json's `maxNestingDepth`: the scanner refuses an array or object opened deeper.
const MAX_NESTING: usize = 10_000;

/// The stack a nesting level may need before [`scan_value`] or [`Decoder::value`] recurse
/// into it, and how much more to take when it runs low (10,000 levels are allowed).
const STACK_RED_ZONE: usize = 64 * 1024;
const STACK_GROWTH: usize = 2 * 1024 * 1024;

/// Where the JSON value that starts at `b[at]` ends, as Go's scanner reads it; `None` when it
/// is not valid JSON.
pub(crate) fn value_end(b: &[u8], at: usize) -> Option<usize> {
    let mut i = at;
    scan_value(b, &mut i, 0).ok().map(|()| i)
}

/// One value at `*i`, inside `depth` open arrays and objects.
fn scan_value(b: &[u8], i: &mut usize, depth: usize) -> Result<(), String> {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || {
        scan_value_here(b, i, depth)
    })
}

fn scan_value_here(b: &[u8], i: &mut usize, depth: usize) -> Result<(), String> {
    let at = |i: usize| b.get(i).copied();
    let skip = |i: &mut usize| {
        while *i < b.len() && is_space(b[*i]) {
            *i += 1;
        }
    };
    let Some(c) = at(*i) else {
        return Err(EOF.into());
    };
    if matches!(c, b'{' | b'[') && depth >= MAX_NESTING {
        return Err(syntax(c, "exceeded max depth"));
    }
    match c {
        b'{' => {
            *i += 1;
            skip(i);
            if at(*i) == Some(b'}') {
                *i += 1;
                return Ok(());
            }
            loop {
                skip(i);
                match at(*i) {
                    None => return Err(EOF.into()),
                    Some(b'"') => scan_string(b, i)?,
                    Some(c) => return Err(syntax(c, "looking for beginning of object key string")),
                }
                skip(i);
                match at(*i) {
                    None => return Err(EOF.into()),
                    Some(b':') => *i += 1,
                    Some(c) => return Err(syntax(c, "after object key")),
                }
                skip(i);
                scan_value(b, i, depth + 1)?;
                skip(i);
                match at(*i) {
                    None => return Err(EOF.into()),
                    Some(b',') => *i += 1,
                    Some(b'}') => {
                        *i += 1;
                        return Ok(());
                    }
                    Some(c) => return Err(syntax(c, "after object key:value pair")),
                }
            }
        }
        b'[' => {
            *i += 1;
            skip(i);
            if at(*i) == Some(b']') {
                *i += 1;
                return Ok(());
            }
            loop {
                skip(i);
                scan_value(b, i, depth + 1)?;
                skip(i);
                match at(*i) {
                    None => return Err(EOF.into()),
                    Some(b',') => *i += 1,
                    Some(b']') => {
                        *i += 1;
                        return Ok(());
                    }
                    Some(c) => return Err(syntax(c, "after array element")),
                }
            }
        }
        b'"' => scan_string(b, i),
        b'-' | b'0'..=b'9' => scan_number(b, i),
        b't' => scan_literal(b, i, "true"),
        b'f' => scan_literal(b, i, "false"),
        b'n' => scan_literal(b, i, "null"),
        c => Err(syntax(c, "looking for beginning of value")),
    }
}

fn scan_literal(b: &[u8], i: &mut usize, word: &str) -> Result<(), String> {
    for (k, want) in word.bytes().enumerate().skip(1) {
        match b.get(*i + k) {
            None => {
                return Err(syntax(
                    AT_END,
                    &format!("in literal {word} (expecting '{}')", char::from(want)),
                ));
            }
            Some(&c) if c == want => {}
            Some(&c) => {
                return Err(syntax(
                    c,
                    &format!("in literal {word} (expecting '{}')", char::from(want)),
                ));
            }
        }
    }
    *i += word.len();
    Ok(())
}

fn scan_string(b: &[u8], i: &mut usize) -> Result<(), String> {
    *i += 1;
    loop {
        let Some(&c) = b.get(*i) else {
            return Err(EOF.into());
        };
        *i += 1;
        match c {
            b'"' => return Ok(()),
            b'\\' => {
                let Some(&e) = b.get(*i) else {
                    return Err(syntax(AT_END, "in string escape code"));
                };
                *i += 1;
                match e {
                    b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => {}
                    b'u' => {
                        for _ in 0..4 {
                            let h = b.get(*i).copied().unwrap_or(AT_END);
                            if !h.is_ascii_hexdigit() {
                                return Err(syntax(h, "in \\u hexadecimal character escape"));
                            }
                            *i += 1;
                        }
                    }
                    e => return Err(syntax(e, "in string escape code")),
                }
            }
            c if c < 0x20 => return Err(syntax(c, "in string literal")),
            _ => {}
        }
    }
}

fn scan_number(b: &[u8], i: &mut usize) -> Result<(), String> {
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    // At the end of the text a number ends, unless it still wants a digit.
    let expect_digit = |i: usize, context: &str| match b.get(i).copied().unwrap_or(AT_END) {
        c if c.is_ascii_digit() => Ok(()),
        c => Err(syntax(c, context)),
    };
    if b[*i] == b'-' {
        *i += 1;
        expect_digit(*i, "in numeric literal")?;
    }
    if b[*i] == b'0' {
        *i += 1;
    } else {
        while digit(*i) {
            *i += 1;
        }
    }
    if b.get(*i) == Some(&b'.') {
        *i += 1;
        expect_digit(*i, "after decimal point in numeric literal")?;
        while digit(*i) {
            *i += 1;
        }
    }
    if matches!(b.get(*i), Some(b'e' | b'E')) {
        *i += 1;
        if matches!(b.get(*i), Some(b'+' | b'-')) {
            *i += 1;
        }
        expect_digit(*i, "in exponent of numeric literal")?;
        while digit(*i) {
            *i += 1;
        }
    }
    Ok(())
}

/// Decodes text the scanner accepted.
struct Decoder<'a> {
    b: &'a [u8],
    i: usize,
    saved: Option<String>,
}

impl Decoder<'_> {
    fn skip(&mut self) {
        while self.i < self.b.len() && is_space(self.b[self.i]) {
            self.i += 1;
        }
    }

    fn value(&mut self) -> Value {
        stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || self.value_here())
    }

    fn value_here(&mut self) -> Value {
        self.skip();
        match self.b.get(self.i).copied().unwrap_or(b'n') {
            b'{' => {
                self.i += 1;
                let mut entries = Entries::new();
                loop {
                    self.skip();
                    if self.b.get(self.i) == Some(&b'}') {
                        self.i += 1;
                        break;
                    }
                    if self.b.get(self.i) == Some(&b',') {
                        self.i += 1;
                        self.skip();
                    }
                    let key = self.string();
                    self.skip();
                    self.i += 1; // ':'
                    let v = self.value();
                    entries.insert(Rc::from(key.as_str()), v);
                }
                Value::map(entries)
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.skip();
                    if self.b.get(self.i) == Some(&b']') {
                        self.i += 1;
                        break;
                    }
                    if self.b.get(self.i) == Some(&b',') {
                        self.i += 1;
                    }
                    items.push(self.value());
                }
                Value::list(items)
            }
            b'"' => Value::str(self.string()),
            b't' => {
                self.i += 4;
                Value::bool(true)
            }
            b'f' => {
                self.i += 5;
                Value::bool(false)
            }
            b'n' => {
                self.i += 4;
                Value::Nil
            }
            _ => {
                let start = self.i;
                while self
                    .b
                    .get(self.i)
                    .is_some_and(|c| matches!(c, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                {
                    self.i += 1;
                }
                let text = std::str::from_utf8(&self.b[start..self.i]).unwrap_or("0");
                match text.parse::<f64>() {
                    Ok(f) if f.is_finite() => Value::float(f),
                    _ => {
                        self.saved.get_or_insert_with(|| {
                            format!(
                                "json: cannot unmarshal number {text} into Go value of type float64"
                            )
                        });
                        Value::Nil
                    }
                }
            }
        }
    }

    /// A string literal at `self.i` (its quote), unquoted as Go's `unquoteBytes` does.
    fn string(&mut self) -> String {
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        let hex4 = |b: &[u8], at: usize| -> Option<u32> {
            let s = std::str::from_utf8(b.get(at..at + 4)?).ok()?;
            u32::from_str_radix(s, 16).ok()
        };
        while let Some(&c) = self.b.get(self.i) {
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let e = self.b[self.i];
                    self.i += 1;
                    let simple = match e {
                        b'b' => Some(8),
                        b'f' => Some(12),
                        b'n' => Some(b'\n'),
                        b'r' => Some(b'\r'),
                        b't' => Some(b'\t'),
                        b'u' => None,
                        other => Some(other),
                    };
                    if let Some(byte) = simple {
                        out.push(byte);
                        continue;
                    }
                    let mut r = hex4(self.b, self.i).unwrap_or(0xFFFD);
                    self.i += 4;
                    if (0xD800..0xDC00).contains(&r) {
                        // A high surrogate pairs only with a following `\uDC00`-`\uDFFF`.
                        let low = (self.b.get(self.i..self.i + 2) == Some(b"\\u"))
                            .then(|| hex4(self.b, self.i + 2))
                            .flatten()
                            .filter(|l| (0xDC00..0xE000).contains(l));
                        match low {
                            Some(l) => {
                                self.i += 6;
                                r = 0x10000 + ((r - 0xD800) << 10) + (l - 0xDC00);
                            }
                            None => r = 0xFFFD,
                        }
                    } else if (0xDC00..0xE000).contains(&r) {
                        r = 0xFFFD;
                    }
                    let ch = char::from_u32(r).unwrap_or('\u{FFFD}');
                    out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                }
                c => out.push(c),
            }
        }
        // Go replaces each byte that is no UTF-8 with U+FFFD.
        match String::from_utf8(out) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        decode(text).expect_err(text)
    }

    #[test]
    fn a_text_ending_inside_a_literal_number_or_escape_fails_on_the_scanners_final_space() {
        // Helm 3.17.3 and 4.1.4, `fromJson` and `fromJsonArray` alike.
        let cases = [
            (
                "nul",
                "invalid character ' ' in literal null (expecting 'l')",
            ),
            (
                "[f",
                "invalid character ' ' in literal false (expecting 'a')",
            ),
            (
                r#"{"a":tru"#,
                "invalid character ' ' in literal true (expecting 'e')",
            ),
            ("-", "invalid character ' ' in numeric literal"),
            (
                "[1.",
                "invalid character ' ' after decimal point in numeric literal",
            ),
            (
                "1e+",
                "invalid character ' ' in exponent of numeric literal",
            ),
            (
                r#"{"a":1.5e"#,
                "invalid character ' ' in exponent of numeric literal",
            ),
            (r#"{"a":"\"#, "invalid character ' ' in string escape code"),
            (
                r#"{"a":"\u12"#,
                r"invalid character ' ' in \u hexadecimal character escape",
            ),
            // Where a space is welcome, the end is the end.
            (r#""abc"#, "unexpected end of JSON input"),
            (r#"{"a":"#, "unexpected end of JSON input"),
        ];
        for (text, want) in cases {
            assert_eq!(err(text), want, "{text}");
        }
    }

    #[test]
    fn syntax_errors_are_worded_as_go_scanner_words_them() {
        // Each as Helm 3.17.3's `fromJson` puts it under `Error`.
        assert_eq!(
            err("{bad"),
            "invalid character 'b' looking for beginning of object key string"
        );
        assert_eq!(err("{} x"), "invalid character 'x' after top-level value");
        assert_eq!(
            err("x"),
            "invalid character 'x' looking for beginning of value"
        );
        assert_eq!(err(""), "unexpected end of JSON input");
        assert_eq!(err("[1,"), "unexpected end of JSON input");
        assert_eq!(err("01"), "invalid character '1' after top-level value");
        assert_eq!(
            err("[1.]"),
            "invalid character ']' after decimal point in numeric literal"
        );
        assert_eq!(
            err("[tru]"),
            "invalid character ']' in literal true (expecting 'e')"
        );
        assert_eq!(err("\"a\nb\""), r"invalid character '\n' in string literal");
        assert_eq!(err(r#"{"a" 1}"#), "invalid character '1' after object key");
        assert_eq!(
            err(r#"{"a":1 "b"}"#),
            "invalid character '\"' after object key:value pair"
        );
        assert_eq!(err("[1 2]"), "invalid character '2' after array element");
        assert_eq!(
            err(r#""\x""#),
            "invalid character 'x' in string escape code"
        );
        assert_eq!(
            err("'a'"),
            r"invalid character '\'' looking for beginning of value"
        );
    }

    #[test]
    fn numbers_out_of_range_are_recorded_and_left_nil() {
        // Helm 3.17.3: `fromJson "{\"a\":1e400}"` is `map[Error:json: cannot unmarshal number
        // 1e400 into Go value of type float64 a:<nil>]`.
        let (v, saved) = decode(r#"{"a":1e400,"b":2}"#).unwrap();
        assert_eq!(
            saved.as_deref(),
            Some("json: cannot unmarshal number 1e400 into Go value of type float64")
        );
        assert_eq!(super::super::super::fmt::sprint_v(&v), "map[a:<nil> b:2]");
        let (v, _) = decode(r#"["\ud800x","\ud83d\ude00","\u00e9"]"#).unwrap();
        assert_eq!(super::super::super::fmt::sprint_v(&v), "[\u{fffd}x 😀 é]");
    }

    #[test]
    fn nesting_stops_where_go_scanner_stops_it() {
        // Helm 3.17.3: `(fromJson (repeat N "[")).Error` is "unexpected end of JSON input" for
        // N = 10000 and "invalid character '[' exceeded max depth" for 10001 and 200000 (we
        // overflowed the stack); 10000 closed levels decode (here on a small test stack).
        let open = |n: usize| "[".repeat(n);
        assert_eq!(err(&open(10_000)), "unexpected end of JSON input");
        for n in [10_001, 200_000] {
            assert_eq!(err(&open(n)), "invalid character '[' exceeded max depth");
        }
        let deep = format!("{}{}", open(10_000), "]".repeat(10_000));
        let (v, saved) = decode(&deep).unwrap();
        assert_eq!((v.kind_name(), saved), ("slice", None));
        let deep = format!("{}1{}", "{\"a\":".repeat(10_001), "}".repeat(10_001));
        assert_eq!(err(&deep), "invalid character '{' exceeded max depth");
    }
}

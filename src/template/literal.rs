//! Go's literal syntax as `text/template` uses it: `strconv.Unquote`/`UnquoteChar` for strings and
//! character constants, `ParseInt`/`ParseUint`/`ParseFloat` with base prefixes, `_` separators and
//! hex floats, `parse.NumberNode`'s int/uint/float classification, and the `%q`/`%#U` quoting
//! that parse errors print.

use crate::yaml_key::underscore_ok;
use std::rc::Rc;

use super::ast::Number;

/// Go's `strconv.Unquote` for a `"…"` or `` `…` `` literal. Go strings may hold any bytes
/// (`"\xff"`); such a result is made valid UTF-8 with U+FFFD, the one departure from Go.
pub(crate) fn unquote(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 2 {
        return None;
    }
    let quote = b[0];
    match quote {
        b'`' => {
            let inner = s[1..].strip_suffix('`')?;
            if inner.contains('`') {
                return None;
            }
            // Carriage returns inside raw strings are discarded.
            Some(inner.replace('\r', ""))
        }
        b'"' => {
            let mut rest = &s[1..];
            let mut buf = Vec::with_capacity(s.len());
            while !rest.is_empty() && !rest.starts_with('"') {
                if rest.starts_with('\n') {
                    return None;
                }
                let (c, tail) = unquote_char(rest, b'"')?;
                push_unquoted(&mut buf, c);
                rest = tail;
            }
            if rest != "\"" {
                return None;
            }
            Some(match String::from_utf8(buf) {
                Ok(s) => s,
                Err(e) => super::go_bytes::from_go_bytes(e.as_bytes()),
            })
        }
        _ => None,
    }
}

/// One decoded character: a Unicode scalar, or a single byte from `\x`/octal escapes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Unquoted {
    /// A character (written literally or with `\u`, `\U`).
    Char(char),
    /// A byte value from `\xNN` or `\NNN` (any value up to 255).
    Byte(u8),
}

impl Unquoted {
    /// The value as a rune number.
    pub(crate) fn value(self) -> u32 {
        match self {
            Unquoted::Char(c) => c as u32,
            Unquoted::Byte(b) => u32::from(b),
        }
    }
}

fn push_unquoted(buf: &mut Vec<u8>, c: Unquoted) {
    match c {
        Unquoted::Byte(b) => buf.push(b),
        Unquoted::Char(c) => {
            let mut tmp = [0; 4];
            buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
        }
    }
}

/// Go's `strconv.UnquoteChar`: decodes the first character or escape of `s`.
pub(crate) fn unquote_char(s: &str, quote: u8) -> Option<(Unquoted, &str)> {
    let first = *s.as_bytes().first()?;
    if first == quote && (quote == b'\'' || quote == b'"') {
        return None;
    }
    if first != b'\\' {
        let c = s.chars().next()?;
        return Some((Unquoted::Char(c), &s[c.len_utf8()..]));
    }
    let esc = *s.as_bytes().get(1)?;
    if !esc.is_ascii() {
        return None;
    }
    let rest = &s[2..];
    let simple = |c: char| Some((Unquoted::Char(c), rest));
    match esc {
        b'a' => simple('\x07'),
        b'b' => simple('\x08'),
        b'f' => simple('\x0c'),
        b'n' => simple('\n'),
        b'r' => simple('\r'),
        b't' => simple('\t'),
        b'v' => simple('\x0b'),
        b'\\' => simple('\\'),
        b'\'' | b'"' if esc == quote => simple(esc as char),
        b'x' | b'u' | b'U' => {
            let n = match esc {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let digits = rest.get(..n)?;
            if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let v = u32::from_str_radix(digits, 16).ok()?;
            let tail = &rest[n..];
            if esc == b'x' {
                return Some((Unquoted::Byte(v as u8), tail));
            }
            Some((Unquoted::Char(char::from_u32(v)?), tail))
        }
        b'0'..=b'7' => {
            let digits = rest.get(..2)?;
            let mut v = u32::from(esc - b'0');
            for d in digits.bytes() {
                if !(b'0'..=b'7').contains(&d) {
                    return None;
                }
                v = v << 3 | u32::from(d - b'0');
            }
            let byte = u8::try_from(v).ok()?;
            Some((Unquoted::Byte(byte), &rest[2..]))
        }
        _ => None,
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)` (no sign allowed).
pub(crate) fn parse_uint(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    let (base, digits): (u64, &[u8]) = if b[0] == b'0' {
        match b.get(1).map(|c| c | 0x20) {
            Some(b'b') if b.len() >= 3 => (2, &b[2..]),
            Some(b'o') if b.len() >= 3 => (8, &b[2..]),
            Some(b'x') if b.len() >= 3 => (16, &b[2..]),
            _ => (8, &b[1..]),
        }
    } else {
        (10, b)
    };
    let mut n: u64 = 0;
    let mut underscores = false;
    for &c in digits {
        let d = match c {
            b'_' => {
                underscores = true;
                continue;
            }
            b'0'..=b'9' => c - b'0',
            b'a'..=b'z' => c - b'a' + 10,
            b'A'..=b'Z' => c - b'A' + 10,
            _ => return None,
        };
        if u64::from(d) >= base {
            return None;
        }
        n = n.checked_mul(base)?.checked_add(u64::from(d))?;
    }
    if underscores && !underscore_ok(s) {
        return None;
    }
    Some(n)
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
pub(crate) fn parse_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint(body)?;
    if neg {
        0i64.checked_sub_unsigned(u)
    } else {
        i64::try_from(u).ok()
    }
}

/// Go's `strconv.ParseFloat(s, 64)` for the literals the lexer can produce; `None` on a syntax
/// or range error (overflow to infinity).
pub(crate) fn parse_float(s: &str) -> Option<f64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let b = body.as_bytes();
    let hex = b.len() > 2 && b[0] == b'0' && b[1] | 0x20 == b'x';
    let f = if hex {
        parse_hex_float(&body[2..])?
    } else {
        if !decimal_float_syntax(b) {
            return None;
        }
        body.replace('_', "").parse::<f64>().ok()?
    };
    if s.contains('_') && !underscore_ok(s) || f.is_infinite() {
        return None;
    }
    Some(if neg { -f } else { f })
}

/// `digits [. digits] [e [+-] digits]` with at least one mantissa digit.
fn decimal_float_syntax(b: &[u8]) -> bool {
    let mut i = 0;
    let mut digits = false;
    let mut dot = false;
    while i < b.len() {
        match b[i] {
            b'0'..=b'9' => digits = true,
            b'_' => {}
            b'.' if !dot => dot = true,
            _ => break,
        }
        i += 1;
    }
    if !digits {
        return false;
    }
    if i < b.len() && b[i] | 0x20 == b'e' {
        i += 1;
        if i < b.len() && matches!(b[i], b'+' | b'-') {
            i += 1;
        }
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return false;
        }
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// The part after `0x` of a hex float (Go's `readFloat` + `atofHex`): a mantissa, then a
/// mandatory binary exponent `p±N`; rounded to nearest even.
fn parse_hex_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (mut mantissa, mut nd, mut nd_mant, mut dp) = (0u64, 0i64, 0i64, 0i64);
    let (mut saw_dot, mut saw_digits, mut trunc) = (false, false, false);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'_' => {}
            b'.' if !saw_dot => {
                saw_dot = true;
                dp = nd;
            }
            _ if c.is_ascii_hexdigit() => {
                saw_digits = true;
                if c == b'0' && nd == 0 {
                    dp -= 1; // leading zeros
                } else {
                    nd += 1;
                    if nd_mant < 16 {
                        mantissa = mantissa * 16 + u64::from((c as char).to_digit(16)?);
                        nd_mant += 1;
                    } else if c != b'0' {
                        trunc = true;
                    }
                }
            }
            _ => break,
        }
        i += 1;
    }
    if !saw_digits {
        return None;
    }
    if !saw_dot {
        dp = nd;
    }
    dp *= 4;
    nd_mant *= 4;
    if i >= b.len() || b[i] | 0x20 != b'p' {
        return None; // the exponent is mandatory
    }
    i += 1;
    let mut esign = 1;
    if i < b.len() && matches!(b[i], b'+' | b'-') {
        esign = if b[i] == b'-' { -1 } else { 1 };
        i += 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut e: i64 = 0;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        if b[i] != b'_' && e < 10000 {
            e = e * 10 + i64::from(b[i] - b'0');
        }
        i += 1;
    }
    if i != b.len() {
        return None;
    }
    dp += e * esign;
    let exp = if mantissa != 0 { dp - nd_mant } else { 0 };
    atof_hex(mantissa, exp, trunc)
}

/// Go's `atofHex` for float64: `mantissa * 2^exp`, correctly rounded; `None` on overflow.
fn atof_hex(mut mantissa: u64, exp: i64, trunc: bool) -> Option<f64> {
    const MANT_BITS: i64 = 52;
    const BIAS: i64 = -1023;
    const MAX_EXP: i64 = (1 << 11) + BIAS - 2;
    const MIN_EXP: i64 = BIAS + 1;
    let mut exp = exp + MANT_BITS;
    while mantissa != 0 && mantissa >> (MANT_BITS + 2) == 0 {
        mantissa <<= 1;
        exp -= 1;
    }
    if trunc {
        mantissa |= 1;
    }
    while mantissa >> (1 + MANT_BITS + 2) != 0 {
        mantissa = mantissa >> 1 | mantissa & 1;
        exp += 1;
    }
    while mantissa > 1 && exp < MIN_EXP - 2 {
        mantissa = mantissa >> 1 | mantissa & 1;
        exp += 1;
    }
    let mut round = mantissa & 3;
    mantissa >>= 2;
    round |= mantissa & 1;
    exp += 2;
    if round == 3 {
        mantissa += 1;
        if mantissa == 1 << (1 + MANT_BITS) {
            mantissa >>= 1;
            exp += 1;
        }
    }
    if mantissa >> MANT_BITS == 0 {
        exp = BIAS;
    }
    if exp > MAX_EXP {
        return None;
    }
    let bits = (mantissa & ((1 << MANT_BITS) - 1)) | (((exp - BIAS) as u64 & 0x7ff) << MANT_BITS);
    Some(f64::from_bits(bits))
}

/// `float64(int64(f)) == f` as Go computes it on amd64 (out-of-range conversions never match).
fn exact_i64(f: f64) -> Option<i64> {
    (f.trunc() == f && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f))
        .then_some(f as i64)
}

/// `float64(uint64(f)) == f`, likewise.
fn exact_u64(f: f64) -> Option<u64> {
    (f.trunc() == f && f > -1.0 && f < 18_446_744_073_709_551_616.0).then_some(f as u64)
}

/// What kind of number token the lexer produced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum NumberKind {
    /// A plain number (possibly imaginary, `2i`).
    Number,
    /// A character constant.
    Char,
    /// A complex constant `1+2i`.
    Complex,
}

/// Go's `Tree.newNumber`: every exact interpretation of a number literal, or Go's error text.
///
/// A complex constant with a non-zero imaginary part gets no interpretation at all (the
/// executor cannot use it either); `text` keeps the literal.
pub(crate) fn parse_number(text: &str, kind: NumberKind) -> Result<Number, String> {
    let mut n = Number {
        text: Rc::from(text),
        int: None,
        uint: None,
        float: None,
        is_char: false,
    };
    match kind {
        NumberKind::Char => {
            let body = text.get(1..).unwrap_or("");
            let (c, tail) = unquote_char(body, b'\'').ok_or("invalid syntax")?;
            if tail != "'" {
                return Err(format!("malformed character constant: {text}"));
            }
            let v = c.value();
            n.int = Some(i64::from(v));
            n.uint = Some(u64::from(v));
            n.float = Some(f64::from(v));
            n.is_char = true;
            return Ok(n);
        }
        NumberKind::Complex => {
            let (re, im) = split_complex(text).ok_or_else(bad_complex)?;
            simplify_complex(&mut n, re, im);
            return Ok(n);
        }
        NumberKind::Number => {}
    }
    if let Some(body) = text.strip_suffix('i')
        && let Some(f) = parse_float(body)
    {
        simplify_complex(&mut n, 0.0, f);
        return Ok(n);
    }
    let u = parse_uint(text);
    n.uint = u;
    if let Some(i) = parse_int(text) {
        n.int = Some(i);
        if i == 0 {
            n.uint = Some(u.unwrap_or(0)); // in case of -0
        }
    }
    if let Some(i) = n.int {
        n.float = Some(i as f64);
    } else if let Some(u) = n.uint {
        n.float = Some(u as f64);
    } else if let Some(f) = parse_float(text) {
        // Parsed as a float but looks like an integer: too large to fit in an int.
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", fmt_q(text)));
        }
        n.float = Some(f);
        n.int = exact_i64(f);
        n.uint = exact_u64(f);
    }
    if n.int.is_none() && n.uint.is_none() && n.float.is_none() {
        return Err(format!("illegal number syntax: {}", fmt_q(text)));
    }
    Ok(n)
}

fn simplify_complex(n: &mut Number, re: f64, im: f64) {
    if im == 0.0 {
        n.float = Some(re);
        n.int = exact_i64(re);
        n.uint = exact_u64(re);
    }
}

/// The value of a complex constant (`2+3i`) or an imaginary one (`1i`), which Go's parser marks
/// `IsComplex` and its executor gives as a `complex128`; `None` for any other number.
pub(crate) fn complex_value(text: &str) -> Option<(f64, f64)> {
    let body = text.strip_suffix('i')?;
    match parse_float(body) {
        Some(im) => Some((0.0, im)),
        None => split_complex(text),
    }
}

/// `re±imi` as `fmt.Sscan` reads a complex128.
fn split_complex(text: &str) -> Option<(f64, f64)> {
    let body = text.strip_suffix('i')?;
    let b = body.as_bytes();
    let split = (1..b.len())
        .rev()
        .find(|&i| matches!(b[i], b'+' | b'-') && !matches!(b[i - 1] | 0x20, b'e' | b'p'))?;
    Some((parse_float(&body[..split])?, parse_float(&body[split..])?))
}

/// `fmt.Sscan`'s error for a complex token it cannot read (`1+i`).
fn bad_complex() -> String {
    "syntax error scanning complex number".into()
}

/// Go's `strconv.IsPrint`, closely: letters, marks, numbers, punctuation, symbols and the ASCII
/// space. Unassigned code points cannot be told apart without Unicode tables.
pub(crate) fn is_print(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    let u = c as u32;
    !(c.is_control()
        || c.is_whitespace()
        || matches!(u, 0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E)
        || matches!(u, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF)
        || matches!(u, 0xFFF9..=0xFFFB | 0xE000..=0xF8FF | 0xF0000..)
        || u & 0xFFFE == 0xFFFE)
}

/// Go's `strconv.Quote` (what `%q` prints for a string).
pub(crate) fn fmt_q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ if is_print(c) => out.push(c),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            _ if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
            _ if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            _ => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Go's `%#U`: `U+20AC '€'` (the character only when printable).
pub(crate) fn fmt_u(c: char) -> String {
    if is_print(c) {
        format!("U+{:04X} '{c}'", c as u32)
    } else {
        format!("U+{:04X}", c as u32)
    }
}

#[cfg(test)]
mod tests;

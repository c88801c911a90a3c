//! The parts of Go's `strconv` that `fmt` prints with: `FormatFloat`, `Quote`, `QuoteRune`,
//! `IsPrint`, `CanBackquote`.
//!
//! Go strings are bytes; the quoting functions take bytes so that `[]byte` values with invalid
//! UTF-8 quote as Go quotes them (`\xff`).

use super::isprint::PRINT;

/// `strconv.IsPrint` (the same set as `unicode.IsPrint`): letters, marks, numbers, punctuation,
/// symbols and the ASCII space.
pub(crate) fn is_print(r: u32) -> bool {
    if r <= 0xff {
        return (0x20..=0x7e).contains(&r) || ((0xa1..=0xff).contains(&r) && r != 0xad);
    }
    PRINT
        .binary_search_by(|&(lo, hi)| {
            if hi < r {
                std::cmp::Ordering::Less
            } else if lo > r {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

pub(super) use crate::template::go_bytes::decode_rune;

/// The number of runes Go counts in `b` (each invalid byte is one rune).
pub(super) fn rune_count(b: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        i += decode_rune(&b[i..]).1.max(1);
        n += 1;
    }
    n
}

const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";

fn push_escaped_rune(out: &mut String, r: u32, quote: char, ascii_only: bool) {
    if r == u32::from(quote) || r == u32::from('\\') {
        out.push('\\');
        out.push(char::from_u32(r).unwrap_or('\u{fffd}'));
        return;
    }
    let printable = if ascii_only {
        r < 0x80 && is_print(r)
    } else {
        is_print(r)
    };
    if printable && let Some(c) = char::from_u32(r) {
        out.push(c);
        return;
    }
    match r {
        0x07 => out.push_str("\\a"),
        0x08 => out.push_str("\\b"),
        0x0c => out.push_str("\\f"),
        0x0a => out.push_str("\\n"),
        0x0d => out.push_str("\\r"),
        0x09 => out.push_str("\\t"),
        0x0b => out.push_str("\\v"),
        _ if r < 0x20 || r == 0x7f => {
            out.push_str("\\x");
            out.push(char::from(LOWER_HEX[(r >> 4) as usize & 0xf]));
            out.push(char::from(LOWER_HEX[r as usize & 0xf]));
        }
        _ => {
            let r = if char::from_u32(r).is_none() {
                0xfffd
            } else {
                r
            };
            if r < 0x10000 {
                out.push_str(&format!("\\u{r:04x}"));
            } else {
                out.push_str(&format!("\\U{r:08x}"));
            }
        }
    }
}

/// `strconv.Quote` (or `QuoteToASCII` when `ascii_only`) of Go string bytes.
pub(crate) fn quote_bytes(s: &[u8], ascii_only: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut i = 0;
    while i < s.len() {
        let (r, width) = decode_rune(&s[i..]);
        if width == 1 && r == 0xfffd {
            out.push_str("\\x");
            out.push(char::from(LOWER_HEX[usize::from(s[i] >> 4)]));
            out.push(char::from(LOWER_HEX[usize::from(s[i] & 0xf)]));
        } else {
            push_escaped_rune(&mut out, r, '"', ascii_only);
        }
        i += width.max(1);
    }
    out.push('"');
    out
}

/// `strconv.QuoteRune` (or `QuoteRuneToASCII`): an invalid rune quotes as U+FFFD.
pub(crate) fn quote_rune(r: u32, ascii_only: bool) -> String {
    let r = if char::from_u32(r).is_some() {
        r
    } else {
        0xfffd
    };
    let mut out = String::from("'");
    push_escaped_rune(&mut out, r, '\'', ascii_only);
    out.push('\'');
    out
}

/// `strconv.CanBackquote`: no control characters but tab, no backquote, no BOM, valid UTF-8.
pub(crate) fn can_backquote(s: &[u8]) -> bool {
    let mut i = 0;
    while i < s.len() {
        let (r, width) = decode_rune(&s[i..]);
        i += width.max(1);
        if width > 1 {
            if r == 0xfeff {
                return false;
            }
            continue;
        }
        if r == 0xfffd || (r < 0x20 && r != 0x09) || r == 0x60 || r == 0x7f {
            return false;
        }
    }
    true
}

/// The decimal digits of a finite, non-negative float and the position of the decimal point
/// (`0.d1d2… × 10^dp`), without trailing zeros; zero has no digits.
struct Digits {
    d: Vec<u8>,
    dp: i32,
}

impl Digits {
    /// From Rust's `{:e}` rendering (`d.ddde±x`), which is exact for a fixed precision and the
    /// shortest round-tripping digits otherwise, as Go's Ryū and multiprecision paths are.
    fn from_exp(rendered: &str) -> Digits {
        let (mant, exp) = rendered.split_once('e').unwrap_or((rendered, "0"));
        let mut d: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
        while d.last() == Some(&b'0') {
            d.pop();
        }
        let dp = if d.is_empty() {
            0
        } else {
            exp.parse::<i32>().unwrap_or(0) + 1
        };
        Digits { d, dp }
    }

    fn nd(&self) -> i32 {
        self.d.len() as i32
    }
}

/// `strconv.FormatFloat(f, fmt, prec, 64)`; `prec < 0` means the shortest representation.
pub(crate) fn ftoa(v: f64, fmt: u8, prec: i32) -> String {
    ftoa_bits(v, fmt, prec, 64)
}

/// `strconv.FormatFloat(f, fmt, prec, bits)`: with 32 bits, `f` is rounded to a float32 first
/// and the shortest form is the shortest that reads back as that float32.
pub(crate) fn ftoa_bits(v: f64, fmt: u8, prec: i32, bits: u32) -> String {
    let v = if bits == 32 { f64::from(v as f32) } else { v };
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    let neg = v.is_sign_negative();
    let a = v.abs();
    match fmt {
        b'b' => return fmt_b(v),
        b'x' | b'X' => return fmt_x(v, prec, fmt),
        _ => {}
    }
    let shortest = prec < 0;
    let mut prec = prec;
    let digs = if shortest {
        let digs = if bits == 32 {
            Digits::from_exp(&format!("{:e}", a as f32))
        } else {
            Digits::from_exp(&format!("{a:e}"))
        };
        prec = match fmt {
            b'e' | b'E' => (digs.nd() - 1).max(0),
            b'f' => (digs.nd() - digs.dp).max(0),
            _ => digs.nd(),
        };
        digs
    } else {
        match fmt {
            b'e' | b'E' => Digits::from_exp(&format!("{a:.*e}", prec as usize)),
            b'f' => {
                // Rounding to a number of fraction digits: Rust's fixed rendering rounds the
                // exact value half-to-even like Go's decimal rounding; use it directly.
                let body = format!("{a:.*}", prec as usize);
                return if neg { format!("-{body}") } else { body };
            }
            b'g' | b'G' => {
                if prec == 0 {
                    prec = 1;
                }
                Digits::from_exp(&format!("{a:.*e}", (prec - 1) as usize))
            }
            _ => return format!("%{}", char::from(fmt)),
        }
    };
    let mut out = String::new();
    match fmt {
        b'e' | b'E' => fmt_e(&mut out, neg, &digs, prec, fmt),
        b'f' => fmt_f(&mut out, neg, &digs, prec),
        b'g' | b'G' => {
            let mut eprec = prec;
            if eprec > digs.nd() && digs.nd() >= digs.dp {
                eprec = digs.nd();
            }
            // %e is used if the exponent from the conversion is less than -4 or greater than
            // or equal to the precision; the shortest form decides with precision 6.
            if shortest {
                eprec = 6;
            }
            let exp = digs.dp - 1;
            if exp < -4 || exp >= eprec {
                if prec > digs.nd() {
                    prec = digs.nd();
                }
                fmt_e(&mut out, neg, &digs, prec - 1, fmt + b'e' - b'g');
            } else {
                if prec > digs.dp {
                    prec = digs.nd();
                }
                fmt_f(&mut out, neg, &digs, (prec - digs.dp).max(0));
            }
        }
        _ => out = format!("%{}", char::from(fmt)),
    }
    out
}

fn fmt_e(out: &mut String, neg: bool, d: &Digits, prec: i32, fmt: u8) {
    if neg {
        out.push('-');
    }
    out.push(char::from(d.d.first().copied().unwrap_or(b'0')));
    if prec > 0 {
        out.push('.');
        let mut i = 1;
        let m = d.nd().min(prec + 1);
        while i < m {
            out.push(char::from(d.d[i as usize]));
            i += 1;
        }
        while i <= prec {
            out.push('0');
            i += 1;
        }
    }
    out.push(char::from(fmt));
    let mut exp = if d.d.is_empty() { 0 } else { d.dp - 1 };
    if exp < 0 {
        out.push('-');
        exp = -exp;
    } else {
        out.push('+');
    }
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
}

fn fmt_f(out: &mut String, neg: bool, d: &Digits, prec: i32) {
    if neg {
        out.push('-');
    }
    if d.dp > 0 {
        let m = d.nd().min(d.dp);
        out.extend(d.d[..m as usize].iter().map(|&c| char::from(c)));
        for _ in m..d.dp {
            out.push('0');
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 0..prec {
            let j = d.dp + i;
            let ch = if 0 <= j && j < d.nd() {
                d.d[j as usize]
            } else {
                b'0'
            };
            out.push(char::from(ch));
        }
    }
}

/// The mantissa (with the implicit bit) and binary exponent of a finite float, as Go's
/// `genericFtoa` computes them.
fn mant_exp(v: f64) -> (u64, i32) {
    let bits = v.to_bits();
    let mut exp = ((bits >> 52) & 0x7ff) as i32;
    let mut mant = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        exp += 1;
    } else {
        mant |= 1u64 << 52;
    }
    (mant, exp - 1023)
}

/// `%b`: `-ddddp±ddd`.
fn fmt_b(v: f64) -> String {
    let (mant, exp) = mant_exp(v);
    let exp = exp - 52;
    let sign = if v.is_sign_negative() { "-" } else { "" };
    let esign = if exp >= 0 { "+" } else { "" };
    format!("{sign}{mant}p{esign}{exp}")
}

/// `%x`: `-0x1.yyyyp±dd`.
fn fmt_x(v: f64, prec: i32, fmt: u8) -> String {
    let (mut mant, mut exp) = mant_exp(v);
    if mant == 0 {
        exp = 0;
    }
    mant <<= 60 - 52;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if (0..15).contains(&prec) {
        let shift = (prec * 4) as u32;
        let extra = (mant << shift) & ((1u64 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let hex: &[u8; 16] = if fmt == b'X' {
        b"0123456789ABCDEF"
    } else {
        LOWER_HEX
    };
    let mut out = String::new();
    if v.is_sign_negative() {
        out.push('-');
    }
    out.push('0');
    out.push(char::from(fmt));
    out.push(char::from(b'0' + ((mant >> 60) & 1) as u8));
    mant <<= 4;
    if prec < 0 && mant != 0 {
        out.push('.');
        while mant != 0 {
            out.push(char::from(hex[((mant >> 60) & 15) as usize]));
            mant <<= 4;
        }
    } else if prec > 0 {
        out.push('.');
        for _ in 0..prec {
            out.push(char::from(hex[((mant >> 60) & 15) as usize]));
            mant <<= 4;
        }
    }
    out.push(if fmt == b'X' { 'P' } else { 'p' });
    if exp < 0 {
        out.push('-');
        exp = -exp;
    } else {
        out.push('+');
    }
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
    out
}

//! The string a mapping key becomes in Helm's values.
//!
//! Helm reads values with sigs.k8s.io/yaml: go-yaml v2 decodes a key as any scalar (`1` an int,
//! `1.0` a float64, `true` a bool, `~` nil), then the JSON conversion spells it as a string:
//! an int in decimal (`0x10` is `16`), a float64 with `strconv.FormatFloat(f, 'g', -1, 32)`
//! (`1e3` is `1000`, `0.1` stays `0.1`, infinities `.inf` and `-.inf`, NaN `.nan`), a bool as
//! `true`/`false`. A nil key and an integer that only fits a uint64 have no spelling: Helm
//! refuses the file ("unsupported map key of type: %!s(<nil>)", "… of type: uint64").
//!
//! It also holds go-yaml's number, timestamp and `!!binary` readings the value loader shares.

use crate::value::Value;

/// What go-yaml v2 decodes a key scalar to.
#[derive(Debug, Clone, PartialEq)]
enum GoKey {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
}

/// The key string Helm makes of the scalar `s` (`plain` when unquoted, with its `tag`), or why
/// Helm refuses it.
pub(crate) fn key_string(s: &str, plain: bool, tag: Option<&str>) -> Result<String, String> {
    let key = match short_tag(tag) {
        None if !plain => GoKey::Str(s.to_string()),
        None => resolve(s, true),
        Some("binary") => match base64_text(s) {
            Some(Value::Str(text)) => GoKey::Str(text),
            _ => {
                return Err(
                    "!!binary key contains invalid base64 data: Helm refuses the file".into(),
                );
            }
        },
        Some(t @ ("null" | "bool" | "int" | "float")) => {
            let key = resolve(s, false);
            match (t, key) {
                ("float", GoKey::Int(i)) => GoKey::Float(i as f64),
                ("float", GoKey::Uint(u)) => GoKey::Float(u as f64),
                ("null", k @ GoKey::Nil)
                | ("bool", k @ GoKey::Bool(_))
                | ("int", k @ (GoKey::Int(_) | GoKey::Uint(_)))
                | ("float", k @ GoKey::Float(_)) => k,
                (_, other) => {
                    return Err(format!(
                        "cannot decode !!{} `{s}` as a !!{t}: Helm refuses the file",
                        kind(&other)
                    ));
                }
            }
        }
        // `!!str`, `!!timestamp` and tags go-yaml does not resolve keep the text.
        Some(_) => GoKey::Str(s.to_string()),
    };
    match key {
        GoKey::Nil => Err(format!(
            "the key `{s}` is null: Helm cannot turn it into a JSON key (\"unsupported map key of \
             type: %!s(<nil>), key: <nil>\") and refuses the file; quote it"
        )),
        GoKey::Uint(u) => Err(format!(
            "the key `{s}` is an integer too large for an int64: Helm cannot turn it into a JSON \
             key (\"unsupported map key of type: uint64, key: {u:#x}\") and refuses the file; \
             quote it"
        )),
        GoKey::Bool(b) => Ok(b.to_string()),
        GoKey::Int(i) => Ok(i.to_string()),
        GoKey::Float(f) => Ok(match crate::value::go_float32(f).as_str() {
            "+Inf" => ".inf".into(),
            "-Inf" => "-.inf".into(),
            "NaN" => ".nan".into(),
            other => other.into(),
        }),
        GoKey::Str(s) => Ok(s),
    }
}

/// Whether go-yaml decodes the key scalar `s` to nil (`~`, `null`, empty, `!!null`).
pub(crate) fn is_null(s: &str, plain: bool, tag: Option<&str>) -> bool {
    match short_tag(tag) {
        None => plain && resolve(s, true) == GoKey::Nil,
        Some("null") => resolve(s, false) == GoKey::Nil,
        Some(_) => false,
    }
}

/// The integer a key decodes to when only a uint64 holds it (go-yaml's `ParseUint`), which the
/// JSON step has no spelling for.
pub(crate) fn uint_key(s: &str, plain: bool, tag: Option<&str>) -> Option<u64> {
    let key = match short_tag(tag) {
        None if plain => resolve(s, true),
        Some("int") => resolve(s, false),
        _ => return None,
    };
    match key {
        GoKey::Uint(u) => Some(u),
        _ => None,
    }
}

/// The value of a YAML special float (`.nan`, `-.Inf`, …), which go-yaml reads and Go's JSON
/// encoder refuses.
pub(crate) fn special_float(s: &str) -> Option<f64> {
    match resolve(s, false) {
        GoKey::Float(f) if !f.is_finite() => Some(f),
        _ => None,
    }
}

/// A tag's short name: `!!int` and `tag:yaml.org,2002:int` are `int`.
fn short_tag(tag: Option<&str>) -> Option<&str> {
    tag.map(|t| {
        t.trim_start_matches("tag:yaml.org,2002:")
            .trim_start_matches("!!")
    })
}

fn kind(k: &GoKey) -> &'static str {
    match k {
        GoKey::Nil => "null",
        GoKey::Bool(_) => "bool",
        GoKey::Int(_) | GoKey::Uint(_) => "int",
        GoKey::Float(_) => "float",
        GoKey::Str(_) => "str",
    }
}

/// go-yaml v2's `resolve` of a plain scalar; `timestamps`: whether a timestamp is tried (not
/// under a tag), which go-yaml then keeps as its text.
fn resolve(s: &str, timestamps: bool) -> GoKey {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return GoKey::Nil,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return GoKey::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return GoKey::Bool(false);
        }
        ".nan" | ".NaN" | ".NAN" => return GoKey::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return GoKey::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return GoKey::Float(f64::NEG_INFINITY),
        _ => {}
    }
    let text = || GoKey::Str(s.to_string());
    match s.as_bytes()[0] {
        // `strconv.ParseFloat` as it is: a number out of float64's range stays text.
        b'.' => go_parse_float(s).map_or_else(text, GoKey::Float),
        b'+' | b'-' | b'0'..=b'9' => {
            if timestamps && looks_like_timestamp(s) {
                return text();
            }
            let plain = without_underscores(s);
            match go_parse_integer(&plain) {
                Some(i) if i64::try_from(i).is_ok() => return GoKey::Int(i as i64),
                // `ParseUint` takes no sign.
                Some(i) if !plain.starts_with('+') => {
                    if let Ok(u) = u64::try_from(i) {
                        return GoKey::Uint(u);
                    }
                }
                _ => {}
            }
            if is_float_form(&plain)
                && let Some(f) = plain.parse::<f64>().ok().filter(|f| f.is_finite())
            {
                return GoKey::Float(f);
            }
            text()
        }
        _ => text(),
    }
}

// go-yaml v2's scalar helpers, for values (`crate::yaml`) and keys alike.

/// `strconv.ParseFloat(s, 64)` succeeding, for the decimal forms go-yaml hands it: `_` only
/// where Go's `underscoreOK` allows it (`.1_0` is 0.1: a scalar starting with `.` goes to
/// `ParseFloat` as written), and a value out of float64's range an error.
pub(crate) fn go_parse_float(s: &str) -> Option<f64> {
    let f = if s.contains('_') {
        if !underscore_ok(s) {
            return None;
        }
        s.replace('_', "").parse::<f64>().ok()?
    } else {
        s.parse::<f64>().ok()?
    };
    // Rust also reads "inf" and "nan"; go-yaml never hands those over (they are in its table).
    f.is_finite().then_some(f)
}

/// Go's `strconv` `underscoreOK` (number literals and `ParseFloat` alike): `_` only between digits (or after a base prefix).
pub(crate) fn underscore_ok(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1] | 0x20, b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = b[1] | 0x20 == b'x';
    }
    for &c in &b[i..] {
        if c.is_ascii_digit() || hex && c.is_ascii_hexdigit() {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
    }
    saw != b'_'
}

/// Whether `s` has the form of go-yaml v2's float pattern,
/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, matched by hand: building the
/// regex cost each run as much as reading a few thousand scalars.
pub(crate) fn is_float_form(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    } else {
        if !digits(&mut i) {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

/// `!!binary` text as go-yaml v2 decodes it: standard padded base64 (line breaks are folded
/// away before), the bytes kept as a string. (This module is also built into `build.rs`, so it
/// does not borrow the template engine's decoder.)
pub(crate) fn base64_text(s: &str) -> Option<Value> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes: Vec<u8> = s.bytes().filter(|b| !matches!(b, b'\n' | b'\r')).collect();
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    let quads = bytes.len() / 4;
    let mut out = Vec::with_capacity(quads * 3);
    for (n, chunk) in bytes.chunks(4).enumerate() {
        let pad = chunk.iter().rev().take_while(|&&b| b == b'=').count();
        if pad > 2 || (pad > 0 && n + 1 != quads) {
            return None;
        }
        let mut acc = 0u32;
        for &b in &chunk[..4 - pad] {
            acc = acc << 6 | ALPHABET.iter().position(|&a| a == b)? as u32;
        }
        acc <<= 6 * pad as u32;
        out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8][..3 - pad]);
    }
    Some(Value::Str(String::from_utf8_lossy(&out).into_owned()))
}

pub(crate) fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 8 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-'
}

/// Whether go-yaml v2's `parseTimestamp` reads `s`: Go's `time.Parse` with `2006-1-2`,
/// `2006-1-2 15:4:5.999999999` or `2006-1-2T15:4:5.999999999Z07:00` (`T` or `t`), ranges
/// checked as Go checks them (the day against its month and year).
pub(crate) fn go_yaml_timestamp(s: &str) -> bool {
    /// Go's `getnum`: one or two digits.
    fn num(s: &[u8]) -> Option<(u32, &[u8])> {
        let d = |i: usize| {
            s.get(i)
                .filter(|c| c.is_ascii_digit())
                .map(|c| u32::from(c - b'0'))
        };
        let first = d(0)?;
        Some(match d(1) {
            Some(second) => (first * 10 + second, &s[2..]),
            None => (first, &s[1..]),
        })
    }
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let year: u32 = s[..4].parse().unwrap_or(0);
    let date = || -> Option<(u32, u32, &[u8])> {
        let (month, rest) = num(&b[5..])?;
        let rest = rest.strip_prefix(b"-")?;
        let (day, rest) = num(rest)?;
        Some((month, day, rest))
    };
    let Some((month, day, rest)) = date() else {
        return false;
    };
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day < 1 || day > days {
        return false;
    }
    let (zoned, rest) = match rest.split_first() {
        None => return true,
        Some((b'T' | b't', rest)) => (true, rest),
        Some((b' ', rest)) => (false, rest),
        Some(_) => return false,
    };
    let time = || -> Option<&[u8]> {
        let (hour, rest) = num(rest)?;
        let (minute, rest) = num(rest.strip_prefix(b":")?)?;
        let (second, mut rest) = num(rest.strip_prefix(b":")?)?;
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        if let [b'.' | b',', d, ..] = rest
            && d.is_ascii_digit()
        {
            let digits = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            rest = &rest[1 + digits..];
        }
        Some(rest)
    };
    let Some(rest) = time() else {
        return false;
    };
    if !zoned {
        return rest.is_empty();
    }
    match rest {
        [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            let two = |a: u8, b: u8| {
                (a.is_ascii_digit() && b.is_ascii_digit())
                    .then(|| u32::from(a - b'0') * 10 + u32::from(b - b'0'))
            };
            matches!((two(*h1, *h2), two(*m1, *m2)), (Some(h), Some(m)) if h <= 24 && m <= 60)
        }
        _ => false,
    }
}

pub(crate) fn go_parse_integer(s: &str) -> Option<i128> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) =
        if let Some(r) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, r)
        } else if let Some(r) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (8, r)
        } else if let Some(r) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (2, r)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..])
        } else {
            (10, body)
        };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if neg {
        // ParseInt accepts down to i64::MIN; ParseUint takes no sign. (Go's integer has no
        // negative zero: `-0` is 0.)
        (magnitude <= i64::MAX as u64 + 1).then(|| -i128::from(magnitude))
    } else {
        Some(i128::from(magnitude))
    }
}

/// `s` without its `_` digit separators (most numbers have none: no copy then).
pub(crate) fn without_underscores(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('_') {
        std::borrow::Cow::Owned(s.chars().filter(|&c| c != '_').collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::key_string;

    /// The hand matcher agrees with go-yaml's float pattern on every text of up to four
    /// characters from the alphabet that decides it (and on some longer ones).
    #[test]
    fn the_float_form_is_go_yaml_s_pattern() {
        let re = regex::Regex::new(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
            .expect("valid regex");
        let alphabet = ["", "+", "-", ".", "0", "7", "e", "E", "x", "_", " "];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
            texts.sort();
            texts.dedup();
        }
        texts.extend(
            [
                "-12.5e+10",
                "1.e5",
                ".5E-3",
                "12345678901234567890.0",
                "1e",
                "1.2.3",
            ]
            .map(String::from),
        );
        for t in &texts {
            assert_eq!(super::is_float_form(t), re.is_match(t), "{t:?}");
        }
    }

    /// Which texts `!!timestamp` accepts: Helm 3.17.3 on `a: !!timestamp TEXT` in a values file
    /// (the text kept, or `cannot decode !!str … as a !!timestamp`).
    #[test]
    fn timestamps_are_what_go_yaml_v2_parses() {
        for ok in [
            "2001-12-14",
            "2001-1-2t1:2:3Z",
            "2001-12-14 21:59:43.5",
            "2000-02-29",
            "2001-2-3T23:59:59,5+24:60",
            "2001-02-03T01:02:03.123456789123-01:00",
        ] {
            assert!(super::go_yaml_timestamp(ok), "{ok}");
        }
        for bad in [
            "2001-13-45",
            "2001-02-29",
            "2001-2-3T24:00:00Z",
            "2001-2-3T23:59:59.Z",
            "2001-2-3T23:59:59+25:00",
            "2001-2-3 1:2:3Z",
            "2001-2-3T1:2:3",
            "12001-2-3",
            "2001-2-3x",
            "x",
        ] {
            assert!(!super::go_yaml_timestamp(bad), "{bad}");
        }
    }

    #[test]
    fn keys_are_spelled_as_sigs_yaml_spells_them() {
        // Each as Helm 3.17.3 and 4.1.4 print it with `{{ toJson .Values }}`.
        let cases = [
            ("1", "1"),
            ("1.0", "1"),
            ("0x10", "16"),
            ("1e3", "1000"),
            ("true", "true"),
            ("yes", "true"),
            ("on", "true"),
            ("off", "false"),
            ("N", "false"),
            (".inf", ".inf"),
            ("-.inf", "-.inf"),
            (".NaN", ".nan"),
            ("0o7", "7"),
            ("017", "15"),
            ("+1", "1"),
            ("1_000", "1000"),
            ("0b101", "5"),
            ("-0", "0"),
            ("-0.0", "-0"),
            ("0.1", "0.1"),
            (".5", "0.5"),
            ("5.", "5"),
            ("08", "8"),
            ("1e21", "1e+21"),
            ("0.000001", "1e-06"),
            ("3.14159265358979", "3.1415927"),
            ("123456789012345678901234567890", "1.2345679e+29"),
            ("1.7976931348623157e308", ".inf"),
            ("9223372036854775807", "9223372036854775807"),
            ("-9223372036854775809", "-9.223372e+18"),
            ("1e400", "1e400"),
            ("2001-12-14", "2001-12-14"),
            ("0x", "0x"),
            ("1.2.3", "1.2.3"),
        ];
        for (key, want) in cases {
            assert_eq!(key_string(key, true, None).as_deref(), Ok(want), "{key}");
        }
        assert_eq!(key_string("1", false, None).as_deref(), Ok("1"));
        assert_eq!(key_string("~", false, None).as_deref(), Ok("~"));
        assert_eq!(key_string("1", true, Some("!!float")).as_deref(), Ok("1"));
        assert_eq!(key_string("1", false, Some("!!str")).as_deref(), Ok("1"));
        assert_eq!(
            key_string("aGk=", true, Some("!!binary")).as_deref(),
            Ok("hi")
        );
    }

    #[test]
    fn null_keys_and_uint64_keys_are_refused() {
        for key in ["~", "null", "NULL", ""] {
            let e = key_string(key, true, None).unwrap_err();
            assert!(e.contains("is null"), "{key}: {e}");
        }
        for key in [
            "9223372036854775808",
            "18446744073709551615",
            "0xFFFFFFFFFFFFFFFF",
        ] {
            let e = key_string(key, true, None).unwrap_err();
            assert!(e.contains("uint64"), "{key}: {e}");
        }
        assert!(key_string("x", true, Some("!!null")).is_err());
    }
}

//! go-yaml v2's `resolve` for an unquoted scalar: which strings read back as something else
//! (a boolean, null, number or timestamp) and so must be quoted when written.

use std::sync::OnceLock;

use regex::Regex;

/// Whether go-yaml v2 may write `s` as a plain scalar: it would read back as a string
/// (`resolve` gives `!!str`) and it is not a YAML 1.1 base-60 number (`1:20`).
pub(crate) fn plain_is_string(s: &str) -> bool {
    resolves_to_string(s) && !is_base60_float(s)
}

/// go-yaml v2's `resolve("", s)` returning the `!!str` tag.
fn resolves_to_string(s: &str) -> bool {
    let Some(&first) = s.as_bytes().first() else {
        return false; // "" is null
    };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => !matches!(
            s,
            "y" | "Y"
                | "yes"
                | "Yes"
                | "YES"
                | "true"
                | "True"
                | "TRUE"
                | "on"
                | "On"
                | "ON"
                | "n"
                | "N"
                | "no"
                | "No"
                | "NO"
                | "false"
                | "False"
                | "FALSE"
                | "off"
                | "Off"
                | "OFF"
                | "null"
                | "Null"
                | "NULL"
                | "~"
        ),
        b'.' => {
            let special = matches!(s, ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF");
            !special && crate::yaml_key::go_parse_float(s).is_none()
        }
        b'+' | b'-' | b'0'..=b'9' => {
            if matches!(s, "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF") {
                return false;
            }
            if is_timestamp(s) {
                return false;
            }
            let plain = crate::yaml_key::without_underscores(s);
            if super::args::parse_go_int(&plain).is_some() || parse_go_uint(&plain).is_some() {
                return false;
            }
            if crate::yaml_key::is_float_form(&plain)
                && crate::yaml_key::go_parse_float(&plain).is_some()
            {
                return false;
            }
            if let Some(bin) = plain.strip_prefix("0b") {
                return parse_go_int_radix2(bin, false).is_none();
            }
            if let Some(bin) = plain.strip_prefix("-0b") {
                return parse_go_int_radix2(bin, true).is_none();
            }
            true
        }
        _ => true,
    }
}

/// `strconv.ParseUint(s, 0, 64)` succeeding.
fn parse_go_uint(s: &str) -> Option<u64> {
    if s.starts_with(['+', '-']) {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

fn parse_go_int_radix2(digits: &str, negative: bool) -> Option<i64> {
    if digits.is_empty() || !digits.chars().all(|c| c == '0' || c == '1') {
        return None;
    }
    let text = if negative {
        format!("-{digits}")
    } else {
        digits.to_string()
    };
    i64::from_str_radix(&text, 2).ok()
}

/// go-yaml v2's `isBase60Float`.
fn is_base60_float(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let Some(&c) = s.as_bytes().first() else {
        return false;
    };
    if !(c == b'+' || c == b'-' || c.is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    RE.get_or_init(|| {
        Regex::new(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$").expect("valid regex")
    })
    .is_match(s)
}

/// go-yaml v2's `parseTimestamp`: `YYYY-` then one of the layouts it tries with `time.Parse`.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let year_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if year_digits != 4 || b.get(4) != Some(&b'-') {
        return false;
    }
    const LAYOUTS: [&[Part]; 4] = [
        &[
            Part::Date,
            Part::Lit(b'T'),
            Part::Time,
            Part::Frac,
            Part::Zone,
        ],
        &[
            Part::Date,
            Part::Lit(b't'),
            Part::Time,
            Part::Frac,
            Part::Zone,
        ],
        &[Part::Date, Part::Lit(b' '), Part::Time, Part::Frac],
        &[Part::Date],
    ];
    LAYOUTS.iter().any(|layout| parses_as(b, layout))
}

/// Pieces of go-yaml's timestamp layouts (`2006-1-2`, `15:4:5`, `.999999999`, `Z07:00`).
#[derive(Clone, Copy)]
enum Part {
    Date,
    Time,
    Frac,
    Zone,
    Lit(u8),
}

/// `time.Parse` of `value` with a layout made of `parts`: every part matches and nothing is
/// left over.
fn parses_as(mut v: &[u8], parts: &[Part]) -> bool {
    let mut frac_in_layout = false;
    for (n, part) in parts.iter().enumerate() {
        match *part {
            Part::Date => {
                let year: i64 = std::str::from_utf8(&v[..4])
                    .ok()
                    .and_then(|y| y.parse().ok())
                    .unwrap_or(0);
                v = &v[4..];
                let Some(rest) = skip(v, b"-") else {
                    return false;
                };
                let Some((month, rest)) = getnum(rest, false) else {
                    return false;
                };
                if !(1..=12).contains(&month) {
                    return false;
                }
                let Some(rest) = skip(rest, b"-") else {
                    return false;
                };
                let Some((day, rest)) = getnum(rest, false) else {
                    return false;
                };
                if day < 1 || day > days_in(month, year) {
                    return false;
                }
                v = rest;
            }
            Part::Time => {
                let Some((hour, rest)) = getnum(v, false) else {
                    return false;
                };
                let Some(rest) = skip(rest, b":") else {
                    return false;
                };
                let Some((min, rest)) = getnum(rest, false) else {
                    return false;
                };
                let Some(rest) = skip(rest, b":") else {
                    return false;
                };
                let Some((sec, rest)) = getnum(rest, false) else {
                    return false;
                };
                if hour >= 24 || min >= 60 || sec >= 60 {
                    return false;
                }
                v = rest;
                frac_in_layout = matches!(parts.get(n + 1), Some(Part::Frac));
                // A fractional second the layout does not name is still accepted.
                if !frac_in_layout && starts_fraction(v) {
                    v = &v[1 + digits(&v[1..])..];
                }
            }
            Part::Frac => {
                if frac_in_layout && starts_fraction(v) {
                    v = &v[1 + digits(&v[1..])..];
                }
            }
            Part::Zone => {
                if v.first() == Some(&b'Z') {
                    v = &v[1..];
                    continue;
                }
                if v.len() < 6 || v[3] != b':' || !matches!(v[0], b'+' | b'-') {
                    return false;
                }
                let (Some((hr, _)), Some((mm, _))) =
                    (getnum(&v[1..3], true), getnum(&v[4..6], true))
                else {
                    return false;
                };
                if hr > 24 || mm > 60 {
                    return false;
                }
                v = &v[6..];
            }
            Part::Lit(c) => match skip(v, &[c]) {
                Some(rest) => v = rest,
                None => return false,
            },
        }
    }
    v.is_empty()
}

fn starts_fraction(v: &[u8]) -> bool {
    v.len() >= 2 && matches!(v[0], b'.' | b',') && v[1].is_ascii_digit()
}

fn digits(v: &[u8]) -> usize {
    v.iter().take_while(|c| c.is_ascii_digit()).count()
}

/// `time`'s `getnum`: one or two digits (exactly two when `fixed`).
fn getnum(v: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    let d0 = *v.first().filter(|c| c.is_ascii_digit())?;
    match v.get(1).filter(|c| c.is_ascii_digit()) {
        Some(&d1) => Some((i64::from(d0 - b'0') * 10 + i64::from(d1 - b'0'), &v[2..])),
        None if fixed => None,
        None => Some((i64::from(d0 - b'0'), &v[1..])),
    }
}

/// `time`'s `skip`: a literal; a space in the layout matches any run of spaces.
fn skip<'a>(mut v: &'a [u8], lit: &[u8]) -> Option<&'a [u8]> {
    for &c in lit {
        if c == b' ' {
            if v.first().is_some_and(|&x| x != b' ') {
                return None;
            }
            while v.first() == Some(&b' ') {
                v = &v[1..];
            }
        } else if v.first() == Some(&c) {
            v = &v[1..];
        } else {
            return None;
        }
    }
    Some(v)
}

fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

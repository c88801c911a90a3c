//! Sprig's `toDate` and `mustToDate`: Go's `time.ParseInLocation` in `time.Local` (see
//! `sprig_zone`). Ported from Go's `time/format.go`, errors included.

use std::rc::Rc;

use super::super::value::{Str, StrBuf, Value};
use super::args::{arity, string};
use super::sprig_date::{DAYS, Loc, MONTHS, Std, Time, ZoneName, next_chunk};
use super::sprig_strings::push_go_quoted;
use super::{Ctx, Func, FuncError};

/// The functions of this family.
pub(crate) const FUNCS: &[(&str, Func)] = &[("toDate", to_date), ("mustToDate", must_to_date)];

fn quote(s: &str) -> String {
    let mut b = StrBuf::new();
    push_go_quoted(&mut b, &Str::new(s));
    b.text
}

/// Days from 1970-01-01 to a proleptic Gregorian date (month and day may overflow, as Go's
/// `Date` normalises them).
pub(super) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let (y, m) = (y + (m - 1).div_euclid(12), (m - 1).rem_euclid(12) + 1);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in(month: i64, year: i64) -> i64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// One or two digits (exactly two when `fixed`).
fn getnum(b: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    if !b.first()?.is_ascii_digit() {
        return None;
    }
    if !b.get(1).is_some_and(u8::is_ascii_digit) {
        return (!fixed).then(|| (i64::from(b[0] - b'0'), &b[1..]));
    }
    Some((
        i64::from(b[0] - b'0') * 10 + i64::from(b[1] - b'0'),
        &b[2..],
    ))
}

/// A case-insensitive name from `names` at the start of `s`: (index, rest).
fn lookup<'a, 'b>(names: impl Iterator<Item = &'a str>, s: &'b [u8]) -> Option<(usize, &'b [u8])> {
    for (i, n) in names.enumerate() {
        if s.len() >= n.len() && s[..n.len()].eq_ignore_ascii_case(n.as_bytes()) {
            return Some((i, &s[n.len()..]));
        }
    }
    None
}

/// Go's `skip`: the literal text of the layout, where a space matches any run of spaces.
fn skip<'a>(mut value: &'a [u8], prefix: &str) -> Option<&'a [u8]> {
    let mut prefix = prefix.as_bytes();
    let spaces = |b: &[u8]| b.iter().take_while(|c| **c == b' ').count();
    while let Some(p) = prefix.first() {
        if *p == b' ' {
            if value.first().is_some_and(|v| *v != b' ') {
                return None;
            }
            prefix = &prefix[spaces(prefix)..];
            value = &value[spaces(value)..];
            continue;
        }
        if value.first() != Some(p) {
            return None;
        }
        (prefix, value) = (&prefix[1..], &value[1..]);
    }
    Some(value)
}

/// `parseNanoseconds`: the separator and up to nine digits, scaled to nanoseconds.
fn nanos(b: &[u8], nbytes: usize) -> Option<i64> {
    if !matches!(b.first(), Some(b'.' | b',')) {
        return None;
    }
    let n = nbytes.min(10);
    let digits = b.get(1..n)?;
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let ns = digits
        .iter()
        .fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
    Some(ns * 10i64.pow(10 - n as u32))
}

/// Go's `parseTimeZone`: `ChST`/`MeST`, `GMT` with an optional signed hour offset
/// (`GMT+3`), an unnamed `+03`/`-00`, or three to five capitals (four or five ending in T).
fn zone_len(v: &[u8]) -> Option<usize> {
    if v.len() < 3 {
        return None;
    }
    if v.starts_with(b"ChST") || v.starts_with(b"MeST") {
        return Some(4);
    }
    if v.starts_with(b"GMT") {
        return Some(3 + signed_offset_len(&v[3..]));
    }
    if matches!(v[0], b'+' | b'-') {
        return Some(signed_offset_len(v)).filter(|&n| n > 0);
    }
    let upper = v
        .iter()
        .take(6)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    match upper {
        3 => Some(3),
        4 if v[3] == b'T' || v.starts_with(b"WITA") => Some(4),
        5 if v[4] == b'T' => Some(5),
        _ => None,
    }
}

/// Go's `parseSignedOffset`: the length of a sign and an hour number of at most 23 (`+03`,
/// `-00`, `+012`) at the start of `v`, 0 when there is none (Go's `leadingInt` failing past
/// 2^63 included).
fn signed_offset_len(v: &[u8]) -> usize {
    if !matches!(v.first(), Some(b'+' | b'-')) {
        return 0;
    }
    match super::sprig_date::leading_int(&v[1..]) {
        Some((x, digits)) if digits > 0 && x <= 23 => 1 + digits,
        _ => 0,
    }
}

/// All of `b` as a decimal number (`None` unless it is digits that fit).
fn digits_value(b: &[u8]) -> Option<i64> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    b.iter().try_fold(0i64, |n, d| {
        n.checked_mul(10)?.checked_add(i64::from(d - b'0'))
    })
}

/// Go's `time.Parse` in a UTC local zone.
pub(crate) fn parse(layout: &str, value: &str) -> Result<Time, String> {
    let err_at = |elem: &str, val: &[u8]| {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            quote(value),
            quote(layout),
            quote(&String::from_utf8_lossy(val)),
            quote(elem)
        )
    };
    let range = |what: &str| format!("parsing time {}: {what} out of range", quote(value));
    let (mut year, mut month, mut day, mut yday) = (0i64, -1i64, -1i64, -1i64);
    let (mut hour, mut min, mut sec, mut nsec) = (0i64, 0i64, 0i64, 0i64);
    let (mut am, mut pm) = (false, false);
    let mut utc = false;
    let mut offset: Option<i64> = None;
    let mut zone_name = String::new();
    let (mut lay, mut val) = (layout, value.as_bytes());
    loop {
        let (prefix, std, suffix) = next_chunk(lay);
        let elem = &lay[prefix.len()..lay.len() - suffix.len()];
        val = skip(val, prefix).ok_or_else(|| err_at(prefix, val))?;
        let Some(std) = std else {
            if !val.is_empty() {
                return Err(format!(
                    "parsing time {}: extra text: {}",
                    quote(value),
                    quote(&String::from_utf8_lossy(val))
                ));
            }
            break;
        };
        lay = suffix;
        let hold = val;
        let bad = || err_at(elem, hold);
        let mut out_of_range = None;
        match std {
            Std::Year => {
                let y = val.get(..2).and_then(digits_value).ok_or_else(bad)?;
                year = if y >= 69 { y + 1900 } else { y + 2000 };
                val = &val[2..];
            }
            Std::LongYear => {
                year = val.get(..4).and_then(digits_value).ok_or_else(bad)?;
                val = &val[4..];
            }
            Std::Month | Std::LongMonth => {
                let short = matches!(std, Std::Month);
                let names = MONTHS.iter().map(|m| if short { &m[..3] } else { *m });
                let (i, rest) = lookup(names, val).ok_or_else(bad)?;
                (month, val) = (i as i64 + 1, rest);
            }
            Std::NumMonth | Std::ZeroMonth => {
                (month, val) = getnum(val, matches!(std, Std::ZeroMonth)).ok_or_else(bad)?;
                if !(1..=12).contains(&month) {
                    out_of_range = Some("month");
                }
            }
            Std::WeekDay | Std::LongWeekDay => {
                let short = matches!(std, Std::WeekDay);
                let names = DAYS.iter().map(|d| if short { &d[..3] } else { *d });
                val = lookup(names, val).ok_or_else(bad)?.1;
            }
            Std::Day | Std::UnderDay | Std::ZeroDay => {
                if matches!(std, Std::UnderDay) {
                    val = val.strip_prefix(b" ").unwrap_or(val);
                }
                (day, val) = getnum(val, matches!(std, Std::ZeroDay)).ok_or_else(bad)?;
            }
            Std::UnderYearDay | Std::ZeroYearDay => {
                if matches!(std, Std::UnderYearDay) {
                    for _ in 0..2 {
                        val = val.strip_prefix(b" ").unwrap_or(val);
                    }
                }
                let n = val
                    .iter()
                    .take(3)
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                if n == 0 || (matches!(std, Std::ZeroYearDay) && n < 3) {
                    return Err(bad());
                }
                yday = digits_value(&val[..n]).ok_or_else(bad)?;
                val = &val[n..];
            }
            Std::Hour => {
                (hour, val) = getnum(val, false).ok_or_else(bad)?;
                if hour >= 24 {
                    out_of_range = Some("hour");
                }
            }
            Std::Hour12 | Std::ZeroHour12 => {
                (hour, val) = getnum(val, matches!(std, Std::ZeroHour12)).ok_or_else(bad)?;
                if hour > 12 {
                    out_of_range = Some("hour");
                }
            }
            Std::Minute | Std::ZeroMinute => {
                (min, val) = getnum(val, matches!(std, Std::ZeroMinute)).ok_or_else(bad)?;
                if min >= 60 {
                    out_of_range = Some("minute");
                }
            }
            Std::Second | Std::ZeroSecond => {
                (sec, val) = getnum(val, matches!(std, Std::ZeroSecond)).ok_or_else(bad)?;
                if sec >= 60 {
                    out_of_range = Some("second");
                } else if val.len() >= 2
                    && matches!(val[0], b'.' | b',')
                    && val[1].is_ascii_digit()
                    && !matches!(next_chunk(lay).1, Some(Std::Frac(..)))
                {
                    // A fraction the layout does not ask for is taken anyway.
                    let n = 1 + val[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                    nsec = nanos(val, n).ok_or_else(bad)?;
                    val = &val[n..];
                }
            }
            Std::Pm | Std::PmLower => {
                let p = val.get(..2).ok_or_else(bad)?;
                let (a, b) = if matches!(std, Std::Pm) {
                    ("AM", "PM")
                } else {
                    ("am", "pm")
                };
                if p == b.as_bytes() {
                    pm = true;
                } else if p == a.as_bytes() {
                    am = true;
                } else {
                    return Err(bad());
                }
                val = &val[2..];
            }
            Std::NumTz(form) => {
                if form.starts_with('Z') && val.starts_with(b"Z") {
                    val = &val[1..];
                    utc = true;
                } else {
                    let b = val;
                    let colon = form.contains(':');
                    let len = form.len();
                    if b.len() < len || (colon && (b[3] != b':' || (len == 9 && b[6] != b':'))) {
                        return Err(bad());
                    }
                    let two = |i: usize| getnum(&val[i..i + 2], true).map(|x| x.0);
                    let hh = two(1).ok_or_else(bad)?;
                    let mm = if len > 3 {
                        two(if colon { 4 } else { 3 }).ok_or_else(bad)?
                    } else {
                        0
                    };
                    let ss = if len == 7 || len == 9 {
                        two(if colon { 7 } else { 5 }).ok_or_else(bad)?
                    } else {
                        0
                    };
                    if hh > 24 {
                        out_of_range = Some("time zone offset hour");
                    }
                    if mm > 60 {
                        out_of_range = Some("time zone offset minute");
                    }
                    if ss > 60 {
                        out_of_range = Some("time zone offset second");
                    }
                    let off = (hh * 60 + mm) * 60 + ss;
                    offset = Some(match b[0] {
                        b'+' => off,
                        b'-' => -off,
                        _ => return Err(bad()),
                    });
                    val = &val[len..];
                }
            }
            Std::Tz => {
                if let Some(rest) = val.strip_prefix(b"UTC") {
                    (utc, val) = (true, rest);
                } else {
                    let n = zone_len(val).ok_or_else(bad)?;
                    zone_name = String::from_utf8_lossy(&val[..n]).into_owned();
                    val = &val[n..];
                }
            }
            Std::Frac(n, trim, _) => {
                if !trim {
                    if val.len() < n + 1 {
                        return Err(bad());
                    }
                    nsec = nanos(val, n + 1).ok_or_else(bad)?;
                    val = &val[n + 1..];
                } else if val.len() >= 2 && matches!(val[0], b'.' | b',') && val[1].is_ascii_digit()
                {
                    let k = 1 + val[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                    nsec = nanos(val, k).ok_or_else(bad)?;
                    val = &val[k..];
                }
            }
        }
        if let Some(what) = out_of_range {
            return Err(range(what));
        }
    }
    if pm && hour < 12 {
        hour += 12;
    } else if am && hour == 12 {
        hour = 0;
    }
    if yday >= 0 {
        let leap = days_in(2, year) == 29;
        if yday < 1 || yday > if leap { 366 } else { 365 } {
            return Err(range("day-of-year"));
        }
        let (mut m, mut d) = (1, yday);
        while d > days_in(m, year) {
            d -= days_in(m, year);
            m += 1;
        }
        if (month >= 0 && month != m) || (day >= 0 && day != d) {
            return Err(format!(
                "parsing time {}: day-of-year does not match month",
                quote(value)
            ));
        }
        (month, day) = (m, d);
    } else {
        if month < 0 {
            month = 1;
        }
        if day < 0 {
            day = 1;
        }
    }
    if day < 1 || day > days_in(month, year) {
        return Err(format!("parsing time {}: day out of range", quote(value)));
    }
    let wall = days_from_civil(year, month, day) * 86_400 + hour * 3600 + min * 60 + sec;
    let at_wall =
        |offset: i64| Time::utc(i128::from(wall - offset) * 1_000_000_000 + i128::from(nsec));
    if utc {
        return Ok(at_wall(0));
    }
    // Sprig parses in `time.Local`: a zone the text names is Local's own where Local had that
    // offset (or a type of that name) then; otherwise a fixed zone keeps what the text said.
    let local = super::sprig_zone::load("Local");
    let fixed = |mut t: Time, offset: i64| {
        t.zone = Some((offset as i32, ZoneName::new(&zone_name).unwrap_or_default()));
        t.loc = Loc::Fixed;
        t
    };
    if let Some(off) = offset {
        let t = at_wall(off);
        let (local_off, local_name) = local_lookup(&local, wall - off);
        if i64::from(local_off) == off && (zone_name.is_empty() || local_name == zone_name) {
            return Ok(Time::local(t.nanos));
        }
        return Ok(fixed(t, off));
    }
    if !zone_name.is_empty() {
        if let Some(z) = &local
            && let Some(off) = super::sprig_zone::offset_named(z, &zone_name, wall)
        {
            return Ok(Time::local(at_wall(i64::from(off)).nanos));
        }
        // Go's fake zone: the wall time read as UTC, named as written, with the hours of a
        // `GMT+3` as its offset (the instant does not move).
        let gmt_hours = zone_name
            .strip_prefix("GMT")
            .filter(|rest| !rest.is_empty())
            .and_then(|rest| rest.strip_prefix('+').unwrap_or(rest).parse::<i64>().ok())
            .unwrap_or(0);
        return Ok(fixed(at_wall(0), gmt_hours * 3600));
    }
    // Go's `Date` in Local: the offset in effect at the wall time read as UTC, unless the
    // instant that gives lies in another period (a wall time in a transition's gap or overlap).
    let (first, _) = local_lookup(&local, wall);
    let (second, _) = local_lookup(&local, wall - i64::from(first));
    let offset = if first == second { first } else { second };
    Ok(Time::local(at_wall(i64::from(offset)).nanos))
}

/// Local's offset and abbreviation at `unix` (UTC's when Local is UTC).
fn local_lookup(local: &super::sprig_zone::Zone, unix: i64) -> (i32, String) {
    local
        .as_ref()
        .and_then(|z| super::sprig_zone::at(z, unix))
        .unwrap_or((0, "UTC".into()))
}

fn parse_args(a: &[Value]) -> Result<Result<Time, String>, FuncError> {
    arity(a, 2)?;
    let layout = string(&a[0])?.as_str();
    let value = string(&a[1])?.as_str();
    Ok(parse(layout, value))
}

/// `toDate LAYOUT VALUE`: the time, or Go's zero time when VALUE does not parse.
fn to_date(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    let t = parse_args(a)?.unwrap_or_else(|_| Time::utc(super::sprig_date::ZERO_NANOS));
    Ok(Value::Object(Rc::new(t)))
}

fn must_to_date(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    let t = parse_args(a)?.map_err(FuncError::call)?;
    Ok(Value::Object(Rc::new(t)))
}

#[cfg(test)]
mod tests {
    use super::super::sprig_testutil::{err, s, show};

    // Expectations from `helm template` (Helm 3.17.3, UTC machine).
    #[test]
    fn to_date_like_go() {
        assert_eq!(
            show("toDate", &[s("2006-01-02"), s("2024-02-29")]),
            "2024-02-29 00:00:00 +0000 UTC"
        );
        assert_eq!(
            show("toDate", &[s("2006-01-02"), s("x")]),
            "0001-01-01 00:00:00 +0000 UTC"
        );
        assert_eq!(
            show(
                "toDate",
                &[s("02/01/06 15:04 -0700"), s("29/02/24 13:05 +0230")]
            ),
            "2024-02-29 13:05:00 +0230 +0230"
        );
        assert_eq!(
            show("toDate", &[s("Jan 2 2006 3:04PM"), s("Mar 5 2023 1:07am")]),
            "0001-01-01 00:00:00 +0000 UTC"
        );
        assert_eq!(
            err("mustToDate", &[s("2006-01-02"), s("2024-13-01")]),
            r#"parsing time "2024-13-01": month out of range"#
        );
        assert_eq!(
            err("mustToDate", &[s("2006-01-02"), s("24-01-01")]),
            r#"parsing time "24-01-01" as "2006-01-02": cannot parse "24-01-01" as "2006""#
        );
        assert_eq!(
            err("mustToDate", &[s("2006-01-02"), s("2024-01-01x")]),
            r#"parsing time "2024-01-01x": extra text: "x""#
        );
    }

    /// Go's `parseTimeZone` takes `GMT` with an hour offset and an unnamed `+03` as zone names
    /// (fuzz 49 class 01; Helm 3.17.3 and 4.1.4 alike, UTC machine): a fixed zone of that name,
    /// the wall time kept as UTC.
    #[test]
    fn gmt_offsets_and_unnamed_zones_like_go() {
        let layout = "2006-01-02 15:04 MST";
        assert_eq!(
            show("mustToDate", &[s(layout), s("2024-03-10 02:30 GMT-11")]),
            "2024-03-09 15:30:00 -1100 GMT-11"
        );
        assert_eq!(
            show("mustToDate", &[s(layout), s("2024-03-10 02:30 +03")]),
            "2024-03-10 02:30:00 +0000 +03"
        );
        assert_eq!(
            show("toDate", &[s(layout), s("2024-03-10 02:30 GMT+3")])
                .split(' ')
                .next_back(),
            Some("GMT+3")
        );
        assert_eq!(
            err("mustToDate", &[s(layout), s("2024-03-10 02:30 GMT+1x")]),
            r#"parsing time "2024-03-10 02:30 GMT+1x": extra text: "x""#
        );
        assert_eq!(
            err("mustToDate", &[s(layout), s("2024-03-10 02:30 +24")]),
            r#"parsing time "2024-03-10 02:30 +24" as "2006-01-02 15:04 MST": cannot parse "+24" as "MST""#
        );
    }
}

//! gojsonschema v1.2.0's `format` checkers (format_checkers.go). Each takes a string; any other
//! value fails a format it knows, and a format it does not know always passes.

use std::sync::OnceLock;

use regex::Regex;

use super::reference::Url;

/// The names gojsonschema has a checker for.
const KNOWN: [&str; 17] = [
    "date",
    "time",
    "date-time",
    "hostname",
    "email",
    "idn-email",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "uuid",
    "regex",
    "json-pointer",
    "relative-json-pointer",
];

/// Whether gojsonschema checks this format.
pub(super) fn known(name: &str) -> bool {
    KNOWN.contains(&name)
}

/// `FormatCheckers.IsFormat(name, s)`.
pub(super) fn is_format(name: &str, s: &str) -> bool {
    match name {
        "date" => date(s.as_bytes()).is_some_and(<[u8]>::is_empty),
        "time" => {
            time_of_day(s.as_bytes())
                .and_then(zone)
                .is_some_and(<[u8]>::is_empty)
                || time_of_day(s.as_bytes()).is_some_and(<[u8]>::is_empty)
        }
        "date-time" => date_time(s),
        "hostname" => matches(&HOSTNAME, HOSTNAME_RE, s) && s.len() < 256,
        "email" | "idn-email" => email(s),
        "ipv4" => s.parse::<std::net::IpAddr>().is_ok() && s.contains('.'),
        "ipv6" => s.parse::<std::net::IpAddr>().is_ok() && s.contains(':'),
        "uri" | "iri" => !s.contains('\\') && Url::parse(s).is_ok_and(|u| u.has_scheme()),
        "uri-reference" | "iri-reference" => !s.contains('\\') && Url::parse(s).is_ok(),
        "uri-template" => {
            !s.contains('\\')
                && Url::parse(s).is_ok_and(|u| matches(&URI_TEMPLATE, URI_TEMPLATE_RE, u.path()))
        }
        "uuid" => matches(&UUID, UUID_RE, s),
        "regex" => s.is_empty() || crate::template::funcs::sprig_regex::compile(s).is_ok(),
        "json-pointer" => matches(&JSON_POINTER, JSON_POINTER_RE, s),
        "relative-json-pointer" => matches(&REL_JSON_POINTER, REL_JSON_POINTER_RE, s),
        _ => true,
    }
}

static HOSTNAME: OnceLock<Option<Regex>> = OnceLock::new();
const HOSTNAME_RE: &str = r"^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])(\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\-]{0,61}[a-zA-Z0-9]))*$";
static URI_TEMPLATE: OnceLock<Option<Regex>> = OnceLock::new();
const URI_TEMPLATE_RE: &str = r"^([^{]*(\{[^}]*\})?)*$";
static UUID: OnceLock<Option<Regex>> = OnceLock::new();
const UUID_RE: &str = r"^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$";
static JSON_POINTER: OnceLock<Option<Regex>> = OnceLock::new();
const JSON_POINTER_RE: &str = r"^(?:/(?:[^~/]|~0|~1)*)*$";
static REL_JSON_POINTER: OnceLock<Option<Regex>> = OnceLock::new();
const REL_JSON_POINTER_RE: &str = r"^(?:0|[1-9][0-9]*)(?:#|(?:/(?:[^~/]|~0|~1)*)*)$";

fn matches(cell: &OnceLock<Option<Regex>>, pattern: &str, s: &str) -> bool {
    cell.get_or_init(|| Regex::new(pattern).ok())
        .as_ref()
        .is_some_and(|re| re.is_match(s))
}

/// `getnum`: one or two digits (two when `fixed`), and what follows.
fn num(s: &[u8], fixed: bool) -> Option<(u32, &[u8])> {
    let d0 = *s.first().filter(|c| c.is_ascii_digit())?;
    match s.get(1).filter(|c| c.is_ascii_digit()) {
        Some(&d1) => Some((u32::from(d0 - b'0') * 10 + u32::from(d1 - b'0'), &s[2..])),
        None if fixed => None,
        None => Some((u32::from(d0 - b'0'), &s[1..])),
    }
}

fn lit(s: &[u8], c: u8) -> Option<&[u8]> {
    (s.first() == Some(&c)).then(|| &s[1..])
}

/// `time.Parse` of `2006-01-02` at the start of `s`: what follows it.
fn date(s: &[u8]) -> Option<&[u8]> {
    let year = s.get(..4)?;
    if !year.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let year: u32 = std::str::from_utf8(year).ok()?.parse().ok()?;
    let (month, s) = num(lit(&s[4..], b'-')?, true)?;
    let (day, s) = num(lit(s, b'-')?, true)?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days).contains(&day).then_some(s)
}

/// `time.Parse` of `15:04:05` at the start of `s` (an hour of one digit, a fraction of a
/// second after the seconds): what follows it.
fn time_of_day(s: &[u8]) -> Option<&[u8]> {
    let (hour, s) = num(s, false)?;
    let (minute, s) = num(lit(s, b':')?, true)?;
    let (second, mut s) = num(lit(s, b':')?, true)?;
    if hour >= 24 || minute >= 60 || second >= 60 {
        return None;
    }
    if s.len() >= 2 && matches!(s[0], b'.' | b',') && s[1].is_ascii_digit() {
        let n = s[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        s = &s[1 + n..];
    }
    Some(s)
}

/// `Z07:00`: `Z`, or a sign, hours, `:` and minutes.
fn zone(s: &[u8]) -> Option<&[u8]> {
    if let Some(rest) = lit(s, b'Z') {
        return Some(rest);
    }
    if s.len() < 6 || s[3] != b':' || !matches!(s[0], b'+' | b'-') {
        return None;
    }
    let (h, _) = num(&s[1..3], true)?;
    let (m, _) = num(&s[4..6], true)?;
    (h <= 24 && m <= 60).then(|| &s[6..])
}

/// `DateTimeFormatChecker`: a time, a time with zone, a date, or RFC 3339.
fn date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let done = |r: Option<&[u8]>| r.is_some_and(<[u8]>::is_empty);
    done(time_of_day(b))
        || done(time_of_day(b).and_then(zone))
        || done(date(b))
        || done(
            date(b)
                .and_then(|r| lit(r, b'T'))
                .and_then(time_of_day)
                .and_then(zone),
        )
}

/// `net/mail.ParseAddress`, for the common forms: `local@domain`, `Name <local@domain>`.
///
/// NOTE: an approximation: of comments only one after the address is read, and obsolete
/// syntax that Go also accepts is refused.
fn email(s: &str) -> bool {
    let mut s = s.trim_matches([' ', '\t']);
    // A comment after an address (`a@b (Jo)`), which Go takes as the display name.
    if s.ends_with(')')
        && let Some(open) = s.rfind('(')
        && !s[..open].contains('<')
    {
        s = s[..open].trim_end_matches([' ', '\t']);
    }
    let addr = match s.strip_suffix('>') {
        Some(rest) => match rest.rsplit_once('<') {
            Some((name, addr)) => {
                if !display_name(name.trim_matches([' ', '\t'])) {
                    return false;
                }
                addr
            }
            None => return false,
        },
        None => s,
    };
    let Some((local, domain)) = addr.rsplit_once('@') else {
        return false;
    };
    let local_ok = if let Some(q) = local.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
        !q.is_empty() || local.len() == 2
    } else {
        dot_atom(local)
    };
    let domain_ok = if domain.starts_with('[') {
        domain.ends_with(']') && domain.len() > 2
    } else {
        dot_atom(domain)
    };
    local_ok && domain_ok
}

fn atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c) || !c.is_ascii()
}

fn dot_atom(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|part| !part.is_empty() && part.chars().all(atext))
}

fn display_name(s: &str) -> bool {
    if let Some(q) = s.strip_prefix('"') {
        return q.ends_with('"');
    }
    s.split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .all(|w| w.chars().all(|c| atext(c) || c == '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_check_as_gojsonschema_does() {
        for (format, good, bad) in [
            ("date", "2024-02-29", "2023-02-29"),
            ("time", "1:02:03.5+01:00", "12:00"),
            ("date-time", "2024-01-01T10:00:00Z", "2024-01-01 10:00:00Z"),
            ("date-time", "10:00:00", "2024-13-01"),
            ("hostname", "a-b.example.com", "-a.com"),
            ("email", "Jo <jo@x.io>", "jo@"),
            ("ipv4", "::ffff:1.2.3.4", "1.2.3"),
            ("ipv6", "::1", "1.2.3.4"),
            ("uri", "http://x.io/a", "/a"),
            ("uri-reference", "/a?b#c", "a\\b"),
            ("uri-template", "http://x/{a}", "http://x/{a"),
            (
                "uuid",
                "123e4567-e89b-12d3-a456-426614174000",
                "123E4567-E89B-12D3-A456-426614174000",
            ),
            ("regex", "a+", "a("),
            ("json-pointer", "/a~1b", "a"),
            ("relative-json-pointer", "0#", "#"),
        ] {
            assert!(is_format(format, good), "{format} {good}");
            assert!(!is_format(format, bad), "{format} {bad}");
        }
        assert!(is_format("int32", "anything"));
    }
}

//! Sprig's path and URL functions: `base`, `dir`, `clean`, `ext`, `isAbs` (Go's `path`
//! package, and its `os…` twins, which are the same on Linux), `urlParse` and `urlJoin`
//! (Go's `net/url`, the parts Sprig reads).

use super::super::value::{Str, StrBuf, Value};
use super::args::{arity, dict, string};
use super::sprig_strings::push_go_quoted;
use super::{Ctx, Func, FuncError};
use crate::template::value::Entries;

/// The functions of this family.
pub(crate) const FUNCS: &[(&str, Func)] = &[
    ("base", base),
    ("dir", dir),
    ("clean", clean),
    ("ext", ext),
    ("isAbs", is_abs),
    ("osBase", base),
    ("osDir", dir),
    ("osClean", clean),
    ("osExt", ext),
    ("osIsAbs", is_abs),
    ("urlParse", url_parse),
    ("urlJoin", url_join),
];

/// Go's `path.Clean`: the shortest equivalent path, lexically.
pub(crate) fn go_clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let p = path.as_bytes();
    let rooted = p[0] == b'/';
    let n = p.len();
    let mut out: Vec<u8> = Vec::with_capacity(n);
    let (mut r, mut dotdot) = (0, 0);
    if rooted {
        out.push(b'/');
        (r, dotdot) = (1, 1);
    }
    while r < n {
        if p[r] == b'/' || (p[r] == b'.' && (r + 1 == n || p[r + 1] == b'/')) {
            // An empty element or `.`.
            r += 1;
        } else if p[r] == b'.' && p[r + 1] == b'.' && (r + 2 == n || p[r + 2] == b'/') {
            r += 2;
            if out.len() > dotdot {
                // Back up to the previous slash (not past the `..` already written).
                let mut w = out.len() - 1;
                while w > dotdot && out[w] != b'/' {
                    w -= 1;
                }
                out.truncate(w);
            } else if !rooted {
                if !out.is_empty() {
                    out.push(b'/');
                }
                out.extend_from_slice(b"..");
                dotdot = out.len();
            }
        } else {
            if (rooted && out.len() != 1) || (!rooted && !out.is_empty()) {
                out.push(b'/');
            }
            while r < n && p[r] != b'/' {
                out.push(p[r]);
                r += 1;
            }
        }
    }
    if out.is_empty() {
        return ".".into();
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn path_arg(a: &[Value]) -> Result<&str, FuncError> {
    arity(a, 1)?;
    Ok(string(&a[0])?.as_str())
}

fn base(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    let p = path_arg(a)?;
    if p.is_empty() {
        return Ok(Value::str("."));
    }
    let trimmed = p.trim_end_matches('/');
    let last = trimmed.rsplit('/').next().unwrap_or("");
    Ok(Value::str(if last.is_empty() { "/" } else { last }))
}

fn dir(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    let p = path_arg(a)?;
    let d = match p.rfind('/') {
        Some(i) => &p[..=i],
        None => "",
    };
    Ok(Value::str(go_clean(d)))
}

fn clean(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::str(go_clean(path_arg(a)?)))
}

fn ext(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    let p = path_arg(a)?;
    for (i, b) in p.bytes().enumerate().rev() {
        match b {
            b'/' => break,
            b'.' => return Ok(Value::str(&p[i..])),
            _ => {}
        }
    }
    Ok(Value::str(""))
}

fn is_abs(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::bool(path_arg(a)?.starts_with('/')))
}

/// The `net/url` escaping contexts Sprig's functions meet.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Path,
    Host,
    UserPassword,
    Fragment,
}

fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if mode == Mode::Host && b"!$&'()*+,;=:[]<>\"".contains(&c) {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Mode::Path => c == b'?',
            Mode::UserPassword => matches!(c, b'@' | b'/' | b'?' | b':'),
            Mode::Fragment => false,
            Mode::Host => true,
        },
        b'!' | b'(' | b')' | b'*' if mode == Mode::Fragment => false,
        _ => true,
    }
}

fn go_quote(s: &str) -> String {
    let mut b = StrBuf::new();
    push_go_quoted(&mut b, &Str::new(s));
    b.text
}

/// `net/url`'s `unescape`: `%XX` sequences decoded, with its errors.
fn unescape(s: &str, mode: Mode) -> Result<String, String> {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let (Some(h), Some(l)) = (
                    b.get(i + 1).and_then(|c| hex(*c)),
                    b.get(i + 2).and_then(|c| hex(*c)),
                ) else {
                    let esc = &s[i..(i + 3).min(s.len())];
                    return Err(format!("invalid URL escape {}", go_quote(esc)));
                };
                if mode == Mode::Host && h < 8 && &s[i..i + 3] != "%25" {
                    return Err(format!("invalid URL escape {}", go_quote(&s[i..i + 3])));
                }
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            c => {
                if mode == Mode::Host && c < 0x80 && should_escape(c, mode) {
                    return Err(format!(
                        "invalid character {} in host name",
                        go_quote(&(c as char).to_string())
                    ));
                }
                out.push(c);
                i += 1;
            }
        }
    }
    // Go's strings are bytes: a `%ff` stays the byte (as the raw-byte character), where a
    // lossy decoding made it U+FFFD and a `urlParse | urlJoin` round trip changed the URL.
    Ok(crate::template::go_bytes::from_go_bytes(&out))
}

fn escape(s: &str, mode: Mode) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in crate::template::go_bytes::go_bytes(s).iter() {
        if should_escape(c, mode) {
            out.push_str(&format!("%{c:02X}"));
        } else {
            out.push(char::from(c));
        }
    }
    out
}

/// The parts of a URL that `urlParse` returns.
#[derive(Default)]
struct Url {
    scheme: String,
    opaque: String,
    user: Option<(String, Option<String>)>,
    host: String,
    path: String,
    query: String,
    fragment: String,
}

fn valid_port(p: &str) -> bool {
    p.is_empty()
        || p.strip_prefix(':')
            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
}

fn parse_host(host: &str) -> Result<String, String> {
    if host.starts_with('[') {
        let i = host.rfind(']').ok_or("missing ']' in host")?;
        if !valid_port(&host[i + 1..]) {
            return Err(format!(
                "invalid port {} after host",
                go_quote(&host[i + 1..])
            ));
        }
    } else if let Some(i) = host.rfind(':')
        && !valid_port(&host[i..])
    {
        return Err(format!("invalid port {} after host", go_quote(&host[i..])));
    }
    unescape(host, Mode::Host)
}

/// `url.Parse`, the non-request form.
fn parse_url(raw: &str) -> Result<Url, String> {
    let (u, frag) = raw.split_once('#').unwrap_or((raw, ""));
    let wrap = |e: String, what: &str| format!("parse {}: {e}", go_quote(what));
    let mut url = Url::default();
    if u.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err(wrap("net/url: invalid control character in URL".into(), u));
    }
    if u == "*" {
        url.path = "*".into();
    } else {
        let mut rest = u;
        for (i, c) in u.bytes().enumerate() {
            match c {
                b'a'..=b'z' | b'A'..=b'Z' => {}
                b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
                b':' if i == 0 => return Err(wrap("missing protocol scheme".into(), u)),
                b':' => {
                    url.scheme = u[..i].to_ascii_lowercase();
                    rest = &u[i + 1..];
                    break;
                }
                _ => break,
            }
        }
        if rest.ends_with('?') && rest.matches('?').count() == 1 {
            rest = &rest[..rest.len() - 1];
        } else if let Some((r, q)) = rest.split_once('?') {
            (rest, url.query) = (r, q.to_string());
        }
        if !rest.starts_with('/') {
            if !url.scheme.is_empty() {
                url.opaque = rest.to_string();
                rest = "";
            } else if rest.split('/').next().is_some_and(|seg| seg.contains(':')) {
                return Err(wrap(
                    "first path segment in URL cannot contain colon".into(),
                    u,
                ));
            }
        }
        if url.opaque.is_empty()
            && (!url.scheme.is_empty() || !rest.starts_with("///"))
            && rest.starts_with("//")
        {
            let (authority, r) = match rest[2..].find('/') {
                Some(i) => (&rest[2..2 + i], &rest[2 + i..]),
                None => (&rest[2..], ""),
            };
            rest = r;
            let (userinfo, hostpart) = match authority.rfind('@') {
                Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
                None => (None, authority),
            };
            url.host = parse_host(hostpart).map_err(|e| wrap(e, u))?;
            if let Some(ui) = userinfo {
                let ok = ui
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"-._:~!$&'()*+,;=%@".contains(&c));
                if !ok {
                    return Err(wrap("net/url: invalid userinfo".into(), u));
                }
                url.user = Some(match ui.split_once(':') {
                    Some((n, p)) => (
                        unescape(n, Mode::UserPassword).map_err(|e| wrap(e, u))?,
                        Some(unescape(p, Mode::UserPassword).map_err(|e| wrap(e, u))?),
                    ),
                    None => (
                        unescape(ui, Mode::UserPassword).map_err(|e| wrap(e, u))?,
                        None,
                    ),
                });
            }
        }
        if url.opaque.is_empty() {
            url.path = unescape(rest, Mode::Path).map_err(|e| wrap(e, u))?;
        }
    }
    if !frag.is_empty() {
        url.fragment = unescape(frag, Mode::Fragment).map_err(|e| wrap(e, raw))?;
    }
    Ok(url)
}

/// `url.URL.Hostname`: the host without port or IPv6 brackets.
fn hostname(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or("");
    }
    match host.rfind(':') {
        Some(i) => &host[..i],
        None => host,
    }
}

/// `urlParse URL`: a dict of scheme, host, hostname, path, query, opaque, fragment, userinfo.
fn url_parse(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let u = parse_url(string(&a[0])?.as_str())
        .map_err(|e| FuncError::call(format!("unable to parse url: {e}")))?;
    let userinfo = match &u.user {
        None => String::new(),
        Some((n, p)) => {
            let mut s = escape(n, Mode::UserPassword);
            if let Some(p) = p {
                s.push(':');
                s.push_str(&escape(p, Mode::UserPassword));
            }
            s
        }
    };
    let mut m = Entries::new();
    for (k, v) in [
        ("scheme", u.scheme.as_str()),
        ("host", u.host.as_str()),
        ("hostname", hostname(&u.host)),
        ("path", u.path.as_str()),
        ("query", u.query.as_str()),
        ("opaque", u.opaque.as_str()),
        ("fragment", u.fragment.as_str()),
        ("userinfo", userinfo.as_str()),
    ] {
        m.insert(k.into(), Value::str(v));
    }
    Ok(Value::map(m))
}

/// `urlJoin DICT`: `url.URL.String()` of the dict's parts.
fn url_join(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let d = dict(&a[0])?;
    let get = |k: &str| -> Result<String, FuncError> {
        let v = d.and_then(|m| m.borrow().entries.get(k).cloned());
        match v {
            None => Ok(String::new()),
            Some(Value::Str(s)) => Ok(s.as_str().to_string()),
            Some(other) => Err(FuncError::call(format!(
                "unable to parse {k} key, must be of type string, but {} found",
                other.kind_name()
            ))),
        }
    };
    let (scheme, host, path) = (get("scheme")?, get("host")?, get("path")?);
    let (query, opaque, fragment, userinfo) = (
        get("query")?,
        get("opaque")?,
        get("fragment")?,
        get("userinfo")?,
    );
    let mut out = String::new();
    if !scheme.is_empty() {
        out.push_str(&scheme);
        out.push(':');
    }
    if !opaque.is_empty() {
        out.push_str(&opaque);
    } else {
        if !scheme.is_empty() || !host.is_empty() || !userinfo.is_empty() {
            if !host.is_empty() || !path.is_empty() || !userinfo.is_empty() {
                out.push_str("//");
            }
            if !userinfo.is_empty() {
                let u = parse_url(&format!("proto://{userinfo}@host")).map_err(|e| {
                    FuncError::call(format!("unable to parse userinfo in dict: {e}"))
                })?;
                if let Some((n, p)) = u.user {
                    out.push_str(&escape(&n, Mode::UserPassword));
                    if let Some(p) = p {
                        out.push(':');
                        out.push_str(&escape(&p, Mode::UserPassword));
                    }
                    out.push('@');
                }
            }
            out.push_str(&escape(&host, Mode::Host));
        }
        if !path.is_empty() && !path.starts_with('/') && !host.is_empty() {
            out.push('/');
        }
        if out.is_empty()
            && let Some(seg) = path.split('/').next()
            && seg.contains(':')
        {
            out.push_str("./");
        }
        out.push_str(&escape(&path, Mode::Path));
    }
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query);
    }
    if !fragment.is_empty() {
        out.push('#');
        out.push_str(&escape(&fragment, Mode::Fragment));
    }
    Ok(Value::str(out))
}

#[cfg(test)]
mod tests {
    use super::super::sprig_testutil::{call, err, m, s, show};

    // Expectations from `helm template` (Helm 3.17.3).
    #[test]
    fn paths() {
        assert_eq!(show("clean", &[s("a/b/../../../c/./d//")]), "../c/d");
        assert_eq!(show("clean", &[s("/../a/b/..")]), "/a");
        assert_eq!(show("clean", &[s("")]), ".");
        assert_eq!(show("clean", &[s("a/..")]), ".");
        assert_eq!(show("clean", &[s("../../x/..")]), "../..");
        assert_eq!(show("base", &[s("/a/b/")]), "b");
        assert_eq!(show("base", &[s("///")]), "/");
        assert_eq!(show("base", &[s("")]), ".");
        assert_eq!(show("dir", &[s("/a/b/c")]), "/a/b");
        assert_eq!(show("dir", &[s("abc")]), ".");
        assert_eq!(show("dir", &[s("/")]), "/");
        assert_eq!(show("ext", &[s("a/b.tar.gz")]), ".gz");
        assert_eq!(show("ext", &[s("a.b/c")]), "");
        assert_eq!(show("isAbs", &[s("/x")]), "true");
    }

    #[test]
    fn url_parse() {
        assert_eq!(
            show(
                "urlParse",
                &[s(
                    "https://user:p%40ss@Example.com:8443/a%20b/c?x=1&y=2#fr%20ag"
                )]
            ),
            "map[fragment:fr ag host:Example.com:8443 hostname:Example.com opaque: path:/a b/c \
             query:x=1&y=2 scheme:https userinfo:user:p%40ss]"
        );
        assert_eq!(
            show("urlParse", &[s("mailto:joe@x.com")]),
            "map[fragment: host: hostname: opaque:joe@x.com path: query: scheme:mailto userinfo:]"
        );
        assert_eq!(
            show("urlParse", &[s("http://[::1]:80/x")]),
            "map[fragment: host:[::1]:80 hostname:::1 opaque: path:/x query: scheme:http userinfo:]"
        );
        assert_eq!(
            show("urlParse", &[s("x/a:b")]),
            "map[fragment: host: hostname: opaque: path:x/a:b query: scheme: userinfo:]"
        );
        let e = |u: &str| err("urlParse", &[s(u)]);
        assert_eq!(
            e("http://a b"),
            r#"unable to parse url: parse "http://a b": invalid character " " in host name"#
        );
        assert_eq!(
            e(":x"),
            r#"unable to parse url: parse ":x": missing protocol scheme"#
        );
        assert_eq!(
            e("http://h:xx"),
            r#"unable to parse url: parse "http://h:xx": invalid port ":xx" after host"#
        );
        assert_eq!(
            e("http://h/%zz"),
            r#"unable to parse url: parse "http://h/%zz": invalid URL escape "%zz""#
        );
    }

    #[test]
    fn url_join() {
        let d = m(&[
            ("scheme", s("https")),
            ("host", s("h:1")),
            ("path", s("a b/c")),
            ("query", s("x=1")),
            ("fragment", s("f g")),
            ("userinfo", s("u:p@x")),
        ]);
        assert_eq!(
            show("urlJoin", &[d]),
            "https://u:p%40x@h:1/a%20b/c?x=1#f%20g"
        );
        assert_eq!(show("urlJoin", &[m(&[("path", s("a:b"))])]), "./a:b");
    }

    /// A percent escape that decodes to no UTF-8 stays those bytes, as in Go (fuzz 49 class
    /// 03, Helm 3.17.3 and 4.1.4): `len` counts them and `urlJoin` writes them back.
    #[test]
    fn url_escapes_that_are_no_utf8_stay_bytes() {
        let parsed = call("urlParse", &[s("http://u%ff:p@h/%e2%82#%ff%fe")]).unwrap();
        let path = call("get", &[parsed.clone(), s("path")]).unwrap();
        assert_eq!(show("len", &[path]), "3");
        assert_eq!(show("urlJoin", &[parsed]), "http://u%FF:p@h/%E2%82#%FF%FE");
    }
}

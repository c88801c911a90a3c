//! `$id` and `$ref` as gojsonschema resolves them: xeipuuv/gojsonreference on Go's `net/url`
//! (`url.Parse`, `ResolveReference`, `String`) and xeipuuv/gojsonpointer for the fragment.

use crate::template::literal::fmt_q;

use super::json::Json;

/// A parsed URL, the parts of Go's `url.URL` that references use. `path` and `query` are kept
/// escaped, `fragment` unescaped.
#[derive(Debug, Clone, Default, PartialEq)]
pub(in crate::render) struct Url {
    scheme: String,
    opaque: String,
    /// Userinfo and host, as written; `Some` when the URL has `//`.
    authority: Option<String>,
    path: String,
    query: Option<String>,
    pub(super) fragment: String,
}

impl Url {
    /// `url.Parse`, with Go's error message (`parse "%zz": invalid URL escape "%zz"`).
    pub(in crate::render) fn parse(raw: &str) -> Result<Url, String> {
        let (before, frag) = match raw.split_once('#') {
            Some((b, f)) => (b, Some(f)),
            None => (raw, None),
        };
        let mut url =
            parse_no_fragment(before).map_err(|e| format!("parse {}: {e}", fmt_q(before)))?;
        if let Some(frag) = frag {
            url.fragment =
                unescape(frag, Mode::Fragment).map_err(|e| format!("parse {}: {e}", fmt_q(raw)))?;
        }
        Ok(url)
    }

    /// Whether the URL has a scheme.
    pub(super) fn has_scheme(&self) -> bool {
        !self.scheme.is_empty()
    }

    /// The path, escaped.
    pub(super) fn path(&self) -> &str {
        &self.path
    }

    /// Whether the URL has a scheme and a host (`HasFullUrl`).
    pub(super) fn has_full_url(&self) -> bool {
        !self.scheme.is_empty()
            && self
                .authority
                .as_deref()
                .is_some_and(|a| !host_of(a).is_empty())
    }

    /// `IsCanonical`: a full URL, or a `file:` URL with an absolute path.
    pub(super) fn is_canonical(&self) -> bool {
        if self.scheme == "file" {
            self.path.starts_with('/')
        } else {
            self.has_full_url()
        }
    }

    /// The URL without its fragment.
    pub(in crate::render) fn without_fragment(&self) -> Url {
        Url {
            fragment: String::new(),
            ..self.clone()
        }
    }

    /// `parent.ResolveReference(child)` with the parent's fragment dropped first (gojsonreference's
    /// `Inherits`).
    pub(in crate::render) fn inherit(&self, child: &Url) -> Url {
        let base = self.without_fragment();
        let mut url = child.clone();
        if child.scheme.is_empty() {
            url.scheme = base.scheme.clone();
        }
        if !child.scheme.is_empty() || child.authority.is_some() {
            url.path = resolve_path(&child.path, "");
            return url;
        }
        if !child.opaque.is_empty() {
            url.authority = None;
            url.path.clear();
            return url;
        }
        if child.path.is_empty() && child.query.is_none() {
            url.query = base.query.clone();
        }
        if child.path.is_empty() && !base.opaque.is_empty() {
            url.opaque = base.opaque.clone();
            url.authority = None;
            url.path.clear();
            return url;
        }
        url.authority = base.authority.clone();
        url.path = resolve_path(&base.path, &child.path);
        url
    }
}

impl std::fmt::Display for Url {
    /// `url.URL.String`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut buf = String::new();
        if !self.scheme.is_empty() {
            buf.push_str(&self.scheme);
            buf.push(':');
        }
        if !self.opaque.is_empty() {
            buf.push_str(&self.opaque);
        } else {
            if let Some(a) = &self.authority
                && (!a.is_empty() || !self.path.is_empty())
            {
                buf.push_str("//");
                buf.push_str(a);
            }
            if !self.path.is_empty()
                && !self.path.starts_with('/')
                && self.authority.as_deref().is_some_and(|a| !a.is_empty())
            {
                buf.push('/');
            }
            if buf.is_empty() && self.path.split('/').next().is_some_and(|s| s.contains(':')) {
                buf.push_str("./");
            }
            buf.push_str(&self.path);
        }
        if let Some(q) = &self.query {
            buf.push('?');
            buf.push_str(q);
        }
        if !self.fragment.is_empty() {
            buf.push('#');
            buf.push_str(&escape_fragment(&self.fragment));
        }
        f.write_str(&buf)
    }
}

fn host_of(authority: &str) -> &str {
    authority.rsplit_once('@').map_or(authority, |(_, h)| h)
}

/// Go's `parse(rawURL, false)`.
fn parse_no_fragment(raw: &str) -> Result<Url, String> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    let mut url = Url::default();
    if raw == "*" {
        url.path = "*".into();
        return Ok(url);
    }
    let (scheme, mut rest) = scheme_of(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    let owned;
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        url.query = Some(String::new());
        rest = &rest[..rest.len() - 1];
    } else if let Some((r, q)) = rest.split_once('?') {
        url.query = Some(q.to_string());
        owned = r.to_string();
        rest = &owned;
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            url.opaque = rest.to_string();
            return Ok(url);
        }
        if rest.split('/').next().is_some_and(|s| s.contains(':')) {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    let mut path = rest;
    if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let after = &rest[2..];
        let (authority, p) = match after.find('/') {
            Some(i) => (&after[..i], &after[i..]),
            None => (after, ""),
        };
        check_authority(authority)?;
        url.authority = Some(authority.to_string());
        path = p;
    }
    unescape(path, Mode::Path)?;
    url.path = path.to_string();
    Ok(url)
}

/// `getScheme`.
fn scheme_of(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err("missing protocol scheme".into()),
            b':' => return Ok((&raw[..i], &raw[i + 1..])),
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

/// `parseAuthority` and `parseHost`: the errors Go finds in a host and port.
fn check_authority(authority: &str) -> Result<(), String> {
    let host = match authority.rsplit_once('@') {
        Some((user, host)) => {
            let ok = user
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"-._:~!$&'()*+,;=%@".contains(&c));
            if !ok {
                return Err("net/url: invalid userinfo".into());
            }
            host
        }
        None => authority,
    };
    let valid_port = |p: &str| {
        p.is_empty() || (p.starts_with(':') && p[1..].bytes().all(|b| b.is_ascii_digit()))
    };
    let name = if let Some(inner) = host.strip_prefix('[') {
        let Some(i) = inner.rfind(']') else {
            return Err("missing ']' in host".into());
        };
        let port = &inner[i + 1..];
        if !valid_port(port) {
            return Err(format!("invalid port {} after host", fmt_q(port)));
        }
        &inner[..i]
    } else {
        if let Some(i) = host.rfind(':')
            && !valid_port(&host[i..])
        {
            return Err(format!("invalid port {} after host", fmt_q(&host[i..])));
        }
        host
    };
    unescape(name, Mode::Host).map(|_| ())
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Path,
    Host,
    Fragment,
}

/// Go's `unescape`: `%XX` decoded, a bad escape an error.
fn unescape(s: &str, mode: Mode) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = |j: usize| b.get(j).copied().filter(u8::is_ascii_hexdigit);
                match (hex(i + 1), hex(i + 2)) {
                    (Some(h), Some(l)) => {
                        let v = (unhex(h) << 4) | unhex(l);
                        if mode == Mode::Host && unhex(h) < 8 && &s[i..i + 3] != "%25" {
                            return Err(format!("invalid URL escape {}", fmt_q(&s[i..i + 3])));
                        }
                        out.push(v);
                        i += 3;
                    }
                    _ => {
                        let end = (i + 3).min(b.len());
                        let bad = String::from_utf8_lossy(&b[i..end]);
                        return Err(format!("invalid URL escape {}", fmt_q(&bad)));
                    }
                }
            }
            c => {
                if mode == Mode::Host && c < 0x80 && host_should_escape(c) {
                    let bad = char::from(c).to_string();
                    return Err(format!("invalid character {} in host name", fmt_q(&bad)));
                }
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn unhex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c.wrapping_sub(b'A').wrapping_add(10),
    }
}

fn host_should_escape(c: u8) -> bool {
    !(c.is_ascii_alphanumeric() || b"-_.~!$&'()*+,;=:[]<>\"".contains(&c))
}

/// `escape(s, encodeFragment)`.
fn escape_fragment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        if c.is_ascii_alphanumeric() || b"-_.~$&+,/:;=?@!()*".contains(&c) {
            out.push(char::from(c));
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

/// Go's `resolvePath`: the reference's path against the base's, dot segments removed; a
/// non-empty result always starts with `/`.
fn resolve_path(base: &str, reference: &str) -> String {
    let full = if reference.is_empty() {
        base.to_string()
    } else if !reference.starts_with('/') {
        let i = base.rfind('/').map_or(0, |i| i + 1);
        format!("{}{reference}", &base[..i])
    } else {
        reference.to_string()
    };
    if full.is_empty() {
        return String::new();
    }
    let mut dst = String::from("/");
    let mut first = true;
    let mut last = "";
    for elem in full.split('/') {
        last = elem;
        if elem == "." {
            first = false;
            continue;
        }
        if elem == ".." {
            let str = dst[1..].to_string();
            dst = String::from("/");
            match str.rfind('/') {
                None => first = true,
                Some(index) => dst.push_str(&str[..index]),
            }
        } else {
            if !first {
                dst.push('/');
            }
            dst.push_str(elem);
            first = false;
        }
    }
    if last == "." || last == ".." {
        dst.push('/');
    }
    if dst.len() > 1 && dst.as_bytes()[1] == b'/' {
        dst.remove(0);
    }
    dst
}

/// `JsonPointer.Get` of gojsonpointer on the fragment: a fragment that does not start with `/`
/// is the whole document (gojsonreference ignores the pointer's error).
pub(super) fn pointer_get<'a>(doc: &'a Json, fragment: &str) -> Result<&'a Json, String> {
    let Some(tokens) = fragment.strip_prefix('/') else {
        return Ok(doc);
    };
    let mut node = doc;
    for token in tokens.split('/') {
        node = match node {
            Json::Object(map) => {
                let key = token.replace("~1", "/").replace("~0", "~");
                match map.get(&key) {
                    Some(next) => next,
                    None => return Err(format!("Object has no key '{key}'")),
                }
            }
            Json::Array(items) => {
                let Some(index) = go_atoi(token) else {
                    return Err(format!("Invalid array index '{token}'"));
                };
                match usize::try_from(index).ok().and_then(|i| items.get(i)) {
                    Some(next) => next,
                    None => {
                        return Err(format!(
                            "Out of bound array[0,{}] index '{index}'",
                            items.len()
                        ));
                    }
                }
            }
            _ => return Err(format!("Invalid token reference '{token}'")),
        };
    }
    Ok(node)
}

/// `strconv.Atoi`.
fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inherit(base: &str, child: &str) -> String {
        Url::parse(base)
            .unwrap()
            .inherit(&Url::parse(child).unwrap())
            .to_string()
    }

    #[test]
    fn references_resolve_as_go_resolves_them() {
        assert_eq!(inherit("", "#/definitions/a"), "#/definitions/a");
        assert_eq!(inherit("", "#"), "");
        assert_eq!(inherit("", "other.json#/x"), "/other.json#/x");
        assert_eq!(
            inherit("http://x.io/a/b.json", "c.json#/d"),
            "http://x.io/a/c.json#/d"
        );
        assert_eq!(
            inherit("http://x.io/a/b.json#/q", "#/d"),
            "http://x.io/a/b.json#/d"
        );
        assert_eq!(inherit("http://x.io/a/b.json", "../c"), "http://x.io/c");
        assert_eq!(inherit("", "#/a%20b"), "#/a%20b");
        assert_eq!(
            Url::parse("#/a%zz").unwrap_err(),
            r##"parse "#/a%zz": invalid URL escape "%zz""##
        );
        assert_eq!(
            Url::parse(":x").unwrap_err(),
            r#"parse ":x": missing protocol scheme"#
        );
    }
}

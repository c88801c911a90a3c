//! `helm template --show-only` (`-s`): the documents rendered from the templates named, as
//! Helm 3.17.3 and 4.1.4 pick them from the text they would print — split into documents
//! again (`SplitManifests`), each matched by the path of its `# Source:` line inside the chart
//! (`templates/x.yaml`, `charts/sub/templates/y.yaml`) against each pattern in turn, with
//! `path/filepath.Match`.

use std::sync::OnceLock;

use regex::Regex;

/// The documents of `printed` (what `helm template` prints without `--show-only`) whose
/// template matches one of `patterns`, pattern by pattern, each printed as `---\nDOC\n`; or
/// Helm's error for the first pattern that matches none.
pub(crate) fn show_only(printed: &str, patterns: &[String]) -> Result<String, String> {
    static SOURCE: OnceLock<Regex> = OnceLock::new();
    // NOTE: `[^/]+` may run over line breaks, as Go's does: the leftmost match wins.
    let source = SOURCE.get_or_init(|| Regex::new("# Source: [^/]+/(.+)").expect("a regex"));
    let docs: Vec<(&str, Option<&str>)> = super::manifest::split_manifests(printed)
        .into_iter()
        .map(|doc| {
            let name = source
                .captures(doc)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str());
            (doc, name)
        })
        .collect();
    let mut out = String::new();
    for pattern in patterns {
        let mut found = false;
        for (doc, name) in &docs {
            if name.is_some_and(|name| matches(pattern, name)) {
                out.push_str("---\n");
                out.push_str(doc);
                out.push('\n');
                found = true;
            }
        }
        if !found {
            return Err(format!("could not find template {pattern} in chart"));
        }
    }
    Ok(out)
}

/// Go's `path/filepath.Match` on a Unix system: `*` any run of bytes but `/`, `?` one character
/// but `/`, `[…]` a class (`^` negates, `a-z` ranges, `\` escapes), `\c` the character `c`;
/// the whole name must match. A malformed pattern matches nothing (Helm drops the error).
pub(crate) fn matches(pattern: &str, name: &str) -> bool {
    let (mut pattern, mut name) = (pattern.as_bytes(), name.as_bytes());
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing `*` matches the rest unless it holds a `/`.
            return !name.contains(&b'/');
        }
        match match_chunk(chunk, name) {
            Chunk::Rest(t) if t.is_empty() || !pattern.is_empty() => {
                name = t;
                continue;
            }
            Chunk::Bad => return false,
            _ => {}
        }
        if star {
            // Skip i+1 bytes, never a `/`.
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                match match_chunk(chunk, &name[i + 1..]) {
                    // The last chunk must use up the name.
                    Chunk::Rest(t) if pattern.is_empty() && !t.is_empty() => {}
                    Chunk::Rest(t) => {
                        name = t;
                        continue 'pattern;
                    }
                    Chunk::Bad => return false,
                    Chunk::No => {}
                }
                i += 1;
            }
        }
        return false;
    }
    name.is_empty()
}

/// What a chunk of the pattern did at the start of a name.
enum Chunk<'a> {
    /// It matched; the rest of the name.
    Rest(&'a [u8]),
    /// It did not match.
    No,
    /// The pattern is malformed.
    Bad,
}

/// The next run of the pattern without a star, after the stars before it.
fn scan_chunk(mut pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut star = false;
    while let [b'*', rest @ ..] = pattern {
        pattern = rest;
        star = true;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

/// Whether `chunk` (literals, classes and `?`) matches the start of `s`.
fn match_chunk<'a>(mut chunk: &[u8], mut s: &'a [u8]) -> Chunk<'a> {
    while let Some(&c) = chunk.first() {
        if s.is_empty() {
            return Chunk::No;
        }
        match c {
            b'[' => {
                let (r, n) = decode(s);
                s = &s[n..];
                chunk = &chunk[1..];
                if chunk.is_empty() {
                    return Chunk::Bad;
                }
                let negated = chunk[0] == b'^';
                if negated {
                    chunk = &chunk[1..];
                }
                let (mut matched, mut ranges) = (false, 0);
                loop {
                    if chunk.first() == Some(&b']') && ranges > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let Some((lo, rest)) = escaped(chunk) else {
                        return Chunk::Bad;
                    };
                    chunk = rest;
                    let mut hi = lo;
                    if chunk[0] == b'-' {
                        let Some((h, rest)) = escaped(&chunk[1..]) else {
                            return Chunk::Bad;
                        };
                        hi = h;
                        chunk = rest;
                    }
                    matched |= lo <= r && r <= hi;
                    ranges += 1;
                }
                if matched == negated {
                    return Chunk::No;
                }
            }
            b'?' => {
                if s[0] == b'/' {
                    return Chunk::No;
                }
                let (_, n) = decode(s);
                s = &s[n..];
                chunk = &chunk[1..];
            }
            _ => {
                if c == b'\\' {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return Chunk::Bad;
                    }
                }
                if chunk[0] != s[0] {
                    return Chunk::No;
                }
                s = &s[1..];
                chunk = &chunk[1..];
            }
        }
    }
    Chunk::Rest(s)
}

/// Go's `getEsc`: a possibly escaped character of a class, and the rest of the chunk, which
/// must not be empty (a class ends with `]`).
fn escaped(mut chunk: &[u8]) -> Option<(u32, &[u8])> {
    if matches!(chunk.first(), None | Some(b'-' | b']')) {
        return None;
    }
    if chunk[0] == b'\\' {
        chunk = &chunk[1..];
        if chunk.is_empty() {
            return None;
        }
    }
    let (r, n) = decode(chunk);
    if r == u32::from(char::REPLACEMENT_CHARACTER) && n == 1 {
        return None;
    }
    let rest = &chunk[n..];
    (!rest.is_empty()).then_some((r, rest))
}

/// Go's `utf8.DecodeRuneInString`: the first character and its length; a byte that starts no
/// character is U+FFFD of length 1.
fn decode(s: &[u8]) -> (u32, usize) {
    let len = match s.first() {
        Some(b) if *b < 0x80 => 1,
        Some(b) if *b >= 0xF0 => 4,
        Some(b) if *b >= 0xE0 => 3,
        Some(b) if *b >= 0xC0 => 2,
        _ => 1,
    };
    match s.get(..len).and_then(|b| std::str::from_utf8(b).ok()) {
        Some(c) => (c.chars().next().map_or(0xFFFD, u32::from), len),
        None => (0xFFFD, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Go 1.23's `filepath.Match` on Linux (its own test table, the cases that apply).
    #[test]
    fn match_like_go() {
        let cases: &[(&str, &str, bool)] = &[
            ("abc", "abc", true),
            ("*", "abc", true),
            ("*c", "abc", true),
            ("a*", "a", true),
            ("a*", "abc", true),
            ("a*", "ab/c", false),
            ("a*/b", "abc/b", true),
            ("a*/b", "a/c/b", false),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", true),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", true),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", false),
            ("a*b?c*x", "abxbbxdbxebxczzx", true),
            ("a*b?c*x", "abxbbxdbxebxczzy", false),
            ("ab[c]", "abc", true),
            ("ab[b-d]", "abc", true),
            ("ab[e-g]", "abc", false),
            ("ab[^c]", "abc", false),
            ("ab[^b-d]", "abc", false),
            ("ab[^e-g]", "abc", true),
            ("a\\*b", "a*b", true),
            ("a\\*b", "ab", false),
            ("a?b", "a☺b", true),
            ("a[^a]b", "a☺b", true),
            ("a???b", "a☺b", false),
            ("a[^a][^a][^a]b", "a☺b", false),
            ("[a-ζ]*", "α", true),
            ("*[a-ζ]", "A", false),
            ("a?b", "a/b", false),
            ("a*b", "a/b", false),
            ("[\\]a]", "]", true),
            ("[\\-]", "-", true),
            ("[x\\-]", "x", true),
            ("[x\\-]", "-", true),
            ("[x\\-]", "z", false),
            ("[\\-x]", "x", true),
            ("[\\-x]", "-", true),
            ("[\\-x]", "a", false),
            // Malformed patterns (Go: ErrBadPattern) match nothing.
            ("[]a]", "]", false),
            ("[-]", "-", false),
            ("[x-]", "x", false),
            ("[a-b-c]", "a", false),
            ("[", "a", false),
            ("[^", "a", false),
            ("[^bc", "a", false),
            ("a[", "a", false),
            ("a[", "ab", false),
            ("*x", "xxx", true),
        ];
        for (pattern, name, want) in cases {
            assert_eq!(matches(pattern, name), *want, "{pattern} {name}");
        }
    }
}

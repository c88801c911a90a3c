//! The glob syntax of `.Files.Glob` (gobwas/glob with `/` as the separator): `*` (no `/`), `**`
//! (anything), `?`, `[abc]`, `[!a-z]`, `{a,b}` alternatives, `\` escapes. Outside braces, `,` and
//! `}` are plain characters. A pattern that does not compile matches everything, as Helm falls
//! back to `**`.

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Char(char),
    /// `*`: any run of characters without `/`.
    Any,
    /// `**`: any run of characters.
    Super,
    /// `?`: one character that is not `/`.
    Single,
    /// `[...]`: (negated, ranges).
    Class(bool, Vec<(char, char)>),
    /// `{a,b}`.
    Alt(Vec<Vec<Tok>>),
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub(crate) struct Glob {
    toks: Option<Vec<Tok>>,
}

impl Glob {
    /// Compiles `pattern`; a malformed one matches every name.
    pub(crate) fn new(pattern: &str) -> Glob {
        let chars: Vec<char> = pattern.chars().collect();
        let mut pos = 0;
        // NOTE: matching recurses once per token; a pattern longer than any file path could
        // need is refused (it matches everything, as a malformed one does) to bound the stack.
        let toks = (chars.len() <= MAX_PATTERN)
            .then(|| parse_seq(&chars, &mut pos, 0).ok())
            .flatten()
            .filter(|_| pos == chars.len());
        Glob { toks }
    }

    /// Whether `name` matches.
    pub(crate) fn matches(&self, name: &str) -> bool {
        match &self.toks {
            None => true,
            Some(toks) => {
                let n: Vec<char> = name.chars().collect();
                let mut budget = 100_000u32;
                match_seq(toks, &n, &mut budget, &mut Vec::new())
            }
        }
    }
}

/// Longest pattern compiled, in characters.
const MAX_PATTERN: usize = 1024;

/// Parses tokens until the end, or (inside `depth` braces) a `,` or `}`.
fn parse_seq(p: &[char], pos: &mut usize, depth: usize) -> Result<Vec<Tok>, ()> {
    if depth > 32 {
        return Err(());
    }
    let mut out = Vec::new();
    while let Some(&c) = p.get(*pos) {
        match c {
            ',' | '}' if depth > 0 => return Ok(out),
            // A `\` that ends the pattern escapes nothing and is dropped.
            '\\' => {
                if let Some(&e) = p.get(*pos + 1) {
                    out.push(Tok::Char(e));
                }
                *pos = (*pos + 2).min(p.len());
            }
            '*' => {
                if p.get(*pos + 1) == Some(&'*') {
                    out.push(Tok::Super);
                    *pos += 2;
                } else {
                    out.push(Tok::Any);
                    *pos += 1;
                }
            }
            '?' => {
                out.push(Tok::Single);
                *pos += 1;
            }
            '[' => {
                *pos += 1;
                let negated = p.get(*pos) == Some(&'!');
                if negated {
                    *pos += 1;
                }
                // gobwas's lexer: a class is one range `lo-hi` (two characters as written) or
                // a list of characters up to an unescaped `]`; anything else does not compile.
                let lo = *p.get(*pos).ok_or(())?;
                let ranges = if p.get(*pos + 1) == Some(&'-') {
                    let hi = *p.get(*pos + 2).ok_or(())?;
                    if hi < lo {
                        return Err(());
                    }
                    *pos += 3;
                    vec![(lo, hi)]
                } else {
                    let mut list = Vec::new();
                    let mut escaped = false;
                    while let Some(&c) = p.get(*pos) {
                        if !escaped && c == ']' {
                            break;
                        }
                        *pos += 1;
                        if !escaped && c == '\\' {
                            escaped = true;
                            continue;
                        }
                        escaped = false;
                        list.push((c, c));
                    }
                    list
                };
                if p.get(*pos) != Some(&']') || ranges.is_empty() {
                    return Err(());
                }
                *pos += 1;
                out.push(Tok::Class(negated, ranges));
            }
            '{' => {
                *pos += 1;
                let mut alts = Vec::new();
                loop {
                    alts.push(parse_seq(p, pos, depth + 1)?);
                    // An alternation left open at the end closes there.
                    match p.get(*pos) {
                        Some(',') => *pos += 1,
                        Some('}') => {
                            *pos += 1;
                            break;
                        }
                        _ => break,
                    }
                }
                out.push(Tok::Alt(alts));
            }
            c => {
                out.push(Tok::Char(c));
                *pos += 1;
            }
        }
    }
    Ok(out)
}

/// Matches `toks` followed by the continuation `rest` (innermost last) against `n`.
fn match_seq<'a>(toks: &'a [Tok], n: &[char], budget: &mut u32, rest: &mut Vec<&'a [Tok]>) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let Some(first) = toks.first() else {
        return match rest.pop() {
            Some(next) => {
                let ok = match_seq(next, n, budget, rest);
                rest.push(next);
                ok
            }
            None => n.is_empty(),
        };
    };
    let tail = &toks[1..];
    match first {
        Tok::Char(c) => n.first() == Some(c) && match_seq(tail, &n[1..], budget, rest),
        Tok::Single => {
            n.first().is_some_and(|&c| c != '/') && match_seq(tail, &n[1..], budget, rest)
        }
        Tok::Class(neg, ranges) => {
            n.first().is_some_and(|&c| {
                c != '/' && ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *neg
            }) && match_seq(tail, &n[1..], budget, rest)
        }
        Tok::Any | Tok::Super => {
            let stop_at_sep = *first == Tok::Any;
            for skip in 0..=n.len() {
                if match_seq(tail, &n[skip..], budget, rest) {
                    return true;
                }
                if skip < n.len() && stop_at_sep && n[skip] == '/' {
                    break;
                }
            }
            false
        }
        Tok::Alt(alts) => alts.iter().any(|alt| {
            rest.push(tail);
            let ok = match_seq(alt, n, budget, rest);
            rest.pop();
            ok
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_like_gobwas_glob_in_helm() {
        // Expectations printed by Helm 3.17.3 (`.Files.Glob` over a test chart) and gobwas' tests.
        let cases = [
            ("files/tls/*.{crt,pem}", "files/tls/a.crt", true),
            ("files/tls/*.{crt,pem}", "files/tls/b.pem", true),
            ("files/tls/*.{crt,pem}", "files/tls/k.jks}", false),
            ("files/tls/*.jks}", "files/tls/k.jks}", true),
            ("files/**", "files/a/b/c.txt", true),
            ("files/*", "files/a/b/c.txt", false),
            ("files/a/?.conf", "files/a/x.conf", true),
            ("*", "Chart.yaml", true),
            ("*", "a/b", false),
            ("[!a]bc", "xbc", true),
            ("[a-c]bc", "bbc", true),
            ("{a,b{c,d}}x", "bdx", true),
            ("a\\*", "a*", true),
            ("a,b", "a,b", true),
        ];
        for (p, n, want) in cases {
            assert_eq!(Glob::new(p).matches(n), want, "{p} {n}");
        }
        // gobwas's lexer (syntax/lexer): a class is one range as written or a list with `\`
        // escapes; an alternation left open closes at the end; a last `\` is dropped.
        let lexed = [
            ("f/[ab-d]", "f/-", true),
            ("f/[ab-d]", "f/c", false),
            ("f/[a\\-c]", "f/-", true),
            ("f/[a\\-c]", "f/]", false),
            ("f/[\\]]", "f/]", true),
            ("f/[]-a]", "f/^", true),
            ("f/{a,b", "f/b", true),
            ("f/{a,b", "f/c", false),
            ("f/a\\", "f/a", true),
        ];
        for (p, n, want) in lexed {
            assert_eq!(Glob::new(p).matches(n), want, "{p} {n}");
        }
        // Malformed: Helm falls back to `**`.
        assert!(Glob::new("files/[").matches("anything/at/all"));
        assert!(Glob::new("f/[a-cd]").matches("zzz"));
        assert!(Glob::new("f/[a-]").matches("zzz"));
        // Hostile patterns end: deep braces, very long patterns, many stars.
        assert!(Glob::new(&"{".repeat(100_000)).matches("x"));
        assert!(Glob::new(&"a".repeat(100_000)).matches("x"));
        assert!(!Glob::new(&"*a".repeat(200)).matches(&"a".repeat(150)));
    }
}

//! `.helmignore`: which files of a chart directory Helm leaves out (Helm's `pkg/ignore`).
//!
//! Rules are evaluated in order and the first decision wins. A rule is a Go `filepath.Match`
//! pattern; without a `/` it is matched against the base name only, with a leading `/` or an
//! inner `/` against the whole path relative to the chart; a trailing `/` restricts it to
//! folders; a leading `!` negates it (with Helm's own reading: a negated rule that does not match
//! ignores the path).

/// Parsed `.helmignore` rules.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rules {
    patterns: Vec<Pattern>,
}

#[derive(Debug, Clone)]
struct Pattern {
    glob: String,
    kind: Scope,
    negate: bool,
    must_dir: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Matched against the whole relative path.
    Path,
    /// Matched against the base name.
    Base,
}

impl Rules {
    /// Parses a `.helmignore` text; an error names the bad rule as Helm does.
    pub(crate) fn parse(text: &str) -> Result<Rules, String> {
        let mut rules = Rules::default();
        for line in text.lines() {
            rules.parse_rule(line)?;
        }
        Ok(rules)
    }

    /// Helm's default rule: dot files under `templates/` are never templates.
    pub(crate) fn add_defaults(&mut self) {
        // The pattern is valid, so this cannot fail.
        let _ = self.parse_rule("templates/.?*");
    }

    fn parse_rule(&mut self, rule: &str) -> Result<(), String> {
        let rule = rule.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err("double-star (**) syntax is not supported".into());
        }
        // NOTE: matching recurses once per pattern character; no real rule is this long.
        if rule.len() > 1024 || go_match(rule, "abc").is_err() {
            return Err("syntax error in pattern".into());
        }
        let (negate, rule) = match rule.strip_prefix('!') {
            Some(r) => (true, r),
            None => (false, rule),
        };
        let (must_dir, rule) = match rule.strip_suffix('/') {
            Some(r) => (true, r),
            None => (false, rule),
        };
        let (kind, glob) = if let Some(r) = rule.strip_prefix('/') {
            (Scope::Path, r)
        } else if rule.contains('/') {
            (Scope::Path, rule)
        } else {
            (Scope::Base, rule)
        };
        self.patterns.push(Pattern {
            glob: glob.to_string(),
            kind,
            negate,
            must_dir,
        });
        Ok(())
    }

    /// Whether `path` (relative to the chart, `/`-separated) is left out.
    pub(crate) fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for p in &self.patterns {
            let subject = match p.kind {
                Scope::Path => path,
                Scope::Base => path.rsplit('/').next().unwrap_or(path),
            };
            let matched = go_match(&p.glob, subject).unwrap_or(false);
            if p.negate {
                if p.must_dir && !is_dir {
                    return true;
                }
                if !matched {
                    return true;
                }
                continue;
            }
            if p.must_dir && !is_dir {
                continue;
            }
            if matched {
                return true;
            }
        }
        false
    }
}

/// A malformed pattern (Go's `filepath.ErrBadPattern`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BadPattern;

/// Go's `path/filepath.Match` with `/` as the separator: `*` (no `/`), `?`, `[…]` classes with
/// ranges and `^` negation, `\` escapes. `Err` for a malformed pattern.
pub(crate) fn go_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    validate(&p).map_err(|()| BadPattern)?;
    let mut budget = 100_000u32;
    Ok(match_from(&p, &n, &mut budget))
}

fn validate(p: &[char]) -> Result<(), ()> {
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '\\' => {
                if i + 1 >= p.len() {
                    return Err(());
                }
                i += 2;
            }
            '[' => {
                i = class_end(p, i)?;
            }
            _ => i += 1,
        }
    }
    Ok(())
}

/// The index after the `]` closing the class that starts at `start`.
fn class_end(p: &[char], start: usize) -> Result<usize, ()> {
    let mut i = start + 1;
    if p.get(i) == Some(&'^') {
        i += 1;
    }
    let mut first = true;
    loop {
        match p.get(i) {
            None => return Err(()),
            Some(']') if !first => return Ok(i + 1),
            Some(_) => {}
        }
        first = false;
        let lo = class_char(p, &mut i)?;
        if p.get(i) == Some(&'-') {
            i += 1;
            let hi = class_char(p, &mut i)?;
            if hi < lo {
                return Err(());
            }
        }
    }
}

fn class_char(p: &[char], i: &mut usize) -> Result<char, ()> {
    let c = *p.get(*i).ok_or(())?;
    if c == '-' || c == ']' {
        return Err(());
    }
    if c == '\\' {
        let e = *p.get(*i + 1).ok_or(())?;
        *i += 2;
        return Ok(e);
    }
    *i += 1;
    Ok(c)
}

fn class_matches(p: &[char], start: usize, c: char) -> bool {
    let mut i = start + 1;
    let negated = p.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while let Some(&ch) = p.get(i) {
        if ch == ']' && !first {
            break;
        }
        first = false;
        let Ok(lo) = class_char(p, &mut i) else {
            return false;
        };
        let mut hi = lo;
        if p.get(i) == Some(&'-') {
            i += 1;
            match class_char(p, &mut i) {
                Ok(h) => hi = h,
                Err(()) => return false,
            }
        }
        if lo <= c && c <= hi {
            matched = true;
        }
    }
    matched != negated
}

/// Matches with a bound on backtracking steps (a pattern of many `*` against a long name).
fn match_from(p: &[char], n: &[char], budget: &mut u32) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let Some(&first) = p.first() else {
        return n.is_empty();
    };
    match first {
        '*' => {
            let rest = &p[1..];
            for skip in 0..=n.len() {
                if match_from(rest, &n[skip..], budget) {
                    return true;
                }
                if skip < n.len() && n[skip] == '/' {
                    break;
                }
            }
            false
        }
        '?' => !n.is_empty() && n[0] != '/' && match_from(&p[1..], &n[1..], budget),
        '[' => {
            let Ok(end) = class_end(p, 0) else {
                return false;
            };
            !n.is_empty()
                && n[0] != '/'
                && class_matches(p, 0, n[0])
                && match_from(&p[end..], &n[1..], budget)
        }
        '\\' => {
            p.len() > 1 && !n.is_empty() && n[0] == p[1] && match_from(&p[2..], &n[1..], budget)
        }
        c => !n.is_empty() && n[0] == c && match_from(&p[1..], &n[1..], budget),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_filepath_match() {
        // Cases from Go's path/filepath match_test.go.
        let cases = [
            ("abc", "abc", true),
            ("*", "abc", true),
            ("*c", "abc", true),
            ("a*", "a", true),
            ("a*", "abc", true),
            ("a*", "ab/c", false),
            ("a*/b", "abc/b", true),
            ("a*/b", "a/c/b", false),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", true),
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
            ("*x", "xxx", true),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", true),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", false),
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
        ];
        for (p, n, want) in cases {
            assert_eq!(go_match(p, n), Ok(want), "{p} {n}");
        }
        for bad in [
            "[", "[^", "[^bc", "a[", "ab[-c]", "ab[x-]", "a\\", "[]a]", "[-]", "[a-b-c]",
        ] {
            assert!(go_match(bad, "x").is_err(), "{bad}");
        }
    }

    #[test]
    fn helmignore_rules() {
        let mut r = Rules::parse("# comment\n*.bak\n/secret.txt\ndocs/\nsub/*.md\n").unwrap();
        r.add_defaults();
        assert!(r.ignore("a/b/x.bak", false));
        assert!(r.ignore("secret.txt", false));
        assert!(!r.ignore("a/secret.txt", false));
        assert!(r.ignore("docs", true));
        assert!(!r.ignore("docs", false));
        assert!(r.ignore("sub/x.md", false));
        assert!(!r.ignore("other/sub/x.md", false));
        assert!(r.ignore("templates/.hidden.yaml", false));
        assert!(!r.ignore("templates/x.yaml", false));
        assert!(Rules::parse("a/**/b").is_err());
        assert!(Rules::parse(&"*a".repeat(10_000)).is_err());
    }
}

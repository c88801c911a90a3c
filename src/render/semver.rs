//! Just enough of Masterminds/semver for Helm's pipeline: parsing `--kube-version` and checking
//! a chart's `kubeVersion` range (`>=1.23.0-0`).

use std::cmp::Ordering;
use std::fmt;

/// A semantic version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Major.
    pub major: u64,
    /// Minor.
    pub minor: u64,
    /// Patch.
    pub patch: u64,
    /// Pre-release (after `-`), empty when none.
    pub pre: String,
    /// Build metadata (after `+`), empty when none.
    pub build: String,
}

impl Version {
    /// Parses as Masterminds' `NewVersion`: an optional `v`, one to three numbers, optional
    /// `-pre` and `+build`.
    pub fn parse(text: &str) -> Result<Version, String> {
        let invalid = || "Invalid Semantic Version".to_string();
        let s = text.strip_prefix('v').unwrap_or(text);
        let (s, build) = match s.split_once('+') {
            Some((a, b)) => (a, b),
            None => (s, ""),
        };
        let (core, pre) = match s.split_once('-') {
            Some((a, b)) => (a, b),
            None => (s, ""),
        };
        let ident_ok = |p: &str| {
            p.split('.').all(|part| {
                !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
        };
        if (!pre.is_empty() && !ident_ok(pre)) || (!build.is_empty() && !ident_ok(build)) {
            return Err(invalid());
        }
        if text.contains('+') && build.is_empty() || s.contains('-') && pre.is_empty() {
            return Err(invalid());
        }
        let nums: Vec<&str> = core.split('.').collect();
        if nums.is_empty() || nums.len() > 3 {
            return Err(invalid());
        }
        let mut parsed = [0u64; 3];
        for (i, n) in nums.iter().enumerate() {
            if n.is_empty() || !n.chars().all(|c| c.is_ascii_digit()) {
                return Err(invalid());
            }
            parsed[i] = n.parse().map_err(|_| invalid())?;
        }
        Ok(Version {
            major: parsed[0],
            minor: parsed[1],
            patch: parsed[2],
            pre: pre.to_string(),
            build: build.to_string(),
        })
    }

    fn cmp_precedence(&self, other: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => cmp_pre(&self.pre, &other.pre),
            })
    }
}

fn cmp_pre(a: &str, b: &str) -> Ordering {
    let mut ai = a.split('.');
    let mut bi = b.split('.');
    loop {
        match (ai.next(), bi.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let o = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(p), Ok(q)) => p.cmp(&q),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    (Err(_), Err(_)) => x.cmp(y),
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.build.is_empty() {
            write!(f, "+{}", self.build)?;
        }
        Ok(())
    }
}

/// Whether `version` satisfies the range `constraint` (`>=1.10.0-0`, `>=1.2 <2`, `a || b`,
/// `~1.2`, `^1.2`, `1.2.x`). `None` when the range does not parse.
pub fn satisfies(constraint: &str, version: &Version) -> Option<bool> {
    let mut any = false;
    for alt in constraint.split("||") {
        let mut all = true;
        let terms: Vec<&str> = alt
            .split([',', ' '])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect();
        if terms.is_empty() {
            return None;
        }
        let mut i = 0;
        while i < terms.len() {
            // `>= 1.2`: an operator written apart from its version.
            let mut term = terms[i].to_string();
            if term.chars().all(|c| "<>=!~^".contains(c)) && i + 1 < terms.len() {
                term.push_str(terms[i + 1]);
                i += 1;
            }
            all &= check(&term, version)?;
            i += 1;
        }
        any |= all;
    }
    Some(any)
}

fn check(term: &str, v: &Version) -> Option<bool> {
    let ops = [">=", "<=", "!=", "=>", "=<", ">", "<", "=", "~", "^"];
    let (op, rest) = ops
        .iter()
        .find_map(|op| term.strip_prefix(op).map(|r| (*op, r)))
        .unwrap_or(("=", term));
    let rest = rest.trim();
    // Wildcards: `1.2.x` / `1.x` / `*`.
    let wild = rest.split('.').position(|p| matches!(p, "x" | "X" | "*"));
    let parts_given = rest.split(['-', '+']).next()?.split('.').count();
    let base = match wild {
        Some(0) => return Some(true),
        Some(n) => Version::parse(&rest.split('.').take(n).collect::<Vec<_>>().join(".")).ok()?,
        None => Version::parse(rest).ok()?,
    };
    let given = wild.unwrap_or(parts_given);
    let upper = |level: usize| -> Version {
        let mut u = base.clone();
        u.pre.clear();
        u.build.clear();
        match level {
            0 | 1 => {
                u.major += 1;
                u.minor = 0;
                u.patch = 0;
            }
            _ => {
                u.minor += 1;
                u.patch = 0;
            }
        }
        u
    };
    let ord = v.cmp_precedence(&base);
    Some(match op {
        ">=" | "=>" => ord != Ordering::Less,
        "<=" | "=<" => ord != Ordering::Greater,
        ">" => ord == Ordering::Greater,
        "<" => ord == Ordering::Less,
        "!=" => ord != Ordering::Equal,
        "~" => ord != Ordering::Less && v.cmp_precedence(&upper(given.max(2))) == Ordering::Less,
        "^" => {
            let level = if base.major > 0 { 1 } else { 2 };
            ord != Ordering::Less && v.cmp_precedence(&upper(level)) == Ordering::Less
        }
        _ if wild.is_some() || given < 3 => {
            ord != Ordering::Less && v.cmp_precedence(&upper(given.max(1))) == Ordering::Less
        }
        _ => ord == Ordering::Equal,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_ranges() {
        let v = Version::parse("v1.32.0").unwrap();
        assert_eq!(v.to_string(), "1.32.0");
        assert_eq!(Version::parse("1.30").unwrap().to_string(), "1.30.0");
        assert!(Version::parse("1.2.3.4").is_err());
        assert!(Version::parse("").is_err());
        assert_eq!(satisfies(">=1.10.0-0", &v), Some(true));
        assert_eq!(satisfies(">=1.33.0-0", &v), Some(false));
        assert_eq!(satisfies(">=1.20 <1.40", &v), Some(true));
        assert_eq!(satisfies("~1.32", &v), Some(true));
        assert_eq!(satisfies("^1.0.0", &v), Some(true));
        assert_eq!(satisfies("1.31.x || 1.32.x", &v), Some(true));
        assert_eq!(satisfies("<1.20.0", &v), Some(false));
    }
}

//! Chart versions (`4.4.0`, `7.6.2-stackstate.14`) and simple ranges (`>=4.3.0 <4.4.0`).

use std::cmp::Ordering;
use std::fmt;

/// A version: numeric release parts; any pre-release or build text is kept for display only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    parts: [u64; 3],
    text: String,
}

impl Version {
    /// Parses `MAJOR[.MINOR[.PATCH]][-pre][+build]`, with an optional leading `v`.
    pub fn parse(s: &str) -> Option<Version> {
        let text = s.trim().to_string();
        let core = text.trim_start_matches('v');
        let core = core.split(['-', '+']).next().unwrap_or(core);
        let mut parts = [0u64; 3];
        let mut n = 0;
        for (i, p) in core.split('.').enumerate() {
            if i >= 3 {
                return None;
            }
            parts[i] = p.parse().ok()?;
            n += 1;
        }
        (n > 0).then_some(Version { parts, text })
    }

    /// `0.0.0`, for a chart without a usable version.
    pub fn zero() -> Version {
        Version {
            parts: [0; 3],
            text: "0.0.0".into(),
        }
    }

    /// How far `other` is, part by part (major first): what "nearest version" orders by.
    pub fn distance(&self, other: &Version) -> (u64, u64, u64) {
        let d = |i: usize| self.parts[i].abs_diff(other.parts[i]);
        (d(0), d(1), d(2))
    }

    /// `major.minor`.
    pub fn minor(&self) -> (u64, u64) {
        (self.parts[0], self.parts[1])
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts.cmp(&other.parts)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A conjunction of bounds such as `>=4.3.0 <4.4.0`; empty matches everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VersionReq {
    bounds: Vec<(Op, Version)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
}

impl VersionReq {
    /// Parses space-separated bounds.
    pub fn parse(s: &str) -> Result<VersionReq, String> {
        let mut bounds = Vec::new();
        for b in s.split_whitespace() {
            let (op, rest) = if let Some(r) = b.strip_prefix(">=") {
                (Op::Ge, r)
            } else if let Some(r) = b.strip_prefix("<=") {
                (Op::Le, r)
            } else if let Some(r) = b.strip_prefix('>') {
                (Op::Gt, r)
            } else if let Some(r) = b.strip_prefix('<') {
                (Op::Lt, r)
            } else {
                (Op::Eq, b.trim_start_matches('='))
            };
            let v = Version::parse(rest).ok_or_else(|| format!("bad version bound `{b}`"))?;
            bounds.push((op, v));
        }
        Ok(VersionReq { bounds })
    }

    /// Whether `v` satisfies every bound.
    pub fn matches(&self, v: &Version) -> bool {
        self.bounds.iter().all(|(op, b)| match op {
            Op::Ge => v >= b,
            Op::Gt => v > b,
            Op::Le => v <= b,
            Op::Lt => v < b,
            Op::Eq => v == b,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_match() {
        let r = VersionReq::parse(">=4.3.0 <4.4.0").unwrap();
        assert!(r.matches(&Version::parse("4.3.5").unwrap()));
        assert!(!r.matches(&Version::parse("4.4.0").unwrap()));
        assert!(
            VersionReq::parse("")
                .unwrap()
                .matches(&Version::parse("1").unwrap())
        );
        assert_eq!(
            Version::parse("7.6.2-stackstate.14").unwrap().minor(),
            (7, 6)
        );
    }
}

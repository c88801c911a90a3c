//! Just enough of Masterminds/semver for Helm's pipeline: parsing `--kube-version`; ranges
//! (a chart's `kubeVersion`) go through Sprig's `semverCompare`.

use std::fmt;

/// A semantic version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Version {
    /// Major.
    pub(crate) major: u64,
    /// Minor.
    pub(crate) minor: u64,
    /// Patch.
    pub(crate) patch: u64,
    /// Pre-release (after `-`), empty when none.
    pub(crate) pre: String,
    /// Build metadata (after `+`), empty when none.
    pub(crate) build: String,
}

impl Version {
    /// Parses as Masterminds' `NewVersion`: an optional `v`, one to three numbers, optional
    /// `-pre` and `+build`.
    pub(crate) fn parse(text: &str) -> Result<Version, String> {
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

pub(crate) use crate::template::funcs::sprig_semver::is_compatible_range;

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
        assert!(is_compatible_range(">=1.10.0-0", "v1.32.0"));
        assert!(!is_compatible_range(">=1.33.0-0", "v1.32.0"));
        assert!(is_compatible_range("1.31.x || 1.32.x", "v1.32.0"));
        assert!(!is_compatible_range("not a range", "v1.32.0"));
    }
}

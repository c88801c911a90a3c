//! The parts of an image reference as the container runtime reads them
//! (`[registry/]repository[:tag][@digest]`, distribution's reference grammar).

use std::ops::Range;

/// Which part of a reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PartKind {
    /// The registry host (`quay.io`, `localhost:5000`).
    Registry,
    /// The repository path (`stackstate/wait`).
    Repository,
    /// The tag (`1.0.8`).
    Tag,
    /// The digest (`sha256:…`).
    Digest,
}

impl PartKind {
    /// The lowercase name (`registry`, …), as the JSON output keys it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            PartKind::Registry => "registry",
            PartKind::Repository => "repository",
            PartKind::Tag => "tag",
            PartKind::Digest => "digest",
        }
    }
}

/// Splits `reference` into the byte ranges of its parts, in order; separators (`/`, `:`, `@`)
/// belong to no part. Absent parts are left out (no registry means Docker Hub).
pub(crate) fn split(reference: &str) -> Vec<(PartKind, Range<usize>)> {
    let mut out = Vec::new();
    // The digest follows the first `@`.
    let (name_end, digest) = match reference.find('@') {
        Some(at) => (at, Some(at + 1..reference.len())),
        None => (reference.len(), None),
    };
    let name = &reference[..name_end];
    // distribution's `splitDockerDomain`: the first component is a host when it has a `.` or
    // `:`, is `localhost`, or has an uppercase letter (repositories are lowercase).
    let mut repo_start = 0;
    if let Some(slash) = name.find('/') {
        let first = &name[..slash];
        if first.contains(['.', ':']) || first == "localhost" || first.to_lowercase() != first {
            out.push((PartKind::Registry, 0..slash));
            repo_start = slash + 1;
        }
    }
    // The tag follows the last `:` of the last path component.
    let last_slash = name.rfind('/').map_or(0, |i| i + 1).max(repo_start);
    let tag_colon = name[last_slash..].rfind(':').map(|i| last_slash + i);
    let repo_end = tag_colon.unwrap_or(name_end);
    out.push((PartKind::Repository, repo_start..repo_end));
    if let Some(colon) = tag_colon {
        out.push((PartKind::Tag, colon + 1..name_end));
    }
    if let Some(d) = digest {
        out.push((PartKind::Digest, d));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(reference: &str) -> Vec<(PartKind, &str)> {
        split(reference)
            .into_iter()
            .map(|(k, r)| (k, &reference[r]))
            .collect()
    }

    #[test]
    fn references_split_as_the_runtime_reads_them() {
        use PartKind::*;
        assert_eq!(
            parts("quay.io/stackstate/wait:1.0.8"),
            [
                (Registry, "quay.io"),
                (Repository, "stackstate/wait"),
                (Tag, "1.0.8")
            ]
        );
        assert_eq!(
            parts("localhost:5000/a/b@sha256:abc"),
            [
                (Registry, "localhost:5000"),
                (Repository, "a/b"),
                (Digest, "sha256:abc")
            ]
        );
        assert_eq!(parts("busybox"), [(Repository, "busybox")]);
        assert_eq!(
            parts("library/busybox:1"),
            [(Repository, "library/busybox"), (Tag, "1")]
        );
        assert_eq!(
            parts("r.io/x:1@sha256:d"),
            [
                (Registry, "r.io"),
                (Repository, "x"),
                (Tag, "1"),
                (Digest, "sha256:d")
            ]
        );
        // A port is not a tag.
        assert_eq!(
            parts("r.io:5000/x"),
            [(Registry, "r.io:5000"), (Repository, "x")]
        );
        assert_eq!(parts("Host/x"), [(Registry, "Host"), (Repository, "x")]);
        assert_eq!(parts(""), [(Repository, "")]);
        assert_eq!(parts("x:"), [(Repository, "x"), (Tag, "")]);
    }
}

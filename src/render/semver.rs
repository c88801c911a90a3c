//! Masterminds/semver for Helm's pipeline: a chart's `kubeVersion` range, checked through the
//! port behind Sprig's `semverCompare`.

pub(crate) use crate::template::funcs::sprig_semver::{Release, is_compatible_range};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        for release in [(1, 1), (3, 0), (4, 0)].map(Release) {
            assert!(is_compatible_range(">=1.10.0-0", "v1.32.0", release));
            assert!(!is_compatible_range(">=1.33.0-0", "v1.32.0", release));
            assert!(is_compatible_range("1.31.x || 1.32.x", "v1.32.0", release));
            assert!(!is_compatible_range("not a range", "v1.32.0", release));
        }
        // A cloud's prerelease Kubernetes against a range whose lower bound alone names `-0`.
        assert!(!is_compatible_range(
            ">=1.21.0-0, <1.33.0",
            "v1.32.1-eks.3",
            Release((3, 0))
        ));
        assert!(is_compatible_range(
            ">=1.21.0-0, <1.33.0",
            "v1.32.1-eks.3",
            Release((4, 0))
        ));
    }
}

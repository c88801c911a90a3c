//! The chart defaults built into the binary: one bundle per supported chart version, generated
//! from the real charts with `stackstate-lint chart-bundle` (see `rules/charts/`).

use std::sync::OnceLock;

use crate::bundle;
use crate::chart::Chart;

/// Supported chart versions, oldest first, with their bundle text.
const BUNDLES: &[(&str, &str)] = &[
    (
        "4.2.5",
        include_str!("../rules/charts/stackstate-4.2.5.yaml"),
    ),
    (
        "4.3.0",
        include_str!("../rules/charts/stackstate-4.3.0.yaml"),
    ),
    (
        "4.4.0",
        include_str!("../rules/charts/stackstate-4.4.0.yaml"),
    ),
    (
        "4.4.2",
        include_str!("../rules/charts/stackstate-4.4.2.yaml"),
    ),
    (
        "4.5.0",
        include_str!("../rules/charts/stackstate-4.5.0.yaml"),
    ),
];

/// The versions that are built in, oldest first.
pub fn versions() -> impl Iterator<Item = &'static str> {
    BUNDLES.iter().map(|(v, _)| *v)
}

/// The newest built-in version (the default).
pub fn newest() -> &'static str {
    BUNDLES[BUNDLES.len() - 1].0
}

/// The built-in chart of `version`, parsed once per process.
pub fn chart(version: &str) -> Option<&'static Chart> {
    static CHARTS: [OnceLock<Chart>; BUNDLES.len()] = [const { OnceLock::new() }; BUNDLES.len()];
    let i = BUNDLES.iter().position(|(v, _)| *v == version)?;
    Some(CHARTS[i].get_or_init(|| {
        bundle::read(BUNDLES[i].1)
            .unwrap_or_else(|e| panic!("built-in chart bundle {version} is corrupt: {e}"))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundle_loads_with_its_version() {
        for v in versions() {
            let c = chart(v).unwrap();
            assert_eq!(c.name, "stackstate");
            assert_eq!(c.version, v);
            assert!(c.subchart(&["elasticsearch"]).is_some());
        }
        assert!(chart("9.9.9").is_none());
    }
}

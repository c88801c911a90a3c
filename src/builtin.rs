//! The defaults-only bundles of stackstate 4.2.5–4.5.0 (`rules/charts/`, generated from the real
//! charts with `stackstate-lint chart-bundle`), from before the real charts were built in (see
//! [`crate::builtin_charts`], which every command now reads): still the other versions that
//! SL202 compares keys with.

use std::sync::OnceLock;

/// The bytes `build.rs` wrote for `rules/…/<name>.yaml`.
macro_rules! packed {
    ($name:literal) => {
        include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".bin"))
    };
}
pub(crate) use packed;

use crate::bundle;
use crate::chart::Chart;

/// Supported chart versions, oldest first, with their bundle as packed by `build.rs` from
/// `rules/charts/stackstate-<version>.yaml`.
const BUNDLES: &[(&str, &[u8])] = &[
    ("4.2.5", packed!("stackstate-4.2.5")),
    ("4.3.0", packed!("stackstate-4.3.0")),
    ("4.4.0", packed!("stackstate-4.4.0")),
    ("4.4.2", packed!("stackstate-4.4.2")),
    ("4.5.0", packed!("stackstate-4.5.0")),
];

/// The versions that are built in, oldest first.
pub fn versions() -> impl Iterator<Item = &'static str> {
    BUNDLES.iter().map(|(v, _)| *v)
}

/// The newest built-in version (the default).
pub fn newest() -> &'static str {
    BUNDLES[BUNDLES.len() - 1].0
}

/// The packed bundle of `version` as built into the binary (for benchmarks and tests).
pub fn packed_bundle(version: &str) -> Option<&'static [u8]> {
    BUNDLES.iter().find(|(v, _)| *v == version).map(|(_, b)| *b)
}

/// The built-in chart of `version`, decoded once per process.
pub fn chart(version: &str) -> Option<&'static Chart> {
    static CHARTS: [OnceLock<Chart>; BUNDLES.len()] = [const { OnceLock::new() }; BUNDLES.len()];
    let i = BUNDLES.iter().position(|(v, _)| *v == version)?;
    Some(CHARTS[i].get_or_init(|| {
        bundle::read_packed(BUNDLES[i].1)
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

    #[test]
    fn packed_bundles_match_their_yaml() {
        let texts = [
            include_str!("../rules/charts/stackstate-4.2.5.yaml"),
            include_str!("../rules/charts/stackstate-4.3.0.yaml"),
            include_str!("../rules/charts/stackstate-4.4.0.yaml"),
            include_str!("../rules/charts/stackstate-4.4.2.yaml"),
            include_str!("../rules/charts/stackstate-4.5.0.yaml"),
        ];
        assert_eq!(texts.len(), BUNDLES.len());
        for (text, (version, _)) in texts.iter().zip(BUNDLES) {
            let from_yaml = bundle::read(text).unwrap();
            let packed = chart(version).unwrap();
            assert_eq!(from_yaml.version, *version);
            assert_eq!(
                bundle::write(&from_yaml),
                bundle::write(packed),
                "{version}"
            );
            assert_eq!(from_yaml.values, packed.values, "{version}");
        }
    }
}

//! The YAML loader with Helm's typing, through what a values file goes through: load, then the
//! documents Helm reads merged into one map (Helm 4 merges them all).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stackstate_lint::HelmVersion;
use stackstate_lint::release;
use stackstate_lint::Sources;
use stackstate_lint::yaml::Limits;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = Sources::new();
    for helm in [HelmVersion::V3, HelmVersion::V4] {
        let _ = release::load_values(
            "fuzz.yaml",
            text.to_string(),
            &mut sources,
            helm,
            &Limits::default(),
        );
    }
});

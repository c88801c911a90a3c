// The conformance configurations and where the suites are: included by `tests/common` and by
// the `--fix` property test in src/commands (one list for both). Paths are spelled out: the
// includers' imports differ.

/// (expectation folder, chart version, `--helm-version`).
pub const CONFIGS: &[(&str, &str, &str)] = &[
    ("helm3-chart-4.4.0", "4.4.0", "3"),
    ("helm4-chart-4.4.0", "4.4.0", "4"),
    ("helm3.16-chart-4.4.0", "4.4.0", "3.16"),
    ("helm3-chart-4.2.5", "4.2.5", "3"),
    ("helm3-chart-4.3.0", "4.3.0", "3"),
    ("helm3-chart-4.4.2", "4.4.2", "3"),
    ("helm3-chart-4.5.0", "4.5.0", "3"),
];

/// The vendored synthetic cases.
pub fn vendored() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance")
}

/// `../shared/conformance`, when it is there.
pub fn shared() -> Option<std::path::PathBuf> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance");
    p.join("expected").is_dir().then_some(p)
}

//! What several test files share: the conformance configurations and how a case becomes
//! command-line arguments (the same way `check.py` builds them).
#![allow(dead_code)]

pub mod bin;

use std::path::{Path, PathBuf};

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
pub fn vendored() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance")
}

/// `../shared/conformance`, when it is there.
pub fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance");
    p.join("expected").is_dir().then_some(p)
}

/// The `-f` files (in file-name order) and the extra `--set` arguments of a case.
pub fn case_args(suite: &Path, id: &str) -> (Vec<PathBuf>, Vec<String>) {
    let dir = suite.join("cases").join(id);
    if !dir.is_dir() {
        return (
            vec![suite.join("cases").join(format!("{id}.yaml"))],
            Vec::new(),
        );
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let extra = std::fs::read_to_string(dir.join("args"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .flat_map(|l| l.split_whitespace().map(String::from).collect::<Vec<_>>())
        .collect();
    (files, extra)
}

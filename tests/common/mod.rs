//! What several test files share: the conformance configurations and how a case becomes
//! command-line arguments (the same way `check.py` builds them).
#![allow(dead_code)]

pub mod bin;

use std::path::{Path, PathBuf};

// The conformance configurations and suites, shared with the `--fix` property (a unit test
// of src/commands, which cannot use this module: it names the binary).
include!("suites.rs");

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

/// What a run of the binary gave.
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub out: String,
    /// Standard error.
    pub err: String,
}

/// Runs the binary in `dir` with a clean environment (no NO_COLOR, CI, GITHUB_*, FORCE_COLOR,
/// CLICOLOR*, COLUMNS) plus `env`.
pub fn run_bin(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_stackstate-lint"));
    cmd.args(args).current_dir(dir);
    for var in [
        "NO_COLOR",
        "CI",
        "GITHUB_ACTIONS",
        "GITHUB_STEP_SUMMARY",
        "FORCE_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "COLUMNS",
        "TERM",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    let o = cmd.stdin(std::process::Stdio::null()).output().unwrap();
    Run {
        code: o.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&o.stdout).into(),
        err: String::from_utf8_lossy(&o.stderr).into(),
    }
}

/// A fresh scratch folder for one test, marked as a repository root (config discovery stops),
/// removed when the test is done with it (also when it fails).
pub fn scratch(test: &str) -> ScratchDir {
    let dir = std::env::temp_dir().join(format!("stackstate-lint-{}-{}", std::process::id(), test));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    ScratchDir(dir)
}

/// The folder [`scratch`] made; dropping it removes it.
pub struct ScratchDir(PathBuf);

impl std::ops::Deref for ScratchDir {
    type Target = PathBuf;
    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

impl AsRef<Path> for ScratchDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

//! What a run trusts (issue #11): config discovery stops at the repository root, the user's home
//! and folders or files of other users; a folder with no values file is an error, not a pass.

mod common;

use std::path::Path;

use common::bin::{Opts, Run, Scratch, no_panic, run_with, s};

const VALUES: &str = "stackstate:\n  components:\n    all:\n      image:\n        tag: 4.10\n";
const SILENCE: &str = "ignore: [\"**\"]\n";

fn lint(dir: &Path, home: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["--format", "compact", "--chart-version", "4.4.0"];
    args.extend(extra);
    let r = run_with(
        &args,
        &Opts {
            dir: Some(dir),
            env: &[("HOME", s(home))],
            ..Opts::default()
        },
    );
    no_panic(&r);
    r
}

fn silenced(r: &Run) -> bool {
    !r.stdout.contains("SL104")
}

#[test]
fn discovery_stops_at_home_and_at_what_others_own() {
    let dir = Scratch::new("trust-discovery");
    dir.file("outer/.stackstate-lint.yaml", SILENCE);
    dir.file("outer/inner/values.yaml", VALUES);
    let outer = dir.path("outer");
    let inner = dir.path("outer/inner");
    let elsewhere = dir.path("home");
    std::fs::create_dir_all(&elsewhere).unwrap();
    // Our own config above us is used (the control).
    assert!(silenced(&lint(&inner, &elsewhere, &["values.yaml"])));
    // --no-config and --config as usual.
    assert!(!silenced(&lint(
        &inner,
        &elsewhere,
        &["--no-config", "values.yaml"]
    )));
    let empty = dir.file("empty.yaml", "");
    assert!(!silenced(&lint(
        &inner,
        &elsewhere,
        &["--config", s(&empty), "values.yaml"]
    )));
    // Home is the last folder looked at.
    assert!(!silenced(&lint(&inner, &inner, &["values.yaml"])));
    if unsafe { libc::geteuid() } != 0 {
        return;
    }
    // A config file someone else owns is not ours to obey…
    let config = dir.path("outer/.stackstate-lint.yaml");
    std::os::unix::fs::chown(&config, Some(65534), Some(65534)).unwrap();
    assert!(!silenced(&lint(&inner, &elsewhere, &["values.yaml"])));
    // …nor is anything in or above a folder someone else owns.
    std::os::unix::fs::chown(&config, Some(0), Some(0)).unwrap();
    std::os::unix::fs::chown(&outer, Some(65534), Some(65534)).unwrap();
    assert!(!silenced(&lint(&inner, &elsewhere, &["values.yaml"])));
}

#[test]
fn a_folder_without_values_files_is_an_error() {
    let dir = Scratch::new("trust-empty");
    dir.file("charts/README.md", "not values\n");
    let r = lint(&dir.0, &dir.0, &["charts"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.starts_with(
            "error: No values file found under charts: looked for files named values*.yaml"
        ),
        "{}",
        r.stderr
    );
    let r = lint(&dir.path("charts"), &dir.0, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("error: No values file found under ."),
        "{}",
        r.stderr
    );
}

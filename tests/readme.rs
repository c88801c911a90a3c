//! The README's quick start, word for word: its commands run, the install command honours the
//! lockfile, and so does the pre-commit hook.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

/// The shell commands of the first ```sh block after `heading`, comments dropped.
fn commands_after(readme: &str, heading: &str) -> Vec<String> {
    let at = readme.find(heading).unwrap();
    let rest = &readme[at..];
    let start = rest.find("```sh\n").unwrap() + 6;
    let end = start + rest[start..].find("```").unwrap();
    rest[start..end]
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

#[test]
fn quick_start_commands_run_and_install_is_locked() {
    let readme = read("README.md");
    let commands = commands_after(&readme, "## Quick start");
    assert_eq!(
        commands,
        [
            "cargo run --release --locked -- images examples/air-gapped/values.yaml",
            "cargo test --locked",
        ]
    );
    // The `cargo run` line, run as the binary it builds, from the clone's root.
    let args: Vec<&str> = commands[0]
        .split_once(" -- ")
        .unwrap()
        .1
        .split(' ')
        .collect();
    let o = Command::new(env!("CARGO_BIN_EXE_stackstate-lint"))
        .args(&args)
        .current_dir(root())
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8(o.stdout).unwrap();
    // Piped, `images` prints one reference per line: the chart the example's config pins
    // (stackstate 4.5.0) pulls 21 images; the example leaves MinIO on quay.io (SL002).
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 21, "{out}");
    assert!(lines.contains(
        &"123456789012.dkr.ecr.eu-west-1.amazonaws.com/stackstate/elasticsearch-exporter:v1.2.1"
    ));
    assert!(lines.contains(&"quay.io/stackstate/minio:2021.2.19-focal-20210827-r5"));
    assert_eq!(
        commands_after(&readme, "To put `stackstate-lint` on your PATH"),
        ["cargo install --locked --path ."]
    );
    assert!(readme.contains("the first build takes a few\nminutes"));
}

#[test]
fn the_pre_commit_hook_builds_from_the_lockfile() {
    let hooks = read(".pre-commit-hooks.yaml");
    assert!(hooks.contains("entry: scripts/pre-commit-hook.sh\n  language: script\n"));
    let script = read("scripts/pre-commit-hook.sh");
    assert!(script.contains("cargo build --locked --release"));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(root().join("scripts/pre-commit-hook.sh"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o111, 0o111, "the hook script must be executable");
}

/// The hook runs on values files of releases, not on those of charts vendored into the
/// repository (`helm pull --untar` into charts/: 68 values files of a chart and its subcharts
/// once blocked a commit with 844 findings).
#[test]
fn the_pre_commit_hook_skips_vendored_charts() {
    let hooks = read(".pre-commit-hooks.yaml");
    let field = |name: &str| {
        let prefix = format!("  {name}: ");
        let line = hooks.lines().find_map(|l| l.strip_prefix(&prefix)).unwrap();
        regex::Regex::new(line).unwrap()
    };
    let (files, exclude) = (field("files"), field("exclude"));
    let linted = |path: &str| files.is_match(path) && !exclude.is_match(path);
    assert!(linted("values.yaml"));
    assert!(linted("deploy/prod/values-prod.yaml"));
    assert!(linted("deploy/prod-values.yml"));
    assert!(!linted("charts/suse-observability/values.yaml"));
    assert!(!linted(
        "vendor/charts/suse-observability/charts/hbase/values.yaml"
    ));
    assert!(!linted("deploy/README.md"));
}

#[test]
fn rust_version_covers_what_the_lockfile_needs() {
    // NOTE: cargo metadata reads every locked package's `rust-version`; the crate's own must be
    // at least the highest, or a user on the declared toolchain cannot build it.
    // Only this platform's packages: the ones a test build has already downloaded.
    let rustc = Command::new("rustc").arg("-vV").output().unwrap();
    let host = String::from_utf8(rustc.stdout).unwrap();
    let host = host
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .unwrap()
        .to_string();
    let o = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .args(["--filter-platform", &host])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let parse = |v: &str| -> Vec<u32> { v.split('.').map(|p| p.parse().unwrap()).collect() };
    let mut ours = None;
    let mut needed = (vec![0], String::new());
    for p in meta["packages"].as_array().unwrap() {
        let Some(rv) = p["rust_version"].as_str() else {
            continue;
        };
        if p["name"] == "stackstate-lint" {
            ours = Some(parse(rv));
        } else if parse(rv) > needed.0 {
            needed = (parse(rv), format!("{} {}", p["name"], p["version"]));
        }
    }
    let ours = ours.expect("Cargo.toml declares rust-version");
    let mut want = needed.0.clone();
    want.truncate(2);
    let mut have = ours.clone();
    have.truncate(2);
    assert!(
        have >= want,
        "rust-version {ours:?} < {:?} needed by {}",
        needed.0,
        needed.1
    );
}

//! The release pieces agree with each other: the GitHub Action downloads only archives that dist
//! builds, for every platform dist builds.

use std::collections::BTreeSet;
use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The target triples quoted in `text` (words with at least three dash-separated parts that
/// name an OS dist knows).
fn triples(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .filter(|w| w.split('-').count() >= 3)
        .filter(|w| {
            ["-linux-", "-apple-", "-windows-"]
                .iter()
                .any(|os| w.contains(os))
        })
        .map(String::from)
        .collect()
}

#[test]
fn the_action_downloads_exactly_the_archives_dist_builds() {
    let dist = read("dist-workspace.toml");
    let line = dist
        .lines()
        .find(|l| l.starts_with("targets = ["))
        .expect("dist-workspace.toml lists its targets on one line");
    let built = triples(line);
    assert_eq!(built.len(), 5, "{built:?}");

    let script = read("scripts/action-install.sh");
    let start = script.find("\ntarget() {").unwrap();
    let end = start + script[start..].find("\n}\n").unwrap();
    let downloaded = triples(&script[start..end]);
    assert_eq!(downloaded, built);

    // Linux releases are the static musl builds (the runners' glibc may be older than ours).
    assert!(
        built
            .iter()
            .filter(|t| t.contains("-linux-"))
            .all(|t| t.ends_with("-musl"))
    );
}

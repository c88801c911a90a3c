//! No false positives on real files, and a finding for every release Helm cannot render.
//!
//! Runs the linter on every conformance case of every configuration: `real-*` files that Helm
//! renders must produce no error-level finding; every case Helm fails on must produce an
//! error-level finding that names the key at fault.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;

use common::CONFIGS;

/// The suite, and how many broken releases it must hold at least: `../shared` has every case,
/// the vendored copy fewer (a fresh clone has no `../shared`).
fn suite() -> (PathBuf, usize) {
    match common::shared() {
        Some(shared) => (shared, 35),
        None => {
            println!(
                "../shared/conformance is not there: checking the vendored cases only (the full suite runs with ../shared)"
            );
            (common::vendored(), 30)
        }
    }
}

fn lint(args: &[String]) -> (i32, Value) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = stackstate_lint::run(args, false, &mut out, &mut err);
    let json = serde_json::from_slice(&out)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&err)));
    (code, json)
}

fn case_args(suite: &Path, id: &str, chart: &str, helm: &str) -> Vec<String> {
    let mut args: Vec<String> = [
        "stackstate-lint",
        "--format",
        "json",
        "--chart-version",
        chart,
        "--helm-version",
        helm,
    ]
    .into_iter()
    .map(String::from)
    .collect();
    args.extend([
        "-f".into(),
        suite.join("base-values.yaml").display().to_string(),
    ]);
    let (files, extra) = common::case_args(suite, id);
    for f in files {
        args.extend(["-f".into(), f.display().to_string()]);
    }
    args.extend(extra);
    args.extend(["--set".into(), "anomaly-detection.enabled=false".into()]);
    args
}

/// Real files that `helm template` renders but that hold a defect the cluster rejects: (case,
/// rule, key, why). Each is a true finding, so it stays an error; a finding not listed here on a
/// real file that renders is a false positive.
const KNOWN_DEFECTS: &[(&str, &str, &str, &str)] = &[(
    "real-docs-required-permissions-3",
    "SL104",
    "elasticsearch.nodeSelector.elasticsearch",
    "the documentation's `elasticsearch: yes` renders as the boolean `true` in the StatefulSet's \
     nodeSelector, a map of strings: the Kubernetes API refuses the object on install",
)];

#[test]
fn real_files_that_render_have_no_errors_and_broken_releases_name_the_key() {
    let (suite, min_broken) = suite();
    let mut problems = Vec::new();
    let mut broken_checked = 0;
    let mut real_checked = 0;
    for (cfg, chart, helm) in CONFIGS {
        let dir = suite.join("expected").join(cfg);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let id = name.trim_end_matches(".txt");
            let expected = std::fs::read_to_string(dir.join(&name)).unwrap();
            let (code, report) = lint(&case_args(&suite, id, chart, helm));
            let errors: Vec<&Value> = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["severity"] == "error")
                .filter(|f| {
                    !KNOWN_DEFECTS.iter().any(|(case, code, key, _)| {
                        *case == id && f["code"] == *code && f["key"] == *key
                    })
                })
                .collect();
            if expected.starts_with("error:") {
                broken_checked += 1;
                if code != 1 || !errors.iter().any(|f| f["key"].is_string()) {
                    problems.push(format!(
                        "{cfg} {id}: Helm fails, but no error names a key (exit {code})"
                    ));
                }
            } else if id.starts_with("real-") {
                real_checked += 1;
                if !errors.is_empty() {
                    let list: Vec<String> = errors
                        .iter()
                        .map(|f| format!("{} {}", f["code"], f["message"]))
                        .collect();
                    problems.push(format!("{cfg} {id}: renders, but errors: {list:?}"));
                }
            }
        }
    }
    println!(
        "broken releases checked: {broken_checked}, rendering real files checked: {real_checked}"
    );
    assert!(
        broken_checked >= min_broken,
        "only {broken_checked} broken releases checked, expected at least {min_broken}"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_fully_mirrored_release_with_backups_is_clean() {
    let dir = std::env::temp_dir().join(format!("stackstate-lint-mirrored-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("values.yaml");
    std::fs::write(
        &file,
        "global:\n  imageRegistry: registry.example.com\nbackup:\n  enabled: true\n\
         elasticsearch:\n  prometheus-elasticsearch-exporter:\n    image:\n      repository: registry.example.com/stackstate/elasticsearch-exporter\n\
         minio:\n  image:\n    repository: registry.example.com/stackstate/minio\n",
    )
    .unwrap();
    for chart in ["4.4.0", "4.4.2", "4.5.0"] {
        let args: Vec<String> = [
            "stackstate-lint",
            "--format",
            "json",
            "--chart-version",
            chart,
            &file.display().to_string(),
        ]
        .into_iter()
        .map(String::from)
        .collect();
        let (code, report) = lint(&args);
        let errors: Vec<&Value> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{chart}: {errors:?}");
        assert_eq!(code, 0);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

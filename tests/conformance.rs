//! The conformance suite: for every case and every chart/Helm configuration, `images --format
//! plain` must print exactly what the real `helm template` rendered (or fail where Helm failed).
//!
//! The synthetic cases are vendored under `tests/conformance/`; the `real-*` cases are read from
//! `../shared/conformance` when it is there.

use std::path::Path;

mod common;

use common::{CONFIGS, case_args, shared, vendored};

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_lib(args: &[String]) -> Outcome {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = stackstate_lint::run(args, false, &mut out, &mut err);
    Outcome {
        code,
        stdout: String::from_utf8(out).unwrap(),
        stderr: String::from_utf8(err).unwrap(),
    }
}

fn images_args(suite: &Path, id: &str, chart: &[String], helm: &str) -> Vec<String> {
    let (files, extra) = case_args(suite, id);
    let mut args: Vec<String> = vec!["stackstate-lint".into(), "images".into()];
    args.extend(chart.iter().cloned());
    args.extend([
        "--helm-version".into(),
        helm.into(),
        "--format".into(),
        "plain".into(),
    ]);
    args.extend([
        "-f".into(),
        suite.join("base-values.yaml").display().to_string(),
    ]);
    for f in files {
        args.extend(["-f".into(), f.display().to_string()]);
    }
    args.extend(extra);
    args.extend(["--set".into(), "anomaly-detection.enabled=false".into()]);
    args
}

/// Checks one outcome against an expectation file; returns a failure description.
fn check(want: &str, got: &Outcome) -> Option<String> {
    if want.starts_with("error:") {
        if got.code != 1 {
            return Some(format!(
                "expected a broken release (exit 1), got exit {}",
                got.code
            ));
        }
        if !got.stderr.contains("Helm cannot render this release: `") {
            return Some(format!("no key named in the reason: {}", got.stderr));
        }
        return None;
    }
    let mut exp: Vec<&str> = want
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    exp.sort();
    exp.dedup();
    let lines: Vec<&str> = got
        .stdout
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if got.code != 0 || lines != exp {
        let missing: Vec<_> = exp.iter().filter(|l| !lines.contains(l)).collect();
        let extra: Vec<_> = lines.iter().filter(|l| !exp.contains(l)).collect();
        return Some(format!(
            "exit {}; missing {missing:?}; unexpected {extra:?}; stderr {}",
            got.code, got.stderr
        ));
    }
    None
}

/// Which case ids or configurations to run.
type Filter<'a> = &'a dyn Fn(&str) -> bool;

/// Runs every case of `suite` (filtered by `keep`) for every configuration `configs` keeps.
fn run_suite(
    suite: &Path,
    (keep, configs): (Filter, Filter),
    runner: &dyn Fn(&[String]) -> Outcome,
) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut total = 0;
    for (cfg, chart, helm) in CONFIGS.iter().filter(|(c, _, _)| configs(c)) {
        let dir = suite.join("expected").join(cfg);
        let mut ids: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.unwrap().file_name().into_string().ok())
            .filter_map(|n| n.strip_suffix(".txt").map(String::from))
            .filter(|id| keep(id))
            .collect();
        ids.sort();
        let mut ok = 0;
        for id in &ids {
            let want = std::fs::read_to_string(dir.join(format!("{id}.txt"))).unwrap();
            let args = images_args(
                suite,
                id,
                &["--chart-version".into(), chart.to_string()],
                helm,
            );
            match check(&want, &runner(&args)) {
                None => ok += 1,
                Some(why) => failures.push(format!("{cfg} {id}: {why}")),
            }
        }
        total += ids.len();
        println!("{cfg} {ok}/{}", ids.len());
    }
    (total, failures)
}

/// The vendored cases are a subset of ../shared's: run on their own only without it.
#[test]
fn vendored_synthetic_cases_match_helm() {
    if shared().is_some() {
        println!("skipped: ../shared/conformance (a superset) is checked instead");
        return;
    }
    let (total, failures) = run_suite(&vendored(), (&|_| true, &|_| true), &run_lib);
    assert_eq!(total, 39 * CONFIGS.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn shared_suite_matches_helm_including_real_files() {
    let Some(suite) = shared() else {
        println!("skipped: ../shared/conformance is not there");
        return;
    };
    let (total, failures) = run_suite(&suite, (&|_| true, &|_| true), &run_lib);
    assert_eq!(total, 651);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_binary_honours_the_cli_contract() {
    let bin = env!("CARGO_BIN_EXE_stackstate-lint");
    let runner = |args: &[String]| {
        let o = std::process::Command::new(bin)
            .args(&args[1..])
            .env_remove("GITHUB_ACTIONS")
            .output()
            .unwrap();
        Outcome {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into(),
            stderr: String::from_utf8_lossy(&o.stderr).into(),
        }
    };
    // The library runs every configuration above; the binary, the primary one.
    let suite = shared().unwrap_or_else(vendored);
    let (total, failures) = run_suite(&suite, (&|_| true, &|c| c == "helm3-chart-4.4.0"), &runner);
    assert!(total >= 39);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `--chart` with the chart as `helm pull` gives it must agree with the built-in copy (every
/// fifth case of each version: the stores are byte for byte the archives, tests/chart_store.rs).
#[test]
fn chart_archives_agree_with_builtin_charts() {
    let Some(archives) = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/charts-src")
        .canonicalize()
        .ok()
    else {
        println!("skipped: ../shared/charts-src is not there");
        return;
    };
    let suite = shared().unwrap_or_else(vendored);
    let mut checked = 0;
    for version in ["4.2.5", "4.3.0", "4.4.0", "4.4.2", "4.5.0"] {
        let archive = archives.join(format!("stackstate-{version}.tgz"));
        let expected = suite
            .join("expected")
            .join(format!("helm3-chart-{version}"));
        let mut names: Vec<String> = std::fs::read_dir(&expected)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        for name in names.iter().step_by(5) {
            let id = name.trim_end_matches(".txt");
            let builtin = run_lib(&images_args(
                &suite,
                id,
                &["--chart-version".into(), version.into()],
                "3",
            ));
            let real = run_lib(&images_args(
                &suite,
                id,
                &["--chart".into(), archive.display().to_string()],
                "3",
            ));
            assert_eq!(builtin.code, real.code, "{version} {id}: {}", real.stderr);
            assert_eq!(builtin.stdout, real.stdout, "{version} {id}");
            checked += 1;
        }
    }
    assert!(checked >= 5 * 8);
}

/// A chart without templates (a values-only copy) has no images to render: an input error, not
/// an empty list.
#[test]
fn a_chart_without_templates_is_refused() {
    let Some(skeleton) = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/charts/stackstate-4.4.0")
        .canonicalize()
        .ok()
    else {
        println!("skipped: ../shared/charts is not there");
        return;
    };
    let args: Vec<String> = ["stackstate-lint", "images", "--render", "--chart"]
        .iter()
        .map(|s| s.to_string())
        .chain([skeleton.display().to_string()])
        .collect();
    let got = run_lib(&args);
    assert_eq!(got.code, 2, "{}", got.stderr);
    assert!(
        got.stderr.contains("the chart has no templates"),
        "{}",
        got.stderr
    );
    assert!(got.stdout.is_empty());
}

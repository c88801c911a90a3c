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

/// Runs every case of `suite` (filtered by `keep`) for every configuration.
fn run_suite(
    suite: &Path,
    keep: &dyn Fn(&str) -> bool,
    runner: &dyn Fn(&[String]) -> Outcome,
) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut total = 0;
    for (cfg, chart, helm) in CONFIGS {
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

#[test]
fn vendored_synthetic_cases_match_helm() {
    let (total, failures) = run_suite(&vendored(), &|_| true, &run_lib);
    assert_eq!(total, 39 * CONFIGS.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn shared_suite_matches_helm_including_real_files() {
    let Some(suite) = shared() else {
        println!("skipped: ../shared/conformance is not there");
        return;
    };
    let (total, failures) = run_suite(&suite, &|_| true, &run_lib);
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
    let suite = shared().unwrap_or_else(vendored);
    let (_, failures) = run_suite(&suite, &|_| true, &runner);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `--chart` on the real chart skeleton must agree with the built-in defaults on every case.
#[test]
fn real_chart_directory_agrees_with_builtin_defaults() {
    let Some(charts) = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/charts")
        .canonicalize()
        .ok()
    else {
        println!("skipped: ../shared/charts is not there");
        return;
    };
    let suite = shared().unwrap_or_else(vendored);
    let mut checked = 0;
    for version in ["4.2.5", "4.3.0", "4.4.0", "4.4.2", "4.5.0"] {
        let dir = charts.join(format!("stackstate-{version}"));
        let expected = suite
            .join("expected")
            .join(format!("helm3-chart-{version}"));
        for entry in std::fs::read_dir(&expected).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
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
                &["--chart".into(), dir.display().to_string()],
                "3",
            ));
            assert_eq!(builtin.code, real.code, "{version} {id}: {}", real.stderr);
            assert_eq!(builtin.stdout, real.stdout, "{version} {id}");
            checked += 1;
        }
    }
    assert!(checked >= 5 * 39);
}

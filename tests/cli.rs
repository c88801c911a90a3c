//! The linter end to end through the binary: exit codes, selection, stdin, folders, config,
//! suppressions, output formats and the `explain`/`rules` commands.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Run {
    code: i32,
    out: String,
    err: String,
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    run_env(dir, args, stdin, &[])
}

fn run_env(dir: &Path, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stackstate-lint"));
    cmd.args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write;
        let mut input = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            input.write_all(s.as_bytes()).unwrap();
        }
    }
    let o = child.wait_with_output().unwrap();
    Run {
        code: o.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&o.stdout).into(),
        err: String::from_utf8_lossy(&o.stderr).into(),
    }
}

fn temp(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("stackstate-lint-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // A repository root, so config discovery stops here.
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    dir
}

const UNQUOTED: &str = "stackstate:\n  components:\n    all:\n      image:\n        tag: 4.10\n";
const CLEAN: &str = "stackstate:\n  components:\n    all:\n      image:\n        tag: \"4.4.0\"\nanomaly-detection:\n  enabled: false\n";

#[test]
fn exit_codes_follow_the_contract() {
    let dir = temp("exit");
    std::fs::write(dir.join("bad.yaml"), UNQUOTED).unwrap();
    std::fs::write(dir.join("good.yaml"), CLEAN).unwrap();
    let v = ["--chart-version", "4.4.0", "--format", "compact"];
    let good = run_in(&dir, &[&v[..], &["good.yaml"]].concat(), None);
    assert_eq!(good.code, 0, "{}{}", good.out, good.err);
    let bad = run_in(&dir, &[&v[..], &["bad.yaml"]].concat(), None);
    assert_eq!(bad.code, 1);
    assert!(
        bad.out.contains("bad.yaml:5:14: error[SL104]"),
        "{}",
        bad.out
    );
    let zero = run_in(&dir, &[&v[..], &["--exit-zero", "bad.yaml"]].concat(), None);
    assert_eq!(zero.code, 0);
    let missing = run_in(&dir, &[&v[..], &["nope.yaml"]].concat(), None);
    assert_eq!(missing.code, 2);
    assert!(
        missing.err.contains("nope.yaml: no such file"),
        "{}",
        missing.err
    );
    let usage = run_in(&dir, &["--no-such-flag"], None);
    assert_eq!(usage.code, 2);
    let unknown_rule = run_in(
        &dir,
        &[&v[..], &["--select", "SL999", "bad.yaml"]].concat(),
        None,
    );
    assert_eq!(unknown_rule.code, 2, "{}", unknown_rule.err);
}

/// Folders whose configs pin different charts, linted in one run (several PATHs, `.`, the
/// pre-commit hook): each file with its own chart, in any order, and a note says which.
#[test]
fn each_folder_is_linted_with_the_chart_its_config_pins() {
    let dir = temp("pins");
    for (folder, chart, values) in [
        (
            "legacy",
            "stackstate@5.1.15",
            "global:\n  imageRegistry: r.example.com\nstackstate:\n  license:\n    key: K\n  baseUrl: https://s.example.com\n  authentication:\n    adminPassword: 5f4dcc3b5aa765d61d8327deb882cf99\n  admin:\n    authentication:\n      password: 5f4dcc3b5aa765d61d8327deb882cf99\nelasticsearch:\n  prometheus-elasticsearch-exporter:\n    image:\n      repository: r.example.com/stackstate/elasticsearch-exporter\nanomaly-detection:\n  enabled: false\n",
        ),
        (
            "new",
            "suse-observability@2.10.3",
            "global:\n  imageRegistry: r.example.com\n  suseObservability:\n    license: L\n    baseUrl: https://o.example.com\n    adminPassword: pw\n    sizing:\n      profile: 10-nonha\n",
        ),
    ] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
        std::fs::write(
            dir.join(folder).join(".stackstate-lint.yaml"),
            format!("chart: {chart}\n"),
        )
        .unwrap();
        std::fs::write(dir.join(folder).join("values.yaml"), values).unwrap();
    }
    // Each file alone, then together in both orders and as a walk: clean every time (the 2.10.3
    // file linted with 5.1.15 got SL002 for the exporter and SL202 for
    // `global.suseObservability`).
    for paths in [
        &["legacy"][..],
        &["new"][..],
        &["legacy", "new"][..],
        &["new", "legacy"][..],
        &["."][..],
    ] {
        let r = run_in(&dir, &[&["--format", "compact"][..], paths].concat(), None);
        assert_eq!((r.code, r.out.as_str()), (0, ""), "{paths:?}: {}", r.err);
        if paths.len() > 1 || paths == ["."] {
            assert!(
                r.err
                    .contains("values.yaml: linted with stackstate 5.1.15 (built-in), pinned at ")
                    && r.err.contains(
                        "values.yaml: linted with suse-observability 2.10.3 (built-in), pinned at "
                    ),
                "{paths:?}: {}",
                r.err
            );
        }
    }
}

/// A release Helm would not render exits 1 whatever rules are selected or suppressed (the
/// contract); when no finding shown says why, a note does.
#[test]
fn a_release_helm_cannot_render_exits_1_with_its_rules_filtered_out() {
    let dir = temp("unrenderable");
    // Helm's merge fails: a number where the elasticsearch subchart's values belong.
    std::fs::write(dir.join("values.yaml"), "elasticsearch: 5\n").unwrap();
    std::fs::write(dir.join(".stackstate-lint.yaml"), "rules:\n  SL204: off\n").unwrap();
    let v = ["--chart-version", "4.4.0", "--format", "compact"];
    for filter in [
        &["--select", "SL1"][..],
        &["--ignore", "SL204"][..],
        &[][..],
    ] {
        let r = run_in(&dir, &[&v[..], filter, &["values.yaml"]].concat(), None);
        assert_eq!(r.code, 1, "{filter:?}: {}{}", r.out, r.err);
        assert_eq!(r.out, "", "{filter:?}");
        assert!(
            r.err.contains("note: values.yaml: Helm cannot render these values; no rule selected says why (SL105, SL203 and SL204 do)"),
            "{filter:?}: {}",
            r.err
        );
    }
    let zero = run_in(
        &dir,
        &[&v[..], &["--exit-zero", "values.yaml"]].concat(),
        None,
    );
    assert_eq!(zero.code, 0, "{}", zero.err);
    // With the rule that says why, no note.
    let shown = run_in(
        &dir,
        &[&v[..], &["--no-config", "values.yaml"]].concat(),
        None,
    );
    assert_eq!(shown.code, 1);
    assert!(shown.out.contains("error[SL204]"), "{}", shown.out);
    assert!(!shown.err.contains("no rule selected"), "{}", shown.err);
}

#[test]
fn select_and_ignore_filter_rules() {
    let dir = temp("select");
    std::fs::write(dir.join("values.yaml"), UNQUOTED).unwrap();
    let base = [
        "--chart-version",
        "4.4.0",
        "--format",
        "compact",
        "values.yaml",
    ];
    let ignored = run_in(
        &dir,
        &[&base[..], &["--ignore", "SL104,SL103"]].concat(),
        None,
    );
    assert!(
        !ignored.out.contains("SL104") && !ignored.out.contains("SL103"),
        "{}",
        ignored.out
    );
    assert_eq!(ignored.code, 0);
    let selected = run_in(
        &dir,
        &[&base[..], &["--select", "unquoted-tag"]].concat(),
        None,
    );
    assert_eq!(selected.out.lines().count(), 1, "{}", selected.out);
    let prefix = run_in(&dir, &[&base[..], &["--select", "SL1"]].concat(), None);
    assert!(
        prefix.out.lines().all(|l| l.contains("[SL1")),
        "{}",
        prefix.out
    );
}

#[test]
fn stdin_is_named_by_stdin_filename() {
    let dir = temp("stdin");
    let r = run_in(
        &dir,
        &[
            "--chart-version",
            "4.4.0",
            "--format",
            "compact",
            "--stdin-filename",
            "prod/values.yaml",
            "-",
        ],
        Some(UNQUOTED),
    );
    assert_eq!(r.code, 1);
    assert!(
        r.out.contains("prod/values.yaml:5:14: error[SL104]"),
        "{}",
        r.out
    );
}

#[test]
fn stdin_read_to_pick_the_chart_is_still_linted_and_rendered() {
    // Without --chart-version the values are read once to pick the chart and again to lint:
    // a pipe gives its text once, so a second read used to lint (and list) nothing.
    let dir = temp("stdin-pick");
    let file = dir.join("values.yaml");
    std::fs::write(&file, UNQUOTED).unwrap();
    let by_name = run_in(&dir, &["--format", "compact", "values.yaml"], None);
    let piped = run_in(&dir, &["--format", "compact", "-"], Some(UNQUOTED));
    assert_eq!(
        (by_name.code, piped.code),
        (1, 1),
        "{}{}",
        by_name.err,
        piped.err
    );
    assert!(
        by_name.out.contains("values.yaml:5:14: error[SL104]"),
        "{}",
        by_name.out
    );
    assert_eq!(
        piped.out,
        by_name.out.replace("values.yaml:", "<stdin>:"),
        "{}",
        piped.err
    );
    let moved = "global:\n  imageRegistry: reg.example\n";
    let images = run_in(&dir, &["images", "--format", "plain", "-"], Some(moved));
    assert_eq!(images.code, 0, "{}", images.err);
    assert!(
        images.out.lines().any(|l| l.starts_with("reg.example/")),
        "{}",
        images.out
    );
}

#[test]
fn folders_are_walked_for_values_files_skipping_hidden_ones() {
    let dir = temp("walk");
    for p in ["env/prod", ".cache", "docs"] {
        std::fs::create_dir_all(dir.join(p)).unwrap();
    }
    std::fs::write(dir.join("values.yaml"), CLEAN).unwrap();
    std::fs::write(dir.join("env/prod/values-prod.yaml"), UNQUOTED).unwrap();
    std::fs::write(dir.join("env/prod/site-values.yml"), UNQUOTED).unwrap();
    std::fs::write(dir.join(".cache/values.yaml"), UNQUOTED).unwrap();
    std::fs::write(dir.join("docs/notes.yaml"), UNQUOTED).unwrap();
    let r = run_in(
        &dir,
        &[
            "--chart-version",
            "4.4.0",
            "--format",
            "compact",
            "--select",
            "SL104",
            ".",
        ],
        None,
    );
    let files: Vec<&str> = r
        .out
        .lines()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(
        files,
        ["./env/prod/site-values.yml", "./env/prod/values-prod.yaml"],
        "{}",
        r.out
    );
    let r = run_in(
        &dir,
        &[
            "--chart-version",
            "4.4.0",
            "--format",
            "compact",
            "--select",
            "SL104",
            "--exclude",
            "*/site-*",
            ".",
        ],
        None,
    );
    assert_eq!(r.out.lines().count(), 1, "{}", r.out);
}

/// A values file that is a link to a file (a shared layer linked into each environment) is
/// walked as Helm reads it; a link to a folder is not followed (audit 47: the link was skipped
/// and its error passed with exit 0).
#[test]
fn links_to_values_files_are_walked_and_links_to_folders_are_not() {
    let dir = temp("walk-links");
    for p in ["deploy/prod", "deploy/only", "elsewhere"] {
        std::fs::create_dir_all(dir.join(p)).unwrap();
    }
    std::fs::write(dir.join("deploy/prod/values.yaml"), CLEAN).unwrap();
    std::fs::write(dir.join("shared.yml"), UNQUOTED).unwrap();
    std::os::unix::fs::symlink(
        "../../shared.yml",
        dir.join("deploy/prod/values-shared.yaml"),
    )
    .unwrap();
    std::fs::write(dir.join("deploy/only/base.yml"), UNQUOTED).unwrap();
    std::os::unix::fs::symlink("base.yml", dir.join("deploy/only/values.yaml")).unwrap();
    std::fs::write(dir.join("elsewhere/values.yaml"), UNQUOTED).unwrap();
    std::os::unix::fs::symlink("../elsewhere", dir.join("deploy/linked")).unwrap();
    // A link loop is no file and no folder to walk.
    std::os::unix::fs::symlink("values-loop.yaml", dir.join("deploy/values-loop.yaml")).unwrap();
    let r = run_in(
        &dir,
        &[
            "--chart-version",
            "4.4.0",
            "--format",
            "compact",
            "--select",
            "SL104",
            "deploy",
        ],
        None,
    );
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
    let files: Vec<&str> = r
        .out
        .lines()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(
        files,
        ["deploy/only/values.yaml", "deploy/prod/values-shared.yaml"],
        "{}",
        r.out
    );
}

/// A chart's own folder below the one walked (a `helm pull --untar` copy in a deploy
/// repository): its values files are the chart's defaults, not releases; skipped with a note.
/// No PATH walks the current folder.
#[test]
fn chart_folders_below_a_walked_folder_are_skipped_and_said() {
    let dir = temp("walk-charts");
    std::fs::create_dir_all(dir.join("vendor/suse-observability/charts/kafka")).unwrap();
    std::fs::write(dir.join("values.yaml"), UNQUOTED).unwrap();
    for chart in [
        "vendor/suse-observability",
        "vendor/suse-observability/charts/kafka",
    ] {
        std::fs::write(
            dir.join(chart).join("Chart.yaml"),
            "name: x\nversion: 1.0.0\n",
        )
        .unwrap();
        std::fs::write(dir.join(chart).join("values.yaml"), UNQUOTED).unwrap();
    }
    for args in [&[][..], &["."][..]] {
        let mut all = vec![
            "--chart-version",
            "4.4.0",
            "--format",
            "compact",
            "--select",
            "SL104",
        ];
        all.extend_from_slice(args);
        let r = run_in(&dir, &all, None);
        let files: Vec<&str> = r
            .out
            .lines()
            .map(|l| l.split(':').next().unwrap())
            .collect();
        assert_eq!(files, ["./values.yaml"], "{}", r.out);
        assert!(
            r.err.contains("note: skipped ./vendor/suse-observability: a chart's folder (its values files are the chart's defaults); give a file of it as PATH to lint it"),
            "{}",
            r.err
        );
        assert!(!r.err.contains("charts/kafka"), "{}", r.err);
    }
}

/// Runs `args` in `dir` on one thread and on several (`STACKSTATE_LINT_JOBS`): the same exit
/// code, output and messages, byte for byte; returns the run on one thread.
fn same_on_every_thread_count(dir: &Path, args: &[&str]) -> Run {
    // What a chart makes up anew in every render: `randAlpha` names and `now` timestamps.
    let made_up = regex::Regex::new(r"release-name-[a-z0-9]{5}-test|\d{8}t\d{6}").unwrap();
    let fixed = |s: &str| made_up.replace_all(s, "…").into_owned();
    let one = run_env(dir, args, None, &[("STACKSTATE_LINT_JOBS", "1")]);
    for jobs in ["2", "5"] {
        let many = run_env(dir, args, None, &[("STACKSTATE_LINT_JOBS", jobs)]);
        assert_eq!(
            (many.code, fixed(&many.out), &many.err),
            (one.code, fixed(&one.out), &one.err),
            "{jobs} threads against one: {args:?}"
        );
    }
    one
}

#[test]
fn a_folder_on_several_threads_reports_what_one_thread_does() {
    let dir = temp("threads");
    let files = [
        ("values-a.yaml", CLEAN.to_string()),
        ("values-b.yaml", UNQUOTED.to_string()),
        // Helm cannot render it (nil pointer evaluating …metrics).
        ("values-c.yaml", "stackstate:\n  components:\n    all: null\n".into()),
        ("values-d.yaml", "global:\n  imageRegistry:\n    a: 1\n".into()),
        ("values-e.yaml", "stackstate: [\n".into()),
        (
            "env/values-f.yaml",
            "global:\n  imageRegistry: registry.example.com\nkafka:\n  enabled: false\n".into(),
        ),
        (
            "env/values-g.yaml",
            "global:\n  imageRegistry: registry.example.com\nstackstate:\n  components:\n    all:\n      image:\n        tag: latest\n".into(),
        ),
    ];
    for (name, text) in &files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    // A config for one folder only; a -f file under every PATH, with a finding of its own.
    std::fs::write(
        dir.join("env/.stackstate-lint.yaml"),
        "rules:\n  mutable-tag: off\n",
    )
    .unwrap();
    std::fs::write(dir.join("base.yaml"), "a: 1\na: 2\n").unwrap();
    let chart = ["--chart-version", "4.4.0"];
    for format in ["human", "json", "compact"] {
        let args = [&chart[..], &["--format", format, "-f", "base.yaml", "."]].concat();
        let r = same_on_every_thread_count(&dir, &args);
        assert_eq!(r.code, 2, "{}{}", r.out, r.err);
        if format == "compact" {
            for wanted in [
                "./values-b.yaml:5:14: error[SL104]",
                "./values-c.yaml:3:5: error[SL203]",
                "./values-d.yaml:2:3: error[SL106]",
                "base.yaml:1:1: warning[SL205]",
                "./env/values-g.yaml:",
            ] {
                assert!(r.out.contains(wanted), "{wanted}:\n{}", r.out);
            }
            // The config of env/ turns SL103 off there only.
            assert!(
                r.out.contains("./values-a.yaml:2:3: warning[SL103]"),
                "{}",
                r.out
            );
            assert!(
                !r.out.contains("env/values-g.yaml:2:3: warning[SL103]"),
                "{}",
                r.out
            );
            assert!(r.err.contains("values-e.yaml"), "{}", r.err);
        }
    }
    // `images` over the files that render, then with one that does not.
    std::fs::remove_file(dir.join("values-e.yaml")).unwrap();
    let r = same_on_every_thread_count(
        &dir,
        &[
            &["images"],
            &chart[..],
            &[
                "--format",
                "json",
                "values-a.yaml",
                "values-b.yaml",
                "values-d.yaml",
                "env",
            ],
        ]
        .concat(),
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let doc: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    assert_eq!(
        doc["releases"].as_array().map(Vec::len),
        Some(5),
        "{}",
        r.out
    );
    let r = same_on_every_thread_count(&dir, &[&["images"], &chart[..], &["."]].concat());
    assert_eq!((r.code, r.out.as_str()), (1, ""), "{}", r.err);
    assert!(
        r.err
            .contains("error: ./values-c.yaml: Helm cannot render this release: "),
        "{}",
        r.err
    );
}

#[test]
fn config_is_discovered_upward_and_errors_point_into_it() {
    let dir = temp("config");
    std::fs::create_dir_all(dir.join("env")).unwrap();
    std::fs::write(dir.join("env/values.yaml"), UNQUOTED).unwrap();
    std::fs::write(
        dir.join(".stackstate-lint.yaml"),
        "rules:\n  SL104: warning\n  mutable-tag: off\n",
    )
    .unwrap();
    let r = run_in(
        &dir,
        &[
            "--chart-version",
            "4.4.0",
            "--format",
            "compact",
            "env/values.yaml",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(
        r.out.contains("warning[SL104]") && !r.out.contains("SL103"),
        "{}",
        r.out
    );

    std::fs::write(
        dir.join(".stackstate-lint.yaml"),
        "rules:\n  SL104: warning\nregistry:\n  allowed: []\n",
    )
    .unwrap();
    let r = run_in(&dir, &["--chart-version", "4.4.0", "env/values.yaml"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.err.contains(".stackstate-lint.yaml:3:1") && r.err.contains("did you mean `registries`"),
        "{}",
        r.err
    );

    std::fs::write(dir.join(".stackstate-lint.yaml"), "rules:\n  SL104: loud\n").unwrap();
    let r = run_in(&dir, &["--chart-version", "4.4.0", "env/values.yaml"], None);
    assert_eq!(r.code, 2);
    assert!(r.err.contains(".stackstate-lint.yaml:2:10"), "{}", r.err);

    // An unknown rule is the key's fault, not its level's.
    std::fs::write(dir.join(".stackstate-lint.yaml"), "rules:\n  SL999: off\n").unwrap();
    let r = run_in(&dir, &["--chart-version", "4.4.0", "env/values.yaml"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.err
            .contains(".stackstate-lint.yaml:2:3: unknown rule `SL999`"),
        "{}",
        r.err
    );
}

#[test]
fn registry_policy_from_the_config() {
    let dir = temp("policy");
    std::fs::write(
        dir.join("values.yaml"),
        "global:\n  imageRegistry: registry.example.com\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("policy.yaml"),
        "registries:\n  allowed: [\"*.dkr.ecr.*.amazonaws.com\"]\n",
    )
    .unwrap();
    let r = run_in(
        &dir,
        &[
            "--chart-version",
            "4.4.0",
            "--format",
            "compact",
            "--config",
            "policy.yaml",
            "values.yaml",
        ],
        None,
    );
    assert_eq!(r.code, 1);
    assert!(
        r.out
            .contains("values.yaml:2:3: error[SL003] registry registry.example.com is not allowed"),
        "{}",
        r.out
    );
}

#[test]
fn inline_suppressions_only_count_in_comments() {
    let dir = temp("suppress");
    let text = "stackstate:\n  components:\n    all:\n      image:\n        # stackstate-lint: ignore[SL104] we ship 4.1\n        tag: 4.10\n        registry: \"quay.io # stackstate-lint: ignore[SL006]\"\n";
    std::fs::write(dir.join("values.yaml"), text).unwrap();
    let r = run_in(
        &dir,
        &[
            "--chart-version",
            "4.4.0",
            "--format",
            "compact",
            "--select",
            "SL104,SL006,SL208",
            "values.yaml",
        ],
        None,
    );
    assert!(!r.out.contains("SL104"), "{}", r.out);
    assert!(
        r.out.contains("values.yaml:7:19: error[SL006]"),
        "{}",
        r.out
    );
}

#[test]
fn suppressions_after_quoted_values_count_and_unused_ones_are_reported() {
    let dir = temp("suppress-quoted");
    let text = "global:\n  imageRegistry: \"Registry.Example.com\"  # stackstate-lint: ignore[SL006]\n\
                stackstate:\n  components:\n    all:\n      image:\n        tag: 'latest'  # stackstate-lint: ignore[SL103]\n\
                \x20       registry: 'quay.io'  # stackstate-lint: ignore[SL104] nothing to silence\n";
    std::fs::write(dir.join("values.yaml"), text).unwrap();
    let r = run_in(
        &dir,
        &[
            "--chart-version",
            "4.4.0",
            "--format",
            "compact",
            "--select",
            "SL006,SL103,SL208",
            "values.yaml",
        ],
        None,
    );
    assert_eq!(
        r.out,
        "values.yaml:4:3: warning[SL103] Kafka topic-create job is pulled as Registry.Example.com/stackstate/kafka:latest: `latest` moves: every pull may bring another image, and a mirror copies whatever it was that day\n\
         values.yaml:8:30: info[SL208] this suppression of SL104 matches no finding\n",
        "{}",
        r.err
    );
}

#[test]
fn json_report_keeps_its_contract() {
    let dir = temp("json");
    std::fs::write(dir.join("values.yaml"), UNQUOTED).unwrap();
    let r = run_in(
        &dir,
        &[
            "--chart-version",
            "4.4.0",
            "--format",
            "json",
            "--select",
            "SL104",
            "values.yaml",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "stackstate-lint");
    let f = &v["findings"][0];
    assert_eq!(f["code"], "SL104");
    assert_eq!(f["name"], "unquoted-tag");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["file"], "values.yaml");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(5), Some(14))
    );
    assert_eq!(
        (f["end_line"].as_u64(), f["end_column"].as_u64()),
        (Some(5), Some(18))
    );
    assert_eq!(f["key"], "stackstate.components.all.image.tag");
    assert_eq!(f["fix"]["safe"], true);
    assert_eq!(f["fix"]["edits"][0]["replacement"], "\"4.10\"");
    assert_eq!(v["summary"]["errors"], 1);
}

#[test]
fn human_output_points_at_the_line_without_colour() {
    let dir = temp("human");
    std::fs::write(dir.join("values.yaml"), UNQUOTED).unwrap();
    let r = run_in(
        &dir,
        &[
            "--chart-version",
            "4.4.0",
            "--select",
            "SL104",
            "values.yaml",
        ],
        None,
    );
    let expected = "\
SL104(unquoted-tag) (https://github.com/stackstate-lint/stackstate-lint/blob/main/rules/docs/SL104-unquoted-tag.md)

  × `stackstate.components.all.image.tag: 4.10` is a YAML number: Helm renders it as `4.1`, not `4.10`, in Deployment
  │ release-name-stackstate-api (stackstate/templates/deployment-api.yaml)
   ╭─[values.yaml:5:14]
 4 │       image:
 5 │         tag: 4.10
   ·              ──┬─
   ·                ╰── renders as `4.1`
   ╰────
  help: quote it: `\"4.10\"`
        note: also renders as `4.1` in Deployment release-name-stackstate-checks (stackstate/templates/deployment-
        checks.yaml)
        note: also renders as `4.1` in Deployment release-name-stackstate-correlate (stackstate/templates/deployment-
        correlate.yaml)
        note: also renders as `4.1` in Deployment release-name-stackstate-health-sync (stackstate/templates/
        deployment-healthSync.yaml)
        note: and in 11 more objects

1 error, 0 warnings in 1 file
";
    assert_eq!(r.out, expected);
    assert!(!r.out.contains('\u{1b}'));
    let coloured = run_in(
        &dir,
        &[
            "--chart-version",
            "4.4.0",
            "--color",
            "always",
            "values.yaml",
        ],
        None,
    );
    assert!(coloured.out.contains('\u{1b}'));
}

#[test]
fn explain_and_rules() {
    let dir = temp("explain");
    let r = run_in(&dir, &["explain", "SL104"], None);
    assert_eq!(r.code, 0);
    assert!(r.out.starts_with("# SL104 unquoted-tag"));
    let by_name = run_in(&dir, &["explain", "unquoted-tag"], None);
    assert_eq!(by_name.out, r.out);
    let bad = run_in(&dir, &["explain", "SL10"], None);
    assert_eq!(bad.code, 2);
    let list = run_in(&dir, &["rules"], None);
    assert_eq!(list.out.lines().count(), stackstate_lint::all_rules().len());
    assert!(
        list.out.contains("SL107  digest-required              off"),
        "{}",
        list.out
    );
}

#[test]
fn multi_document_files_differ_between_helm_3_and_4() {
    let dir = temp("multidoc");
    std::fs::write(dir.join("values.yaml"), "stackstate:\n  components:\n    all:\n      image:\n        tag: \"4.4.1\"\n---\nglobal:\n  imageRegistry: registry.example.com\n").unwrap();
    let h3 = run_in(
        &dir,
        &[
            "images",
            "--chart-version",
            "4.4.0",
            "--format",
            "plain",
            "values.yaml",
        ],
        None,
    );
    let h4 = run_in(
        &dir,
        &[
            "images",
            "--chart-version",
            "4.4.0",
            "--helm-version",
            "4",
            "--format",
            "plain",
            "values.yaml",
        ],
        None,
    );
    assert!(
        h3.out.lines().any(|l| l.starts_with("quay.io/")),
        "{}",
        h3.out
    );
    assert!(
        h4.out
            .lines()
            .any(|l| l.starts_with("registry.example.com/")),
        "{}",
        h4.out
    );
    let lint = run_in(
        &dir,
        &[
            "--chart-version",
            "4.4.0",
            "--format",
            "compact",
            "--select",
            "SL207",
            "values.yaml",
        ],
        None,
    );
    assert!(
        lint.out.contains("values.yaml:6:1: warning[SL207]"),
        "{}",
        lint.out
    );
}

#[test]
fn input_errors_become_annotations_in_github_format() {
    let dir = temp("gh-input");
    std::fs::write(dir.join("values.yaml"), "a: [1\n").unwrap();
    let r = run_in(&dir, &["--format", "github", "values.yaml"], None);
    assert_eq!(r.code, 2);
    assert!(r.out.starts_with("::error file=values.yaml,line=2,col=1,title=stackstate-lint input error::values.yaml:2:1: invalid YAML"), "{}", r.out);
    assert!(
        r.err.contains("error: values.yaml:2:1: invalid YAML"),
        "{}",
        r.err
    );
}

#[test]
fn a_broken_config_or_set_is_an_input_error_without_a_summary() {
    let dir = temp("broken");
    std::fs::write(dir.join("values.yaml"), UNQUOTED).unwrap();
    std::fs::write(dir.join(".stackstate-lint.yaml"), "rules: [SL104\n").unwrap();
    let r = run_in(&dir, &["--chart-version", "4.4.0", "values.yaml"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.err.contains(".stackstate-lint.yaml:2:1: invalid YAML"),
        "{}",
        r.err
    );
    std::fs::remove_file(dir.join(".stackstate-lint.yaml")).unwrap();
    let r = run_in(
        &dir,
        &["--chart-version", "4.4.0", "--set", "a[x]=1", "values.yaml"],
        None,
    );
    assert_eq!(r.code, 2);
    assert!(r.err.contains("--set #1 `a[x]=1`"), "{}", r.err);
    assert_eq!(r.out, "", "no summary when nothing was linted");
}

/// The files of a folder are rendered one after another on a thread that keeps what the last
/// render read (decoded templates, `fromYaml` texts, manifest heads): each file's images (with
/// the file and line each part came from) and findings in the folder are those it gets alone,
/// whatever file came before it (the same text in another file, another text, a file whose
/// render failed), on both charts' lines.
#[test]
fn each_file_of_a_folder_reports_what_it_reports_alone() {
    let file = |registry: &str, tag: &str, split: bool, extra: &str| {
        format!(
            "{extra}stackstate:\n  components:\n    all:\n      image:\n        tag: \"{tag}\"\n    server:\n      split: {split}\n{registry}"
        )
    };
    let r1 = "global:\n  imageRegistry: r1.example.com\n";
    let r2 = "global:\n  imageRegistry: r2.example.com\n";
    // The chart, its other arguments and the folder's files.
    type Case<'a> = (&'a str, &'a [&'a str], Vec<(&'a str, String)>);
    let cases: [Case; 2] = [
        (
            "4.4.0",
            &["--set", "anomaly-detection.enabled=false"],
            vec![
                ("values-a.yaml", file(r1, "latest", false, "")),
                // The same values one line lower: the same texts, another provenance.
                ("values-b.yaml", file(r1, "latest", false, "# b\n")),
                ("values-c.yaml", file(r2, "4.5.2", true, "")),
                (
                    "values-d.yaml",
                    "stackstate:\n  components:\n    all: null\n".into(),
                ),
                (
                    "values-e.yaml",
                    file("kafka:\n  enabled: false\n", "latest", false, ""),
                ),
                ("values-f.yaml", file(r2, "4.5.2", true, "# f\n")),
            ],
        ),
        (
            "suse-observability@2.10.3",
            &[],
            vec![
                ("values-a.yaml", r1.into()),
                ("values-b.yaml", format!("# b\n{r1}")),
                ("values-c.yaml", r2.into()),
            ],
        ),
    ];
    // What a chart makes up anew in every render: `randAlpha` names and `now` timestamps (a
    // 2.10.3 job is named by day, hour, minute and second).
    let made_up = regex::Regex::new(r"release-name-[a-z0-9]{5}-test|\d+t\d{6}").unwrap();
    let fixed = |s: &str| {
        made_up
            .replace_all(&s.replace("./values-", "values-"), "…")
            .into_owned()
    };
    let json = |run: &Run| -> serde_json::Value {
        serde_json::from_str(&run.out).unwrap_or_else(|e| panic!("{e}: {}{}", run.out, run.err))
    };
    let one_thread = [("STACKSTATE_LINT_JOBS", "1")];
    for (chart, extra, files) in cases {
        let dir = temp(&format!("alone-{}", chart.replace('@', "-")));
        for (name, text) in &files {
            std::fs::write(dir.join(name), text).unwrap();
        }
        let base = [&["--chart-version", chart][..], extra].concat();
        // Lint's findings, by file.
        let findings = |run: &Run| -> Vec<(String, String)> {
            json(run)["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    let name = f["file"].as_str().unwrap().trim_start_matches("./");
                    (name.to_string(), fixed(&f.to_string()))
                })
                .collect()
        };
        let lint = [&base[..], &["--format", "json", "."]].concat();
        let folder = findings(&run_env(&dir, &lint, None, &one_thread));
        for (name, _) in &files {
            let lint_alone = [&base[..], &["--format", "json", name]].concat();
            let alone = findings(&run_env(&dir, &lint_alone, None, &[]));
            let in_folder: Vec<_> = folder.iter().filter(|(f, _)| f == name).cloned().collect();
            assert_eq!(in_folder, alone, "{chart} {name}: findings");
            if *name == "values-d.yaml" {
                assert!(
                    in_folder.iter().any(|(_, f)| f.contains("SL203")),
                    "{chart}"
                );
            }
        }
        // `images` of a folder stops at a file Helm cannot render: without it, each release of
        // the folder against the file alone.
        let _ = std::fs::remove_file(dir.join("values-d.yaml"));
        let args = [&["images"][..], &base, &["--format", "json", "."]].concat();
        let folder = json(&run_env(&dir, &args, None, &one_thread));
        let releases = folder["releases"].as_array().unwrap();
        let rendered: Vec<&str> = files
            .iter()
            .map(|(n, _)| *n)
            .filter(|n| *n != "values-d.yaml")
            .collect();
        assert_eq!(releases.len(), rendered.len());
        for (release, name) in releases.iter().zip(&rendered) {
            let args = [&["images"][..], &base, &["--format", "json", name]].concat();
            let alone = json(&run_env(&dir, &args, None, &[]));
            assert_eq!(
                fixed(&release.to_string()),
                fixed(&alone["releases"][0].to_string()),
                "{chart} {name}: images"
            );
            assert!(
                release.to_string().contains(&format!("{name}:")),
                "{chart} {name}: a part from the file"
            );
        }
    }
}

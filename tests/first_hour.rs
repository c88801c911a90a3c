//! What a new user met in their first hour (issue #12): notes said once, folders for `images`,
//! a mirror plan that does not copy `4.1` silently for `tag: 4.10`, and SL101 saying when it
//! cannot check a pairing.

mod common;

use common::{run_bin, scratch};

const SPOTLIGHT_LEFT_OUT: &str = "note: the built-in stackstate 4.4.0 holds only a stand-in for its `anomaly-detection` subchart (the real one was published only at helm.stackstate.io), so it is left out: the Spotlight anomaly detector (image stackstate/spotlight) is not rendered, listed or checked; give the chart `helm pull` fetches with --chart to include it";

#[test]
fn images_takes_folders_and_says_a_shared_note_once() {
    let dir = scratch("images-dir");
    std::fs::create_dir_all(dir.join("env/.hidden")).unwrap();
    for name in [
        "values-a.yaml",
        "values-b.yaml",
        "prod-values.yaml",
        "notes.yaml",
    ] {
        std::fs::write(dir.join("env").join(name), "global: {}\n").unwrap();
    }
    std::fs::write(dir.join("env/.hidden/values.yaml"), "global: {}\n").unwrap();
    let r = run_bin(
        &dir,
        &[
            "images",
            "--chart-version",
            "4.4.0",
            "--format",
            "plain",
            "env",
        ],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let headers: Vec<&str> = r.out.lines().filter(|l| l.starts_with("# ")).collect();
    assert_eq!(
        headers,
        [
            "# env/prod-values.yaml",
            "# env/values-a.yaml",
            "# env/values-b.yaml"
        ]
    );
    // A note the three releases share is said once.
    assert_eq!(
        r.err,
        format!(
            "{SPOTLIGHT_LEFT_OUT}\n\
             note: env/prod-values.yaml, env/values-a.yaml and 1 more: the chart requires `stackstate.license.key`, `stackstate.admin.authentication.password`, `stackstate.authentication.adminPassword`, `stackstate.baseUrl` and none of these releases sets them; checked with a stand-in (pass them when installing, or Helm fails)\n"
        )
    );
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    let r = run_bin(&dir, &["images", "--format", "plain", "empty"], &[]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.err,
        "error: No values file found under empty: looked for files named values*.yaml, values*.yml, *-values.yaml, *-values.yml (--include picks other names)\n"
    );
}

#[test]
fn a_mirror_plan_warns_when_helm_renders_a_tag_other_than_written() {
    let dir = scratch("mirror-retyped");
    std::fs::write(
        dir.join("values.yaml"),
        "anomaly-detection:\n  enabled: false\nstackstate:\n  components:\n    all:\n      image:\n        tag: 4.10\n",
    )
    .unwrap();
    let r = run_bin(
        &dir,
        &[
            "images",
            "--chart-version",
            "4.4.0",
            "--mirror",
            "registry.example.com",
            "--format",
            "plain",
            "values.yaml",
        ],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(
        r.out.lines().any(|l| l
            == "quay.io/stackstate/stackstate-server-stable:4.1 -> registry.example.com/stackstate/stackstate-server-stable:4.1"),
        "{}",
        r.out
    );
    assert!(
        r.err.contains(
            "warning: values.yaml: `stackstate.components.all.image.tag: 4.10` (values.yaml:7:9) is a YAML number that Helm renders as `4.1`, so the plan copies 15 images such as quay.io/stackstate/stackstate-server-stable:4.1, as Helm would pull; if you meant 4.10, quote it (`\"4.10\"`) and plan again\n"
        ),
        "{}",
        r.err
    );
}

#[test]
fn sl101_says_when_the_stackstate_tag_is_no_known_release() {
    let dir = scratch("sl101-unknown");
    std::fs::write(
        dir.join("values.yaml"),
        "stackstate:\n  components:\n    all:\n      image:\n        tag: \"4.4.99\"\n",
    )
    .unwrap();
    let r = run_bin(
        &dir,
        &[
            "--chart-version",
            "4.4.0",
            "--format",
            "compact",
            "--select",
            "SL101",
            "values.yaml",
        ],
        &[],
    );
    assert_eq!(
        r.out,
        "values.yaml:5:9: info[SL101] StackState 4.4.99 is not a release this tool knows, so whether StackGraph 4.1.8 pairs with it is not checked\n"
    );
    assert_eq!(r.code, 0);
}

const TWO_ERRORS: &str = "global:\n  imageRegistry: https://registry.example.com/\nstackstate:\n  components:\n    all:\n      image:\n        tag: 4.10\n";

#[test]
fn human_output_wraps_between_words_with_a_blank_line_and_the_rule_url() {
    let dir = scratch("human-wrap");
    std::fs::write(dir.join("values.yaml"), TWO_ERRORS).unwrap();
    let args = [
        "--chart-version",
        "4.4.0",
        "--select",
        "SL104,SL006",
        "values.yaml",
    ];
    let r = run_bin(&dir, &args, &[("COLUMNS", "70")]);
    let expected = "\
SL006(malformed-registry) (https://github.com/stackstate-lint/stackstate-lint/blob/main/rules/docs/SL006-malformed-registry.md)

  × registry `https://registry.example.com/` has the scheme
  │ `https://` (registries are host names), a trailing `/` (the
  │ chart adds one: `…//stackstate/…`)
   ╭─[values.yaml:2:18]
 1 │ global:
 2 │   imageRegistry: https://registry.example.com/
   ·                  ──────────────┬──────────────
   ·                                ╰── malformed registry
 3 │ stackstate:
   ╰────
  help: write `global.imageRegistry: registry.example.com`

SL104(unquoted-tag) (https://github.com/stackstate-lint/stackstate-lint/blob/main/rules/docs/SL104-unquoted-tag.md)

  × `stackstate.components.all.image.tag: 4.10` is a YAML number:
  │ Helm renders it as `4.1`, not `4.10`, in Deployment release-
  │ name-stackstate-api (stackstate/templates/deployment-api.yaml)
   ╭─[values.yaml:7:14]
 6 │       image:
 7 │         tag: 4.10
   ·              ──┬─
   ·                ╰── renders as `4.1`
   ╰────
  help: quote it: `\"4.10\"`
        note: also renders as `4.1` in Deployment release-name-
        stackstate-checks (stackstate/templates/deployment-
        checks.yaml)
        note: also renders as `4.1` in Deployment release-name-
        stackstate-correlate (stackstate/templates/deployment-
        correlate.yaml)
        note: also renders as `4.1` in Deployment release-name-
        stackstate-health-sync (stackstate/templates/deployment-
        healthSync.yaml)
        note: and in 11 more objects

2 errors, 0 warnings in 1 file
";
    assert_eq!(r.out, expected);
}

#[test]
fn colour_follows_force_color_clicolor_force_no_color_and_term_dumb() {
    let dir = scratch("human-colour");
    std::fs::write(dir.join("values.yaml"), TWO_ERRORS).unwrap();
    let args = [
        "--chart-version",
        "4.4.0",
        "--select",
        "SL104",
        "values.yaml",
    ];
    let coloured = |env: &[(&str, &str)]| run_bin(&dir, &args, env).out.contains('\u{1b}');
    assert!(!coloured(&[]), "piped output has no colour by default");
    assert!(coloured(&[("FORCE_COLOR", "1")]));
    assert!(coloured(&[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(&[("FORCE_COLOR", "0")]));
    assert!(!coloured(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]));
    // On a terminal (script(1) gives one): colour, except for TERM=dumb.
    let on_tty = |term: &str| {
        let cmd = format!(
            "{} {}",
            env!("CARGO_BIN_EXE_stackstate-lint"),
            args.join(" ")
        );
        let o = std::process::Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .current_dir(&dir)
            .env("TERM", term)
            .env_remove("NO_COLOR")
            .env_remove("FORCE_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .output();
        o.ok()
            .filter(|o| o.status.success() || o.status.code() == Some(1))
            .map(|o| String::from_utf8_lossy(&o.stdout).contains('\u{1b}'))
    };
    match (on_tty("xterm"), on_tty("dumb")) {
        (Some(xterm), Some(dumb)) => {
            assert!(xterm, "a terminal gets colour");
            assert!(!dumb, "TERM=dumb gets none");
        }
        _ => println!("skipped: script(1) is not available to give a terminal"),
    }
}

#[test]
fn findings_with_one_cause_give_one_annotation_for_the_cause() {
    let dir = scratch("grouped");
    std::fs::write(
        dir.join("values.yaml"),
        "global:\n  imageRegistry: https://registry.example.com/\nanomaly-detection:\n  enabled: false\n",
    )
    .unwrap();
    let args = [
        "--chart-version",
        "4.5.0",
        "--format",
        "github",
        "values.yaml",
    ];
    let r = run_bin(&dir, &args, &[]);
    assert_eq!(r.code, 1);
    let errors: Vec<&str> = r.out.lines().filter(|l| l.starts_with("::error")).collect();
    let titles: Vec<&str> = errors
        .iter()
        .map(|l| {
            l.split("title=")
                .nth(1)
                .unwrap()
                .split("::")
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(
        titles,
        ["SL002 registry-ignores-global", "SL006 malformed-registry"],
        "{}",
        r.out
    );
    assert!(errors[1].contains(
        "(this causes 19 SL106 (invalid-reference) findings too, one per image it breaks; --format json lists them)"
    ), "{}", errors[1]);
    // JSON keeps every finding, each consequence naming its cause.
    let json = run_bin(
        &dir,
        &[
            "--chart-version",
            "4.5.0",
            "--format",
            "json",
            "values.yaml",
        ],
        &[],
    );
    let v: serde_json::Value = serde_json::from_str(&json.out).unwrap();
    let caused: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["caused_by"].is_null())
        .collect();
    assert_eq!(caused.len(), 19);
    assert!(caused.iter().all(|f| f["code"] == "SL106"
        && f["caused_by"] == serde_json::json!({"code": "SL006", "line": 2, "column": 18})));
    assert_eq!(v["summary"]["errors"], 21);
}

#[test]
fn the_images_table_fits_the_terminal() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for columns in [80usize, 120, 200] {
        let r = run_bin(
            root,
            &[
                "images",
                "--format",
                "table",
                "examples/air-gapped/values.yaml",
            ],
            &[("COLUMNS", &columns.to_string())],
        );
        assert_eq!(r.code, 0, "{}", r.err);
        assert!(
            r.out.contains(
                "\n  registry: global.imageRegistry @ examples/air-gapped/values.yaml:5:3"
            ) || columns > 100,
            "{}",
            r.out
        );
        for line in r.out.lines().filter(|l| l.chars().count() > columns) {
            // Only what cannot break may overflow: one reference, or one part's key and place.
            let body = line.trim_start();
            assert!(
                !body.contains("  ") && !body.contains(": ") || body.matches(": ").count() == 1,
                "{columns} columns: {line}"
            );
        }
        let widest = r.out.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(
            widest <= columns.max(125),
            "{columns} columns: a line of {widest}"
        );
    }
}

/// Audit 46's first-hour messages: a config's chart with no version, a config that is no UTF-8
/// (with its place), a folder as config, release names `images` cannot use, and a render given
/// two release names.
#[test]
fn first_hour_messages_name_what_was_wrong() {
    let dir = scratch("first-hour-messages");
    std::fs::write(dir.join("values.yaml"), "global: {}\n").unwrap();
    std::fs::write(dir.join("no-version.yaml"), "chart: \"@@@\"\n").unwrap();
    std::fs::write(dir.join("latin1.yaml"), b"select:\n  - SL001 # \xe9\n").unwrap();
    std::fs::create_dir_all(dir.join("conf")).unwrap();
    let lint = |args: &[&str]| run_bin(&dir, args, &[]);

    let r = lint(&["--config", "no-version.yaml", "values.yaml"]);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(
        r.err.contains(
            "no-version.yaml:1:8: `@@@` names no version: write CHART@VERSION (built in: stackstate, suse-observability, stackstate-k8s), e.g. suse-observability@2.10.3"
        ),
        "{}",
        r.err
    );

    let r = lint(&["--config", "latin1.yaml", "values.yaml"]);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(
        r.err.contains(
            "latin1.yaml: cannot read config: not UTF-8 text (invalid byte 0xe9 at line 2, column 13)"
        ),
        "{}",
        r.err
    );

    let r = lint(&["--config", "conf", "values.yaml"]);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(
        r.err
            .contains("conf: cannot read config: is a folder, not a file"),
        "{}",
        r.err
    );

    // Every command that renders refuses a name Helm refuses: images, its mirror plan, lint
    // and upgrade.
    let commands: [&[&str]; 4] = [
        &["images"],
        &["images", "--mirror", "reg.example"],
        &["lint"],
        &["upgrade", "--to", "4.5.0"],
    ];
    for (name, command) in ["UPPER", &"a".repeat(54), "a..b", "Bad_Name"]
        .into_iter()
        .zip(commands.iter().cycle())
    {
        let mut args = command.to_vec();
        args.extend([
            "--chart-version",
            "4.4.0",
            "--release-name",
            name,
            "values.yaml",
        ]);
        let r = lint(&args);
        assert_eq!(r.code, 2, "{command:?} {name}: {}", r.err);
        assert!(r.out.is_empty(), "{}", r.out);
        assert!(
            r.err.contains(&format!(
                "--release-name: release name \"{name}\": invalid release name"
            )),
            "{}",
            r.err
        );
    }

    // A byte order mark is no column: a key at the start of line 1 is in column 1 (audit 47).
    std::fs::write(dir.join("bom.yaml"), "\u{feff}kafkaa: 1\n").unwrap();
    let r = lint(&[
        "--chart-version",
        "5.1.15",
        "--format",
        "compact",
        "bom.yaml",
    ]);
    assert!(
        r.out.starts_with("bom.yaml:1:1: warning[SL202] `kafkaa`"),
        "{}",
        r.out
    );

    // `--mirror` refuses upper case, as SL006 refuses it in a values file (audit 47).
    let r = lint(&[
        "images",
        "--chart-version",
        "5.1.15",
        "--mirror",
        "Reg.Example",
    ]);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(
        r.err.contains(
            "--mirror: `Reg.Example` has upper case in its host; write it in lower case: `reg.example`"
        ),
        "{}",
        r.err
    );

    let r = lint(&[
        "render",
        "foo",
        "--chart-version",
        "4.4.0",
        "--release-name",
        "bar",
    ]);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(
        r.err
            .contains("render: both a NAME argument and --release-name given"),
        "{}",
        r.err
    );
}

/// A `--chart` whose Chart.yaml names a dependency its charts/ lacks is the chart's fault: lint
/// and images stop with exit 2 naming the chart (the values file was blamed as SL105), render
/// fails as Helm does.
#[test]
fn a_chart_missing_a_dependency_is_an_input_error_of_the_chart() {
    let dir = scratch("missing-dependency");
    std::fs::create_dir_all(dir.join("deps/templates")).unwrap();
    std::fs::write(
        dir.join("deps/Chart.yaml"),
        "apiVersion: v2\nname: deps\nversion: 0.1.0\ndependencies:\n- name: outsider\n  version: 0.1.0\n  repository: file://../outsider\n",
    )
    .unwrap();
    std::fs::write(dir.join("deps/values.yaml"), "a: 1\n").unwrap();
    std::fs::write(
        dir.join("deps/templates/cm.yaml"),
        "kind: ConfigMap\ndata:\n  a: {{ .Values.a | quote }}\n",
    )
    .unwrap();
    std::fs::write(dir.join("values.yaml"), "a: 2\n").unwrap();
    let want = "error: deps: chart deps 0.1.0: its Chart.yaml names the dependency `outsider`, which charts/ does not hold; Helm renders nothing with this chart (run `helm dependency build deps` first)";
    for args in [
        &["--chart", "deps", "values.yaml"][..],
        &["images", "--chart", "deps", "values.yaml"],
        &[
            "images",
            "--chart",
            "deps",
            "--mirror",
            "r.example",
            "values.yaml",
        ],
    ] {
        let r = run_bin(&dir, args, &[]);
        assert_eq!(r.code, 2, "{args:?}: {}", r.err);
        assert_eq!(r.err.trim(), want, "{args:?}");
        assert!(r.out.is_empty(), "{args:?}: {}", r.out);
    }
    let r = run_bin(&dir, &["render", "x", "--chart", "deps"], &[]);
    assert_eq!(r.code, 1, "{}", r.err);
    assert_eq!(
        r.err.trim(),
        "Error: An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: outsider"
    );
}

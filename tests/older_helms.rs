//! `--helm-version` of an older Helm: its Go reads and runs the chart's templates (`break`,
//! `and` evaluating every argument), its function map and its value flags are the ones the tool
//! holds the chart to. Each expectation is what that Helm's `helm template` did with the same
//! chart and values (Helm 3.9.4, built with Go 1.17; 3.11.1 with Go 1.18; 3.17.3).

mod common;

use common::{Run, run_bin, scratch};
use serde_json::Value;

const MINIMAL_2_10: &str = "stackstate:\n  baseUrl: http://observability.example.com\n  \
                            authentication:\n    adminPassword: dummy-password\n";

const MINIMAL_4_X: &str = "stackstate:\n  baseUrl: http://stackstate.example.com\n  license:\n    \
                           key: dummy-license\n  admin:\n    authentication:\n      password: \
                           dummy-admin\n  authentication:\n    adminPassword: dummy-password\n";

/// `images` of `values.yaml` in `dir` with the built-in `chart` under Helm `helm`.
fn images(dir: &std::path::Path, chart: &str, helm: &str, extra: &[&str]) -> Run {
    let mut args = vec!["images", "--chart-version", chart, "--helm-version", helm];
    args.extend_from_slice(extra);
    args.push("values.yaml");
    run_bin(dir, &args, &[])
}

/// A scratch folder holding the chart `x` (values `a: 1`), for [`render_template`].
fn template_chart(name: &str) -> common::ScratchDir {
    let dir = scratch(name);
    let chart = dir.join("x");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: x\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(chart.join("values.yaml"), "a: 1\n").unwrap();
    dir
}

/// `render` of chart `x` in `dir` with `template` as its one template, under Helm `helm`.
fn render_template(dir: &std::path::Path, template: &str, helm: &str) -> Run {
    std::fs::write(dir.join("x/templates/t.yaml"), template).unwrap();
    run_bin(
        dir,
        &["render", "x", "--chart", "x", "--helm-version", helm],
        &[],
    )
}

/// suse-observability 2.10.3's helpers `break` out of a `range`: Helm 3.9 stops at parsing, and
/// lint says which Helm reads the chart.
#[test]
fn a_chart_using_break_fails_under_a_helm_built_before_go_1_18() {
    let dir = scratch("older-helm-break");
    std::fs::write(dir.join("values.yaml"), MINIMAL_2_10).unwrap();
    let lint = |helm: &str| {
        run_bin(
            &dir,
            &[
                "--chart-version",
                "suse-observability@2.10.3",
                "--helm-version",
                helm,
                "--format",
                "json",
                "values.yaml",
            ],
            &[],
        )
    };
    let r = lint("3.9.4");
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
    let doc: Value = serde_json::from_str(&r.out).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{}", r.out);
    let f = &findings[0];
    assert_eq!(f["code"], "SL105");
    assert_eq!(f["line"], 1);
    assert_eq!(
        f["message"],
        "Helm cannot render this release: parse error at \
         (suse-observability/templates/_helper.tpl:905): function \"break\" not defined"
    );
    assert_eq!(
        f["help"],
        "Helm 3.9 cannot read this chart: it uses `{{break}}` (Go 1.18), which Helm 3.10 reads; \
         use a newer Helm (and `--helm-version`) or a chart version written for yours"
    );
    for newer in ["3.10.0", "3.11.1", "3"] {
        let r = lint(newer);
        assert!(!r.out.contains("not defined"), "{newer}: {}", r.out);
        assert_ne!(r.code, 2, "{newer}: {}", r.err);
    }
    let r = images(&dir, "suse-observability@2.10.3", "3.9", &[]);
    assert_eq!(r.code, 1, "{}", r.out);
    assert!(
        r.err.contains("function \"break\" not defined"),
        "{}",
        r.err
    );
}

/// suse-observability 2.10.3 compares `.Capabilities.HelmVersion.Version` with 3.13.1 and
/// fails below it (Helm 3.11.1 printed this message); 3.13.1 renders. The failing action reads
/// no value, so lint blames none.
#[test]
fn a_chart_that_asks_for_a_newer_helm_fails_under_an_older_one() {
    let dir = scratch("older-helm-version");
    std::fs::write(dir.join("values.yaml"), MINIMAL_2_10).unwrap();
    let want = "execution error at (suse-observability/templates/global/configmap-otel-collector.yaml:21:4): \
                Helm version should at least be 3.13.1 to support opentelemetry. Upgrade helm to a \
                supported version.";
    let r = images(&dir, "suse-observability@2.10.3", "3.11.1", &[]);
    assert_eq!(r.code, 1, "{}", r.out);
    assert!(r.err.contains(want), "{}", r.err);
    let r = run_bin(
        &dir,
        &[
            "--chart-version",
            "suse-observability@2.10.3",
            "--helm-version",
            "3.12",
            "--format",
            "json",
            "values.yaml",
        ],
        &[],
    );
    let doc: Value = serde_json::from_str(&r.out).unwrap();
    let f = &doc["findings"][0];
    assert_eq!(
        f["message"],
        format!("Helm cannot render this release: {want}")
    );
    assert_eq!(f["key"], Value::Null, "{}", r.out);
    let r = images(&dir, "suse-observability@2.10.3", "3.13.1", &[]);
    assert_eq!(r.code, 0, "{}", r.err);
}

/// Before Helm 3.14 `tpl` rendered its text as the template its data's `.Template.Name` names
/// (requiring `.Template`), and worded its errors as a render's; each expectation is what Helm
/// 3.9.4 and 3.11.1 printed (3.17.3's for the last).
#[test]
fn tpl_before_helm_3_14_renders_as_its_callers_template() {
    let dir = template_chart("older-helm-tpl");
    let render = |template: &str, helm: &str| {
        let r = render_template(&dir, template, helm);
        r.err.lines().next().unwrap_or_default().to_string()
    };
    let at = |call: &str| {
        format!(
            "Error: template: x/templates/t.yaml:1:3: executing \"x/templates/t.yaml\" at <{call}>: \
             error calling tpl: "
        )
    };
    for helm in ["3.9.4", "3.11.1"] {
        assert_eq!(
            render(r#"{{ tpl "{{ fail \"boom\" }}" . }}"#, helm),
            format!(
                "{}error during tpl function execution for \"{{{{ fail \\\"boom\\\" }}}}\": \
                 execution error at (x/templates/t.yaml:1:3): boom",
                at(r#"tpl "{{ fail \"boom\" }}" ."#)
            )
        );
        assert_eq!(
            render(r#"{{ tpl "{{ .x.y.z }}" . }}"#, helm),
            format!(
                "{}error during tpl function execution for \"{{{{ .x.y.z }}}}\": template: \
                 x/templates/t.yaml:1:5: executing \"x/templates/t.yaml\" at <.x.y.z>: nil pointer \
                 evaluating interface {{}}.y",
                at(r#"tpl "{{ .x.y.z }}" ."#)
            )
        );
        assert_eq!(
            render(r#"{{ tpl "x" (dict) }}"#, helm),
            format!(
                "{}cannot retrieve Template.Basepath from values inside tpl function: x: \
                 \"BasePath\" is not a value",
                at(r#"tpl "x" (dict)"#)
            )
        );
    }
    assert_eq!(
        render(r#"{{ tpl "{{ fail \"boom\" }}" . }}"#, "3.17.3"),
        "Error: execution error at (x/templates/t.yaml:1:3): boom"
    );
    // The caller's own `define`s are not there; another file's win over the text's.
    std::fs::write(
        dir.join("x/templates/_h.tpl"),
        r#"{{ define "hh" }}HH{{ end }}"#,
    )
    .unwrap();
    let own = r#"{{ define "dd" }}DD{{ end }}a: {{ tpl "{{ include \"dd\" . }}" . }}"#;
    assert!(
        render(own, "3.13.2").ends_with(
            "error calling include: template: no template \"dd\" associated with template \"gotpl\""
        ),
        "{}",
        render(own, "3.13.2")
    );
    let text_define = r#"a: {{ tpl "{{ define \"hh\" }}TEXT{{ end }}{{ include \"hh\" . }}" . }}"#;
    for (helm, want) in [("3.13.2", "a: HH"), ("3.14.0", "a: TEXT")] {
        let r = render_template(&dir, text_define, helm);
        assert_eq!(r.out.lines().last(), Some(want), "{helm}: {}", r.err);
    }
    assert_eq!(
        render_template(&dir, own, "3.14.0").out.lines().last(),
        Some("a: DD")
    );
}

/// Before Go 1.18 `and` evaluates every argument: stackstate 4.4.0's `pdb-backup.yaml` reads
/// `.Values.backup.stackGraph.restore.enabled` even with backups off, so a string there fails
/// the render under Helm 3.9.4 and renders under 3.11.1.
#[test]
fn and_evaluates_every_argument_under_a_helm_built_before_go_1_18() {
    let dir = scratch("older-helm-and");
    std::fs::write(
        dir.join("values.yaml"),
        format!("{MINIMAL_4_X}backup:\n  stackGraph:\n    restore: '-'\n"),
    )
    .unwrap();
    let render = |helm: &str| {
        run_bin(
            &dir,
            &[
                "render",
                "stackstate",
                "--chart-version",
                "stackstate@4.4.0",
                "--helm-version",
                helm,
                "-f",
                "values.yaml",
                "--set",
                "anomaly-detection.enabled=false",
            ],
            &[],
        )
    };
    let r = render("3.9.4");
    assert_eq!(r.code, 1, "{}", r.err);
    assert!(
        r.err.contains(
            "Error: template: stackstate/templates/pdb-backup.yaml:1:45: executing \
             \"stackstate/templates/pdb-backup.yaml\" at <.Values.backup.stackGraph.restore.enabled>: \
             can't evaluate field enabled in type interface {}"
        ),
        "{}",
        r.err
    );
    let r = render("3.11.1");
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(
        r.out.contains("# Source: stackstate/templates/"),
        "{}",
        r.out
    );
}

/// `--set-json` came with Helm 3.10 and `--set-literal` with 3.12: an older Helm stops with
/// "unknown flag", so the tool refuses the command as an input error.
#[test]
fn value_flags_an_older_helm_lacks_are_refused() {
    let dir = scratch("older-helm-flags");
    std::fs::write(dir.join("values.yaml"), MINIMAL_4_X).unwrap();
    for (helm, flag, since) in [
        ("3.9.4", "--set-json", "3.10"),
        ("3.11", "--set-literal", "3.12"),
    ] {
        let r = images(&dir, "4.4.0", helm, &[flag, "a=1"]);
        assert_eq!(r.code, 2, "{}", r.out);
        assert_eq!(
            r.err.trim(),
            format!(
                "error: {flag}: Helm {helm} has no {flag} (Helm {since} added it): `helm template` \
                 would stop with \"unknown flag: {flag}\""
            )
        );
    }
    let r = images(&dir, "4.4.0", "3.10.0", &["--set-json", "a=1"]);
    assert_eq!(r.code, 0, "{}", r.err);
    // `render`'s --skip-schema-validation came with Helm 3.16.
    let render = |helm: &str| {
        let args = [
            "render",
            "x",
            "--chart-version",
            "4.4.0",
            "-f",
            "values.yaml",
        ];
        let mut args = args.to_vec();
        args.extend(["--skip-schema-validation", "--helm-version", helm]);
        run_bin(&dir, &args, &[])
    };
    let r = render("3.15.4");
    assert_eq!(r.code, 2, "{}", r.out);
    assert_eq!(
        r.err.trim(),
        "error: --skip-schema-validation: Helm 3.15 has no --skip-schema-validation (Helm 3.16 \
         added it): `helm template` would stop with \"unknown flag: --skip-schema-validation\""
    );
    assert_eq!(render("3.16.1").code, 0);
}

/// Before Go 1.20 `eq` checks only its first operand's type, and says so in other words
/// (Helm 3.9.4 and 3.11.1 against 3.12.1 and 3.17.3).
#[test]
fn eq_of_values_go_cannot_compare_is_worded_as_the_helms_go_words_it() {
    let dir = template_chart("older-helm-eq");
    let render = |template: &str, helm: &str| {
        let r = render_template(&dir, template, helm);
        let first = r.err.lines().next().unwrap_or_default().to_string();
        first
            .split_once("error calling eq: ")
            .map_or(first.clone(), |(_, m)| m.to_string())
    };
    for helm in ["3.9.4", "3.11.1"] {
        assert_eq!(
            render("{{ eq (dict) (list) }}", helm),
            "uncomparable type map[string]interface {}: map[]"
        );
        assert_eq!(
            render("{{ eq .Files .Files }}", helm),
            "uncomparable type engine.files: map[]"
        );
    }
    for helm in ["3.12.1", "3.17.3"] {
        assert_eq!(
            render("{{ eq (dict) (list) }}", helm),
            "non-comparable types map[]: map[string]interface {}, []interface {}: []"
        );
        assert_eq!(
            render("{{ eq .Files .Files }}", helm),
            "non-comparable type map[]: engine.files"
        );
    }
}

/// A chart name with a path in it was taken up to Helm 3.14.0 (Helm 3.14.0 rendered it,
/// 3.14.4 refused it in these words; a chart Helm refuses is an input error here, exit 2).
#[test]
fn a_chart_name_with_a_path_is_refused_from_helm_3_14_1() {
    let dir = scratch("older-helm-name");
    let chart = dir.join("x");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: \"a/b\"\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(chart.join("templates/t.yaml"), "a: {{ .Chart.Name }}\n").unwrap();
    let render = |helm: &str| {
        run_bin(
            &dir,
            &["render", "x", "--chart", "x", "--helm-version", helm],
            &[],
        )
    };
    let old = render("3.14.0");
    assert_eq!(
        (old.code, old.out.lines().last()),
        (0, Some("a: a/b")),
        "{}",
        old.err
    );
    let new = render("3.14.4");
    assert_eq!(new.code, 2, "{}", new.out);
    assert!(
        new.err
            .contains("validation: chart.metadata.name \"a/b\" is invalid"),
        "{}",
        new.err
    );
}

/// Before 3.13 Helm coalesced on the charts' own maps: a null in the parent's values.yaml over
/// a subchart default is consumed by the pass that decides the subcharts (the default comes
/// back), a switched-off subchart's table in the parent takes its defaults, two aliases share
/// one values map, and the parent's values win over imported ones. Each expectation is what
/// that Helm's `helm template r oldcoalesce -f oldcoalesce/user.yaml` printed (3.9.4 and 3.11.1
/// printed 3.12.1's; Helm 4.1.4 also writes a parent's nulls into a twice-imported table).
#[test]
fn values_coalesce_as_each_helm_release_coalesced_them() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render");
    for (helm, expected) in [
        ("3.9.4", "3.12.1"),
        ("3.11.1", "3.12.1"),
        ("3.12.1", "3.12.1"),
        ("3.13.2", "3.13.2"),
        ("3.17.3", "3.17.3"),
        ("4.1.4", "4.1.4"),
    ] {
        let run = run_bin(
            &fixture,
            &[
                "render",
                "r",
                "--chart",
                "oldcoalesce",
                "-f",
                "oldcoalesce/user.yaml",
                "--helm-version",
                helm,
            ],
            &[],
        );
        let want =
            std::fs::read_to_string(fixture.join(format!("oldcoalesce/expected-{expected}.yaml")))
                .unwrap();
        assert_eq!((run.code, run.err.as_str()), (0, ""), "Helm {helm}");
        assert_eq!(run.out, want, "Helm {helm}");
    }
}

/// Helm's import step merges a chart's values with its subcharts' before the user's are
/// coalesced, nulls kept: a value that is no map where a subchart's values belong fails there,
/// even when the user's null deleted it for the other passes (Helm 3.12.1, 3.17.3 and 4.1.4
/// all fail in these words), and a broken subchart is reported in each release's words.
#[test]
fn a_scalar_where_a_subcharts_values_belong_fails_in_the_import_step() {
    let dir = scratch("older-helm-import-mismatch");
    let chart = dir.join("p");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::create_dir_all(chart.join("charts/s/templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: p\nversion: 0.1.0\ndependencies:\n- name: s\n  version: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(chart.join("values.yaml"), "s: 5\n").unwrap();
    std::fs::write(
        chart.join("templates/t.yaml"),
        "top: {{ toJson .Values }}\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("charts/s/Chart.yaml"),
        "apiVersion: v2\nname: s\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(chart.join("charts/s/values.yaml"), "a: 1\n").unwrap();
    std::fs::write(dir.join("u.yaml"), "s: null\n").unwrap();
    let render = |helm: &str| {
        run_bin(
            &dir,
            &[
                "render",
                "r",
                "--chart",
                "p",
                "-f",
                "u.yaml",
                "--helm-version",
                helm,
            ],
            &[],
        )
    };
    for helm in ["3.12.1", "3.17.3"] {
        let run = render(helm);
        assert_eq!(
            (run.code, run.err.as_str()),
            (1, "Error: type mismatch on s: %!t(float64=5)\n"),
            "Helm {helm}: {}",
            run.out
        );
    }
    let run = render("4.1.4");
    assert_eq!(run.code, 1, "{}", run.out);
    assert!(
        run.err.ends_with(
            "Error: chart dependencies processing failed: type mismatch on s: %!t(float64=5)\n"
        ),
        "{}",
        run.err
    );
    std::fs::write(
        chart.join("charts/s/Chart.yaml"),
        "apiVersion: v2\nname: s\n  x\n",
    )
    .unwrap();
    for (helm, words) in [
        ("3.12.1", "error unpacking s in p"),
        ("3.17.3", "error unpacking subchart s in p"),
    ] {
        let run = render(helm);
        assert_ne!(run.code, 0, "Helm {helm}");
        assert!(
            run.err.contains(&format!(
                "{words}: validation: chart.metadata.version is required"
            )),
            "Helm {helm}: {}",
            run.err
        );
    }
}

/// `images` and lint read a `--chart` with the release's loader too: Helm 3.19's semver admits
/// the subchart's prerelease for the aliased dependency (its values come from `aliased`), Helm
/// 3.18's does not (the subchart renders under its own name), as `render` shows.
#[test]
fn images_of_a_chart_pair_its_dependencies_by_the_releases_semver() {
    let dir = scratch("older-helm-images-semver");
    let chart = dir.join("p");
    std::fs::create_dir_all(chart.join("charts/sub/templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: p\nversion: 0.1.0\ndependencies:\n- name: sub\n  \
         version: \">=1.0.0-0, <2.0.0\"\n  alias: aliased\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("values.yaml"),
        "sub:\n  image: reg.example.com/sub:1\naliased:\n  image: reg.example.com/aliased:1\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("charts/sub/Chart.yaml"),
        "apiVersion: v2\nname: sub\nversion: 1.5.0-rc.1\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("charts/sub/templates/pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: c\n    \
         image: {{ .Values.image }}\n",
    )
    .unwrap();
    std::fs::write(dir.join("values.yaml"), "{}\n").unwrap();
    for (helm, image) in [
        ("3.18.0", "reg.example.com/sub:1"),
        ("3.19.0", "reg.example.com/aliased:1"),
    ] {
        let run = run_bin(
            &dir,
            &[
                "images",
                "--chart",
                "p",
                "--helm-version",
                helm,
                "values.yaml",
            ],
            &[],
        );
        assert_eq!(
            (run.code, run.out.trim()),
            (0, image),
            "Helm {helm}: {}",
            run.err
        );
    }
}

/// An import that puts a child's table inside itself twice (`parent: s.data.x` and
/// `s.data.y`) doubles the merging work at every level: Helm 3.12.1 never ends (killed after
/// 20 s); under that release the render stops on its step budget with a message and exit
/// code 2, as every budget of the tool's own stops `render`, `images` and lint.
#[test]
fn an_import_into_its_own_table_stops_on_the_budget_before_helm_3_13() {
    let dir = scratch("older-helm-import-cycle");
    let chart = dir.join("p");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::create_dir_all(chart.join("charts/s")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: p\nversion: 0.1.0\ndependencies:\n- name: s\n  version: 0.1.0\n  \
         import-values:\n  - child: data\n    parent: s.data.x\n  - child: data\n    parent: s.data.y\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("charts/s/Chart.yaml"),
        "apiVersion: v2\nname: s\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(chart.join("charts/s/values.yaml"), "data:\n  a: 1\n").unwrap();
    std::fs::write(chart.join("templates/t.yaml"), "x: 1\n").unwrap();
    std::fs::write(dir.join("v.yaml"), "a: 1\n").unwrap();
    let helm = ["--chart", "p", "--helm-version", "3.12.1"];
    for command in [&["render", "r"][..], &["images", "v.yaml"], &["v.yaml"]] {
        let args: Vec<&str> = command.iter().chain(&helm).copied().collect();
        let run = run_bin(&dir, &args, &[]);
        assert_eq!(run.code, 2, "{command:?}: {}", run.out);
        assert!(
            run.err
                .contains("stackstate-lint stopped the render: the values take more than"),
            "{command:?}: {}",
            run.err
        );
    }
}

/// Helm 4.2 leaves the last document of a template untrimmed at its end (helm/helm #31952):
/// `helm template` prints its trailing line breaks and spaces; documents that end before a
/// `---` and `--show-only`'s documents of the printed text are trimmed as before. Expectations
/// printed by Helm 3.17.3 (4.1.4 printed the same) and 4.2.3.
#[test]
fn each_helm_trims_the_documents_of_a_template_as_it_did() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render");
    for (helm, show_only, expected) in [
        ("3.17.3", false, "3.17.3"),
        ("4.1.4", false, "3.17.3"),
        ("4.2.3", false, "4.2.3"),
        ("4.2.3", true, "4.2.3-show-only"),
    ] {
        let mut args = vec!["render", "r", "--chart", "docends", "--helm-version", helm];
        if show_only {
            args.extend(["-s", "templates/a.yaml", "-s", "templates/b.yaml"]);
        }
        let run = run_bin(&fixture, &args, &[]);
        let want =
            std::fs::read_to_string(fixture.join(format!("docends/expected-{expected}.yaml")))
                .unwrap();
        assert_eq!((run.code, run.err.as_str()), (0, ""), "Helm {helm}");
        assert_eq!(run.out, want, "Helm {helm} --show-only {show_only}");
    }
}

/// What each Helm logs while it coalesces (`coalesce.go`: a table meeting a value that is none,
/// a chart default that is no table under the user's table), twice when the chart declares its
/// dependencies, with a condition's warning between the passes: the key named by its whole
/// path, the value in Go's `%v` (`1e+06`, `map[m:1]`); Helm 4 through slog. Compared as sets of
/// lines, since Go walks a map in a random order. Expectations printed by Helm 3.9.4 (as
/// 3.12.1), 3.12.1, 3.13.2, 3.17.3, 4.1.4 and 4.2.3 (as 4.1.4).
#[test]
fn each_helm_logs_its_coalescing_warnings() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render");
    let read =
        |name: &str| std::fs::read_to_string(fixture.join("coalescelog").join(name)).unwrap();
    let sorted = |text: &str| {
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        lines.sort();
        lines
    };
    for (helm, stdout, stderr) in [
        ("3.9.4", "3.12.1", "3.12.1"),
        ("3.12.1", "3.12.1", "3.12.1"),
        ("3.13.2", "3.12.1", "3.13.2"),
        ("3.17.3", "3.12.1", "3.17.3"),
        ("4.1.4", "3.12.1", "4.1.4"),
        ("4.2.3", "4.2.3", "4.1.4"),
    ] {
        let run = run_bin(
            &fixture,
            &[
                "render",
                "r",
                "--chart",
                "coalescelog",
                "-f",
                "coalescelog/user.yaml",
                "--helm-version",
                helm,
            ],
            &[],
        );
        assert_eq!(run.code, 0, "Helm {helm}: {}", run.err);
        assert_eq!(
            run.out,
            read(&format!("expected-{stdout}.yaml")),
            "Helm {helm}"
        );
        let want = read(&format!("stderr-{stderr}.txt"));
        assert_eq!(sorted(&run.err), sorted(&want), "Helm {helm}");
        assert_eq!(run.err.lines().count(), 16, "Helm {helm}");
    }
}

/// Nulls in the charts' own values and the user's, release by release: before 3.13 a parent's
/// null over a subchart default is consumed by the first pass (the default comes back); 3.17.1
/// keeps a parent's nulls for a subchart; Helm 4 keeps a subchart's own null under its table;
/// 4.2 drops the charts' own nulls while coalescing (`cleanNilValues`: the top chart's `b: null`
/// and `a.x: null` are gone). Four releases, four outputs, each what that Helm printed.
#[test]
fn nulls_coalesce_as_each_helm_release_coalesced_them() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render");
    for helm in ["3.12.1", "3.17.3", "4.1.4", "4.2.3"] {
        let run = run_bin(
            &fixture,
            &[
                "render",
                "r",
                "--chart",
                "nulls",
                "-f",
                "nulls/user.yaml",
                "--helm-version",
                helm,
            ],
            &[],
        );
        let want =
            std::fs::read_to_string(fixture.join(format!("nulls/expected-{helm}.yaml"))).unwrap();
        assert_eq!((run.code, run.err.as_str()), (0, ""), "Helm {helm}");
        assert_eq!(run.out, want, "Helm {helm}");
    }
}

/// A subchart under a parent that declares no dependencies is never processed by Helm
/// (`processDependencyEnabled` stops at the parent): its own dependency stays under its
/// chart's name, its condition is not read (the switched-off `lf` renders), and its
/// `import-values` import under that name. Every Helm from 3.9.4 to 4.2.3 printed the same
/// values (4.2.3 with its blank line after each template's last document).
#[test]
fn imports_below_a_parent_that_declares_no_dependencies_use_the_charts_names() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render");
    for (helm, expected) in [
        ("3.9.4", "3.17.3"),
        ("3.12.1", "3.17.3"),
        ("3.17.3", "3.17.3"),
        ("4.1.4", "3.17.3"),
        ("4.2.3", "4.2.3"),
    ] {
        let run = run_bin(
            &fixture,
            &[
                "render",
                "r",
                "--chart",
                "undeclared",
                "--helm-version",
                helm,
            ],
            &[],
        );
        let want =
            std::fs::read_to_string(fixture.join(format!("undeclared/expected-{expected}.yaml")))
                .unwrap();
        assert_eq!((run.code, run.err.as_str()), (0, ""), "Helm {helm}");
        assert_eq!(run.out, want, "Helm {helm}");
    }
}

//! `render` on runaway templates: Helm's own limits fail as Helm fails (exit 1); the engine's
//! budgets stop the render with the template and line and exit 2, never a hang or a crash.

use std::path::Path;
use std::process::Command;

fn chart(dir: &Path, template: &str) {
    std::fs::create_dir_all(dir.join("templates")).expect("mkdir");
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: runaway\nversion: 0.1.0\n",
    )
    .expect("Chart.yaml");
    std::fs::write(dir.join("templates/x.yaml"), template).expect("template");
}

fn render(template: &str, name: &str) -> (i32, String) {
    // Tests run in parallel, some under the same name: each call gets its own folder.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!(
        "stackstate-lint-budget-{}-{name}-{call}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    chart(&dir, template);
    let out = Command::new(env!("CARGO_BIN_EXE_stackstate-lint"))
        .args(["render", "rel"])
        .arg(&dir)
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.stdout.is_empty(), "no manifest on failure");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_include_inside_itself_fails_as_helm_fails() {
    let (code, err) = render(
        "{{- define \"r\" }}{{ include \"r\" . }}{{ end }}\na: {{ include \"r\" . }}\n",
        "include",
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.starts_with("Error: template: runaway/templates/x.yaml:2:6: executing \"runaway/templates/x.yaml\" at <include \"r\" .>: error calling include: "));
    assert!(
        err.contains(
            "rendering template has a nested reference name: r: unable to execute template"
        )
    );
}

/// Go stops `template` actions 100000 deep within one execution; `include` and `tpl` each
/// start their own (Helm calls Go's `ExecuteTemplate`), so the depth counts from their call.
/// Expectations printed by Helm 3.17.3.
#[test]
fn a_template_calling_itself_fails_at_gos_depth_as_helm_fails() {
    const DEFINE: &str = "{{- define \"r\" }}{{ template \"r\" . }}{{ end }}\n";
    const AT: &str = "template: runaway/templates/x.yaml:1:29: executing \"r\" at \
                      <{{template \"r\" .}}>: exceeded maximum template depth (100000)";
    const CALLER: &str =
        "template: runaway/templates/x.yaml:2:6: executing \"runaway/templates/x.yaml\" at";
    for (call, name, wrap) in [
        ("{{ template \"r\" . }}", "template", String::new()),
        (
            "{{ include \"r\" . }}",
            "include",
            format!("{CALLER} <include \"r\" .>: error calling include: "),
        ),
        (
            "{{ tpl \"{{ template \\\"r\\\" . }}\" . }}",
            "tpl",
            format!(
                "{CALLER} <tpl \"{{{{ template \\\"r\\\" . }}}}\" .>: error calling tpl: error \
                 during tpl function execution for \"{{{{ template \\\"r\\\" . }}}}\": "
            ),
        ),
    ] {
        let (code, err) = render(&format!("{DEFINE}a: {call}\n"), name);
        assert_eq!(
            (code, err.as_str()),
            (
                1,
                format!("Error: {wrap}{AT}\n\nUse --debug flag to render out invalid YAML\n")
                    .as_str()
            ),
            "{name}"
        );
    }
}

/// Includes that each stay under Helm's 1000 of one name, with `template` actions under Go's
/// 100000 between them, nest until Go's 1 GB stack overflows (Helm 3.17.3 exits 2 with Go's
/// runtime dump); ours stops at its depth budget.
#[test]
fn nested_calls_within_helms_limits_stop_at_the_depth_budget() {
    let (code, err) = render(
        "{{- define \"r\" }}{{ if lt . 90000 }}{{ template \"r\" (add . 1) }}{{ else }}\
         {{ include \"r\" 0 }}{{ end }}{{ end }}\na: {{ include \"r\" 0 }}\n",
        "nested",
    );
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err,
        "Error: stackstate-lint stopped the render: template: r: exceeded maximum template depth (110000)\n"
    );
}

#[test]
fn a_list_of_millions_stops_at_the_size_budget() {
    let (code, err) = render("a: {{ len (until 100000000) }}\n", "until");
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err,
        "Error: stackstate-lint stopped the render: template: runaway/templates/x.yaml:1:11: executing \"runaway/templates/x.yaml\" at <until>: until: more than 4194304 items\n"
    );
}

/// Lint, `images` and the mirror plan stop as `render` does: the engine's bound is no verdict on
/// the values, so no "0 errors" pass (exit 0, as lint said before) and no "Helm cannot render"
/// (exit 1, as `images` said): an input error of the release, with the template and line, exit 2.
#[test]
fn lint_and_images_stop_at_the_budget_as_render_does() {
    let dir = std::env::temp_dir().join(format!(
        "stackstate-lint-budget-{}-lint",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    chart(&dir, "a: {{ len (until 100000000) }}\n");
    let values = dir.join("values-prod.yaml");
    std::fs::write(&values, "a: 1\n").expect("values");
    let expected = format!(
        "error: {}: stackstate-lint stopped the render: template: runaway/templates/x.yaml:1:11: executing \"runaway/templates/x.yaml\" at <until>: until: more than 4194304 items\n",
        values.display()
    );
    for args in [
        &["--no-config", "--format", "compact"][..],
        &["--no-config", "--format", "json"],
        &["images"],
        &["images", "--mirror", "registry.example.com"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_stackstate-lint"))
            .args(args)
            .arg("--chart")
            .arg(&dir)
            .arg(&values)
            .env_remove("NO_COLOR")
            .env_remove("CI")
            .env_remove("GITHUB_ACTIONS")
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(&expected), "{args:?}: {err}");
        assert!(!err.contains("Helm cannot render"), "{args:?}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// What the templates print is the render's to bound, not the run's budget of input values:
/// two manifests of 550,000 list items each (and one of 1,050,000) render as in Helm, where
/// the values' budget of 1,000,000 stopped them (kube-logging's logging-operator with its CRDs
/// on prints 6.7 MB of them).
#[test]
fn large_manifests_are_not_charged_to_the_values_budget() {
    let dir = std::env::temp_dir().join(format!(
        "stackstate-lint-budget-{}-large",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let list = |name: &str| {
        format!(
            "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: {name}\nitems:\n{{{{- range until (int .Values.n) }}}}\n- {{{{ . }}}}\n{{{{- end }}}}\n"
        )
    };
    chart(&dir, &list("a"));
    for (n, extra) in [("550000", true), ("1050000", false)] {
        let b = dir.join("templates/b.yaml");
        if extra {
            std::fs::write(&b, list("b")).expect("template");
        } else {
            let _ = std::fs::remove_file(&b);
        }
        let out = Command::new(env!("CARGO_BIN_EXE_stackstate-lint"))
            .args(["render", "rel"])
            .arg(&dir)
            .args(["--set", &format!("n={n}")])
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let items = stdout.lines().filter(|l| l.starts_with("- ")).count();
        let want: usize = n.parse::<usize>().unwrap() * if extra { 2 } else { 1 };
        assert_eq!(items, want, "n={n}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Helm copies `global` into every subchart: a large `global` costs its size times the number
/// of subcharts (100,000 keys took 1.9 GB with suse-observability 2.10.3's subcharts; Helm 79 s
/// and 1 GB). Past the tool's bound every command stops with exit 2 and says why, before the
/// copies are made; a `global` of a real size is copied as before.
#[test]
fn a_global_copied_into_every_subchart_stops_at_the_copy_budget() {
    let dir = std::env::temp_dir().join(format!(
        "stackstate-lint-budget-{}-global",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let big = dir.join("big.yaml");
    let mut text = String::from("global:\n  extra:\n");
    for i in 0..30_000 {
        text += &format!("    k{i}: v{i}\n");
    }
    std::fs::write(&big, text).expect("values");
    let small = dir.join("small.yaml");
    std::fs::write(&small, "global:\n  extra:\n    k: v\n").expect("values");
    let run = |args: &[&str], file: &Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_stackstate-lint"))
            .args(args)
            .arg(file)
            .args(["--chart-version", "suse-observability@2.10.3"])
            .env_remove("NO_COLOR")
            .env_remove("CI")
            .env_remove("GITHUB_ACTIONS")
            .output()
            .expect("runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // (The count takes in the chart's own `global`.)
    let words = "values and Helm copies it into every subchart: the copies pass 500000 values, \
                 this tool's bound";
    for args in [
        &["--no-config", "--format", "compact"][..],
        &["images", "-f"],
        &["render", "rel", "-f"],
        &["render", "rel", "--helm-version", "3.9", "-f"],
    ] {
        let (code, err) = run(args, &big);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(words), "{args:?}: {err}");
        assert!(
            err.contains("stackstate-lint stopped the render: `global` holds 300"),
            "{args:?}: {err}"
        );
        let (code, err) = run(args, &small);
        assert_ne!(code, 2, "{args:?}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `tpl` inside `template` inside `tpl`…: each `tpl` starts a new execution, so Go's depth
/// limit never stops it; Helm 3.17.3 runs until killed, 4.1.4 until Go's 1 GB stack gives out
/// ("fatal error: stack overflow", exit 2). Ours stops at its bound on nested `tpl` calls, in
/// about a second (it crashed on the native stack, exit 134).
#[test]
fn tpl_calls_nested_without_end_stop_at_the_nesting_budget() {
    let (code, err) = render(
        "{{- define \"d\" }}{{ tpl \"{{ template \\\"d\\\" . }}\" . }}{{ end }}\na: {{ template \"d\" . }}\n",
        "tpl",
    );
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err,
        "Error: stackstate-lint stopped the render: template: runaway/templates/x.yaml:1:20: tpl calls nested more than 10000 deep\n"
    );
}

/// A map or list a template nests 200,000 deep renders as in Helm 3.17.3 (which prints both
/// lines): dropping it once did the native stack in (exit 134).
#[test]
fn values_a_template_nests_deeply_are_built_and_dropped() {
    let dir = std::env::temp_dir().join(format!(
        "stackstate-lint-budget-{}-deep",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    chart(
        &dir,
        "{{- $d := dict }}{{ range until 200000 }}{{ $d = dict \"a\" $d }}{{ end }}# built\n\
         {{- $l := list }}{{ range until 200000 }}{{ $l = list $l }}{{ end }}\n# {{ len $l }}\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_stackstate-lint"))
        .args(["render", "rel"])
        .arg(&dir)
        .output()
        .expect("runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "---\n# Source: runaway/templates/x.yaml\n# built\n# 1\n"
    );
}

//! `stackstate-lint render` on small charts built for it (tests/fixtures/render), against what
//! Helm 3.17.3 printed for them: dependencies (conditions, tags, aliases, import-values, a
//! library chart, a disabled subchart whose broken template is never parsed), the built-in
//! objects, `.helmignore`, output order, hooks, NOTES, and Helm's failures.

use std::path::Path;

mod common;

fn fixtures() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/render"
    ))
}

/// Runs `stackstate-lint render ARGS` in the fixtures folder; (exit code, stdout, stderr).
fn render(args: &str) -> (i32, String, String) {
    let mut argv = vec!["stackstate-lint".to_string(), "render".to_string()];
    for a in args.split(' ') {
        argv.push(match a {
            "rt"
            | "small"
            | "missing"
            | "toml"
            | "showonly"
            | "schema"
            | "schema4"
            | "schema3"
            | "schema3/bad-values.yaml"
            | "semverpre"
            | "imports"
            | "kindorder"
            | "rt/charts/lib" => fixtures().join(a).display().to_string(),
            _ => a.to_string(),
        });
    }
    // The release name comes first and is never a path.
    if let Some(name) = args.split(' ').next() {
        argv[2] = name.to_string();
    }
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = stackstate_lint::run(argv, false, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn expected(name: &str) -> String {
    std::fs::read_to_string(fixtures().join("rt").join(name)).unwrap()
}

/// What Helm 3.17.3 logs on stderr for the fixture `rt`: one of its hooks names an event Helm
/// does not know.
const RT_LOG: &str = "manifest_sorter.go:190: info: skipping unknown hook: \"nonsense\"\n";

#[test]
fn a_chart_with_every_kind_of_dependency_renders_like_helm() {
    // helm template rt tests/fixtures/render/rt
    let (code, out, err) = render("rt rt");
    assert_eq!((code, err.as_str()), (0, RT_LOG));
    assert_eq!(out, expected("expected.yaml"));
}

/// Helm merges the child's own tables: an import into a key another import filled first adds
/// to that child's values (Helm 3.17.3 and 4.1.4 print the same).
#[test]
fn imports_into_one_key_merge_into_the_first_childs_table_as_in_helm() {
    let want = std::fs::read_to_string(fixtures().join("imports/expected.yaml")).unwrap();
    for helm in ["3", "4"] {
        let (code, out, err) = render(&format!("imports imports --helm-version {helm}"));
        assert_eq!((code, err.as_str()), (0, ""), "{helm}");
        assert_eq!(out, want, "{helm}");
    }
}

/// Each Helm release sorts by the kinds its `InstallOrder` knows (PriorityClass came with
/// 3.12.3, IngressClass with 3.8.1) and, before 3.13, named a CRD by its path inside its chart
/// (Helm 3.11.1 and 3.17.3 printed these).
#[test]
fn kinds_sort_and_crds_are_named_as_each_helm_release_does() {
    for helm in ["3.11.1", "3.17.3"] {
        let want =
            std::fs::read_to_string(fixtures().join(format!("kindorder/expected-{helm}.yaml")))
                .unwrap();
        let args = format!("x kindorder --include-crds --helm-version {helm}");
        let (code, out, err) = render(&args);
        assert_eq!((code, err.as_str()), (0, ""), "{helm}");
        assert_eq!(out, want, "{helm}");
    }
}

#[test]
fn release_options_tags_and_conditions_render_like_helm() {
    // helm template myrel rt -n other --kube-version 1.25 --api-versions x.io/v1
    //   --set tags.extra=true --set sub.enabled=false
    let (code, out, err) = render(
        "myrel rt -n other --kube-version 1.25 --api-versions x.io/v1 --set tags.extra=true --set sub.enabled=false",
    );
    assert_eq!((code, err.as_str()), (0, RT_LOG));
    assert_eq!(out, expected("expected-2.yaml"));
}

#[test]
fn crds_tests_and_upgrades_render_like_helm() {
    // helm template rt tests/fixtures/render/rt --include-crds --skip-tests --is-upgrade
    let (code, out, err) = render("rt rt --include-crds --skip-tests --is-upgrade");
    assert_eq!((code, err.as_str()), (0, RT_LOG));
    assert_eq!(out, expected("expected-3.yaml"));
    // `--skip-crds` only keeps `helm install` from installing them: Helm 3.17.3 and 4.1.4
    // print the same with it.
    let (code, out, err) = render("rt rt --include-crds --skip-crds --skip-tests --is-upgrade");
    assert_eq!((code, err.as_str()), (0, RT_LOG));
    assert_eq!(out, expected("expected-3.yaml"));
}

/// `helm template`'s flags are pflag's: a bool flag takes a value after `=` as Go's
/// `strconv.ParseBool` reads it, a flag given again keeps its last value, and an empty
/// namespace is "default" (Helm 3.17.3 and 4.1.4 print the same as with the plain flags).
#[test]
fn helm_flags_take_pflags_syntax() {
    let (code, out, err) = render(
        "rt rt --include-crds=true --skip-crds=false --skip-tests=1 --is-upgrade=T --no-hooks=F",
    );
    assert_eq!((code, err.as_str()), (0, RT_LOG));
    assert_eq!(out, expected("expected-3.yaml"));
    let (code, out, err) = render(
        "myrel rt -n a -n other --kube-version 1.20 --kube-version 1.25 --api-versions x.io/v1 --set tags.extra=true --set sub.enabled=false --is-upgrade --is-upgrade=false",
    );
    assert_eq!((code, err.as_str()), (0, RT_LOG));
    assert_eq!(out, expected("expected-2.yaml"));
    let rt = fixtures().join("rt").display().to_string();
    let argv = ["stackstate-lint", "render", "rt", &rt, "--namespace", ""];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = stackstate_lint::run(argv, false, &mut out, &mut err);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    assert_eq!(String::from_utf8(out).unwrap(), expected("expected.yaml"));
    let (code, _, err) = render("rt rt --is-upgrade=maybe");
    assert_eq!(code, 2);
    assert!(
        err.contains("strconv.ParseBool: parsing \"maybe\": invalid syntax"),
        "{err}"
    );
}

#[test]
fn to_toml_and_from_toml_render_like_helm_3_and_4() {
    // helm template toml tests/fixtures/render/toml (Helm 3.17.3, then Helm 4.1.4): floats and
    // TOML 1.1 inline tables differ between their TOML libraries.
    for (flags, file) in [
        ("", "expected-helm3.yaml"),
        (" --helm-version 4", "expected-helm4.yaml"),
    ] {
        let (code, out, err) = render(&format!("toml toml{flags}"));
        assert_eq!((code, err.as_str()), (0, ""));
        let want = std::fs::read_to_string(fixtures().join("toml").join(file)).unwrap();
        assert_eq!(out, want, "{file}");
    }
}

#[test]
fn helm_failures_fail_with_helms_message() {
    let debug = "\n\nUse --debug flag to render out invalid YAML\n";
    let cases = [
        (
            "small small",
            format!("Error: execution error at (small/templates/NOTES.txt:1:3): v is required{debug}"),
        ),
        (
            "missing missing",
            "Error: An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: gone, alsogone\n".to_string(),
        ),
        (
            "lib rt/charts/lib",
            "Error: library charts are not installable\n".to_string(),
        ),
        (
            "rt rt --kube-version 1.19",
            format!("Error: chart requires kubeVersion: >=1.20.0-0 which is incompatible with Kubernetes v1.19.0{debug}"),
        ),
        (
            "Bad_Name small",
            "Error: release name \"Bad_Name\": invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53\n".to_string(),
        ),
        (
            // Helm 4.1.4 logs the failure, then wraps it.
            "Bad_Name small --helm-version 4",
            "level=ERROR msg=\"release name check failed\" error=\"release name \\\"Bad_Name\\\": invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53\"\nError: release name check failed: release name \"Bad_Name\": invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53\n".to_string(),
        ),
        (
            // An empty name (`helm template "" CHART`), and a name Go quotes with %q.
            " small",
            "Error: release name \"\": no name provided\n".to_string(),
        ),
        (
            " small --helm-version 4",
            "level=ERROR msg=\"release name check failed\" error=\"release name \\\"\\\": no name provided\"\nError: release name check failed: release name \"\": no name provided\n".to_string(),
        ),
        (
            "a\"b small",
            "Error: release name \"a\\\"b\": invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53\n".to_string(),
        ),
        (
            "small small --set w=1 --set v=[",
            format!("Error: YAML parse error on small/templates/x.yaml: error converting YAML to JSON: yaml: line 1: did not find expected node content{debug}"),
        ),
    ];
    for (args, want) in cases {
        let (code, out, err) = render(args);
        assert_eq!(
            (code, out.as_str(), err.as_str()),
            (1, "", want.as_str()),
            "{args}"
        );
    }
    let (code, out, _) = render("small small --set w=1");
    assert_eq!(
        (code, out.as_str()),
        (0, "---\n# Source: small/templates/x.yaml\na: ok\n")
    );
}

#[test]
fn the_chart_may_come_with_chart_and_the_name_with_release_name() {
    let chart = fixtures().join("rt").display().to_string();
    for args in [
        vec!["--chart", &chart, "rt"],
        vec!["--release-name", "rt", "--chart", &chart],
        vec!["--release-name", "rt", &chart],
    ] {
        let argv = ["stackstate-lint", "render"]
            .into_iter()
            .chain(args.iter().copied());
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = stackstate_lint::run(argv, false, &mut out, &mut err);
        assert_eq!((code, err.as_slice()), (0, RT_LOG.as_bytes()), "{args:?}");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            expected("expected.yaml"),
            "{args:?}"
        );
    }
}

#[test]
fn input_errors_exit_2() {
    let (code, _, err) = render("x");
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = render("rt rt --kube-version one");
    assert_eq!(code, 2, "{err}");
}

/// A document's values, origins left out.
fn plain(node: &stackstate_lint::value::Node) -> String {
    use stackstate_lint::value::Value;
    match &node.value {
        Value::Map(m) => {
            let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k}={}", plain(v))).collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Seq(s) => format!("[{}]", s.iter().map(plain).collect::<Vec<_>>().join(",")),
        other => format!("{other:?}"),
    }
}

fn documents(text: &str) -> Vec<String> {
    let file =
        stackstate_lint::yaml::load(stackstate_lint::FileId(0), text, &Default::default()).unwrap();
    file.documents.iter().map(plain).collect()
}

#[test]
fn show_origin_names_user_values_and_changes_no_value() {
    let user = fixtures().join("rt-user.yaml").display().to_string();
    let (code, annotated, err) = render(&format!("rt rt -f {user} --set sub.why=w --show-origin"));
    assert_eq!((code, err.as_str()), (0, RT_LOG));
    let (_, plain_out, _) = render(&format!("rt rt -f {user} --set sub.why=w"));
    assert_ne!(annotated, plain_out);
    assert_eq!(documents(&annotated), documents(&plain_out));
    assert!(
        annotated.contains(&format!(
            "  values: \"2.5 [x z] eu\" # {user}:1 top, {user}:2 list.0, {user}:2 list.1\n"
        )),
        "{annotated}"
    );
    // --set values are named by their position among --set arguments.
    assert!(
        annotated.contains(&format!("  x: \"from the user\\n\" # {user}:4 sub.x\n")),
        "{annotated}"
    );
    assert!(
        annotated.contains("  why: \"w\" # --set #1 sub.why\n"),
        "{annotated}"
    );
    // Chart defaults are not annotated.
    assert!(annotated.contains("  region: \"eu\"\n"), "{annotated}");
}

/// What `default` and `coalesce` print is the operand they chose, with its origin or none (a
/// literal the chart wrote is no user value); a block scalar that starts with empty lines gets
/// its comment on its header line, not inside its text.
#[test]
fn show_origin_credits_only_the_value_printed() {
    let dir = std::env::temp_dir().join(format!("stackstate-lint-origin-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("templates/cm.yaml"),
        "kind: ConfigMap\ndata:\n  d1: {{ default .Values.a .Values.b | quote }}\n  d2: {{ default .Values.a (printf \"%s\" \"lit\") | quote }}\n  d3: {{ coalesce \"\" \"lit\" .Values.a }}\n  d4: {{ default \"lit\" .Values.a }}\n  block: |\n\n    x: {{ .Values.b }}\n",
    )
    .unwrap();
    std::fs::write(dir.join("v.yaml"), "a: user-a\nb: user-b\n").unwrap();
    let chart = dir.display().to_string();
    let v = dir.join("v.yaml").display().to_string();
    let (code, annotated, err) = render(&format!("x {chart} -f {v} --show-origin"));
    assert_eq!((code, err.as_str()), (0, ""));
    let (_, plain_out, _) = render(&format!("x {chart} -f {v}"));
    assert_eq!(documents(&annotated), documents(&plain_out));
    let data: Vec<&str> = annotated.lines().skip_while(|l| *l != "data:").collect();
    assert_eq!(
        data,
        [
            "data:",
            &format!("  d1: \"user-b\" # {v}:2 b"),
            "  d2: \"lit\"",
            "  d3: lit",
            &format!("  d4: user-a # {v}:1 a"),
            &format!("  block: | # {v}:2 b"),
            "",
            "    x: user-b",
        ][..]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Helm takes a declared dependency only for a subchart whose version is in its `version:`
/// range: an alias whose range the subchart misses (or that has none) is no alias, and the
/// subchart renders under its own name with its own values, as an undeclared one does; a
/// disabled dependency still removes the subchart of its name. Expectations from Helm 3.17.3
/// (`helm template x DIR`).
#[test]
fn an_alias_whose_range_misses_the_subchart_is_no_alias() {
    let dir = std::env::temp_dir().join(format!("stackstate-lint-alias-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("charts/sub/templates")).unwrap();
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("charts/sub/Chart.yaml"),
        "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("charts/sub/templates/cm.yaml"),
        "kind: ConfigMap\nname: {{ .Chart.Name }} {{ .Values.x }}\n",
    )
    .unwrap();
    std::fs::write(dir.join("values.yaml"), "foo:\n  x: f\nsub:\n  x: s\n").unwrap();
    let chart = dir.display().to_string();
    let as_sub = "---\n# Source: p/charts/sub/templates/cm.yaml\nkind: ConfigMap\nname: sub s\n";
    let as_foo = "---\n# Source: p/charts/foo/templates/cm.yaml\nkind: ConfigMap\nname: foo f\n";
    let as_plain_sub =
        "---\n# Source: p/charts/sub/templates/cm.yaml\nkind: ConfigMap\nname: sub\n";
    for (version, want) in [
        ("", as_sub),
        ("  version: \"2.x\"\n", as_sub),
        ("  version: \"*\"\n", as_foo),
        ("  version: \">=0.1.0\"\n", as_foo),
    ] {
        std::fs::write(
            dir.join("Chart.yaml"),
            format!("apiVersion: v2\nname: p\nversion: 0.1.0\ndependencies:\n- name: sub\n  alias: foo\n{version}"),
        )
        .unwrap();
        let (code, out, err) = render(&format!("x {chart}"));
        assert_eq!((code, err.as_str()), (0, ""), "{version}");
        assert_eq!(out, want, "{version}");
    }
    // A condition of the subchart's name removes it even where its range misses.
    std::fs::write(dir.join("values.yaml"), "sub:\n  enabled: false\n").unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: p\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: \"2.x.x\"\n  condition: sub.enabled\n",
    )
    .unwrap();
    let (code, out, err) = render(&format!("x {chart}"));
    assert_eq!((code, out.as_str(), err.as_str()), (0, "\n", ""));
    // So does one aliased with the subchart's name (grafana's enterprise-metrics declares
    // bitnami's memcached three times, aliased `memcached`, `memcached-queries` and
    // `memcached-metadata`); one aliased with another name does not.
    for (alias, switch, want) in [("sub", "sub", "\n"), ("foo", "foo", as_plain_sub)] {
        std::fs::write(
            dir.join("values.yaml"),
            format!("{switch}:\n  enabled: false\n"),
        )
        .unwrap();
        std::fs::write(
            dir.join("Chart.yaml"),
            format!("apiVersion: v2\nname: p\nversion: 0.1.0\ndependencies:\n- name: sub\n  alias: {alias}\n  version: \"2.x.x\"\n  condition: {switch}.enabled\n"),
        )
        .unwrap();
        let (code, out, err) = render(&format!("x {chart}"));
        assert_eq!((code, out.as_str(), err.as_str()), (0, want, ""), "{alias}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `deprecated: true` in Chart.yaml: Helm warns on stderr before it checks the dependencies, and
/// renders. Helm 3.17.3 prints `WARNING: This chart is deprecated`, Helm 4.1.4 logs
/// `level=WARN msg="this chart is deprecated"`; both then fail on a missing dependency.
#[test]
fn a_deprecated_chart_is_rendered_with_helms_warning() {
    let dir = std::env::temp_dir().join(format!("stackstate-lint-depr-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(dir.join("templates/cm.yaml"), "kind: ConfigMap\n").unwrap();
    let chart = dir.display().to_string();
    let meta = "apiVersion: v2\nname: p\nversion: 0.1.0\ndeprecated: true\n";
    std::fs::write(dir.join("Chart.yaml"), meta).unwrap();
    let doc = "---\n# Source: p/templates/cm.yaml\nkind: ConfigMap\n";
    let (code, out, err) = render(&format!("x {chart}"));
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (0, doc, "WARNING: This chart is deprecated\n")
    );
    let (code, out, err) = render(&format!("x {chart} --helm-version 4"));
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (0, doc, "level=WARN msg=\"this chart is deprecated\"\n")
    );
    std::fs::write(
        dir.join("Chart.yaml"),
        format!("{meta}dependencies:\n- name: gone\n  version: 1.x\n"),
    )
    .unwrap();
    let (code, _, err) = render(&format!("x {chart}"));
    assert_eq!(code, 1);
    assert!(
        err.starts_with("WARNING: This chart is deprecated\nError: An error occurred while checking for chart dependencies."),
        "{err}"
    );
    let (code, _, err) = render(&format!("x {chart} --helm-version 4"));
    assert_eq!(code, 1);
    assert!(
        err.starts_with("level=WARN msg=\"this chart is deprecated\"\nError: an error occurred while checking for chart dependencies."),
        "{err}"
    );
    // A chart that does not install is refused before the warning (`checkIfInstallable`).
    std::fs::write(dir.join("Chart.yaml"), format!("{meta}type: library\n")).unwrap();
    for flags in ["", " --helm-version 4"] {
        let (code, out, err) = render(&format!("x {chart}{flags}"));
        assert_eq!(
            (code, out.as_str(), err.as_str()),
            (1, "", "Error: library charts are not installable\n"),
            "{flags}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A chart's own `values.yaml` is read as each Helm reads a values file: Helm 3 its first
/// document only (a later one may be broken YAML), Helm 4 every part between `---` lines, each
/// up to a `...` line. Expected: `helm template x DIR` of Helm 3.17.3 and 4.1.4.
#[test]
fn a_charts_values_documents_are_read_as_each_helm_reads_them() {
    let dir = std::env::temp_dir().join(format!("stackstate-lint-vdocs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: p\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("templates/v.yaml"),
        "v: {{ toJson .Values | quote }}\n",
    )
    .unwrap();
    let chart = dir.display().to_string();
    let doc = |json: &str| format!("---\n# Source: p/templates/v.yaml\nv: {json}\n");
    std::fs::write(dir.join("values.yaml"), "a: 1\n---\nb: 2\n...\nc: [\n").unwrap();
    let (code, out, err) = render(&format!("x {chart}"));
    assert_eq!((code, out, err), (0, doc(r#""{\"a\":1}""#), String::new()));
    let (code, out, err) = render(&format!("x {chart} --helm-version 4"));
    assert_eq!(
        (code, out, err),
        (0, doc(r#""{\"a\":1,\"b\":2}""#), String::new())
    );
    // Helm 4 reads a broken part and fails (exit 1 there; a values file ours cannot read is
    // an input error, exit 2, naming the file and line).
    std::fs::write(dir.join("values.yaml"), "a: 1\n---\nb: [\n").unwrap();
    let (code, out, _) = render(&format!("x {chart}"));
    assert_eq!((code, out), (0, doc(r#""{\"a\":1}""#)));
    let (code, _, err) = render(&format!("x {chart} --helm-version 4"));
    assert_eq!(code, 2);
    assert!(
        err.contains("values.yaml:4:1: invalid YAML: did not find expected node content"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--show-only` (`-s`): the documents of the templates named, pattern by pattern (Go's
/// `filepath.Match`), split from the output as Helm splits them (a `---` inside a block scalar
/// splits too; an empty document is dropped; a `# Source:` line in a document's text counts
/// only after the first).
#[test]
fn show_only_picks_documents_like_helm() {
    let expected =
        |name: &str| std::fs::read_to_string(fixtures().join("showonly").join(name)).unwrap();
    // helm template so tests/fixtures/render/showonly -s templates/multi.yaml
    let (code, out, err) = render("so showonly -s templates/multi.yaml");
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, expected("expected-multi.yaml"));
    // … -s 'templates/*' -s templates/multi.yaml: each pattern in turn, documents repeated.
    let (code, out, err) = render("so showonly -s templates/* --show-only templates/multi.yaml");
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, expected("expected-all.yaml"));
    let (code, out, err) = render("so showonly -s charts/*/templates/*");
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        "---\n# Source: showonly/charts/sub/templates/s.yaml\ns: 1\n"
    );
    // A template that renders nothing, or none of that name: Helm's error, exit 1.
    for missing in [
        "templates/empty.yaml",
        "templates/other.yaml",
        "templates/[m",
    ] {
        let (code, out, err) = render(&format!("so showonly -s {missing}"));
        assert_eq!(
            (code, out.as_str(), err.as_str()),
            (
                1,
                "",
                format!("Error: could not find template {missing} in chart\n").as_str()
            )
        );
    }
}

/// `--skip-schema-validation`: values that break `values.schema.json` render (Helm 3.17.3).
#[test]
fn skip_schema_validation_renders_what_the_schema_refuses() {
    // helm template s tests/fixtures/render/schema --set x=a
    let (code, out, err) = render("s schema --set x=a");
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (
            1,
            "",
            "Error: values don't meet the specifications of the schema(s) in the following chart(s):\nschema:\n- x: Invalid type. Expected: integer, given: string\n\n"
        )
    );
    // … --skip-schema-validation
    let (code, out, err) = render("s schema --set x=a --skip-schema-validation");
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, "---\n# Source: schema/templates/x.yaml\nx: a\n");
}

/// Helm 3 checks values with gojsonschema v1.2.0: the failing `anyOf` branch that scored best
/// after its line, `then`'s errors after its line, `allOf`'s before it, numbers as Go prints a
/// `big.Float`, the subchart against its own schema. Expected: Helm 3.17.3, `helm template s
/// tests/fixtures/render/schema3 -f tests/fixtures/render/schema3/bad-values.yaml` (Go's map
/// order makes Helm's order of the properties vary from run to run; this is its likeliest, 5
/// runs in 12, and ours always).
#[test]
fn helm_3_checks_the_schema_as_gojsonschema_does() {
    let (code, out, err) = render("s schema3 -f schema3/bad-values.yaml");
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (
            1,
            "",
            r#"Error: values don't meet the specifications of the schema(s) in the following chart(s):
schema3:
- (root): Additional property extra is not allowed
- port: Must validate at least one schema (anyOf)
- port: Must be less than or equal to 65535
- ratio: Must be a multiple of 0.25
- ratio: Must be less than 1
- mode: mode must be one of the following: "daemonset", "deployment"
- image.tag: String length must be greater than or equal to 1
- tls: Must validate "then" as "if" was valid
- tls: secretName is required
sub:
- size: String length must be less than or equal to 3
- (root): Must validate all the schemas (allOf)
- size: Does not match pattern '^[0-9]+Gi$'

"#
        )
    );
    let (code, out, err) = render("s schema3");
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        "---\n# Source: schema3/charts/sub/templates/x.yaml\nsize: 8Gi\n---\n# Source: schema3/templates/x.yaml\nport: 80\nmode: deployment\n"
    );
}

/// Helm 4 checks values with jsonschema v6: its wording, causes indented under `'anyOf'
/// failed`, a draft-07 subchart beside a 2020-12 parent, numbers printed with grouping.
/// Expected: Helm 4.1.4, `helm template s tests/fixtures/render/schema4 --set x=a --set port=0
/// --set sub.mode=bogus --set sub.replicas=1500 --set extra=1` (Go's map order makes Helm's
/// order of `/port` and `/x` vary from run to run; this is one of its orders, ours always).
#[test]
fn helm_4_checks_the_schema_with_its_own_words() {
    let args = "s schema4 --set x=a --set port=0 --set sub.mode=bogus --set sub.replicas=1500 --set extra=1 --helm-version 4";
    let (code, out, err) = render(args);
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (
            1,
            "",
            "Error: values don't meet the specifications of the schema(s) in the following chart(s):
schema4:
- at '/port': 'anyOf' failed
  - at '/port': got number, want string
  - at '/port': minimum: got 0, want 1
- at '/x': got string, want integer
- at '': additional properties 'extra' not allowed
sub:
- at '/mode': value must be one of 'daemonset', 'deployment'
- at '/replicas': maximum: got 1,500, want 1,000

"
        )
    );
    let (code, _, err) = render("s schema4 --helm-version 4");
    assert_eq!((code, err.as_str()), (0, ""));
}

/// The methods of Helm's `chartutil.Values` (`common.Values` in Helm 4): on the dot,
/// `.Values`, a subchart's `.Values`, `.Template` and a `Table`'s result, a method before a key
/// (`.Values.YAML` with a `YAML` key); `AsMap` plain (Cilium's `dig … .Values.AsMap`).
/// Expected: `helm template vm tests/fixtures/render/valuesmethods` of Helm 3.17.3 and 4.1.4.
#[test]
fn values_methods_work_as_in_helm() {
    renders_as_helm_3_and_4("valuesmethods", "vm");
}

/// `.Values` handed to Sprig's `set`, `unset`, `merge`, `mergeOverwrite` (their parameter is a
/// `map[string]interface{}`) comes back as the plain map, so `dig` takes it (the spire charts),
/// and stays the same map as `.Values`: writes through either show in both, in a subchart too.
/// Expected: `helm template pm tests/fixtures/render/plainmaps` of Helm 3.17.3 and 4.1.4.
#[test]
fn values_handed_to_map_parameters_come_back_plain_as_in_helm() {
    renders_as_helm_3_and_4("plainmaps", "pm");
}

/// Private keys of every kind Go reads (RSA as PKCS #1 and #8, EC on P-224/256/384/521 as SEC 1
/// and PKCS #8, Ed25519, X25519, DSA) through Sprig's `*WithKey` certificate functions, a CA of
/// P-384 and one of Ed25519 signing each, `buildCustomCert`, and `genPrivateKey` of each type:
/// the PEM types and lengths Go writes (the kubewarden charts make ECDSA keys).
/// Expected: `helm template k tests/fixtures/render/keys` of Helm 3.17.3 and 4.1.4.
#[test]
fn private_keys_of_every_kind_work_as_in_helm() {
    renders_as_helm_3_and_4("keys", "k");
}

/// The errors of keys Go reads but cannot use, and of texts that are no key, in Sprig's and
/// Go's words. Expected: Helm 3.17.3's message for each template.
#[test]
fn unusable_private_keys_fail_as_in_helm() {
    let cases = [
        (
            "{{ (genCAWithKey \"x\" 3 .Values.keys.dsa1).Cert }}",
            "genCAWithKey: error creating certificate: x509: certificate private key does not implement crypto.Signer",
        ),
        (
            "{{ (genSelfSignedCertWithKey \"x\" nil nil 3 .Values.keys.x).Cert }}",
            "genSelfSignedCertWithKey: error creating certificate: x509: certificate private key does not implement crypto.Signer",
        ),
        (
            "{{ (genSignedCertWithKey \"x\" nil nil 3 (genCAWithKey \"ca\" 3 .Values.keys.ec256) .Values.keys.dsa1).Cert }}",
            "genSignedCertWithKey: error creating certificate: x509: unsupported public key type: *dsa.PublicKey",
        ),
        (
            "{{ (genSignedCertWithKey \"x\" nil nil 3 (genCAWithKey \"ca\" 3 .Values.keys.ec256) .Values.keys.x).Cert }}",
            "genSignedCertWithKey: error creating certificate: x509: unsupported public key type: *ecdh.PublicKey",
        ),
        (
            "{{ (genCAWithKey \"x\" 3 \"junk\").Cert }}",
            "genCAWithKey: parsing private key: no PEM data in input",
        ),
        (
            "{{ (genCAWithKey \"x\" 3 \"-----BEGIN FOO PRIVATE KEY-----\\nAAAA\\n-----END FOO PRIVATE KEY-----\\n\").Cert }}",
            "genCAWithKey: parsing private key: invalid private key type FOO PRIVATE KEY",
        ),
        (
            "{{ (genCAWithKey \"x\" 3 \"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n\").Cert }}",
            "genCAWithKey: parsing private key: no private key data in PEM block of type CERTIFICATE",
        ),
        (
            "{{ (genCAWithKey \"x\" 3 .Values.keys.dsa8).Cert }}",
            "genCAWithKey: parsing private key: decoding PEM as PKCS#8: x509: PKCS#8 wrapping contained private key with unknown algorithm: 1.2.840.10040.4.1",
        ),
    ];
    let values = std::fs::read_to_string(fixtures().join("keys/values.yaml")).unwrap();
    for (template, want) in cases {
        let got = error_or_line(&values, template, "3");
        assert!(
            got.ends_with(&format!("error calling {want}")),
            "{template}: {got}"
        );
    }
}

/// Helm's objects as Go prints and indexes them: `.Subcharts.<name>` a plain map, `index` of
/// `.Capabilities.APIVersions` (a named `[]string`, which Sprig's `slice` and `deepCopy` keep,
/// `Has` and all, and fmt prints as a slice under every verb), `.Capabilities` a pointer (`&{…}` when a
/// function prints it), `.Capabilities.KubeVersion` the version when an action prints it (also
/// through `template`, `with`, `or`) and the struct when a function is given it, wherever that
/// copy travels (`include`, `dict`, `default`, `range list`: its `String` method is the
/// pointer's); a Chart.yaml
/// without annotations, keywords or sources gives nil ones (`null` to `toJson`).
/// Expected: `helm template b tests/fixtures/render/builtins` of Helm 3.17.3 and 4.1.4.
#[test]
fn helm_objects_print_and_index_as_in_helm() {
    renders_as_helm_3_and_4("builtins", "b");
}

/// A copy of `.Capabilities.KubeVersion` (what a function was given) has none of the pointer's
/// methods. Expected: Helm 3.17.3's error (Helm 4.1.4's first line is the same up to the `:`).
#[test]
fn a_copied_kube_version_has_no_pointer_methods() {
    let cases = [
        ("(first (list .Capabilities.KubeVersion)).String", "String"),
        (
            "(default 1 .Capabilities.KubeVersion).GitVersion",
            "GitVersion",
        ),
    ];
    for (expr, method) in cases {
        let template = format!("x: {{{{ {expr} }}}}");
        assert_eq!(
            error_or_line("", &template, "3"),
            format!(
                "at <.Capabilities.KubeVersion>: can't evaluate field {method} in type chartutil.KubeVersion"
            ),
        );
        assert_eq!(
            error_or_line("", &template, "4"),
            "at <.Capabilities.KubeVersion>:"
        );
    }
}

/// `.Chart.Metadata`: in Helm 3 the `chart.Metadata` that `.Chart` embeds (Go names an embedded
/// field after its type), printed, typed and marshalled as that struct, without `IsRoot`; Helm
/// 4's `.Chart` is a map without that key. Expected: Helm 3.17.3's and 4.1.4's output.
#[test]
fn chart_metadata_is_the_embedded_struct_in_helm_3() {
    let cases = [
        (
            "{{ .Chart.Metadata.Version }}",
            "x: 0.1.0",
            "at <.Chart.Metadata.Version>:",
        ),
        (
            "{{ .Chart.Metadata | quote }}",
            "x: \"{c  [] 0.1.0  [] []  v2    false map[]  [] }\"",
            "x:",
        ),
        (
            "{{ typeOf .Chart.Metadata }}",
            "x: chart.Metadata",
            "x: <nil>",
        ),
        (
            "{{ toJson .Chart.Metadata }}",
            "x: {\"name\":\"c\",\"version\":\"0.1.0\",\"apiVersion\":\"v2\"}",
            "x: null",
        ),
        (
            "{{ .Chart.Metadata.IsRoot }}",
            "at <.Chart.Metadata.IsRoot>: can't evaluate field IsRoot in type chart.Metadata",
            "at <.Chart.Metadata.IsRoot>:",
        ),
    ];
    for (template, helm3, helm4) in cases {
        let template = format!("x: {template}");
        assert_eq!(
            error_or_line("", &template, "3"),
            helm3,
            "{template} (Helm 3)"
        );
        assert_eq!(
            error_or_line("", &template, "4"),
            helm4,
            "{template} (Helm 4)"
        );
    }
}

/// Masterminds/semver's words: capitalised in Helm 3 (semver 3.3), lower case in Helm 4 (3.4),
/// Go's own text after a `:` unchanged. Expected: Helm 3.17.3's and 4.1.4's messages.
#[test]
fn semver_errors_are_worded_as_each_helm_words_them() {
    let cases = [
        (
            "notver",
            "Invalid Semantic Version",
            "invalid semantic version",
        ),
        (
            "1.2.3-01",
            "Version segment starts with 0",
            "version segment starts with 0",
        ),
        (
            "99999999999999999999",
            "Error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": value out of range",
            "error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": value out of range",
        ),
    ];
    for (version, helm3, helm4) in cases {
        let template = format!("{{{{ semver {version:?} }}}}");
        for (helm, want) in [("3", helm3), ("4", helm4)] {
            let got = error_or_line("", &template, helm);
            assert!(
                got.ends_with(&format!("error calling semver: {want}")),
                "Helm {helm} {version}: {got}"
            );
        }
    }
}

/// Whether the host's tz database has `zone` (Helm's output depends on it; without it there is
/// nothing to compare).
fn has_tz_database(zone: &str) -> bool {
    let found = Path::new("/usr/share/zoneinfo").join(zone).is_file();
    if !found {
        eprintln!("no tz database at /usr/share/zoneinfo: nothing to compare");
    }
    found
}

/// `dateInZone` in named zones, read from the host's tz database as Go reads it (Helm's output
/// depends on the host too: where the database is missing, both print UTC, and this test has
/// nothing to compare). Expected: `helm template z tests/fixtures/render/zones` of Helm 3.17.3
/// and 4.1.4 on a host with the database.
#[test]
fn named_time_zones_come_from_the_tz_database_as_in_go() {
    if !has_tz_database("Asia/Tokyo") {
        return;
    }
    renders_as_helm_3_and_4("zones", "z");
}

/// A prerelease version against ranges where only some constraints name a prerelease: Helm 3
/// up to 3.18 (Masterminds/semver v3.3.0) lets each constraint decide for itself, Helm 3.19 and
/// 4 (v3.4.0) let one such constraint admit prereleases for its whole AND group, in
/// `semverCompare`, in the dependency range that picks a subchart (1.5.0-rc.1 renders under its
/// alias) and in `kubeVersion`. Expected: `helm template s tests/fixtures/render/semverpre` of Helm
/// 3.17.3 and 4.1.4.
#[test]
fn prerelease_versions_are_admitted_per_and_group_from_helm_3_19() {
    renders_as_helm_3_and_4("semverpre", "s");
    let (code, out, err) = render("s semverpre --kube-version v1.32.1-eks.3");
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (
            1,
            "",
            "Error: chart requires kubeVersion: >=1.20.0-0, <2.0.0 which is incompatible with Kubernetes v1.32.1-eks.3\n\nUse --debug flag to render out invalid YAML\n"
        )
    );
    let (code, _, err) = render("s semverpre --kube-version v1.32.1-eks.3 --helm-version 4");
    assert_eq!((code, err.as_str()), (0, ""));
    // By the release's Masterminds semver (3.4 from Helm 3.19; 3.18.0 printed Helm 3's output),
    // the dependency's range too.
    for (helm, want) in [
        ("3.18.0", "expected-helm3.yaml"),
        ("3.19.0", "expected-helm4.yaml"),
    ] {
        let (code, out, _) = render(&format!("s semverpre --helm-version {helm}"));
        let want = std::fs::read_to_string(fixtures().join("semverpre").join(want)).unwrap();
        assert_eq!((code, out), (0, want), "{helm}");
    }
}

/// `fromYaml` of texts with keys Helm cannot read returns Helm's words in its `Error` field: an
/// empty key where the `:` is fails go-yaml's parser (a syntax error later on still comes
/// first for a null key), a null key the JSON step with the value's `%#v`, a map or list key
/// go-yaml's decoder. Expected: `helm template f tests/fixtures/render/fromyamlkeys` of Helm
/// 3.17.3 and 4.1.4.
#[test]
fn from_yaml_refuses_keys_in_helms_words() {
    renders_as_helm_3_and_4("fromyamlkeys", "f");
}

/// What `helm template` logs on stderr before the manifests: requirements files in apiVersion
/// v2 charts (a subchart's too, once under two aliases; its requirements.yaml empties its
/// dependencies, so its own subchart's condition is never read), tags and conditions that are not booleans (a table is
/// passed over in silence), imports whose table is missing, and symbolic links in the chart
/// folder (made here, in a copy: their paths are absolute), in Helm 3's and Helm 4's forms.
/// Expected: `helm template h tests/fixtures/render/helmlog` of Helm 3.17.3 and 4.1.4, stdout
/// (`expected-helmN.yaml`) and stderr (`expected-helmN.log`); the link lines from the same run
/// on a copy with two links.
#[test]
fn helms_log_lines_go_to_stderr_in_its_words() {
    let fixture = fixtures().join("helmlog");
    let copy = std::env::temp_dir().join(format!("stackstate-lint-helmlog-{}", std::process::id()));
    let outside = copy.with_extension("target");
    std::fs::remove_dir_all(&copy).ok();
    copy_dir(&fixture, &copy);
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("f.txt"), "x\n").unwrap();
    std::os::unix::fs::symlink(outside.join("f.txt"), copy.join("link.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, copy.join("linkdir")).unwrap();
    let links = [
        (copy.join("link.txt"), outside.join("f.txt")),
        (copy.join("linkdir"), outside.clone()),
    ];
    // A link to the whole chart is walked as `link/`, followed: Helm logs nothing for it.
    let linked_chart = copy.with_extension("link");
    std::fs::remove_file(&linked_chart).ok();
    std::os::unix::fs::symlink(&fixture, &linked_chart).unwrap();
    for helm in ["3", "4"] {
        for (chart, with_links) in [(&fixture, false), (&linked_chart, false), (&copy, true)] {
            let chart = chart.display().to_string();
            let argv = [
                "stackstate-lint",
                "render",
                "h",
                "--chart",
                &chart,
                "--helm-version",
                helm,
            ];
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let code = stackstate_lint::run(argv, false, &mut out, &mut err);
            assert_eq!(code, 0);
            let read = |ext: &str| {
                std::fs::read_to_string(fixture.join(format!("expected-helm{helm}.{ext}"))).unwrap()
            };
            assert_eq!(String::from_utf8(out).unwrap(), read("yaml"), "Helm {helm}");
            let mut want = String::new();
            for (link, target) in links.iter().filter(|_| with_links) {
                let (link, target) = (link.display(), target.display());
                want += &match helm {
                    "3" => format!(
                        "walk.go:75: found symbolic link in path: {link} resolves to {target}. Contents of linked file included and used\n"
                    ),
                    _ => format!(
                        "level=INFO msg=\"found symbolic link in path. Contents of linked file included and used\" path={link} resolved={target}\n"
                    ),
                };
            }
            want += &read("log");
            assert_eq!(
                String::from_utf8(err).unwrap(),
                want,
                "Helm {helm}, links {with_links}"
            );
        }
    }
    std::fs::remove_dir_all(&copy).ok();
    std::fs::remove_file(&linked_chart).ok();
    std::fs::remove_dir_all(&outside).ok();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// PEM input as Go's `pem.Decode` reads it for Sprig's certificate functions: a CA certificate
/// or its key changed one way each (text around the block, BEGIN not starting its line, an END
/// line of another type or with text after it, CR-LF, spaces in the body, headers, a broken
/// block before a good one, bad padding…) is taken or refused as Helm takes or refuses it.
/// Expected: the first line `helm template p tests/fixtures/render/pem --set target=T,how=H`
/// of Helm 3.17.3 printed, stdout or stderr (`expected-helm3.tsv`).
#[test]
fn pem_input_is_read_as_go_reads_it() {
    let fixture = fixtures().join("pem");
    let chart = fixture.display().to_string();
    let expected = std::fs::read_to_string(fixture.join("expected-helm3.tsv")).unwrap();
    let mut cases = 0;
    for row in expected.lines().filter(|l| !l.starts_with('#')) {
        let [target, how, want] = row.splitn(3, '\t').collect::<Vec<_>>()[..] else {
            panic!("bad row {row}")
        };
        let set = format!("target={target},how={how}");
        let argv = [
            "stackstate-lint",
            "render",
            "p",
            "--chart",
            &chart,
            "--set",
            &set,
        ];
        let (mut out, mut err) = (Vec::new(), Vec::new());
        stackstate_lint::run(argv, false, &mut out, &mut err);
        let text = String::from_utf8(out).unwrap() + &String::from_utf8(err).unwrap();
        let got = text
            .lines()
            .find(|l| !l.is_empty() && *l != "---" && !l.starts_with("# Source"))
            .unwrap_or_default();
        assert_eq!(got, want, "{target} {how}");
        cases += 1;
    }
    assert_eq!(cases, 36);
}

/// Go's nil slices and maps, which `toJson`, `toYaml` and `toToml` write as `null` (or leave
/// out) where an empty one is `[]` or `{}`: Sprig's `concat` of nothing, `rest` and `initial`
/// of an empty list, `regexFindAll` without a match, `regexSplit … 0`, `fromJson "null"`,
/// `fromJsonArray "null"`, through `deepCopy`, `dict`, `list`, `merge` and `mergeOverwrite`
/// (victoria-metrics-k8s-stack prints `remoteWrite: null` from a `concat`); and `chunk`'s
/// type, `[][]interface {}`.
/// Expected: `helm template nv tests/fixtures/render/nilvalues` of Helm 3.17.3 and 4.1.4.
#[test]
fn nil_slices_and_maps_print_as_in_helm() {
    renders_as_helm_3_and_4("nilvalues", "nv");
}

/// Text after a quoted scalar on its line, read by `fromYaml` as go-yaml reads it: a `#` right
/// after the quote starts a comment (`"x"#c`, also after `]` and `}`), a document's root scalar
/// is read alone, anything else fails with libyaml's error for the collection around it (a
/// block mapping's "did not find expected key", a flow sequence's "did not find expected ','
/// or ']'", a block entry's scanner error) — saphyr refuses all of them alike. A values tag
/// written with quotes (`tag: '"1.2"'`) makes such a line in a chart's container template.
/// Expected: `helm template qt tests/fixtures/render/quotedtail` of Helm 3.17.3 and 4.1.4.
#[test]
fn text_after_a_quoted_scalar_reads_as_in_helm() {
    renders_as_helm_3_and_4("quotedtail", "qt");
}

/// A `]` or `}` that closes no flow collection (saphyr: "misplaced bracket"): go-yaml scans it
/// as a token, and when the block collections its column unrolls include the root (or the root
/// was read before it), the one document go-yaml reads ends there and the rest is never read
/// (a manifest, `fromYaml`, a values file); else libyaml's parser fails in the words of the
/// collection left open ("did not find expected key", "'-' indicator", "node content").
/// Expected: `helm template sb tests/fixtures/render/straybracket` of Helm 3.17.3 and 4.1.4.
#[test]
fn a_bracket_that_closes_nothing_reads_as_in_helm() {
    renders_as_helm_3_and_4("straybracket", "sb");
}

/// Where go-yaml's errors in a quoted scalar point (libyaml's scanner: at a `---` or `...`
/// line inside it, or at the end of a text that ends inside it; saphyr points at the opening
/// quote), so the line Helm prints; and a manifest's text after `...`, which go-yaml never
/// reads. Expected: `helm template ye tests/fixtures/render/yamlend` of Helm 3.17.3 and 4.1.4.
#[test]
fn quoted_scalar_errors_and_text_after_a_document_end_read_as_in_helm() {
    renders_as_helm_3_and_4("yamlend", "ye");
}

/// A subchart whose version misses its declared dependency's range (`~0.2.0`, no range, one
/// that does not parse, an alias) is kept under its own name, yet the declared dependency
/// still counts: while it stays on, Helm's import step merges the subchart's defaults into the
/// parent's, so the later coalescing drops the subchart's null defaults (Helm 3 all of them,
/// Helm 4 the top-level ones). Switched off by a condition or a tag, it does not count and the
/// nulls stay; below a chart Helm does not process, a `dependencies: []` list counts as written.
/// One chart per case (`rangemiss/CASE`), each its own top-level chart, since the import step
/// of the top chart reaches every subchart below it.
/// Expected: `helm template rm tests/fixtures/render/rangemiss/CASE` of Helm 3.17.3 and 4.1.4.
#[test]
fn declared_dependency_a_subchart_misses_still_merges_its_defaults_as_in_helm() {
    let cases = [
        "tilde",
        "empty",
        "unparsable",
        "alias",
        "alias-off",
        "tag-off",
        "unprocessed",
    ];
    for case in cases {
        renders_as_helm_3_and_4(&format!("rangemiss/{case}"), "rm");
    }
}

/// Tables brought in by `import-values` keep their nulls, nested ones too: Helm's import step
/// reads them from `MergeValues` (3.13's ProcessDependenciesWithMerge, Helm 4 alike), which
/// keeps a subchart's null defaults, and the later coalescing deletes only the nulls a user
/// writes. A `child`/`parent` import and an `exports` one, from a subchart that fits its range
/// and one that misses it (`~0.2.0`), under a parent that overrides part of a table; the
/// subcharts' own nulls go as usual.
/// Expected: `helm template in tests/fixtures/render/importnulls` of Helm 3.17.3 and 4.1.4.
#[test]
fn imported_tables_keep_their_nulls_as_in_helm() {
    renders_as_helm_3_and_4("importnulls", "in");
}

/// `render RELEASE --chart tests/fixtures/render/NAME` under Helm 3 and 4 semantics gives the
/// fixture's `expected-helm3.yaml` and `expected-helm4.yaml`.
#[track_caller]
fn renders_as_helm_3_and_4(name: &str, release: &str) {
    let fixture = fixtures().join(name);
    let chart = fixture.display().to_string();
    for (helm, expected) in [("3", "expected-helm3.yaml"), ("4", "expected-helm4.yaml")] {
        let argv = [
            "stackstate-lint",
            "render",
            release,
            "--chart",
            &chart,
            "--helm-version",
            helm,
        ];
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = stackstate_lint::run(argv, false, &mut out, &mut err);
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            std::fs::read_to_string(fixture.join(expected)).unwrap(),
            "Helm {helm}"
        );
    }
}

/// The methods' errors and arguments, each a template of its own in the same chart: Helm
/// 3.17.3's message after `executing "…/templates/e.yaml" `, or its output line.
#[test]
fn values_methods_fail_as_in_helm() {
    let cases = [
        (
            "x: {{ .Values.Table \"nope\" }}",
            "at <.Values.Table>: error calling Table: \"nope\" is not a table",
        ),
        (
            "x: {{ .Values.Table \"list\" }}",
            "at <.Values.Table>: error calling Table: \"list\" is not a table",
        ),
        (
            "x: {{ .Values.Table \"labels.a\" }}",
            "at <.Values.Table>: error calling Table: \"a\" is not a table",
        ),
        (
            "x: {{ .Values.PathValue \"\" }}",
            "at <.Values.PathValue>: error calling PathValue: YAML path cannot be empty",
        ),
        (
            "x: {{ .Values.PathValue \"encryption\" }}",
            "at <.Values.PathValue>: error calling PathValue: \"encryption\" is not a value",
        ),
        (
            "x: {{ .Values.PathValue \"nope.x\" }}",
            "at <.Values.PathValue>: error calling PathValue: \"x\" is not a value",
        ),
        (
            "x: {{ .Values.PathValue \"encryption.nope\" }}",
            "at <.Values.PathValue>: error calling PathValue: \"nope\" is not a value",
        ),
        (
            "x: {{ .Values.AsMap 1 }}",
            "at <.Values.AsMap>: wrong number of args for AsMap: want 0 got 1",
        ),
        (
            "x: {{ .Values.Table }}",
            "at <.Values.Table>: wrong number of args for Table: want 1 got 0",
        ),
        (
            "x: {{ .Values.Table 1 }}",
            "at <1>: expected string; found 1",
        ),
        (
            "x: {{ .Values.Encode }}",
            "at <.Values.Encode>: wrong number of args for Encode: want 1 got 0",
        ),
        (
            "x: {{ .Values.Encode \"a\" }}",
            "at <\"a\">: can't handle \"a\" for arg of type io.Writer",
        ),
        (
            "x: {{ .Values.Encode .Values.list }}",
            "at <.Values.list>: wrong type for value; expected io.Writer; got []interface {}",
        ),
        (
            "x: {{ .Values.Table .Values.list }}",
            "at <.Values.list>: wrong type for value; expected string; got []interface {}",
        ),
        (
            "x: {{ dig \"a\" \"b\" .Values }}",
            "at <dig \"a\" \"b\" .Values>: error calling dig: interface conversion: interface {} is chartutil.Values, not map[string]interface {}",
        ),
        (
            "x: {{ .Values.YAML.foo }}",
            "at <.Values.YAML.foo>: can't evaluate field foo in type string",
        ),
        (
            "x: {{ .Values.Table \"\" }}",
            "at <.Values.Table>: error calling Table: \"\" is not a table",
        ),
        (
            "x: {{ .Values.Table nil }}",
            "at <nil>: cannot assign nil to string",
        ),
        (
            "x: {{ .Values.PathValue \"labels\" | toJson }}",
            "at <.Values.PathValue>: error calling PathValue: \"labels\" is not a value",
        ),
        ("x: {{ .Values.PathValue \"list\" | toJson }}", "x: [1,2]"),
        (
            "x: {{ .Template.Table \"Name\" }}",
            "at <.Template.Table>: error calling Table: \"Name\" is not a table",
        ),
    ];
    let values = std::fs::read_to_string(fixtures().join("valuesmethods/values.yaml")).unwrap();
    for (template, want) in cases {
        assert_eq!(error_or_line(&values, template, "3"), want, "{template}");
    }
}

/// Go's comparison errors: the Go release Helm 4.1.4 is built with names the two types where
/// Helm 3.17.3's does not (`incompatible types for comparison: float64 and string`); an invalid
/// type reads the same in both. Expected: each Helm's message after `executing "…" `.
#[test]
fn comparison_errors_are_worded_per_helm_version() {
    let cases = [
        (
            "{{ eq .Values.f \"x\" }}",
            "at <eq .Values.f \"x\">: error calling eq: incompatible types for comparison",
            ": float64 and string",
        ),
        (
            "{{ ne .Values.f \"x\" }}",
            "at <ne .Values.f \"x\">: error calling ne: incompatible types for comparison",
            ": float64 and string",
        ),
        (
            "{{ lt 1 \"x\" }}",
            "at <lt 1 \"x\">: error calling lt: incompatible types for comparison",
            ": int and string",
        ),
        (
            "{{ gt .Values.b 1 }}",
            "at <gt .Values.b 1>: error calling gt: incompatible types for comparison",
            ": bool and int",
        ),
        (
            "{{ eq 1 2 .Values.m }}",
            "at <eq 1 2 .Values.m>: error calling eq: incompatible types for comparison",
            ": int and map[string]interface {}",
        ),
        (
            "{{ lt .Values.b .Values.b }}",
            "at <lt .Values.b .Values.b>: error calling lt: invalid type for comparison",
            "",
        ),
    ];
    let values = "f: 3.0\nb: true\nm: {a: 1}\n";
    for (template, helm3, helm4_adds) in cases {
        let template = format!("x: {template}");
        assert_eq!(
            error_or_line(values, &template, "3"),
            helm3,
            "{template} (Helm 3)"
        );
        let helm4 = format!("{helm3}{helm4_adds}");
        assert_eq!(
            error_or_line(values, &template, "4"),
            helm4,
            "{template} (Helm 4)"
        );
    }
}

/// Renders a chart `c` whose values are `values` and whose one template is `template`, under
/// Helm `helm`'s semantics: the first error line after `executing "c/templates/e.yaml" `, or
/// the template's first output line when it renders.
fn error_or_line(values: &str, template: &str, helm: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "stackstate-lint-e-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(dir.join("values.yaml"), values).unwrap();
    std::fs::write(dir.join("templates/e.yaml"), format!("{template}\n")).unwrap();
    let chart = dir.display().to_string();
    let argv = [
        "stackstate-lint",
        "render",
        "x",
        "--chart",
        &chart,
        "--helm-version",
        helm,
    ];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    stackstate_lint::run(argv, false, &mut out, &mut err);
    std::fs::remove_dir_all(&dir).ok();
    let (out, err) = (
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    );
    match err.split_once("executing \"c/templates/e.yaml\" ") {
        Some((_, rest)) => rest.lines().next().unwrap_or_default().to_string(),
        None => out.lines().nth(2).unwrap_or_default().to_string(),
    }
}

/// Go checks a function's argument count (the piped value included) before evaluating any
/// argument, so the count's error wins over a failing or nil-pointer operand, in `include` and
/// `tpl` too; a right count lets the operand's error through. Each line of
/// `tests/fixtures/render/arity/cases.txt` becomes that chart's `templates/t.yaml`; expected:
/// the whole stderr of Helm 3.17.3 and 4.1.4 (`regenerate.sh` there).
#[test]
fn argument_counts_are_checked_before_the_arguments_as_in_helm() {
    let fixture = fixtures().join("arity");
    let cases = std::fs::read_to_string(fixture.join("cases.txt")).unwrap();
    for helm in ["3", "4"] {
        let expected =
            std::fs::read_to_string(fixture.join(format!("expected-helm{helm}.txt"))).unwrap();
        let mut got = String::new();
        for (i, case) in cases.lines().enumerate() {
            let dir = std::env::temp_dir().join(format!(
                "stackstate-lint-arity-{}-{helm}-{i}",
                std::process::id()
            ));
            std::fs::create_dir_all(dir.join("templates")).unwrap();
            for file in ["Chart.yaml", "values.yaml", "templates/_h.tpl"] {
                std::fs::copy(fixture.join(file), dir.join(file)).unwrap();
            }
            std::fs::write(dir.join("templates/t.yaml"), format!("{case}\n")).unwrap();
            let chart = dir.display().to_string();
            let argv = [
                "stackstate-lint",
                "render",
                "x",
                "--chart",
                &chart,
                "--helm-version",
                helm,
            ];
            let (mut out, mut err) = (Vec::new(), Vec::new());
            stackstate_lint::run(argv, false, &mut out, &mut err);
            std::fs::remove_dir_all(&dir).ok();
            got.push_str(&format!("### {case}\n{}", String::from_utf8(err).unwrap()));
        }
        assert_eq!(got, expected, "Helm {helm}");
    }
}

/// `--include-crds` prints a chart folder's `crds/` files in name order, as Helm reads a folder
/// (`filepath.Walk`), whatever order the file system lists them in (files made here in the
/// order b, c, a, d, e: the order of a folder listing on many file systems).
/// Expected: Helm 3.17.3's `helm template x DIR --include-crds` of the same chart.
#[test]
fn crds_of_a_chart_folder_come_in_name_order() {
    let dir = std::env::temp_dir().join(format!("stackstate-lint-crds-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("crds")).unwrap();
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: crdorder\nversion: 0.1.0\n",
    )
    .unwrap();
    for name in ["b", "c", "a", "d", "e"] {
        std::fs::write(
            dir.join(format!("crds/{name}.yaml")),
            format!("kind: ConfigMap\nname: {name}\n"),
        )
        .unwrap();
    }
    let chart = dir.display().to_string();
    let argv = [
        "stackstate-lint",
        "render",
        "x",
        "--chart",
        &chart,
        "--include-crds",
    ];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = stackstate_lint::run(argv, false, &mut out, &mut err);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    let expected = ["a", "b", "c", "d", "e"]
        .map(|n| format!("---\n# Source: crdorder/crds/{n}.yaml\nkind: ConfigMap\nname: {n}\n"))
        .join("\n");
    assert_eq!(String::from_utf8(out).unwrap(), expected);
}

/// A values file that ends in a block scalar without a final line break: Helm 3 (go-yaml v2)
/// gives the scalar no final break, Helm 4 (go-yaml v3) gives it one. Expected: `helm template`
/// 3.17.3 and 4.1.4 with `-f` of each file below (found in GitLab's chart examples).
#[test]
fn a_block_scalar_at_the_end_of_a_values_file_ends_as_in_each_helm() {
    let dir = std::env::temp_dir().join(format!("stackstate-lint-eof-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(dir.join("values.yaml"), "a: x\n").unwrap();
    std::fs::write(
        dir.join("templates/e.yaml"),
        "v: {{ .Values.a | toJson }}\n",
    )
    .unwrap();
    let cases = [
        ("a: |\n  x", "\"x\"", "\"x\\n\""),
        ("a: |+\n  x", "\"x\"", "\"x\\n\""),
        ("a: >\n  x\n  y", "\"x y\"", "\"x y\\n\""),
        ("a: |-\n  x", "\"x\"", "\"x\""),
        ("a: |\n  x\n", "\"x\\n\"", "\"x\\n\""),
        // A scalar's span starts at its anchor or tag: only a block scalar loses its break.
        ("a: &x |\n  x", "\"x\"", "\"x\\n\""),
        ("a: !!str &y >\n  x\n  y", "\"x y\"", "\"x y\\n\""),
        ("a: &x \"x\\n\"", "\"x\\n\"", "\"x\\n\""),
        ("a: !!str \"x\\n\\n\"", "\"x\\n\\n\"", "\"x\\n\\n\""),
        // A block scalar whose text starts with a quote is still one; an alias at the end
        // holds its anchor's value whole.
        ("a: |\n  \"q\"", "\"\\\"q\\\"\"", "\"\\\"q\\\"\\n\""),
        ("a: >\n  'q'", "\"'q'\"", "\"'q'\\n\""),
        ("x: &x |\n  c\na: *x", "\"c\\n\"", "\"c\\n\""),
        ("x: &x \"c\\n\"\na: *x", "\"c\\n\"", "\"c\\n\""),
        (
            "x: &x |+\n  c\n\n\na: *x",
            "\"c\\n\\n\\n\"",
            "\"c\\n\\n\\n\"",
        ),
    ];
    for (i, (text, helm3, helm4)) in cases.iter().enumerate() {
        let file = dir.join(format!("v{i}.yaml"));
        std::fs::write(&file, text).unwrap();
        for (helm, want) in [("3", helm3), ("4", helm4)] {
            let argv = [
                "stackstate-lint",
                "render",
                "x",
                "--chart",
                &dir.display().to_string(),
                "-f",
                &file.display().to_string(),
                "--helm-version",
                helm,
            ];
            let (mut out, mut err) = (Vec::new(), Vec::new());
            stackstate_lint::run(argv, false, &mut out, &mut err);
            let out = String::from_utf8(out).unwrap();
            assert_eq!(
                out.lines().nth(2),
                Some(format!("v: {want}").as_str()),
                "{text:?} under Helm {helm}"
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// One Go map in several charts: the maps two levels under `global` are shared by every
/// chart (a subchart's defaults add to them; `merge` into them in one chart's template shows
/// in the templates rendered after it), a subchart's `.Values` is its parent's
/// `.Values.<subchart>` (`set .Values "k"` shows in the parent), and a subchart that is off
/// (`t`, under `s2`) adds no defaults. Expected: `helm template x` of the fixture, Helm 3.17.3
/// and 4.1.4 (GitLab's chart relies on the first; its job names hash the values).
#[test]
fn maps_shared_between_charts_are_one_map_as_in_helm() {
    renders_as_helm_3_and_4("sharedmaps", "x");
}

/// A subchart keyed `global` (testkube 2.3.0 ships a library so named; an alias does the same):
/// its values are the parent's `global` table itself, and Helm's coalescing nests one finite
/// copy of it per pass (which copy holds what depends on Go's map order; the fixture prints
/// only what every order agrees on). Our model of the merge made the table contain itself, and
/// a template walking `.Values` (nats' `tplYaml` in testkube) recursed until Go's include limit.
/// Expected: `helm template x` of the fixture, Helm 3.17.3 and 4.1.4 (12 runs each agree).
#[test]
fn a_subchart_keyed_global_nests_finitely_as_in_helm() {
    renders_as_helm_3_and_4("globalsubchart", "x");
}

/// `--kube-version` as each Helm reads it: Helm 3 through Masterminds semver (`1.29` is
/// `v1.29.0`), Helm 4 through Kubernetes' generic parser (the version as given, `String` and
/// the `kubeVersion` check on its numbers alone: `v1.29.3-eks-1234` passes `>=1.29.0`), with
/// each one's errors. Expected: `helm template kv tests/fixtures/render/kubeversion
/// --kube-version V` of Helm 3.17.3 and 4.1.4 (stdout, or the first line of stderr), recorded
/// in its `expected.txt`. Helm fails on a version it cannot read with exit 1; ours treats it as
/// an input error (exit 2, `error: --kube-version: ` before Helm's message).
#[test]
fn kube_versions_parse_as_each_helm_parses_them() {
    let fixture = fixtures().join("kubeversion");
    let expected = std::fs::read_to_string(fixture.join("expected.txt")).unwrap();
    let chart = fixture.display().to_string();
    let mut cases = 0;
    for case in expected.split("=== helm").skip(1) {
        let (head, want) = case.split_once('\n').unwrap();
        let (helm, version) = head.split_once(" [").unwrap();
        let version = version.strip_suffix(']').unwrap();
        let argv = [
            "stackstate-lint",
            "render",
            "kv",
            "--chart",
            &chart,
            "--helm-version",
            helm,
            "--kube-version",
            version,
        ];
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = stackstate_lint::run(argv, false, &mut out, &mut err);
        let (out, err) = (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        );
        let got = match code {
            0 => out,
            2 => format!(
                "{}\n",
                err.lines()
                    .next()
                    .unwrap()
                    .replace("error: --kube-version: ", "Error: ")
            ),
            _ => format!("{}\n", err.lines().next().unwrap()),
        };
        assert_eq!(got, want, "Helm {helm} --kube-version {version:?}");
        cases += 1;
    }
    assert_eq!(cases, 36);
}

/// Times outside the int64-nanosecond years (1678-2262) as Go's `time.Time` holds them: the
/// zero time a failed `toDate` gives (year 1) printed, formatted, zoned and moved by Sprig's
/// date functions, and years past 10000 and before year 0 (`-0292`, `92` for `06`). Expected:
/// `helm template d tests/fixtures/render/fardates` of Helm 3.17.3 and 4.1.4.
#[test]
fn far_times_keep_their_year_as_in_go() {
    if !has_tz_database("Europe/Paris") {
        return;
    }
    renders_as_helm_3_and_4("fardates", "d");
}

/// Sprig's `toDate` parses in Go's `time.Local` and `date` formats in it; Local comes from
/// `$TZ`: a wall time takes the offset in effect then (a gap moves forward, an overlap takes
/// the later offset), a zone the text names is Local's when Local had it then, else a fixed
/// zone of what the text said. Expected: `TZ=Europe/Paris helm template l
/// tests/fixtures/render/localzone` of Helm 3.17.3 and 4.1.4.
#[test]
fn to_date_parses_in_the_local_zone_of_tz_as_go_does() {
    renders_in_paris_as_helm_3_and_4("localzone", "l");
}

/// `render RELEASE` of the fixture `name` with `TZ=Europe/Paris` prints its
/// `expected-helm3.yaml` and `expected-helm4.yaml` (where the host has the tz database).
fn renders_in_paris_as_helm_3_and_4(name: &str, release: &str) {
    if !has_tz_database("Europe/Paris") {
        return;
    }
    let fixture = fixtures().join(name);
    for (helm, expected) in [("3", "expected-helm3.yaml"), ("4", "expected-helm4.yaml")] {
        let args = ["render", release, "--chart", ".", "--helm-version", helm];
        let run = common::run_bin(&fixture, &args, &[("TZ", "Europe/Paris")]);
        assert_eq!(run.code, 0, "{}", run.err);
        let expected = std::fs::read_to_string(fixture.join(expected)).unwrap();
        assert_eq!(run.out, expected, "Helm {helm}");
    }
}

/// The methods of `time.Time` a template calls (`IsZero`, `UnixMicro`, `Before`, `After`,
/// `Equal`, `Compare`, `AddDate`), with Local from `$TZ` (AddDate keeps the wall clock across
/// a change of offset). Expected: `TZ=Europe/Paris helm template m
/// tests/fixtures/render/timemethods` of Helm 3.17.3 and 4.1.4.
#[test]
fn time_methods_answer_as_go_does() {
    renders_in_paris_as_helm_3_and_4("timemethods", "m");
}

/// `time`'s named types as Go prints and compares them (`time.Month`, `time.Weekday`,
/// `time.Duration`: their `String` for `%v` and actions, their number for `%d`, `eq` and
/// Sprig's casts; their own methods), `*time.Location`, and the methods of `time.Time` that take
/// or give them (`Sub`, `Add` with an untyped constant, `Truncate`, `Round`, `In`, `GoString`
/// for `%#v`, `MarshalJSON`, `AppendFormat`). Expected: `TZ=Europe/Paris helm template t
/// tests/fixtures/render/timetypes` of Helm 3.17.3 and 4.1.4.
#[test]
fn time_types_print_and_compare_as_in_go() {
    renders_in_paris_as_helm_3_and_4("timetypes", "t");
}

/// Complex constants (`1i`, `2+3i`, `2+0i`) as Go's executor gives them, a `complex128`:
/// printed by `fmt` as `(re+imi)` with each verb and flag, compared by `eq`, `0` to Sprig's
/// casts, refused by the JSON, YAML and TOML encoders. Expected: `helm template c
/// tests/fixtures/render/complexconst` of Helm 3.17.3 and 4.1.4.
#[test]
fn complex_constants_are_complex128_as_in_go() {
    renders_as_helm_3_and_4("complexconst", "c");
}

/// Helpers included again and again, as charts do (`include "name" .` in every file), whose
/// output depends on what changes between and within files: `.Template` reached every way a
/// template can reach it (a field, `omit`, `pick` and `toYaml`, `range` over the dot, `get`,
/// `merge`, `values`, `deepCopy`, a dict holding `$`, `template`, `printf`), values set or
/// merged between two calls, a helper that changes its own dot or the values, random output,
/// a `tpl` that defines a helper of the same name, and string and nil dots. The executor
/// replays remembered `include` results (`template::memo`); every line must still be what
/// running the helper prints. Expected: `helm template x tests/fixtures/render/includememo`
/// of Helm 3.17.3 and 4.1.4.
#[test]
fn included_helpers_print_what_each_call_sees() {
    renders_as_helm_3_and_4("includememo", "x");
}

/// Each text of `goyamltext/cases` (line breaks NEL, LS and PS, byte-order marks, tabs after
/// indicators, anchor names, long and multi-line keys, `...` and directives) read three ways:
/// as a `-f` values file, by `fromYaml`, and as a rendered manifest. Expected: what Helm 3.17.3
/// and 4.1.4 print (`expected-helmN.tsv`, from `expected.py`): the output when Helm succeeds;
/// its whole error for `fromYaml` and manifests; go-yaml's problem for a values file (ours is
/// a diagnostic of our own). `known-gaps.tsv` lists the readings still unlike Helm's.
#[test]
fn yaml_texts_are_read_as_go_yaml_reads_them() {
    let fixture = fixtures().join("goyamltext");
    let chart = fixture.display().to_string();
    let known = std::fs::read_to_string(fixture.join("known-gaps.tsv")).unwrap();
    let escape = |s: &str| {
        s.replace('\\', "\\\\")
            .replace('\n', "\\n")
            .replace('\t', "\\t")
    };
    let mut differ = Vec::new();
    for (helm, expected) in [("3", "expected-helm3.tsv"), ("4", "expected-helm4.tsv")] {
        let text = std::fs::read_to_string(fixture.join(expected)).unwrap();
        for line in text.lines() {
            let [case, mode, code, want] = line.splitn(4, '\t').collect::<Vec<_>>()[..] else {
                panic!("{line}");
            };
            let file = fixture.join("cases").join(case).display().to_string();
            let set = format!("mode={mode},case={case}");
            let mut argv = vec!["stackstate-lint", "render", "g", "--chart", &chart];
            argv.extend(["--helm-version", helm, "--set", &set]);
            if mode == "values" {
                argv.extend(["-f", &file]);
            }
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let got_code = stackstate_lint::run(argv, false, &mut out, &mut err);
            let got = escape(&String::from_utf8_lossy(if got_code == 0 {
                &out
            } else {
                &err
            }));
            let agree = match (code, got_code) {
                ("0", 0) => got == want,
                ("0", _) | (_, 0) => false,
                _ if mode == "values" => {
                    let problem = ["JSON: yaml: ", "error reading yaml document: ", "JSON: "]
                        .iter()
                        .find_map(|at| want.split(at).nth(1))
                        .unwrap_or(want);
                    let problem = problem.trim_end_matches("\\n");
                    let problem = match problem.split_once(": ") {
                        Some((line, rest)) if line.starts_with("line ") => rest,
                        _ => problem,
                    };
                    // A diagnostic names the key and Helm's problem, not Go's dump of the
                    // values under it.
                    let problem = [", value: ", ": map[interface {}]", ": []interface {}"]
                        .iter()
                        .filter_map(|dump| problem.find(dump))
                        .min()
                        .map_or(problem, |at| &problem[..at]);
                    got.contains(problem)
                }
                _ => got == want,
            };
            if !agree {
                differ.push(format!("helm{helm}\t{case}\t{mode}"));
            }
        }
    }
    let known: Vec<&str> = known
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.rsplit_once('\t').map_or(l, |(head, _why)| head))
        .collect();
    let unexpected: Vec<&String> = differ
        .iter()
        .filter(|d| !known.contains(&d.as_str()))
        .collect();
    assert!(unexpected.is_empty(), "read unlike Helm: {unexpected:#?}");
    let fixed: Vec<&&str> = known
        .iter()
        .filter(|k| !differ.iter().any(|d| d == *k))
        .collect();
    assert!(
        fixed.is_empty(),
        "now read as Helm reads them, no longer known gaps: {fixed:#?}"
    );
}

/// A remembered `include` is replayed only while nothing it looked at has changed, whatever
/// way it looked: a field, `toYaml`, `index` and `dig` paths, `merge` and `mergeOverwrite`
/// into a map of the call's own, `range`, `if`, `with`, `and`, `or`, `len`, `hasKey`, `keys`,
/// `empty`, `default`, `coalesce`, printing, `printf`, `pick`, `get`, an element of a list,
/// the dot itself and a dict holding the map. Each helper looks at a corner of the values of
/// its own; the template changes one corner at a time and calls them all again. Two more
/// files call helpers that read `.Template.Name` (which differs between them) and
/// `.Template.BasePath` (which does not). Expected:
/// `helm template x tests/fixtures/render/includememo-looks` of Helm 3.17.3 and 4.1.4.
#[test]
fn remembered_includes_notice_a_change_to_anything_they_looked_at() {
    renders_as_helm_3_and_4("includememo-looks", "x");
}

/// Helm skips the dependency steps only where Chart.yaml's `dependencies` is nil: an empty
/// list runs them, so the values are coalesced once more and each coalesce warning printed
/// twice (Helm 3.17.3 and 4.1.4; once without the key).
#[test]
fn an_empty_dependency_list_coalesces_once_more() {
    let dir =
        std::env::temp_dir().join(format!("stackstate-lint-emptydeps-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(dir.join("values.yaml"), "a:\n  b: {}\n").unwrap();
    std::fs::write(
        dir.join("templates/cm.yaml"),
        "a: {{ toJson .Values.a | quote }}\n",
    )
    .unwrap();
    let warning = "warning: cannot overwrite table with non table for emptydeps.a.b (map[])";
    for (deps, times) in [("dependencies: []\n", 2), ("", 1)] {
        std::fs::write(
            dir.join("Chart.yaml"),
            format!("apiVersion: v2\nname: emptydeps\nversion: 0.1.0\n{deps}"),
        )
        .unwrap();
        for (helm, line) in [
            ("3", format!("coalesce.go:298: {warning}\n")),
            ("4", format!("level=INFO msg=\"{warning}\"\n")),
        ] {
            let chart = dir.display().to_string();
            let argv = [
                "stackstate-lint",
                "render",
                "r",
                &chart,
                "--set-string",
                "a.b=x",
            ];
            let argv: Vec<&str> = argv.into_iter().chain(["--helm-version", helm]).collect();
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let code = stackstate_lint::run(argv, false, &mut out, &mut err);
            assert_eq!(code, 0);
            assert_eq!(
                String::from_utf8(err).unwrap(),
                line.repeat(times),
                "{deps:?} {helm}"
            );
            assert!(
                String::from_utf8(out)
                    .unwrap()
                    .ends_with("a: \"{\\\"b\\\":\\\"x\\\"}\"\n")
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// An `import-values` entry whose `parent` is missing: Helm 3 asserts it is a string and
/// panics (3.17.3 and 3.9.4: "interface conversion: interface {} is nil, not string"); Helm
/// 4.1.4 reads it with `%v`, so the values get a key `<nil>`.
#[test]
fn an_import_without_a_string_parent_fails_helm_3_and_is_nil_to_helm_4() {
    let dir = std::env::temp_dir().join(format!("stackstate-lint-ivnil-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::create_dir_all(dir.join("charts/s")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: p\nversion: 0.1.0\ndependencies:\n- name: s\n  version: 0.1.0\n  import-values:\n  - child: d\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("templates/t.yaml"),
        "p: {{ toJson .Values | quote }}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("charts/s/Chart.yaml"),
        "apiVersion: v2\nname: s\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(dir.join("charts/s/values.yaml"), "d: {k: 2}\n").unwrap();
    let chart = dir.display().to_string();
    let run = |helm: &str| {
        let argv = [
            "stackstate-lint",
            "render",
            "r",
            &chart,
            "--helm-version",
            helm,
        ];
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = stackstate_lint::run(argv, false, &mut out, &mut err);
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    };
    for helm in ["3", "3.9"] {
        let (code, _, err) = run(helm);
        assert_eq!(code, 1, "{helm}: {err}");
        assert!(
            err.contains("\"interface conversion: interface {} is nil, not string\""),
            "{helm}: {err}"
        );
    }
    let (code, out, err) = run("4");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.ends_with("p: \"{\\\"\\\\u003cnil\\\\u003e\\\":{\\\"k\\\":2},\\\"s\\\":{\\\"d\\\":{\\\"k\\\":2},\\\"global\\\":{}}}\"\n"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Chart trees whose values take paths of Helm's merge that the model's copies do not follow
/// (round 13's generated chart trees): `global` tables of different shapes in two charts, a
/// `global` that is no table, imports that carry a `global`. They run Helm's own steps on
/// shared maps; expected: `helm template x` of each, Helm 3.17.3 and 4.1.4.
#[test]
fn chart_trees_outside_the_merge_model_render_as_helm() {
    for name in [
        "global-null-in-a-middle-chart",
        "global-scalar-over-a-middle-table",
        "global-that-is-no-table",
        "import-of-global-false",
        "import-of-a-global-table",
    ] {
        renders_as_helm_3_and_4(&format!("unmodelled/{name}"), "x");
    }
    // A key of the top chart named like a grandchild chart: Helm coalesces the top chart's
    // values as its child's, and fails on the key (Helm 4 says it in its log too).
    let chart = fixtures().join("unmodelled/key-named-like-a-grandchild");
    for (helm, said) in [
        ("3", "Error: type mismatch on sa: true\n"),
        (
            "4",
            "level=ERROR msg=\"chart dependencies processing failed\" error=\"type mismatch on sa: true\"\nError: chart dependencies processing failed: type mismatch on sa: true\n",
        ),
    ] {
        let argv = [
            "stackstate-lint",
            "render",
            "x",
            "--chart",
            chart.to_str().unwrap(),
            "--helm-version",
            helm,
        ];
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = stackstate_lint::run(argv, false, &mut out, &mut err);
        assert_eq!(code, 1, "Helm {helm}: {}", String::from_utf8_lossy(&out));
        assert_eq!(String::from_utf8(err).unwrap(), said, "Helm {helm}");
    }
}

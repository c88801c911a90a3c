//! `stackstate-lint render` on one-template charts written for each case (the generated probes
//! of differential testing against Helm): each expectation is what Helm 3.17.3's
//! `helm template x CHART` printed for the same chart, stdout or its error.

use std::path::PathBuf;

/// A chart `x` with `values.yaml` = `values`, `files/a.txt`, `files/b.txt` and
/// `templates/t.yaml` = `template`, rendered as release `x`: Ok(stdout) or Err(stderr).
fn render(template: &str, values: &str) -> Result<String, String> {
    let (code, out, err) = run_render(template, values);
    if code == 0 { Ok(out) } else { Err(err) }
}

/// The exit code, stdout and stderr of `render` on a chart of the one template.
fn run_render(template: &str, values: &str) -> (i32, String, String) {
    run_render_chart(
        "apiVersion: v2\nname: x\nversion: 0.1.0\n",
        template,
        values,
    )
}

/// [`run_render`] of a chart with this Chart.yaml.
fn run_render_chart(chart_yaml: &str, template: &str, values: &str) -> (i32, String, String) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir: PathBuf = std::env::temp_dir().join(format!(
        "stackstate-lint-probe-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::create_dir_all(dir.join("files")).unwrap();
    std::fs::write(dir.join("Chart.yaml"), chart_yaml).unwrap();
    std::fs::write(dir.join("values.yaml"), values).unwrap();
    std::fs::write(dir.join("files/a.txt"), "hello\n").unwrap();
    std::fs::write(dir.join("files/b.txt"), "bee").unwrap();
    std::fs::write(dir.join("templates/t.yaml"), template).unwrap();
    let argv = vec![
        "stackstate-lint".to_string(),
        "render".to_string(),
        "x".to_string(),
        "--chart".to_string(),
        dir.display().to_string(),
    ];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = stackstate_lint::run(argv, false, &mut out, &mut err);
    std::fs::remove_dir_all(&dir).ok();
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

/// The one line of `# {{ … }}` output after the `# Source:` line.
#[track_caller]
fn line(template: &str) -> String {
    let out = render(&format!("# {template}\n"), "s: x\nnul: null\n")
        .unwrap_or_else(|e| panic!("{template}: {e}"));
    out.lines().nth(2).unwrap_or_default().to_string()
}

/// The part of the error after `executing "x/templates/t.yaml" `.
#[track_caller]
fn error(template: &str) -> String {
    let err = render(template, "s: x\nnul: null\n").expect_err(template);
    let first = err.lines().next().unwrap_or_default();
    first
        .split_once("executing \"x/templates/t.yaml\" ")
        .map_or(first, |(_, rest)| rest)
        .to_string()
}

/// Each template's first error line is Helm's YAML parse error of the manifest with `want`
/// (go-yaml's words after `yaml:`).
#[track_caller]
fn assert_yaml_errors(cases: &[(&str, &str)]) {
    let prefix =
        "Error: YAML parse error on x/templates/t.yaml: error converting YAML to JSON: yaml:";
    for (template, want) in cases {
        let err = render(template, "").expect_err(template);
        assert_eq!(
            err.lines().next().unwrap(),
            format!("{prefix} {want}"),
            "{template}"
        );
    }
}

#[test]
fn helms_named_map_and_slice_types_have_a_length_and_keys() {
    // Helm 3.17.3: `.Files` is a `map[string][]byte` and `.Capabilities.APIVersions` a
    // `[]string` (named types with methods): `len` counts them; a key `.Files` does not hold
    // is a nil `[]byte`, printed `[]`.
    assert_eq!(
        line(
            r#"{{ .Capabilities.APIVersions | len }}|{{ len .Files }}|{{ .Files.Glob "files/*" | len }}|{{ .Files.Glob "nope/*" | len }}|{{ .Files.Nope }}|{{ kindOf .Files }}"#
        ),
        "# 56|2|2|0|[]|map"
    );
}

#[test]
fn helms_named_map_and_slice_types_print_as_what_they_are() {
    // Helm 3.17.3: without a `String` method, `.Files` (`engine.files`) and
    // `.Capabilities.APIVersions` print their map and slice for every verb, named for `%#v`.
    assert_eq!(
        line(
            r#"{{ printf "%q|%#v|%x" (.Files.Glob "files/*") (.Files.Glob "files/b.txt") .Files }}|{{ printf "%q|%#v" .Capabilities.APIVersions (slice .Capabilities.APIVersions 0 2) | trunc 60 }}"#
        ),
        r#"# map["files/a.txt":"hello\n" "files/b.txt":"bee"]|engine.files{"files/b.txt":[]uint8{0x62, 0x65, 0x65}}|map[66696c65732f612e747874:68656c6c6f0a 66696c65732f622e747874:626565]|["v1" "admissionregistration.k8s.io/v1" "admissionregistrati"#
    );
}

#[test]
fn helms_structs_print_field_by_field_for_verbs_their_string_method_does_not_answer() {
    // Helm 3.17.3: Go's printer walks a struct (a pointer's `&` first) for `%d`, `%x`, `%+v`,
    // `%#v`… unless a `String` method answers the verb (a semver version's does for `%x`;
    // `.Capabilities.KubeVersion`'s is the pointer's, which a function's copy has not).
    let cases = [
        (
            r#"{{ printf "%d|%#v|%x" (semver "2.1.3-rc+m") (semver "2") (semver "1.2") }}"#,
            r#"# &{2 1 3 %!d(string=rc) %!d(string=m) %!d(string=2.1.3-rc+m)}|&semver.Version{major:0x2, minor:0x0, patch:0x0, pre:"", metadata:"", original:"2"}|312e322e30"#,
        ),
        (
            r#"{{ printf "%x|%+v|%#v|%t|%5.2s|" .Capabilities.KubeVersion .Capabilities.KubeVersion .Capabilities.KubeVersion .Capabilities.KubeVersion .Capabilities.KubeVersion }}"#,
            r#"# {76312e33322e30 31 3332}|{Version:v1.32.0 Major:1 Minor:32}|chartutil.KubeVersion{Version:"v1.32.0", Major:"1", Minor:"32"}|{%!t(string=v1.32.0) %!t(string=1) %!t(string=32)}|{   v1     1    32}|"#,
        ),
        (
            r#"{{ printf "%+v" .Chart }}"#,
            "# {Metadata:{Name:x Home: Sources:[] Version:0.1.0 Description: Keywords:[] Maintainers:[] Icon: APIVersion:v2 Condition: Tags: AppVersion: Deprecated:false Annotations:map[] KubeVersion: Dependencies:[] Type:} IsRoot:true}",
        ),
        (
            r#"{{ printf "%#v" .Chart.Metadata }}"#,
            r#"# chart.Metadata{Name:"x", Home:"", Sources:[]string(nil), Version:"0.1.0", Description:"", Keywords:[]string(nil), Maintainers:[]*chart.Maintainer(nil), Icon:"", APIVersion:"v2", Condition:"", Tags:"", AppVersion:"", Deprecated:false, Annotations:map[string]string(nil), KubeVersion:"", Dependencies:[]*chart.Dependency(nil), Type:""}"#,
        ),
        (
            r#"{{ printf "%d" .Chart }}"#,
            "# {{%!d(string=x) %!d(string=) [] %!d(string=0.1.0) %!d(string=) [] [] %!d(string=) %!d(string=v2) %!d(string=) %!d(string=) %!d(string=) %!d(bool=false) map[] %!d(string=) [] %!d(string=)} %!d(bool=true)}",
        ),
        (
            r#"{{ printf "%+d|%p" .Capabilities.HelmVersion .Capabilities.HelmVersion }}"#,
            "# {%!d(string=v3.17.3) %!d(string=e4da49785aa6e6ee2b86efd5dd9e43400318262b) %!d(string=clean) %!d(string=go1.23.7)}|%!p(version.BuildInfo={v3.17.3 e4da49785aa6e6ee2b86efd5dd9e43400318262b clean go1.23.7})",
        ),
        (
            r#"{{ printf "%+v" .Capabilities | trunc 60 }}|{{ printf "%#v" (list .Capabilities.HelmVersion) }}"#,
            r#"# &{KubeVersion:{Version:v1.32.0 Major:1 Minor:32} APIVersions|[]interface {}{version.BuildInfo{Version:"v3.17.3", GitCommit:"e4da49785aa6e6ee2b86efd5dd9e43400318262b", GitTreeState:"clean", GoVersion:"go1.23.7"}}"#,
        ),
    ];
    for (template, want) in cases {
        assert_eq!(line(template), want, "{template}");
    }
    assert!(line("{{ .Capabilities }}").starts_with("# {{v1.32.0 1 32} [v1 admissionregistration"));
    // An action prints what a pointer points to; `fmt` prints the pointer (Helm 3.17.3).
    let chart = "apiVersion: v2\nname: x\nversion: 0.1.0\nmaintainers:\n- name: me\n  email: a@b\n";
    let template = r#"# {{ index .Chart.Maintainers 0 }}|{{ printf "%v|%+v|%#v|%s" (index .Chart.Maintainers 0) (index .Chart.Maintainers 0) (index .Chart.Maintainers 0) (index .Chart.Maintainers 0) }}|{{ with $m := index .Chart.Maintainers 0 }}{{ $m }}{{ end }}
"#;
    let (code, out, err) = run_render_chart(chart, template, "");
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.lines().nth(2),
        Some(
            r#"# {me a@b }|&{me a@b }|&{Name:me Email:a@b URL:}|&chart.Maintainer{Name:"me", Email:"a@b", URL:""}|&{me a@b }|{me a@b }"#
        )
    );
}

#[test]
fn the_dot_values_and_template_are_chartutil_values() {
    // Helm 3.17.3 prints `chartutil.Values|chartutil.Values|chartutil.Values|map[string]interface {}`.
    assert_eq!(
        line(
            r#"{{ typeOf . }}|{{ printf "%T" .Values }}|{{ typeOf .Template }}|{{ typeOf .Release }}"#
        ),
        "# chartutil.Values|chartutil.Values|chartutil.Values|map[string]interface {}"
    );
    assert_eq!(
        error("{{ call $ }}"),
        "at <call $>: error calling call: non-function $ of type chartutil.Values"
    );
}

#[test]
fn methods_of_helms_objects_check_their_arguments_as_go_does() {
    // Each as Helm 3.17.3 words it: the count first (at the method, before any argument
    // runs), then each argument's type where it was written; no "error calling".
    let cases = [
        (
            "{{ .Capabilities.APIVersions.Has }}",
            "at <.Capabilities.APIVersions.Has>: wrong number of args for Has: want 1 got 0",
        ),
        (
            "{{ .Capabilities.APIVersions.Has 1 }}",
            "at <1>: expected string; found 1",
        ),
        (
            "{{ .Files.Get }}",
            "at <.Files.Get>: wrong number of args for Get: want 1 got 0",
        ),
        (
            r#"{{ .Files.Get "a" (fail "not run") }}"#,
            "at <.Files.Get>: wrong number of args for Get: want 1 got 2",
        ),
        (
            "{{ .Files.Get nil }}",
            "at <nil>: cannot assign nil to string",
        ),
        (
            "{{ .Files.Get .Values.nul }}",
            "at <.Values.nul>: wrong type for value; expected string; got interface {}",
        ),
        (
            "{{ .Files.AsConfig 1 }}",
            "at <.Files.AsConfig>: wrong number of args for AsConfig: want 0 got 1",
        ),
        (
            "{{ .Files.Nope 1 }}",
            "at <.Files.Nope>: Nope is not a method but has arguments",
        ),
        (
            "{{ .Chart.Name 1 }}",
            "at <.Chart.Name>: Name has arguments but cannot be invoked as function",
        ),
        (
            r#"{{ (semver "1.2.3").LessThan "1.3.0" }}"#,
            r#"at <"1.3.0">: can't handle "1.3.0" for arg of type *semver.Version"#,
        ),
        (
            r#"{{ (semver "1.2.3").LessThan }}"#,
            r#"at <"1.2.3">: wrong number of args for LessThan: want 1 got 0"#,
        ),
        (
            r#"{{ (semver "1.2.3").Major 1 }}"#,
            r#"at <"1.2.3">: wrong number of args for Major: want 0 got 1"#,
        ),
        // A key of the dot is an `interface {}` to Go's error.
        (
            "{{ .Chart.Nope }}",
            "at <.Chart.Nope>: can't evaluate field Nope in type interface {}",
        ),
        (
            "{{ .Capabilities.Nope }}",
            "at <.Capabilities.Nope>: can't evaluate field Nope in type interface {}",
        ),
        (
            "{{ .Capabilities.KubeVersion.Nope }}",
            "at <.Capabilities.KubeVersion.Nope>: can't evaluate field Nope in type chartutil.KubeVersion",
        ),
    ];
    for (template, want) in cases {
        assert_eq!(error(template), want, "{template}");
    }
}

#[test]
fn to_json_writes_a_structs_fields_in_declaration_order() {
    // Helm 3.17.3 (encoding/json on the structs; toYaml sorts the keys).
    assert_eq!(
        line(r#"{{ toJson .Capabilities.KubeVersion }}|{{ toJson .Chart }}"#),
        r#"# {"Version":"v1.32.0","Major":"1","Minor":"32"}|{"name":"x","version":"0.1.0","apiVersion":"v2","IsRoot":true}"#
    );
}

/// A binary file read with `.Files`: a Go string holds its bytes as they are, so `b64enc`,
/// `len`, `sha256sum` and `quote` see the file (kube-prometheus-stack ships its CRDs as
/// `crds.bz2` through `.Files.Get | b64enc`; a lossy reading encoded U+FFFD instead).
/// Expected: Helm 3.17.3's output for the same chart.
#[test]
fn a_binary_file_is_read_byte_for_byte() {
    let dir = std::env::temp_dir().join(format!("stackstate-lint-binary-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::create_dir_all(dir.join("files")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    )
    .unwrap();
    let mut bin: Vec<u8> = (0..=255u8).collect();
    bin.extend_from_slice(b"\n\xc3\n\xe2\x82\nok\xff\xfe\n");
    std::fs::write(dir.join("files/b.bin"), bin).unwrap();
    std::fs::write(
        dir.join("templates/a.yaml"),
        concat!(
            "b64: {{ .Files.Get \"files/b.bin\" | b64enc }}\n",
            "len: {{ .Files.Get \"files/b.bin\" | len }}\n",
            "lines: {{ .Files.Lines \"files/b.bin\" | len }}\n",
            "last: {{ .Files.Lines \"files/b.bin\" | last | quote }}\n",
            "sha: {{ .Files.Get \"files/b.bin\" | sha256sum }}\n",
            "config: {{ (.Files.Glob \"files/b.bin\").AsConfig | quote }}\n",
        ),
    )
    .unwrap();
    let argv = [
        "stackstate-lint",
        "render",
        "c",
        "--chart",
        dir.to_str().unwrap(),
    ];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = stackstate_lint::run(argv, false, &mut out, &mut err);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    assert_eq!(
        String::from_utf8(out).unwrap(),
        concat!(
            "---\n# Source: c/templates/a.yaml\n",
            "b64: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/wrDCuKCCm9r//4K\n",
            "len: 267\n",
            "lines: 5\n",
            "last: \"ok\\xff\\xfe\"\n",
            "sha: 9056f1d2abaf259c19ba9f8f2bf9cd9b040bc9ffc197655f35244635e89132cc\n",
            "config: \"\"\n",
        )
    );
}

/// After a method call with arguments, Go leaves the node being evaluated at the call's last
/// argument, so a type error on the result points there; the method's own error points at the
/// call. Expected: Helm 3.17.3's message for the same template.
#[test]
fn errors_after_a_method_call_point_where_go_points() {
    let cases = [
        (
            "{{ keys (.Files.Get \"files/a.txt\") }}",
            "at <\"files/a.txt\">: wrong type for value; expected map[string]interface {}; got string",
        ),
        (
            "{{ keys (.Files.Glob \"files/*\") }}",
            "at <\"files/*\">: wrong type for value; expected map[string]interface {}; got engine.files",
        ),
        (
            "{{ $f := .Files }}{{ keys ($f.Lines \"files/a.txt\") }}",
            "at <\"files/a.txt\">: wrong type for value; expected map[string]interface {}; got []string",
        ),
        (
            "{{ keys (.Capabilities.APIVersions.Has \"v1\") }}",
            "at <\"v1\">: wrong type for value; expected map[string]interface {}; got bool",
        ),
        (
            "{{ keys (.Values.Table \"s\") }}",
            "at <.Values.Table>: error calling Table: \"s\" is not a table",
        ),
        ("{{ .Files.Get 1 }}", "at <1>: expected string; found 1"),
    ];
    for (template, want) in cases {
        assert_eq!(error(template), want, "{template}");
    }
}

/// A rendered line that is an empty flow collection where a block mapping's next key or a
/// sequence's next `-` should be: go-yaml's parser fails on it ("did not find expected key",
/// line 0-based), a non-empty one needs its `:` ("could not find expected ':'").
/// Expected: Helm 3.17.3's messages (cluster-autoscaler's VPA template with every switch on).
#[test]
fn an_empty_flow_collection_in_a_block_fails_as_in_helm() {
    let cases = [
        ("a: b\n{}\n", "yaml: line 1: did not find expected key"),
        ("a: b\n[] # c\n", "yaml: line 1: did not find expected key"),
        (
            "- a\n[]\n",
            "yaml: line 1: did not find expected '-' indicator",
        ),
        (
            "a: b\n{a: 1}\n",
            "yaml: line 3: could not find expected ':'",
        ),
    ];
    for (template, want) in cases {
        let err = render(template, "").expect_err(template);
        let got = err.lines().next().unwrap_or_default();
        assert!(got.ends_with(want), "{template:?}: {got}");
    }
}

/// Go's `==` on Helm's objects (Helm 3.17.3 printed each): a struct of comparable fields
/// (`.Capabilities.KubeVersion`, a `time.Time`) by its fields, a pointer by identity, a map,
/// a slice or a struct holding one (`.Files`, `.Capabilities.APIVersions`, `.Chart`) not at all.
#[test]
fn eq_compares_helms_objects_as_go_does() {
    assert_eq!(
        line(
            "{{ eq .Capabilities.KubeVersion .Capabilities.KubeVersion }} {{ ne .Capabilities.KubeVersion .Capabilities.KubeVersion }} {{ eq .Capabilities.HelmVersion .Capabilities.HelmVersion }} {{ eq .Capabilities .Capabilities }}"
        ),
        "# true false true true"
    );
    assert_eq!(
        line(
            r#"{{ eq (toDate "2006-01-02" "2020-01-01") (toDate "2006-01-02" "2020-01-01") }} {{ eq (now) (now) }} {{ $s := semver "1.2.3" }}{{ eq $s $s }} {{ eq (semver "1.2.3") (semver "1.2.3") }}"#
        ),
        "# true false true false"
    );
    assert_eq!(
        line(
            r#"{{ eq (toDate "2006-01-02T15:04:05Z07:00" "2020-01-01T00:00:00+02:00") (toDate "2006-01-02T15:04:05Z07:00" "2020-01-01T00:00:00+02:00") }} {{ eq (toDate "2006-01-02T15:04:05Z07:00" "2020-01-01T00:00:00+02:30") (toDate "2006-01-02T15:04:05Z07:00" "2020-01-01T00:00:00+02:30") }}"#
        ),
        "# true false"
    );
    let files = error("{{ eq .Files .Files }}");
    assert!(
        files
            .starts_with("at <eq .Files .Files>: error calling eq: non-comparable type map[files/"),
        "{files}"
    );
    assert!(
        error("{{ eq .Capabilities.APIVersions .Capabilities.APIVersions }}")
            .ends_with("]: chartutil.VersionSet")
    );
    assert!(error("{{ eq .Chart .Chart }}").ends_with("}: struct { chart.Metadata; IsRoot bool }"));
}

/// go-yaml refuses a tab in a block scalar's indentation while the block's indentation is not
/// known yet, and short of it later (Helm 3.17.3's words); a tab right of it is text.
#[test]
fn a_tab_in_a_block_scalars_indentation_fails_the_manifest() {
    let err = "Error: YAML parse error on x/templates/t.yaml: error converting YAML to JSON: yaml: \
               line 2: found a tab character where an indentation space is expected\n";
    for template in [
        "a: |\n  \techo hi\n",
        "a: |{{ \"\\techo\" | nindent 2 }}\n",
        "a: |\n\t\n  x\n",
    ] {
        let got = render(template, "").expect_err(template);
        assert_eq!(got.lines().next(), err.lines().next(), "{template:?}");
    }
    let got = render("a: |\n  x\n\t\n  y\n", "").expect_err("middle");
    assert!(
        got.contains("yaml: line 3: found a tab character where an indentation space is expected"),
        "{got}"
    );
    let out = render("a: |\n  x\n  \ty\n", "").unwrap();
    assert!(out.ends_with("a: |\n  x\n  \ty\n"), "{out}");
}

/// A `break` in a range's `else` ends that range only (Go recovers it for the whole range);
/// a `continue` there goes on to the enclosing range (Helm 3.17.3 and 4.1.4).
#[test]
fn break_in_a_ranges_else_ends_that_range_only() {
    assert_eq!(
        line("{{ range (list 1 2 3) }}a{{ range list }}{{ else }}{{ break }}x{{ end }}b{{ end }}"),
        "# ababab"
    );
    assert_eq!(
        line(
            "{{ range (list 1 2 3) }}a{{ range list }}{{ else }}{{ continue }}x{{ end }}b{{ end }}"
        ),
        "# aaa"
    );
}

/// `quote` is `strconv.Quote`: a code point Go's Unicode tables leave unassigned is escaped as
/// `printf "%q"` escapes it (Helm 3.17.3 and 4.1.4).
#[test]
fn quote_escapes_what_go_does_not_print() {
    assert_eq!(
        line("{{ \"\u{5fd}\u{378}\u{1ffff}\u{a0}x\u{1fae9}\" | quote }}"),
        "# \"\\u05fd\\u0378\\U0001ffff\\u00a0x\\U0001fae9\""
    );
}

/// Nil slices and maps (Sprig's `rest` of nothing, `fromJson "null"`) are nil to `eq`,
/// `deepEqual`, `%#v` and `set`, as in Go (Helm 3.17.3; every release binary agrees).
#[test]
fn nil_slices_and_maps_are_nil_to_eq_deep_equal_printf_and_set() {
    assert_eq!(
        line("{{ eq (rest list) nil }} {{ eq (list 1) (rest list) }}"),
        "# true false"
    );
    assert_eq!(
        line("{{ deepEqual (list) (rest list) }} {{ printf \"%#v\" (rest list) }}"),
        "# false []interface {}(nil)"
    );
    assert_eq!(
        line(
            "{{ eq (fromJson \"null\") nil }} {{ printf \"%#v %v\" (fromJson \"null\") (fromJson \"null\") }}"
        ),
        "# true map[string]interface {}(nil) map[]"
    );
    assert_eq!(
        error("{{ $m := fromJson \"null\" }}{{ $_ := set $m \"x\" 1 }}"),
        "at <set $m \"x\" 1>: error calling set: assignment to entry in nil map"
    );
}

/// A carriage return alone in a quoted scalar breaks its line, and go-yaml does not check the
/// indentation of the line after it (Helm 3.17.3 and 4.1.4 render; text split at `\n` from a
/// file with Windows line ends, each piece quoted).
#[test]
fn a_lone_carriage_return_in_a_quoted_scalar_is_a_line_break() {
    let out = render("b:\n  a: \"x{{ \"\\r\" }}\"\n  c: 'y{{ \"\\r\" }}z'\n", "").unwrap();
    assert!(out.ends_with("b:\n  a: \"x\r\"\n  c: 'y\rz'\n"), "{out:?}");
    assert_eq!(
        line("{{ printf `b:%c  c: \"x%cy\"` 10 13 | fromYaml | toJson }}"),
        "# {\"b\":{\"c\":\"x y\"}}"
    );
}

/// The piped value fails its parameter's type last: Go blames the last node it evaluated,
/// inside the last operand when that is a parenthesised pipeline (Helm 3.17.3).
#[test]
fn a_piped_value_of_the_wrong_type_is_blamed_at_the_last_node_evaluated() {
    let at = |t: &str| {
        let e = render(t, "s: x\n").expect_err(t);
        e.lines().next().unwrap_or_default().to_string()
    };
    assert_eq!(
        at("{{ .Values.nope | trimSuffix (print \"-x\") }}"),
        "Error: template: x/templates/t.yaml:1:36: executing \"x/templates/t.yaml\" at <\"-x\">: invalid value; expected string"
    );
    assert_eq!(
        at("{{ .Values.nope | trimSuffix (\"%%\" | printf) }}"),
        "Error: template: x/templates/t.yaml:1:37: executing \"x/templates/t.yaml\" at <printf>: invalid value; expected string"
    );
}

/// Printing a map that holds itself: Helm's Go printer recurses until the runtime stops Helm
/// (exit 2, "fatal error: stack overflow"); the render fails and says why (it printed a
/// made-up expansion of up to 89 MB), also when a later action fails. A map held twice, not in
/// itself, prints.
#[test]
fn printing_a_map_that_holds_itself_fails_the_render() {
    let err = render(
        "a: {{ mergeOverwrite .Values.m .Values | toString | len }}\n",
        "m: {a: 1}\n",
    )
    .expect_err("cycle");
    assert!(
        err.contains("a template prints a map that holds itself"),
        "{err}"
    );
    // Helm dies on the print before a later action could fail (found by the template fuzzer:
    // ours reported the later action's error, exit 1).
    let err = render(
        "a: {{ mergeOverwrite .Values.m .Values | quote }}\nb: {{ kebabcase .Values.m }}\n",
        "m: {a: 1}\n",
    )
    .expect_err("cycle, then a failure");
    assert!(
        err.contains("a template prints a map that holds itself"),
        "{err}"
    );
    assert_eq!(
        line("{{ $d := dict \"a\" 1 }}{{ dict \"x\" $d \"y\" $d }}"),
        "# map[x:map[a:1] y:map[a:1]]"
    );
}

/// Sprig's number functions give 0 for a list or map, but spf13/cast first formats it with
/// `%#v` into an error Sprig drops: Helm 3.17.3 dies on a map that holds itself there too
/// (exit 2; found by the template fuzzer, seed 1002572: ours went on and reported a later
/// error, exit 1). A map held twice is 0.
#[test]
fn a_number_of_a_map_that_holds_itself_stops_as_helm_dies() {
    for t in [
        "{{ $d := dict \"a\" 1 }}{{ $_ := set $d \"me\" $d }}a: {{ add 1 (list $d) }}\n",
        "{{ $_ := set .Values.m \"v\" .Values }}a: {{ float64 .Values | gt 1 }}\n",
    ] {
        let (code, _, err) = run_render(t, "m: {a: 1}\n");
        assert_eq!(code, 2, "{t}: {err}");
        assert!(
            err.contains("a template prints a map that holds itself"),
            "{t}: {err}"
        );
    }
    assert_eq!(
        line("{{ $d := dict \"a\" 1 }}{{ add 1 (dict \"x\" $d \"y\" (list $d)) | int64 }}"),
        "# 1"
    );
}

/// mergo and copystructure recurse into a map that holds itself until Go's stack overflows:
/// Helm 3.17.3 dies (exit 2, "fatal error: stack overflow", no template error), so the render
/// stops as a budget does, exit 2 (found by the template fuzzer: ours said "error calling
/// merge", exit 1). A map held twice merges and copies.
#[test]
fn merging_or_copying_a_map_that_holds_itself_stops_as_helm_dies() {
    for t in [
        "{{ $m := dict \"a\" (dict \"b\" 1) }}{{ $_ := set $m.a \"m\" $m }}{{ $_ := merge (dict) $m $m }}\n",
        "{{ $_ := merge .Values.m .Values (dict \"m\" .Values) }}\n",
        "{{ $m := dict \"a\" 1 }}{{ $_ := set $m \"self\" $m }}{{ $_ := deepCopy $m }}\n",
    ] {
        let (code, _, err) = run_render(t, "m: {a: {b: 1}}\n");
        assert_eq!(code, 2, "{t}: {err}");
        assert!(err.contains("fatal error: stack overflow"), "{t}: {err}");
    }
    assert_eq!(
        line(
            "{{ $d := dict \"a\" 1 }}{{ merge (dict \"x\" $d) (dict \"x\" $d \"y\" $d) | deepCopy }}"
        ),
        "# map[x:map[a:1] y:map[a:1]]"
    );
}

/// go-yaml's reader refuses DEL and the other control characters anywhere in a values file or
/// a chart's YAML, before it parses (Helm 3.17.3: `cannot load values.yaml: error converting
/// YAML to JSON: yaml: control characters are not allowed`; a chart Helm refuses is an input
/// error here).
#[test]
fn control_characters_in_a_charts_values_are_refused() {
    for values in ["a: \"x\u{7f}y\"\n", "a: 1\n# \u{85}\u{9f}\n"] {
        let err = render("x: {{ .Values.a }}\n", values).expect_err(values);
        assert!(
            err.contains("cannot load values.yaml: error converting YAML to JSON: yaml: control characters are not allowed"),
            "{err}"
        );
    }
    assert!(render("x: {{ .Values.a }}\n", "a: \"\u{85}\u{a0}\"\n").is_ok());
}

/// After `tpl` or `include` returns, Go's mark stays on the call's last operand (the nested
/// template runs with its own state), so a later error in the action is blamed there (Helm
/// 3.17.3).
#[test]
fn after_tpl_or_include_the_last_operand_is_blamed() {
    assert_eq!(
        error("{{ range tpl \"abc\" $ }}{{ end }}"),
        "at <$>: range can't iterate over abc"
    );
    assert_eq!(
        error("{{ define \"x\" }}3{{ end }}{{ list 1 | trunc (include \"x\" .) }}"),
        "at <.>: wrong type for value; expected int; got string"
    );
}

/// A `printf` short of operands renders `%!s(MISSING)`; at a line's start go-yaml reads a
/// directive there and fails on its name (a scanner error: the line is the one it is on).
#[test]
fn a_percent_at_a_line_start_is_a_directive_go_yaml_refuses() {
    assert_yaml_errors(&[
        (
            "{{ printf \"%s-%s\" }}\n",
            "could not find expected directive name",
        ),
        (
            "# c\n{{ printf \"%s-%s\" }}\n---\na: 1\n",
            "line 2: could not find expected directive name",
        ),
        (
            "# c\n%YAML!1.1\n",
            "line 2: found unexpected non-alphabetical character",
        ),
    ]);
}

/// A line less indented than a block scalar's first, but more than the collection holding it:
/// go-yaml ends the scalar there and its parser wants the collection's next key (or `-`), at
/// the collection's line (saphyr says "wrongly indented line in block scalar"). Printed by
/// Helm 3.17.3; the first was found by the template fuzzer.
#[test]
fn a_line_short_of_a_block_scalars_indentation_ends_it() {
    assert_yaml_errors(&[
        (
            "a:\n  out: |-\n     \n    : a b\n",
            "line 3: did not find expected key",
        ),
        (
            "a: |\n     x\n   b: 1\n",
            "line 2: did not find expected key",
        ),
        (
            "- |\n     x\n   y\n",
            "line 2: did not find expected '-' indicator",
        ),
        (
            "k:\n  - |\n      x\n     y\n",
            "line 3: did not find expected '-' indicator",
        ),
        (
            "a:\n- |\n     x\n   y\n",
            "line 3: did not find expected key",
        ),
    ]);
}

/// A plain scalar of a flow collection runs over lines (`[a` then `"b" "c"` is one scalar,
/// `a "b" "c"`); when a `{` or `[` ends it on a later line than it began, go-yaml hands the
/// scalar to its parser at once and fails there on the missing `,`, before it reads on (an
/// unended quote after it). On one line, or after a line break, it reads on first. Printed
/// by Helm 3.17.3; the first shape was found by the template fuzzer.
#[test]
fn a_flow_collection_after_a_plain_scalar_over_lines_fails_at_once() {
    assert_yaml_errors(&[
        (
            "[a\n\"b\" \"c\" \"{x}\"\n",
            "line 1: did not find expected ',' or ']'",
        ),
        ("[a\n\"{x}\"\n", "line 1: did not find expected ',' or ']'"),
        (
            "{a\n\"b\" {\"x\n",
            "line 1: did not find expected ',' or '}'",
        ),
        ("[[a\nb {\"x\n", "line 1: did not find expected ',' or ']'"),
        ("[a\n{\"x\n", "line 2: found unexpected end of stream"),
        ("[a,\nb {\"x\n", "line 2: found unexpected end of stream"),
        ("[a {\"x\n", "found unexpected end of stream"),
        ("{a: b {\"x\n", "found unexpected end of stream"),
    ]);
}

/// A quoted scalar that never ends right after another on its line: go-yaml's scanner reads it
/// to the end of the text (a scanner error) before its parser could refuse a second scalar.
/// Printed by Helm 3.17.3; the first was found by the template fuzzer.
#[test]
fn an_unended_quote_after_a_quoted_scalar_is_read_to_the_end() {
    assert_yaml_errors(&[
        (
            "a:\n  k0: \n  k1: \"\"\"\n",
            "line 3: found unexpected end of stream",
        ),
        ("k1: '' 'x\n", "found unexpected end of stream"),
        (
            "k1: \"\"\n  \"x\n\n",
            "line 2: found unexpected end of stream",
        ),
        ("k1: \"\" \"x\"\n", "did not find expected key"),
    ]);
}

/// Outside a block mapping's value, go-yaml's scanner reads on through every quoted scalar of
/// the line after the first (each could still be a simple key), so an unended one after several
/// fails the scan; in a mapping's value its parser refuses the second scalar first. Printed by
/// Helm 3.17.3 and 4.1.4; the first shape (a `range` printing `"` per key) was found by the
/// template fuzzer.
#[test]
fn quoted_scalars_after_a_scalar_are_scanned_to_an_unended_one() {
    assert_yaml_errors(&[
        ("\"\"\"\"\"", "found unexpected end of stream"),
        ("\"\" \"\" \"", "found unexpected end of stream"),
        ("'' \"\" '", "found unexpected end of stream"),
        ("- \"\" \"\" \"", "found unexpected end of stream"),
        (
            "a:\n  - \"\" \"\" \"",
            "line 2: found unexpected end of stream",
        ),
        ("[ \"\", \"\" \"\" \"", "found unexpected end of stream"),
        ("{ a: \"\" \"\" \"", "found unexpected end of stream"),
        ("a: \"\" \"\" \"", "did not find expected key"),
        ("- a: \"\" \"\" \"", "did not find expected key"),
        ("a:\n  b: \"\" \"\" \"", "line 1: did not find expected key"),
        ("a: '' '' '", "did not find expected key"),
    ]);
}

/// A `-` entry inside a flow collection: saphyr's scanner refuses it, go-yaml's makes it a token
/// its parser fails on, wanting a node where one may start and the `,` or closing bracket after
/// a whole node (a quoted scalar, a closed collection, an anchor or tag alone); an alias to no
/// anchor fails first. Printed by Helm 3.17.3; the first shape (a Go list printed with an
/// indented `- x` in it) was found by the template fuzzer.
#[test]
fn a_dash_entry_inside_a_flow_collection_fails_in_go_yamls_words() {
    assert_yaml_errors(&[
        (
            "k0: [    - x |%!(EXTRA string=a) 1e-07]0[    - x]\n",
            "did not find expected node content",
        ),
        (
            "a: [b,\n  - x]\n",
            "line 1: did not find expected node content",
        ),
        (
            "a: [b, # c\n  - x]\n",
            "line 1: did not find expected node content",
        ),
        ("a: {b, - x}\n", "did not find expected node content"),
        ("a: {? - c}\n", "did not find expected node content"),
        ("- [- x]\n", "did not find expected node content"),
        ("a: [&q - x]\n", "did not find expected ',' or ']'"),
        ("a: {!t - x}\n", "did not find expected ',' or '}'"),
        ("a: {b: &q - x}\n", "did not find expected ',' or '}'"),
        ("a: [\"b\" - x]\n", "did not find expected ',' or ']'"),
        ("a: {b: [c] - x}\n", "did not find expected ',' or '}'"),
        (
            "x: &x 1\na: [*x - y]\n",
            "line 1: did not find expected ',' or ']'",
        ),
        ("x: &xy 1\na: [*x - y]\n", "unknown anchor 'x' referenced"),
    ]);
}

/// A `%` starting a line inside a document is a directive to go-yaml's scanner: a malformed one
/// fails its scan (a scanner error, 1-based line); a `%YAML` or `%TAG` one closes the block
/// collections and ends the document, and go-yaml v2 reads no further, so Helm renders (saphyr
/// wants a `...` first). A flow collection left open is its parser's error. Printed by Helm
/// 3.17.3 (4.1.4 alike); the first was found by the template fuzzer (a Go `%!f(<nil>)` at a
/// line's start after a block scalar).
#[test]
fn a_directive_inside_a_document_is_scanned_as_go_yaml_does() {
    assert_yaml_errors(&[
        (
            "out: |-\n    \n%!f(<nil>)|%!(EXTRA string=)\n",
            "line 3: could not find expected directive name",
        ),
        ("a: 1\n%FOO bar\n", "line 2: found unknown directive name"),
        (
            "a: 1\n%YA:\n",
            "line 2: found unexpected non-alphabetical character",
        ),
        (
            "a: [1,\n%x]\n",
            "line 2: found unexpected non-alphabetical character",
        ),
        (
            "a: [1,\n%YAML 1.1\n]\n",
            "line 1: did not find expected node content",
        ),
    ]);
    for (template, rendered) in [
        ("a: 1\n%YAML 1.1\nb: [\n", "a: 1\n%YAML 1.1\nb: [\n"),
        (
            "a:\n  - b\n%TAG ! tag:x,2000:\n%FOO\n",
            "a:\n  - b\n%TAG ! tag:x,2000:\n%FOO\n",
        ),
    ] {
        let out = render(template, "").unwrap_or_else(|e| panic!("{template}: {e}"));
        assert!(out.ends_with(rendered), "{out}");
    }
    let (code, out, _) = run_render("x: {{ .Values.a }}\n", "a: 1\n%YAML 1.1\nb: [\n");
    assert_eq!((code, out.lines().last()), (0, Some("x: 1")));
}

/// go-yaml v2 ends a plain scalar of a flow collection at a `:` before a blank only, so `b:[c]`
/// is the scalar `b:` then a `[`, where its parser wants `,` or the end (saphyr stops on the
/// `:`: "':' may not precede any of `[{`"). Printed by Helm 3.17.3; the first is a Go map
/// printed raw, found by the template fuzzer.
#[test]
fn a_colon_before_a_bracket_in_a_flow_collection_ends_a_plain_scalar() {
    assert_yaml_errors(&[
        (
            "[map[name:map[a:  pad   key:012] sub:[Hello World]] [] false]\n",
            "did not find expected ',' or ']'",
        ),
        ("k: [a:[b]]\n", "did not find expected ',' or ']'"),
        ("k: [a, b:[c]]\n", "did not find expected ',' or ']'"),
        ("k: {a: b, c:[d]}\n", "did not find expected ',' or '}'"),
        ("[\"a\\\"\", c:[d]]\n", "did not find expected ',' or ']'"),
        ("['a''b', c:[d]]\n", "did not find expected ',' or ']'"),
    ]);
}

/// After a single-pair mapping in a flow sequence, go-yaml's parser wants `,` or `]` and fails
/// on the token that follows the pair, on its line (saphyr blamed the pair's start). Printed by
/// Helm 3.17.3; the first shape was found by the template fuzzer against Helm 4.2.3.
#[test]
fn the_token_after_a_pair_in_a_flow_sequence_is_the_one_blamed() {
    assert_yaml_errors(&[
        (
            "a:\n  k0: [k1: \"1\"\n  k2: \"k3: \n",
            "line 2: did not find expected ',' or ']'",
        ),
        (
            "k0: [k1: 1\nk2: \"x\n",
            "line 1: did not find expected ',' or ']'",
        ),
        (
            "k: [a: b # c\n\n  x]\n",
            "line 2: did not find expected ',' or ']'",
        ),
        ("k: [map[b:1] a: b]\n", "did not find expected ',' or ']'"),
    ]);
}

/// A value printed raw that holds `{{ … }}` reads as a map used as a key: go-yaml's decoder
/// refuses that only after its parser read the whole document, so text after the braces on
/// that line fails first, as a syntax error (Helm 3.17.3 and 4.2.3).
#[test]
fn a_syntax_error_after_a_map_used_as_a_key_is_the_one_reported() {
    assert_yaml_errors(&[
        (
            "a:\n  k: {{ \"{{ x }}y\" }}\n",
            "line 1: did not find expected key",
        ),
        (
            "a:\n  k: {{ \"{{ x }}\" }}\n",
            "invalid map key: map[interface {}]interface {}{\"x\":interface {}(nil)}",
        ),
    ]);
}

/// Go checks each operand against its parameter's type as it evaluates it, so an earlier
/// operand of the wrong type fails a call before a later operand's own error (`required`,
/// `fail`); the table of parameter types is `data/function-params.tsv`.
#[test]
fn an_operand_of_the_wrong_type_fails_before_the_next_is_evaluated() {
    for (template, want) in [
        (
            "{{ trimSuffix .Values.port (required \"x\" .Values.missing) }}",
            "1:21: executing \"x/templates/t.yaml\" at <.Values.port>: wrong type for value; \
             expected string; got float64",
        ),
        (
            "{{ trunc \"a\" (fail \"boom\") }}",
            "1:9: executing \"x/templates/t.yaml\" at <\"a\">: expected integer; found \"a\"",
        ),
        (
            "{{ hasKey .Values.port (fail \"boom\") }}",
            "1:17: executing \"x/templates/t.yaml\" at <.Values.port>: wrong type for value; \
             expected map[string]interface {}; got float64",
        ),
        (
            "{{ get \"s\" (fail \"x\") }}",
            "1:7: executing \"x/templates/t.yaml\" at <\"s\">: can't handle \"s\" for arg of type \
             map[string]interface {}",
        ),
        // The function fails too (a map merged into itself): Go never calls it with an
        // operand its parameter refuses.
        (
            "{{ mergeOverwrite .Values.m .Values .Values.nope }}",
            "1:43: executing \"x/templates/t.yaml\" at <.Values.nope>: wrong type for value; \
             expected map[string]interface {}; got interface {}",
        ),
        // An operand of the right type: the later one's error stands.
        (
            "{{ trimSuffix .Values.s (fail \"boom\") }}",
            "execution error at (x/templates/t.yaml:1:25): boom",
        ),
    ] {
        let err =
            render(&format!("{template}\n"), "port: 8080\ns: x\nm: {}\n").expect_err(template);
        assert_eq!(
            err.lines().next().unwrap(),
            if want.starts_with("execution") {
                format!("Error: {want}")
            } else {
                format!("Error: template: x/templates/t.yaml:{want}")
            },
            "{template}"
        );
    }
}

/// A single-pair mapping saphyr reads inside a flow sequence and go-yaml does not: a key over
/// lines, or a key followed by a collection before its `:`. go-yaml's parser wants the
/// sequence's `,` or `]` (Helm 3.17.3's words and lines).
#[test]
fn no_single_pair_mapping_in_a_flow_sequence_where_go_yaml_reads_none() {
    assert_yaml_errors(&[
        (
            "k: [false\n  k1:\n",
            "line 1: did not find expected ',' or ']'",
        ),
        (
            "k: [x\n y: 1]\n",
            "line 1: did not find expected ',' or ']'",
        ),
        ("k: [map[b:1] a: b]\n", "did not find expected ',' or ']'"),
        (
            "a: 1\nk: [map\n [b:1] a: b]\n",
            "line 2: did not find expected ',' or ']'",
        ),
    ]);
}

/// A quoted scalar over lines where a key may start goes stale where it ends: libyaml checks
/// before it reads the next token, so the line is the closing quote's (Helm 3.17.3).
#[test]
fn a_quoted_key_over_lines_fails_on_the_line_it_ends() {
    assert_yaml_errors(&[
        (
            "a: 1\n\"x\ny\" # c\n\nb: 2\n",
            "line 3: could not find expected ':'",
        ),
        (
            "a: 1\n'x''\ny'\n\n\nb: 2\n",
            "line 3: could not find expected ':'",
        ),
        // On one line it goes stale at the next token.
        (
            "a: 1\n\"x\"\n# c\nb: 2\n",
            "line 4: could not find expected ':'",
        ),
    ]);
}

/// Helm decodes Chart.yaml through encoding/json into `map[string]string`: a null annotation
/// is a key holding "" (Helm 3.17.3 and 4.1.4 print the same).
#[test]
fn a_null_chart_annotation_is_an_empty_string() {
    let chart =
        "apiVersion: v2\nname: x\nversion: 0.1.0\nannotations:\n  a: x\n  b: null\n  c: ~\n  d:\n";
    let template = "# {{ .Chart.Annotations | toJson }} {{ len .Chart.Annotations }}\n";
    let (code, out, err) = run_render_chart(chart, template, "");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.ends_with("# {\"a\":\"x\",\"b\":\"\",\"c\":\"\",\"d\":\"\"} 4\n"),
        "{out}"
    );
}

/// `.Capabilities.Copy` is a copy of the struct (Helm 3.9.4 to 4.1.4 have the method).
#[test]
fn capabilities_copy_is_the_capabilities() {
    assert_eq!(
        line(
            "{{ (.Capabilities.Copy).KubeVersion.Version }} {{ .Capabilities.Copy.APIVersions | len | lt 10 }}"
        ),
        "# v1.32.0 true"
    );
}

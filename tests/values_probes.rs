//! `stackstate-lint render` on small charts written for each case (the generated probes of
//! differential testing of values loading against Helm): keys, nulls, globals and the `--set`
//! family. Each expectation is what the real `helm template x CHART …` printed, stdout or its
//! error; each test says which Helm versions (3.17.3, 3.16.4, 4.1.4) it was checked with.

use std::path::{Path, PathBuf};

/// A chart `x` (`values.yaml` = `values`, `templates/t.yaml` = `template`) with, when `sub` is
/// given, a subchart `sub` (its `values.yaml` and its `templates/t.yaml`) that Chart.yaml
/// declares when `declared`.
struct Probe<'a> {
    values: &'a str,
    template: &'a str,
    sub: Option<(&'a str, &'a str)>,
    declared: bool,
    /// `-f` files, written next to the chart.
    files: Vec<&'a str>,
    args: Vec<&'a str>,
}

impl<'a> Probe<'a> {
    fn new(values: &'a str, template: &'a str) -> Self {
        Probe {
            values,
            template,
            sub: None,
            declared: true,
            files: Vec::new(),
            args: Vec::new(),
        }
    }

    fn sub(mut self, values: &'a str, template: &'a str) -> Self {
        self.sub = Some((values, template));
        self
    }

    fn file(mut self, text: &'a str) -> Self {
        self.files.push(text);
        self
    }

    fn args(mut self, args: &[&'a str]) -> Self {
        self.args.extend_from_slice(args);
        self
    }

    /// Renders release `x` with `--helm-version helm`: Ok(stdout) or Err((exit code, stderr)),
    /// the temporary folder's path replaced by `DIR`.
    fn render(&self, helm: &str) -> Result<String, (i32, String)> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir: PathBuf = std::env::temp_dir().join(format!(
            "stackstate-lint-values-probe-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let chart = dir.join("c");
        let write = |path: &Path, text: &str| {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let mut meta = "apiVersion: v2\nname: x\nversion: 0.1.0\n".to_string();
        if let Some((values, template)) = self.sub {
            if self.declared {
                meta.push_str("dependencies:\n- name: sub\n  version: 0.1.0\n");
            }
            let sub = chart.join("charts/sub");
            write(
                &sub.join("Chart.yaml"),
                "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
            );
            write(&sub.join("values.yaml"), values);
            write(&sub.join("templates/t.yaml"), template);
        }
        write(&chart.join("Chart.yaml"), &meta);
        write(&chart.join("values.yaml"), self.values);
        write(&chart.join("templates/t.yaml"), self.template);
        let mut argv: Vec<String> = ["stackstate-lint", "render", "x", "--chart"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        argv.push(chart.display().to_string());
        argv.extend(["--helm-version".to_string(), helm.to_string()]);
        for (i, text) in self.files.iter().enumerate() {
            let path = dir.join(format!("u{i}.yaml"));
            write(&path, text);
            argv.extend(["-f".to_string(), path.display().to_string()]);
        }
        argv.extend(self.args.iter().map(|s| s.to_string()));
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = stackstate_lint::run(argv, false, &mut out, &mut err);
        std::fs::remove_dir_all(&dir).ok();
        let shown = dir.display().to_string();
        if code == 0 {
            Ok(String::from_utf8(out).unwrap())
        } else {
            Err((code, String::from_utf8(err).unwrap().replace(&shown, "DIR")))
        }
    }

    /// The `# …` lines of the output, in order.
    #[track_caller]
    fn lines(&self, helm: &str) -> Vec<String> {
        let out = self
            .render(helm)
            .unwrap_or_else(|(code, e)| panic!("exit {code}: {e}"));
        out.lines()
            .filter(|l| l.starts_with("# ") && !l.starts_with("# Source:"))
            .map(str::to_string)
            .collect()
    }
}

const HELM_VERSIONS: [&str; 3] = ["3", "3.16", "4"];

#[test]
fn values_has_helm_4s_type_name_under_helm_4() {
    // Helm 3.17.3 and 3.16.4 print `chartutil.Values` four times and `false`; Helm 4.1.4
    // `common.Values` four times and `true` (`Values` moved to pkg/chart/common).
    let p = Probe::new(
        "a: 1\n",
        r#"# {{ typeOf .Values }}|{{ printf "%T" .Values }}|{{ typeOf . }}|{{ typeOf .Template }}|{{ typeIs "common.Values" .Values }}"#,
    );
    let three = "# chartutil.Values|chartutil.Values|chartutil.Values|chartutil.Values|false";
    assert_eq!(p.lines("3"), [three]);
    assert_eq!(p.lines("3.16"), [three]);
    assert_eq!(
        p.lines("4"),
        ["# common.Values|common.Values|common.Values|common.Values|true"]
    );
    // The type shows in errors too: "… error calling call: non-function $ of type
    // common.Values" (Helm 4.1.4; chartutil.Values with Helm 3.17.3).
    let err = Probe::new("a: 1\n", "{{ call $ }}")
        .render("4")
        .unwrap_err();
    assert!(
        err.1
            .contains("error calling call: non-function $ of type common.Values"),
        "{}",
        err.1
    );
}

#[test]
fn keys_are_spelled_as_helms_yaml_to_json_step_spells_them() {
    // go-yaml v2 decodes each key as a scalar; sigs.k8s.io/yaml spells an int in decimal, a
    // float64 with FormatFloat(f, 'g', -1, 32) (so through a float32: `.inf` for 1.79e308),
    // infinities and NaN as `.inf`/`-.inf`/`.nan`, a bool as `true`/`false` (`on` is the same
    // key as `true`: the later wins). Helm 3.17.3, 3.16.4 and 4.1.4 print the same two lines.
    let values = "1.0: a\n0x10: b\n1e3: c\ntrue: d\n.inf: e\n0o7: f\n+2: g\n1_001: h\non: i\n\
                  -.inf: j\n.nan: k\n0.1: l\n1e21: m\n-0.0: 'n'\n\
                  123456789012345678901234567890: o\n2001-12-14: p\n9223372036854775807: q\n\
                  3.14159265358979: r\noff: s\n017: t\nbig: {1.7976931348623157e308: u}\n";
    let template =
        "# {{ toJson .Values }}\n# {{ range $k, $v := .Values }}{{ $k }}={{ $v }};{{ end }}\n";
    let want = [
        r#"# {"-.inf":"j","-0":"n",".inf":"e",".nan":"k","0.1":"l","1":"a","1.2345679e+29":"o","1000":"c","1001":"h","15":"t","16":"b","1e+21":"m","2":"g","2001-12-14":"p","3.1415927":"r","7":"f","9223372036854775807":"q","big":{".inf":"u"},"false":"s","true":"i"}"#,
        "# -.inf=j;-0=n;.inf=e;.nan=k;0.1=l;1=a;1.2345679e+29=o;1000=c;1001=h;15=t;16=b;1e+21=m;2=g;2001-12-14=p;3.1415927=r;7=f;9223372036854775807=q;big=map[.inf:u];false=s;true=i;",
    ];
    for helm in HELM_VERSIONS {
        // The chart's values.yaml, a -f file, and a subchart's values.yaml read keys alike.
        assert_eq!(Probe::new(values, template).lines(helm), want, "{helm}");
        assert_eq!(
            Probe::new("", template).file(values).lines(helm),
            want,
            "{helm}"
        );
        let sub = Probe::new("", "").sub(values, template).lines(helm);
        assert!(sub[0].contains(r#""1.2345679e+29":"o""#), "{helm}: {sub:?}");
    }
}

#[test]
fn a_null_key_or_a_key_beyond_int64_is_refused_with_its_place() {
    // Helm 3.17.3 and 3.16.4: "Error: failed to parse u0.yaml: error converting YAML to JSON:
    // unsupported map key of type: %!s(<nil>), key: <nil>, value: 1" (for `~: 1`), and for
    // `9223372036854775808: 1` "… unsupported map key of type: uint64, key:
    // 0x8000000000000000, value: 1"; Helm 4.1.4 puts "cannot unmarshal yaml document: " before
    // "error converting". In a chart's values.yaml: "Error: cannot load values.yaml: …"; in a
    // subchart's: "Error: error unpacking subchart sub in x: cannot load values.yaml: …"
    // (3.16.4: "error unpacking sub in x"). Ours: an input error at the key.
    for helm in HELM_VERSIONS {
        for (text, what) in [
            ("a: 1\n~: 1\n", "the key `~` is null"),
            ("a: 1\nnull: 1\n", "the key `null` is null"),
            (
                "a: 1\n9223372036854775808: 1\n",
                "the key `9223372036854775808` is an integer too large for an int64",
            ),
            (
                "a: 1\n0xFFFFFFFFFFFFFFFF: 1\n",
                "the key `0xFFFFFFFFFFFFFFFF` is an integer too large for an int64",
            ),
        ] {
            let (code, err) = Probe::new("", "# x\n").file(text).render(helm).unwrap_err();
            assert_eq!(code, 2, "{helm} {text}: {err}");
            assert!(
                err.starts_with(&format!("error: DIR/u0.yaml:2:1: {what}")),
                "{helm} {text}: {err}"
            );
            let (code, err) = Probe::new("", "# x\n")
                .sub(text, "# y\n")
                .render(helm)
                .unwrap_err();
            assert_eq!(code, 2, "{helm} {text}: {err}");
            assert!(
                err.starts_with(&format!("error: DIR/c/charts/sub/values.yaml:2:1: {what}")),
                "{helm} {text}: {err}"
            );
        }
    }
}

#[test]
fn a_subchart_keeps_the_globals_the_charts_gave_it_when_the_user_blanks_global() {
    // Helm's import step (the chart declares its dependencies) merges the charts' values once,
    // copying each level's `global` into its subcharts'; the user's `global: ~` or
    // `--set global.g=null` then deletes only the parent's own key. Helm 3.17.3, 3.16.4 and
    // 4.1.4 print the same.
    let parent = "global:\n  g: 1\n  h: 2\n";
    let sub = "global:\n  s: 1\n  g: 0\n";
    let top = "# {{ toJson .Values }}\n";
    let below = "# {{ toJson .Values.global }}\n";
    for helm in HELM_VERSIONS {
        for blank in ["global: ~\n", "global: null\n", "global:\n"] {
            let p = Probe::new(parent, top).sub(sub, below).file(blank);
            assert_eq!(
                p.lines(helm),
                [
                    r#"# {"g":1,"h":2,"s":1}"#,
                    r#"# {"sub":{"global":{"g":1,"h":2,"s":1}}}"#
                ],
                "{helm} {blank}"
            );
        }
        let p = Probe::new(parent, top)
            .sub(sub, below)
            .args(&["--set", "global.g=null"]);
        assert_eq!(
            p.lines(helm),
            [
                r#"# {"g":1,"h":2,"s":1}"#,
                r#"# {"global":{"h":2},"sub":{"global":{"g":1,"h":2,"s":1}}}"#
            ],
            "{helm}"
        );
        // A subchart Chart.yaml does not declare gets no import step: the user's null reaches
        // it.
        let mut p = Probe::new(parent, top).sub(sub, below).file("global: ~\n");
        p.declared = false;
        assert_eq!(
            p.lines(helm),
            [
                r#"# {"g":0,"s":1}"#,
                r#"# {"sub":{"global":{"g":0,"s":1}}}"#
            ],
            "{helm}"
        );
        let mut p = Probe::new(parent, top)
            .sub(sub, below)
            .args(&["--set", "global.g=null"]);
        p.declared = false;
        assert_eq!(
            p.lines(helm),
            [
                r#"# {"g":0,"h":2,"s":1}"#,
                r#"# {"global":{"h":2},"sub":{"global":{"g":0,"h":2,"s":1}}}"#
            ],
            "{helm}"
        );
    }
}

#[test]
fn every_subchart_has_a_global_map() {
    // Helm's coalesceGlobals leaves `global: {}` in a subchart's values when no chart has
    // one (Helm 3.17.3, 3.16.4, 4.1.4), unless the parent's `global` is no map (it warns
    // "skipping globals because source global is not a table" and copies nothing).
    for helm in HELM_VERSIONS {
        let p = Probe::new("a: 1\n", "# {{ toJson .Values }}\n")
            .sub("k: 1\n", "# {{ toJson .Values }}\n");
        assert_eq!(
            p.lines(helm),
            [
                r#"# {"global":{},"k":1}"#,
                r#"# {"a":1,"sub":{"global":{},"k":1}}"#
            ],
            "{helm}"
        );
    }
}

#[test]
fn a_null_where_a_subcharts_values_belong_is_a_type_mismatch() {
    // Helm's first coalescing (for conditions) meets `sub: null` before any default deletes
    // it when the parent's values.yaml has no `sub`: "Error: type mismatch on sub:
    // %!t(<nil>)" (Helm 3.17.3, 3.16.4). Helm 4.1.4 logs it, then wraps it:
    // `level=ERROR msg="chart dependencies processing failed" error="type mismatch on sub:
    // %!t(<nil>)"` and "Error: chart dependencies processing failed: type mismatch on sub:
    // %!t(<nil>)". A scalar: "%!t(float64=1)".
    let p = |user: &'static str| {
        Probe::new("a: 1\n", "# x\n")
            .sub("k: 1\n", "# y\n")
            .file(user)
    };
    for helm in ["3", "3.16"] {
        assert_eq!(
            p("sub: null\n").render(helm),
            Err((1, "Error: type mismatch on sub: %!t(<nil>)\n".into()))
        );
        assert_eq!(
            p("sub: 1\n").render(helm),
            Err((1, "Error: type mismatch on sub: %!t(float64=1)\n".into()))
        );
    }
    assert_eq!(
        p("sub: null\n").render("4"),
        Err((
            1,
            "level=ERROR msg=\"chart dependencies processing failed\" error=\"type mismatch on \
             sub: %!t(<nil>)\"\nError: chart dependencies processing failed: type mismatch on \
             sub: %!t(<nil>)\n"
                .into()
        ))
    );
    // With `sub:` in the parent's values.yaml the null deletes that default first, and the
    // subchart's values come in (all three versions).
    for helm in HELM_VERSIONS {
        let p = Probe::new("sub:\n  k: 2\n", "# {{ toJson .Values }}\n")
            .sub("k: 1\nm: 3\n", "# y\n")
            .file("sub: null\n");
        assert_eq!(
            p.lines(helm)[1],
            r#"# {"sub":{"global":{},"k":1,"m":3}}"#,
            "{helm}"
        );
    }
}

#[test]
fn an_index_without_its_bracket_ends_a_set_argument_in_helm_4() {
    // Helm 4.1.4's strvals tests `errors.Is(err, io.EOF)`: "error parsing index: EOF" wraps
    // io.EOF, so parsing stops there without error, keeping what came before. Helm 3.17.3
    // and 3.16.4 compare with `==` and fail: "Error: failed parsing --set data: error parsing
    // index: EOF".
    let p = Probe::new("", "# {{ toJson .Values }}\n").args(&["--set", "x=1,a[0=1"]);
    assert_eq!(p.lines("4"), [r#"# {"x":1}"#]);
    for helm in ["3", "3.16"] {
        let (code, err) = p.render(helm).unwrap_err();
        assert_eq!(code, 2);
        assert!(err.contains("error parsing index: EOF"), "{err}");
    }
}

#[test]
fn a_tab_after_a_colon_separates_the_value() {
    // libyaml takes any blank after a mapping's `:`; Helm 3.17.3, 3.16.4 and 4.1.4 print
    // `{"a":1,"b":"x y","c":{"d":true},"e":{"f":2}}` (we refused the file).
    let values = "a:\t1\nb:\t\tx y\nc:\n  d:\ttrue # c\ne: {f:\t2}\n";
    for helm in HELM_VERSIONS {
        assert_eq!(
            Probe::new("", "# {{ toJson .Values }}\n")
                .file(values)
                .lines(helm),
            [r#"# {"a":1,"b":"x y","c":{"d":true},"e":{"f":2}}"#],
            "{helm}"
        );
    }
}

#[test]
fn helm_4_keeps_a_subcharts_nested_null_defaults() {
    // Helm 4.1.4's coalesceTablesFullKey deletes a null only over a default that is no null:
    // a subchart's `limits:` (null) under `resources` reaches its templates (the import step
    // merged the subchart's values into the parent's, nulls kept, and coalescing them with the
    // subchart's own no longer deletes them). Helm 3.17.3 and 3.16.4 delete them; a top-level
    // null (`e:`) goes in all three.
    let p = Probe::new("top: 1\n", "# {{ toJson .Values }}\n").sub(
        "resources:\n  limits:\n  requests: {cpu: 1}\nimage:\n  digest: ~\n  tag: x\ne:\n",
        "# {{ toJson .Values }}\n# {{ toYaml .Values.resources | replace \"\\n\" \" \" }}\n",
    );
    for helm in ["3", "3.16"] {
        assert_eq!(
            p.lines(helm),
            [
                r#"# {"global":{},"image":{"tag":"x"},"resources":{"requests":{"cpu":1}}}"#,
                "# requests:   cpu: 1",
                r#"# {"sub":{"global":{},"image":{"tag":"x"},"resources":{"requests":{"cpu":1}}},"top":1}"#,
            ],
            "{helm}"
        );
    }
    assert_eq!(
        p.lines("4"),
        [
            r#"# {"global":{},"image":{"digest":null,"tag":"x"},"resources":{"limits":null,"requests":{"cpu":1}}}"#,
            "# limits: null requests:   cpu: 1",
            r#"# {"sub":{"global":{},"image":{"digest":null,"tag":"x"},"resources":{"limits":null,"requests":{"cpu":1}}},"top":1}"#,
        ]
    );
}

#[test]
fn helm_4_reads_every_document_of_a_charts_values_yaml() {
    // Helm 4.1.4's chart loader merges the documents of values.yaml in order (LoadValues), as
    // for -f files; Helm 3.17.3 and 3.16.4 read the first one only.
    let p = Probe::new(
        "a: 1\nsub: {k: 1}\n---\nb: 2\n---\na: 3\n",
        "# {{ toJson .Values }}\n",
    )
    .sub(
        "m: {b: 1}\np: 1\n---\nm: {c: 2}\np: null\n",
        "# {{ toJson .Values }}\n",
    );
    for helm in ["3", "3.16"] {
        assert_eq!(
            p.lines(helm),
            [
                r#"# {"global":{},"k":1,"m":{"b":1},"p":1}"#,
                r#"# {"a":1,"sub":{"global":{},"k":1,"m":{"b":1},"p":1}}"#,
            ],
            "{helm}"
        );
    }
    assert_eq!(
        p.lines("4"),
        [
            r#"# {"global":{},"k":1,"m":{"b":1,"c":2}}"#,
            r#"# {"a":3,"b":2,"sub":{"global":{},"k":1,"m":{"b":1,"c":2}}}"#,
        ]
    );
}

#[test]
fn a_manifest_that_is_no_map_names_helm_4s_simplehead_type() {
    // A template printing a value that is no YAML map: Helm 3.17.3 and 3.16.4 say "… cannot
    // unmarshal string into Go value of type releaseutil.SimpleHead", Helm 4.1.4 "… of type
    // util.SimpleHead" (pkg/release/v1/util).
    let p = Probe::new("v: a\n", "{{ .Values.v }}\n");
    let first = |helm: &str| {
        let (code, err) = p.render(helm).unwrap_err();
        assert_eq!(code, 1, "{helm}: {err}");
        err.lines().next().unwrap_or_default().to_string()
    };
    let words = "Error: YAML parse error on x/templates/t.yaml: error unmarshaling JSON: while \
                 decoding JSON: json: cannot unmarshal string into Go value of type";
    assert_eq!(first("3"), format!("{words} releaseutil.SimpleHead"));
    assert_eq!(first("3.16"), format!("{words} releaseutil.SimpleHead"));
    assert_eq!(first("4"), format!("{words} util.SimpleHead"));
}

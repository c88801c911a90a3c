//! The executor, end to end through the parser. Every expectation was printed by Helm 3.17.3
//! (`helm template` on a one-file chart with the values below).

use crate::template::value::Entries;
use std::rc::Rc;

use crate::helm_build::HelmBuild;
use crate::source::FileId;
use crate::template::value::Value;
use crate::template::{Exec, Limits, Templates};

const VALUES: &str =
    "a: hello\nn: 42\nf: 4.10\nb: true\nl: [a, b, c]\nm: {z: 1, y: two}\ne: []\nnul: null\n";

/// The dot of a render whose `.Values` are `values` read as a values file (with provenance).
fn dot_of(values: &str) -> Value {
    let file = crate::yaml::load(FileId(0), values, &Default::default()).expect("values parse");
    let values = crate::template::values_bridge::values_from_node(&file.documents[0], &[]);
    let mut top = Entries::new();
    top.insert(Rc::from("Values"), values);
    Value::map(top)
}

fn render(template: &str) -> Result<String, String> {
    let dot = dot_of(VALUES);
    let mut set = Templates::new();
    set.parse_file("x", template).map_err(|e| e.message)?;
    let mut exec = Exec::new(&set, Limits::default());
    let out = exec.execute("x", dot).map_err(|e| e.message)?;
    Ok(crate::template::exec::remove_no_value(out).text)
}

#[track_caller]
fn check(template: &str, want: &str) {
    assert_eq!(
        render(template).as_deref(),
        Ok(want),
        "template: {template}"
    );
}

#[track_caller]
pub(super) fn check_err(template: &str, want: &str) {
    let got = render(template).expect_err(template);
    assert_eq!(got, want, "template: {template}");
}

#[test]
fn prints_values_like_helm() {
    check(
        "{{ .Values.a }}|{{ .Values.missing }}|{{ .Values.n }}|{{ .Values.f }}|{{ .Values.b }}",
        "hello|||4.1|true",
    );
    check(
        "{{ .Values.m }}|{{ .Values.l }}|{{ .Values.e }}|{{ .Values.nul }}|{{ print .Values.missing }}",
        "map[true:two z:1]|[a b c]|[]||<nil>",
    );
}

#[test]
fn range_over_lists_and_maps() {
    check(
        "{{ range .Values.l }}[{{ . }}]{{ end }}|{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }};{{ end }}",
        "[a][b][c]|true=two;z=1;",
    );
    check(
        "{{ range $i, $e := .Values.l }}{{ $i }}:{{ $e }} {{ else }}none{{ end }}|{{ range .Values.missing }}x{{ else }}empty{{ end }}",
        "0:a 1:b 2:c |empty",
    );
    check(
        "{{ range .Values.l }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}|{{ range .Values.l }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ . }}{{ end }}",
        "a|ac",
    );
}

/// `range $x = …` sets variables of the enclosing scope (Go's walkRange with `IsAssign`): first
/// to the ranged value, then per iteration (one variable: the element; two: index, element), and
/// they keep the last value after `{{ end }}`; an undefined one fails (Helm 3.17.3 and 4.1.4).
#[test]
fn range_assigns_to_outer_variables() {
    check(
        "{{ $x := 0 }}{{ range $x = list 1 2 }}{{ $x }}{{ end }}{{ $x }}",
        "122",
    );
    check(
        r#"{{ $i := 5 }}{{ $v := 6 }}{{ range $i, $v = dict "b" 1 "a" 2 }}{{ end }}{{ $i }}{{ $v }}"#,
        "b1",
    );
    check("{{ $x := 3 }}{{ range $x = list }}{{ end }}{{ $x }}", "[]");
    check(
        "{{ $x := 0 }}{{ range $x = list }}{{ else }}e{{ $x }}{{ end }}{{ $x }}",
        "e[][]",
    );
    check(
        "{{ $i := 5 }}{{ range $i = list 7 }}{{ break }}{{ end }}{{ $i }}",
        "7",
    );
    check_err(
        "{{ range $x = list 1 }}{{ end }}",
        "template: x:1:19: executing \"x\" at <1>: undefined variable: $x",
    );
}

#[test]
fn with_if_and_or() {
    check(
        "{{ with .Values.m }}{{ .z }}{{ end }}|{{ with .Values.missing }}x{{ else with .Values.a }}w{{ . }}{{ end }}",
        "1|whello",
    );
    check(
        "{{ if and .Values.a .Values.missing }}yes{{ else }}no{{ end }}|{{ or .Values.missing 0 \"\" \"last\" }}|{{ and 1 2 }}",
        "no|last|2",
    );
}

#[test]
fn variables() {
    check(
        "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}|{{ $y := .Values.a }}{{ $y }}",
        "2|hello",
    );
    check(
        "{{ (.Values.missing).x }}|{{ $z := .Values.missing }}{{ $z.x }}|{{ $.Values.a }}",
        "||hello",
    );
}

#[test]
fn templates_include_and_tpl() {
    check(
        "{{- define \"t\" }}T{{ . }}{{ end }}{{ template \"t\" \"x\" }}|{{ include \"t\" 5 }}|{{ tpl \"{{ .Values.a }}-{{ .Values.nope }}\" . }}",
        "Tx|T5|hello-",
    );
}

#[test]
fn number_constants() {
    check(
        "{{ 1e3 }}|{{ 0x1F }}|{{ 'a' }}|{{ 1.5 }}|{{ -3 }}|{{ 0x1p4 }}",
        "1000|31|97|1.5|-3|16",
    );
}

#[test]
fn nil_rules_of_field_chains() {
    check_err(
        "a: {{ .Values.a.b }}",
        "template: x:1:13: executing \"x\" at <.Values.a.b>: can't evaluate field b in type interface {}",
    );
    check_err(
        "a: {{ .Values.missing.b }}",
        "template: x:1:13: executing \"x\" at <.Values.missing.b>: nil pointer evaluating interface {}.b",
    );
    check_err(
        "a: {{ range 3 }}x{{end}}",
        "template: x:1:12: executing \"x\" at <3>: range can't iterate over 3",
    );
}

/// Go ranges over a list or map of any type with interface values as dot: a field of one says
/// `interface {}`, and a field of a nil one fails; `with` and typed lists give the value itself.
#[test]
fn range_elements_are_interface_values() {
    check_err(
        "{{ range .Values.l }}{{ .x }}{{ end }}",
        "template: x:1:24: executing \"x\" at <.x>: can't evaluate field x in type interface {}",
    );
    check_err(
        "{{ range .Values.m }}{{ .x }}{{ end }}",
        "template: x:1:24: executing \"x\" at <.x>: can't evaluate field x in type interface {}",
    );
    check_err(
        "{{ range list .Values.nul }}{{ .x }}{{ end }}",
        "template: x:1:31: executing \"x\" at <.x>: nil pointer evaluating interface {}.x",
    );
    check_err(
        "{{ range splitList \",\" \"a\" }}{{ .x }}{{ end }}",
        "template: x:1:32: executing \"x\" at <.x>: can't evaluate field x in type string",
    );
    // The same for a variable `range` binds (Helm 3.17.3).
    check_err(
        "{{ range $k, $v := .Values.m }}{{ $v.x }}{{ end }}",
        "template: x:1:36: executing \"x\" at <$v.x>: can't evaluate field x in type interface {}",
    );
    check_err(
        "{{ range $v := list .Values.nul }}{{ $v.z }}{{ end }}",
        "template: x:1:39: executing \"x\" at <$v.z>: nil pointer evaluating interface {}.z",
    );
    check_err(
        "{{ range $v := splitList \",\" \"a\" }}{{ $v.z }}{{ end }}",
        "template: x:1:40: executing \"x\" at <$v.z>: can't evaluate field z in type string",
    );
    check_err(
        "{{ range .Values.l }}{{ with . }}{{ .x }}{{ end }}{{ end }}",
        "template: x:1:36: executing \"x\" at <.x>: can't evaluate field x in type string",
    );
}

/// Renders with values that carry provenance and returns the output and the reads, in order.
fn run_reads(template: &str) -> (String, Vec<crate::template::Read>) {
    let mut set = Templates::new();
    set.parse_file("x", template).expect("parses");
    let mut exec = Exec::new(&set, Limits::default());
    let out = exec.execute("x", dot_of(VALUES)).expect("renders");
    (out.text, std::mem::take(&mut exec.reads))
}

/// The output and the keys read, in order.
fn render_reads(template: &str) -> (String, Vec<String>) {
    let (out, reads) = run_reads(template);
    (out, reads.iter().map(|r| r.path().join(".")).collect())
}

#[test]
fn records_the_keys_a_template_reads() {
    let (out, reads) = render_reads(
        "{{ .Values.m.z }}{{ .Values.missing }}{{ $d := merge (dict) .Values.m }}{{ $d.true }}{{ range .Values.l }}{{ end }}",
    );
    assert_eq!(out, "1<no value>two");
    // `y` is a YAML 1.1 boolean: Helm reads the key as "true".
    assert_eq!(reads, ["m", "m.z", "missing", "m", "m.true", "l"]);
}

/// The reads of a template as `key` (looked up) and `*key` (used whole).
fn reads_marked(template: &str) -> Vec<String> {
    run_reads(template)
        .1
        .iter()
        .map(|r| match r.key {
            crate::template::ReadKey::Whole(_) => format!("*{}", r.path().join(".")),
            _ => r.path().join("."),
        })
        .collect()
}

#[test]
fn maps_that_leave_the_template_whole_are_used_whole() {
    // Printed, turned into YAML, or found inside a list the template built.
    assert_eq!(reads_marked("{{ .Values.m }}"), ["m", "*m"]);
    assert_eq!(reads_marked("{{ toYaml .Values.m }}"), ["m", "*m"]);
    assert_eq!(
        reads_marked("{{ with .Values.m }}{{ toJson . }}{{ end }}"),
        ["m", "*m"]
    );
    assert_eq!(reads_marked("{{ toYaml (list .Values.m) }}"), ["m", "*m"]);
    // Passed on: what the receiver reads decides.
    assert_eq!(
        reads_marked(
            r#"{{ define "t" }}{{ .z }}{{ end }}{{ include "t" (default (dict) .Values.m) }}"#
        ),
        ["m", "m.z"]
    );
    // Values of the tree inside a map the template built are reached by a range over it.
    assert_eq!(
        reads_marked(r#"{{ range $k, $v := merge (dict) .Values.m }}{{ $k }}={{ $v }} {{ end }}"#),
        ["m", "m.true", "m.z"]
    );
    // A list of the tree is a value of its own: using it uses no key below it.
    assert_eq!(reads_marked("{{ toYaml .Values.l }}"), ["l"]);
}

#[test]
fn every_no_value_is_removed_as_helm_removes_it() {
    // Printed for a missing key, written in the template, or inside a value; side by side, at
    // both ends, and a near miss that stays.
    let out = render(
        r#"{{ .Values.missing }}<no value>{{ .Values.missing }}a<no valu{{ "<no value>" }}b<NO VALUE><no value>"#,
    );
    assert_eq!(out.as_deref(), Ok("a<no valub<NO VALUE>"));
    assert_eq!(render("").as_deref(), Ok(""));
}

#[test]
fn a_read_knows_its_path_without_building_it() {
    // Every kind of read (looked up, reached through a built map, used whole; `z` at the top
    // and under `m`) against the
    // paths of every read of the same templates: `path_is` holds exactly for its own path and
    // `last_name` is that path's last name.
    let (_, reads) = run_reads(
        r#"{{ .Values.m.z }}{{ .Values.z }}{{ range $k, $v := merge (dict) .Values.m }}{{ $v }}{{ end }}{{ toYaml .Values.m }}{{ .Values.l }}"#,
    );
    let kinds: std::collections::BTreeSet<u8> = reads.iter().map(|r| r.key.address().2).collect();
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), [0, 1, 2]);
    let paths: Vec<_> = reads.iter().map(|r| r.path()).collect();
    for read in &reads {
        let own = read.path();
        assert_eq!(read.last_name(), own.last().map(|k| &**k));
        for path in &paths {
            assert_eq!(
                read.path_is(path),
                **path == *own,
                "{own:?} against {path:?}"
            );
        }
        assert!(!read.path_is(&own[..own.len() - 1]));
    }
}

#[test]
fn lookup_functions_record_the_keys_they_follow() {
    assert_eq!(reads_marked(r#"{{ index .Values "m" "z" }}"#), ["m", "m.z"]);
    assert_eq!(reads_marked(r#"{{ get .Values.m "q" }}"#), ["m", "m.q"]);
    assert_eq!(reads_marked(r#"{{ hasKey .Values.m "z" }}"#), ["m", "m.z"]);
    // The printed list pluck built holds the value: reached again.
    assert_eq!(
        reads_marked(r#"{{ pluck "z" .Values.m }}"#),
        ["m", "m.z", "m.z"]
    );
    assert_eq!(
        reads_marked(r#"{{ dig "m" "z" "d" .Values }}"#),
        ["m", "m.z"]
    );
}

#[test]
fn printed_values_keep_their_origin() {
    // `n` is a YAML 1.1 boolean key (false), so the number is read as `f`.
    let (out, _) = render_reads("a: {{ .Values.a }}-{{ .Values.f }}");
    let mut set = Templates::new();
    set.parse_file("x", "a: {{ .Values.a }}-{{ .Values.f }}")
        .expect("parses");
    let mut exec = Exec::new(&set, Limits::default());
    let buf = exec.execute("x", dot_of(VALUES)).expect("renders");
    assert_eq!(out, "a: hello-4.1");
    let segs: Vec<(u32, u32, String)> = buf
        .segs
        .iter()
        .map(|s| (s.start, s.end, s.prov.user_path.join(".")))
        .collect();
    assert_eq!(segs, [(3, 8, "a".to_string()), (9, 12, "f".to_string())]);
}

fn run_limited(template: &str, limits: Limits) -> crate::template::Error {
    let mut set = Templates::new();
    set.parse_file("x", template).expect("parses");
    let mut exec = Exec::new(&set, limits);
    exec.execute("x", Value::empty_map()).expect_err(template)
}

#[test]
fn runaway_templates_stop_at_the_budgets() {
    use crate::template::error::ErrorKind;
    let small = Limits {
        fuel: 10_000,
        max_depth: 50,
        max_output: 1 << 16,
    };
    let e = run_limited(
        "{{ range until 1000 }}{{ range until 1000 }}{{ end }}{{ end }}",
        small,
    );
    assert_eq!(e.kind, ErrorKind::Budget);
    assert!(e.message.starts_with("template: x:1:"), "{}", e.message);
    assert!(
        e.message.contains("execution budget of 10000 steps"),
        "{}",
        e.message
    );

    // A list built by copying itself (Sprig's `append` copies): 2,000 steps of the loop, but
    // some two million elements copied, which the budget counts (a chart's NOTES.txt does this
    // with `replicaCount`: a million brokers ran on for minutes, in Helm too).
    let loop_limits = Limits {
        fuel: 1_000_000,
        ..Limits::default()
    };
    let e = run_limited(
        "{{ $l := list }}{{ range $i := until 2000 }}{{ $l = append $l $i }}{{ end }}{{ len $l }}",
        loop_limits,
    );
    assert_eq!(e.kind, ErrorKind::Budget, "{}", e.message);
    assert!(
        e.message.contains("execution budget of 1000000 steps"),
        "{}",
        e.message
    );
    // The same loop a hundred times shorter fits.
    let mut set = Templates::new();
    set.parse_file(
        "x",
        "{{ $l := list }}{{ range $i := until 20 }}{{ $l = append $l $i }}{{ end }}{{ len $l }}",
    )
    .expect("parses");
    let out = Exec::new(&set, loop_limits)
        .execute("x", Value::empty_map())
        .expect("fits");
    assert_eq!(out.text, "20");

    let e = run_limited(
        "{{ define \"r\" }}{{ template \"r\" }}{{ end }}{{ template \"r\" }}",
        small,
    );
    assert_eq!(e.kind, ErrorKind::Budget);
    assert_eq!(
        e.message,
        "template: r: exceeded maximum template depth (50)"
    );

    // (Fuel enough for the loop and the list it ranges over, which costs its length.)
    let e = run_limited(
        "{{ range until 5000 }}0123456789abcdef{{ end }}",
        Limits {
            fuel: 1_000_000,
            ..small
        },
    );
    assert_eq!(e.kind, ErrorKind::Budget);
    assert!(
        e.message.contains("output exceeds 65536 bytes"),
        "{}",
        e.message
    );

    let e = run_limited("{{ until 100000000 }}", Limits::default());
    assert_eq!(e.kind, ErrorKind::Budget);
    assert_eq!(
        e.message,
        "template: x:1:3: executing \"x\" at <until>: until: more than 4194304 items"
    );
}

#[test]
fn helm_stops_a_name_included_inside_itself() {
    let got = render("{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}")
        .expect_err("recursion");
    assert!(
        got.ends_with("error calling include: rendering template has a nested reference name: r: unable to execute template"),
        "{}",
        &got[got.len().saturating_sub(200)..]
    );
}

#[test]
fn a_function_error_names_the_whole_call_as_go_does() {
    // Expectations from Helm 3.17.3 (Go's evalCall reports at the command node).
    check_err(
        r#"a: {{ include "nope" . }}"#,
        r#"template: x:1:6: executing "x" at <include "nope" .>: error calling include: template: no template "nope" associated with template "gotpl""#,
    );
    check_err(
        r#"a: {{ tpl "{{ .x.y }}" (dict) | quote }}"#,
        r#"template: x:1:6: executing "x" at <tpl "{{ .x.y }}" (dict)>: error calling tpl: error during tpl function execution for "{{ .x.y }}": template: gotpl:1:5: executing "gotpl" at <.x.y>: nil pointer evaluating interface {}.y"#,
    );
}

#[test]
fn a_parameter_type_error_is_reported_at_the_operand_go_blames() {
    // Expectations from Helm 3.17.3: constants fail as constants, values as values, and the piped
    // value at the last operand written (or at the function when there is none).
    let cases = [
        (
            r#"a: {{ splitn "," "x" "a,b" }}"#,
            r#"template: x:1:17: executing "x" at <"x">: expected integer; found "x""#,
        ),
        (
            r#"a: {{ b64enc nil }}"#,
            r#"template: x:1:13: executing "x" at <nil>: cannot assign nil to string"#,
        ),
        (
            r#"a: {{ trunc 1.5 "abc" }}"#,
            r#"template: x:1:12: executing "x" at <1.5>: expected integer; found 1.5"#,
        ),
        (
            r#"a: {{ repeat true "a" }}"#,
            r#"template: x:1:13: executing "x" at <true>: expected integer; found true"#,
        ),
        (
            r#"a: {{ 3.5 | splitList "." }}"#,
            r#"template: x:1:22: executing "x" at <".">: wrong type for value; expected string; got float64"#,
        ),
        (
            r#"a: {{ 5 | b64enc }}"#,
            r#"template: x:1:10: executing "x" at <b64enc>: wrong type for value; expected string; got int"#,
        ),
    ];
    for (template, want) in cases {
        check_err(template, want);
    }
}

fn render_helm4(template: &str) -> Result<String, String> {
    render_as(template, HelmBuild::V4)
}

fn render_as(template: &str, build: HelmBuild) -> Result<String, String> {
    let mut set = Templates::new();
    set.build = build;
    set.parse_file("x", template).map_err(|e| e.message)?;
    let mut exec = Exec::new(&set, Limits::default());
    let out = exec
        .execute("x", Value::empty_map())
        .map_err(|e| e.message)?;
    Ok(crate::template::exec::remove_no_value(out).text)
}

/// Helm 4's engine (4.1.4): `mustToYaml` is defined, in `tpl` too, and `range` iterates over an
/// integer; Helm 3's parser does not know `mustToYaml`.
#[test]
fn helm4_functions_and_range_over_int() {
    assert_eq!(
        render_helm4(r#"{{ mustToYaml (dict "b" (list 1 "x") "a" nil) }}"#).as_deref(),
        Ok("a: null\nb:\n- 1\n- x")
    );
    assert_eq!(
        render_helm4(r#"{{ tpl "{{ mustToYaml 1 }}" . }}"#).as_deref(),
        Ok("1")
    );
    assert_eq!(
        render_helm4("{{ range 3 }}{{ . }}{{ end }}").as_deref(),
        Ok("012")
    );
    assert_eq!(
        render_helm4(r#"{{ mustToYaml (float64 "NaN") }}"#).unwrap_err(),
        "template: x:1:3: executing \"x\" at <mustToYaml (float64 \"NaN\")>: error calling \
         mustToYaml: error marshaling into JSON: json: unsupported value: NaN"
    );
    let err = render("{{ mustToYaml 1 }}").unwrap_err();
    assert!(err.contains("function \"mustToYaml\" not defined"), "{err}");
}

/// Helm 4.2's `mustToToml`: `toToml`, but the encoder's error fails the template (Helm 4.2.3's
/// words); Helm 4.1 does not define it.
#[test]
fn must_to_toml_comes_with_helm_4_2() {
    let h42 = HelmBuild::of_patch(4, 2, 3).unwrap();
    assert_eq!(
        render_as(
            r#"{{ mustToToml (dict "a" 1 "b" (dict "c" "d")) | quote }}"#,
            h42
        )
        .as_deref(),
        Ok(r#""a = 1\n\n[b]\n  c = \"d\"\n""#)
    );
    assert_eq!(
        render_as(r#"{{ mustToToml (dict "a" (list 1 nil)) }}"#, h42).unwrap_err(),
        "template: x:1:3: executing \"x\" at <mustToToml (dict \"a\" (list 1 nil))>: error \
         calling mustToToml: toml: cannot encode array with nil element"
    );
    assert_eq!(
        render_as(r#"{{ toToml (dict "a" (list 1 nil)) }}"#, h42).as_deref(),
        Ok("toml: cannot encode array with nil element")
    );
    let err = render_as("{{ mustToToml 1 }}", HelmBuild::V4).unwrap_err();
    assert!(err.contains("function \"mustToToml\" not defined"), "{err}");
}

/// What older Helms' Go reads and runs otherwise: `and` and `or` evaluate every argument before
/// Go 1.18 (Helm 3.10), `break` and `continue` are undefined functions there, `else with` is a
/// parse error before Go 1.23 (Helm 3.17), `range` over an integer fails before Go 1.24 (Helm
/// 3.18), and the comparison error names the types since Go 1.25; each Helm's function map has
/// its own functions. Expectations from Helm 3.9.4, 3.11.1, 3.16.4, 3.17.3 and 4.1.4.
#[test]
fn each_helm_reads_and_runs_templates_as_its_go_does() {
    let helm = |minor| HelmBuild::of(3, minor).unwrap();
    let (h39, h311, h316) = (helm(9), helm(11), helm(16));
    let eager = "{{ and false .x.y }}";
    assert_eq!(render_as(eager, h311).as_deref(), Ok("false"));
    assert_eq!(
        render_as(eager, h39).unwrap_err(),
        r#"template: x:1:15: executing "x" at <.x.y>: nil pointer evaluating interface {}.y"#
    );
    assert!(
        render_as(r#"{{ or 1 (fail "boom") }}"#, h39)
            .unwrap_err()
            .starts_with(
                r#"template: x:1:9: executing "x" at <fail "boom">: error calling fail: "#
            )
    );
    // Every argument evaluated, the result is still the first that decides (or the last).
    for (template, want) in [
        (
            "{{ and 1 0 2 }}|{{ or 0 3 4 }}|{{ 0 | and 1 }}|{{ 0 | or 0 }}",
            "0|3|0|0",
        ),
        ("{{ and 1 2 }}|{{ or 0 false }}", "2|false"),
    ] {
        assert_eq!(render_as(template, h39).as_deref(), Ok(want));
        assert_eq!(render_as(template, h311).as_deref(), Ok(want));
    }
    let range_break = "{{ range list 1 2 }}{{ . }}{{ break }}{{ end }}";
    assert_eq!(render_as(range_break, h311).as_deref(), Ok("1"));
    assert_eq!(
        render_as(range_break, h39).unwrap_err(),
        r#"template: x:1: function "break" not defined"#
    );
    assert_eq!(
        render_as("{{ range list 1 }}{{ continue }}{{ end }}", h39).unwrap_err(),
        r#"template: x:1: function "continue" not defined"#
    );
    let else_with = "{{ with .q }}x{{ else with 1 }}y{{ end }}";
    assert_eq!(render_as(else_with, HelmBuild::V3).as_deref(), Ok("y"));
    assert_eq!(
        render_as(else_with, h316).unwrap_err(),
        "template: x:1: unexpected <with> in else"
    );
    assert_eq!(
        render_as("{{ range 2 }}{{ . }}{{ end }}", helm(18)).as_deref(),
        Ok("01")
    );
    assert_eq!(
        render_as("{{ range 2 }}{{ . }}{{ end }}", HelmBuild::V3).unwrap_err(),
        r#"template: x:1:9: executing "x" at <2>: range can't iterate over 2"#
    );
    let compare = r#"{{ eq 1 "a" }}"#;
    assert!(
        render_as(compare, helm(19))
            .unwrap_err()
            .ends_with("error calling eq: incompatible types for comparison")
    );
    assert!(
        render_as(compare, helm(20))
            .unwrap_err()
            .ends_with("incompatible types for comparison: int and string")
    );
    // Masterminds/semver 3.4 (Helm 3.19 and 4) admits a prerelease per `AND` group.
    let pre = r#"{{ semverCompare "1.0.0-rc.1 - 1.0.0" "1.0.0-rc.2" }}"#;
    assert_eq!(render_as(pre, helm(18)).as_deref(), Ok("false"));
    assert_eq!(render_as(pre, helm(19)).as_deref(), Ok("true"));
    assert_eq!(render_as(pre, HelmBuild::V4).as_deref(), Ok("true"));
    for (function, since) in [("sha512sum", 16), ("toYamlPretty", 17), ("fromToml", 17)] {
        let template = format!("{{{{ if false }}}}{{{{ {function} }}}}{{{{ end }}}}");
        assert_eq!(render_as(&template, helm(since)).as_deref(), Ok(""));
        assert_eq!(
            render_as(&template, helm(since - 1)).unwrap_err(),
            format!("template: x:1: function \"{function}\" not defined")
        );
    }
    // `tpl` parses as the Helm it runs in (this dot has no `.Template`, which `tpl` before
    // Helm 3.14 requires).
    assert!(
        render_as(r#"{{ tpl "{{ break }}" . }}"#, h316)
            .unwrap_err()
            .ends_with(r#"{{break}} outside {{range}}"#)
    );
    assert!(
        render_as(r#"{{ tpl "{{ break }}" . }}"#, h39)
            .unwrap_err()
            .ends_with(r#"cannot retrieve Template.Basepath from values inside tpl function: {{ break }}: "BasePath" is not a value"#)
    );
}

/// Helm executes with `missingkey=zero`: a field chain ending on a missing or null entry of the
/// values gives a nil `interface{}`, which a parameter of a concrete type (a string, a map)
/// refuses, as does a nil element `range` put in dot or a variable; a parenthesised pipeline or a
/// variable declared from one holds no value instead, which a map parameter takes as nil and a
/// string parameter refuses as an invalid value. Every expectation from Helm 3.17.3.
#[test]
fn a_missing_or_null_entry_is_a_nil_interface() {
    let fails = [
        (
            "a: {{ upper .Values.missing }}",
            r#"template: x:1:19: executing "x" at <.Values.missing>: wrong type for value; expected string; got interface {}"#,
        ),
        (
            "a: {{ upper .Values.nul }}",
            r#"template: x:1:19: executing "x" at <.Values.nul>: wrong type for value; expected string; got interface {}"#,
        ),
        (
            "a: {{ merge .Values.missing (dict) }}",
            r#"template: x:1:19: executing "x" at <.Values.missing>: wrong type for value; expected map[string]interface {}; got interface {}"#,
        ),
        (
            r#"a: {{ hasKey .Values.nul "k" }}"#,
            r#"template: x:1:20: executing "x" at <.Values.nul>: wrong type for value; expected map[string]interface {}; got interface {}"#,
        ),
        (
            "a: {{ .Values.missing | upper }}",
            r#"template: x:1:24: executing "x" at <upper>: invalid value; expected string"#,
        ),
        (
            "a: {{ upper (.Values.missing) }}",
            r#"template: x:1:20: executing "x" at <.Values.missing>: invalid value; expected string"#,
        ),
        (
            "a: {{ range $v := list .Values.nul }}{{ upper $v }}{{ end }}",
            r#"template: x:1:46: executing "x" at <$v>: wrong type for value; expected string; got interface {}"#,
        ),
        (
            "a: {{ range list .Values.nul }}{{ keys . }}{{ end }}",
            r#"template: x:1:39: executing "x" at <.>: wrong type for value; expected map[string]interface {}; got interface {}"#,
        ),
        // Go leaves its error mark on the last operand it evaluated: inside a chain or a
        // parenthesised call, that is the innermost one.
        (
            "a: {{ upper (.Values).missing }}",
            r#"template: x:1:13: executing "x" at <.Values>: wrong type for value; expected string; got interface {}"#,
        ),
        (
            r#"a: {{ lower (index .Values "missing") }}"#,
            r#"template: x:1:27: executing "x" at <"missing">: invalid value; expected string"#,
        ),
        (
            "a: {{ upper (list 1).x }}",
            r#"template: x:1:18: executing "x" at <1>: can't evaluate field x in type []interface {}"#,
        ),
        (
            "a: {{ deepCopy .Values.missing }}",
            r#"template: x:1:6: executing "x" at <deepCopy .Values.missing>: error calling deepCopy: reflect: call of reflect.Value.Type on zero Value"#,
        ),
    ];
    for (template, want) in fails {
        check_err(template, want);
    }
    check(
        r#"a: {{ merge (index .Values "missing") (dict) }}"#,
        "a: map[]",
    );
    check(
        "a: {{ $x := .Values.missing }}{{ merge $x (dict) }}",
        "a: map[]",
    );
}

#[test]
fn go_strings_keep_bytes_that_are_no_utf8() {
    // Helm 3.17.3 prints `3|"a\xffb"|1|/w==|"\xff"|"\ufffd"|a: �|1|1`: the byte 0xff of a
    // string literal, of `b64dec`/`b32dec` and of `cat` over them stays one byte; `toJson`
    // and `toYaml` (which marshals to JSON first) write U+FFFD.
    check(
        r#"{{ "a\xffb" | len }}|{{ printf "%q" "a\xffb" }}|{{ b64dec "/w==" | len }}|{{ b64dec "/w==" | b64enc }}|{{ printf "%q" (b64dec "/w==") }}|{{ toJson (b64dec "/w==") }}|{{ toYaml (dict "a" (b64dec "/w==")) }}|{{ b32dec "74======" | len }}|{{ cat (b64dec "/w==") | len }}"#,
        "3|\"a\\xffb\"|1|/w==|\"\\xff\"|\"\\ufffd\"|a: \u{fffd}|1|1",
    );
}

#[test]
fn len_of_no_value_and_call_of_a_value_fail_as_in_go() {
    // Helm 3.17.3: a field holding nil is an interface `len` looks into ("len of nil
    // pointer"); `nil`, a variable or a piped value holding nil is no value, whose type Go
    // asks for and panics.
    check_err(
        "{{ len .Values.nul }}",
        r#"template: x:1:3: executing "x" at <len .Values.nul>: error calling len: len of nil pointer"#,
    );
    for t in ["{{ len nil }}", "{{ $x := .Values.nul }}{{ len $x }}"] {
        let got = render(t).expect_err(t);
        assert!(
            got.ends_with("error calling len: reflect: call of reflect.Value.Type on zero Value"),
            "{t}: {got}"
        );
    }
    check_err(
        "{{ .Values.missing | len }}",
        r#"template: x:1:21: executing "x" at <len>: error calling len: reflect: call of reflect.Value.Type on zero Value"#,
    );
    // No template value is a function: `call` names its operand as written.
    check_err(
        r#"{{ call (print   1 "a"  ) }}"#,
        r#"template: x:1:3: executing "x" at <call (print 1 "a")>: error calling call: non-function print 1 "a" of type string"#,
    );
    check_err(
        "{{ call .Values.m }}",
        r#"template: x:1:3: executing "x" at <call .Values.m>: error calling call: non-function .Values.m of type map[string]interface {}"#,
    );
    check_err(
        "{{ call .Values.missing }}",
        r#"template: x:1:3: executing "x" at <call .Values.missing>: error calling call: call of nil"#,
    );
    check_err(
        "{{ call }}",
        r#"template: x:1:3: executing "x" at <call>: wrong number of args for call: want at least 1 got 0"#,
    );
}

#[test]
fn arguments_to_a_parenthesized_pipeline_fail_where_go_points() {
    // Helm 3.17.3: Go marks each pipeline before its commands, so an argument given to a
    // parenthesized pipeline in the first command names the whole pipeline (declarations
    // included); one piped in names the command before it. The pipeline is named without its
    // parentheses.
    let cases = [
        (
            r#"{{ (printf "a") "x" }}"#,
            r#"template: x:1:3: executing "x" at <(printf "a") "x">: can't give argument to non-function printf "a""#,
        ),
        (
            r#"{{ $y := (printf "a") "x" }}"#,
            r#"template: x:1:3: executing "x" at <$y := (printf "a") "x">: can't give argument to non-function printf "a""#,
        ),
        (
            "{{ if (print 1) 2 }}{{ end }}",
            r#"template: x:1:6: executing "x" at <(print 1) 2>: can't give argument to non-function print 1"#,
        ),
        (
            "{{ print ((print 1) 2) }}",
            r#"template: x:1:10: executing "x" at <(print 1) 2>: can't give argument to non-function print 1"#,
        ),
        (
            r#"{{ "z" | (printf  "a" ) }}"#,
            r#"template: x:1:3: executing "x" at <"z">: can't give argument to non-function printf "a""#,
        ),
        (
            "{{ with $z := (.Values) 1 }}{{ end }}",
            r#"template: x:1:8: executing "x" at <$z := (.Values) 1>: can't give argument to non-function .Values"#,
        ),
    ];
    for (template, want) in cases {
        check_err(template, want);
    }
}

/// The values a choosing function passed over (`key func shown->picked`, `empty` marked) and
/// how many times each key was read.
fn passed_over(values: &str, template: &str) -> (Vec<String>, Vec<String>) {
    let mut set = Templates::new();
    set.parse_file("x", template).expect("parses");
    let mut exec = Exec::new(&set, Limits::default());
    exec.execute("x", dot_of(values)).expect("renders");
    let passed = exec
        .unpicked
        .iter()
        .map(|u| {
            format!(
                "{} {}{} {}->{}",
                u.value.user_path.join("."),
                u.func,
                if u.empty { " (empty)" } else { "" },
                u.shown,
                u.picked
            )
        })
        .collect();
    let reads = exec.reads.iter().map(|r| r.path().join(".")).collect();
    (passed, reads)
}

#[test]
fn a_value_a_choosing_function_passes_over_is_logged_with_what_it_took() {
    let v = "a: mine\nz: 0\nt: 'no'\nm: {k: 3}\n";
    let over = |t: &str| passed_over(v, t).0;
    // `default D GIVEN` takes GIVEN when it is not empty: D, the user's, is passed over.
    assert_eq!(over("{{ default .Values.a \"x\" }}"), ["a default mine->x"]);
    assert_eq!(
        over("{{ \"x\" | default .Values.a }}"),
        ["a default mine->x"]
    );
    // Piped straight from the field chain, the user's value is GIVEN: 0 counts as unset.
    assert_eq!(
        over("{{ .Values.z | default 5 }}"),
        ["z default (empty) 0->5"]
    );
    assert_eq!(over("{{ .Values.a | default 5 }}"), Vec::<String>::new());
    // A field of dot and of a variable are read where they are passed.
    assert_eq!(
        over("{{ with .Values.m }}{{ default .k 7 }}{{ end }}"),
        ["m.k default 3->7"]
    );
    assert_eq!(
        over("{{ $m := .Values.m }}{{ coalesce \"c\" $m.k }}"),
        ["m.k coalesce 3->c"]
    );
    assert_eq!(
        over("{{ ternary .Values.a .Values.t false }}"),
        ["a ternary mine->no"]
    );
    // A value handed on through a variable, or a pipeline, may be used elsewhere: not logged.
    assert_eq!(
        over("{{ $a := .Values.a }}{{ default $a \"x\" }}{{ $a }}"),
        Vec::<String>::new()
    );
    assert_eq!(
        over("{{ default (.Values.a | upper) \"x\" }}"),
        Vec::<String>::new()
    );
    // Nor a value equal to the one taken, nor an empty text (`""` asks for the default).
    assert_eq!(
        over("{{ default .Values.a \"mine\" }}"),
        Vec::<String>::new()
    );
    assert_eq!(
        passed_over("a: ''\n", "{{ .Values.a | default \"x\" }}").0,
        Vec::<String>::new()
    );
}

#[test]
fn a_remembered_include_logs_what_it_passed_over_on_every_replay() {
    // The second call replays the first (`include`'s memo): its read and its passed-over value
    // are logged again, so a key read twice and passed over twice has no other use.
    let (passed, reads) = passed_over(
        "a: mine\n",
        "{{ define \"h\" }}{{ default .Values.a \"x\" }}{{ end }}{{ include \"h\" . }}{{ include \"h\" . }}",
    );
    assert_eq!(passed, ["a default mine->x", "a default mine->x"]);
    assert_eq!(reads.iter().filter(|r| *r == "a").count(), 2);
}

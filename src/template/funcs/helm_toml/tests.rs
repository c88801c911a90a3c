//! `toToml` and `fromToml` pinned to real Helm: every expected text below was printed by
//! `helm template` of Helm 3.17.3 (BurntSushi/toml v1.4.0) and Helm 4.1.4 (v1.6.0), and of the
//! releases `OLDER_CASES` names.

use super::super::super::exec::{Exec, Limits, remove_no_value};
use super::super::super::set::Templates;
use super::super::super::value::Value;
use crate::helm_build::HelmBuild;

fn render(template: &str, helm4: bool) -> Result<String, String> {
    render_as(template, if helm4 { HelmBuild::V4 } else { HelmBuild::V3 })
}

fn render_as(template: &str, build: HelmBuild) -> Result<String, String> {
    let mut set = Templates::new();
    set.build = build;
    set.parse_file("x", template).map_err(|e| e.message)?;
    let mut exec = Exec::new(&set, Limits::default());
    let out = exec
        .execute("x", Value::empty_map())
        .map_err(|e| e.message)?;
    Ok(remove_no_value(out).text)
}

/// (template, Helm 3.17.3's output, Helm 4.1.4's when it differs).
const CASES: &[(&str, &str, Option<&str>)] = &[
    (
        r#"{{ toToml (dict "a" 1 "b" "x" "c" true "d" false) }}"#,
        "a = 1\nb = \"x\"\nc = true\nd = false\n",
        None,
    ),
    (
        r#"{{ toToml (dict "t" (dict "x" 1 "y" (dict "z" 2)) "k" "v") }}"#,
        "k = \"v\"\n\n[t]\n  x = 1\n  [t.y]\n    z = 2\n",
        None,
    ),
    (
        r#"{{ toToml (dict "t" (dict "arr" (list (dict "x" (dict "y" 1) "w" 2) (dict "v" (list (dict "q" 1)))))) }}"#,
        "[t]\n\n  [[t.arr]]\n    w = 2\n    [t.arr.x]\n      y = 1\n\n  [[t.arr]]\n\n    [[t.arr.v]]\n      q = 1\n",
        None,
    ),
    (
        r#"{{ toToml (dict "a b" 1 "" 2 "ü" 3 "x.y" (dict "q" 1 "r s" (dict "t" 1)) "q\"k" 4) }}"#,
        "\"\" = 2\n\"a b\" = 1\n\"q\\\"k\" = 4\n\"ü\" = 3\n\n[\"x.y\"]\n  q = 1\n  [\"x.y\".\"r s\"]\n    t = 1\n",
        None,
    ),
    (
        r#"{{ toToml (dict "s" "tab\there" "c" "\u0001\u007f\b\f\r") }}"#,
        "c = \"\\u0001\\u007f\\b\\f\\r\"\ns = \"tab\\there\"\n",
        None,
    ),
    // A nil inside an inline table leaves its comma behind.
    (
        r#"{{ toToml (dict "l" (list (dict "a" 1 "z" nil) 2) "m" (list 1 "a" (dict "x" 1))) }}"#,
        "l = [{a = 1, }, 2]\nm = [1, \"a\", {x = 1}]\n",
        None,
    ),
    (
        r#"{{ toToml (dict "big" 1e20 "small" 1e-7 "n" 3.0 "h" (float64 "123456789012345678") "nz" (float64 "-0") "inf" (float64 "-Inf") "nan" (float64 "NaN")) }}"#,
        "big = 100000000000000000000.0\nh = 123456789012345680.0\ninf = -inf\nn = 3.0\nnan = nan\nnz = -0.0\nsmall = 0.0000001\n",
        Some(
            "big = 1e+20\nh = 1.2345678901234568e+17\ninf = -inf\nn = 3.0\nnan = nan\nnz = -0.0\nsmall = 1e-07\n",
        ),
    ),
    (
        r#"{{ toToml (dict "l" (list 1 nil)) }}|{{ toToml (list (dict "a" 1)) }}|{{ toToml (list 1 2) }}|{{ toToml "s" }}|{{ toToml (dict) }}|{{ toToml (dict "e" (list) "d" (dict)) }}"#,
        "toml: cannot encode array with nil element|toml: top-level values must be Go maps or structs|[1, 2]|\"s\"||e = []\n\n[d]\n",
        None,
    ),
    (
        r#"{{ toToml (dict "t" (toDate "2006-01-02" "2020-01-02")) }}"#,
        "t = 2020-01-02T00:00:00Z\n",
        None,
    ),
    (
        r#"{{ fromToml "[[arr]]\na = 1\n[[arr]]\nb = 2\n[[arr.sub]]\nc = 3" | toJson }} {{ typeOf (fromToml "[[a]]").a }} {{ typeOf (fromToml "a = 1").a }}"#,
        r#"{"arr":[{"a":1},{"b":2,"sub":[{"c":3}]}]} []map[string]interface {} int64"#,
        None,
    ),
    (
        r#"{{ fromToml "a.b.c = 1\n\"q k\".'r' = 3\nh = 0xDEAD_beef\nf = [1.5, -0.0, 1e20]\ns = \"\"\"\nx\\\n   y\"\"\"" | toJson }}"#,
        r#"{"a":{"b":{"c":1}},"f":[1.5,-0,100000000000000000000],"h":3735928559,"q k":{"r":3},"s":"xy"}"#,
        None,
    ),
    (
        r#"{{ $d := fromToml "o = 1979-05-27T00:32:00-07:00\nl = 1979-05-27T07:32:00.5\nd = 1979-05-27\nt = 07:32:00" }}{{ $d | toJson }} {{ $d.o }} {{ $d.l }} {{ $d.t }} {{ $d | toToml }}"#,
        "{\"d\":\"1979-05-27T00:00:00Z\",\"l\":\"1979-05-27T07:32:00.5Z\",\"o\":\"1979-05-27T00:32:00-07:00\",\"t\":\"0000-01-01T07:32:00Z\"} 1979-05-27 00:32:00 -0700 -0700 1979-05-27 07:32:00.5 +0000 datetime-local 0000-01-01 07:32:00 +0000 time-local d = 1979-05-27\nl = 1979-05-27T07:32:00.5\no = 1979-05-27T00:32:00-07:00\nt = 07:32:00\n",
        None,
    ),
    // Errors: the line Go names differs at the end of input; TOML 1.1 is only Helm 4's.
    (
        r#"{{ (fromToml "a = ").Error }}|{{ (fromToml "x = 1\n\n\ny = ").Error }}|{{ (fromToml "a = 1\na = 2").Error }}"#,
        r#"toml: line 0 (last key "a"): unexpected EOF; expected value|toml: line 3 (last key "y"): unexpected EOF; expected value|toml: line 2 (last key "a"): Key 'a' has already been defined."#,
        Some(
            r#"toml: line 1 (last key "a"): unexpected EOF; expected value|toml: line 4 (last key "y"): unexpected EOF; expected value|toml: line 2 (last key "a"): Key 'a' has already been defined."#,
        ),
    ),
    (
        r#"{{ fromToml "a = {b = 1,}" | toJson }}|{{ fromToml "a = \"\\e\"" | toJson }}|{{ fromToml "a = 0x" | toJson }}"#,
        r#"{"Error":"toml: line 1 (last key \"a.b\"): trailing comma not allowed in inline tables"}|{"Error":"toml: line 1 (last key \"a\"): invalid escape in string '\\e'"}|{"Error":"toml: line 1 (last key \"a\"): not a hexidecimal number: '0x\u0000'"}"#,
        Some(
            r#"{"a":{"b":1}}|{"a":"\u001b"}|{"Error":"toml: line 1 (last key \"a\"): not a hexadecimal number: '0x\u0000'"}"#,
        ),
    ),
    (
        r#"{{ (fromToml "x = [1]\n[[x]]\ny = 1").Error }}|{{ (fromToml "[[a]]\n[a]").Error }}|{{ (fromToml "a = 9999999999999999999").Error }}|{{ (fromToml "t = 1979-05-27T25:00:00").Error }}|{{ fromToml "a.b = 1\na = 2" | toJson }}"#,
        r#"toml: line 2: Key 'x' was already created and cannot be used as an array.|toml: line 2: Key 'a' has already been defined.|toml: line 1 (last key "a"): 9999999999999999999 is out of range for int64|toml: line 1 (last key "t"): invalid datetime: "1979-05-27T25:00:00"|{"a":{"b":1}}"#,
        None,
    ),
];

/// (template, [(Helm release, what it printed, or the end of its error)]): BurntSushi/toml
/// v1.0.0 (Helm 3.9), v1.2.1 (3.11, 3.12), v1.3.2 (3.13 to 3.16), v1.5.0 (3.18).
type Run = ((u32, u32, u32), Result<&'static str, &'static str>);

const OLDER_CASES: &[(&str, &[Run])] = &[
    // Before v1.3.0 the document must be a map.
    (
        r#"{{ toToml (list 1 2) }}|{{ toToml "s" }}|{{ toToml 1 }}|{{ toToml (toDate "2006-01-02" "2020-01-02") }}|{{ toToml (list (dict "a" 1) 2) }}|{{ toToml (dict "e" (list)) }}"#,
        &[
            (
                (3, 12, 1),
                Ok(
                    "toml: top-level values must be Go maps or structs|toml: top-level values must be Go maps or structs|toml: top-level values must be Go maps or structs|toml: top-level values must be Go maps or structs|toml: top-level values must be Go maps or structs|e = []\n",
                ),
            ),
            (
                (3, 13, 2),
                Ok("[1, 2]|\"s\"|1|2020-01-02T00:00:00Z|[{a = 1}, 2]|e = []\n"),
            ),
        ],
    ),
    // Before v1.2.0 the first item decides that a list is an array of tables.
    (
        r#"{{ toToml (dict "z" (list (dict "x" 1) 2) "b" (dict "c" 1) "a" 1) }}"#,
        &[
            (
                (3, 9, 4),
                Err("error calling toToml: eTable: unhandled reflect.Value Kind: int"),
            ),
            ((3, 11, 1), Ok("a = 1\nz = [{x = 1}, 2]\n\n[b]\n  c = 1\n")),
        ],
    ),
    (
        r#"{{ toToml (dict "a" (list (dict "x" 1) "s")) }}"#,
        &[(
            (3, 9, 4),
            Err("error calling toToml: eTable: unhandled reflect.Value Kind: string"),
        )],
    ),
    (
        r#"{{ toToml (dict "a" (list (dict "x" 1) (toDate "2006-01-02" "2020-01-02"))) }}|{{ toToml (dict "a" (list (list (dict "x" 1) 2)) "b" (list 2 (dict "x" 1))) }}"#,
        &[
            (
                (3, 9, 4),
                Ok("[[a]]\n  x = 1\n\n[[a]]\n|a = [[{x = 1}, 2]]\nb = [2, {x = 1}]\n"),
            ),
            (
                (3, 11, 1),
                Ok("a = [{x = 1}, 2020-01-02T00:00:00Z]\n|a = [[{x = 1}, 2]]\nb = [2, {x = 1}]\n"),
            ),
        ],
    ),
    // v1.5.0: the lines of errors at the end of input or of a line, and "hexadecimal".
    (
        r#"{{ (fromToml "a = ").Error }}|{{ (fromToml "a\n").Error }}|{{ (fromToml "a = \nb = 1").Error }}|{{ (fromToml "a = 0xg").Error }}|{{ (fromToml "a = {b = 1,}").Error }}"#,
        &[
            (
                (3, 17, 3),
                Ok(
                    r#"toml: line 0 (last key "a"): unexpected EOF; expected value|toml: line 2: expected '.' or '=', but got '\n' instead|toml: line 2 (last key "a"): expected value but found '\n' instead|toml: line 1 (last key "a"): not a hexidecimal number: '0xg'|toml: line 1 (last key "a.b"): trailing comma not allowed in inline tables"#,
                ),
            ),
            (
                (3, 18, 0),
                Ok(
                    r#"toml: line 1 (last key "a"): unexpected EOF; expected value|toml: line 1: expected '.' or '=', but got '\n' instead|toml: line 1 (last key "a"): expected value but found '\n' instead|toml: line 1 (last key "a"): not a hexadecimal number: '0xg'|toml: line 1 (last key "a.b"): trailing comma not allowed in inline tables"#,
                ),
            ),
        ],
    ),
];

#[test]
fn older_helms_write_and_read_toml_as_their_burntsushi_release() {
    for &(template, runs) in OLDER_CASES {
        for &((major, minor, patch), want) in runs {
            let build = HelmBuild::of_patch(major, minor, patch).unwrap();
            let got = render_as(template, build);
            match (want, &got) {
                (Ok(want), Ok(got)) => assert_eq!(got, want, "{major}.{minor}: {template}"),
                (Err(end), Err(got)) => assert!(got.ends_with(end), "{major}.{minor}: {got}"),
                _ => panic!("{major}.{minor}: {template}: {got:?}"),
            }
        }
    }
}

#[test]
fn to_toml_and_from_toml_match_helm() {
    for &(template, helm3, helm4) in CASES {
        assert_eq!(
            render(template, false).as_deref(),
            Ok(helm3),
            "Helm 3: {template}"
        );
        let want4 = helm4.unwrap_or(helm3);
        assert_eq!(
            render(template, true).as_deref(),
            Ok(want4),
            "Helm 4: {template}"
        );
    }
}

/// `toToml nil` panics in Go's reflection; the template fails (Helm 3.17.3 and 4.1.4).
#[test]
fn to_toml_nil_fails_the_template() {
    let err = render("{{ toToml nil }}", false).unwrap_err();
    assert!(
        err.ends_with("error calling toToml: reflect: call of reflect.Value.Type on zero Value"),
        "{err}"
    );
}

/// A value nested past the depth limit, or a map that holds itself, is a budget error where Go
/// would overflow its stack; a deeply nested document likewise.
#[test]
fn deep_values_are_bounded() {
    let cyclic = r#"{{ $m := dict }}{{ $_ := set $m "m" $m }}{{ toToml $m }}"#;
    assert!(render(cyclic, false).unwrap_err().contains("nested deeper"));
    let deep = format!("{{{{ fromToml \"a = {}\" }}}}", "[".repeat(2000));
    assert!(render(&deep, false).unwrap_err().contains("nested deeper"));
}

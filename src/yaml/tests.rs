//! The loader's unit tests: scalar typing, spans, anchors and merge keys, duplicates, limits,
//! and go-yaml's readings of texts saphyr reads differently. Kept apart so the loader's files
//! hold only the loader.

use super::resolve::resolve_tagged;
use super::*;
use crate::value::{Origin, Value};

fn typed(s: &str) -> Value {
    resolve_plain(s, None).unwrap()
}

#[test]
fn yaml11_booleans_and_nulls() {
    for t in ["yes", "Yes", "YES", "on", "ON", "y", "Y", "true", "True"] {
        assert_eq!(typed(t), Value::Bool(true), "{t}");
    }
    for f in ["no", "No", "off", "Off", "n", "N", "false", "FALSE"] {
        assert_eq!(typed(f), Value::Bool(false), "{f}");
    }
    for n in ["", "~", "null", "Null", "NULL"] {
        assert_eq!(typed(n), Value::Null, "{n}");
    }
    assert_eq!(typed("yES"), Value::Str("yES".into()));
    for text in ["._5", ".5_", ".1__0", ".1_e5"] {
        assert_eq!(typed(text), Value::Str(text.into()), "{text}");
    }
}

#[test]
fn numbers_become_float64() {
    let cases = [
        ("4.10", "4.1"),
        ("1.0", "1"),
        ("2.30", "2.3"),
        ("20210214", "2.0210214e+07"),
        ("1e3", "1000"),
        ("0x1F", "31"),
        ("017", "15"),
        ("08", "8"),
        ("0o17", "15"),
        ("0b101", "5"),
        ("1_000", "1000"),
        (".5", "0.5"),
        ("-1", "-1"),
        ("+7", "7"),
        ("1234567", "1.234567e+06"),
        // Helm 3.17.3: `-0` is the integer 0; a float too small for float64 is 0.
        ("-0", "0"),
        ("1e-400", "0"),
        // A scalar starting with `.` goes to Go's `ParseFloat` as written, whose `_` must
        // sit between digits (Helm 3.17.3 and 4.1.4: `.1_0` is 0.1, fuzz 48).
        (".1_0", "0.1"),
        (".2_5e1", "2.5"),
        (".1_0e1_0", "1e+09"),
    ];
    for (src, want) in cases {
        assert_eq!(typed(src).render().unwrap(), want, "{src}");
    }
}

/// go-yaml v2 resolves a tagged scalar as a plain one and refuses another type; every
/// expectation from Helm 3.17.3 (`helm template` of a values file with the scalar).
#[test]
fn tagged_scalars_resolve_or_fail_as_in_go_yaml() {
    let tagged = |s: &str, tag: &str| resolve_tagged(s, Some(tag));
    assert_eq!(tagged("1", "!!float").unwrap().render().unwrap(), "1");
    assert_eq!(tagged("0x1F", "!!int").unwrap().render().unwrap(), "31");
    assert_eq!(
        tagged("12", "tag:yaml.org,2002:int")
            .unwrap()
            .render()
            .unwrap(),
        "12"
    );
    assert_eq!(tagged("off", "!!bool").unwrap(), Value::Bool(false));
    assert_eq!(tagged("", "!!null").unwrap(), Value::Null);
    assert_eq!(tagged("1", "!!str").unwrap(), Value::Str("1".into()));
    assert_eq!(tagged("x", "!!foo").unwrap(), Value::Str("x".into()));
    assert_eq!(
        tagged("2001-1-2t1:2:3Z", "!!timestamp").unwrap(),
        Value::Str("2001-1-2t1:2:3Z".into())
    );
    assert_eq!(
        tagged("aGVs\nbG8=", "!!binary").unwrap(),
        Value::Str("hello".into())
    );
    for (text, tag, want) in [
        (
            "1e400",
            "!!float",
            "cannot decode !!str `1e400` as a !!float",
        ),
        ("1.5", "!!int", "cannot decode !!float `1.5` as a !!int"),
        ("1", "!!bool", "cannot decode !!int `1` as a !!bool"),
        ("yes", "!!int", "cannot decode !!bool `yes` as a !!int"),
        ("x", "!!null", "cannot decode !!str `x` as a !!null"),
        ("~", "!!int", "cannot decode !!null `~` as a !!int"),
        (
            "2001-12-14",
            "!!int",
            "cannot decode !!str `2001-12-14` as a !!int",
        ),
        (
            "x",
            "!!timestamp",
            "cannot decode !!str `x` as a !!timestamp",
        ),
        (
            "12",
            "!!timestamp",
            "cannot decode !!int `12` as a !!timestamp",
        ),
        (
            "aGk",
            "!!binary",
            "!!binary value contains invalid base64 data",
        ),
    ] {
        let e = tagged(text, tag).unwrap_err();
        assert!(e.starts_with(want), "{text} {tag}: {e}");
    }
}

#[test]
fn strings_stay_strings() {
    for s in [
        "4.4.0",
        "v1.2.1",
        "2021-02-14",
        "1.0.2",
        "latest",
        "0x",
        "1e",
        "RELEASE.2021",
        // Too large for a float64: Go's ParseFloat fails, go-yaml keeps the text (Helm
        // 3.17.3 prints `"1e400"` in `toJson .Values`).
        "1e400",
        "-1e400",
        "1.8e308",
        ".5e999",
    ] {
        assert_eq!(typed(s), Value::Str(s.into()), "{s}");
    }
}

fn load_str(s: &str) -> YamlFile {
    load(FileId(0), s, &Limits::default()).unwrap()
}

#[test]
fn go_yaml_breaks_marks_keys_and_tabs() {
    let problem = |s: &str| {
        let e = load(FileId(0), s, &Limits::default()).unwrap_err();
        (e.to_string(), e.span().start)
    };
    let doc = load_str("a: 1\u{85}b: \"x\u{2028}y\"\nc: x\u{feff}y\n");
    let text = |k: &str| doc.documents[0].get_path(&[k]).map(|n| n.value.clone());
    assert_eq!(text("b"), Some(Value::Str("x\u{2028}y".into())));
    assert_eq!(text("c"), Some(Value::Str("x\u{feff}y".into())));
    let (message, at) = problem("{a\n b: 1}\n");
    assert!(
        message.contains("did not find expected ',' or '}'"),
        "{message}"
    );
    assert_eq!(at, 5);
    let (message, at) = problem("a:\n-\tx\n");
    assert!(message.contains("found character that cannot start any token"));
    assert_eq!(at, 4);
    let (message, _) = problem("\"a\n b\": 1\n");
    assert!(message.contains("mapping values are not allowed in this context"));
}

#[test]
fn quoted_scalars_are_strings_and_spans_point_at_them() {
    let f = load_str("a:\n  tag: \"4.10\"\n  num: 4.10\n  n: x\n");
    let doc = &f.documents[0];
    let tag = doc.get_path(&["a", "tag"]).unwrap();
    assert_eq!(tag.value, Value::Str("4.10".into()));
    match &tag.origin {
        Origin::File { key, value } => {
            assert_eq!(key.unwrap().start, 5);
            assert_eq!(value.start, 10);
        }
        o => panic!("{o:?}"),
    }
    assert_eq!(
        doc.get_path(&["a", "num"]).unwrap().value,
        Value::Float(4.1)
    );
    // A plain `n` key is the boolean false, which JSON turns into the key "false".
    assert!(doc.get_path(&["a", "false"]).is_some());
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let f = load_str(
        "base: &b\n  registry: r.example.com\n  tag: x\nimg:\n  <<: *b\n  tag: z\nother: *b\n",
    );
    let doc = &f.documents[0];
    assert_eq!(
        doc.get_path(&["img", "registry"]).unwrap().value,
        Value::Str("r.example.com".into())
    );
    assert_eq!(
        doc.get_path(&["img", "tag"]).unwrap().value,
        Value::Str("z".into())
    );
    assert_eq!(
        doc.get_path(&["other", "tag"]).unwrap().value,
        Value::Str("x".into())
    );
}

#[test]
fn duplicate_keys_last_wins_and_are_recorded() {
    let f = load_str("a:\n  b: 1\n  b: 2\n");
    assert_eq!(
        f.documents[0].get_path(&["a", "b"]).unwrap().value,
        Value::Float(2.0)
    );
    assert_eq!(f.duplicates.len(), 1);
    assert_eq!(f.duplicates[0].path, vec!["a", "b"]);
    assert_eq!(f.duplicates[0].dropped.start, 5);
}

#[test]
fn overriding_a_merged_key_is_no_duplicate() {
    let f = load_str("base: &b {tag: x}\nimg:\n  <<: *b\n  tag: z\n");
    assert!(f.duplicates.is_empty(), "{:?}", f.duplicates);
    assert_eq!(
        f.documents[0].get_path(&["img", "tag"]).unwrap().value,
        Value::Str("z".into())
    );
}

#[test]
fn standard_tags_type_the_scalar() {
    // go-yaml: `!!int "2"` is the number 2, `!!str 1` the string "1".
    let f = load_str("a: !!int \"2\"\nb: !!float 3\nc: !!str 1\nd: !custom x\n");
    let doc = &f.documents[0];
    assert_eq!(doc.get_path(&["a"]).unwrap().value, Value::Float(2.0));
    assert_eq!(doc.get_path(&["b"]).unwrap().value, Value::Float(3.0));
    assert_eq!(doc.get_path(&["c"]).unwrap().value, Value::Str("1".into()));
    assert_eq!(doc.get_path(&["d"]).unwrap().value, Value::Str("x".into()));
}

#[test]
fn multiple_documents_are_kept_in_order() {
    let f = load_str("a: 1\n---\na: 2\n");
    assert_eq!(f.documents.len(), 2);
    assert_eq!(f.document_starts.len(), 1);
}

#[test]
fn alias_bombs_are_rejected() {
    let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        s.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let err = load(FileId(0), &s, &Limits::default()).unwrap_err();
    assert!(matches!(err, YamlError::Limit { .. }), "{err:?}");
}

#[test]
fn copies_kept_for_anchors_count_against_the_budget() {
    // 150 nested anchors would each keep a copy of the same 10,000 items.
    let mut s = String::from("a: ");
    for i in 0..150 {
        s.push_str(&format!("&n{i} ["));
    }
    s.push_str(&"x, ".repeat(10_000));
    s.push_str(&"]".repeat(150));
    let limits = Limits {
        max_nodes: 500_000,
        ..Limits::default()
    };
    let err = load(FileId(0), &s, &limits).unwrap_err();
    assert!(matches!(err, YamlError::Limit { .. }), "{err:?}");
    // One anchor on the same list is fine.
    let one = format!("a: &n [{}]\nb: *n\n", "x, ".repeat(10_000));
    assert!(load(FileId(0), &one, &limits).is_ok());
}

#[test]
fn duplicate_reports_are_bounded() {
    let s = format!("a:\n{}", "  b: 1\n".repeat(MAX_DUPLICATES + 50));
    let f = load_str(&s);
    assert_eq!(f.duplicates.len(), MAX_DUPLICATES);
}

#[test]
fn deep_nesting_is_rejected() {
    let s = "[".repeat(20_000);
    let err = load(FileId(0), &s, &Limits::default()).unwrap_err();
    assert!(matches!(err, YamlError::Limit { .. }), "{err:?}");
}

/// A loaded value as JSON (floats as integers: the cases hold none).
fn js(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => (*b).into(),
        Value::Int(i) => (*i).into(),
        Value::Float(f) => (*f as i64).into(),
        Value::Str(s) => s.as_str().into(),
        Value::Seq(items) => items.iter().map(|n| js(&n.value)).collect(),
        Value::Map(m) => m.iter().map(|(k, n)| (k.clone(), js(&n.value))).collect(),
    }
}

#[test]
fn quoted_continuation_lines_left_of_their_block_are_read_as_go_yaml_reads_them() {
    // Helm 3.17.3, `toJson .Values` of each file: {"a":{"b":"first second","c":1}},
    // {"a":{"b":"first\nsecond","c":1}}, {"a":{"b":"firstsecond"}}, {"a":{"b":["x y"]}},
    // {"a":{"b":"x y"}}; a document marker inside the scalar fails ("found unexpected
    // document indicator").
    let json = |t: &str| js(&load_str(t).documents[0].value).to_string();
    assert_eq!(
        json("a:\n  b: \"first\nsecond\"\n  c: 1\n"),
        r#"{"a":{"b":"first second","c":1}}"#
    );
    assert_eq!(
        json("a:\n  b: 'first\n\n second'\n  c: 1\n"),
        r#"{"a":{"b":"first\nsecond","c":1}}"#
    );
    assert_eq!(
        json("a:\n  b: \"first\\\n  second\"\n"),
        r#"{"a":{"b":"firstsecond"}}"#
    );
    assert_eq!(
        json("a:\n  b:\n    - \"x\n y\"\n"),
        r#"{"a":{"b":["x y"]}}"#
    );
    assert_eq!(json("a:\n  b: \"x\n\ty\"\n"), r#"{"a":{"b":"x y"}}"#);
    // libyaml's escapes, not YAML 1.2's (Helm 3.17.3 and 4.1.4, values files and fromYaml):
    // `\'` is an apostrophe, on one line or several; `\/` is refused where it stands.
    assert_eq!(json("a: \"it\\'s\"\n"), r#"{"a":"it's"}"#);
    assert_eq!(
        json("a:\n  b: \"x\n\\'y\\' \\\\'\"\n"),
        r#"{"a":{"b":"x 'y' \\'"}}"#
    );
    for text in ["a: \"a\\/b\"\n", "a:\n  b: \"x\ny\\/\"\n"] {
        match load(FileId(0), text, &Limits::default()) {
            Err(YamlError::Syntax { message, span }) => {
                assert!(
                    message.ends_with("found unknown escape character"),
                    "{message}"
                );
                assert_eq!(&text[span.start..span.start + 1], "\"");
            }
            other => panic!("{text:?}: {other:?}"),
        }
    }
    // Any number of them in one document (litmus-agent's CRD holds over 100; Helm reads
    // 300 as it reads one), quoted scalars and flow collections alike.
    let many: String = (0..300)
        .map(|i| format!("  k{i}: 'x\ny'\n  f{i}: [1,\n2]\n"))
        .collect();
    let read = load_str(&format!("a:\n{many}"));
    let a = read.documents[0].get_path(&["a"]).and_then(Node::as_map);
    assert_eq!(a.map(|m| m.len()), Some(600));
    assert_eq!(
        js(&read.documents[0].get_path(&["a", "k299"]).unwrap().value).to_string(),
        r#""x y""#
    );
    assert!(
        load(
            FileId(0),
            "a:\n  b: \"first\n---\nsecond\"\n",
            &Limits::default()
        )
        .is_err()
    );
    // Spans still point into the text as written.
    let f = load_str("é:\n  b: \"x\ny\"\n  c: 1\n");
    match &f.documents[0]
        .get_path(&["é", "c"])
        .map(|n| n.origin.clone())
    {
        Some(Origin::File { value, .. }) => assert_eq!(value.start, 20),
        o => panic!("{o:?}"),
    }
}

#[test]
fn flow_collection_lines_left_of_their_block_are_read_as_go_yaml_reads_them() {
    // Helm 3.17.3, `toJson .Values` of each file (the first is bitnami/chainloop's
    // values.yaml); a document marker inside the collection fails ("did not find expected
    // node content").
    let json = |t: &str| js(&load_str(t).documents[0].value).to_string();
    let cases = [
        (
            "vault:\n  server:\n    args: [\n      \"server\",\n      \"-dev\"\n    ]\n    x: 1\n",
            r#"{"vault":{"server":{"args":["server","-dev"],"x":1}}}"#,
        ),
        ("a: [\n1]\n", r#"{"a":[1]}"#),
        ("a:\n  b: {\n  c: 1\n  }\n", r#"{"a":{"b":{"c":1}}}"#),
        (
            "a:\n  b: [[\n1,\n2],\n[3]\n]\nc: 1\n",
            r#"{"a":{"b":[[1,2],[3]]},"c":1}"#,
        ),
        ("a:\n  b: [x\ny, z]\n", r#"{"a":{"b":["x y","z"]}}"#),
        ("a:\n  b: [ # ]\n1 ]\n", r#"{"a":{"b":[1]}}"#),
        ("a:\n  b: [it's,\n'q]'\n]\n", r#"{"a":{"b":["it's","q]"]}}"#),
    ];
    for (text, want) in cases {
        assert_eq!(json(text), want, "{text:?}");
    }
    assert!(load(FileId(0), "a: [\n---\n1]\n", &Limits::default()).is_err());
}

#[test]
fn text_after_the_first_root_node_is_no_error_as_go_yaml_never_reads_it() {
    // Helm 3.17.3 and 4.1.4: values.yaml `{"a":1}\n{"b":2}` is {"a":1}; a manifest
    // `{"kind":"ConfigMap"}\n{"b":2}` renders; `"str"\nfoo` is the string `str`.
    let json = |t: &str| js(&load_str(t).documents[0].value).to_string();
    assert_eq!(json("{\"a\":1}\n{\"b\":2}\n"), r#"{"a":1}"#);
    assert_eq!(json("\"str\"\nfoo\n"), r#""str""#);
    // Inside the root, or before it, an error stays one.
    for text in ["{\"a\":1\n{\"b\":2}\n", "a: 1\n[x\n", "]\n"] {
        assert!(
            load(FileId(0), text, &Limits::default()).is_err(),
            "{text:?}"
        );
    }
}

#[test]
fn syntax_errors_have_a_position() {
    let err = load(FileId(0), "a: [1, 2\nb: 3\n", &Limits::default()).unwrap_err();
    assert!(matches!(err, YamlError::Syntax { .. }), "{err:?}");
}

#[test]
fn non_ascii_offsets_are_bytes() {
    let f = load_str("é: x\nb: y\n");
    match &f.documents[0].get_path(&["b"]).unwrap().origin {
        Origin::File { value, .. } => assert_eq!(value.start, 9),
        o => panic!("{o:?}"),
    }
}

#[test]
fn blank_block_lines_deeper_than_a_comment_end_the_scalar_as_go_yaml_does() {
    // Helm 3.17.3 reads these: libyaml takes the block scalar's indentation from its deepest
    // blank first line, ends it (empty) at the shallower comment, and reads on.
    for text in [
        "d:\n  out: |-\n        \n    #c\n  z: 1\n",
        "d:\n  out: >\n        \n      \n    #c\n\n  z: 1\n",
    ] {
        let doc = load_str(text);
        let d = &doc.documents[0];
        assert_eq!(
            d.get_path(&["d", "out"]).map(|n| n.value.clone()),
            Some(Value::Str(String::new())),
            "{text:?}"
        );
        assert_eq!(
            d.get_path(&["d", "z"]).map(|n| n.value.clone()),
            Some(Value::Float(1.0)),
            "{text:?}"
        );
    }
    let doc = load_str("d:\n  - |\n        \n    #c\n  - z\nb: 2\n");
    assert_eq!(
        doc.documents[0].get_path(&["b"]).map(|n| n.value.clone()),
        Some(Value::Float(2.0))
    );
    // Kept breaks are the value: one per blank line.
    let doc = load_str("d:\n  out: |+\n        \n      \n\n    #c\n  z: 1\n");
    assert_eq!(
        doc.documents[0]
            .get_path(&["d", "out"])
            .map(|n| n.value.clone()),
        Some(Value::Str("\n\n\n".into()))
    );
    // A token right of the mapping after the comment fails (`yaml::events`).
    let text = "d:\n  out: |\n        \n    #c\n   z: 1\n";
    assert!(
        load(FileId(0), text, &Limits::default()).is_err(),
        "{text:?}"
    );
}

#[test]
fn a_colon_glued_to_a_flow_scalar_is_the_scalars_as_go_yaml_reads_it() {
    // Helm 3.17.3's `fromYaml` and values files: in a flow collection, a `:` with no blank after it belongs to
    // the plain scalar before it (`[a:]` is `["a:"]`), where YAML 1.2 makes a key of it.
    let doc = load_str("x: [a:, b:c, d:]\nv: {a:}\nz: [[a:], {b:}]\nw: [\"a\":1, c: ]\n");
    fn show(v: &Value) -> String {
        match v {
            Value::Str(s) => format!("{s:?}"),
            Value::Null => "null".into(),
            Value::Float(f) => f.to_string(),
            Value::Seq(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(|n| show(&n.value))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            Value::Map(m) => format!(
                "{{{}}}",
                m.iter()
                    .map(|(k, n)| format!("{k:?}:{}", show(&n.value)))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            other => format!("{other:?}"),
        }
    }
    let json = |k: &str| doc.documents[0].get_path(&[k]).map(|n| show(&n.value));
    assert_eq!(json("x").as_deref(), Some(r#"["a:","b:c","d:"]"#));
    // So is a `-` before a flow indicator: the plain scalar `-` (YAML 1.2 refuses it).
    let dashes = load_str("a: [x, -]\nb: [ -, {-: -}]\n");
    let dash = |k: &str| dashes.documents[0].get_path(&[k]).map(|n| show(&n.value));
    assert_eq!(dash("a").as_deref(), Some(r#"["x","-"]"#));
    assert_eq!(dash("b").as_deref(), Some(r#"["-",{"-":"-"}]"#));
    assert_eq!(json("v").as_deref(), Some(r#"{"a:":null}"#));
    assert_eq!(json("z").as_deref(), Some(r#"[["a:"],{"b:":null}]"#));
    assert_eq!(json("w").as_deref(), Some(r#"[{"a":1},{"c":null}]"#));
    let doc = load_str("x: [a\n  b:, c]\n");
    let x = doc.documents[0].get_path(&["x"]).map(|n| show(&n.value));
    assert_eq!(x.as_deref(), Some(r#"["a b:","c"]"#));
    // Glued to a collection, the scalar is followed by one with no `,` between.
    let err = load(FileId(0), "x: [a:[1]]\n", &Limits::default()).unwrap_err();
    assert!(
        err.to_string().contains("did not find expected ',' or ']'"),
        "{err}"
    );
}

#[test]
fn tabs_starting_lines_of_a_flow_collection_are_blanks() {
    // Helm 3.17.3 and 4.1.4 (values files and fromYaml): go-yaml skips tabs between a flow
    // collection's tokens, also inside a block mapping (JSON indented with tabs); a tab
    // starting a line of the block itself stays an error.
    let json = |t: &str| js(&load_str(t).documents[0].value).to_string();
    assert_eq!(json("k: [\n\t\"a\",\n\t\"b\"\n]\n"), r#"{"k":["a","b"]}"#);
    assert_eq!(json("k: {\n\t\"a\": 1}\n"), r#"{"k":{"a":1}}"#);
    assert_eq!(json("k: [!t\n\tb]\n"), r#"{"k":["b"]}"#);
    assert_eq!(
        json(
            "g:\n  x: {\n\t\"a\": {\n\t\t\"b\": [\n\t\t\t1, \"q\\\"x\"\n\t\t],\n\t\t\"c\": \"d # e\" # c\n\t}\n  }\n  w: 2\n"
        ),
        r#"{"g":{"w":2,"x":{"a":{"b":[1,"q\"x"],"c":"d # e"}}}}"#
    );
    assert_eq!(
        json("k: {\n\t\"a\": [\n\t\t\"x\"],\n\t\"b\": 2\n}\nz: 1\n"),
        r#"{"k":{"a":["x"],"b":2},"z":1}"#
    );
    assert!(load(FileId(0), "k: [1]\n\tj: 2\n", &Limits::default()).is_err());
    assert!(load(FileId(0), "k: [\n\t1]\n\tj: 2\n", &Limits::default()).is_err());
}

#[test]
fn a_dash_ending_a_flow_scalar_after_a_tag_or_anchor_stays_a_dash() {
    // Helm 3.17.3 and 4.1.4: ["-"], ["a -","b"], {"k":"a -"}, ["1 -"], ["a -"].
    let json = |t: &str| js(&load_str(t).documents[0].value).to_string();
    assert_eq!(json("k: [!t -]\n"), r#"{"k":["-"]}"#);
    assert_eq!(json("k: [&x a -, b]\n"), r#"{"k":["a -","b"]}"#);
    assert_eq!(json("k: {k: !!str a -}\n"), r#"{"k":{"k":"a -"}}"#);
    assert_eq!(json("k: [!!str 1 -]\n"), r#"{"k":["1 -"]}"#);
    assert_eq!(json("k: [!t a - ]\n"), r#"{"k":["a -"]}"#);
}

#[test]
fn an_escaped_line_break_keeps_the_empty_lines_after_it_as_breaks() {
    // Helm 3.17.3 and 4.1.4, `toJson .Values`: libyaml's escaped break stores no leading
    // break, so each empty line after it is a trailing break, all kept.
    let json = |t: &str| js(&load_str(t).documents[0].value).to_string();
    assert_eq!(json("k: \"a\\\n\n  b\"\n"), r#"{"k":"a\nb"}"#);
    assert_eq!(json("k: \"a\\\n\n\n  b\"\n"), r#"{"k":"a\n\nb"}"#);
    assert_eq!(json("k: \"a \\\n  \n  b\"\n"), r#"{"k":"a \nb"}"#);
    assert_eq!(json("k: \"a\\\n  b\"\n"), r#"{"k":"ab"}"#);
    // The same under an anchor (read by saphyr, not the fast reader).
    assert_eq!(json("k: &x \"a\\\n\n  b\"\n"), r#"{"k":"a\nb"}"#);
}

/// Three or four levels of anchors, each holding `fan` aliases of the one before (a list of
/// `x`s, or a map of `kN: x`), and with `merge` a map merging the last one.
fn laughs(levels: usize, fan: usize, map: bool, merge: bool) -> String {
    let mut text = String::new();
    for level in 0..levels {
        let item = |i: usize| match (level, map) {
            (0, false) => "x".to_string(),
            (0, true) => format!("k{i}: x"),
            (_, false) => format!("*a{}", level - 1),
            (_, true) => format!("k{i}: *a{}", level - 1),
        };
        let items: Vec<String> = (0..fan).map(item).collect();
        let (open, close) = if map { ('{', '}') } else { ('[', ']') };
        text += &format!("a{level}: &a{level} {open}{}{close}\n", items.join(", "));
    }
    if merge {
        text += &format!("m: {{<<: *a{}, z: 1}}\n", levels - 1);
    }
    text
}

#[test]
fn aliases_that_are_most_of_a_document_fail_as_in_go_yaml() {
    // Helm 3.17.3 and 4.1.4 (`fromYaml`, and a values file): the first of each pair decodes,
    // the second fails with go-yaml's "document contains excessive aliasing" (keys count, a
    // `<<` key does not; 192 such texts agreed).
    let fails = |t: &str| match load(FileId(0), t, &Limits::default()) {
        Ok(_) => false,
        Err(e) => {
            assert_eq!(e.to_string(), "document contains excessive aliasing", "{t}");
            true
        }
    };
    for (levels, map, merge, last_fine) in [
        (4, false, false, 7),
        (4, true, false, 6),
        (3, true, true, 12),
        (4, true, true, 5),
    ] {
        assert!(
            !fails(&laughs(levels, last_fine, map, merge)),
            "{levels} {map} {merge}"
        );
        assert!(
            fails(&laughs(levels, last_fine + 1, map, merge)),
            "{levels} {map} {merge}"
        );
    }
}

//! `toYaml`, `toJson` and `fromYaml` pinned to the output of real Helm 3.17.3 (every expected
//! text below was printed by `helm template`; see each table's comment for the template).

use std::rc::Rc;

use super::super::super::FuncError;
use super::super::super::value::{IntType, Seg, Value};
use super::super::super::values_bridge::values_from_node;
use super::super::Ctx;
use super::super::helm_yaml::to_yaml;
use crate::source::FileId;

mod func_cases;
mod to_yaml_cases;

/// The value `v` of a values file `v: SRC`, typed as Helm types values.
fn value(src: &str) -> Value {
    let text = format!("v: {src}\n");
    let file = crate::yaml::load(FileId(0), &text, &Default::default()).expect("valid YAML");
    let node = file.documents[0].get_path(&["v"]).expect("v");
    values_from_node(node, &[])
}

/// Template: `{{ toYaml .Values.cNNN }}` with `cNNN: SRC` in values.yaml.
#[test]
fn to_yaml_matches_helm() {
    let mut failures = Vec::new();
    for (name, src, want) in to_yaml_cases::TO_YAML {
        let got = to_yaml(&value(src));
        if got.as_str() != *want {
            failures.push(format!(
                "{name}:\n--- helm\n{want}\n--- ours\n{}\n",
                got.as_str()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Template: `{{ F2 (F1 .Values.cNNN) | b64enc }}` for the functions `F1>F2` of each case.
#[test]
fn functions_match_helm() {
    let mut failures = Vec::new();
    for (name, pipeline, src, want) in func_cases::FUNC_CASES {
        let mut v = value(src);
        for f in pipeline.split('>') {
            let func = super::super::lookup(f).expect("registered");
            v = func(&mut Ctx::default(), &[v]).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        }
        let got = v.as_str().unwrap_or("<not a string>").to_string();
        if got != *want {
            failures.push(format!("{name}:\n--- helm\n{want}\n--- ours\n{got}\n"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn call(name: &str, args: &[Value]) -> Result<Value, FuncError> {
    let func = super::super::lookup(name).expect("registered");
    func(&mut Ctx::default(), args)
}

fn text(v: Result<Value, FuncError>) -> String {
    v.expect("ok").as_str().expect("a string").to_string()
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::map(entries.into_iter().map(|(k, v)| (Rc::from(k), v)).collect())
}

/// `helm template --set i=12345678901,j=-3,k=0` with `{{ toYaml .Values }}`; `toYaml (dict "a"
/// nil "b" 1 "c" (list nil 2))`.
#[test]
fn int64s_and_nils() {
    let v = map(vec![
        ("i", Value::int64(12_345_678_901)),
        ("j", Value::int64(-3)),
        ("k", Value::int64(0)),
    ]);
    assert_eq!(to_yaml(&v).as_str(), "i: 12345678901\nj: -3\nk: 0");
    let v = map(vec![
        ("a", Value::Nil),
        ("b", Value::int(1)),
        ("c", Value::list(vec![Value::Nil, Value::int(2)])),
    ]);
    assert_eq!(to_yaml(&v).as_str(), "a: null\nb: 1\nc:\n- null\n- 2");
    let big = Value::Int(-1, IntType::Uint64, None);
    assert_eq!(to_yaml(&big).as_str(), "18446744073709551615");
    assert_eq!(text(call("toJson", &[big])), "18446744073709551615");
}

/// `toYaml`/`toJson`/`toPrettyJson` of NaN or ±Inf print nothing; `mustToJson` and
/// `toRawJson` fail with `json: unsupported value: NaN` (Helm: `error calling mustToJson: …`).
#[test]
fn non_finite_floats() {
    let nan = Value::float(f64::NAN);
    let inf = Value::float(f64::INFINITY);
    assert_eq!(to_yaml(&map(vec![("a", nan.clone())])).as_str(), "");
    assert_eq!(text(call("toJson", &[Value::list(vec![inf.clone()])])), "");
    assert_eq!(
        text(call("toPrettyJson", &[Value::float(f64::NEG_INFINITY)])),
        ""
    );
    assert_eq!(
        call("mustToJson", &[nan]).unwrap_err(),
        FuncError::Call("json: unsupported value: NaN".into())
    );
    assert_eq!(
        call("toRawJson", &[Value::float(f64::NEG_INFINITY)]).unwrap_err(),
        FuncError::Call("json: unsupported value: -Inf".into())
    );
    assert_eq!(
        call("mustToJson", &[map(vec![("a", Value::list(vec![inf]))])]).unwrap_err(),
        FuncError::Call("json: unsupported value: +Inf".into())
    );
}

/// A map that contains itself: Go's `json.Marshal` reports a cycle, so `toYaml` and `toJson`
/// print nothing (and we do not overflow the stack).
#[test]
fn cycles_print_nothing() {
    let v = Value::empty_map();
    let Value::Map(m) = &v else { unreachable!() };
    m.borrow_mut().entries.insert(Rc::from("self"), v.clone());
    assert_eq!(to_yaml(&v).as_str(), "");
    assert_eq!(text(call("toJson", std::slice::from_ref(&v))), "");
    assert_eq!(
        call("mustToJson", std::slice::from_ref(&v)).unwrap_err(),
        FuncError::Call(
            "json: unsupported value: encountered a cycle via map[string]interface {}".into()
        )
    );
    m.borrow_mut().entries.clear();
}

/// `required "need x" ""` and `required "need x" .Values.nope` fail with Helm's
/// `execution error at (…): need x`; `0` and `false` pass. `lookup` is an empty map and takes
/// strings only.
#[test]
fn required_fail_and_lookup() {
    for v in [Value::str(""), Value::Nil] {
        let err = call("required", &[Value::str("need x"), v]).unwrap_err();
        let FuncError::Call(msg) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(msg, "HELM_ERR_STARTneed xHELM_ERR_END");
        assert_eq!(super::unwrap_helm_error(msg), Some("need x"));
    }
    for v in [Value::int(0), Value::bool(false), Value::empty_map()] {
        let got = call("required", &[Value::str("need x"), v.clone()]).expect("passes");
        assert_eq!(got.kind_name(), v.kind_name());
    }
    let err = super::fail(&mut Ctx::default(), &[Value::str("boom")]).unwrap_err();
    assert_eq!(
        err,
        FuncError::Call("HELM_ERR_STARTboomHELM_ERR_END".into())
    );
    let s = |t: &str| Value::str(t);
    let found = call("lookup", &[s("v1"), s("Secret"), s("ns"), s("n")]).expect("ok");
    assert_eq!(text(call("toJson", &[found])), "{}");
    assert!(matches!(
        call("lookup", &[s("v1"), s("Secret"), s("ns"), Value::int(1)]),
        Err(FuncError::Arg(_))
    ));
    assert!(matches!(
        call("lookup", &[s("v1")]),
        Err(FuncError::Arity { want: 4, .. })
    ));
}

/// Every scalar `toYaml` writes keeps the origin of the value it came from, whatever its style.
#[test]
fn to_yaml_scalars_keep_their_origin() {
    let v = value(r#"{plain: abc, quoted: "true", num: 1.5, lines: "x\ny", list: [q]}"#);
    let out = to_yaml(&v);
    let text = out.as_str();
    let by_path = |seg: &Seg| seg.prov.path.join(".");
    let mut seen: Vec<(String, &str)> = out
        .segs()
        .iter()
        .map(|seg| (by_path(seg), &text[seg.start as usize..seg.end as usize]))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("lines".to_string(), "x"),
            ("lines".to_string(), "y"),
            ("list.0".to_string(), "q"),
            ("num".to_string(), "1.5"),
            ("plain".to_string(), "abc"),
            ("quoted".to_string(), "true"),
        ]
    );
    // …and reading the text back with `fromYaml` finds them again.
    let back = call("fromYaml", &[Value::Str(out.clone())]).expect("ok");
    let Value::Map(m) = &back else {
        panic!("{back:?}")
    };
    let m = m.borrow();
    for key in ["plain", "quoted", "num", "lines"] {
        let prov = m.entries[key].origin().expect("has an origin");
        assert_eq!(prov.path.join("."), key);
    }
}

/// `fromYaml` numbers are float64, whatever their spelling (`typeOf` prints `float64`).
#[test]
fn from_yaml_numbers_are_float64() {
    let got = call("fromYaml", &[Value::str("a: 010\nb: 0x10\nc: 1\nd: 1.0\n")]).expect("ok");
    let Value::Map(m) = &got else {
        panic!("{got:?}")
    };
    for (k, v) in &m.borrow().entries {
        assert_eq!(v.type_name(), "float64", "{k}");
    }
}

/// Values nested as deep as the walk allows still print (the recursion fits the stack of a test
/// thread in a debug build), and one level more is refused rather than overflowing.
#[test]
fn deep_nesting_is_bounded() {
    let nest = |levels: usize| {
        let mut v = Value::str("x");
        for i in 0..levels {
            v = if i % 2 == 0 {
                Value::list(vec![v])
            } else {
                map(vec![("k", v)])
            };
        }
        v
    };
    let max = super::super::helm_yaml::MAX_DEPTH;
    assert!(to_yaml(&nest(max - 1)).as_str().ends_with("x"));
    assert!(text(call("toPrettyJson", &[nest(max - 1)])).contains("\"x\""));
    assert_eq!(to_yaml(&nest(max)).as_str(), "");
    assert_eq!(text(call("toJson", &[nest(max + 5)])), "");
}

//! Go's builtins against Helm 3.17.3: each expectation is what `helm template` printed (a
//! value's text; nil prints as nothing) or the error it stopped with.

use crate::template::value::Entries;
use std::rc::Rc;

use super::FUNCS;
use crate::template::FuncError;
use crate::template::fmt::sprint_v;
use crate::template::funcs::Ctx;
use crate::template::value::{IntType, Value};

fn i(n: i64) -> Value {
    Value::int(n)
}
fn i64v(n: i64) -> Value {
    Value::int64(n)
}
fn u8v(n: i64) -> Value {
    Value::Int(n, IntType::Uint8, None)
}
fn f(x: f64) -> Value {
    Value::float(x)
}
fn s(x: &str) -> Value {
    Value::str(x)
}
fn b(x: bool) -> Value {
    Value::bool(x)
}
fn nil() -> Value {
    Value::Nil
}
fn by(x: &[u8]) -> Value {
    Value::Bytes(Rc::from(x))
}
fn l(items: Vec<Value>) -> Value {
    Value::list(items)
}
fn m(entries: Vec<(&str, Value)>) -> Value {
    Value::map(
        entries
            .into_iter()
            .map(|(k, v)| (Rc::from(k), v))
            .collect::<Entries>(),
    )
}

/// Calls `name` and renders the outcome as Helm reports it.
fn run(name: &str, args: &[Value]) -> Result<String, String> {
    let func = FUNCS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
        .unwrap_or_else(|| panic!("no function {name}"));
    match func(&mut Ctx::default(), args) {
        Ok(Value::Nil) => Ok(String::new()),
        Ok(v) => Ok(sprint_v(&v)),
        Err(FuncError::Call(m)) => Err(format!("error calling {name}: {m}")),
        Err(FuncError::Arg(m) | FuncError::Budget(m)) => Err(m),
        Err(FuncError::Arity {
            want,
            variadic,
            got,
        }) => Err(format!(
            "wrong number of args for {name}: want {}{want} got {got}",
            if variadic { "at least " } else { "" }
        )),
    }
}

type Case = (&'static str, Vec<Value>, Result<&'static str, &'static str>);

fn check(cases: Vec<Case>) {
    let total = cases.len();
    let mut failures = Vec::new();
    for (name, args, want) in cases {
        let got = run(name, &args);
        let want = want.map(str::to_string).map_err(str::to_string);
        if got != want {
            failures.push(format!("{name} {args:?}\n   got {got:?}\n  want {want:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn builtins_match_helm() {
    check(cases());
}

#[test]
fn comparisons_match_helm() {
    let values = operands();
    let mut cases: Vec<Case> = comparison_errors();
    for (op, rows) in MATRIX {
        for (a, row) in values.iter().zip(rows.iter()) {
            for (b, want) in values.iter().zip(row.chars()) {
                let want = match want {
                    'T' => Ok("true"),
                    'F' => Ok("false"),
                    'I' => Err(incompatible(op)),
                    'V' => Err(invalid(op)),
                    _ => continue, // in comparison_errors
                };
                cases.push((op, vec![a.clone(), b.clone()], want));
            }
        }
    }
    check(cases);
}

fn incompatible(op: &str) -> &'static str {
    match op {
        "eq" => "error calling eq: incompatible types for comparison",
        "ne" => "error calling ne: incompatible types for comparison",
        "lt" => "error calling lt: incompatible types for comparison",
        "le" => "error calling le: incompatible types for comparison",
        "gt" => "error calling gt: incompatible types for comparison",
        _ => "error calling ge: incompatible types for comparison",
    }
}

fn invalid(op: &str) -> &'static str {
    match op {
        "eq" => "error calling eq: invalid type for comparison",
        "ne" => "error calling ne: invalid type for comparison",
        "lt" => "error calling lt: invalid type for comparison",
        "le" => "error calling le: invalid type for comparison",
        "gt" => "error calling gt: invalid type for comparison",
        _ => "error calling ge: invalid type for comparison",
    }
}

#[test]
fn printf_keeps_the_provenance_of_its_operands() {
    use crate::template::value::{Prov, Str};
    let path: Rc<[Rc<str>]> = Rc::from(vec![Rc::from("tag")]);
    let prov = Rc::new(Prov {
        path: path.clone(),
        user_path: path,
        origin: crate::value::Origin::Chart("q 0.1.0".into()),
    });
    let tag = Value::Str(Str::with_origin("7.1", &Some(prov)));
    let Ok(Value::Str(out)) = super::printf(&mut Ctx::default(), &[s("img:%s"), tag]) else {
        panic!("printf failed");
    };
    assert_eq!(out.as_str(), "img:7.1");
    assert_eq!(out.segs().len(), 1);
    assert_eq!((out.segs()[0].start, out.segs()[0].end), (4, 7));
}

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    vec![
        ("not", vec![i(0)], Ok("true")),
        ("not", vec![i(1)], Ok("false")),
        ("not", vec![s("")], Ok("true")),
        ("not", vec![s("x")], Ok("false")),
        ("not", vec![nil()], Ok("true")),
        ("not", vec![l(vec![])], Ok("true")),
        ("not", vec![l(vec![i(0)])], Ok("false")),
        ("not", vec![m(vec![])], Ok("true")),
        ("not", vec![f(0.0)], Ok("true")),
        ("not", vec![b(false)], Ok("true")),
        ("not", vec![b(true)], Ok("false")),
        ("not", vec![by(b"\x61\x62")], Ok("false")),
        ("not", vec![], Err("wrong number of args for not: want 1 got 0")),
        ("not", vec![i(1), i(2)], Err("wrong number of args for not: want 1 got 2")),
        ("len", vec![s("héllo")], Ok("6")),
        ("len", vec![s("")], Ok("0")),
        ("len", vec![l(vec![i(1), i(2), i(3)])], Ok("3")),
        ("len", vec![m(vec![("a", i(1)), ("b", i(2))])], Ok("2")),
        ("len", vec![by(b"\x61\x62")], Ok("2")),
        // No value (`len nil`, a variable holding nil); a field holding nil is "len of nil
        // pointer" (template::tests::exec).
        (
            "len",
            vec![nil()],
            Err("error calling len: reflect: call of reflect.Value.Type on zero Value"),
        ),
        ("len", vec![i(3)], Err("error calling len: len of type int")),
        ("len", vec![f(1.5)], Err("error calling len: len of type float64")),
        ("len", vec![b(true)], Err("error calling len: len of type bool")),
        ("len", vec![i64v(2)], Err("error calling len: len of type int64")),
        ("len", vec![], Err("wrong number of args for len: want 1 got 0")),
        ("index", vec![l(vec![i(1), i(2)]), i(1)], Ok("2")),
        ("index", vec![l(vec![i(1), i(2)]), i(2)], Err("error calling index: reflect: slice index out of range")),
        ("index", vec![l(vec![i(1), i(2)]), i(5)], Err("error calling index: index out of range: 5")),
        ("index", vec![l(vec![i(1), i(2)]), i(-1)], Err("error calling index: index out of range: -1")),
        ("index", vec![l(vec![i(1), i(2)]), s("a")], Err("error calling index: cannot index slice/array with type string")),
        ("index", vec![l(vec![i(1), i(2)]), nil()], Err("error calling index: cannot index slice/array with nil")),
        ("index", vec![l(vec![i(1), i(2)]), f(1.0)], Err("error calling index: cannot index slice/array with type float64")),
        ("index", vec![l(vec![i(1), i(2)]), i64v(0)], Ok("1")),
        ("index", vec![l(vec![i(1), i(2)]), u8v(1)], Ok("2")),
        ("index", vec![s("abc"), i(1)], Ok("98")),
        ("index", vec![s("abc"), i(3)], Err("error calling index: reflect: string index out of range")),
        ("index", vec![s("abc"), i(4)], Err("error calling index: index out of range: 4")),
        ("index", vec![by(b"\x61\x62"), i(1)], Ok("98")),
        ("index", vec![by(b"\x61\x62"), i(2)], Err("error calling index: reflect: slice index out of range")),
        ("index", vec![m(vec![("a", i(1))]), s("a")], Ok("1")),
        ("index", vec![m(vec![("a", i(1))]), s("b")], Ok("")),
        ("index", vec![m(vec![("a", i(1))]), i(1)], Err("error calling index: value has type int; should be string")),
        ("index", vec![m(vec![("a", i(1))]), nil()], Err("error calling index: value is nil; should be of type string")),
        ("index", vec![m(vec![("a", m(vec![("b", l(vec![i(5), i(6)]))]))]), s("a"), s("b"), i(1)], Ok("6")),
        ("index", vec![m(vec![("a", nil())]), s("a"), s("b")], Err("error calling index: index of nil pointer")),
        ("index", vec![m(vec![]), s("a"), s("b")], Err("error calling index: index of nil pointer")),
        ("index", vec![l(vec![nil()]), i(0), i(0)], Err("error calling index: index of nil pointer")),
        ("index", vec![l(vec![l(vec![i(1), l(vec![i(2), i(3)])])]), i(0), i(1), i(0)], Ok("2")),
        ("index", vec![nil()], Err("error calling index: index of untyped nil")),
        ("index", vec![nil(), i(1)], Err("error calling index: index of untyped nil")),
        ("index", vec![i(1), i(1)], Err("error calling index: can't index item of type int")),
        ("index", vec![b(true)], Ok("true")),
        ("index", vec![l(vec![i(1)])], Ok("[1]")),
        ("index", vec![f(1.5), i(0)], Err("error calling index: can't index item of type float64")),
        ("index", vec![], Err("wrong number of args for index: want at least 1 got 0")),
        ("index", vec![m(vec![("a", i(1))])], Ok("map[a:1]")),
        ("index", vec![s("abc"), s("x")], Err("error calling index: cannot index slice/array with type string")),
        ("print", vec![i(1), s("a"), nil()], Ok("1a<nil>")),
        ("printf", vec![s("%d-%s"), i(1), s("a")], Ok("1-a")),
        ("printf", vec![s("x")], Ok("x")),
        ("printf", vec![], Err("wrong number of args for printf: want at least 1 got 0")),
        ("println", vec![], Ok("\n")),
        ("println", vec![i(1), nil()], Ok("1 <nil>\n")),
        ("html", vec![s("<a href=\"x\">'&'</a>\u{0}")], Ok("&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;�")),
        ("html", vec![i(1), nil(), s("<")], Ok("1&lt;no value&gt;&lt;")),
        ("html", vec![], Ok("")),
        ("html", vec![nil()], Ok("&lt;no value&gt;")),
        ("html", vec![l(vec![i(1), s("<")])], Ok("[1 &lt;]")),
        ("html", vec![s("a"), s("b")], Ok("ab")),
        ("html", vec![i(1), i(2)], Ok("1 2")),
        ("js", vec![s("<a&=\"'>é\u{2028}\u{1}\u{7f}\\/")], Ok("\\u003Ca\\u0026\\u003D\\\"\\'\\u003Eé\\u2028\\u0001\u{7f}\\\\/")),
        ("js", vec![s("😀󠀁\u{ad}")], Ok("😀\\uE0001\\u00AD")),
        ("js", vec![i(1), i(2)], Ok("1 2")),
        ("js", vec![nil()], Ok("\\u003Cno value\\u003E")),
        ("js", vec![s("a\tb\nc\r")], Ok("a\\u0009b\\u000Ac\\u000D")),
        ("urlquery", vec![s("a b&c/d?é~_.-+=%#")], Ok("a+b%26c%2Fd%3F%C3%A9~_.-%2B%3D%25%23")),
        ("urlquery", vec![s("a b"), s("c")], Ok("a+bc")),
        ("urlquery", vec![nil()], Ok("%3Cno+value%3E")),
        ("urlquery", vec![], Ok("")),
        ("urlquery", vec![i(1), f(2.5), b(true)], Ok("1+2.5+true")),
    ]
}

/// The operands of the comparison matrix, in row and column order.
fn operands() -> Vec<Value> {
    vec![
        i(1),
        i(2),
        i64v(1),
        i64v(-3),
        f(1.0),
        f(2.5),
        s("1"),
        s("b"),
        s("a"),
        b(true),
        b(false),
        nil(),
        l(vec![i(1)]),
        m(vec![("a", i(1))]),
        u8v(1),
        u8v(200),
        by(b"ab"),
    ]
}

/// `op a b` for every pair of [`operands`] (row `a`, column `b`): `T` true, `F` false,
/// `I` incompatible types, `V` invalid type, `N` non-comparable (its text is in
/// [`comparison_errors`]).
#[rustfmt::skip]
const MATRIX: &[(&str, [&str; 17])] = &[
    ("eq", [
        "TFTFIIIIIIIFIITFI", // i(1)
        "FTFFIIIIIIIFIIFFI", // i(2)
        "TFTFIIIIIIIFIITFI", // i64v(1)
        "FFFTIIIIIIIFIIFFI", // i64v(-3)
        "IIIITFIIIIIFIIIII", // f(1.0)
        "IIIIFTIIIIIFIIIII", // f(2.5)
        "IIIIIITFFIIFIIIII", // s("1")
        "IIIIIIFTFIIFIIIII", // s("b")
        "IIIIIIFFTIIFIIIII", // s("a")
        "IIIIIIIIITFFIIIII", // b(true)
        "IIIIIIIIIFTFIIIII", // b(false)
        "FFFFFFFFFFFTFFFFF", // nil()
        "IIIIIIIIIIIFNNIIN", // l(vec![i(1)])
        "IIIIIIIIIIIFNNIIN", // m(vec![("a", i(1))])
        "TFTFIIIIIIIFIITFI", // u8v(1)
        "FFFFIIIIIIIFIIFTI", // u8v(200)
        "IIIIIIIIIIIFNNIIN", // by(b"ab")
    ]),
    ("ne", [
        "FTFTIIIIIIITIIFTI", // i(1)
        "TFTTIIIIIIITIITTI", // i(2)
        "FTFTIIIIIIITIIFTI", // i64v(1)
        "TTTFIIIIIIITIITTI", // i64v(-3)
        "IIIIFTIIIIITIIIII", // f(1.0)
        "IIIITFIIIIITIIIII", // f(2.5)
        "IIIIIIFTTIITIIIII", // s("1")
        "IIIIIITFTIITIIIII", // s("b")
        "IIIIIITTFIITIIIII", // s("a")
        "IIIIIIIIIFTTIIIII", // b(true)
        "IIIIIIIIITFTIIIII", // b(false)
        "TTTTTTTTTTTFTTTTT", // nil()
        "IIIIIIIIIIITNNIIN", // l(vec![i(1)])
        "IIIIIIIIIIITNNIIN", // m(vec![("a", i(1))])
        "FTFTIIIIIIITIIFTI", // u8v(1)
        "TTTTIIIIIIITIITFI", // u8v(200)
        "IIIIIIIIIIITNNIIN", // by(b"ab")
    ]),
    ("lt", [
        "FTFFIIIIIIIVVVFTV", // i(1)
        "FFFFIIIIIIIVVVFTV", // i(2)
        "FTFFIIIIIIIVVVFTV", // i64v(1)
        "TTTFIIIIIIIVVVTTV", // i64v(-3)
        "IIIIFTIIIIIVVVIIV", // f(1.0)
        "IIIIFFIIIIIVVVIIV", // f(2.5)
        "IIIIIIFTTIIVVVIIV", // s("1")
        "IIIIIIFFFIIVVVIIV", // s("b")
        "IIIIIIFTFIIVVVIIV", // s("a")
        "IIIIIIIIIVVVVVIIV", // b(true)
        "IIIIIIIIIVVVVVIIV", // b(false)
        "VVVVVVVVVVVVVVVVV", // nil()
        "VVVVVVVVVVVVVVVVV", // l(vec![i(1)])
        "VVVVVVVVVVVVVVVVV", // m(vec![("a", i(1))])
        "FTFFIIIIIIIVVVFTV", // u8v(1)
        "FFFFIIIIIIIVVVFFV", // u8v(200)
        "VVVVVVVVVVVVVVVVV", // by(b"ab")
    ]),
    ("le", [
        "TTTFIIIIIIIVVVTTV", // i(1)
        "FTFFIIIIIIIVVVFTV", // i(2)
        "TTTFIIIIIIIVVVTTV", // i64v(1)
        "TTTTIIIIIIIVVVTTV", // i64v(-3)
        "IIIITTIIIIIVVVIIV", // f(1.0)
        "IIIIFTIIIIIVVVIIV", // f(2.5)
        "IIIIIITTTIIVVVIIV", // s("1")
        "IIIIIIFTFIIVVVIIV", // s("b")
        "IIIIIIFTTIIVVVIIV", // s("a")
        "IIIIIIIIIVVVVVIIV", // b(true)
        "IIIIIIIIIVVVVVIIV", // b(false)
        "VVVVVVVVVVVVVVVVV", // nil()
        "VVVVVVVVVVVVVVVVV", // l(vec![i(1)])
        "VVVVVVVVVVVVVVVVV", // m(vec![("a", i(1))])
        "TTTFIIIIIIIVVVTTV", // u8v(1)
        "FFFFIIIIIIIVVVFTV", // u8v(200)
        "VVVVVVVVVVVVVVVVV", // by(b"ab")
    ]),
    ("gt", [
        "FFFTIIIIIIIVVVFFV", // i(1)
        "TFTTIIIIIIIVVVTFV", // i(2)
        "FFFTIIIIIIIVVVFFV", // i64v(1)
        "FFFFIIIIIIIVVVFFV", // i64v(-3)
        "IIIIFFIIIIIVVVIIV", // f(1.0)
        "IIIITFIIIIIVVVIIV", // f(2.5)
        "IIIIIIFFFIIVVVIIV", // s("1")
        "IIIIIITFTIIVVVIIV", // s("b")
        "IIIIIITFFIIVVVIIV", // s("a")
        "IIIIIIIIIVVVVVIIV", // b(true)
        "IIIIIIIIIVVVVVIIV", // b(false)
        "VVVVVVVVVVVVVVVVV", // nil()
        "VVVVVVVVVVVVVVVVV", // l(vec![i(1)])
        "VVVVVVVVVVVVVVVVV", // m(vec![("a", i(1))])
        "FFFTIIIIIIIVVVFFV", // u8v(1)
        "TTTTIIIIIIIVVVTFV", // u8v(200)
        "VVVVVVVVVVVVVVVVV", // by(b"ab")
    ]),
    ("ge", [
        "TFTTIIIIIIIVVVTFV", // i(1)
        "TTTTIIIIIIIVVVTFV", // i(2)
        "TFTTIIIIIIIVVVTFV", // i64v(1)
        "FFFTIIIIIIIVVVFFV", // i64v(-3)
        "IIIITFIIIIIVVVIIV", // f(1.0)
        "IIIITTIIIIIVVVIIV", // f(2.5)
        "IIIIIITFFIIVVVIIV", // s("1")
        "IIIIIITTTIIVVVIIV", // s("b")
        "IIIIIITFTIIVVVIIV", // s("a")
        "IIIIIIIIIVVVVVIIV", // b(true)
        "IIIIIIIIIVVVVVIIV", // b(false)
        "VVVVVVVVVVVVVVVVV", // nil()
        "VVVVVVVVVVVVVVVVV", // l(vec![i(1)])
        "VVVVVVVVVVVVVVVVV", // m(vec![("a", i(1))])
        "TFTTIIIIIIIVVVTFV", // u8v(1)
        "TTTTIIIIIIIVVVTTV", // u8v(200)
        "VVVVVVVVVVVVVVVVV", // by(b"ab")
    ]),
];

#[rustfmt::skip]
fn comparison_errors() -> Vec<Case> {
    vec![
        ("eq", vec![l(vec![i(1)]), l(vec![i(1)])], Err("error calling eq: non-comparable type [%!s(int=1)]: []interface {}")),
        ("eq", vec![l(vec![i(1)]), m(vec![("a", i(1))])], Err("error calling eq: non-comparable types [%!s(int=1)]: []interface {}, map[string]interface {}: map[a:1]")),
        ("eq", vec![l(vec![i(1)]), by(b"ab")], Err("error calling eq: non-comparable type ab: []uint8")),
        ("eq", vec![m(vec![("a", i(1))]), l(vec![i(1)])], Err("error calling eq: non-comparable types map[a:%!s(int=1)]: map[string]interface {}, []interface {}: [1]")),
        ("eq", vec![m(vec![("a", i(1))]), m(vec![("a", i(1))])], Err("error calling eq: non-comparable type map[a:%!s(int=1)]: map[string]interface {}")),
        ("eq", vec![m(vec![("a", i(1))]), by(b"ab")], Err("error calling eq: non-comparable types map[a:%!s(int=1)]: map[string]interface {}, []uint8: [97 98]")),
        ("eq", vec![by(b"ab"), l(vec![i(1)])], Err("error calling eq: non-comparable type [%!s(int=1)]: []interface {}")),
        ("eq", vec![by(b"ab"), m(vec![("a", i(1))])], Err("error calling eq: non-comparable types ab: []uint8, map[string]interface {}: map[a:1]")),
        ("eq", vec![by(b"ab"), by(b"ab")], Err("error calling eq: non-comparable type ab: []uint8")),
        ("ne", vec![l(vec![i(1)]), l(vec![i(1)])], Err("error calling ne: non-comparable type [%!s(int=1)]: []interface {}")),
        ("ne", vec![l(vec![i(1)]), m(vec![("a", i(1))])], Err("error calling ne: non-comparable types [%!s(int=1)]: []interface {}, map[string]interface {}: map[a:1]")),
        ("ne", vec![l(vec![i(1)]), by(b"ab")], Err("error calling ne: non-comparable type ab: []uint8")),
        ("ne", vec![m(vec![("a", i(1))]), l(vec![i(1)])], Err("error calling ne: non-comparable types map[a:%!s(int=1)]: map[string]interface {}, []interface {}: [1]")),
        ("ne", vec![m(vec![("a", i(1))]), m(vec![("a", i(1))])], Err("error calling ne: non-comparable type map[a:%!s(int=1)]: map[string]interface {}")),
        ("ne", vec![m(vec![("a", i(1))]), by(b"ab")], Err("error calling ne: non-comparable types map[a:%!s(int=1)]: map[string]interface {}, []uint8: [97 98]")),
        ("ne", vec![by(b"ab"), l(vec![i(1)])], Err("error calling ne: non-comparable type [%!s(int=1)]: []interface {}")),
        ("ne", vec![by(b"ab"), m(vec![("a", i(1))])], Err("error calling ne: non-comparable types ab: []uint8, map[string]interface {}: map[a:1]")),
        ("ne", vec![by(b"ab"), by(b"ab")], Err("error calling ne: non-comparable type ab: []uint8")),
        ("eq", vec![i(1), i(2), i(1)], Ok("true")),
        ("eq", vec![s("a"), s("b"), s("c")], Ok("false")),
        ("eq", vec![s("a"), s("b"), s("a")], Ok("true")),
        ("eq", vec![i(1), s("a")], Err("error calling eq: incompatible types for comparison")),
        ("eq", vec![i(1), i(1), s("a")], Ok("true")),
        ("eq", vec![nil(), i(1), nil()], Ok("true")),
        ("eq", vec![i(1), nil(), i(2)], Ok("false")),
        ("eq", vec![i(1), l(vec![i(1)])], Err("error calling eq: incompatible types for comparison")),
        ("eq", vec![l(vec![i(1)]), m(vec![("a", i(1))])], Err("error calling eq: non-comparable types [%!s(int=1)]: []interface {}, map[string]interface {}: map[a:1]")),
        ("eq", vec![l(vec![i(1), s("x")]), l(vec![i(1)])], Err("error calling eq: non-comparable type [%!s(int=1)]: []interface {}")),
        ("eq", vec![m(vec![("a", i(1))]), m(vec![("a", i(1))])], Err("error calling eq: non-comparable type map[a:%!s(int=1)]: map[string]interface {}")),
    ]
}

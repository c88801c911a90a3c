//! `fmt` against Go: every expectation below is what Helm 3.17.3 (Go 1.23.7) printed for the
//! same format and operands (most rows are the rows of Go's own `fmt_test.go` that template
//! values can express; `scripts/oracle/gofmt_cases.py` asks Helm again).

use crate::template::value::Entries;
use std::rc::Rc;

use super::super::value::{IntType, Prov, Str, Value};
use super::{format_float, quote, sprint, sprintf, sprintln};

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

type Case = (&'static str, Vec<Value>, &'static str);

fn check(cases: Vec<Case>, run: impl Fn(&str, &[Value]) -> String) {
    let mut failures = Vec::new();
    let total = cases.len();
    for (format, args, want) in cases {
        let got = run(format, &args);
        if got != want {
            failures.push(format!(
                "{format:?} {args:?}\n   got {got:?}\n  want {want:?}"
            ));
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
fn sprintf_matches_go() {
    check(sprintf_cases(), |format, args| {
        sprintf(format, args).as_str().to_string()
    });
}

#[test]
fn print_and_println_match_go() {
    check(print_cases(), |func, args| match func {
        "print" => sprint(args).as_str().to_string(),
        _ => sprintln(args).as_str().to_string(),
    });
}

fn prov(key: &str) -> Rc<Prov> {
    let path: Rc<[Rc<str>]> = Rc::from(vec![Rc::from(key)]);
    Rc::new(Prov {
        path: path.clone(),
        user_path: path,
        origin: crate::value::Origin::Chart("q 0.1.0".into()),
    })
}

/// The text each provenance segment covers, with its key.
fn segments(out: &Str) -> Vec<(String, String)> {
    out.segs()
        .iter()
        .map(|seg| {
            let text = out.as_str()[seg.start as usize..seg.end as usize].to_string();
            (text, seg.prov.path.join("."))
        })
        .collect()
}

#[test]
fn operands_printed_whole_keep_their_origin() {
    let tag = Value::Str(Str::with_origin("7.1", &Some(prov("tag"))));
    let port = Value::Int(8080, IntType::Int64, Some(prov("port")));
    let out = sprintf("image:%s port=%5d!", &[tag.clone(), port.clone()]);
    assert_eq!(out.as_str(), "image:7.1 port= 8080!");
    assert_eq!(
        segments(&out),
        [("7.1".into(), "tag".into()), ("8080".into(), "port".into())]
    );
    // Truncation keeps the origin of what is left; quoting makes new text.
    let out = sprintf("%.1s|%q", &[tag.clone(), tag.clone()]);
    assert_eq!(out.as_str(), "7|\"7.1\"");
    assert_eq!(segments(&out), [("7".into(), "tag".into())]);
    // Elements of a list keep theirs; print joins operands.
    let out = sprint(&[Value::list(vec![tag.clone(), i(1)]), port]);
    assert_eq!(out.as_str(), "[7.1 1] 8080");
    assert_eq!(
        segments(&out),
        [("7.1".into(), "tag".into()), ("8080".into(), "port".into())]
    );
}

#[test]
fn format_float_and_quote_are_strconv() {
    assert_eq!(format_float(20210214.0, 'g', None), "2.0210214e+07");
    assert_eq!(format_float(1e21, 'f', None), "1000000000000000000000");
    assert_eq!(format_float(0.000001, 'g', None), "1e-06");
    assert_eq!(format_float(2.5, 'f', Some(0)), "2");
    assert_eq!(format_float(-0.0, 'g', None), "-0");
    assert_eq!(format_float(f64::NAN, 'e', Some(2)), "NaN");
    assert_eq!(format_float(1.0, 'e', None), "1e+00");
    assert_eq!(format_float(123456789.0, 'G', Some(3)), "1.23E+08");
    assert_eq!(
        quote("a\"b\\\u{7}\u{200b}é😀\u{10ffff}"),
        "\"a\\\"b\\\\\\a\\u200bé😀\\U0010ffff\""
    );
    assert_eq!(super::quote_ascii("é"), "\"\\u00e9\"");
}

#[test]
fn any_format_prints_without_panicking() {
    const PIECES: &[&str] = &[
        "%", "[", "]", "*", ".", "-", "+", "#", "0", " ", "1", "9", "d", "s", "v", "é", "x", "q",
        "T", "[2]", "[0]", "c", "U", "g", "e",
    ];
    let operands = [
        vec![],
        vec![i(-3), s("é"), f(2.5)],
        vec![nil(), l(vec![by(b"\xff"), m(vec![("k", nil())])]), u8v(200)],
    ];
    for a in PIECES {
        for b in PIECES {
            for c in PIECES {
                let format = format!("%{a}{b}{c}");
                for args in &operands {
                    let _ = sprintf(&format, args);
                }
            }
        }
    }
}

#[test]
fn cyclic_maps_do_not_overflow_the_stack() {
    let map = m(vec![]);
    if let Value::Map(inner) = &map {
        inner
            .borrow_mut()
            .entries
            .insert(Rc::from("self"), map.clone());
    }
    super::take_printed_cycle();
    let out = sprintf("%v", std::slice::from_ref(&map));
    // Go recurses until its runtime stops Helm: the map is printed once, and the render told.
    assert_eq!(out.as_str(), "map[self:...]");
    assert!(super::take_printed_cycle());
    assert!(!super::take_printed_cycle());
    if let Value::Map(inner) = &map {
        inner.borrow_mut().entries.clear(); // break the cycle so the test does not leak
    }
}

// Go's own test operands include 3.14159.
#[allow(clippy::approx_constant)]
#[rustfmt::skip]
fn sprintf_cases() -> Vec<Case> {
    vec![
        ("%d", vec![i(12345)], "12345"),
        ("%v", vec![i(12345)], "12345"),
        ("%t", vec![b(true)], "true"),
        ("%v", vec![b(false)], "false"),
        ("%s", vec![s("abc")], "abc"),
        ("%q", vec![s("abc")], "\"abc\""),
        ("%x", vec![s("abc")], "616263"),
        ("%x", vec![s("")], ""),
        ("% x", vec![s("")], ""),
        ("%#x", vec![s("")], ""),
        ("%# x", vec![s("")], ""),
        ("%x", vec![s("xyz")], "78797a"),
        ("%X", vec![s("xyz")], "78797A"),
        ("% x", vec![s("xyz")], "78 79 7a"),
        ("% X", vec![s("xyz")], "78 79 7A"),
        ("%#x", vec![s("xyz")], "0x78797a"),
        ("%#X", vec![s("xyz")], "0X78797A"),
        ("%# x", vec![s("xyz")], "0x78 0x79 0x7a"),
        ("%# X", vec![s("xyz")], "0X78 0X79 0X7A"),
        ("%s", vec![by(b"\x61\x62\x63")], "abc"),
        ("%q", vec![by(b"\x61\x62\x63")], "\"abc\""),
        ("%x", vec![by(b"\x61\x62\x63")], "616263"),
        ("%x", vec![by(b"\xff\xf0\x0f\xff")], "fff00fff"),
        ("%X", vec![by(b"\xff\xf0\x0f\xff")], "FFF00FFF"),
        ("% x", vec![by(b"\x78\x79\x7a")], "78 79 7a"),
        ("%# X", vec![by(b"\x78\x79\x7a")], "0X78 0X79 0X7A"),
        ("%v", vec![by(b"\x61\x62\x63")], "[97 98 99]"),
        ("%d", vec![by(b"\x61\x62\x63")], "[97 98 99]"),
        ("%c", vec![by(b"\x41\x42\x43")], "[A B C]"),
        ("%b", vec![by(b"\x41\x42\x43")], "[1000001 1000010 1000011]"),
        ("%o", vec![by(b"\x41\x42\x43")], "[101 102 103]"),
        ("%U", vec![by(b"\x41\x42\x43")], "[U+0041 U+0042 U+0043]"),
        ("%6v", vec![by(b"\x01\x0b\x6f")], "[     1     11    111]"),
        ("%06v", vec![by(b"\x01\x0b\x6f")], "[000001 000011 000111]"),
        ("%-6v", vec![by(b"\x01\x0b\x6f")], "[1      11     111   ]"),
        ("%#v", vec![by(b"\x01\x0b\x6f")], "[]byte{0x1, 0xb, 0x6f}"),
        ("%#6v", vec![by(b"\x01\x0b\x6f")], "[]byte{   0x1,    0xb,   0x6f}"),
        ("% v", vec![by(b"\x01\x0b\x6f")], "[ 1  11  111]"),
        ("%+d", vec![by(b"\x01\x0b\x6f")], "[+1 +11 +111]"),
        ("%T", vec![by(b"\x61\x62\x63")], "[]uint8"),
        ("%t", vec![by(b"\x61\x62")], "[%!t(uint8=97) %!t(uint8=98)]"),
        ("%5s", vec![by(b"\x61\x62\x63")], "  abc"),
        ("%.2s", vec![by(b"\x61\x62\x63")], "ab"),
        ("%s", vec![by(b"\x68\xc3\xa9\x6c\x6c\x6f")], "héllo"),
        ("%v", vec![by(b"")], "[]"),
        ("%q", vec![s("")], "\"\""),
        ("%#q", vec![s("")], "``"),
        ("%q", vec![s("\"")], "\"\\\"\""),
        ("%#q", vec![s("\"")], "`\"`"),
        ("%q", vec![s("`")], "\"`\""),
        ("%#q", vec![s("`")], "\"`\""),
        ("%q", vec![s("\n")], "\"\\n\""),
        ("%#q", vec![s("\n")], "\"\\n\""),
        ("%q", vec![s("\\n")], "\"\\\\n\""),
        ("%#q", vec![s("\\n")], "`\\n`"),
        ("%#q", vec![s("abc")], "`abc`"),
        ("%q", vec![s("日本語")], "\"日本語\""),
        ("%+q", vec![s("日本語")], "\"\\u65e5\\u672c\\u8a9e\""),
        ("%#q", vec![s("日本語")], "`日本語`"),
        ("%#+q", vec![s("日本語")], "`日本語`"),
        ("%q", vec![s("\u{7}\u{8}\u{c}\n\r\t\u{b}\"\\")], "\"\\a\\b\\f\\n\\r\\t\\v\\\"\\\\\""),
        ("%+q", vec![s("\u{7}\u{8}\u{c}\n\r\t\u{b}\"\\")], "\"\\a\\b\\f\\n\\r\\t\\v\\\"\\\\\""),
        ("%#q", vec![s("\u{7}\u{8}\u{c}\n\r\t\u{b}\"\\")], "\"\\a\\b\\f\\n\\r\\t\\v\\\"\\\\\""),
        ("%q", vec![s("☺")], "\"☺\""),
        ("% q", vec![s("☺")], "\"☺\""),
        ("%+q", vec![s("☺")], "\"\\u263a\""),
        ("%#q", vec![s("☺")], "`☺`"),
        ("%10q", vec![s("⌘")], "       \"⌘\""),
        ("%+10q", vec![s("⌘")], "  \"\\u2318\""),
        ("%-10q", vec![s("⌘")], "\"⌘\"       "),
        ("%+-10q", vec![s("⌘")], "\"\\u2318\"  "),
        ("%010q", vec![s("⌘")], "0000000\"⌘\""),
        ("%+010q", vec![s("⌘")], "00\"\\u2318\""),
        ("%-010q", vec![s("⌘")], "\"⌘\"       "),
        ("%#8q", vec![s("\n")], "    \"\\n\""),
        ("%#+8q", vec![s("\r")], "    \"\\r\""),
        ("%#-8q", vec![s("\t")], "`\t`     "),
        ("%#+-8q", vec![s("\u{8}")], "\"\\b\"    "),
        ("%q", vec![s("\u{10ffff}")], "\"\\U0010ffff\""),
        ("%#q", vec![s("\u{10ffff}")], "`\u{10ffff}`"),
        ("%q", vec![s("\u{e00}x\u{ad}\u{200b}\u{2028}\u{7f}\u{0}")], "\"\\u0e00x\\u00ad\\u200b\\u2028\\x7f\\x00\""),
        ("%q", vec![s("é😀͸\u{feff}󠀁")], "\"é😀\\u0378\\ufeff\\U000e0001\""),
        ("%+q", vec![s("é😀\u{1}")], "\"\\u00e9\\U0001f600\\x01\""),
        ("%q", vec![s("\u{1b}[0m")], "\"\\x1b[0m\""),
        ("%c", vec![i(120)], "x"),
        ("%c", vec![i(228)], "ä"),
        ("%c", vec![i(26412)], "本"),
        ("%.0c", vec![i(8984)], "⌘"),
        ("%3c", vec![i(8984)], "  ⌘"),
        ("%-3c", vec![i(8984)], "⌘  "),
        ("%c", vec![i(-1)], "�"),
        ("%c", vec![i(56448)], "�"),
        ("%c", vec![i(1114112)], "�"),
        ("%c", vec![i64v(68719476735)], "�"),
        ("%c", vec![i(3584)], "\u{e00}"),
        ("%q", vec![i(0)], "'\\x00'"),
        ("%+q", vec![i(0)], "'\\x00'"),
        ("%q", vec![i(34)], "'\"'"),
        ("%q", vec![i(39)], "'\\''"),
        ("%q", vec![i(96)], "'`'"),
        ("%q", vec![i(120)], "'x'"),
        ("%q", vec![i(255)], "'ÿ'"),
        ("%+q", vec![i(255)], "'\\u00ff'"),
        ("%q", vec![i(10)], "'\\n'"),
        ("%q", vec![i(9786)], "'☺'"),
        ("%+q", vec![i(9786)], "'\\u263a'"),
        ("%.0q", vec![i(9786)], "'☺'"),
        ("%10q", vec![i(8984)], "       '⌘'"),
        ("%+10q", vec![i(8984)], "  '\\u2318'"),
        ("%-10q", vec![i(8984)], "'⌘'       "),
        ("%010q", vec![i(8984)], "0000000'⌘'"),
        ("%q", vec![i(3584)], "'\\u0e00'"),
        ("%q", vec![i(1114111)], "'\\U0010ffff'"),
        ("%q", vec![i(-1)], "'�'"),
        ("%q", vec![i(56448)], "'�'"),
        ("%q", vec![i(1114112)], "'�'"),
        ("%q", vec![i64v(68719476735)], "'�'"),
        ("%5s", vec![s("abc")], "  abc"),
        ("%2s", vec![s("☺")], " ☺"),
        ("%-5s", vec![s("abc")], "abc  "),
        ("%05s", vec![s("abc")], "00abc"),
        ("%5s", vec![s("abcdefghijklmnopqrstuvwxyz")], "abcdefghijklmnopqrstuvwxyz"),
        ("%.5s", vec![s("abcdefghijklmnopqrstuvwxyz")], "abcde"),
        ("%.0s", vec![s("日本語日本語")], ""),
        ("%.5s", vec![s("日本語日本語")], "日本語日本"),
        ("%.10s", vec![s("日本語日本語")], "日本語日本語"),
        ("%08q", vec![s("abc")], "000\"abc\""),
        ("%-8q", vec![s("abc")], "\"abc\"   "),
        ("%.5q", vec![s("abcdefghijklmnopqrstuvwxyz")], "\"abcde\""),
        ("%.5x", vec![s("abcdefghijklmnopqrstuvwxyz")], "6162636465"),
        ("%.3q", vec![s("日本語日本語")], "\"日本語\""),
        ("%.1q", vec![s("日本語")], "\"日\""),
        ("%.1x", vec![s("日本語")], "e6"),
        ("%10.1q", vec![s("日本語日本語")], "       \"日\""),
        ("%10v", vec![nil()], "     <nil>"),
        ("%-10v", vec![nil()], "<nil>     "),
        ("%0-5s", vec![s("abc")], "abc  "),
        ("%-05s", vec![s("abc")], "abc  "),
        ("%d", vec![i(-12345)], "-12345"),
        ("%d", vec![u8v(255)], "255"),
        ("%d", vec![i64v(-9223372036854775808)], "-9223372036854775808"),
        ("%.d", vec![i(0)], ""),
        ("%.0d", vec![i(0)], ""),
        ("%6.0d", vec![i(0)], "      "),
        ("%06.0d", vec![i(0)], "      "),
        ("% d", vec![i(12345)], " 12345"),
        ("%+d", vec![i(12345)], "+12345"),
        ("%+d", vec![i(-12345)], "-12345"),
        ("%b", vec![i(7)], "111"),
        ("%b", vec![i(-6)], "-110"),
        ("%#b", vec![i(7)], "0b111"),
        ("%#b", vec![i(-6)], "-0b110"),
        ("%b", vec![i64v(-9223372036854775808)], "-1000000000000000000000000000000000000000000000000000000000000000"),
        ("%o", vec![i(668)], "1234"),
        ("%o", vec![i(-668)], "-1234"),
        ("%#o", vec![i(668)], "01234"),
        ("%#o", vec![i(-668)], "-01234"),
        ("%O", vec![i(668)], "0o1234"),
        ("%O", vec![i(-668)], "-0o1234"),
        ("%#X", vec![i(0)], "0X0"),
        ("%x", vec![i(313249263)], "12abcdef"),
        ("%X", vec![i(313249263)], "12ABCDEF"),
        ("%.20b", vec![i(7)], "00000000000000000111"),
        ("%10d", vec![i(12345)], "     12345"),
        ("%10d", vec![i(-12345)], "    -12345"),
        ("%+10d", vec![i(12345)], "    +12345"),
        ("%010d", vec![i(12345)], "0000012345"),
        ("%010d", vec![i(-12345)], "-000012345"),
        ("%20.8d", vec![i(1234)], "            00001234"),
        ("%20.8d", vec![i(-1234)], "           -00001234"),
        ("%020.8d", vec![i(1234)], "            00001234"),
        ("%-20.8d", vec![i(1234)], "00001234            "),
        ("%-20.8d", vec![i(-1234)], "-00001234           "),
        ("%-#20.8x", vec![i(19090108)], "0x01234abc          "),
        ("%-#20.8X", vec![i(19090108)], "0X01234ABC          "),
        ("%-#20.8o", vec![i(668)], "00001234            "),
        ("%068d", vec![i(1)], "00000000000000000000000000000000000000000000000000000000000000000001"),
        ("%068d", vec![i(-1)], "-0000000000000000000000000000000000000000000000000000000000000000001"),
        ("%#.68x", vec![i(42)], "0x0000000000000000000000000000000000000000000000000000000000000000002a"),
        ("%.68d", vec![i(-42)], "-00000000000000000000000000000000000000000000000000000000000000000042"),
        ("%+.68d", vec![i(42)], "+00000000000000000000000000000000000000000000000000000000000000000042"),
        ("% .68d", vec![i(42)], " 00000000000000000000000000000000000000000000000000000000000000000042"),
        ("% +.68d", vec![i(42)], "+00000000000000000000000000000000000000000000000000000000000000000042"),
        ("%x", vec![i(-255)], "-ff"),
        ("%#x", vec![i(255)], "0xff"),
        ("%-05d", vec![i(42)], "42   "),
        ("%0-5d", vec![i(42)], "42   "),
        ("%05d", vec![i(-42)], "-0042"),
        ("%+05d", vec![i(42)], "+0042"),
        ("% 05d", vec![i(42)], " 0042"),
        ("%x", vec![u8v(171)], "ab"),
        ("%#v", vec![u8v(171)], "0xab"),
        ("%v", vec![u8v(7)], "7"),
        ("%d", vec![i64v(42)], "42"),
        ("%#v", vec![i64v(42)], "42"),
        ("%T", vec![i64v(42)], "int64"),
        ("%T", vec![u8v(1)], "uint8"),
        ("%v", vec![i(9223372036854775807)], "9223372036854775807"),
        ("%x", vec![i64v(-1)], "-1"),
        ("%U", vec![i(0)], "U+0000"),
        ("%U", vec![i(-1)], "U+FFFFFFFFFFFFFFFF"),
        ("%U", vec![i(10)], "U+000A"),
        ("%#U", vec![i(10)], "U+000A"),
        ("%+U", vec![i(120)], "U+0078"),
        ("%# U", vec![i(120)], "U+0078 'x'"),
        ("%#.2U", vec![i(120)], "U+0078 'x'"),
        ("%U", vec![i(9786)], "U+263A"),
        ("%#U", vec![i(9786)], "U+263A '☺'"),
        ("%U", vec![i(120514)], "U+1D6C2"),
        ("%#U", vec![i(120514)], "U+1D6C2 '𝛂'"),
        ("%#14.6U", vec![i(8984)], "  U+002318 '⌘'"),
        ("%#-14.6U", vec![i(8984)], "U+002318 '⌘'  "),
        ("%#014.6U", vec![i(8984)], "  U+002318 '⌘'"),
        ("%.68U", vec![i(42)], "U+0000000000000000000000000000000000000000000000000000000000000000002A"),
        ("%#.68U", vec![i(26085)], "U+000000000000000000000000000000000000000000000000000000000000000065E5 '日'"),
        ("%+.3e", vec![f(0.0)], "+0.000e+00"),
        ("%+.3e", vec![f(1.0)], "+1.000e+00"),
        ("%+.3x", vec![f(0.0)], "+0x0.000p+00"),
        ("%+.3x", vec![f(1.0)], "+0x1.000p+00"),
        ("%+.3f", vec![f(-1.0)], "-1.000"),
        ("%+.3F", vec![f(-1.0)], "-1.000"),
        ("%+07.2f", vec![f(1.0)], "+001.00"),
        ("%+07.2f", vec![f(-1.0)], "-001.00"),
        ("%-07.2f", vec![f(1.0)], "1.00   "),
        ("%-07.2f", vec![f(-1.0)], "-1.00  "),
        ("%+-07.2f", vec![f(1.0)], "+1.00  "),
        ("%-+07.2f", vec![f(-1.0)], "-1.00  "),
        ("%+10.2f", vec![f(1.0)], "     +1.00"),
        ("% .3E", vec![f(-1.0)], "-1.000E+00"),
        ("% .3e", vec![f(1.0)], " 1.000e+00"),
        ("% .3X", vec![f(-1.0)], "-0X1.000P+00"),
        ("% .3x", vec![f(1.0)], " 0x1.000p+00"),
        ("%+.3g", vec![f(0.0)], "+0"),
        ("%+.3g", vec![f(1.0)], "+1"),
        ("%+.3g", vec![f(-1.0)], "-1"),
        ("% .3g", vec![f(-1.0)], "-1"),
        ("% .3g", vec![f(1.0)], " 1"),
        ("%b", vec![f(1.0)], "4503599627370496p-52"),
        ("%#g", vec![f(1e-323)], "1.00000e-323"),
        ("%#g", vec![f(-1.0)], "-1.00000"),
        ("%#g", vec![f(1.1)], "1.10000"),
        ("%#g", vec![f(123456.0)], "123456."),
        ("%#g", vec![f(1234567.0)], "1.234567e+06"),
        ("%#g", vec![f(1230000.0)], "1.23000e+06"),
        ("%#g", vec![f(1000000.0)], "1.00000e+06"),
        ("%#.0f", vec![f(1.0)], "1."),
        ("%#.0e", vec![f(1.0)], "1.e+00"),
        ("%#.0x", vec![f(1.0)], "0x1.p+00"),
        ("%#.0g", vec![f(1.0)], "1."),
        ("%#.0g", vec![f(1100000.0)], "1.e+06"),
        ("%#.4f", vec![f(1.0)], "1.0000"),
        ("%#.4e", vec![f(1.0)], "1.0000e+00"),
        ("%#.4x", vec![f(1.0)], "0x1.0000p+00"),
        ("%#.4g", vec![f(1.0)], "1.000"),
        ("%#.4g", vec![f(100000.0)], "1.000e+05"),
        ("%#.4g", vec![f(1.234)], "1.234"),
        ("%#.4g", vec![f(0.1234)], "0.1234"),
        ("%#.4g", vec![f(1.23)], "1.230"),
        ("%#.4g", vec![f(0.123)], "0.1230"),
        ("%#.4g", vec![f(1.2)], "1.200"),
        ("%#.4g", vec![f(0.12)], "0.1200"),
        ("%#.4g", vec![f(10.2)], "10.20"),
        ("%#.4g", vec![f(0.0)], "0.000"),
        ("%#.4g", vec![f(0.012)], "0.01200"),
        ("%#.0f", vec![f(123.0)], "123."),
        ("%#.0e", vec![f(123.0)], "1.e+02"),
        ("%#.0x", vec![f(123.0)], "0x1.p+07"),
        ("%#.0g", vec![f(123.0)], "1.e+02"),
        ("%#.4f", vec![f(123.0)], "123.0000"),
        ("%#.4e", vec![f(123.0)], "1.2300e+02"),
        ("%#.4x", vec![f(123.0)], "0x1.ec00p+06"),
        ("%#.4g", vec![f(123.0)], "123.0"),
        ("%#.4g", vec![f(123000.0)], "1.230e+05"),
        ("%#9.4g", vec![f(1.0)], "    1.000"),
        ("%#b", vec![f(1.0)], "4503599627370496p-52"),
        ("%.4b", vec![f(-1.0)], "-4503599627370496p-52"),
        ("%.68f", vec![f(1.0)], "1.00000000000000000000000000000000000000000000000000000000000000000000"),
        ("%.68f", vec![f(-1.0)], "-1.00000000000000000000000000000000000000000000000000000000000000000000"),
        ("%f", vec![f(f64::INFINITY)], "+Inf"),
        ("%.1f", vec![f(f64::NEG_INFINITY)], "-Inf"),
        ("% f", vec![f(f64::NAN)], " NaN"),
        ("%20f", vec![f(f64::INFINITY)], "                +Inf"),
        ("% 20F", vec![f(f64::INFINITY)], "                 Inf"),
        ("% 20e", vec![f(f64::NEG_INFINITY)], "                -Inf"),
        ("% 20x", vec![f(f64::NEG_INFINITY)], "                -Inf"),
        ("%+20E", vec![f(f64::NEG_INFINITY)], "                -Inf"),
        ("% +20g", vec![f(f64::NEG_INFINITY)], "                -Inf"),
        ("%+-20G", vec![f(f64::INFINITY)], "+Inf                "),
        ("%20e", vec![f(f64::NAN)], "                 NaN"),
        ("% +20E", vec![f(f64::NAN)], "                +NaN"),
        ("% -20g", vec![f(f64::NAN)], " NaN                "),
        ("%+-20G", vec![f(f64::NAN)], "+NaN                "),
        ("%+020e", vec![f(f64::INFINITY)], "                +Inf"),
        ("%-020f", vec![f(f64::NEG_INFINITY)], "-Inf                "),
        ("%-020E", vec![f(f64::NAN)], "NaN                 "),
        ("%v", vec![f(f64::INFINITY)], "+Inf"),
        ("%v", vec![f(f64::NAN)], "NaN"),
        ("%v", vec![f(f64::NEG_INFINITY)], "-Inf"),
        ("%e", vec![f(1.0)], "1.000000e+00"),
        ("%e", vec![f(1234567.8)], "1.234568e+06"),
        ("%e", vec![f(1.2345678e-05)], "1.234568e-05"),
        ("%e", vec![f(-7.0)], "-7.000000e+00"),
        ("%e", vec![f(-1e-09)], "-1.000000e-09"),
        ("%f", vec![f(1234567.8)], "1234567.800000"),
        ("%f", vec![f(1.2345678e-05)], "0.000012"),
        ("%f", vec![f(-7.0)], "-7.000000"),
        ("%f", vec![f(-1e-09)], "-0.000000"),
        ("%g", vec![f(1234567.8)], "1.2345678e+06"),
        ("%g", vec![f(1.2345678e-05)], "1.2345678e-05"),
        ("%g", vec![f(-7.0)], "-7"),
        ("%g", vec![f(-1e-09)], "-1e-09"),
        ("%E", vec![f(1.0)], "1.000000E+00"),
        ("%E", vec![f(1234567.8)], "1.234568E+06"),
        ("%G", vec![f(1.2345678e-05)], "1.2345678E-05"),
        ("%G", vec![f(-7.0)], "-7"),
        ("%G", vec![f(-1e-09)], "-1E-09"),
        ("%20.5s", vec![s("qwertyuiop")], "               qwert"),
        ("%-20.5s", vec![s("qwertyuiop")], "qwert               "),
        ("%20c", vec![i(120)], "                   x"),
        ("%-20c", vec![i(120)], "x                   "),
        ("%20.6e", vec![f(1234.5)], "        1.234500e+03"),
        ("%20e", vec![f(0.0012345)], "        1.234500e-03"),
        ("%20.8e", vec![f(1234.5)], "      1.23450000e+03"),
        ("%20f", vec![f(1234.56789)], "         1234.567890"),
        ("%20f", vec![f(0.00123456789)], "            0.001235"),
        ("%20f", vec![f(12345678901.234568)], "  12345678901.234568"),
        ("%-20f", vec![f(1234.56789)], "1234.567890         "),
        ("%20.8f", vec![f(1234.56789)], "       1234.56789000"),
        ("%20.8f", vec![f(0.00123456789)], "          0.00123457"),
        ("%g", vec![f(1234.56789)], "1234.56789"),
        ("%g", vec![f(0.00123456789)], "0.00123456789"),
        ("%g", vec![f(1.23456789e+20)], "1.23456789e+20"),
        ("%v", vec![f(1.2345678)], "1.2345678"),
        ("%#v", vec![f(1.2345678)], "1.2345678"),
        ("%#v", vec![f(1.0)], "1"),
        ("%#v", vec![f(1000000.0)], "1e+06"),
        ("%v", vec![f(20210214.0)], "2.0210214e+07"),
        ("%v", vec![f(1e+21)], "1e+21"),
        ("%v", vec![f(100000.0)], "100000"),
        ("%v", vec![f(1000000.0)], "1e+06"),
        ("%v", vec![f(123456.0)], "123456"),
        ("%v", vec![f(0.0001)], "0.0001"),
        ("%v", vec![f(1e-05)], "1e-05"),
        ("%v", vec![f(0.30000000000000004)], "0.30000000000000004"),
        ("%v", vec![f(-0.0)], "-0"),
        ("%v", vec![f(5e-324)], "5e-324"),
        ("%v", vec![f(1.7976931348623157e+308)], "1.7976931348623157e+308"),
        ("%.3v", vec![f(3.14159)], "3.14"),
        ("%10.3v", vec![f(3.14159)], "      3.14"),
        ("%-10v|", vec![f(2.5)], "2.5       |"),
        ("%010v", vec![f(-2.5)], "-0000002.5"),
        ("%.2f", vec![f(0.125)], "0.12"),
        ("%.1f", vec![f(0.25)], "0.2"),
        ("%.0f", vec![f(0.5)], "0"),
        ("%.0f", vec![f(1.5)], "2"),
        ("%.0f", vec![f(2.5)], "2"),
        ("%.1f", vec![f(0.35)], "0.3"),
        ("%.3f", vec![f(1.0005)], "1.000"),
        ("%.2e", vec![f(1e+100)], "1.00e+100"),
        ("%.3g", vec![f(1e-05)], "1e-05"),
        ("%.3g", vec![f(123456.0)], "1.23e+05"),
        ("%.10g", vec![f(0.3333333333333333)], "0.3333333333"),
        ("%.0g", vec![f(0.0)], "0"),
        ("%.1g", vec![f(0.95)], "0.9"),
        ("%.20f", vec![f(0.1)], "0.10000000000000000555"),
        ("%.30e", vec![f(0.3333333333333333)], "3.333333333333333148296162562474e-01"),
        ("%x", vec![f(3.5)], "0x1.cp+01"),
        ("%X", vec![f(-0.1)], "-0X1.999999999999AP-04"),
        ("%x", vec![f(0.0)], "0x0p+00"),
        ("%.1x", vec![f(1.96875)], "0x1.0p+01"),
        ("%#.1x", vec![f(1.0)], "0x1.0p+00"),
        ("%.2f", vec![f(1e+22)], "10000000000000000000000.00"),
        ("%f", vec![f(1e+300)], "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000000"),
        ("%g", vec![f(1e+300)], "1e+300"),
        ("%.17g", vec![f(0.1)], "0.10000000000000001"),
        ("%d", vec![f(1.5)], "%!d(float64=1.5)"),
        ("%s", vec![f(2.5)], "%!s(float64=2.5)"),
        ("%.2f", vec![i(3)], "%!f(int=03)"),
        ("%.2f", vec![s("x")], "%!f(string=x)"),
        ("%5.1f|%-5.1f|%05.1f", vec![f(9.96), f(9.96), f(-9.96)], " 10.0|10.0 |-10.0"),
        ("%6.2f%%", vec![f(99.5)], " 99.50%"),
        ("%v", vec![l(vec![i(1), i(2), i(3)])], "[1 2 3]"),
        ("%v", vec![l(vec![i(1), s("hello"), f(2.5), nil()])], "[1 hello 2.5 <nil>]"),
        ("%d", vec![l(vec![i(1), i(2), i(15)])], "[1 2 15]"),
        ("%x", vec![l(vec![i(1), i(2), i(15)])], "[1 2 f]"),
        ("%#x", vec![l(vec![i(1), i(2), i(15)])], "[0x1 0x2 0xf]"),
        ("%q", vec![l(vec![s("a"), s("b")])], "[\"a\" \"b\"]"),
        ("%s", vec![l(vec![s("a"), s("b")])], "[a b]"),
        ("%s", vec![l(vec![i(1), s("b")])], "[%!s(int=1) b]"),
        ("%d", vec![l(vec![s("a"), i(1)])], "[%!d(string=a) 1]"),
        ("%t", vec![l(vec![b(true), i(1), nil()])], "[true %!t(int=1) <nil>]"),
        ("%06v", vec![l(vec![f(10.0), i(10)])], "[000010 000010]"),
        ("%06v", vec![l(vec![f(-10.0), i(10)])], "[-00010 000010]"),
        ("%03.6v", vec![l(vec![i(1), f(2.0), s("x")])], "[000001 002 00x]"),
        ("%03.0v", vec![l(vec![i(0), f(2.0), s("x")])], "[    002 000]"),
        ("%v", vec![l(vec![])], "[]"),
        ("%#v", vec![l(vec![i(1), s("hello"), f(2.5), nil()])], "[]interface {}{1, \"hello\", 2.5, interface {}(nil)}"),
        ("%#v", vec![l(vec![])], "[]interface {}{}"),
        ("%T", vec![l(vec![i(1)])], "[]interface {}"),
        ("%v", vec![l(vec![l(vec![i(1), i(2)]), l(vec![i(3)])])], "[[1 2] [3]]"),
        ("%5v", vec![l(vec![i(1), s("ab")])], "[    1    ab]"),
        ("%v", vec![m(vec![("b", i(2)), ("a", s("s"))])], "map[a:s b:2]"),
        ("%v", vec![m(vec![])], "map[]"),
        ("%s", vec![m(vec![("a", s("x")), ("b", i(1))])], "map[a:x b:%!s(int=1)]"),
        ("%d", vec![m(vec![("a", i(1))])], "map[%!d(string=a):1]"),
        ("%#v", vec![m(vec![("a", i(1)), ("b", s("x"))])], "map[string]interface {}{\"a\":1, \"b\":\"x\"}"),
        ("%#v", vec![m(vec![])], "map[string]interface {}{}"),
        ("%v", vec![m(vec![("z", l(vec![i(1), m(vec![("y", nil())])])), ("a", m(vec![("c", b(true))]))])], "map[a:map[c:true] z:[1 map[y:<nil>]]]"),
        ("%T", vec![m(vec![("a", i(1))])], "map[string]interface {}"),
        ("%q", vec![m(vec![("a", s("x"))])], "map[\"a\":\"x\"]"),
        ("%x", vec![m(vec![("a", s("x"))])], "map[61:78]"),
        ("%5v", vec![m(vec![("a", i(1))])], "map[    a:    1]"),
        ("%+v", vec![m(vec![("a", l(vec![i(1)]))])], "map[a:[1]]"),
        ("%v", vec![l(vec![by(b"\x61\x62")])], "[[97 98]]"),
        ("%s", vec![l(vec![by(b"\x61\x62")])], "[ab]"),
        ("%#v", vec![l(vec![by(b"\x61\x62")])], "[]interface {}{[]uint8{0x61, 0x62}}"),
        ("%x", vec![l(vec![by(b"\x61\x62"), s("cd")])], "[6162 6364]"),
        ("%v", vec![m(vec![("k", by(b"\x61\x62"))])], "map[k:[97 98]]"),
        ("%s", vec![m(vec![("k", nil())])], "map[k:<nil>]"),
        ("%d", vec![m(vec![("k", nil())])], "map[%!d(string=k):<nil>]"),
        ("%v", vec![l(vec![nil(), l(vec![nil()])])], "[<nil> [<nil>]]"),
        ("%#v", vec![m(vec![("k", nil())])], "map[string]interface {}{\"k\":interface {}(nil)}"),
        ("%#v", vec![l(vec![l(vec![])])], "[]interface {}{[]interface {}{}}"),
        ("%#v", vec![l(vec![s("a\n")])], "[]interface {}{\"a\\n\"}"),
        ("%v", vec![l(vec![i64v(5), u8v(6)])], "[5 6]"),
        ("%#v", vec![l(vec![u8v(6), i64v(-1)])], "[]interface {}{0x6, -1}"),
        ("%t", vec![b(false)], "false"),
        ("%5t", vec![b(true)], " true"),
        ("%-6t|", vec![b(false)], "false |"),
        ("%05t", vec![b(true)], "0true"),
        ("%d", vec![b(true)], "%!d(bool=true)"),
        ("%s", vec![b(true)], "%!s(bool=true)"),
        ("%q", vec![b(true)], "%!q(bool=true)"),
        ("%#v", vec![b(true)], "true"),
        ("%T", vec![b(true)], "bool"),
        ("%T", vec![s("s")], "string"),
        ("%T", vec![i(1)], "int"),
        ("%T", vec![f(1.5)], "float64"),
        ("%T", vec![nil()], "<nil>"),
        ("%10T", vec![nil()], "     <nil>"),
        ("%-10T", vec![nil()], "<nil>     "),
        ("%6T", vec![i(1)], "   int"),
        ("%s", vec![nil()], "%!s(<nil>)"),
        ("%d", vec![nil()], "%!d(<nil>)"),
        ("%v", vec![nil()], "<nil>"),
        ("%#v", vec![nil()], "<nil>"),
        ("%q", vec![nil()], "%!q(<nil>)"),
        ("%x", vec![nil()], "%!x(<nil>)"),
        ("%p", vec![nil()], "%!p(<nil>)"),
        ("%p", vec![i(27)], "%!p(int=27)"),
        ("%5s", vec![nil()], "%!s(<nil>)"),
        ("%.1v", vec![nil()], "<nil>"),
        ("%+v", vec![i(5)], "5"),
        ("%+v", vec![i(-5)], "-5"),
        ("% v", vec![i(5)], " 5"),
        ("%#v", vec![i(5)], "5"),
        ("%#v", vec![i(-5)], "-5"),
        ("%#v", vec![s("foo")], "\"foo\""),
        ("%+v", vec![s("foo")], "foo"),
        ("%#v", vec![s("日\n")], "\"日\\n\""),
        ("%x", vec![b(true)], "%!x(bool=true)"),
        ("%#o", vec![i(0)], "0"),
        ("%#x", vec![i(0)], "0x0"),
        ("%#b", vec![i(0)], "0b0"),
        ("%O", vec![i(0)], "0o0"),
        ("%.0x", vec![i(0)], ""),
        ("%#.0x", vec![i(0)], ""),
        ("%#.0o", vec![i(0)], ""),
        ("", vec![nil()], "%!(EXTRA <nil>)"),
        ("", vec![i(2)], "%!(EXTRA int=2)"),
        ("no args", vec![s("hello")], "no args%!(EXTRA string=hello)"),
        ("%s %", vec![s("hello")], "hello %!(NOVERB)"),
        ("%s %.2", vec![s("hello")], "hello %!(NOVERB)"),
        ("%017091901790959340919092959340919017929593813360", vec![i(0)], "%!(NOVERB)%!(EXTRA int=0)"),
        ("%184467440737095516170v", vec![i(0)], "%!(NOVERB)%!(EXTRA int=0)"),
        ("%010.2", vec![s("12345")], "%!(NOVERB)%!(EXTRA string=12345)"),
        ("%.", vec![i(3)], "%!.(int=3)"),
        ("%!", vec![i(3)], "%!!(int=3)"),
        ("%z", vec![i(3)], "%!z(int=3)"),
        ("%z", vec![s("s")], "%!z(string=s)"),
        ("%z", vec![nil()], "%!z(<nil>)"),
        ("%d", vec![], "%!d(MISSING)"),
        ("%d %s", vec![i(1)], "1 %!s(MISSING)"),
        ("%s %d", vec![s("a"), s("b"), i(3), nil()], "a %!d(string=b)%!(EXTRA int=3, <nil>)"),
        ("%d", vec![i(1), l(vec![i(1)]), m(vec![("a", i(1))])], "1%!(EXTRA []interface {}=[1], map[string]interface {}=map[a:1])"),
        ("%", vec![i(1)], "%!(NOVERB)%!(EXTRA int=1)"),
        ("%-", vec![i(1)], "%!(NOVERB)%!(EXTRA int=1)"),
        ("%w", vec![i(1)], "%!w(int=1)"),
        ("%é", vec![i(1)], "%!é(int=1)"),
        ("%s%%%d", vec![s("a"), i(1)], "a%1"),
        ("%%", vec![], "%"),
        ("%5%", vec![], "%"),
        ("%-5%|", vec![], "%|"),
        ("%%d", vec![i(1)], "%d%!(EXTRA int=1)"),
        ("%[1]d", vec![i(1)], "1"),
        ("%[2]d", vec![i(2), i(1)], "1"),
        ("%[2]d %[1]d", vec![i(1), i(2)], "2 1"),
        ("%[2]*[1]d", vec![i(2), i(5)], "    2"),
        ("%6.2f", vec![f(12.0)], " 12.00"),
        ("%[3]*.[2]*[1]f", vec![f(12.0), i(2), i(6)], " 12.00"),
        ("%[1]*.[2]*[3]f", vec![i(6), i(2), f(12.0)], " 12.00"),
        ("%10f", vec![f(12.0)], " 12.000000"),
        ("%[1]*[3]f", vec![i(10), i(99), f(12.0)], " 12.000000"),
        ("%.6f", vec![f(12.0)], "12.000000"),
        ("%.[1]*[3]f", vec![i(6), i(99), f(12.0)], "12.000000"),
        ("%6.f", vec![f(12.0)], "    12"),
        ("%[1]*.[3]f", vec![i(6), i(3), f(12.0)], "    12"),
        ("%d %d %d %#[1]o %#o %#o", vec![i(11), i(12), i(13)], "11 12 13 013 014 015"),
        ("%[d", vec![i(2), i(1)], "%!d(BADINDEX)"),
        ("%]d", vec![i(2), i(1)], "%!](int=2)d%!(EXTRA int=1)"),
        ("%.[2]d", vec![i(7)], "%!d(BADINDEX)"),
        ("%[2]d", vec![i(7)], "%!d(BADINDEX)"),
        ("%[3]", vec![i(2), i(1)], "%!(NOVERB)"),
        ("%[]d", vec![i(2), i(1)], "%!d(BADINDEX)"),
        ("%[-3]d", vec![i(2), i(1)], "%!d(BADINDEX)"),
        ("%[99]d", vec![i(2), i(1)], "%!d(BADINDEX)"),
        ("%[1].2d", vec![i(5), i(6)], "%!d(BADINDEX)"),
        ("%[1]2d", vec![i(2), i(1)], "%!d(BADINDEX)"),
        ("%3.[2]d", vec![i(7)], "%!d(BADINDEX)"),
        ("%d %d %d %#[1]o %#o %#o %#o", vec![i(11), i(12), i(13)], "11 12 13 013 014 015 %!o(MISSING)"),
        ("%[5]d %[2]d %d", vec![i(1), i(2), i(3)], "%!d(BADINDEX) 2 3"),
        ("%d %[3]d %d", vec![i(1), i(2)], "1 %!d(BADINDEX) 2"),
        ("%.[]", vec![nil()], "%!](BADINDEX)"),
        ("%.-3d", vec![i(42)], "%!-(int=42)3d"),
        ("%2147483648d", vec![i(42)], "%!(NOVERB)%!(EXTRA int=42)"),
        ("%-2147483648d", vec![i(42)], "%!(NOVERB)%!(EXTRA int=42)"),
        ("%.2147483648d", vec![i(42)], "%!(NOVERB)%!(EXTRA int=42)"),
        ("%*d", vec![i(4), i(42)], "  42"),
        ("%-*d", vec![i(4), i(42)], "42  "),
        ("%*d", vec![i(-4), i(42)], "42  "),
        ("%-*d", vec![i(-4), i(42)], "42  "),
        ("%.*d", vec![i(4), i(42)], "0042"),
        ("%*.*d", vec![i(8), i(4), i(42)], "    0042"),
        ("%0*d", vec![i(4), i(42)], "0042"),
        ("%*d", vec![nil(), i(42)], "%!(BADWIDTH)42"),
        ("%*d", vec![i(10000000), i(42)], "%!(BADWIDTH)42"),
        ("%*d", vec![i(-10000000), i(42)], "%!(BADWIDTH)42"),
        ("%.*d", vec![nil(), i(42)], "%!(BADPREC)42"),
        ("%.*d", vec![i(-1), i(42)], "%!(BADPREC)42"),
        ("%.*d", vec![i(10000000), i(42)], "%!(BADPREC)42"),
        ("%*d", vec![i(5), s("foo")], "%!d(string=  foo)"),
        ("%*% %d", vec![i(20), i(5)], "% 5"),
        ("%*", vec![i(4)], "%!(NOVERB)"),
        ("%*d", vec![s("x"), i(1)], "%!(BADWIDTH)1"),
        ("%*d", vec![i64v(3), i(1)], "  1"),
        ("%*d", vec![u8v(3), i(1)], "  1"),
        ("%*d", vec![f(2.0), i(1)], "%!(BADWIDTH)1"),
        ("%[1]s %s", vec![s("a"), s("b"), s("c")], "a b"),
        ("%[2]s", vec![s("a"), s("b"), s("c")], "b"),
        ("%100000000d", vec![i(1)], "%!(NOVERB)%!(EXTRA int=1)"),
        ("%.100000000d", vec![i(1)], "%!(NOVERB)%!(EXTRA int=1)"),
        ("%[100000000]d", vec![i(1)], "%!d(BADINDEX)"),
    ]
}

#[rustfmt::skip]
fn print_cases() -> Vec<Case> {
    vec![
        ("print", vec![i(1), i(2)], "1 2"),
        ("print", vec![s("a"), s("b")], "ab"),
        ("print", vec![i(1), s("a"), i(2)], "1a2"),
        ("print", vec![s("a"), i(1), i(2), s("b")], "a1 2b"),
        ("print", vec![nil(), nil()], "<nil> <nil>"),
        ("print", vec![nil(), s("a"), nil()], "<nil>a<nil>"),
        ("print", vec![f(1.5), b(true), l(vec![i(1), s("x")]), m(vec![("a", nil())])], "1.5 true [1 x] map[a:<nil>]"),
        ("print", vec![], ""),
        ("print", vec![s("")], ""),
        ("print", vec![s(""), i(1), s(""), i(2)], "12"),
        ("print", vec![by(b"\x61\x62"), by(b"\x63\x64")], "[97 98] [99 100]"),
        ("print", vec![f(20210214.0), f(1e-07), i64v(3)], "2.0210214e+07 1e-07 3"),
        ("println", vec![i(1), i(2)], "1 2\n"),
        ("println", vec![s("a"), s("b")], "a b\n"),
        ("println", vec![], "\n"),
        ("println", vec![nil(), l(vec![nil()])], "<nil> [<nil>]\n"),
        ("println", vec![s("a\n")], "a\n\n"),
        ("print", vec![u8v(65), s("x"), l(vec![by(b"\x78")])], "65x[[120]]"),
    ]
}

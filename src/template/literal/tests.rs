//! Go literal syntax: number classification, hex-float rounding, unquoting and quoting.

use super::*;

fn num(text: &str) -> (Option<i64>, Option<u64>, Option<f64>) {
    let n = parse_number(text, NumberKind::Number).unwrap();
    (n.int, n.uint, n.float)
}

#[test]
fn number_classification_follows_go() {
    assert_eq!(num("1"), (Some(1), Some(1), Some(1.0)));
    assert_eq!(num("-1"), (Some(-1), None, Some(-1.0)));
    assert_eq!(num("+5"), (Some(5), None, Some(5.0)));
    assert_eq!(num("-0"), (Some(0), Some(0), Some(0.0)));
    assert_eq!(num("1e3"), (Some(1000), Some(1000), Some(1000.0)));
    assert_eq!(num("1.0"), (Some(1), Some(1), Some(1.0)));
    assert_eq!(num("1.5"), (None, None, Some(1.5)));
    assert_eq!(num("0x1F"), (Some(31), Some(31), Some(31.0)));
    assert_eq!(num("0o17"), (Some(15), Some(15), Some(15.0)));
    assert_eq!(num("017"), (Some(15), Some(15), Some(15.0)));
    assert_eq!(num("0b101"), (Some(5), Some(5), Some(5.0)));
    assert_eq!(num("1_000"), (Some(1000), Some(1000), Some(1000.0)));
    assert_eq!(num("0x_1F"), (Some(31), Some(31), Some(31.0)));
    assert_eq!(
        num("0x1p60"),
        (Some(1 << 60), Some(1 << 60), Some(2f64.powi(60)))
    );
    assert_eq!(num("0x1p-2"), (None, None, Some(0.25)));
    assert_eq!(num("0x1.8p1"), (Some(3), Some(3), Some(3.0)));
    assert_eq!(num(".5"), (None, None, Some(0.5)));
    assert_eq!(num("-.5e-3"), (None, None, Some(-0.0005)));
    assert_eq!(
        num("18446744073709551615"),
        (None, Some(u64::MAX), Some(u64::MAX as f64))
    );
    assert_eq!(num("0i"), (Some(0), Some(0), Some(0.0)));
    assert_eq!(num("2i"), (None, None, None));
    assert_eq!(
        num("9223372036854775808.0"),
        (None, Some(1 << 63), Some(2f64.powi(63)))
    );
    let big = parse_number("99999999999999999999", NumberKind::Number);
    assert_eq!(
        big.unwrap_err(),
        r#"integer overflow: "99999999999999999999""#
    );
    assert_eq!(
        parse_number("089", NumberKind::Number).unwrap_err(),
        r#"integer overflow: "089""#
    );
    for bad in ["1__0", "1_", "-", ".", "0x", "1e", "0x1p", "1e400", "0x1.0"] {
        assert_eq!(
            parse_number(bad, NumberKind::Number).unwrap_err(),
            format!("illegal number syntax: {}", fmt_q(bad)),
            "{bad}"
        );
    }
}

#[test]
fn hex_floats_round_like_go() {
    assert_eq!(parse_float("0x1.fffffffffffff8p0"), Some(2.0));
    assert_eq!(
        parse_float("0x1.fffffffffffff7p0"),
        Some(1.9999999999999998)
    );
    assert_eq!(parse_float("0x1p-1074"), Some(f64::from_bits(1)));
    assert_eq!(parse_float("0x1p-1075"), Some(0.0));
    assert_eq!(parse_float("0x1.8p-1074"), Some(f64::from_bits(2)));
    assert_eq!(parse_float("0x1p1023"), Some(2f64.powi(1023)));
    assert_eq!(parse_float("0x1p1024"), None);
    assert_eq!(parse_float("0x.01p0"), Some(1.0 / 256.0));
    assert_eq!(parse_float("0X_1P+4"), Some(16.0));
}

#[test]
fn char_constants() {
    let c = |t: &str| parse_number(t, NumberKind::Char).map(|n| n.int);
    assert_eq!(c("'a'"), Ok(Some(97)));
    assert_eq!(c("'\\n'"), Ok(Some(10)));
    assert_eq!(c("'\\''"), Ok(Some(39)));
    assert_eq!(c("'\\x41'"), Ok(Some(65)));
    assert_eq!(c("'\\377'"), Ok(Some(255)));
    assert_eq!(c("'\\u00e9'"), Ok(Some(0xe9)));
    assert_eq!(c("'é'"), Ok(Some(0xe9)));
    assert_eq!(c("'ab'"), Err("malformed character constant: 'ab'".into()));
    assert_eq!(c("''"), Err("invalid syntax".into()));
    assert_eq!(c("'\\\"'"), Err("invalid syntax".into()));
}

#[test]
fn strings_unquote_like_strconv() {
    assert_eq!(unquote(r#""a\tb\"c\\""#).as_deref(), Some("a\tb\"c\\"));
    assert_eq!(
        unquote(r#""\u00e9\U0001F600\x41\101""#).as_deref(),
        Some("é😀AA")
    );
    assert_eq!(unquote(r#""\303\251""#).as_deref(), Some("é"));
    // A byte that is no UTF-8 stays a byte (Helm 3.17.3: `{{ "a\xffb" | len }}` is 3), kept
    // as the private-use character standing for it.
    assert_eq!(unquote(r#""\xff""#).as_deref(), Some("\u{10FCFF}"));
    assert_eq!(unquote("`a\r\nb\\n`").as_deref(), Some("a\nb\\n"));
    assert_eq!(unquote(r#""\q""#), None);
    assert_eq!(unquote(r#""\'""#), None);
    assert_eq!(unquote(r#""\400""#), None);
    assert_eq!(unquote(r#""\ud800""#), None);
    assert_eq!(unquote(r#""\é""#), None);
    assert_eq!(unquote("`é"), None);
}

#[test]
fn quoting_like_fmt() {
    assert_eq!(fmt_q("a\"b\\\n\x01é\u{200b}"), r#""a\"b\\\n\x01é\u200b""#);
    assert_eq!(fmt_u('€'), "U+20AC '€'");
    assert_eq!(fmt_u('\u{1}'), "U+0001");
}

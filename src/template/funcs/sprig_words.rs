//! Sprig's word-level string functions, from goutils and xstrings: `title`, `untitle`,
//! `swapcase`, `nospace`, `initials`, `abbrev`, `abbrevboth`, `wrap`, `wrapWith`, `shuffle`.
//!
//! goutils works on bytes: `nospace` and `initials` walk a string byte by byte and turn each
//! kept byte into the rune of that value, `abbrev` and `wrap` cut at byte offsets. Those
//! corners are reproduced (non-ASCII text comes out as Go prints it, or as U+FFFD where Go
//! would print a broken byte).

use std::ops::Range;

use super::super::value::{Str, StrBuf, Value};
use super::args::{arity, go_int, string};
use super::sprig_strings::{from_bytes, is_go_space, map_case, piece, text};
use super::{Ctx, Func, FuncError};

/// The functions of this family.
pub(crate) const FUNCS: &[(&str, Func)] = &[
    ("title", title),
    ("untitle", untitle),
    ("swapcase", swapcase),
    ("nospace", nospace),
    ("initials", initials),
    ("abbrev", abbrev),
    ("abbrevboth", abbrevboth),
    ("wrap", wrap),
    ("wrapWith", wrap_with),
    ("shuffle", shuffle),
];

/// `strings.Title`: upper-cases the first letter after each separator.
fn title(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let s = string(&a[0])?.as_str();
    fn is_separator(c: char) -> bool {
        if c.is_ascii() {
            return !(c.is_ascii_alphanumeric() || c == '_');
        }
        if c.is_alphabetic() || c.is_numeric() {
            return false;
        }
        is_go_space(c)
    }
    let mut prev = ' ';
    let out: String = crate::template::go_bytes::runes(s)
        .map(|c| {
            let r = if is_separator(prev) { to_title(c) } else { c };
            prev = c;
            r
        })
        .collect();
    Ok(text(out))
}

/// goutils `Uncapitalize`: lower-cases the first rune of each whitespace-separated word.
fn untitle(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let s = string(&a[0])?.as_str();
    let mut next = true;
    let out: String = crate::template::go_bytes::runes(s)
        .map(|c| {
            if is_go_space(c) {
                next = true;
                c
            } else if next {
                next = false;
                map_case(c, false)
            } else {
                c
            }
        })
        .collect();
    Ok(text(out))
}

/// goutils `SwapCase`: upper and title case to lower, lower to upper (title case after
/// whitespace).
fn swapcase(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let s = string(&a[0])?.as_str();
    let mut after_space = true;
    let out: String = crate::template::go_bytes::runes(s)
        .map(|c| {
            if is_go_upper(c) || is_go_title(c) {
                after_space = false;
                map_case(c, false)
            } else if is_go_lower(c) {
                let first = std::mem::replace(&mut after_space, false);
                if first {
                    to_title(c)
                } else {
                    map_case(c, true)
                }
            } else {
                after_space = is_go_space(c);
                c
            }
        })
        .collect();
    Ok(text(out))
}

/// Go's `unicode.ToTitle`: the upper case but for the digraphs, whose title case is their
/// own (`ǆ` → `ǅ`, not `Ǆ`), and Georgian letters, which have none.
fn to_title(c: char) -> char {
    match u32::from(c) {
        0x1C4..=0x1C6 => '\u{1C5}',
        0x1C7..=0x1C9 => '\u{1C8}',
        0x1CA..=0x1CC => '\u{1CB}',
        0x1F1..=0x1F3 => '\u{1F2}',
        0x10D0..=0x10FA | 0x10FD..=0x10FF => c,
        _ => map_case(c, true),
    }
}

/// Go's `unicode.IsUpper`, the letters of category Lu: Rust's upper case also counts the
/// Roman numerals and circled letters.
fn is_go_upper(c: char) -> bool {
    c.is_uppercase()
        && !matches!(u32::from(c), 0x2160..=0x216F | 0x24B6..=0x24CF | 0x1_F130..=0x1_F189)
}

/// Go's `unicode.IsLower`, category Ll: Rust's lower case also counts modifier letters and
/// the like (Other_Lowercase).
fn is_go_lower(c: char) -> bool {
    c.is_lowercase()
        && !matches!(
            u32::from(c),
            0xAA | 0xBA
                | 0x2B0..=0x2B8
                | 0x2C0..=0x2C1
                | 0x2E0..=0x2E4
                | 0x345
                | 0x37A
                | 0x10FC
                | 0x1D2C..=0x1D6A
                | 0x1D78
                | 0x1D9B..=0x1DBF
                | 0x2071
                | 0x207F
                | 0x2090..=0x209C
                | 0x2170..=0x217F
                | 0x24D0..=0x24E9
                | 0x2C7C..=0x2C7D
                | 0xA69C..=0xA69D
                | 0xA770
                | 0xA7F2..=0xA7F4
                | 0xA7F8..=0xA7F9
                | 0xAB5C..=0xAB5F
                | 0xAB69
                | 0x1_0780..=0x1_07BA
                | 0x1_E030..=0x1_E06D
        )
}

/// Go's `unicode.IsTitle`, category Lt (Rust's case predicates count none of them).
fn is_go_title(c: char) -> bool {
    matches!(
        u32::from(c),
        0x1C5 | 0x1C8 | 0x1CB | 0x1F2 | 0x1F88..=0x1F8F | 0x1F98..=0x1F9F | 0x1FA8..=0x1FAF
            | 0x1FBC
            | 0x1FCC
            | 0x1FFC
    )
}

/// The bytes goutils treats as whitespace when it walks a string byte by byte.
fn is_space_byte(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0x85 | 0xa0)
}

/// goutils `DeleteWhiteSpace`: byte by byte, each kept byte re-encoded as the rune of that
/// value (so non-ASCII text comes out as Latin-1 mojibake once anything was deleted).
fn nospace(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let s = string(&a[0])?;
    let bytes = s.as_str().as_bytes();
    if !bytes.iter().any(|b| is_space_byte(*b)) {
        return Ok(Value::Str(s.clone()));
    }
    let out: String = bytes
        .iter()
        .filter(|b| !is_space_byte(**b))
        .map(|b| char::from(*b))
        .collect();
    Ok(text(out))
}

/// goutils `AbbreviateFull` (its errors come back as `""`, as Sprig ignores them).
fn abbreviate_full(s: &Str, offset: i64, max: i64) -> Value {
    let t = s.as_str();
    let len = t.len() as i64;
    if t.is_empty() || max < 4 {
        return text("");
    }
    if len <= max {
        return Value::Str(s.clone());
    }
    let mut offset = offset.min(len);
    if len - offset < max - 3 {
        offset = len - (max - 3);
    }
    let with_marker = |range: Range<usize>, before: bool| {
        let mut b = StrBuf::new();
        let p = match piece(s, range) {
            Value::Str(p) => p,
            _ => Str::default(),
        };
        if before {
            b.push_plain("...");
            b.push_str(&p);
        } else {
            b.push_str(&p);
            b.push_plain("...");
        }
        Value::Str(b.finish())
    };
    if offset <= 4 {
        return with_marker(0..(max - 3) as usize, false);
    }
    if max < 7 {
        return text("");
    }
    if offset + max - 3 < len {
        let rest = match piece(s, offset as usize..len as usize) {
            Value::Str(r) => r,
            _ => Str::default(),
        };
        let inner = match abbreviate_full(&rest, 0, max - 3) {
            Value::Str(i) => i,
            _ => Str::default(),
        };
        let mut b = StrBuf::new();
        b.push_plain("...");
        b.push_str(&inner);
        return Value::Str(b.finish());
    }
    with_marker((len - (max - 3)) as usize..len as usize, true)
}

fn abbrev(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let width = go_int(&a[0])?;
    let s = string(&a[1])?;
    if width < 4 {
        return Ok(Value::Str(s.clone()));
    }
    Ok(abbreviate_full(s, 0, width))
}

fn abbrevboth(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 3)?;
    let left = go_int(&a[0])?;
    let right = go_int(&a[1])?;
    let s = string(&a[2])?;
    if right < 4 || left > 0 && right < 7 {
        return Ok(Value::Str(s.clone()));
    }
    Ok(abbreviate_full(s, left, right))
}

/// goutils `Initials`: byte by byte, as [`nospace`].
fn initials(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let s = string(&a[0])?.as_str();
    let mut gap = true;
    let mut out = String::new();
    for &b in crate::template::go_bytes::go_bytes(s).iter() {
        if is_space_byte(b) {
            gap = true;
        } else if gap {
            out.push(char::from(b));
            gap = false;
        }
    }
    Ok(text(out))
}

/// goutils `WrapCustom`, on bytes.
fn wrap_custom(s: &str, len: i64, nl: &str, long_words: bool) -> Value {
    if s.is_empty() {
        return text("");
    }
    let nl = if nl.is_empty() { "\n" } else { nl };
    let w = len.max(1) as usize;
    let bytes = crate::template::go_bytes::go_bytes(s);
    let b = &bytes[..];
    let mut off = 0usize;
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    while b.len() - off > w {
        if b[off] == b' ' {
            off += 1;
            continue;
        }
        let end = w + off + 1;
        match b[off..end].iter().rposition(|c| *c == b' ') {
            Some(i) => {
                out.extend_from_slice(&b[off..off + i]);
                out.extend_from_slice(nl.as_bytes());
                off += i + 1;
            }
            None if long_words => {
                out.extend_from_slice(&b[off..off + w]);
                out.extend_from_slice(nl.as_bytes());
                off += w;
            }
            None => {
                let end = w + off;
                match b[end..].iter().position(|c| *c == b' ') {
                    None => {
                        out.extend_from_slice(&b[off..]);
                        off = b.len();
                    }
                    Some(i) => {
                        out.extend_from_slice(&b[off..end + i]);
                        out.extend_from_slice(nl.as_bytes());
                        off = end + i + 1;
                    }
                }
            }
        }
    }
    out.extend_from_slice(&b[off..]);
    from_bytes(out)
}

fn wrap(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let n = go_int(&a[0])?;
    let s = string(&a[1])?.as_str();
    Ok(wrap_custom(s, n, "", false))
}

fn wrap_with(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 3)?;
    let n = go_int(&a[0])?;
    let sep = string(&a[1])?.as_str();
    let s = string(&a[2])?.as_str();
    Ok(wrap_custom(s, n, sep, true))
}

/// xstrings `Shuffle`: the runes in random order.
fn shuffle(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let mut chars: Vec<char> = crate::template::go_bytes::runes(string(&a[0])?.as_str()).collect();
    for i in (1..chars.len()).rev() {
        let j = ctx.rng.below(i as u64 + 1) as usize;
        chars.swap(i, j);
    }
    Ok(text(chars.into_iter().collect::<String>()))
}

#[cfg(test)]
mod tests {
    use super::super::sprig_testutil::{i, s, show};

    // Expectations from `helm template` (Helm 3.17.3).
    #[test]
    fn case_functions() {
        assert_eq!(
            show("title", &[s("hello wOrld-foo_bar o'neil")]),
            "Hello WOrld-Foo_bar O'Neil"
        );
        assert_eq!(show("untitle", &[s("Hello World")]), "hello world");
        assert_eq!(show("upper", &[s("straße")]), "STRAßE");
        assert_eq!(show("lower", &[s("ABC")]), "abc");
        assert_eq!(show("swapcase", &[s("Hello wORLD")]), "hELLO World");
    }

    // Expectations from Helm 3.17.3 (`list (title .) (swapcase .) | toJson`).
    #[test]
    fn title_case_is_gos_not_upper_case() {
        let both = |t: &str| (show("title", &[s(t)]), show("swapcase", &[s(t)]));
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(both("ǆemal"), pair("ǅemal", "ǅEMAL"));
        assert_eq!(both("ǳ x"), pair("ǲ X", "ǲ X"));
        assert_eq!(both("ǅa ᾈb"), pair("ǅa ᾈb", "ǆA ᾀB"));
        assert_eq!(both("ა ბ"), pair("ა ბ", "ა ბ"));
        assert_eq!(both("ⓐbc Ⓐ"), pair("Ⓐbc Ⓐ", "ⓐBC Ⓐ"));
        assert_eq!(both("ʰa ªb"), pair("ʰa ªb", "ʰA ªB"));
        assert_eq!(both("ⅰ Ⅰ x"), pair("Ⅰ Ⅰ X", "ⅰ Ⅰ X"));
        assert_eq!(
            both("hello wORLD  tab\tx"),
            pair("Hello WORLD  Tab\tX", "HELLO World  TAB\tX")
        );
    }

    #[test]
    fn byte_walkers_match_goutils() {
        assert_eq!(show("initials", &[s("First  try  élan")]), "FtÃ");
        assert_eq!(show("nospace", &[s(" a \t b\n c ")]), "abc");
        assert_eq!(show("nospace", &[s("é")]), "é");
        assert_eq!(show("nospace", &[s("é ")]), "Ã©");
    }

    #[test]
    fn abbrev_and_wrap() {
        assert_eq!(show("abbrev", &[i(5), s("hello world")]), "he...");
        assert_eq!(show("abbrev", &[i(3), s("hello")]), "hello");
        assert_eq!(
            show("abbrevboth", &[i(5), i(10), s("1234567890abcdefghij")]),
            "...6789..."
        );
        assert_eq!(
            show("wrap", &[i(5), s("hello world foo bar bazbazbaz qux")]),
            "hello\nworld\nfoo\nbar\nbazbazbaz\nqux"
        );
        assert_eq!(
            show("wrapWith", &[i(4), s("<br>"), s("hello worldlongword")]),
            "hell<br>o<br>worl<br>dlon<br>gwor<br>d"
        );
    }

    #[test]
    fn shuffle_keeps_the_runes() {
        let out = show("shuffle", &[s("héllo")]);
        let mut a: Vec<char> = out.chars().collect();
        a.sort_unstable();
        assert_eq!(a.into_iter().collect::<String>(), "hlloé");
    }

    /// A byte that is no UTF-8 (`substr 0 1 "Ä"` keeps 0xC3): the functions that rebuild the
    /// text rune by rune write U+FFFD for it, those that work on bytes keep the byte (Helm
    /// 3.17.3 and 4.1.4: `upper` gives "\ufffd", `initials` "Ã", `urlquery` "%C3", `js` and
    /// `wrapWith 1 "x"` the byte itself).
    #[test]
    fn a_byte_that_is_no_utf8() {
        use crate::template::go_bytes::{from_go_bytes, go_bytes};
        let byte = || s(&from_go_bytes(b"\xc3"));
        for f in [
            "upper",
            "lower",
            "title",
            "untitle",
            "swapcase",
            "camelcase",
            "shuffle",
        ] {
            assert_eq!(show(f, &[byte()]), "\u{FFFD}", "{f}");
        }
        assert_eq!(show("initials", &[byte()]), "Ã");
        assert_eq!(show("urlquery", &[byte()]), "%C3");
        for (f, args) in [
            ("js", vec![byte()]),
            ("wrapWith", vec![i(1), s("x"), byte()]),
        ] {
            let out = super::super::sprig_testutil::call(f, &args).unwrap();
            let text = out.as_str().map(|t| go_bytes(t).into_owned());
            assert_eq!(text.as_deref(), Some(&b"\xc3"[..]), "{f}");
        }
        let wrapped =
            super::super::sprig_testutil::call("wrapWith", &[i(1), s("E"), s("ÄÖ")]).unwrap();
        let upper = show("upper", &[wrapped]);
        assert_eq!(upper, "\u{FFFD}E\u{FFFD}E\u{FFFD}E\u{FFFD}");
    }
}

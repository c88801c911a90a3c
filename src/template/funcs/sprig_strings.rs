//! Sprig's string functions (`strings.go` and the string entries of `functions.go`, Sprig v3.3).
//!
//! Go strings are bytes: `trunc`, `substr`, `abbrev` and `wrap` cut at byte offsets, and
//! `initials`/`nospace` even walk the bytes one by one (goutils turns each byte into a rune).
//! Our strings are UTF-8, so a cut inside a character yields U+FFFD where Go would emit the
//! raw byte; everything on character boundaries is exact. Results that are pieces of the input
//! keep its provenance segments.

use std::ops::Range;

use super::super::fmt as gofmt;
use super::super::go_bytes::{from_go_bytes, go_bytes, go_len, has_raw, raw_byte};
use super::super::value::{ElemType, Str, StrBuf, Value};
use super::args::{arity, go_int, string, strval};
use super::{Ctx, Func, FuncError};

/// The functions of this family.
pub(crate) const FUNCS: &[(&str, Func)] = &[
    ("trim", trim),
    ("trimAll", trim_all),
    ("trimall", trim_all),
    ("trimPrefix", trim_prefix),
    ("trimSuffix", trim_suffix),
    ("upper", upper),
    ("lower", lower),
    ("repeat", repeat),
    ("substr", substr),
    ("trunc", trunc),
    ("contains", contains),
    ("hasPrefix", has_prefix),
    ("hasSuffix", has_suffix),
    ("quote", quote),
    ("squote", squote),
    ("cat", cat),
    ("indent", indent),
    ("nindent", nindent),
    ("replace", replace),
    ("plural", plural),
    ("toString", to_string),
    ("toStrings", to_strings),
    ("join", join),
    ("split", split),
    ("splitn", splitn),
    ("splitList", split_list),
];

/// The longest string a function builds (`repeat`, `indent`): Go would try and run out of
/// memory; we stop with an error instead.
pub(crate) const MAX_BUILT: usize = 1 << 26;

pub(crate) fn text(s: impl Into<String>) -> Value {
    Value::str(s.into())
}

/// The bytes `range` of `s` as a value, keeping provenance; a cut inside a character falls
/// back to a lossy copy (Go would keep the broken byte).
pub(crate) fn piece(s: &Str, range: Range<usize>) -> Value {
    let t = s.as_str();
    if t.is_char_boundary(range.start) && t.is_char_boundary(range.end) {
        let mut b = StrBuf::new();
        b.push_slice(s, range);
        Value::Str(b.finish())
    } else {
        text(from_go_bytes(&t.as_bytes()[range]))
    }
}

/// `s[range]` with Go's byte offsets (which differ from ours once `s` holds a byte that is no
/// UTF-8).
fn go_piece(s: &Str, range: Range<usize>) -> Value {
    if has_raw(s.as_str()) {
        text(from_go_bytes(&go_bytes(s.as_str())[range]))
    } else {
        piece(s, range)
    }
}

/// Bytes as a Go `string(bytes)`: bytes that are no UTF-8 kept (see `go_bytes`).
pub(crate) fn from_bytes(b: Vec<u8>) -> Value {
    match String::from_utf8(b) {
        Ok(s) => text(s),
        Err(e) => text(from_go_bytes(e.as_bytes())),
    }
}

/// `strings.Repeat` as Go 1.`go` has it: its panics for a negative count and a length past
/// `int` (checked three ways over the releases), the runtime's when the length is past what it
/// can allocate (2^48 bytes; "cap" before Go 1.21, whose `strings.Builder` made the buffer with
/// `make`), and the engine's size cap below that.
pub(crate) fn go_repeat(s: &str, count: i64, go: u8) -> Result<String, FuncError> {
    if count == 0 {
        return Ok(String::new());
    }
    if count < 0 {
        return Err(FuncError::call("strings: negative Repeat count"));
    }
    let len = s.len() as i64;
    let product = (s.len() as u128) * (count as u128);
    let overflow = match go {
        ..=20 => len.wrapping_mul(count) / count != len,
        21 | 22 => len >= i64::MAX / count,
        _ => product > i64::MAX as u128,
    };
    if overflow {
        return Err(FuncError::call(if go <= 20 {
            "strings: Repeat count causes overflow"
        } else {
            "strings: Repeat output length overflow"
        }));
    }
    if product > 1 << 48 {
        return Err(FuncError::call(if go <= 20 {
            "runtime error: makeslice: cap out of range"
        } else {
            "runtime error: makeslice: len out of range"
        }));
    }
    if product > MAX_BUILT as u128 {
        return Err(FuncError::Budget(format!(
            "a string longer than {MAX_BUILT} bytes"
        )));
    }
    Ok(s.repeat(count as usize))
}

/// Go's `unicode.IsSpace`.
pub(crate) fn is_go_space(c: char) -> bool {
    c.is_whitespace()
}

fn trim(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let s = string(&a[0])?;
    let t = s.as_str();
    let start = t.len() - t.trim_start().len();
    let end = t.trim_end().len().max(start);
    Ok(piece(s, start..end))
}

fn trim_all(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let cut = string(&a[0])?.as_str();
    let s = string(&a[1])?;
    let t = s.as_str();
    let inner = t.trim_start_matches(|c| cut.contains(c));
    let start = t.len() - inner.len();
    let end = start + inner.trim_end_matches(|c| cut.contains(c)).len();
    Ok(piece(s, start..end))
}

fn trim_prefix(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let p = string(&a[0])?.as_str();
    let s = string(&a[1])?;
    let start = if s.as_str().starts_with(p) {
        p.len()
    } else {
        0
    };
    Ok(piece(s, start..s.as_str().len()))
}

fn trim_suffix(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let p = string(&a[0])?.as_str();
    let s = string(&a[1])?;
    let len = s.as_str().len();
    let end = if s.as_str().ends_with(p) {
        len - p.len()
    } else {
        len
    };
    Ok(piece(s, 0..end))
}

/// Go's simple case mapping: one rune to one rune. Rust's full mapping may give several, as
/// `ß` → `SS`: Go leaves most such runes alone, but a few have a simple mapping of their own
/// (`İ` → `i`, `ᾀ` → `ᾈ`).
pub(crate) fn map_case(c: char, upper: bool) -> char {
    if c.is_ascii() {
        return if upper {
            c.to_ascii_uppercase()
        } else {
            c.to_ascii_lowercase()
        };
    }
    /// The mapping when it is a single rune, else the rune itself.
    fn single(c: char, mut m: impl Iterator<Item = char>) -> char {
        match (m.next(), m.next()) {
            (Some(one), None) => one,
            _ => c,
        }
    }
    if !upper {
        return if c == '\u{130}' {
            'i'
        } else {
            single(c, c.to_lowercase())
        };
    }
    match u32::from(c) {
        0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7 => {
            char::from_u32(u32::from(c) + 8).unwrap_or(c)
        }
        0x1FB3 => '\u{1FBC}',
        0x1FC3 => '\u{1FCC}',
        0x1FF3 => '\u{1FFC}',
        _ => single(c, c.to_uppercase()),
    }
}

fn upper(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let s = string(&a[0])?.as_str();
    Ok(text(
        crate::template::go_bytes::runes(s)
            .map(|c| map_case(c, true))
            .collect::<String>(),
    ))
}

fn lower(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let s = string(&a[0])?.as_str();
    Ok(text(
        crate::template::go_bytes::runes(s)
            .map(|c| map_case(c, false))
            .collect::<String>(),
    ))
}

fn repeat(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let n = go_int(&a[0])?;
    let s = string(&a[1])?.as_str();
    Ok(text(go_repeat(s, n, ctx.build.go_minor())?))
}

/// Go's message for a string slice expression out of range.
fn slice_err(lo: Option<i64>, hi: Option<i64>, len: usize) -> FuncError {
    let m = match (lo, hi) {
        (None, Some(h)) if h >= 0 => format!("slice bounds out of range [:{h}] with length {len}"),
        (None, Some(h)) => format!("slice bounds out of range [:{h}]"),
        (Some(l), None) => format!("slice bounds out of range [{l}:{len}]"),
        (Some(_), Some(h)) if h as u64 > len as u64 => {
            format!("slice bounds out of range [:{h}] with length {len}")
        }
        (Some(l), Some(h)) => format!("slice bounds out of range [{l}:{h}]"),
        (None, None) => "slice bounds out of range".into(),
    };
    FuncError::call(format!("runtime error: {m}"))
}

/// Sprig's `substring`: `s[:end]` when start < 0, `s[start:]` when end < 0 or past the end,
/// else `s[start:end]` — with Go's runtime panics as errors.
fn substr(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 3)?;
    let start = go_int(&a[0])?;
    let end = go_int(&a[1])?;
    let s = string(&a[2])?;
    let len = go_len(s.as_str());
    if start < 0 {
        if end < 0 || end as u64 > len as u64 {
            return Err(slice_err(None, Some(end), len));
        }
        return Ok(go_piece(s, 0..end as usize));
    }
    if end < 0 || end as u64 > len as u64 {
        if start as u64 > len as u64 {
            return Err(slice_err(Some(start), None, len));
        }
        return Ok(go_piece(s, start as usize..len));
    }
    if start > end {
        return Err(slice_err(Some(start), Some(end), len));
    }
    Ok(go_piece(s, start as usize..end as usize))
}

fn trunc(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let c = go_int(&a[0])?;
    let s = string(&a[1])?;
    let len = go_len(s.as_str()) as i64;
    if c < 0 && len + c > 0 {
        return Ok(go_piece(s, (len + c) as usize..len as usize));
    }
    if c >= 0 && len > c {
        return Ok(go_piece(s, 0..c as usize));
    }
    Ok(Value::Str(s.clone()))
}

fn two_strings(a: &[Value]) -> Result<(&str, &str), FuncError> {
    arity(a, 2)?;
    Ok((string(&a[0])?.as_str(), string(&a[1])?.as_str()))
}

fn contains(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    let (sub, s) = two_strings(a)?;
    Ok(Value::bool(s.contains(sub)))
}

fn has_prefix(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    let (p, s) = two_strings(a)?;
    Ok(Value::bool(s.starts_with(p)))
}

fn has_suffix(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    let (p, s) = two_strings(a)?;
    Ok(Value::bool(s.ends_with(p)))
}

/// Appends `strconv.Quote(s)` (what `%q` prints for a string), keeping the provenance of the
/// runs that need no escape.
pub(crate) fn push_go_quoted(out: &mut StrBuf, s: &Str) {
    out.push_plain("\"");
    let t = s.as_str();
    let mut run = 0;
    for (i, c) in t.char_indices() {
        let esc: Option<String> = match c {
            '"' => Some("\\\"".into()),
            '\\' => Some("\\\\".into()),
            c if raw_byte(c).is_some() => Some(format!("\\x{:02x}", raw_byte(c).unwrap_or(0))),
            c if crate::template::fmt::is_print(c as u32) => None,
            '\x07' => Some("\\a".into()),
            '\x08' => Some("\\b".into()),
            '\x0c' => Some("\\f".into()),
            '\n' => Some("\\n".into()),
            '\r' => Some("\\r".into()),
            '\t' => Some("\\t".into()),
            '\x0b' => Some("\\v".into()),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => Some(format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => Some(format!("\\u{:04x}", c as u32)),
            c => Some(format!("\\U{:08x}", c as u32)),
        };
        if let Some(e) = esc {
            out.push_slice(s, run..i);
            out.push_plain(&e);
            run = i + c.len_utf8();
        }
    }
    out.push_slice(s, run..t.len());
    out.push_plain("\"");
}

/// `quote`: each non-nil argument as `%q` of its `strval`, joined by spaces.
fn quote(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    let mut out = StrBuf::new();
    for (i, v) in a.iter().filter(|v| !v.is_nil()).enumerate() {
        if i > 0 {
            out.push_plain(" ");
        }
        push_go_quoted(&mut out, &strval(v));
    }
    Ok(Value::Str(out.finish()))
}

/// The `%v` text of a value, keeping a string's segments.
fn sprint(v: &Value) -> Str {
    match v {
        Value::Str(s) => s.clone(),
        other => Str::with_origin(gofmt::sprint_v(other), &other.origin()),
    }
}

/// `squote`: each non-nil argument as `'%v'`, joined by spaces (no escaping).
fn squote(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    let mut out = StrBuf::new();
    for (i, v) in a.iter().filter(|v| !v.is_nil()).enumerate() {
        if i > 0 {
            out.push_plain(" ");
        }
        out.push_plain("'");
        out.push_str(&sprint(v));
        out.push_plain("'");
    }
    Ok(Value::Str(out.finish()))
}

/// `cat`: the non-nil arguments' `%v`, joined by spaces.
fn cat(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    let mut out = StrBuf::new();
    for (i, v) in a.iter().filter(|v| !v.is_nil()).enumerate() {
        if i > 0 {
            out.push_plain(" ");
        }
        out.push_str(&sprint(v));
    }
    Ok(Value::Str(out.finish()))
}

/// Indents every line of `s` by `spaces`, after an optional leading newline.
fn indent_into(out: &mut StrBuf, spaces: i64, s: &Str, go: u8) -> Result<(), FuncError> {
    let pad = go_repeat(" ", spaces, go)?;
    let t = s.as_str();
    let lines = memchr::memchr_iter(b'\n', t.as_bytes()).count() + 1;
    if (lines as u128) * (pad.len() as u128) + t.len() as u128 > MAX_BUILT as u128 {
        return Err(FuncError::Budget(format!(
            "a string longer than {MAX_BUILT} bytes"
        )));
    }
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', t.as_bytes()).chain([t.len()]) {
        if start > 0 {
            out.push_plain("\n");
        }
        out.push_plain(&pad);
        out.push_slice(s, start..end);
        start = end + 1;
    }
    Ok(())
}

fn indent(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let n = go_int(&a[0])?;
    let s = string(&a[1])?;
    let mut out = StrBuf::new();
    indent_into(&mut out, n, s, ctx.build.go_minor())?;
    Ok(Value::Str(out.finish()))
}

fn nindent(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let n = go_int(&a[0])?;
    let s = string(&a[1])?;
    let mut out = StrBuf::new();
    out.push_plain("\n");
    indent_into(&mut out, n, s, ctx.build.go_minor())?;
    Ok(Value::Str(out.finish()))
}

/// `replace OLD NEW SRC`: `strings.Replace(src, old, new, -1)`.
fn replace(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 3)?;
    let old = string(&a[0])?.as_str();
    let new = string(&a[1])?.as_str();
    let s = string(&a[2])?;
    let t = s.as_str();
    if old.is_empty() {
        // Go inserts NEW before every rune and at the end, as Rust does.
        let n = t.chars().count() as u128 + 1;
        if n * new.len() as u128 + t.len() as u128 > MAX_BUILT as u128 {
            return Err(FuncError::call("strings: Replace output length overflow"));
        }
        return Ok(text(t.replace(old, new)));
    }
    let mut out = StrBuf::new();
    let mut last = 0;
    for (i, _) in t.match_indices(old) {
        out.push_slice(s, last..i);
        out.push_plain(new);
        last = i + old.len();
        if out.len() > MAX_BUILT {
            return Err(FuncError::call("strings: Replace output length overflow"));
        }
    }
    out.push_slice(s, last..t.len());
    Ok(Value::Str(out.finish()))
}

fn plural(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 3)?;
    let one = string(&a[0])?;
    let many = string(&a[1])?;
    let n = go_int(&a[2])?;
    Ok(Value::Str(if n == 1 { one.clone() } else { many.clone() }))
}

fn to_string(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    super::go::printed(strval(&a[0]))
}

/// Sprig's `strslice`: a slice's non-nil elements through `strval`; nil is an empty list; any
/// other value a one-element list.
pub(crate) fn strslice(v: &Value) -> Vec<Str> {
    match v {
        Value::Nil => Vec::new(),
        Value::List(l) => l.items.iter().filter(|x| !x.is_nil()).map(strval).collect(),
        // A []byte is a slice of uint8.
        Value::Bytes(b) => b.iter().map(|x| Str::new(x.to_string())).collect(),
        Value::Object(o) => match o.underlying() {
            Some(u @ (Value::List(_) | Value::Bytes(_))) => strslice(&u),
            _ => vec![strval(v)],
        },
        other => vec![strval(other)],
    }
}

fn to_strings(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let items = strslice(&a[0]).into_iter().map(Value::Str).collect();
    Ok(Value::typed_list(items, ElemType::String))
}

fn join(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let sep = string(&a[0])?;
    let mut out = StrBuf::new();
    for (i, s) in strslice(&a[1]).iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(s);
        if out.len() > MAX_BUILT {
            return Err(FuncError::call("strings: Join output length overflow"));
        }
    }
    Ok(Value::Str(out.finish()))
}

/// `strings.SplitN` (n < 0: all), as byte ranges of `s`.
pub(crate) fn go_split(s: &str, sep: &str, n: i64) -> Vec<Range<usize>> {
    if n == 0 {
        return Vec::new();
    }
    let limit = if n < 0 { usize::MAX } else { n as usize };
    let mut out = Vec::new();
    if sep.is_empty() {
        // Go explodes into runes, the last piece taking the rest.
        for (i, c) in s.char_indices() {
            if out.len() + 1 == limit {
                out.push(i..s.len());
                return out;
            }
            out.push(i..i + c.len_utf8());
        }
        return out;
    }
    let mut start = 0;
    for (i, _) in s.match_indices(sep) {
        if out.len() + 1 == limit {
            break;
        }
        out.push(start..i);
        start = i + sep.len();
    }
    out.push(start..s.len());
    out
}

fn split_map(s: &Str, sep: &str, n: i64) -> Value {
    let entries = go_split(s.as_str(), sep, n)
        .into_iter()
        .enumerate()
        .map(|(i, r)| (format!("_{i}").into(), piece(s, r)))
        .collect();
    let v = Value::map(entries);
    if let Value::Map(m) = &v {
        m.borrow_mut().elem = ElemType::String;
    }
    v
}

/// `split SEP S`: a `map[string]string` with keys `_0`, `_1`…
fn split(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let sep = string(&a[0])?.as_str();
    Ok(split_map(string(&a[1])?, sep, -1))
}

fn splitn(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 3)?;
    let sep = string(&a[0])?.as_str();
    let n = go_int(&a[1])?;
    Ok(split_map(string(&a[2])?, sep, n))
}

fn split_list(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let sep = string(&a[0])?.as_str();
    let s = string(&a[1])?;
    let items = go_split(s.as_str(), sep, -1)
        .into_iter()
        .map(|r| piece(s, r))
        .collect();
    Ok(Value::typed_list(items, ElemType::String))
}

#[cfg(test)]
mod tests {
    use super::super::sprig_testutil::{call, err, i, l, m, s, show};
    use crate::template::value::Value;

    /// A cut inside `é` keeps the byte, as Go does. Helm 3.17.3 with `n: aéb` printed
    /// `quote`: "a\xc3", `len`: 2, `b64enc`: YcM=, `substr 2 4 | quote`: "\xa9b"; unquoted in a
    /// manifest the byte fails the render ("incomplete UTF-8 octet sequence").
    #[test]
    fn cuts_inside_a_character_keep_its_bytes() {
        let cut = call("trunc", &[i(2), s("aéb")]).unwrap();
        assert_eq!(show("quote", std::slice::from_ref(&cut)), "\"a\\xc3\"");
        assert_eq!(show("len", std::slice::from_ref(&cut)), "2");
        assert_eq!(show("b64enc", std::slice::from_ref(&cut)), "YcM=");
        assert_eq!(show("printf", &[s("%q"), cut.clone()]), "\"a\\xc3\"");
        let tail = call("substr", &[i(2), i(4), s("aéb")]).unwrap();
        assert_eq!(show("quote", &[tail]), "\"\\xa9b\"");
        assert_eq!(show("trunc", &[i(1), cut]), "a");
    }

    // Expectations from `helm template` (Helm 3.17.3) and Sprig's strings_test.go.
    #[test]
    fn trunc_and_substr_cut_bytes_like_go() {
        assert_eq!(show("trunc", &[i(-3), s("abcdef")]), "def");
        assert_eq!(show("trunc", &[i(10), s("abc")]), "abc");
        assert_eq!(show("trunc", &[i(-10), s("abc")]), "abc");
        assert_eq!(show("trunc", &[i(0), s("abc")]), "");
        assert_eq!(show("trunc", &[i(3), s("foooooo")]), "foo");
        assert_eq!(show("substr", &[i(1), i(3), s("abcdef")]), "bc");
        assert_eq!(show("substr", &[i(-1), i(2), s("abc")]), "ab");
        assert_eq!(show("substr", &[i(2), i(-1), s("abcdef")]), "cdef");
        assert_eq!(show("substr", &[i(0), i(10), s("foo")]), "foo");
        assert_eq!(
            err("substr", &[i(5), i(2), s("abcdef")]),
            "runtime error: slice bounds out of range [5:2]"
        );
        assert_eq!(
            err("substr", &[i(10), i(20), s("abc")]),
            "runtime error: slice bounds out of range [10:3]"
        );
        assert_eq!(
            err("substr", &[i(-1), i(10), s("abc")]),
            "runtime error: slice bounds out of range [:10] with length 3"
        );
        // An int64 (Sprig arithmetic) is not an int.
        assert_eq!(
            err("trunc", &[Value::int64(3), s("abc")]),
            "wrong type for value; expected int; got int64"
        );
        assert_eq!(
            err("trunc", &[i(3), Value::Nil]),
            "invalid value; expected string"
        );
    }

    #[test]
    fn quote_squote_cat_skip_nil() {
        assert_eq!(show("quote", &[s("a"), s("b"), s("c")]), r#""a" "b" "c""#);
        assert_eq!(show("quote", &[Value::Nil, i(2)]), r#""2""#);
        assert_eq!(
            show("quote", &[s("a\tb\u{a0}c\u{e9}\u{200b}\u{1}\"\\")]),
            r#""a\tb\u00a0cé\u200b\x01\"\\""#
        );
        assert_eq!(show("quote", &[]), "");
        assert_eq!(
            show(
                "squote",
                &[s("a\"b"), Value::Nil, l(&[i(1), s("a"), Value::Nil])]
            ),
            "'a\"b' '[1 a <nil>]'"
        );
        assert_eq!(
            show(
                "cat",
                &[s("a"), Value::Nil, i(1), l(&[Value::Nil]), s(""), s("b")]
            ),
            "a 1 [<nil>]  b"
        );
    }

    #[test]
    fn indent_nindent() {
        assert_eq!(show("indent", &[i(4), s("a\nb\nc")]), "    a\n    b\n    c");
        assert_eq!(
            show("nindent", &[i(4), s("a\nb\nc")]),
            "\n    a\n    b\n    c"
        );
        assert_eq!(show("indent", &[i(2), s("a\nb\n")]), "  a\n  b\n  ");
        assert_eq!(show("nindent", &[i(0), s("x")]), "\nx");
        // Empty lines get the pad too, the first and last included.
        assert_eq!(show("indent", &[i(1), s("")]), " ");
        assert_eq!(show("indent", &[i(1), s("\n")]), " \n ");
        assert_eq!(show("indent", &[i(2), s("\na\n\nb")]), "  \n  a\n  \n  b");
        assert_eq!(
            err("nindent", &[i(-1), s("x")]),
            "strings: negative Repeat count"
        );
        assert!(call("indent", &[i(1 << 40), s("x")]).is_err());
    }

    #[test]
    fn upper_lower_map_rune_by_rune() {
        assert_eq!(show("upper", &[s("straße")]), "STRAßE");
        assert_eq!(show("lower", &[s("ABC")]), "abc");
        // Go's simple mappings where Rust's full one gives several runes (Helm 3.17.3).
        assert_eq!(show("upper", &[s("ᾀᾇᾐᾳῃῳİßᾈᾼǆ")]), "ᾈᾏᾘᾼῌῼİßᾈᾼǄ");
        assert_eq!(show("lower", &[s("İᾈǄ")]), "iᾀǆ");
    }

    /// `strings.Repeat`'s panics as each Go wrote them, as Helm 3.9.4 and 3.12.1 (Go 1.17 and
    /// 1.20), 3.14.4 and 3.16.4 (1.21, 1.22), 3.17.3 and 4.2.3 printed `repeat N S`.
    #[test]
    fn repeat_fails_as_each_go_fails() {
        use super::{FuncError, go_repeat};
        let cases: [(i64, &str, [&str; 3]); 4] = [
            (
                i64::MAX,
                "x",
                [
                    "runtime error: makeslice: cap out of range",
                    "strings: Repeat output length overflow",
                    "runtime error: makeslice: len out of range",
                ],
            ),
            (
                i64::MAX,
                "xy",
                [
                    "strings: Repeat count causes overflow",
                    "strings: Repeat output length overflow",
                    "strings: Repeat output length overflow",
                ],
            ),
            (
                300_000_000_000_000,
                "x",
                [
                    "runtime error: makeslice: cap out of range",
                    "runtime error: makeslice: len out of range",
                    "runtime error: makeslice: len out of range",
                ],
            ),
            (
                i64::MAX / 2,
                "xy",
                [
                    "runtime error: makeslice: cap out of range",
                    "strings: Repeat output length overflow",
                    "runtime error: makeslice: len out of range",
                ],
            ),
        ];
        for (count, text, wants) in cases {
            for (go, want) in [20, 22, 23].into_iter().zip(wants) {
                match go_repeat(text, count, go) {
                    Err(FuncError::Call(m)) => assert_eq!(m, want, "Go 1.{go} {count} {text}"),
                    other => panic!("Go 1.{go} {count} {text}: {other:?}"),
                }
            }
        }
        // Nothing to repeat is nothing, however often; a long string below Go's limits is
        // the engine's budget.
        assert_eq!(go_repeat("", i64::MAX, 23).ok().as_deref(), Some(""));
        assert!(matches!(
            go_repeat("x", 1 << 40, 23),
            Err(FuncError::Budget(_))
        ));
    }

    #[test]
    fn replace_repeat_plural_predicates() {
        assert_eq!(show("replace", &[s(""), s("-"), s("abc")]), "-a-b-c-");
        assert_eq!(
            show("replace", &[s(" "), s("-"), s("I Am Henry VIII")]),
            "I-Am-Henry-VIII"
        );
        assert_eq!(show("repeat", &[i(3), s("ab")]), "ababab");
        assert_eq!(
            err("repeat", &[i(-1), s("ab")]),
            "strings: negative Repeat count"
        );
        assert_eq!(show("plural", &[s("one"), s("many"), i(1)]), "one");
        assert_eq!(show("plural", &[s("one"), s("many"), i(3)]), "many");
        assert_eq!(show("contains", &[s("oo"), s("foo")]), "true");
        assert_eq!(show("hasPrefix", &[s("fo"), s("foo")]), "true");
        assert_eq!(show("hasSuffix", &[s("fo"), s("foo")]), "false");
        assert_eq!(show("trimAll", &[s("$"), s("$$5.00$")]), "5.00");
        assert_eq!(show("trimPrefix", &[s("-"), s("--a")]), "-a");
        assert_eq!(show("trimSuffix", &[s("-"), s("a--")]), "a-");
        assert_eq!(show("trim", &[s(" \t a b \n")]), "a b");
    }

    #[test]
    fn string_lists_and_splits() {
        let mixed = l(&[i(1), s("a"), Value::Nil, m(&[("k", s("v"))])]);
        assert_eq!(show("toString", &[mixed]), "[1 a <nil> map[k:v]]");
        assert_eq!(
            show("toStrings", &[l(&[i(1), Value::Nil, s("x")])]),
            "[1 x]"
        );
        let strs = call("toStrings", &[l(&[i(1)])]).unwrap();
        assert_eq!(strs.type_name(), "[]string");
        assert_eq!(
            show(
                "join",
                &[s(","), l(&[i(1), Value::Nil, s("x"), Value::bool(true)])]
            ),
            "1,x,true"
        );
        assert_eq!(show("join", &[s(","), s("abc")]), "abc");
        assert_eq!(show("join", &[s(","), Value::Nil]), "");
        assert_eq!(show("split", &[s(""), s("abc")]), "map[_0:a _1:b _2:c]");
        assert_eq!(
            show("split", &[s("$"), s("foo$bar$baz")]),
            "map[_0:foo _1:bar _2:baz]"
        );
        assert_eq!(
            call("split", &[s(","), s("a")]).unwrap().type_name(),
            "map[string]string"
        );
        assert_eq!(show("splitn", &[s(","), i(0), s("a,b")]), "map[]");
        assert_eq!(show("splitn", &[s(""), i(2), s("abc")]), "map[_0:a _1:bc]");
        assert_eq!(
            show("splitn", &[s("$"), i(2), s("foo$bar$baz")]),
            "map[_0:foo _1:bar$baz]"
        );
        assert_eq!(show("splitList", &[s(""), s("héllo")]), "[h é l l o]");
        assert_eq!(show("splitList", &[s(","), s("")]), "[]");
        assert_eq!(show("splitList", &[s(","), s("a,,b")]), "[a  b]");
    }

    #[test]
    fn floats_print_as_go_does() {
        let f = Value::float;
        assert_eq!(show("toString", &[f(1.5)]), "1.5");
        assert_eq!(show("toString", &[f(1.0)]), "1");
        assert_eq!(show("toString", &[f(1e6)]), "1e+06");
        assert_eq!(show("toString", &[f(1e8)]), "1e+08");
        assert_eq!(show("quote", &[f(1e21)]), r#""1e+21""#);
        assert_eq!(show("quote", &[f(0.1)]), r#""0.1""#);
        assert_eq!(
            show("quote", &[f(12345678901234567890.0)]),
            r#""1.2345678901234567e+19""#
        );
        assert_eq!(show("cat", &[f(1.5), Value::bool(true)]), "1.5 true");
        assert_eq!(show("join", &[s(","), l(&[f(1.5), f(2.0)])]), "1.5,2");
        assert_eq!(show("squote", &[f(3.0)]), "'3'");
    }

    #[test]
    fn provenance_survives_quote_and_nindent() {
        use crate::template::value::{Prov, Str};
        use std::rc::Rc;
        let prov = Rc::new(Prov {
            path: Rc::from(vec![Rc::from("a")]),
            user_path: Rc::from(vec![Rc::from("a")]),
            origin: crate::value::Origin::Synthetic,
        });
        let v = Value::Str(Str::with_origin("x\ny", &Some(prov)));
        let Value::Str(q) = call("quote", std::slice::from_ref(&v)).unwrap() else {
            panic!()
        };
        assert_eq!(q.as_str(), r#""x\ny""#);
        assert_eq!(
            q.segs()
                .iter()
                .map(|g| (g.start, g.end))
                .collect::<Vec<_>>(),
            [(1, 2), (4, 5)]
        );
        let Value::Str(n) = call("nindent", &[i(2), v]).unwrap() else {
            panic!()
        };
        assert_eq!(
            n.segs()
                .iter()
                .map(|g| (g.start, g.end))
                .collect::<Vec<_>>(),
            [(3, 4), (7, 8)]
        );
    }
}

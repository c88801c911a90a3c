//! Go's `encoding/json` for template values (`toJson`, `toPrettyJson`, `toRawJson` and their
//! `must` forms) and its decoder as Helm and Sprig use it (`fromJson`, `fromJsonArray`,
//! `mustFromJson`).
//!
//! Encoding: map keys in byte order, `<`, `>` and `&` escaped as `\u003c`… unless HTML escaping
//! is off (`toRawJson`), U+2028/U+2029 always escaped, floats in `'f'` form except below 1e-6 and
//! from 1e21 up (`1e+21`, `1e-7`), `[]byte` as base64, NaN and infinities an error.

use std::rc::Rc;

use super::super::FuncError;
use super::super::go_bytes::raw_byte;
use super::super::value::{IntType, Str, StrBuf, Value};
use super::helm_yaml::MAX_DEPTH;
use super::{Ctx, args};
use crate::template::value::Entries;

/// A value `encoding/json` refuses, with Go's message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct JsonError(pub(crate) String);

impl JsonError {
    /// The error Go reports for a cycle (and we for anything nested deeper than [`MAX_DEPTH`]).
    pub(crate) fn cycle(v: &Value) -> JsonError {
        JsonError(format!(
            "json: unsupported value: encountered a cycle via {}",
            v.type_name()
        ))
    }
}

/// Guards a walk over nested values: Go's error for a map that contains itself, and a bound on
/// depth so that the walk's recursion stays within the stack.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    maps: Vec<*const ()>,
    depth: usize,
}

impl Walk {
    /// Steps into `v`.
    pub(crate) fn enter(&mut self, v: &Value) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            // NOTE: Go would go on (it only stops at a real cycle); nothing a chart builds is
            // this deep.
            return Err(JsonError(format!(
                "json: value nested deeper than {MAX_DEPTH} levels"
            )));
        }
        if let Value::Map(m) = v {
            let p = Rc::as_ptr(m).cast::<()>();
            if self.maps.contains(&p) {
                return Err(JsonError::cycle(v));
            }
            self.maps.push(p);
        }
        Ok(())
    }

    /// Steps back out of `v`.
    pub(crate) fn leave(&mut self, v: &Value) {
        self.depth -= 1;
        if let Value::Map(_) = v {
            self.maps.pop();
        }
    }
}

/// How to write JSON.
#[derive(Debug, Clone, Copy)]
pub(crate) struct JsonStyle {
    /// Escape `<`, `>` and `&` (`json.Marshal`; off for `toRawJson`).
    pub(crate) escape_html: bool,
    /// `json.MarshalIndent(v, "", "  ")`.
    pub(crate) pretty: bool,
}

/// `json.Marshal(v)` (or `MarshalIndent`) as a string with the provenance of its scalars.
pub(crate) fn encode(v: &Value, style: JsonStyle) -> Result<Str, JsonError> {
    let mut out = StrBuf::new();
    write_value(&mut out, v, style, 0, &mut Walk::default())?;
    Ok(out.finish())
}

fn newline(out: &mut StrBuf, style: JsonStyle, depth: usize) {
    if style.pretty {
        out.push_plain("\n");
        for _ in 0..depth {
            out.push_plain("  ");
        }
    }
}

fn write_value(
    out: &mut StrBuf,
    v: &Value,
    style: JsonStyle,
    depth: usize,
    walk: &mut Walk,
) -> Result<(), JsonError> {
    walk.enter(v)?;
    match v {
        Value::Nil => out.push_plain("null"),
        Value::Bool(b, o) => out.push_with(if *b { "true" } else { "false" }, o),
        Value::Int(_, _, o) => out.push_with(&number_text(v).unwrap_or_default(), o),
        Value::Float(f, o) => out.push_with(&float_text(*f)?, o),
        Value::Complex(..) => {
            return Err(JsonError("json: unsupported type: complex128".into()));
        }
        Value::Str(s) => write_string(out, s, style.escape_html),
        Value::Bytes(b) => out.push_plain(&format!("\"{}\"", base64(b))),
        Value::List(l) if l.nil => out.push_plain("null"),
        Value::List(l) => {
            out.push_plain("[");
            for (i, item) in l.items.iter().enumerate() {
                if i > 0 {
                    out.push_plain(",");
                }
                newline(out, style, depth + 1);
                write_value(out, item, style, depth + 1, walk)?;
            }
            if !l.items.is_empty() {
                newline(out, style, depth);
            }
            out.push_plain("]");
        }
        Value::Map(m) if m.borrow().nil => out.push_plain("null"),
        Value::Map(m) => {
            let m = m.borrow();
            write_object(out, m.entries.iter().collect(), style, depth, walk)?;
        }
        Value::Object(o) => match (o.to_plain(), o.json_order()) {
            // A struct: its fields in declaration order, as encoding/json writes them.
            (Value::Map(m), order) if !order.is_empty() => {
                let m = m.borrow();
                let rank = |k: &str| order.iter().position(|o| *o == k).unwrap_or(order.len());
                let mut entries: Vec<_> = m.entries.iter().collect();
                entries.sort_by_key(|(k, _)| rank(k));
                write_object(out, entries, style, depth, walk)?;
            }
            (plain, _) => write_value(out, &plain, style, depth, walk)?,
        },
    }
    walk.leave(v);
    Ok(())
}

/// A JSON object of `entries`, in their order.
fn write_object(
    out: &mut StrBuf,
    entries: Vec<(&Rc<str>, &Value)>,
    style: JsonStyle,
    depth: usize,
    walk: &mut Walk,
) -> Result<(), JsonError> {
    out.push_plain("{");
    let empty = entries.is_empty();
    for (i, (k, item)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push_plain(",");
        }
        newline(out, style, depth + 1);
        write_string(out, &Str::new(k.clone()), style.escape_html);
        out.push_plain(if style.pretty { ": " } else { ":" });
        write_value(out, item, style, depth + 1, walk)?;
    }
    if !empty {
        newline(out, style, depth);
    }
    out.push_plain("}");
    Ok(())
}

/// An integer's decimal text (`None` for non-integers).
pub(crate) fn number_text(v: &Value) -> Option<String> {
    match v {
        Value::Int(n, IntType::Uint64, _) => Some((*n as u64).to_string()),
        Value::Int(n, _, _) => Some(n.to_string()),
        _ => None,
    }
}

/// `encoding/json`'s float64 text.
pub(crate) fn float_text(f: f64) -> Result<String, JsonError> {
    if !f.is_finite() {
        let name = if f.is_nan() {
            "NaN"
        } else if f > 0.0 {
            "+Inf"
        } else {
            "-Inf"
        };
        return Err(JsonError(format!("json: unsupported value: {name}")));
    }
    let abs = f.abs();
    // A whole number below 2^53 (a replica count, a port) is exact as an i64, and Go's 'f'
    // prints it as the integer's digits; formatting the float took a percent of `toYaml`.
    // (Negative zero stays with the float: Go prints `-0`.)
    if f.fract() == 0.0 && abs < 9_007_199_254_740_992.0 && (f != 0.0 || f.is_sign_positive()) {
        return Ok((f as i64).to_string());
    }
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        // Go's 'e' format with the exponent's leading zero dropped: 1e+21, 1.5e-7.
        let sci = format!("{f:e}");
        let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
        let sign = if exp.starts_with('-') { "" } else { "+" };
        return Ok(format!("{mantissa}e{sign}{exp}"));
    }
    // Rust's `Display` is the shortest round-trip digits in fixed notation, as Go's 'f', -1.
    Ok(format!("{f}"))
}

fn write_string(out: &mut StrBuf, s: &Str, escape_html: bool) {
    let text = s.as_str();
    let needs_escape = |c: char| {
        matches!(c, '"' | '\\' | '\u{0}'..='\u{1f}' | '\u{2028}' | '\u{2029}')
            || (escape_html && matches!(c, '<' | '>' | '&'))
            || raw_byte(c).is_some()
    };
    out.push_plain("\"");
    if !text.contains(needs_escape) {
        out.push_str(s);
    } else {
        let mut escaped = String::with_capacity(text.len() + 8);
        for c in text.chars() {
            match c {
                '"' => escaped.push_str("\\\""),
                '\\' => escaped.push_str("\\\\"),
                '\u{8}' => escaped.push_str("\\b"),
                '\u{c}' => escaped.push_str("\\f"),
                '\n' => escaped.push_str("\\n"),
                '\r' => escaped.push_str("\\r"),
                '\t' => escaped.push_str("\\t"),
                // A byte that is no UTF-8: encoding/json writes the replacement character.
                c if raw_byte(c).is_some() => escaped.push_str("\\ufffd"),
                c if needs_escape(c) => escaped.push_str(&format!("\\u{:04x}", u32::from(c))),
                c => escaped.push(c),
            }
        }
        out.push_with(&escaped, &s.whole_origin());
    }
    out.push_plain("\"");
}

/// Standard base64 with padding, as `encoding/json` writes a `[]byte`.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

const PLAIN: JsonStyle = JsonStyle {
    escape_html: true,
    pretty: false,
};
const PRETTY: JsonStyle = JsonStyle {
    escape_html: true,
    pretty: true,
};
const RAW: JsonStyle = JsonStyle {
    escape_html: false,
    pretty: false,
};

/// `toJson` (Helm's): `""` when the value cannot be encoded.
pub(crate) fn to_json(_: &mut Ctx, args: &[Value]) -> Result<Value, FuncError> {
    args::arity(args, 1)?;
    args::walk_bounded(&args[0], MAX_DEPTH)?;
    Ok(Value::Str(encode(&args[0], PLAIN).unwrap_or_default()))
}

/// `mustToJson`: the encoding error is the call's error.
pub(crate) fn must_to_json(_: &mut Ctx, args: &[Value]) -> Result<Value, FuncError> {
    args::arity(args, 1)?;
    args::walk_bounded(&args[0], MAX_DEPTH)?;
    encode(&args[0], PLAIN)
        .map(Value::Str)
        .map_err(|e| FuncError::Call(e.0))
}

/// `toPrettyJson`: `json.MarshalIndent(v, "", "  ")`, `""` on error.
pub(crate) fn to_pretty_json(_: &mut Ctx, args: &[Value]) -> Result<Value, FuncError> {
    args::arity(args, 1)?;
    args::walk_bounded(&args[0], MAX_DEPTH)?;
    Ok(Value::Str(encode(&args[0], PRETTY).unwrap_or_default()))
}

/// `mustToPrettyJson`.
pub(crate) fn must_to_pretty_json(_: &mut Ctx, args: &[Value]) -> Result<Value, FuncError> {
    args::arity(args, 1)?;
    args::walk_bounded(&args[0], MAX_DEPTH)?;
    encode(&args[0], PRETTY)
        .map(Value::Str)
        .map_err(|e| FuncError::Call(e.0))
}

/// `toRawJson` and `mustToRawJson`: no HTML escaping; Sprig's `toRawJson` panics on an encoding
/// error, which the template reports as the call's error.
pub(crate) fn to_raw_json(_: &mut Ctx, args: &[Value]) -> Result<Value, FuncError> {
    args::arity(args, 1)?;
    args::walk_bounded(&args[0], MAX_DEPTH)?;
    encode(&args[0], RAW)
        .map(Value::Str)
        .map_err(|e| FuncError::Call(e.0))
}

/// Go's `json.Unmarshal` into `interface{}`: the value, or the first error (a syntax error, or
/// a number out of range that decoding recorded).
pub(crate) fn decode(text: &str) -> Result<Value, String> {
    match super::json_decode::decode(text)? {
        (_, Some(saved)) => Err(saved),
        (v, None) => Ok(v),
    }
}

/// Go's name of a JSON value's kind in an `UnmarshalTypeError`.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Map(_) => "object",
        Value::List(_) => "array",
        Value::Str(_) => "string",
        Value::Bool(..) => "bool",
        _ => "number",
    }
}

/// The error of decoding `v` into a Go value of type `target` (`map[string]interface {}` or
/// `[]interface {}`).
pub(crate) fn type_error(v: &Value, target: &str) -> String {
    format!(
        "json: cannot unmarshal {} into Go value of type {target}",
        json_kind(v)
    )
}

/// `fromJson` (Helm's): a map, or `{"Error": message}`.
pub(crate) fn from_json(_: &mut Ctx, args: &[Value]) -> Result<Value, FuncError> {
    args::arity(args, 1)?;
    let text = args::string(&args[0])?;
    let result = match super::json_decode::decode(text.as_str()) {
        Ok((v @ Value::Map(_), None)) => return Ok(v),
        // Decoding went on past a number out of range: the map holds what it decoded.
        Ok((Value::Map(m), Some(saved))) => {
            m.borrow_mut()
                .entries
                .insert(Rc::from("Error"), Value::str(saved));
            return Ok(Value::Map(m));
        }
        // `json.Unmarshal` of `null` sets the map to nil.
        Ok((Value::Nil, _)) => return Ok(Value::nil_map()),
        Ok((other, _)) => type_error(&other, "map[string]interface {}"),
        Err(e) => e,
    };
    Ok(error_map(result))
}

/// A map holding only `Error`, as Helm's `fromJson`/`fromYaml` return on failure.
pub(crate) fn error_map(message: String) -> Value {
    let mut m = Entries::new();
    m.insert(Rc::from("Error"), Value::str(message));
    Value::map(m)
}

/// `fromJsonArray`: a list, or a list holding the error message.
pub(crate) fn from_json_array(_: &mut Ctx, args: &[Value]) -> Result<Value, FuncError> {
    args::arity(args, 1)?;
    let text = args::string(&args[0])?;
    let message = match decode(text.as_str()) {
        Ok(v @ Value::List(_)) => return Ok(v),
        Ok(Value::Nil) => return Ok(Value::nil_list(super::super::value::ElemType::Any)),
        Ok(other) => type_error(&other, "[]interface {}"),
        Err(e) => e,
    };
    Ok(Value::list(vec![Value::str(message)]))
}

/// `mustFromJson` (Sprig's): any JSON value, or the decoding error.
pub(crate) fn must_from_json(_: &mut Ctx, args: &[Value]) -> Result<Value, FuncError> {
    args::arity(args, 1)?;
    let text = args::string(&args[0])?;
    decode(text.as_str()).map_err(FuncError::Call)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whole numbers take the integer's digits: the same text as Go's 'f' format (Rust's
    /// shortest fixed notation) for each, negative zero included, on both sides of 2^53.
    #[test]
    fn whole_floats_print_as_their_digits() {
        let two53 = 9_007_199_254_740_992.0_f64;
        for f in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            8080.0,
            1e15,
            -123_456_789.0,
            two53 - 1.0,
            -(two53 - 1.0),
            two53,
            two53 * 2.0,
            1e20,
            0.5,
            1e-6,
            123.25,
        ] {
            assert_eq!(float_text(f).unwrap(), format!("{f}"), "{f}");
        }
        assert_eq!(float_text(-0.0).unwrap(), "-0");
        assert_eq!(float_text(1e21).unwrap(), "1e+21");
    }

    /// `toYaml` of whole floats: go-yaml reads the JSON text back as an int.
    #[test]
    fn whole_floats_in_yaml_are_ints() {
        use super::super::helm_yaml::to_yaml;
        for (f, want) in [
            (-0.0, "0"),
            (3.0, "3"),
            (-7.0, "-7"),
            (9_007_199_254_740_992.0, "9007199254740992"),
            (1e19, "10000000000000000000"),
            (1e21, "1e+21"),
            (0.5, "0.5"),
        ] {
            assert_eq!(to_yaml(&Value::Float(f, None)).as_str(), want, "{f}");
        }
    }
}

//! How go-yaml v2 types a scalar (its `resolve`), then Helm's JSON step: YAML 1.1 booleans and
//! nulls, Go's integer and float syntaxes, every number a float64, and the standard tags that
//! force or refuse a type. Pure functions of the text, kept apart from the tree building.

use crate::value::Value;
use crate::yaml_key::{
    base64_text, go_parse_float, go_parse_integer, is_float_form, looks_like_timestamp,
    without_underscores,
};

/// go-yaml v2's `resolve` for a plain scalar, then JSON's float64.
pub(crate) fn resolve_plain(s: &str, tag: Option<&str>) -> Result<Value, String> {
    if let Some(tag) = tag {
        return resolve_tagged(s, Some(tag));
    }
    let v = match s {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Value::Bool(false)
        }
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF"
        | "-.inf" | "-.Inf" | "-.INF" => {
            return Err(format!(
                "`{s}` is a YAML special float that Helm cannot convert to JSON; quote it"
            ));
        }
        _ => match s.as_bytes()[0] {
            b'.' => Some(s)
                .filter(|s| is_float_form(&without_underscores(s)))
                .and_then(go_parse_float)
                .map_or_else(|| Value::Str(s.into()), Value::Float),
            b'+' | b'-' | b'0'..=b'9' => number(s).unwrap_or_else(|| Value::Str(s.into())),
            _ => Value::Str(s.into()),
        },
    };
    Ok(v)
}

/// A quoted or block scalar, or one with an explicit tag. go-yaml v2 resolves a scalar tagged
/// `!!null`, `!!bool`, `!!int` or `!!float` as it would a plain one and fails when that gives
/// another type (an integer may become a float); `!!timestamp` keeps a timestamp's text and
/// fails on anything else; `!!binary` is base64; any other tag leaves the text.
pub(super) fn resolve_tagged(s: &str, tag: Option<&str>) -> Result<Value, String> {
    let Some(tag) = tag else {
        return Ok(Value::Str(s.into()));
    };
    let short = tag
        .trim_start_matches("tag:yaml.org,2002:")
        .trim_start_matches("!!");
    match short {
        "null" | "bool" | "int" | "float" => {
            let (resolved, value) = plain_resolution(s)?;
            if resolved == short || (short == "float" && resolved == "int") {
                Ok(value)
            } else {
                Err(format!(
                    "cannot decode !!{resolved} `{s}` as a !!{short}: Helm refuses the file"
                ))
            }
        }
        // A timestamp stays its text; anything else is refused, named by what it resolves to.
        "timestamp" if crate::yaml_key::go_yaml_timestamp(s) => Ok(Value::Str(s.into())),
        "timestamp" => Err(format!(
            "cannot decode !!{} `{s}` as a !!timestamp: Helm refuses the file",
            plain_resolution(s)?.0
        )),
        "binary" => base64_text(s).ok_or_else(|| {
            "!!binary value contains invalid base64 data: Helm refuses the file".into()
        }),
        _ => Ok(Value::Str(s.into())),
    }
}

/// What go-yaml v2 makes of `s` as a plain scalar with a tag that rules out timestamps: the
/// resolved type's name and the value.
fn plain_resolution(s: &str) -> Result<(&'static str, Value), String> {
    let value = match s.as_bytes().first() {
        // The timestamp-looking text a plain scalar keeps is not tried as one under a tag.
        Some(b'0'..=b'9') if looks_like_timestamp(s) => Value::Str(s.into()),
        // A special float is a float to a tag (JSON refuses it later: see `Builder::finish`).
        _ => match crate::yaml_key::special_float(s) {
            Some(f) => return Ok(("float", Value::Float(f))),
            None => resolve_plain(s, None)?,
        },
    };
    let resolved = match &value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Str(_) => "str",
        Value::Float(_) => {
            let plain = without_underscores(s);
            if go_parse_int(&plain).is_some() {
                "int"
            } else {
                "float"
            }
        }
        _ => "str",
    };
    Ok((resolved, value))
}

/// Go's `strconv.ParseInt(s, 0, 64)` / `ParseUint` / `ParseFloat` chain on the scalar with `_`
/// removed, as go-yaml v2 tries them.
fn number(s: &str) -> Option<Value> {
    if looks_like_timestamp(s) {
        // go-yaml v2 keeps timestamps as their text when decoding into interface{}.
        return None;
    }
    let plain = without_underscores(s);
    if let Some(i) = go_parse_int(&plain) {
        return Some(Value::Float(i));
    }
    if is_float_form(&plain) {
        return go_parse_float(&plain).map(Value::Float);
    }
    None
}

/// `strconv.ParseInt(s, 0, 64)` falling back to `ParseUint`, as a float64.
fn go_parse_int(s: &str) -> Option<f64> {
    go_parse_integer(s).map(|i| i as f64)
}

/// The integer go-yaml v2 reads from the plain scalar `s` (`_` removed, then `ParseInt(s, 0,
/// 64)` falling back to `ParseUint`), exactly; `None` when it is no integer.
pub(crate) fn go_yaml_integer(s: &str) -> Option<i128> {
    let plain = without_underscores(s);
    go_parse_integer(&plain)
}

//! values.schema.json as Helm 4 reads it: jsonschema v6's `UnmarshalJSON`, Go's `json.Decoder`
//! with `UseNumber` (so `1e400` is a number, and a lone `\ud800` the replacement character),
//! then nothing but white space after the value.

use serde_json::{Number, Value as J};

use crate::render::schema::json::{Json, decode_first};

/// Deepest nesting we follow: the validator walks schemas recursively (Go's decoder allows
/// 10,000 levels and grows its stack; no real schema comes near).
const MAX_DEPTH: usize = 128;

/// The schema document, or the message Helm 4 prints for it.
pub(super) fn read(schema: &[u8]) -> Result<J, String> {
    let (doc, trailing) = decode_first(schema)?;
    if trailing {
        // NOTE: v6 asks the decoder for one more token; anything but the end is this error,
        // whatever the text is.
        return Err("invalid character after top-level value".into());
    }
    convert(&doc, 0)
}

fn convert(doc: &Json, depth: usize) -> Result<J, String> {
    if depth > MAX_DEPTH {
        return Err(format!(
            "the schema nests deeper than {MAX_DEPTH} levels (stackstate-lint's limit)"
        ));
    }
    Ok(match doc {
        Json::Null => J::Null,
        Json::Bool(b) => J::Bool(*b),
        Json::String(s) => J::String(s.clone()),
        Json::Number(text) => J::Number(number(text)),
        Json::Array(items) => J::Array(
            items
                .iter()
                .map(|item| convert(item, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Json::Object(obj) => J::Object(
            obj.iter()
                .map(|(k, v)| Ok((k.clone(), convert(v, depth + 1)?)))
                .collect::<Result<_, String>>()?,
        ),
    })
}

/// A `json.Number`'s text as the validator compares it (as a float; see numbers.rs).
fn number(text: &str) -> Number {
    if let Ok(i) = text.parse::<i64>() {
        return i.into();
    }
    if let Ok(u) = text.parse::<u64>() {
        return u.into();
    }
    let f: f64 = text.parse().unwrap_or(0.0);
    // NOTE: v6 keeps `1e400` exact (big.Rat); as a float it is the largest finite one, which
    // still compares above every value a values file can give, and prints as v6 prints it
    // (`∞`, failure.rs).
    let f = if f.is_finite() {
        f
    } else {
        f64::MAX.copysign(f)
    };
    Number::from_f64(f).unwrap_or_else(|| 0.into())
}

#[cfg(test)]
mod tests {
    use super::read;

    #[test]
    fn texts_fail_with_helm_4s_words() {
        // Helm 4.1.4, `helm template` of a chart with this values.schema.json.
        let cases: &[(&str, &str)] = &[
            (
                r#"{"a":}"#,
                "invalid character '}' looking for beginning of value",
            ),
            (
                r#"{"type":"object",}"#,
                "invalid character '}' looking for beginning of object key string",
            ),
            ("", "EOF"),
            ("  ", "EOF"),
            (r#"{"a":1}x"#, "invalid character after top-level value"),
            ("{} {}", "invalid character after top-level value"),
            ("[1,2", "unexpected EOF"),
            (
                r#"{"a":'x'}"#,
                r"invalid character '\'' looking for beginning of value",
            ),
            (
                r#"{"a":tru}"#,
                "invalid character '}' in literal true (expecting 'e')",
            ),
            (
                r#"{"a":01}"#,
                "invalid character '1' after object key:value pair",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(read(text.as_bytes()).unwrap_err(), *want, "{text}");
        }
    }

    #[test]
    fn numbers_and_strings_go_accepts_are_read() {
        let doc = read(br#"{"m": 1e400, "n": -1e400, "s": "\ud800", "i": 10, "f": 1.5} "#).unwrap();
        assert_eq!(doc["m"].as_f64(), Some(f64::MAX));
        assert_eq!(doc["n"].as_f64(), Some(-f64::MAX));
        assert_eq!(doc["s"], "\u{fffd}");
        assert_eq!(doc["i"].as_i64(), Some(10));
        assert_eq!(doc["f"].as_f64(), Some(1.5));
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(
            read(deep.as_bytes())
                .unwrap_err()
                .contains("deeper than 128")
        );
    }

    #[test]
    fn numbers_beyond_float64_print_as_infinity() {
        // Helm 4.1.4: `- at '/a': minimum: got 1, want ∞`.
        let values = crate::value::Map::from_iter([(
            "a".to_string(),
            crate::value::Node::new(
                crate::value::Value::Float(1.0),
                crate::value::Origin::Synthetic,
            ),
        )]);
        let got = super::super::validate(br#"{"properties": {"a": {"minimum": 1e400}}}"#, &values);
        assert_eq!(got.as_deref(), Some("- at '/a': minimum: got 1, want ∞\n"));
        let got = super::super::validate(br#"{"properties": {"a": {"maximum": -1e400}}}"#, &values);
        assert_eq!(got.as_deref(), Some("- at '/a': maximum: got 1, want -∞\n"));
    }
}

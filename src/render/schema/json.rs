//! JSON as gojsonschema reads it: Go's `json.Decoder` with `UseNumber` (a number keeps its
//! text), the values as Helm hands them over (`yaml.Marshal`, then `YAMLToJSON`), and
//! `marshalWithoutNumber`, the text `const`, `enum` and `uniqueItems` compare.

use std::collections::BTreeMap;

use crate::template::funcs::helm_json::float_text;
use crate::value::{Map, Value};

/// A decoded JSON value.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::render) enum Json {
    Null,
    Bool(bool),
    /// A number with its text (`json.Number`).
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Obj),
}

/// A JSON object as the Go map it decodes into, remembering the order its keys came in.
///
/// NOTE: gojsonschema ranges over such maps (a schema's `properties`, `patternProperties`,
/// `dependencies`, `definitions`; a value's keys), and Go's order is random from run to run.
/// But Go 1.23's maps (Helm 3.17.3's) keep up to 8 keys in one bucket in the order they were
/// inserted and start the walk at one of 8 random slots: in the order of the document is the
/// likeliest (for 2 keys, 7 runs in 8). That is the order we take: a schema's as written, the
/// values' sorted (Helm writes them as JSON with sorted keys).
#[derive(Debug, Clone, PartialEq, Default)]
pub(in crate::render) struct Obj {
    map: BTreeMap<String, Json>,
    order: Vec<String>,
}

impl Obj {
    /// Sets a key; a key seen before keeps its place (Go's map assignment).
    pub(super) fn insert(&mut self, key: String, value: Json) {
        if !self.map.contains_key(&key) {
            self.order.push(key.clone());
        }
        self.map.insert(key, value);
    }

    pub(super) fn get(&self, key: &str) -> Option<&Json> {
        self.map.get(key)
    }

    pub(super) fn contains_key(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    pub(super) fn len(&self) -> usize {
        self.order.len()
    }

    /// The entries in the order of the document.
    pub(in crate::render) fn iter(&self) -> impl Iterator<Item = (&String, &Json)> {
        self.order.iter().filter_map(|k| self.map.get_key_value(k))
    }

    /// The keys in the order of the document.
    pub(super) fn keys(&self) -> impl Iterator<Item = &String> {
        self.order.iter()
    }

    /// The values in the order of the document.
    pub(super) fn values(&self) -> impl Iterator<Item = &Json> {
        self.iter().map(|(_, v)| v)
    }
}

impl<'a> IntoIterator for &'a Obj {
    type Item = (&'a String, &'a Json);
    type IntoIter = Box<dyn Iterator<Item = (&'a String, &'a Json)> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// Go's limit on nesting (`maxNestingDepth` of `encoding/json`).
const MAX_DEPTH: usize = 10_000;

/// `json.NewDecoder(r).UseNumber().Decode(&v)`: the first value of the text (what follows
/// it is not read), or Go's error message.
pub(super) fn decode(bytes: &[u8]) -> Result<Json, String> {
    decode_first(bytes).map(|(v, _)| v)
}

/// [`decode`], also telling whether anything but white space follows the value.
pub(in crate::render) fn decode_first(bytes: &[u8]) -> Result<(Json, bool), String> {
    let text = String::from_utf8_lossy(bytes);
    let mut p = Parser {
        b: text.as_bytes(),
        i: 0,
        text: &text,
    };
    p.skip();
    if p.i == p.b.len() {
        return Err("EOF".into());
    }
    match p.value(0) {
        Some(v) => {
            p.skip();
            Ok((v, p.i < p.b.len()))
        }
        None => Err(p.error()),
    }
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    text: &'a str,
}

impl Parser<'_> {
    /// The scanner's message for the text: `unexpected EOF` where the text ends inside the
    /// value, else the message `json.Unmarshal` gives for the same first bad byte.
    fn error(&self) -> String {
        if self.i >= self.b.len() {
            return "unexpected EOF".into();
        }
        match crate::template::funcs::json_decode::decode(self.text) {
            Err(e) if e == "unexpected end of JSON input" => "unexpected EOF".into(),
            Err(e) => e,
            Ok(_) => format!("invalid character at offset {}", self.i),
        }
    }

    fn skip(&mut self) {
        while self
            .b
            .get(self.i)
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
        {
            self.i += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Option<Json> {
        if depth > MAX_DEPTH {
            return None;
        }
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.value_here(depth))
    }

    fn value_here(&mut self, depth: usize) -> Option<Json> {
        self.skip();
        match *self.b.get(self.i)? {
            b'{' => {
                self.i += 1;
                let mut map = Obj::default();
                self.skip();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Some(Json::Object(map));
                }
                loop {
                    self.skip();
                    if self.b.get(self.i) != Some(&b'"') {
                        return None;
                    }
                    let key = self.string()?;
                    self.skip();
                    if self.b.get(self.i) != Some(&b':') {
                        return None;
                    }
                    self.i += 1;
                    let v = self.value(depth + 1)?;
                    // Go keeps the last of duplicate keys.
                    map.insert(key, v);
                    self.skip();
                    match self.b.get(self.i)? {
                        b',' => self.i += 1,
                        b'}' => {
                            self.i += 1;
                            return Some(Json::Object(map));
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                self.skip();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Some(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.skip();
                    match self.b.get(self.i)? {
                        b',' => self.i += 1,
                        b']' => {
                            self.i += 1;
                            return Some(Json::Array(items));
                        }
                        _ => return None,
                    }
                }
            }
            b'"' => self.string().map(Json::String),
            b't' => self.literal("true", Json::Bool(true)),
            b'f' => self.literal("false", Json::Bool(false)),
            b'n' => self.literal("null", Json::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &str, v: Json) -> Option<Json> {
        for &w in word.as_bytes() {
            if self.b.get(self.i) != Some(&w) {
                return None;
            }
            self.i += 1;
        }
        Some(v)
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Option<Json> {
        let start = self.i;
        if self.b.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        match self.b.get(self.i)? {
            b'0' => self.i += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(Json::Number(self.text[start..self.i].to_string()))
    }

    fn hex4(&mut self) -> Option<u32> {
        let h = self.b.get(self.i..self.i + 4)?;
        let s = std::str::from_utf8(h).ok()?;
        let v = u32::from_str_radix(s, 16).ok()?;
        if !h.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        self.i += 4;
        Some(v)
    }

    /// A string at `"`; escapes of lone surrogates become U+FFFD as in Go.
    fn string(&mut self) -> Option<String> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let start = self.i;
            while self
                .b
                .get(self.i)
                .is_some_and(|&c| c != b'"' && c != b'\\' && c >= 0x20)
            {
                self.i += 1;
            }
            out.push_str(&self.text[start..self.i]);
            match *self.b.get(self.i)? {
                b'"' => {
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.i += 1;
                    let c = *self.b.get(self.i)?;
                    self.i += 1;
                    match c {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let u = self.hex4()?;
                            if (0xd800..0xdc00).contains(&u)
                                && self.b.get(self.i..self.i + 2) == Some(b"\\u")
                            {
                                let save = self.i;
                                self.i += 2;
                                match self.hex4() {
                                    Some(lo) if (0xdc00..0xe000).contains(&lo) => {
                                        let c = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
                                        out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                                        continue;
                                    }
                                    Some(_) => {
                                        self.i = save;
                                    }
                                    None => return None,
                                }
                            }
                            out.push(char::from_u32(u).unwrap_or('\u{fffd}'));
                        }
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }
}

/// The values as gojsonschema sees them: Helm's `yaml.Marshal` (JSON first, so a float is
/// `encoding/json`'s text of it) then `YAMLToJSON`, which keep each number's JSON text.
pub(super) fn from_values(values: &Map) -> Result<Json, String> {
    fn node(v: &Value) -> Result<Json, String> {
        Ok(match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::Number(i.to_string()),
            Value::Float(f) => Json::Number(
                float_text(*f).map_err(|e| format!("error marshaling into JSON: {}", e.0))?,
            ),
            Value::Str(s) => Json::String(s.clone()),
            Value::Seq(items) => Json::Array(
                items
                    .iter()
                    .map(|n| node(&n.value))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Map(m) => map(m)?,
        })
    }
    fn map(m: &Map) -> Result<Json, String> {
        let sorted: BTreeMap<&String, &crate::value::Node> = m.iter().collect();
        let mut obj = Obj::default();
        for (k, n) in sorted {
            obj.insert(k.clone(), node(&n.value)?);
        }
        Ok(Json::Object(obj))
    }
    map(values)
}

/// `marshalWithoutNumber`: `json.Marshal`, `json.Unmarshal` into `interface{}` (numbers become
/// float64s), `json.Marshal` again: keys sorted, `1.0` written `1`, `<` as `\u003c`.
pub(super) fn marshal_without_number(v: &Json) -> Result<String, String> {
    let mut out = String::new();
    write(v, &mut out)?;
    Ok(out)
}

fn write(v: &Json, out: &mut String) -> Result<(), String> {
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(text) => {
            let f: f64 = text.parse().unwrap_or(f64::INFINITY);
            let t = float_text(f).map_err(|_| {
                format!("json: cannot unmarshal number {text} into Go value of type float64")
            })?;
            out.push_str(&t);
        }
        Json::String(s) => write_string(s, out),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out)?;
            }
            out.push(']');
        }
        Json::Object(obj) => {
            out.push('{');
            // encoding/json sorts a map's keys.
            for (i, (k, item)) in obj.map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write(item, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// `encoding/json`'s string, HTML characters escaped.
pub(super) fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0}'..='\u{1f}' | '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_as_go_decoder_does() {
        assert_eq!(decode(br#"{"a": 1.50, "a": 2} trailing"#).unwrap(), {
            let mut o = Obj::default();
            o.insert("a".into(), Json::Number("2".into()));
            Json::Object(o)
        });
        assert_eq!(decode(b"  ").unwrap_err(), "EOF");
        assert_eq!(decode(br#"{"a": "#).unwrap_err(), "unexpected EOF");
        assert_eq!(
            decode(br#"{"a" 1}"#).unwrap_err(),
            "invalid character '1' after object key"
        );
        assert_eq!(
            decode(br#"[01]"#).unwrap_err(),
            "invalid character '1' after array element"
        );
    }

    #[test]
    fn marshals_without_number() {
        let v = decode(br#"{"b": [1.0, 1e2, "<x>"], "a": null}"#).unwrap();
        assert_eq!(
            marshal_without_number(&v).unwrap(),
            r#"{"a":null,"b":[1,100,"\u003cx\u003e"]}"#
        );
        assert!(marshal_without_number(&Json::Number("1e400".into())).is_err());
    }
}

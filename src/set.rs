//! Helm's `--set` family parser (strvals), writing into the merged user values.
//!
//! Grammar: `,` separates assignments, `.` nests, `[i]` indexes lists, `{a,b}` is a list value,
//! `\` escapes the next character. With `--set`, `true`/`false` (any case) are booleans, `null`
//! deletes, decimal integers without a leading zero are int64, everything else is a string;
//! `--set-string` never converts. `--set-json` values are JSON (numbers become float64, a blank
//! value null); `--set-file` values are paths whose contents become strings; `--set-literal`
//! takes everything after the first `=` as one string, with no escapes and no `,`.

use std::cell::Cell;
use std::sync::Arc;

use crate::template::fmt::quote;
use crate::value::{Map, Node, Origin, SetKind, Value};

/// Reads a `--set-file` path into the string node Helm stores (its origin points at the file).
pub type FileReader<'r> = dyn FnMut(&str) -> Result<Node, String> + 'r;

/// Largest list index Helm accepts.
pub const MAX_INDEX: usize = 65536;
/// Deepest `.` nesting Helm accepts.
pub const MAX_NESTING: usize = 30;
/// Deepest nesting of keys and list indexes together.
///
/// NOTE: Helm bounds only `.` nesting; `a[0][0]…` recurses once per index, so a long argument
/// would overflow the stack. No values file may nest deeper than this either.
pub const MAX_DEPTH: usize = 200;

/// A `--set` argument that Helm would reject.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct SetError {
    /// Helm-like description.
    pub message: String,
    /// Whether Helm's error wraps `io.EOF` (an index without `]`): Helm 4's parser takes that
    /// for the end of the argument (`errors.Is`) and keeps what it set before, with no error.
    pub wraps_eof: bool,
}

fn err<T>(message: impl Into<String>) -> Result<T, SetError> {
    Err(SetError {
        message: message.into(),
        wraps_eof: false,
    })
}

/// Parses one `--set` (or `--set-string` when `string` is set) argument into `data`.
/// `index` is its 1-based position among the arguments of that flag.
pub fn parse_into(arg: &str, data: &mut Map, index: usize, string: bool) -> Result<(), SetError> {
    let kind = if string {
        SetKind::String
    } else {
        SetKind::Set
    };
    parse_kind_into(arg, data, index, kind, &mut |_| {
        Err("no file can be read here".into())
    })
}

/// Parses one argument of the `--set` flag `kind` into `data`; `read_file` reads `--set-file`
/// paths.
pub fn parse_kind_into(
    arg: &str,
    data: &mut Map,
    index: usize,
    kind: SetKind,
    read_file: &mut FileReader,
) -> Result<(), SetError> {
    let origin = Origin::Set {
        index,
        arg: Arc::from(arg),
        kind,
    };
    // List growth is bounded for the run, not per argument: ten `a[65536]` in one argument
    // would otherwise build ten lists of 65,537 elements.
    let key = format!("{kind:?}");
    let ticket = crate::budget::ticket(crate::budget::Pool::SetItems, Some((&key, arg)));
    // The values built count with those of the values files (`--set-json` builds as many as
    // its JSON holds).
    let nodes = node_ticket(kind, arg);
    let mut p = Parser {
        chars: arg.chars().collect(),
        text: arg,
        pos: 0,
        depth: 0,
        kind,
        origin,
        grown: 0,
        grow_left: ticket.nodes_left,
        grow_max: ticket.run_max,
        made: Cell::new(0),
        made_left: nodes.nodes_left,
        made_max: nodes.run_max,
        read_file,
    };
    loop {
        match p.key(data, 0)? {
            Step::Done => {
                p.check_made()?;
                ticket.charge(p.grown);
                nodes.charge(p.made.get());
                return Ok(());
            }
            Step::More => p.check_made()?,
        }
    }
}

/// The run's node budget for one argument of `kind`, charged once per argument text.
pub fn node_ticket(kind: SetKind, arg: &str) -> crate::budget::Ticket {
    // NUL keeps the name apart from every file name.
    let name = format!("\0{}", kind.flag());
    crate::budget::ticket(crate::budget::Pool::Nodes, Some((&name, arg)))
}

/// The error for values past the run's node budget.
pub fn too_many_values(run_max: usize) -> String {
    format!(
        "the inputs of this run expand to more than {run_max} values in all (values files, chart values and --set together, aliases expanded)"
    )
}

/// How many values a decoded JSON value holds.
pub fn json_nodes(value: &serde_json::Value) -> usize {
    use serde_json::Value as J;
    1 + match value {
        J::Array(items) => items.iter().map(json_nodes).sum(),
        J::Object(map) if !map.is_empty() => {
            crate::budget::MAP_EXTRA + map.values().map(json_nodes).sum::<usize>()
        }
        J::Object(_) => 0,
        _ => 0,
    }
}

enum Step {
    Done,
    More,
}

enum Stop {
    Char(char),
    Eof,
}

struct Parser<'a, 'r> {
    chars: Vec<char>,
    text: &'a str,
    pos: usize,
    /// Current nesting of keys and indexes, bounded by [`MAX_DEPTH`].
    depth: usize,
    kind: SetKind,
    origin: Origin,
    /// List elements this argument created, and how many the run still allows.
    grown: usize,
    grow_left: usize,
    grow_max: usize,
    /// Values this argument built, and how many the run still allows.
    made: Cell<usize>,
    made_left: usize,
    made_max: usize,
    read_file: &'r mut FileReader<'r>,
}

impl Parser<'_, '_> {
    fn node(&self, value: Value) -> Node {
        let extra = match &value {
            Value::Map(m) if !m.is_empty() => crate::budget::MAP_EXTRA,
            _ => 0,
        };
        self.made.set(self.made.get().saturating_add(1 + extra));
        Node::new(value, self.origin.clone())
    }

    /// Fails once the values built pass what the run allows.
    fn check_made(&self) -> Result<(), SetError> {
        if self.made.get() > self.made_left {
            return err(too_many_values(self.made_max));
        }
        Ok(())
    }

    /// Reads until one of `stops` (unescaped); returns the text and what stopped it.
    fn read_until(&mut self, stops: &[char]) -> (String, Stop) {
        let mut out = String::new();
        while let Some(&c) = self.chars.get(self.pos) {
            self.pos += 1;
            if c == '\\' && self.kind != SetKind::Literal {
                if let Some(&next) = self.chars.get(self.pos) {
                    self.pos += 1;
                    out.push(next);
                }
                continue;
            }
            if stops.contains(&c) {
                return (out, Stop::Char(c));
            }
            out.push(c);
        }
        (out, Stop::Eof)
    }

    fn key(&mut self, data: &mut Map, level: usize) -> Result<Step, SetError> {
        // A literal value may hold commas: it is the rest of the argument, so keys stop at no `,`.
        let stops: &[char] = if self.kind == SetKind::Literal {
            &['=', '[', '.']
        } else {
            &['=', '[', ',', '.']
        };
        let (key, stop) = self.read_until(stops);
        match stop {
            Stop::Eof => {
                if key.is_empty() {
                    return Ok(Step::Done);
                }
                err(format!("key {} has no value", quote(&key)))
            }
            Stop::Char(',') => {
                set(data, &key, self.node(Value::Str(String::new())));
                err(format!(
                    "key {} has no value (cannot end with ,)",
                    quote(&key)
                ))
            }
            Stop::Char('.') => {
                if level + 1 > MAX_NESTING {
                    return err(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTING}"
                    ));
                }
                // Taken out rather than cloned: cloning made many assignments to one large
                // map or list quadratic.
                let (mut inner, origin) = match data.remove(&key) {
                    None => (Map::new(), None),
                    Some(Node {
                        value: Value::Map(m),
                        origin,
                    }) => (m, Some(origin)),
                    Some(other) => {
                        let kind = other.value.type_name();
                        data.insert(key.clone(), other);
                        return err(format!(
                            "unable to parse key: `{key}` is a {kind}, not a map (interface conversion)"
                        ));
                    }
                };
                let step = self.nested(|p| p.key(&mut inner, level + 1));
                if matches!(step, Ok(Step::More)) && inner.is_empty() {
                    return err(format!("key map {} has no value", quote(&key)));
                }
                // Helm changes an existing map in place, even under the empty key it never sets.
                if let Some(origin) = origin {
                    data.insert(key, Node::new(Value::Map(inner), origin));
                } else if !inner.is_empty() {
                    set(data, &key, self.node(Value::Map(inner)));
                }
                step
            }
            Stop::Char('[') => {
                let i = self.index()?;
                let existing = if key.is_empty() {
                    // `set` ignores the empty key: leave any value under it alone.
                    data.get(&key).cloned()
                } else {
                    data.remove(&key)
                };
                let mut list = match existing {
                    None => Vec::new(),
                    Some(Node {
                        value: Value::Seq(s),
                        ..
                    }) => s,
                    Some(other) => {
                        let kind = other.value.type_name();
                        if !key.is_empty() {
                            data.insert(key.clone(), other);
                        }
                        return err(format!(
                            "unable to parse key: `{key}` is a {kind}, not a list (interface conversion)"
                        ));
                    }
                };
                let step = self.nested(|p| p.list_item(&mut list, i, level));
                set(data, &key, self.node(Value::Seq(list)));
                step
            }
            Stop::Char(_) => {
                // '='
                let value = self.value()?;
                set(data, &key, value);
                Ok(Step::More)
            }
        }
    }

    fn index(&mut self) -> Result<usize, SetError> {
        let (text, stop) = self.read_until(&[']']);
        if matches!(stop, Stop::Eof) {
            return Err(SetError {
                message: "error parsing index: EOF".into(),
                wraps_eof: true,
            });
        }
        let i: i64 = text.parse().map_err(|_| SetError {
            message: format!("error parsing index: strconv.Atoi: parsing {text:?}: invalid syntax"),
            wraps_eof: false,
        })?;
        if i < 0 {
            return err(format!("negative {i} index not allowed"));
        }
        let i = i as usize;
        if i > MAX_INDEX {
            return err(format!(
                "index of {i} is greater than maximum supported index of {MAX_INDEX}"
            ));
        }
        Ok(i)
    }

    fn list_item(
        &mut self,
        list: &mut Vec<Node>,
        i: usize,
        level: usize,
    ) -> Result<Step, SetError> {
        let (rest, stop) = self.read_until(&['[', '.', '=']);
        if !rest.is_empty() {
            return err(format!("unexpected data at end of array index: {rest:?}"));
        }
        match stop {
            Stop::Eof => Ok(Step::Done),
            Stop::Char('=') => {
                let v = self.value()?;
                self.set_index(list, i, v)?;
                Ok(Step::More)
            }
            Stop::Char('[') => {
                let j = self.index()?;
                let mut inner = match take_item(list, i) {
                    Value::Null => Vec::new(),
                    Value::Seq(s) => s,
                    other => {
                        let kind = other.type_name();
                        if let Some(n) = list.get_mut(i) {
                            n.value = other;
                        }
                        return err(format!(
                            "unable to parse key: list element {i} is a {kind}, not a list"
                        ));
                    }
                };
                let step = self.nested(|p| p.list_item(&mut inner, j, level));
                let node = self.node(Value::Seq(inner));
                self.set_index(list, i, node)?;
                step
            }
            Stop::Char(_) => {
                // '.'
                let mut inner = match take_item(list, i) {
                    Value::Map(m) => m,
                    _ => Map::new(),
                };
                let step = self.nested(|p| p.key(&mut inner, level));
                let node = self.node(Value::Map(inner));
                self.set_index(list, i, node)?;
                step
            }
        }
    }

    /// Runs `f` one level deeper, refusing to go past [`MAX_DEPTH`].
    fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, SetError>,
    ) -> Result<T, SetError> {
        if self.depth >= MAX_DEPTH {
            return err(format!(
                "keys and list indexes nested deeper than {MAX_DEPTH} levels"
            ));
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    fn set_index(&mut self, list: &mut Vec<Node>, i: usize, v: Node) -> Result<(), SetError> {
        let growth = (i + 1).saturating_sub(list.len());
        self.grown = self.grown.saturating_add(growth);
        if self.grown > self.grow_left {
            return err(format!(
                "list indexes of --set create more than {} list elements in all (summed over every --set argument)",
                self.grow_max
            ));
        }
        while list.len() <= i {
            list.push(self.node(Value::Null));
        }
        list[i] = v;
        Ok(())
    }

    fn value(&mut self) -> Result<Node, SetError> {
        match self.kind {
            SetKind::Json => return self.json_value(),
            SetKind::Literal => {
                let rest: String = self.chars[self.pos..].iter().collect();
                self.pos = self.chars.len();
                return Ok(self.node(Value::Str(rest)));
            }
            _ => {}
        }
        match self.chars.get(self.pos) {
            None => Ok(self.node(Value::Str(String::new()))),
            Some('{') => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    let (text, stop) = self.read_until(&[',', '}']);
                    match stop {
                        Stop::Eof => return err("list must terminate with '}'"),
                        Stop::Char('}') => {
                            items.push(self.typed(&text)?);
                            if self.chars.get(self.pos) == Some(&',') {
                                self.pos += 1;
                            }
                            return Ok(self.node(Value::Seq(items)));
                        }
                        Stop::Char(_) => items.push(self.typed(&text)?),
                    }
                }
            }
            Some(_) => {
                let (text, _) = self.read_until(&[',']);
                self.typed(&text)
            }
        }
    }

    fn typed(&mut self, s: &str) -> Result<Node, SetError> {
        Ok(match self.kind {
            SetKind::Set => self.node(typed_value(s)),
            SetKind::File => {
                self.made.set(self.made.get().saturating_add(1));
                (self.read_file)(s).map_err(|message| SetError {
                    message,
                    wraps_eof: false,
                })?
            }
            _ => self.node(Value::Str(s.to_string())),
        })
    }

    /// strvals' `emptyVal`: skips blanks up to a `,` (consumed) or the end (both: no value);
    /// anything else stays for the caller.
    fn empty_value(&mut self) -> bool {
        while let Some(&c) = self.chars.get(self.pos) {
            if c == ',' {
                self.pos += 1;
                return true;
            }
            if !c.is_whitespace() {
                return false;
            }
            self.pos += 1;
        }
        true
    }

    /// One JSON value, decoded as Go's `json.Decoder` does: only as much text as the value
    /// takes; then blanks and one `,` are skipped.
    fn json_value(&mut self) -> Result<Node, SetError> {
        if self.empty_value() {
            return Ok(self.node(Value::Null));
        }
        let start: usize = self.chars[..self.pos].iter().map(|c| c.len_utf8()).sum();
        let rest = lone_surrogates_replaced(&self.text[start..]);
        let rest = rest.as_ref();
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<serde_json::Value>();
        let value = match stream.next() {
            Some(Ok(v)) => v,
            Some(Err(e)) => return err(format!("invalid JSON value: {e}")),
            None => return err("invalid JSON value: nothing after `=`"),
        };
        self.pos += rest[..stream.byte_offset()].chars().count();
        // The top node is counted by `node`.
        self.made
            .set(self.made.get().saturating_add(json_nodes(&value) - 1));
        self.check_made()?;
        let node = self.json_node(value);
        self.empty_value();
        Ok(node)
    }

    fn json_node(&self, value: serde_json::Value) -> Node {
        self.node(json_to_value(value, &self.origin))
    }
}

/// The text with every `\uXXXX` escape of a lone UTF-16 surrogate inside a JSON string
/// written `\ufffd`, as Go's decoder reads it (serde_json refuses it); the same length, so
/// offsets into it hold for the original.
pub(crate) fn lone_surrogates_replaced(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let escape_at = |i: usize| -> Option<u32> {
        let hex = b.get(i..i + 6)?;
        if hex[0] != b'\\' || hex[1] != b'u' {
            return None;
        }
        u32::from_str_radix(std::str::from_utf8(&hex[2..]).ok()?, 16).ok()
    };
    let mut lone = Vec::new();
    let (mut i, mut in_string) = (0, false);
    while i < b.len() {
        match b[i] {
            b'"' => {
                in_string = !in_string;
                i += 1;
            }
            b'\\' if in_string => match escape_at(i) {
                Some(0xD800..=0xDBFF) => {
                    if escape_at(i + 6).is_some_and(|low| (0xDC00..=0xDFFF).contains(&low)) {
                        i += 12;
                    } else {
                        lone.push(i);
                        i += 6;
                    }
                }
                Some(0xDC00..=0xDFFF) => {
                    lone.push(i);
                    i += 6;
                }
                Some(_) => i += 6,
                None => i += 2,
            },
            _ => i += 1,
        }
    }
    if lone.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = text.to_string();
    for at in lone {
        out.replace_range(at..at + 6, "\\ufffd");
    }
    std::borrow::Cow::Owned(out)
}

/// A decoded JSON value as Helm holds it: every number a float64 (Go's `interface{}` decoding).
pub fn json_to_value(value: serde_json::Value, origin: &Origin) -> Value {
    use serde_json::Value as J;
    let node = |v| Node::new(json_to_value(v, origin), origin.clone());
    match value {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(b),
        J::Number(n) => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        J::String(s) => Value::Str(s),
        J::Array(items) => Value::Seq(items.into_iter().map(node).collect()),
        J::Object(map) => {
            let mut m = Map::new();
            for (k, v) in map {
                m.insert(k, node(v));
            }
            Value::Map(m)
        }
    }
}

/// strvals' `typedVal`.
pub fn typed_value(s: &str) -> Value {
    if s.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if s.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if s.eq_ignore_ascii_case("null") {
        return Value::Null;
    }
    if s == "0" {
        return Value::Int(0);
    }
    if !s.is_empty()
        && !s.starts_with('0')
        && let Ok(i) = parse_go_int(s)
    {
        return Value::Int(i);
    }
    Value::Str(s.to_string())
}

/// `strconv.ParseInt(s, 10, 64)`: optional sign, decimal digits only.
fn parse_go_int(s: &str) -> Result<i64, ()> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(());
    }
    s.trim_start_matches('+').parse().map_err(|_| ())
}

/// The value of `list[i]`, moved out (null when absent).
fn take_item(list: &mut [Node], i: usize) -> Value {
    list.get_mut(i).map_or(Value::Null, |n| {
        std::mem::replace(&mut n.value, Value::Null)
    })
}

/// strvals' `set`: an empty key is silently ignored.
fn set(data: &mut Map, key: &str, value: Node) {
    if !key.is_empty() {
        data.insert(key.to_string(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(arg: &str) -> Result<Map, SetError> {
        let mut m = Map::new();
        parse_into(arg, &mut m, 1, false)?;
        Ok(m)
    }

    fn at<'a>(m: &'a Map, path: &[&str]) -> &'a Value {
        let mut node = &m[path[0]];
        for k in &path[1..] {
            node = &node.as_map().unwrap()[*k];
        }
        &node.value
    }

    #[test]
    fn typing_follows_strvals() {
        assert_eq!(typed_value("4.10"), Value::Str("4.10".into()));
        assert_eq!(typed_value("20210214"), Value::Int(20210214));
        assert_eq!(typed_value("007"), Value::Str("007".into()));
        assert_eq!(typed_value("0"), Value::Int(0));
        assert_eq!(typed_value("-5"), Value::Int(-5));
        assert_eq!(typed_value("TRUE"), Value::Bool(true));
        assert_eq!(typed_value("Null"), Value::Null);
        assert_eq!(typed_value("yes"), Value::Str("yes".into()));
        assert_eq!(typed_value("0x1F"), Value::Str("0x1F".into()));
        assert_eq!(typed_value("1e3"), Value::Str("1e3".into()));
        assert_eq!(
            typed_value("99999999999999999999"),
            Value::Str("99999999999999999999".into())
        );
    }

    #[test]
    fn nesting_commas_and_escapes() {
        let m = parse("a.b=1,a.c=x,d=e\\,f,g\\.h=i").unwrap();
        assert_eq!(at(&m, &["a", "b"]), &Value::Int(1));
        assert_eq!(at(&m, &["a", "c"]), &Value::Str("x".into()));
        assert_eq!(at(&m, &["d"]), &Value::Str("e,f".into()));
        assert_eq!(at(&m, &["g.h"]), &Value::Str("i".into()));
    }

    #[test]
    fn lists_and_indexes() {
        let m = parse("l={a,b,3},x[1]=y,n[0].k=v").unwrap();
        match at(&m, &["l"]) {
            Value::Seq(items) => {
                assert_eq!(items.len(), 3);
                assert_eq!(items[2].value, Value::Int(3));
            }
            v => panic!("{v:?}"),
        }
        match at(&m, &["x"]) {
            Value::Seq(items) => {
                assert_eq!(items[0].value, Value::Null);
                assert_eq!(items[1].value, Value::Str("y".into()));
            }
            v => panic!("{v:?}"),
        }
        match at(&m, &["n"]) {
            Value::Seq(items) => assert!(items[0].value.is_map()),
            v => panic!("{v:?}"),
        }
    }

    #[test]
    fn keys_without_value_are_named_as_go_quotes_them() {
        let message = |arg: &str| parse(arg).unwrap_err().message;
        assert_eq!(message("\"q\u{1}\""), r#"key "\"q\x01\"" has no value"#);
        assert_eq!(message("a.\u{e9}\""), "key \"\u{e9}\\\"\" has no value");
        assert_eq!(
            message("a\"b,"),
            r#"key "a\"b" has no value (cannot end with ,)"#
        );
    }

    #[test]
    fn lone_surrogates_read_as_go_reads_them() {
        let cases = [
            (r#""\ud800""#, r#""\ufffd""#),
            (r#""\udc00x""#, r#""\ufffdx""#),
            (r#""\ud83d\ude00""#, r#""\ud83d\ude00""#),
            (r#""\ud800\u0041""#, r#""\ufffd\u0041""#),
            (r#""\\ud800""#, r#""\\ud800""#),
            (r#"{"\ud800": 1}"#, r#"{"\ufffd": 1}"#),
        ];
        for (text, want) in cases {
            assert_eq!(lone_surrogates_replaced(text), want, "{text}");
        }
        let mut m = Map::new();
        let mut no_file = |_: &str| -> Result<Node, String> { Err("no file".into()) };
        parse_kind_into(
            "a=\"\\ud800\",b=[\"\\udfff\"]",
            &mut m,
            1,
            SetKind::Json,
            &mut no_file,
        )
        .unwrap();
        assert_eq!(at(&m, &["a"]), &Value::Str("\u{fffd}".into()));
    }

    #[test]
    fn null_empty_and_set_string() {
        let m = parse("a=null,b=").unwrap();
        assert_eq!(at(&m, &["a"]), &Value::Null);
        assert_eq!(at(&m, &["b"]), &Value::Str(String::new()));
        let mut s = Map::new();
        parse_into("t=1.0,u=null", &mut s, 2, true).unwrap();
        assert_eq!(at(&s, &["t"]), &Value::Str("1.0".into()));
        assert_eq!(at(&s, &["u"]), &Value::Str("null".into()));
        assert!(matches!(
            s["t"].origin,
            Origin::Set {
                index: 2,
                kind: SetKind::String,
                ..
            }
        ));
    }

    #[test]
    fn assignments_into_a_large_list_do_not_copy_it() {
        // Used to clone the list per assignment: 3,000 × 65,537 nodes.
        let arg = "a[65536]=1,".repeat(3_000) + "b=2";
        let m = parse(&arg).unwrap();
        match at(&m, &["a"]) {
            Value::Seq(items) => assert_eq!(items.len(), MAX_INDEX + 1),
            v => panic!("{v:?}"),
        }
        // Existing maps and lists are updated in place, keeping their origin.
        let m = parse("a.b[0].c=1,a.b[0].d=2,a.e=3").unwrap();
        let b = &m["a"].as_map().unwrap()["b"];
        match &b.value {
            Value::Seq(items) => assert_eq!(items[0].as_map().unwrap().len(), 2),
            v => panic!("{v:?}"),
        }
        assert_eq!(at(&m, &["a", "e"]), &Value::Int(3));
    }

    #[test]
    fn writes_into_existing_values() {
        let mut m = parse("a.b=1,a.c=2").unwrap();
        parse_into("a.b=3", &mut m, 2, false).unwrap();
        assert_eq!(at(&m, &["a", "b"]), &Value::Int(3));
        assert_eq!(at(&m, &["a", "c"]), &Value::Int(2));
    }

    #[test]
    fn values_of_every_flag_count_against_the_run_budget() {
        let _budget = crate::budget::install(crate::budget::RunLimits {
            max_nodes: 10,
            ..crate::budget::RunLimits::default()
        });
        let mut m = Map::new();
        let mut no_file = |_: &str| -> Result<Node, String> { Err("no file".into()) };
        let mut parse_as = |arg: &str, kind| parse_kind_into(arg, &mut m, 1, kind, &mut no_file);
        // Four values, then the same argument again (another release): charged once.
        parse_as("a={1,2,3}", SetKind::Set).unwrap();
        parse_as("a={1,2,3}", SetKind::Set).unwrap();
        // A JSON value is as many values as it holds: 1 + 3 + 3 + 1 = 8, past the 6 left.
        let e = parse_as("b=[[1,2],[3,4],5]", SetKind::Json).unwrap_err();
        assert!(e.message.contains("more than 10 values in all"), "{e}");
        parse_as("b=[[1],2]", SetKind::Json).unwrap();
        let e = parse_as("c={x,y,z}", SetKind::String).unwrap_err();
        assert!(e.message.contains("more than 10 values in all"), "{e}");
        // Two maps with entries: 5 values and 11 for each map's storage.
        assert_eq!(json_nodes(&serde_json::json!({"a": [1, {"b": null}]})), 27);
    }

    #[test]
    fn malformed_input_is_rejected() {
        for bad in [
            "a",
            "a,b=1",
            "a.=1",
            "a[x]=1",
            "a[-1]=1",
            "a[70000]=1",
            "l={a,b",
            "a=1,a.b=2",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = format!("{}=1", vec!["k"; 40].join("."));
        assert!(parse(&deep).is_err());
        // Helm has no bound here; without one the parser overflowed the stack.
        let chain = format!("a{}=1", "[0]".repeat(MAX_DEPTH + 1));
        assert!(parse(&chain).unwrap_err().message.contains("nested deeper"));
        let chain = format!("a{}=1", "[0].b".repeat(MAX_DEPTH));
        assert!(parse(&chain).is_err());
        assert!(parse(&format!("a{}=1", "[0]".repeat(MAX_DEPTH - 1))).is_ok());
        assert!(parse("").unwrap().is_empty());
    }
}

//! Helm's `toToml` and `fromToml`: BurntSushi/toml, in the release the Helm named vendors (v1.0.0
//! in Helm 3.9, v1.4.0 in 3.17, v1.5.0 in 3.18 and 4.0, v1.6.0 in 3.20 and 4.1: see
//! [`HelmBuild::toml`](crate::helm_build::HelmBuild::toml)). The encoder is here; `fromToml`'s
//! lexer and parser are in `lex.rs` and `decode.rs`.
//!
//! The encoder writes a map's plain keys first and its tables after, each group in byte order;
//! a table is a `[a.b]` header indented two spaces a level, a list of maps `[[a.b]]` tables, a
//! map inside a list an inline `{k = v}`. A nil value in a map is left out; a nil in a list
//! fails (`toml: cannot encode array with nil element`), as does a list of maps at the top
//! (`toml: top-level values must be Go maps or structs`): Helm's `toToml` then returns the
//! error's text as its output. A nil at the top makes Go's reflection panic, which fails the
//! template like any function's panic. A `time.Time` is written bare (RFC 3339, or the local
//! forms for the zones `fromToml` gives local datetimes).
//!
//! The encoder's releases differ in three places: up to v1.5.0 a float is printed
//! `strconv.FormatFloat(f, 'f', -1)` (`1e21` as `1000000000000000000000.0`), from v1.6.0 in the
//! `'g'` form (`1e+21`), both adding `.0` to a float that has no `.` (v1.6.0: nor an exponent);
//! before v1.3.0 a value that is no map fails at the top (`toml: top-level values must be Go
//! maps or structs`) where later releases write it bare; before v1.2.0 a list is an array of
//! tables when its first item is a map, and an item after it that is none makes Go panic
//! (`eTable: unhandled reflect.Value Kind: int`).
//!
//! NOTE: a struct object (`.Chart`, `.Capabilities`) is encoded through its `toJson` form, so
//! its keys are the JSON names, where Go's encoder uses the struct's field names and order.

use super::super::FuncError;
use super::super::value::{IntType, MapData, Object, Str, StrBuf, Value};
use super::helm_yaml::MAX_DEPTH;
use super::{Ctx, args};

/// `toToml VALUE`.
pub(crate) fn to_toml(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    encode_value(ctx, a, false)
}

/// Helm 4.2's `mustToToml VALUE`: `toToml`, but an encoder error panics (Go's template reports
/// it as the call's error) where `toToml` returns its text.
pub(crate) fn must_to_toml(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    encode_value(ctx, a, true)
}

fn encode_value(ctx: &mut Ctx, a: &[Value], must: bool) -> Result<Value, FuncError> {
    args::arity(a, 1)?;
    args::walk_bounded(&a[0], MAX_DEPTH)?;
    let mut e = Encoder {
        out: StrBuf::new(),
        written: false,
        toml: ctx.build.toml(),
        depth: 0,
    };
    match e.encode(&mut Vec::new(), &a[0]) {
        Ok(()) => Ok(Value::Str(e.out.finish())),
        Err(Fail::Toml(msg)) if !must => Ok(Value::str(msg)),
        Err(Fail::Toml(msg)) => Err(FuncError::Call(msg.to_string())),
        Err(Fail::Panic(msg)) => Err(FuncError::Call(msg)),
        Err(Fail::Deep) => Err(FuncError::Budget(format!(
            "toToml: a value nested deeper than {MAX_DEPTH} levels"
        ))),
    }
}

/// `fromToml TEXT`: the document as a map, or a map holding only `Error`, the parse error's
/// text. BurntSushi/toml v1.6.0 (Helm 3.20, 4.1) parses TOML 1.1, v1.4.0 and v1.5.0 (Helm 3.17
/// to 3.19, 4.0; no older Helm has `fromToml`) TOML 1.0.
pub(crate) fn from_toml(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    args::arity(a, 1)?;
    let text = args::string(&a[0])?;
    match decode::decode(text.as_str(), ctx.build.toml()) {
        Ok(v) => Ok(v),
        Err(decode::Fail::Parse(msg)) => Ok(super::helm_json::error_map(msg)),
        Err(decode::Fail::Panic(msg)) => Err(FuncError::Call(msg)),
        Err(decode::Fail::Deep) => Err(FuncError::Budget(format!(
            "fromToml: a document nested deeper than {MAX_DEPTH} levels"
        ))),
    }
}

/// Why encoding stopped: an error the encoder returns, a Go runtime panic, or our depth limit
/// (Go recurses on until its stack overflows, through a map that holds itself too).
enum Fail {
    Toml(&'static str),
    Panic(String),
    Deep,
}

const NIL_ELEMENT: Fail = Fail::Toml("toml: cannot encode array with nil element");
/// BurntSushi's `tomlTypeOfGo` panics on a kind it has no TOML type for.
const COMPLEX: Fail = Fail::Toml("unsupported type: complex128");
const NO_KEY: Fail = Fail::Toml("toml: top-level values must be Go maps or structs");

/// What the encoder makes of a value (`tomlTypeOfGo`).
#[derive(PartialEq)]
enum Kind {
    Nil,
    Scalar,
    Array,
    /// A non-empty list of maps only.
    ArrayOfTables,
    Table,
}

/// `by_first`: before v1.2.0 the first item alone decides whether a list is an array of tables.
fn kind(v: &Value, depth: usize, by_first: bool) -> Result<Kind, Fail> {
    if depth > MAX_DEPTH {
        return Err(Fail::Deep);
    }
    Ok(match v {
        Value::Nil => Kind::Nil,
        _ if v.is_go_nil() => Kind::Nil,
        Value::Bool(..) | Value::Int(..) | Value::Float(..) | Value::Str(_) => Kind::Scalar,
        Value::Complex(..) => return Err(COMPLEX),
        Value::Bytes(_) => Kind::Array,
        Value::List(l) => {
            // `isTableArray`: every element is looked at, so a nil anywhere fails.
            let mut tables = !l.items.is_empty();
            for (i, item) in l.items.iter().enumerate() {
                match kind(item, depth + 1, by_first)? {
                    Kind::Nil => return Err(NIL_ELEMENT),
                    Kind::Table => {}
                    _ if by_first && i > 0 => {}
                    _ => tables = false,
                }
            }
            if tables {
                Kind::ArrayOfTables
            } else {
                Kind::Array
            }
        }
        Value::Map(_) => Kind::Table,
        Value::Object(_) if is_time(v) => Kind::Scalar,
        Value::Object(o) => kind(&o.to_plain(), depth + 1, by_first)?,
    })
}

/// A `time.Time`, which the encoder writes bare (`tomlDatetime`).
fn is_time(v: &Value) -> bool {
    matches!(v, Value::Object(o) if o.type_name() == "time.Time")
}

struct Encoder {
    out: StrBuf,
    /// Anything written yet (`hasWritten`): a newline is written only after something.
    written: bool,
    /// The minor version of the BurntSushi/toml 1.x imitated.
    toml: u8,
    /// Nesting of arrays and inline tables being written.
    depth: usize,
}

impl Encoder {
    fn kind(&self, v: &Value) -> Result<Kind, Fail> {
        kind(v, 0, self.toml < 2)
    }

    fn write(&mut self, s: &str) {
        self.out.push_plain(s);
        self.written = true;
    }

    fn newline(&mut self) {
        if self.written {
            self.write("\n");
        }
    }

    fn encode(&mut self, key: &mut Vec<String>, v: &Value) -> Result<(), Fail> {
        if key.len() > MAX_DEPTH {
            return Err(Fail::Deep);
        }
        match v {
            Value::Nil if key.is_empty() => Err(Fail::Panic(
                "reflect: call of reflect.Value.Type on zero Value".into(),
            )),
            Value::Nil => Ok(()),
            Value::Bool(..) | Value::Int(..) | Value::Float(..) | Value::Str(_) => {
                self.key_value(key, v, false)
            }
            Value::Complex(..) if key.is_empty() => {
                Err(Fail::Toml("unsupported type for key '': complex128"))
            }
            Value::Complex(..) => Err(COMPLEX),
            Value::Object(_) if is_time(v) => self.key_value(key, v, false),
            Value::Bytes(_) | Value::List(_) => match (self.kind(v)?, v) {
                (Kind::ArrayOfTables, Value::List(l)) => {
                    if key.is_empty() {
                        return Err(NO_KEY);
                    }
                    for item in &l.items {
                        self.newline();
                        let header = format!("{}[[{}]]", indent(key), key_string(key));
                        self.write(&header);
                        self.newline();
                        self.map_of(key, item, false)?;
                    }
                    Ok(())
                }
                _ => self.key_value(key, v, false),
            },
            Value::Map(_) => {
                if key.len() == 1 {
                    self.newline();
                }
                if !key.is_empty() {
                    let header = format!("{}[{}]", indent(key), key_string(key));
                    self.write(&header);
                    self.newline();
                }
                self.map_of(key, v, false)
            }
            Value::Object(o) => self.encode(key, &o.to_plain()),
        }
    }

    fn map_of(&mut self, key: &mut Vec<String>, v: &Value, inline: bool) -> Result<(), Fail> {
        match v {
            Value::Map(m) => self.map(key, &m.borrow(), inline),
            // A struct of no exported fields.
            Value::Object(_) if is_time(v) => Ok(()),
            Value::Object(o) => self.map_of(key, &o.to_plain(), inline),
            // An array of tables whose first item alone made it one (before v1.2.0).
            _ => Err(Fail::Panic(format!(
                "eTable: unhandled reflect.Value Kind: {}",
                v.kind_name()
            ))),
        }
    }

    /// `eMap`: plain keys, then tables, each in byte order (the map's own order).
    fn map(&mut self, key: &mut Vec<String>, m: &MapData, inline: bool) -> Result<(), Fail> {
        let (mut direct, mut sub) = (Vec::new(), Vec::new());
        for (k, v) in &m.entries {
            match self.kind(v)? {
                Kind::Table | Kind::ArrayOfTables => sub.push((k, v)),
                _ => direct.push((k, v)),
            }
        }
        if inline {
            self.write("{");
        }
        let trailing_comma = !sub.is_empty();
        for (group, trail) in [(direct, trailing_comma), (sub, false)] {
            let n = group.len();
            for (i, (k, v)) in group.into_iter().enumerate() {
                if v.is_go_nil() {
                    continue;
                }
                if inline {
                    self.key_value(&[k.to_string()], v, true)?;
                    // NOTE: counted over the keys before nil ones were skipped, as Go does: a
                    // nil last key leaves a `, ` before the `}`.
                    if trail || i != n - 1 {
                        self.write(", ");
                    }
                } else {
                    key.push(k.to_string());
                    let done = self.encode(key, v);
                    key.pop();
                    done?;
                }
            }
        }
        if inline {
            self.write("}");
        }
        Ok(())
    }

    fn key_value(&mut self, key: &[String], v: &Value, inline: bool) -> Result<(), Fail> {
        let Some(last) = key.last() else {
            // The document itself: written bare since v1.3.0.
            if self.toml < 3 {
                return Err(NO_KEY);
            }
            return self.element(v);
        };
        let head = format!("{}{} = ", indent(key), quoted_key(last));
        self.write(&head);
        self.element(v)?;
        if !inline {
            self.newline();
        }
        Ok(())
    }

    /// `eElement`: a value after `=`, in an array or an inline table.
    fn element(&mut self, v: &Value) -> Result<(), Fail> {
        self.depth += 1;
        let done = self.element_at(v);
        self.depth -= 1;
        done
    }

    fn element_at(&mut self, v: &Value) -> Result<(), Fail> {
        if self.depth > MAX_DEPTH {
            return Err(Fail::Deep);
        }
        match v {
            Value::Nil => Err(Fail::Panic(
                "reflect: call of reflect.Value.Interface on zero Value".into(),
            )),
            Value::Complex(..) => Err(COMPLEX),
            Value::Str(s) => {
                self.quoted(s);
                Ok(())
            }
            Value::Bool(b, origin) => {
                self.out
                    .push_with(if *b { "true" } else { "false" }, origin);
                self.written = true;
                Ok(())
            }
            Value::Int(n, t, origin) => {
                let text = match t {
                    IntType::Uint64 => (*n as u64).to_string(),
                    _ => n.to_string(),
                };
                self.out.push_with(&text, origin);
                self.written = true;
                Ok(())
            }
            Value::Float(f, origin) => {
                let text = self.float(*f);
                self.out.push_with(&text, origin);
                self.written = true;
                Ok(())
            }
            Value::Bytes(b) => {
                let items: Vec<String> = b.iter().map(u8::to_string).collect();
                self.write(&format!("[{}]", items.join(", ")));
                Ok(())
            }
            Value::List(l) => {
                self.write("[");
                for (i, item) in l.items.iter().enumerate() {
                    self.element(item)?;
                    if i + 1 != l.items.len() {
                        self.write(", ");
                    }
                }
                self.write("]");
                Ok(())
            }
            Value::Map(m) => self.map(&mut Vec::new(), &m.borrow(), true),
            Value::Object(o) if is_time(v) => {
                self.write(&time_text(o.as_ref()));
                Ok(())
            }
            Value::Object(o) => self.element(&o.to_plain()),
        }
    }

    fn float(&self, f: f64) -> String {
        if f.is_nan() {
            return if f.is_sign_negative() { "-nan" } else { "nan" }.into();
        }
        if f.is_infinite() {
            return if f < 0.0 { "-inf" } else { "inf" }.into();
        }
        let g = self.toml >= 6;
        let text = super::super::fmt::format_float(f, if g { 'g' } else { 'f' }, None);
        let whole = if g {
            !text.contains(['.', 'e'])
        } else {
            !text.contains('.')
        };
        if whole { text + ".0" } else { text }
    }

    fn quoted(&mut self, s: &Str) {
        let text = s.as_str();
        let escaped = escape(text);
        self.write("\"");
        if escaped == text {
            self.out.push_str(s);
        } else {
            self.out.push_with(&escaped, &s.whole_origin());
        }
        self.write("\"");
    }
}

/// A `time.Time` as the encoder writes it: RFC 3339 with nanoseconds, or, for the zones
/// `fromToml` gives local datetimes, dates and times, only the parts those have.
fn time_text(t: &dyn Object) -> String {
    let format = |layout: &str| match t.call("Format", &[Value::str(layout)]) {
        Some(Ok(Value::Str(s))) => s.as_str().to_string(),
        _ => String::new(),
    };
    let layout = match format("MST").as_str() {
        decode::LOCAL_DATETIME => "2006-01-02T15:04:05.999999999",
        decode::LOCAL_DATE => "2006-01-02",
        decode::LOCAL_TIME => "15:04:05.999999999",
        _ => "2006-01-02T15:04:05.999999999Z07:00",
    };
    format(layout)
}

/// Two spaces per level below the first (`indentStr`).
fn indent(key: &[String]) -> String {
    "  ".repeat(key.len().saturating_sub(1))
}

/// A key part bare when it is only `A-Za-z0-9_-`, else quoted; `""` when empty.
fn quoted_key(k: &str) -> String {
    if k.is_empty() {
        return "\"\"".into();
    }
    if k.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return k.into();
    }
    format!("\"{}\"", escape(k))
}

/// A table's dotted name (`Key.String`).
fn key_string(key: &[String]) -> String {
    key.iter()
        .map(|k| quoted_key(k))
        .collect::<Vec<_>>()
        .join(".")
}

/// `dblQuotedReplacer`: `"` and `\`, the C0 controls (`\b \t \n \f \r` by name, the rest as
/// `\u00XX`) and DEL.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

mod decode;
mod lex;
#[cfg(test)]
mod tests;

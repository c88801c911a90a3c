//! BurntSushi/toml's parser (`parse.go`) and what `Unmarshal` into a `map[string]interface{}`
//! keeps of it: tables as maps, arrays of tables as `[]map[string]interface {}`, integers as
//! `int64`, datetimes as `time.Time` in the zones the library names local ones by.
//!
//! The tables are shared and filled in place as Go's maps are, so that redefinitions are caught
//! (and missed) exactly where Go catches them. Errors are Go's `ParseError` texts.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::super::super::fmt::quote;
use super::super::super::value::{ElemType, ListData, Value};
use super::super::helm_yaml::MAX_DEPTH;
use super::super::sprig_date::{Time, ZoneName};
use super::super::sprig_date_parse;
use super::key_string;
use super::lex::{Item, Lexer, Ty, is_hex};
use crate::template::value::Entries;

/// The zone names of local datetimes, dates and times (`internal.LocalDatetime`…).
pub(super) const LOCAL_DATETIME: &str = "datetime-local";
pub(super) const LOCAL_DATE: &str = "date-local";
pub(super) const LOCAL_TIME: &str = "time-local";

/// Why decoding stopped.
pub(super) enum Fail {
    /// A `ParseError`: its `Error()` text, which `fromToml` puts under `Error`.
    Parse(String),
    /// A Go panic that is not a parse error (a bug path of the library): the template fails.
    Panic(String),
    /// Nesting past our depth limit (Go recurses on).
    Deep,
}

type Table = Rc<RefCell<HashMap<String, Tv>>>;

/// A decoded value (`any` in the parser).
#[derive(Clone)]
enum Tv {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Time(Time),
    Array(Vec<Tv>),
    Table(Table),
    Tables(Rc<RefCell<Vec<Table>>>),
}

/// The TOML types the parser records; only arrays matter to it.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Array,
    Other,
}

fn table() -> Table {
    Rc::new(RefCell::new(HashMap::new()))
}

/// `toml.Unmarshal(text, &map[string]interface{}{})`: the map, or the error.
/// `toml`: the minor version of the BurntSushi/toml 1.x imitated.
pub(super) fn decode(text: &str, toml: u8) -> Result<Value, Fail> {
    let mut data = text.as_bytes();
    for bom in [&b"\xff\xfe"[..], b"\xfe\xff", b"\xef\xbb\xbf"] {
        if data.starts_with(bom) {
            data = &data[bom.len()..];
            break;
        }
    }
    if data.iter().take(6).any(|&b| b == 0) {
        return Err(Fail::Parse(
            "toml: line 1: files cannot contain NULL bytes; probably using UTF-16; TOML files must be UTF-8"
                .into(),
        ));
    }
    let mut p = Parser {
        lx: Lexer::new(data, toml),
        context: Vec::new(),
        current_key: String::new(),
        line: 0,
        kinds: HashMap::new(),
        mapping: table(),
        implicits: HashSet::new(),
        depth: 0,
        v110: toml >= 6,
    };
    loop {
        let item = p.next()?;
        if item.ty == Ty::Eof {
            break;
        }
        p.top_level(item)?;
    }
    Ok(to_value(&Tv::Table(p.mapping)))
}

/// The decoded tree as template values.
fn to_value(v: &Tv) -> Value {
    match v {
        Tv::Str(s) => Value::str(s.as_str()),
        Tv::Int(n) => Value::int64(*n),
        Tv::Float(f) => Value::float(*f),
        Tv::Bool(b) => Value::Bool(*b, None),
        Tv::Time(t) => Value::Object(Rc::new(*t)),
        Tv::Array(items) => Value::list(items.iter().map(to_value).collect()),
        Tv::Table(t) => table_value(t),
        Tv::Tables(ts) => Value::List(Rc::new(ListData {
            items: ts.borrow().iter().map(table_value).collect(),
            elem: ElemType::Map,
            origin: None,
            nil: false,
        })),
    }
}

fn table_value(t: &Table) -> Value {
    let entries: Entries = t
        .borrow()
        .iter()
        .map(|(k, v)| (Rc::from(k.as_str()), to_value(v)))
        .collect();
    Value::map(entries)
}

struct Parser<'a> {
    lx: Lexer<'a>,
    /// The full key of the table in scope.
    context: Vec<String>,
    /// The last part of the key being set.
    current_key: String,
    /// The line of the last item read with `nextPos`.
    line: i64,
    kinds: HashMap<String, Kind>,
    mapping: Table,
    implicits: HashSet<String>,
    depth: usize,
    v110: bool,
}

impl Parser<'_> {
    /// `current`: the full key an error names.
    fn current(&self) -> String {
        if self.current_key.is_empty() {
            return key_string(&self.context);
        }
        if self.context.is_empty() {
            return self.current_key.clone();
        }
        format!("{}.{}", key_string(&self.context), self.current_key)
    }

    /// A `ParseError` on `line`.
    fn fail(&self, line: i64, msg: &str) -> Fail {
        let last = self.current();
        if last.is_empty() {
            return Fail::Parse(format!("toml: line {line}: {msg}"));
        }
        Fail::Parse(format!(
            "toml: line {line} (last key {}): {msg}",
            quote(&last)
        ))
    }

    /// `panicf`: at the last position read.
    fn failf(&self, msg: &str) -> Fail {
        self.fail(self.line, msg)
    }

    fn bug(msg: String) -> Fail {
        Fail::Panic(format!("BUG: {msg}\n\n"))
    }

    fn next(&mut self) -> Result<Item, Fail> {
        let item = self.lx.next_item().map_err(Fail::Panic)?;
        if item.ty == Ty::Error {
            return Err(self.fail(item.line, &item.val));
        }
        Ok(item)
    }

    fn next_pos(&mut self) -> Result<Item, Fail> {
        let item = self.next()?;
        self.line = item.line;
        Ok(item)
    }

    fn expect(&mut self, ty: Ty) -> Result<Item, Fail> {
        let item = self.next()?;
        if item.ty != ty {
            return Err(Self::bug(format!(
                "Expected '{ty:?}' but got '{:?}'.",
                item.ty
            )));
        }
        Ok(item)
    }

    /// The parts of a key up to `end`.
    fn key(&mut self, end: Ty) -> Result<Vec<String>, Fail> {
        let mut key = Vec::new();
        let mut name = self.next_pos()?;
        while name.ty != end && name.ty != Ty::Eof {
            key.push(self.key_string(&name)?);
            name = self.next()?;
        }
        if name.ty != end {
            return Err(Self::bug(format!(
                "Expected '{end:?}' but got '{:?}'.",
                name.ty
            )));
        }
        Ok(key)
    }

    fn top_level(&mut self, item: Item) -> Result<(), Fail> {
        match item.ty {
            Ty::CommentStart => {
                self.expect(Ty::Text)?;
            }
            Ty::TableStart | Ty::ArrayTableStart => {
                let array = item.ty == Ty::ArrayTableStart;
                let end = if array {
                    Ty::ArrayTableEnd
                } else {
                    Ty::TableEnd
                };
                let key = self.key(end)?;
                self.add_context(&key, array)?;
                self.set_type("", Kind::Other);
            }
            Ty::KeyStart => {
                let outer = self.context.clone();
                self.key_value()?;
                self.context = outer;
                self.current_key.clear();
            }
            ty => return Err(Self::bug(format!("Unexpected type at top level: {ty:?}"))),
        }
        Ok(())
    }

    /// The key of `key = value` (its `KeyStart` read) with its implicit tables; the value is
    /// left to the caller.
    fn key_value_key(&mut self) -> Result<Vec<String>, Fail> {
        let key = self.key(Ty::KeyEnd)?;
        self.current_key = key.last().cloned().unwrap_or_default();
        let parents = key.len().saturating_sub(1);
        for part in &key[..parents] {
            let mut k = self.context.clone();
            k.push(part.clone());
            self.add_implicit(&k);
            self.add_context(&k, false)?;
        }
        Ok(key)
    }

    fn key_value(&mut self) -> Result<(), Fail> {
        self.key_value_key()?;
        let item = self.next()?;
        let (val, kind) = self.value(&item, false)?;
        let key = self.current_key.clone();
        self.set_value(&key, val)?;
        self.set_type(&key, kind);
        Ok(())
    }

    fn key_string(&mut self, item: &Item) -> Result<String, Fail> {
        match item.ty {
            Ty::Text => Ok(item.val.clone()),
            Ty::String
            | Ty::StringEsc
            | Ty::MultilineString
            | Ty::RawString
            | Ty::RawMultilineString => match self.value(item, false)?.0 {
                Tv::Str(s) => Ok(s),
                _ => Err(Self::bug("key is not a string".into())),
            },
            ty => Err(Self::bug(format!("Unexpected key type: {ty:?}"))),
        }
    }

    fn value(&mut self, item: &Item, in_array: bool) -> Result<(Tv, Kind), Fail> {
        let other = |v: Tv| Ok((v, Kind::Other));
        match item.ty {
            Ty::String | Ty::RawString => other(Tv::Str(item.val.clone())),
            Ty::StringEsc => other(Tv::Str(self.replace_escapes(item, &item.val)?)),
            Ty::MultilineString => {
                let s = strip_escaped_newlines(strip_first_newline(&item.val));
                other(Tv::Str(self.replace_escapes(item, &s)?))
            }
            Ty::RawMultilineString => other(Tv::Str(strip_first_newline(&item.val).into())),
            Ty::Integer => other(Tv::Int(self.integer(item)?)),
            Ty::Float => other(Tv::Float(self.float(item)?)),
            Ty::Bool => other(Tv::Bool(item.val == "true")),
            Ty::Datetime => other(Tv::Time(self.datetime(item)?)),
            Ty::Array | Ty::InlineTableStart => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(Fail::Deep);
                }
                let done = if item.ty == Ty::Array {
                    self.array()
                } else {
                    self.inline_table(in_array)
                };
                self.depth -= 1;
                done
            }
            ty => Err(Self::bug(format!("Unexpected value type: {ty:?}"))),
        }
    }

    fn integer(&self, item: &Item) -> Result<i64, Fail> {
        let s = item.val.as_str();
        if !underscores_ok(s) {
            return Err(self.fail(
                item.line,
                &format!(
                    "Invalid integer {}: underscores must be surrounded by digits",
                    quote(s)
                ),
            ));
        }
        if has_leading_zero(s) {
            return Err(self.fail(
                item.line,
                &format!("Invalid integer {}: cannot have leading zeroes", quote(s)),
            ));
        }
        match parse_int(s) {
            Some(Ok(n)) => Ok(n),
            Some(Err(())) => Err(self.fail(item.line, &format!("{s} is out of range for int64"))),
            None => Err(Self::bug(format!("Expected integer value, but got '{s}'."))),
        }
    }

    fn float(&self, item: &Item) -> Result<f64, Fail> {
        let s = item.val.as_str();
        let bad = |what: &str| self.fail(item.line, &format!("Invalid float {}: {what}", quote(s)));
        let parts: Vec<&str> = s.split(['.', 'e', 'E']).filter(|p| !p.is_empty()).collect();
        if !parts.iter().all(|p| underscores_ok(p)) {
            return Err(bad("underscores must be surrounded by digits"));
        }
        if parts.first().is_some_and(|p| has_leading_zero(p)) {
            return Err(bad("cannot have leading zeroes"));
        }
        if !periods_ok(s) {
            return Err(bad("'.' must be followed by one or more digits"));
        }
        let mut val = s.replace('_', "");
        let negative_nan = val == "-nan";
        if val == "+nan" || negative_nan {
            val = "nan".into();
        }
        match parse_float(&val) {
            Some(f) if f.is_infinite() && !val.to_ascii_lowercase().contains("inf") => {
                Err(self.fail(item.line, &format!("{s} is out of range for float64")))
            }
            Some(f) if negative_nan => Ok(-f.abs()),
            Some(f) => Ok(f),
            None => Err(self.fail(item.line, &format!("Invalid float value: {}", quote(s)))),
        }
    }

    fn datetime(&self, item: &Item) -> Result<Time, Fail> {
        let val: String = item
            .val
            .chars()
            .map(|c| match c {
                'z' => 'Z',
                't' | ' ' => 'T',
                c => c,
            })
            .collect();
        const LAYOUTS: [(&str, Option<&str>, bool); 7] = [
            ("2006-01-02T15:04:05.999999999Z07:00", None, false),
            ("2006-01-02T15:04:05.999999999", Some(LOCAL_DATETIME), false),
            ("2006-01-02", Some(LOCAL_DATE), false),
            ("15:04:05.999999999", Some(LOCAL_TIME), false),
            ("2006-01-02T15:04Z07:00", None, true),
            ("2006-01-02T15:04", Some(LOCAL_DATETIME), true),
            ("15:04", Some(LOCAL_TIME), true),
        ];
        let invalid = || self.fail(item.line, &format!("invalid datetime: {}", quote(&val)));
        for (layout, local, toml110) in LAYOUTS {
            if toml110 && !self.v110 {
                continue;
            }
            let Ok(mut t) = sprig_date_parse::parse(layout, &val) else {
                continue;
            };
            if missing_leading_zero(&val, layout) {
                return Err(invalid());
            }
            if let Some(name) = local {
                t.zone = Some((0, ZoneName::new(name).unwrap_or_default()));
            }
            return Ok(t);
        }
        Err(invalid())
    }

    fn array(&mut self) -> Result<(Tv, Kind), Fail> {
        let key = self.current_key.clone();
        self.set_type(&key, Kind::Array);
        let mut items = Vec::new();
        loop {
            let item = self.next()?;
            match item.ty {
                Ty::ArrayEnd => break,
                Ty::CommentStart => {
                    self.expect(Ty::Text)?;
                }
                _ => items.push(self.value(&item, true)?.0),
            }
        }
        Ok((Tv::Array(items), Kind::Array))
    }

    fn inline_table(&mut self, in_array: bool) -> Result<(Tv, Kind), Fail> {
        let top = table();
        let outer_context = self.context.clone();
        let outer_key = std::mem::take(&mut self.current_key);
        self.context.push(outer_key.clone());
        let prev_context = self.context.clone();
        let ctx = self.context.clone();
        self.add_implicit(&ctx);
        self.add_context(&ctx, in_array)?;
        loop {
            let item = self.next()?;
            match item.ty {
                Ty::InlineTableEnd => break,
                Ty::CommentStart => {
                    self.expect(Ty::Text)?;
                    continue;
                }
                _ => {}
            }
            let key = self.key_value_key()?;
            let next = self.next()?;
            let (val, kind) = self.value(&next, false)?;
            let name = self.current_key.clone();
            self.set_value(&name, val.clone())?;
            self.set_type(&name, kind);
            let mut hash = top.clone();
            for part in &key[..key.len().saturating_sub(1)] {
                let sub = hash.borrow().get(part).cloned();
                let sub = match sub {
                    Some(v) => v,
                    None => {
                        let t = Tv::Table(table());
                        hash.borrow_mut().insert(part.clone(), t.clone());
                        t
                    }
                };
                match sub {
                    Tv::Table(t) => hash = t,
                    _ => {
                        let msg = format!("{} is not a table", quote(&key_string(&self.context)));
                        return Err(self.failf(&msg));
                    }
                }
            }
            hash.borrow_mut().insert(name, val);
            self.context = prev_context.clone();
        }
        self.context = outer_context;
        self.current_key = outer_key;
        Ok((Tv::Table(top), Kind::Other))
    }

    /// `addContext`: make `key` the table in scope, creating its parents implicitly.
    fn add_context(&mut self, key: &[String], array: bool) -> Result<(), Fail> {
        let mut hash = self.mapping.clone();
        let mut key_context: Vec<String> = Vec::new();
        let (last, parents) = match key.split_last() {
            Some((last, parents)) => (last.clone(), parents),
            None => return Err(Fail::Panic("runtime error: index out of range [-1]".into())),
        };
        for k in parents {
            key_context.push(k.clone());
            if !hash.borrow().contains_key(k) {
                self.add_implicit(&key_context);
                hash.borrow_mut().insert(k.clone(), Tv::Table(table()));
            }
            let sub = hash.borrow().get(k).cloned();
            hash = match sub {
                Some(Tv::Tables(ts)) => last_table(&ts)?,
                Some(Tv::Table(t)) => t,
                _ => {
                    let msg = format!(
                        "Key '{}' was already created as a hash.",
                        key_string(&key_context)
                    );
                    return Err(self.failf(&msg));
                }
            };
        }
        self.context = key_context;
        if array {
            let existing = hash.borrow().get(&last).cloned();
            match existing {
                None => {
                    let ts = Rc::new(RefCell::new(vec![table()]));
                    hash.borrow_mut().insert(last.clone(), Tv::Tables(ts));
                }
                Some(Tv::Tables(ts)) => ts.borrow_mut().push(table()),
                Some(_) => {
                    let msg = format!(
                        "Key '{}' was already created and cannot be used as an array.",
                        key_string(key)
                    );
                    return Err(self.failf(&msg));
                }
            }
        } else {
            self.set_value(&last, Tv::Table(table()))?;
        }
        self.context.push(last);
        Ok(())
    }

    /// `setValue`: set `key` in the table in scope, unless it is defined already.
    fn set_value(&mut self, key: &str, value: Tv) -> Result<(), Fail> {
        let mut hash = self.mapping.clone();
        let mut key_context: Vec<String> = Vec::new();
        for k in &self.context {
            key_context.push(k.clone());
            let sub = hash.borrow().get(k).cloned();
            hash = match sub {
                None => {
                    return Err(Self::bug(format!(
                        "Context for key '{}' has not been established.",
                        key_string(&key_context)
                    )));
                }
                Some(Tv::Tables(ts)) => last_table(&ts)?,
                Some(Tv::Table(t)) => t,
                Some(_) => {
                    let msg = format!(
                        "Key '{}' has already been defined.",
                        key_string(&key_context)
                    );
                    return Err(self.failf(&msg));
                }
            };
        }
        key_context.push(key.to_string());
        let name = key_string(&key_context);
        if hash.borrow().contains_key(key) {
            if self.kinds.get(&name) == Some(&Kind::Array) {
                if self.v110 && !self.implicits.contains(&name) {
                    return Err(self.failf(&format!("Key '{name}' has already been defined.")));
                }
                self.implicits.remove(&name);
                hash.borrow_mut().insert(key.to_string(), value);
                return Ok(());
            }
            if self.implicits.remove(&name) {
                return Ok(());
            }
            return Err(self.failf(&format!("Key '{name}' has already been defined.")));
        }
        hash.borrow_mut().insert(key.to_string(), value);
        Ok(())
    }

    /// `setType`: record the kind of `key` in scope (of the table in scope when empty).
    fn set_type(&mut self, key: &str, kind: Kind) {
        let mut k = self.context.clone();
        if !key.is_empty() {
            k.push(key.to_string());
        }
        if k.is_empty() {
            k.push(String::new());
        }
        self.kinds.insert(key_string(&k), kind);
    }

    fn add_implicit(&mut self, key: &[String]) {
        self.implicits.insert(key_string(key));
    }

    fn replace_escapes(&self, item: &Item, s: &str) -> Result<String, Fail> {
        let mut out = String::with_capacity(s.len());
        let b = s.as_bytes();
        let mut chars = s.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            let Some(&e) = b.get(i + 1) else {
                return Err(Self::bug("Escape sequence at end of string.".into()));
            };
            let (text, skip) = match e {
                b' ' | b'\t' => {
                    let msg = format!("invalid escape: '\\{}'", char::from(e));
                    return Err(self.fail(item.line, &msg));
                }
                b'b' => ('\u{8}', 1),
                b't' => ('\t', 1),
                b'n' => ('\n', 1),
                b'f' => ('\u{c}', 1),
                b'r' => ('\r', 1),
                b'e' => ('\u{1b}', 1),
                b'"' => ('"', 1),
                b'\\' => ('\\', 1),
                b'x' | b'u' | b'U' => {
                    let n = match e {
                        b'x' => 2,
                        b'u' => 4,
                        _ => 8,
                    };
                    let hex = s.get(i + 2..i + 2 + n).unwrap_or_default();
                    (self.unicode_escape(item, hex)?, n + 1)
                }
                _ => {
                    let msg = format!(
                        "Expected valid escape code after \\, but got {}.",
                        quote_byte(e)
                    );
                    return Err(Self::bug(msg));
                }
            };
            out.push(text);
            for _ in 0..skip {
                chars.next();
            }
        }
        Ok(out)
    }

    fn unicode_escape(&self, item: &Item, hex: &str) -> Result<char, Fail> {
        if hex.is_empty() || !hex.chars().all(|c| is_hex(u32::from(c))) {
            return Err(Self::bug(format!(
                "Could not parse '{hex}' as a hexadecimal number"
            )));
        }
        let n = u32::from_str_radix(hex, 16).unwrap_or(u32::MAX);
        char::from_u32(n).ok_or_else(|| {
            self.fail(
                item.line,
                &format!("Escaped character '\\u{hex}' is not valid UTF-8."),
            )
        })
    }
}

fn last_table(ts: &Rc<RefCell<Vec<Table>>>) -> Result<Table, Fail> {
    ts.borrow()
        .last()
        .cloned()
        .ok_or_else(|| Fail::Panic("runtime error: index out of range [-1]".into()))
}

/// Go's `%q` of a byte.
fn quote_byte(b: u8) -> String {
    super::super::super::fmt::quote_rune(u32::from(b))
}

/// `numUnderscoresOK`: each `_` between two hex digits.
fn underscores_ok(s: &str) -> bool {
    if matches!(s, "nan" | "+nan" | "-nan" | "inf" | "-inf" | "+inf") {
        return true;
    }
    let mut accept = false;
    for c in s.chars() {
        if c == '_' && !accept {
            return false;
        }
        accept = is_hex(u32::from(c));
    }
    accept
}

/// `numHasLeadingZero`.
fn has_leading_zero(s: &str) -> bool {
    let b = s.as_bytes();
    (b.len() > 1 && b[0] == b'0' && !matches!(b[1], b'b' | b'o' | b'x'))
        || (b.len() > 2 && matches!(b[0], b'-' | b'+') && b[1] == b'0')
}

/// `numPeriodsOK`: every `.` followed by a digit.
fn periods_ok(s: &str) -> bool {
    let mut period = false;
    for c in s.chars() {
        if period && !c.is_ascii_digit() {
            return false;
        }
        period = c == '.';
    }
    !period
}

/// `strconv.ParseInt(s, 0, 64)` on what the checks above let through: `None` on a syntax error,
/// `Some(Err)` out of range.
fn parse_int(s: &str) -> Option<Result<i64, ()>> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let body = body.replace('_', "");
    let (radix, digits) = match body.get(..2) {
        Some("0b") => (2, &body[2..]),
        Some("0o") => (8, &body[2..]),
        Some("0x") => (16, &body[2..]),
        _ if body.len() > 1 && body.starts_with('0') => (8, &body[1..]),
        _ => (10, &body[..]),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let Ok(u) = u64::from_str_radix(digits, radix) else {
        return Some(Err(()));
    };
    let n = if neg {
        0i64.checked_sub_unsigned(u)
    } else {
        i64::try_from(u).ok()
    };
    Some(n.ok_or(()))
}

/// `strconv.ParseFloat(s, 64)` for the decimal forms the lexer passes on; an overflow is an
/// infinity (Go's range error), `None` a syntax error.
fn parse_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = body.to_ascii_lowercase();
    if !matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        let b = body.as_bytes();
        let mut i = 0;
        let digits = |i: &mut usize| {
            let from = *i;
            while b.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i - from
        };
        let mut mantissa = digits(&mut i);
        if b.get(i) == Some(&b'.') {
            i += 1;
            mantissa += digits(&mut i);
        }
        if mantissa == 0 {
            return None;
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if digits(&mut i) == 0 {
                return None;
            }
        }
        if i != b.len() {
            return None;
        }
    }
    s.parse::<f64>().ok()
}

/// `missingLeadingZero`: a separator of the layout not where the value has it.
fn missing_leading_zero(d: &str, layout: &str) -> bool {
    let d = d.as_bytes();
    for (i, c) in layout.bytes().enumerate() {
        if c == b'.' || c == b'Z' {
            return false;
        }
        if !c.is_ascii_digit() && d.get(i) != Some(&c) {
            return true;
        }
    }
    false
}

fn strip_first_newline(s: &str) -> &str {
    s.strip_prefix('\n')
        .or_else(|| s.strip_prefix("\r\n"))
        .unwrap_or(s)
}

/// `stripEscapedNewlines`: a `\` followed by whitespace up to a newline drops all of it and
/// the whitespace after.
fn strip_escaped_newlines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut s = s;
    let mut i = 0;
    loop {
        let Some(ix) = s[i..].find('\\') else {
            out.push_str(s);
            return out;
        };
        i += ix;
        if s.as_bytes().get(i + 1) == Some(&b'\\') {
            i += 2;
            continue;
        }
        let mut j = i + 1;
        while matches!(s.as_bytes().get(j), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            j += 1;
        }
        if j == i + 1 || !s[i..j].contains('\n') {
            i += 1;
            continue;
        }
        out.push_str(&s[..i]);
        s = &s[j..];
        i = 0;
    }
}

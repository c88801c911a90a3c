//! Helm's `toYaml`: `sigs.k8s.io/yaml.Marshal`, i.e. `encoding/json` first, then go-yaml v2 reads
//! the JSON back (picking int, uint64 or float64 for each number) and writes it out.
//!
//! The JSON round trip decides the types the emitter sees: a float64 with an integral value
//! becomes an integer (`1.0` → `1`), others print with Go's shortest `%g` (`1e+21`, `1.5e-07`),
//! map keys are strings sorted by go-yaml's "natural" order (`a2` before `a10`). Strings keep
//! their text and are quoted when go-yaml v2 would read them back as something else.

use std::rc::Rc;

use super::super::FuncError;
use super::super::value::{Str, Value};
use super::super::values_bridge;
use super::helm_json::{self, JsonError, Walk};
use super::yaml_emit::{self, Node};
use super::{Ctx, args};
use crate::source::FileId;

/// How deep `toYaml`/`toJson` follow nested values before giving up (values files stop at 200
/// levels; only a template building a value in a loop gets deeper).
pub(crate) const MAX_DEPTH: usize = 500;

/// `toYaml`: the YAML text without its final line break, or `""` when the value cannot be
/// marshalled (a NaN or infinite float, a cycle). Each scalar's text keeps its provenance.
pub(crate) fn to_yaml(v: &Value) -> Str {
    to_yaml_checked(v).unwrap_or_else(|_| Str::new(""))
}

/// [`to_yaml`] with `sigs.k8s.io/yaml.Marshal`'s error (Helm 4's `mustToYaml`): `error
/// marshaling into JSON: …` for what `encoding/json` refuses, go-yaml's own when it reads the
/// JSON back.
pub(crate) fn to_yaml_checked(v: &Value) -> Result<Str, String> {
    match to_node(v, &mut Walk::default()) {
        Ok(node) => {
            let (mut text, mut segs) = yaml_emit::emit(&node);
            if text.ends_with('\n') {
                text.pop();
                let len = text.len() as u32;
                segs.retain(|s| s.start < len);
                for s in &mut segs {
                    s.end = s.end.min(len);
                }
            }
            Ok(Str::from_parts(text, segs))
        }
        Err(JsonError(msg)) if msg.starts_with("yaml:") => Err(msg),
        Err(JsonError(msg)) => Err(format!("error marshaling into JSON: {msg}")),
    }
}

/// Helm's `toYamlPretty`: go-yaml v3's `Encoder` with `SetIndent(2)` on the value itself (no
/// JSON round trip: numbers keep their Go type, a float64 prints with `%g` as `1e+06`, NaN and
/// infinities as `.nan`/`.inf`), without the final line break.
///
/// NOTE: a value that contains itself overflows Go's stack (Helm dies); here it is `""`, as
/// for the other encoding failures Helm swallows.
#[cfg(test)]
pub fn to_yaml_pretty(v: &Value) -> Str {
    try_to_yaml_pretty(v).unwrap_or_default()
}

/// go-yaml v3's panic on a complex number, which text/template reports as the call's error.
const CANNOT_MARSHAL_COMPLEX: &str = "cannot marshal type: complex128";

/// [`to_yaml_pretty`], or go-yaml v3's panic (the one error Helm does not swallow).
pub(crate) fn try_to_yaml_pretty(v: &Value) -> Result<Str, String> {
    Ok(match to_node_v3(v, &mut Walk::default()) {
        Ok(node) => {
            let (mut text, mut segs) = yaml_emit::emit_v3(&node);
            if text.ends_with('\n') {
                text.pop();
                let len = text.len() as u32;
                segs.retain(|s| s.start < len);
                for s in &mut segs {
                    s.end = s.end.min(len);
                }
            }
            Str::from_parts(text, segs)
        }
        Err(JsonError(msg)) if msg == CANNOT_MARSHAL_COMPLEX => return Err(msg),
        Err(_) => Str::new(""),
    })
}

/// The node go-yaml v3 encodes for `v`.
pub(super) fn to_node_v3(v: &Value, walk: &mut Walk) -> Result<Node, JsonError> {
    walk.enter(v)?;
    let node = match v {
        Value::Nil => plain("null"),
        Value::Bool(b, o) => Node::Scalar(Str::with_origin(b.to_string(), o), false),
        Value::Int(..) => {
            let text = helm_json::number_text(v).unwrap_or_default();
            Node::Scalar(Str::with_origin(text, &v.origin()), false)
        }
        Value::Float(f, o) => {
            let text = match crate::value::go_float(*f).as_str() {
                "NaN" => ".nan".to_string(),
                "+Inf" => ".inf".to_string(),
                "-Inf" => "-.inf".to_string(),
                other => other.to_string(),
            };
            Node::Scalar(Str::with_origin(text, o), false)
        }
        // go-yaml v3 panics: `cannot marshal type: complex128`.
        Value::Complex(..) => return Err(JsonError(CANNOT_MARSHAL_COMPLEX.into())),
        Value::Str(s) => Node::Scalar(s.clone(), true),
        // A `[]byte` is a slice like any other: a sequence of its bytes as numbers.
        Value::Bytes(b) => Node::Seq(b.iter().map(|x| plain(&x.to_string())).collect()),
        Value::List(l) => Node::Seq(
            l.items
                .iter()
                .map(|item| to_node_v3(item, walk))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(m) => {
            let m = m.borrow();
            let mut entries = Vec::with_capacity(m.entries.len());
            for (k, item) in &m.entries {
                entries.push((k.clone(), to_node_v3(item, walk)?));
            }
            Node::Map(sort_keys(entries, true))
        }
        Value::Object(o) => to_node_v3(&o.to_plain(), walk)?,
    };
    walk.leave(v);
    Ok(node)
}

/// The node go-yaml v2 marshals for `v` after `json.Marshal` and `yaml.Unmarshal`.
pub(super) fn to_node(v: &Value, walk: &mut Walk) -> Result<Node, JsonError> {
    walk.enter(v)?;
    let node = match v {
        Value::Nil => plain("null"),
        Value::Bool(b, o) => Node::Scalar(Str::with_origin(b.to_string(), o), false),
        Value::Int(..) => {
            let text = helm_json::number_text(v).unwrap_or_default();
            Node::Scalar(Str::with_origin(text, &v.origin()), false)
        }
        Value::Float(f, o) => Node::Scalar(Str::with_origin(yaml_float(*f)?, o), false),
        Value::Complex(..) => {
            return Err(JsonError("json: unsupported type: complex128".into()));
        }
        Value::Str(s) => Node::Scalar(reread_string(s)?, true),
        Value::Bytes(b) => Node::Scalar(Str::new(helm_json::base64(b)), true),
        // JSON's `null` for a nil slice or map.
        Value::List(l) if l.nil => plain("null"),
        Value::Map(m) if m.borrow().nil => plain("null"),
        Value::List(l) => Node::Seq(
            l.items
                .iter()
                .map(|item| to_node(item, walk))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(m) => {
            let m = m.borrow();
            let mut entries = Vec::with_capacity(m.entries.len());
            for (k, item) in &m.entries {
                // Printable ASCII (nearly every key) holds nothing go-yaml reads back otherwise.
                let key = if k.bytes().all(|b| b < 0x7f) {
                    k.clone()
                } else {
                    // A raw NEL breaks the line, and a flow mapping key must fit on one.
                    if k.contains('\u{85}') {
                        return Err(JsonError("yaml: could not find expected ':'".into()));
                    }
                    reread_string(&Str::new(k.clone()))?.text().clone()
                };
                entries.push((key, to_node(item, walk)?));
            }
            Node::Map(sort_keys(entries, false))
        }
        Value::Object(o) => to_node(&o.to_plain(), walk)?,
    };
    walk.leave(v);
    Ok(node)
}

/// A JSON string as go-yaml reads it back: its reader rejects some characters `encoding/json`
/// leaves raw (DEL, C1 controls but NEL, U+FFFE, U+FFFF), and a raw NEL is a line break inside
/// a double-quoted scalar, folded like one (one break and the spaces around it become a space,
/// `n` breaks become `n-1` newlines).
fn reread_string(s: &Str) -> Result<Str, JsonError> {
    // `json.Marshal` writes each byte that is no UTF-8 as U+FFFD (the provenance of such a
    // rare string is dropped).
    if crate::template::go_bytes::has_raw(s.as_str()) {
        let fixed: String = s
            .as_str()
            .chars()
            .map(|c| match crate::template::go_bytes::raw_byte(c) {
                Some(_) => '\u{FFFD}',
                None => c,
            })
            .collect();
        return reread_string(&Str::new(fixed));
    }
    let text = s.as_str();
    // Printable ASCII and line breaks hold none of the characters below (most strings).
    if text.bytes().all(|b| b < 0x7f) {
        return Ok(s.clone());
    }
    let bad =
        |c: char| matches!(c, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}');
    if text.contains(bad) {
        return Err(JsonError("yaml: control characters are not allowed".into()));
    }
    if !text.contains('\u{85}') {
        return Ok(s.clone());
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != ' ' && chars[i] != '\u{85}' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let run_end = (i..chars.len())
            .find(|&j| chars[j] != ' ' && chars[j] != '\u{85}')
            .unwrap_or(chars.len());
        let breaks = chars[i..run_end].iter().filter(|&&c| c == '\u{85}').count();
        match breaks {
            0 => out.extend(&chars[i..run_end]),
            1 => out.push(' '),
            n => out.extend(std::iter::repeat_n('\n', n - 1)),
        }
        // After a break the reader is at column 0: `---` or `...` there ends the document.
        let rest: String = chars[run_end..].iter().take(4).collect();
        if breaks > 0
            && (rest.starts_with("---") || rest.starts_with("..."))
            && rest[3..]
                .chars()
                .next()
                .is_some_and(|c| c == ' ' || c == '\u{85}')
        {
            return Err(JsonError(
                "yaml: found unexpected document indicator".into(),
            ));
        }
        i = run_end;
    }
    Ok(Str::with_origin(out, &s.whole_origin()))
}

fn plain(s: &str) -> Node {
    Node::Scalar(Str::new(s), false)
}

/// A float64 after JSON and back: `encoding/json` writes it (`'f'` format, `'e'` outside
/// [1e-6, 1e21)), go-yaml reads that text as an int when it has no fraction or exponent and
/// fits, else as a float64 it prints with `%g`.
fn yaml_float(f: f64) -> Result<String, JsonError> {
    // A whole number below 2^53 has JSON text with no fraction, read back as that int (a
    // negative zero as 0).
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        return Ok((f as i64).to_string());
    }
    let json = helm_json::float_text(f)?;
    if let Ok(i) = json.parse::<i64>() {
        return Ok(i.to_string());
    }
    if let Ok(u) = json.parse::<u64>() {
        return Ok(u.to_string());
    }
    Ok(crate::value::go_float(f))
}

/// Sorts mapping entries as go-yaml v2's `keyList` does (v3's with `v3`).
fn sort_keys(entries: Vec<(Rc<str>, Node)>, v3: bool) -> Vec<(Rc<str>, Node)> {
    // NOTE: a merge sort of our own: `keyList.Less` is not a total order for every input (`18x0`
    // < `1a._9` < `9.zz` < `18x0`), and the standard sorts may panic on such a comparator. Go's
    // output for such keys depends on map iteration order, so Helm itself varies from run to
    // run; any order is as right as another.
    fn merge_sort(mut v: Vec<(Rc<str>, Node)>, v3: bool) -> Vec<(Rc<str>, Node)> {
        if v.len() <= 1 {
            return v;
        }
        let right = v.split_off(v.len() / 2);
        let (left, right) = (merge_sort(v, v3), merge_sort(right, v3));
        let mut out = Vec::with_capacity(left.len() + right.len());
        let (mut l, mut r) = (left.into_iter().peekable(), right.into_iter().peekable());
        loop {
            let take_right = match (l.peek(), r.peek()) {
                (Some(a), Some(b)) => key_less_as(&b.0, &a.0, v3),
                (Some(_), None) => false,
                (None, Some(_)) => true,
                (None, None) => break,
            };
            let next = if take_right { r.next() } else { l.next() };
            out.extend(next);
        }
        out
    }
    let already_sorted = entries
        .windows(2)
        .all(|w| key_less_as(&w[0].0, &w[1].0, v3));
    if already_sorted {
        entries
    } else {
        merge_sort(entries, v3)
    }
}

/// go-yaml v2's `keyList.Less` for two string keys: letters compare by code point, a non-letter
/// sorts before a letter, and runs of digits compare as numbers (`a2` < `a10`). With `v3`,
/// v3's: after a digit both keys share, a letter sorts before a non-letter (`a1b` < `a12`; v2
/// has `a12` < `a1b`).
fn key_less_as(a: &str, b: &str, v3: bool) -> bool {
    if a.is_ascii() && b.is_ascii() {
        key_less_chars(a.as_bytes(), b.as_bytes(), v3)
    } else {
        let (ar, br): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        key_less_chars(&ar, &br, v3)
    }
}

/// [`key_less_as`] on the characters (Go's `[]rune`) of both keys.
fn key_less_chars<C: Copy + Into<char> + PartialEq>(ar: &[C], br: &[C], v3: bool) -> bool {
    // NOTE: Go's `unicode.IsDigit`/`IsLetter` approximated by Rust's `is_numeric`/`is_alphabetic`
    // beyond ASCII.
    let is_digit = |c: C| {
        let c: char = c.into();
        c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
    };
    let digit_value = |c: C| i64::from(u32::from(c.into())) - i64::from(b'0');
    let mut digits = false;
    for i in 0..ar.len().min(br.len()) {
        let (ac, bc): (char, char) = (ar[i].into(), br[i].into());
        if ac == bc {
            digits = is_digit(ar[i]);
            continue;
        }
        let (al, bl) = (ac.is_alphabetic(), bc.is_alphabetic());
        if al && bl {
            return ac < bc;
        }
        if al || bl {
            return if v3 && digits { al } else { bl };
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ac == '0' || bc == '0' {
            for j in (0..i).rev() {
                if !is_digit(ar[j]) {
                    break;
                }
                if ar[j].into() != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && is_digit(ar[ai]) {
            an = an.wrapping_mul(10).wrapping_add(digit_value(ar[ai]));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && is_digit(br[bi]) {
            bn = bn.wrapping_mul(10).wrapping_add(digit_value(br[bi]));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ac < bc;
    }
    ar.len() < br.len()
}

/// `fromYaml`: the first document as a map, or `{"Error": message}`.
pub(crate) fn from_yaml(ctx: &mut Ctx, args: &[Value]) -> Result<Value, FuncError> {
    args::arity(args, 1)?;
    let text = args::string(&args[0])?;
    let message = match ctx.yaml_cache.parsed(text, parse_first_document) {
        Ok(v @ Value::Map(_)) => return Ok(v),
        Ok(Value::Nil) => return Ok(Value::empty_map()),
        Ok(other) => unmarshal_error(&other, "map[string]interface {}"),
        Err(e) => worded(ctx, e),
    };
    Ok(helm_json::error_map(message))
}

/// A read error as the Helm's sigs.k8s.io/yaml words it: before 1.4 (Helm 3.15) its own
/// error began in capitals (`Unsupported map key of type`).
fn worded(ctx: &Ctx, message: String) -> String {
    if ctx.build.sigs_yaml() >= (1, 4) {
        return message;
    }
    message.replacen(
        "unsupported map key of type",
        "Unsupported map key of type",
        1,
    )
}

/// `fromYamlArray`: the first document as a list, or a list holding the error message.
pub(crate) fn from_yaml_array(ctx: &mut Ctx, args: &[Value]) -> Result<Value, FuncError> {
    args::arity(args, 1)?;
    let text = args::string(&args[0])?;
    let message = match ctx.yaml_cache.parsed(text, parse_first_document) {
        Ok(v @ Value::List(_)) => return Ok(v),
        Ok(Value::Nil) => return Ok(Value::list(Vec::new())),
        Ok(other) => unmarshal_error(&other, "[]interface {}"),
        Err(e) => worded(ctx, e),
    };
    Ok(Value::list(vec![Value::str(message)]))
}

/// The message sigs.k8s.io/yaml gives for a file go-yaml cannot read (`error converting YAML to
/// JSON: yaml: line 1: did not find expected node content`), as Helm's chart loader reports it.
pub(crate) fn yaml_to_json_error(text: &str) -> Option<String> {
    parse_first_document(&Str::from(text)).err()
}

/// encoding/json's name for the type of a document's top level that is neither a map nor null
/// (`array`, `string`), where a chart file must be a map.
pub(crate) fn top_level_type(text: &str) -> Option<&'static str> {
    match parse_first_document(&Str::from(text)).ok()? {
        Value::List(_) => Some("array"),
        Value::Str(..) => Some("string"),
        Value::Bool(..) => Some("bool"),
        Value::Int(..) | Value::Float(..) => Some("number"),
        _ => None,
    }
}

fn unmarshal_error(v: &Value, target: &str) -> String {
    format!(
        "error unmarshaling JSON: while decoding JSON: {}",
        helm_json::type_error(v, target)
    )
}

/// Reads the first YAML document of `text` with Helm's typing (go-yaml v2, then JSON: numbers
/// are float64). A scalar read from a part of `text` that came from a value keeps that value's
/// provenance, so `fromYaml (toYaml .Values.x)` still knows its origins.
fn parse_first_document(text: &Str) -> Result<Value, String> {
    let s = text.as_str();
    // go-yaml's reader decodes the text before the parser sees it.
    if let Some(problem) = crate::template::go_bytes::yaml_reader_error(s) {
        return Err(format!("error converting YAML to JSON: yaml: {problem}"));
    }
    // NOTE: a last line of only blanks, with no line break after it, is no line to go-yaml;
    // the loader would count it as one more break of a block scalar before it.
    let s = match s.rfind('\n') {
        // A tab there is no blank to go-yaml's scanner but a token it cannot read (the loader
        // fails on it as go-yaml does).
        Some(nl) if s[nl + 1..].chars().all(|c| c == ' ') => &s[..=nl],
        _ => s,
    };
    let limits = crate::yaml::Limits::default();
    if let Some(v) = super::yaml_read_plain::read(text, s, &limits) {
        debug_assert!(
            crate::budget::uncharged(|| load_first_document(text, s, &limits))
                .is_ok_and(|loaded| super::yaml_read_plain::same_reading(&loaded, &v)),
            "fromYaml's plain reading differs from the loader's for {s:?}"
        );
        return Ok(v);
    }
    load_first_document(text, s, &limits)
}

/// [`parse_first_document`] of `s` (`text`, or its prefix) by the YAML loader.
pub(super) fn load_first_document(
    text: &Str,
    s: &str,
    limits: &crate::yaml::Limits,
) -> Result<Value, String> {
    let file = match crate::yaml::load(FileId(u32::MAX), s, limits) {
        Ok(file) => file,
        Err(e) => {
            // go-yaml reads only the first document: an error in a later one goes unnoticed.
            let end_of_first =
                crate::yaml::first_document_end(s).filter(|&end| e.span().start >= end);
            match end_of_first.map(|end| crate::yaml::load(FileId(u32::MAX), &s[..end], limits)) {
                Some(Ok(file)) => file,
                _ => return Err(yaml_error(s, &e)),
            }
        }
    };
    let Some(mut doc) = file.documents.into_iter().next() else {
        return Ok(Value::Nil);
    };
    if !s.ends_with(['\n', '\r']) {
        unbreak_final_block_scalar(&mut doc, s);
    }
    let doc = &doc;
    let mut path = Vec::new();
    let mut trace =
        |node: &crate::value::Node, decoded: &str| values_bridge::trace_str(text, s, node, decoded);
    Ok(values_bridge::convert_traced(
        doc,
        &mut path,
        &mut |node, _| {
            if matches!(
                node.value,
                crate::value::Value::Map(_) | crate::value::Value::Seq(_)
            ) {
                return None;
            }
            let span = node.origin.value_span()?;
            values_bridge::scalar_prov(text, &(span.start..span.end))
        },
        &mut trace,
    ))
}

/// Charts call `fromYaml (include "common.container" .)` from many templates with the same text,
/// so a render parses each text (with its provenance) once and every call gets a copy.
mod cache {
    use std::cell::RefCell;
    use std::hash::{Hash, Hasher};
    use std::rc::Rc;

    use super::super::super::value::{ListData, MapData, Prov, Str, Value};

    /// Text kept in the cache before it stops taking new entries (memory stays bounded).
    const MAX_CACHED_BYTES: usize = 8 << 20;

    /// A text and its provenance segments; provenances compare by identity (the same `Prov`
    /// gives the same result; an equal copy only misses the cache).
    struct Key {
        text: Rc<str>,
        segs: Vec<(u32, u32, Rc<Prov>)>,
    }

    impl PartialEq for Key {
        fn eq(&self, other: &Key) -> bool {
            self.text == other.text
                && self.segs.len() == other.segs.len()
                && self
                    .segs
                    .iter()
                    .zip(&other.segs)
                    .all(|(a, b)| a.0 == b.0 && a.1 == b.1 && Rc::ptr_eq(&a.2, &b.2))
        }
    }

    impl Eq for Key {}

    impl std::fmt::Debug for Key {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{} bytes", self.text.len())
        }
    }

    impl Hash for Key {
        fn hash<H: Hasher>(&self, state: &mut H) {
            self.text.hash(state);
            for (start, end, prov) in &self.segs {
                (start, end, Rc::as_ptr(prov)).hash(state);
            }
        }
    }

    type Entries = crate::fast_hash::FxHashMap<Key, Option<Result<Value, String>>>;

    thread_local! {
        /// The cache of this thread's last render, for its next one (see [`YamlCache::carry`]).
        static CARRIED: RefCell<Option<YamlCache>> = const { RefCell::new(None) };
    }

    /// The documents `fromYaml`/`fromYamlArray` read in one render, by text and provenance.
    /// A text is kept from its second reading on: of the 169 texts stackstate 4.4.0 reads,
    /// 144 (173 of 185 KB) are read once, and keeping them would copy each for nothing.
    ///
    /// What the thread's previous render read is looked up too: the next file of a folder
    /// reads many of the same texts (a chart's helpers printing chart defaults), with the same
    /// provenance, the chart's, shared by the renders of one chart. Only the last render's
    /// entries are kept, so memory stays that of two renders.
    #[derive(Debug, Default)]
    pub(crate) struct YamlCache {
        /// `None`: read once, not kept.
        entries: Entries,
        bytes: usize,
        /// The entries of the thread's previous render that this one has not read (yet).
        previous: Entries,
    }

    impl YamlCache {
        /// The cache for a new render on this thread: the last render's, if it carried it over
        /// ([`YamlCache::carry`]), as entries to look up.
        pub(crate) fn for_render() -> YamlCache {
            let last = CARRIED.with(|c| c.borrow_mut().take());
            YamlCache {
                previous: last.map(|l| l.entries).unwrap_or_default(),
                ..YamlCache::default()
            }
        }

        /// Leaves this render's entries to the thread's next render.
        pub(crate) fn carry(mut self) {
            // What the render before this one read and this one did not is dropped now.
            self.previous = Entries::default();
            CARRIED.with(|c| *c.borrow_mut() = Some(self));
        }

        /// `parse(text)`, remembered: the result is a fresh copy each time (maps are mutable,
        /// and Go's `fromYaml` returns a new map on every call).
        pub(crate) fn parsed(
            &mut self,
            text: &Str,
            parse: impl FnOnce(&Str) -> Result<Value, String>,
        ) -> Result<Value, String> {
            let key = Key {
                text: text.text().clone(),
                segs: text
                    .segs()
                    .iter()
                    .map(|s| (s.start, s.end, s.prov.clone()))
                    .collect(),
            };
            let seen = match self.entries.get(&key) {
                Some(Some(hit)) => return copy(hit),
                Some(None) => true,
                None => match self.previous.remove(&key) {
                    Some(Some(hit)) => {
                        let out = copy(&hit);
                        self.keep(key, Some(hit));
                        return out;
                    }
                    Some(None) => true,
                    None => false,
                },
            };
            let result = parse(text);
            let kept = seen.then(|| copy(&result));
            self.keep(key, kept);
            result
        }

        /// Keeps an entry while the texts kept stay below [`MAX_CACHED_BYTES`].
        fn keep(&mut self, key: Key, entry: Option<Result<Value, String>>) {
            if self.bytes + key.text.len() <= MAX_CACHED_BYTES {
                self.bytes += key.text.len();
                self.entries.insert(key, entry);
            }
        }
    }

    fn copy(result: &Result<Value, String>) -> Result<Value, String> {
        match result {
            Ok(v) => Ok(deep_copy(v)),
            Err(e) => Err(e.clone()),
        }
    }

    /// New maps and lists all the way down, scalars shared (the depth is that of a document
    /// the YAML loader accepted).
    fn deep_copy(v: &Value) -> Value {
        match v {
            Value::List(l) => Value::List(Rc::new(ListData {
                items: l.items.iter().map(deep_copy).collect(),
                elem: l.elem,
                origin: l.origin.clone(),
                nil: l.nil,
            })),
            Value::Map(m) => {
                let m = m.borrow();
                Value::Map(Rc::new(RefCell::new(MapData::build(|copy| {
                    copy.entries = m
                        .entries
                        .iter()
                        .map(|(k, x)| (k.clone(), deep_copy(x)))
                        .collect();
                    copy.elem = m.elem;
                    copy.origin = m.origin.clone();
                    copy.values_type = m.values_type;
                    copy.nil = m.nil;
                }))))
            }
            other => other.clone(),
        }
    }

    #[cfg(test)]
    mod tests {
        use std::cell::Cell;

        use super::super::super::yaml_read_plain::same_reading;
        use super::*;

        /// The string `doc` of values read from a file: its one segment has that value's origin.
        fn doc_string() -> Str {
            let values = "doc: \"image: quay.io/x\\nports: [80, 443]\\n\"\n";
            let file = crate::yaml::load(crate::source::FileId(0), values, &Default::default())
                .expect("values parse");
            let values = crate::template::values_bridge::values_from_node(&file.documents[0], &[]);
            let Value::Map(m) = values else {
                panic!("{values:?}")
            };
            let Some(Value::Str(doc)) = m.borrow().entries.get("doc").cloned() else {
                panic!("no doc")
            };
            assert_eq!(doc.segs().len(), 1);
            doc
        }

        /// A render finds what the thread's last render read twice; a text of equal but other
        /// provenance is another text; entries a render did not read are gone after it; every
        /// reading is the parse's, in maps of its own.
        #[test]
        fn the_next_render_on_a_thread_finds_what_the_last_one_read() {
            std::thread::spawn(|| {
                let text = doc_string();
                let other = doc_string();
                let parses = Cell::new(0);
                let parse = |t: &Str| {
                    parses.set(parses.get() + 1);
                    super::super::parse_first_document(t)
                };
                let mut render = YamlCache::for_render();
                let first = render.parsed(&text, parse).unwrap();
                render.carry();
                let mut render = YamlCache::for_render();
                let second = render.parsed(&text, parse).unwrap();
                assert_eq!(parses.get(), 2, "read once before: parsed, now kept");
                render.carry();
                let mut render = YamlCache::for_render();
                let third = render.parsed(&text, parse).unwrap();
                assert_eq!(parses.get(), 2, "kept by the last render");
                let fourth = render.parsed(&text, parse).unwrap();
                assert_eq!(parses.get(), 2, "and by this one");
                render.parsed(&other, parse).unwrap();
                assert_eq!(parses.get(), 3, "provenance compares by identity");
                render.carry();
                YamlCache::for_render().carry();
                let mut render = YamlCache::for_render();
                render.parsed(&text, parse).unwrap();
                assert_eq!(parses.get(), 4, "a render between read nothing");
                for v in [&second, &third, &fourth] {
                    assert!(same_reading(&first, v), "{first:?} {v:?}");
                }
                let map = |v: &Value| match v {
                    Value::Map(m) => m.as_ptr(),
                    other => panic!("{other:?}"),
                };
                assert_ne!(map(&third), map(&fourth));
                assert_ne!(map(&second), map(&third));
            })
            .join()
            .unwrap();
        }
    }
}

pub(crate) use cache::YamlCache;

/// go-yaml gives a block scalar that runs to the end of a text without a final line break no
/// final break (`a: |` then `  x` is "x"); the loader adds one. Takes it off again.
pub(crate) fn unbreak_final_block_scalar(node: &mut crate::value::Node, text: &str) -> bool {
    use crate::value::Value as V;
    match &mut node.value {
        V::Map(m) => m
            .values_mut()
            .any(|child| unbreak_final_block_scalar(child, text)),
        V::Seq(items) => items
            .iter_mut()
            .any(|child| unbreak_final_block_scalar(child, text)),
        V::Str(value) => {
            let Some(span) = node.origin.value_span() else {
                return false;
            };
            // Only a block scalar's last line break is the text's missing one: a quoted
            // scalar's is an escape, a plain one never ends with a break, and an alias at the
            // end (its span the alias's) holds its anchor's value whole.
            let block = crate::yaml_scalar::is_block_scalar(text, span.start);
            if span.end == text.len() && block && value.ends_with('\n') {
                value.pop();
                return true;
            }
            false
        }
        _ => false,
    }
}

/// The start of the first line after byte `from` that opens with a document indicator (`---`
/// or `...` then a blank or the end).
fn document_indicator_after(text: &str, from: usize) -> Option<usize> {
    let mut offset = text[from..].find('\n')? + from + 1;
    for line in text[offset..].split_inclusive('\n') {
        if (line.starts_with("---") || line.starts_with("..."))
            && line[3..].chars().next().is_none_or(char::is_whitespace)
        {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// Problems libyaml's scanner reports (the parser reports the others).
const SCANNER_PROBLEMS: &[&str] = &[
    "mapping values are not allowed",
    "block sequence entries are not allowed",
    "mapping keys are not allowed",
    "found character that cannot start any token",
    "did not find expected comment or line break",
    "could not find expected ':'",
    "found unexpected end of stream",
    "found unexpected document indicator",
    "found a tab character",
    "found unknown escape character",
    "did not find expected hexdecimal number",
    "found invalid Unicode character escape code",
    "did not find URI escaped octet",
    "found an incorrect leading UTF-8 octet",
    "found an incorrect trailing UTF-8 octet",
    "did not find expected whitespace or line break",
    "did not find expected alphabetic or numeric character",
    "found extra characters",
    "found an indentation indicator equal to 0",
    "found a comment without a whitespace",
    "invalid leading UTF-8 octet",
    "incomplete UTF-8 octet sequence",
    "control characters are not allowed",
    "found unknown directive name",
    "could not find expected directive name",
    "found unexpected non-alphabetical character",
    "did not find expected whitespace",
    "did not find expected digit or '.' character",
    "did not find expected version number",
    "found extremely long version number",
];

/// go-yaml's wording: `error converting YAML to JSON: yaml: line N: MESSAGE` (go-yaml's line
/// numbers and messages for syntax errors are approximated by the loader's).
pub(crate) fn yaml_error(text: &str, e: &crate::yaml::YamlError) -> String {
    let span = e.span();
    let mut at = span.start.min(text.len());
    // In a quoted scalar saphyr points at the opening quote; libyaml at the indicator, or at
    // the end of the text.
    let message = e.to_string();
    if message.contains("found unexpected document indicator") {
        at = document_indicator_after(text, at).unwrap_or(at);
    } else if message.contains("quoted scalar, found unexpected end of stream") {
        at = text.len();
    }
    let line = crate::yaml_breaks::line(text, at);
    let prefix = "error converting YAML to JSON:";
    match e {
        // The loader words it as go-yaml does (`unknown anchor 'x' referenced`), with no line.
        crate::yaml::YamlError::Syntax { message, .. } if message.starts_with("unknown anchor") => {
            format!("{prefix} yaml: {message}")
        }
        crate::yaml::YamlError::Syntax { message, .. } => {
            // go-yaml prints the problem without the parser's context ("while parsing a block
            // mapping"), and a line number only when it is not the first line: 1-based for a
            // scanner error, 0-based (the context's line, approximated by the problem's) for a
            // parser error.
            let problem = crate::yaml::go_problem(message);
            let (problem, line) = if problem == "could not find expected ':'" {
                // libyaml's stale required key (a scalar at a block
                // mapping's indentation with no `:`). Both report where the next token starts;
                // at the end of a text whose last line is unended, both first move to a new line.
                let unended = at == text.len()
                    && !text.is_empty()
                    && !crate::yaml_breaks::ends_with_break(text);
                ("could not find expected ':'", line + usize::from(unended))
            } else {
                (problem, line)
            };
            let scanner = SCANNER_PROBLEMS.iter().any(|p| problem.starts_with(p));
            // A parser error at the end of a text whose last line is unended: libyaml's
            // stream end token is on a new line (`fromYaml "a: ["` fails on line 1).
            let unended =
                at == text.len() && !text.is_empty() && !crate::yaml_breaks::ends_with_break(text);
            let line = line + usize::from(!scanner && unended);
            let line0 = line - 1;
            match (line0, scanner) {
                (0, _) => format!("{prefix} yaml: {problem}"),
                (_, true) => format!("{prefix} yaml: line {line}: {problem}"),
                (_, false) => format!("{prefix} yaml: line {line0}: {problem}"),
            }
        }
        // go-yaml reads `.inf` and `.nan`; it is the JSON step that refuses them.
        crate::yaml::YamlError::Unsupported { message, .. }
            if message.contains("special float") =>
        {
            let words = crate::yaml::UNSUPPORTED_FLOAT;
            let name = message
                .split_once(words)
                .and_then(|(_, rest)| rest.split('"').next())
                .unwrap_or("+Inf");
            format!("{prefix} {words}{name}")
        }
        // A tag the value does not fit, as go-yaml's decoder words it.
        crate::yaml::YamlError::Unsupported { message, .. }
            if message.starts_with("cannot decode ") || message.starts_with("!!binary ") =>
        {
            let message = message.trim_end_matches(": Helm refuses the file");
            format!("{prefix} yaml: {message}")
        }
        crate::yaml::YamlError::Key { problem, .. } => match problem {
            // A parser error: its line 0-based, none on the first.
            crate::yaml::KeyProblem::Empty => match line - 1 {
                0 => format!("{prefix} yaml: did not find expected key"),
                line0 => format!("{prefix} yaml: line {line0}: did not find expected key"),
            },
            crate::yaml::KeyProblem::Null { value } => format!(
                "{prefix} unsupported map key of type: %!s(<nil>), key: <nil>, value: {}",
                value
                    .as_ref()
                    .map_or_else(|| "<nil>".into(), |v| go_sharp_v(&v.value, true))
            ),
            // `%+#v` of a uint64 is hexadecimal.
            crate::yaml::KeyProblem::Uint { key, value } => format!(
                "{prefix} unsupported map key of type: uint64, key: {key:#x}, value: {}",
                value
                    .as_ref()
                    .map_or_else(|| "<nil>".into(), |v| go_sharp_v(&v.value, true))
            ),
            crate::yaml::KeyProblem::Complex { key } => {
                format!(
                    "{prefix} yaml: invalid map key: {}",
                    go_sharp_v(&key.value, true)
                )
            }
        },
        crate::yaml::YamlError::Unsupported { message, .. }
            if message.starts_with("anchor '") && message.ends_with("value contains itself")
                || message == "document contains excessive aliasing" =>
        {
            format!("{prefix} yaml: {message}")
        }
        crate::yaml::YamlError::Unsupported { message, .. } if message.contains("merge key") => {
            format!("{prefix} yaml: map merge requires map or sequence of maps as the value")
        }
        other => format!("{prefix} {other}"),
    }
}

/// Go's `%#v` of a value as go-yaml v2 decodes it (`map[interface {}]interface {}`,
/// `[]interface {}`, strings quoted): what Helm's reader errors print. `top`: a nil at the top
/// prints `<nil>`, inside a collection `interface {}(nil)`. Map keys are the strings they became
/// here (Go would print a number key unquoted).
fn go_sharp_v(v: &crate::value::Value, top: bool) -> String {
    use crate::value::Value;
    let quote = crate::template::fmt::quote;
    match v {
        Value::Null if top => "<nil>".into(),
        Value::Null => "interface {}(nil)".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => crate::value::go_float(*f),
        Value::Str(s) => quote(s),
        Value::Seq(items) => format!(
            "[]interface {{}}{{{}}}",
            items
                .iter()
                .map(|n| go_sharp_v(&n.value, false))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Map(m) => format!(
            "map[interface {{}}]interface {{}}{{{}}}",
            m.iter()
                .map(|(k, n)| format!("{}:{}", quote(k), go_sharp_v(&n.value, false)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

//! Helm-typed values with the origin of every node.
//!
//! After Helm reads a values file (go-yaml v2, then JSON) every number is a float64, booleans are
//! booleans and everything else is a string; `--set` adds int64. [`Value`] keeps exactly these
//! types so that [`Value::render`] prints what a template's `%v` would print.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::source::Span;

/// A map of values. Helm's maps are unordered; a sorted map keeps output deterministic.
pub type Map = crate::sorted_map::SortedMap<String, Node>;

/// A Helm value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~`, or a blank value.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer as `--set` produces it (printed exactly).
    Int(i64),
    /// Every number read from a YAML file.
    Float(f64),
    /// A string.
    Str(String),
    /// A list (replaced whole by a higher layer).
    Seq(Vec<Node>),
    /// A map (merged deeply).
    Map(Map),
}

/// Helm's `--set` family of flags, in the order Helm applies them (after every `-f` file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SetKind {
    /// `--set-json KEY=JSON`.
    Json,
    /// `--set KEY=VALUE`, typed.
    Set,
    /// `--set-string KEY=VALUE`, never typed.
    String,
    /// `--set-file KEY=PATH`: the file's contents as a string.
    File,
    /// `--set-literal KEY=VALUE`: the rest of the argument, as is.
    Literal,
}

impl SetKind {
    /// Every kind, in Helm's order of application.
    pub(crate) const ALL: [SetKind; 5] = [
        SetKind::Json,
        SetKind::Set,
        SetKind::String,
        SetKind::File,
        SetKind::Literal,
    ];

    /// The flag, `--set-json`.
    pub(crate) fn flag(self) -> &'static str {
        match self {
            SetKind::Json => "--set-json",
            SetKind::Set => "--set",
            SetKind::String => "--set-string",
            SetKind::File => "--set-file",
            SetKind::Literal => "--set-literal",
        }
    }
}

/// Where a value came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// A chart's own `values.yaml`; the label names the chart, e.g. `stackstate 4.4.0` or
    /// `kafka 12.2.5-stackstate.0 (subchart)`.
    Chart(Arc<str>),
    /// A values file: the span of the key that holds the value (none inside lists) and of the value.
    File {
        /// Span of the mapping key.
        key: Option<Span>,
        /// Span of the value itself (empty for a blank value).
        value: Span,
    },
    /// The `n`-th argument (1-based) of one `--set` flag, with its text. (`--set-file` values
    /// come from a file and have a [`Origin::File`] origin instead.)
    Set {
        /// 1-based position among the arguments of the same flag.
        index: usize,
        /// The argument as given.
        arg: Arc<str>,
        /// Which flag.
        kind: SetKind,
    },
    /// Made up by the tool (for example an empty map created along a `--set` path).
    Synthetic,
}

impl Origin {
    /// The span of the key the user wrote (or of the value when there is no key).
    pub(crate) fn user_span(&self) -> Option<Span> {
        match self {
            Origin::File { key, value } => Some(key.unwrap_or(*value)),
            _ => None,
        }
    }

    /// The span of the value itself when it came from a file.
    pub(crate) fn value_span(&self) -> Option<Span> {
        match self {
            Origin::File { value, .. } => Some(*value),
            _ => None,
        }
    }
}

/// A value with its origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it came from.
    pub(crate) origin: Origin,
}

impl Node {
    /// A node with the given value and origin.
    pub(crate) fn new(value: Value, origin: Origin) -> Self {
        Node { value, origin }
    }

    /// An empty map.
    pub(crate) fn empty_map(origin: Origin) -> Self {
        Node::new(Value::Map(Map::new()), origin)
    }

    /// The map inside, if this is a map.
    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// Follows a dotted path of map keys.
    pub(crate) fn get_path<S: AsRef<str>>(&self, path: &[S]) -> Option<&Node> {
        let mut node = self;
        for key in path {
            node = node.as_map()?.get(key.as_ref())?;
        }
        Some(node)
    }
}

impl Value {
    /// Go-template / sprig emptiness, as `default` and `if` see it.
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Bool(b) => !b,
            Value::Int(i) => *i == 0,
            Value::Float(f) => *f == 0.0,
            Value::Str(s) => s.is_empty(),
            Value::Seq(s) => s.is_empty(),
            Value::Map(m) => m.is_empty(),
        }
    }

    /// Whether this is a map.
    pub(crate) fn is_map(&self) -> bool {
        matches!(self, Value::Map(_))
    }

    /// A short name of the type, for messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) | Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "list",
            Value::Map(_) => "map",
        }
    }

    /// encoding/json's name for the JSON type of the value (its decoding errors say it).
    pub(crate) fn json_kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }

    /// The value printed as a Go template prints it with `%v` (and sprig's `toString`).
    /// `None` for null: the caller decides between `<no value>` and `<nil>`.
    pub fn render(&self) -> Option<String> {
        Some(match self {
            Value::Null => return None,
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => go_float(*f),
            Value::Str(s) => s.clone(),
            Value::Seq(items) => {
                let parts: Vec<String> = items
                    .iter()
                    .map(|n| n.value.render().unwrap_or_else(|| "<nil>".into()))
                    .collect();
                format!("[{}]", parts.join(" "))
            }
            Value::Map(m) => {
                let mut out = String::from("map[");
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    let _ = write!(out, "{k}:{}", v.value.render().unwrap_or("<nil>".into()));
                }
                out.push(']');
                out
            }
        })
    }
}

/// Formats a float64 the way Go's `%v` does (`strconv.FormatFloat(f, 'g', -1, 64)`).
pub(crate) fn go_float(f: f64) -> String {
    go_float_g(f, false)
}

/// `strconv.FormatFloat(f, 'g', -1, 32)`: the float64 rounded to a float32 first, then its
/// shortest digits (`0.1`, `1e+21`, `1.2345679e+29`; a float64 beyond float32's range is
/// `+Inf`).
pub(crate) fn go_float32(f: f64) -> String {
    go_float_g(f, true)
}

fn go_float_g(f: f64, float32: bool) -> String {
    // NOTE: `as` rounds to the nearest float32 and overflows to infinity, as Go's conversion.
    let f = if float32 { f64::from(f as f32) } else { f };
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.into();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "-1.2345e6".
    let sci = if float32 {
        format!("{:e}", f as f32)
    } else {
        format!("{f:e}")
    };
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    // NOTE: `%v` on a float64 is `%g` with the shortest precision; Go then uses exponent form
    // when the exponent is < -4 or >= 6 (the precision it assumes for shortest output).
    if !(-4..6).contains(&exp) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
        return out;
    }
    let point = exp + 1; // digits before the decimal point
    if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-point) as usize));
        out.push_str(&digits);
    } else if point as usize >= digits.len() {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', point as usize - digits.len()));
    } else {
        out.push_str(&digits[..point as usize]);
        out.push('.');
        out.push_str(&digits[point as usize..]);
    }
    out
}

/// Follows a key, in its text form ([`crate::key_path::KeyPath`]), through maps.
pub(crate) fn lookup<'m>(map: &'m Map, key: &str) -> Option<&'m Node> {
    lookup_path(map, crate::key_path::KeyPath::parse(key).keys())
}

/// Follows a key path through maps.
pub(crate) fn lookup_path<'m, S: AsRef<str>>(map: &'m Map, keys: &[S]) -> Option<&'m Node> {
    let (first, rest) = keys.split_first()?;
    let mut node = map.get(first.as_ref())?;
    for part in rest {
        node = node.as_map()?.get(part.as_ref())?;
    }
    Some(node)
}

/// Follows a key path through maps and lists (an index is a list's key).
pub(crate) fn lookup_through_lists<'m, S: AsRef<str>>(
    map: &'m Map,
    keys: &[S],
) -> Option<&'m Node> {
    let (first, rest) = keys.split_first()?;
    let mut node = map.get(first.as_ref())?;
    for part in rest {
        node = match &node.value {
            Value::Map(m) => m.get(part.as_ref())?,
            Value::Seq(items) => items.get(part.as_ref().parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_go_percent_v() {
        let cases = [
            (4.10, "4.1"),
            (1.0, "1"),
            (2.30, "2.3"),
            (1000.0, "1000"),
            (100000.0, "100000"),
            (1000000.0, "1e+06"),
            (1234567.0, "1.234567e+06"),
            (20210214.0, "2.0210214e+07"),
            (31.0, "31"),
            (0.5, "0.5"),
            (-1.0, "-1"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1e20, "1e+20"),
            (1e21, "1e+21"),
            (123456789.0, "1.23456789e+08"),
            (3.6, "3.6"),
        ];
        for (f, want) in cases {
            assert_eq!(go_float(f), want, "{f}");
        }
    }
}

//! A canonical YAML writer for value trees: keys sorted, strings double-quoted, numbers as Go
//! prints them. Reading its output back with [`crate::yaml`] gives the same values.

use std::fmt::Write as _;

use crate::value::{Node, Value, go_float};

/// Writes `node` as block YAML, indented by `indent` spaces, after a `key:` already written
/// (or at the top level when `top` is set).
pub fn write_node(out: &mut String, node: &Node, indent: usize, top: bool) {
    match &node.value {
        Value::Map(m) if !m.is_empty() => {
            for (i, (k, v)) in m.iter().enumerate() {
                if !(top && i == 0) || indent > 0 {
                    out.push('\n');
                    out.extend(std::iter::repeat_n(' ', indent));
                }
                out.push_str(&quote(k));
                out.push(':');
                write_node(out, v, indent + 2, false);
            }
        }
        Value::Seq(items) if !items.is_empty() => {
            for item in items {
                out.push('\n');
                out.extend(std::iter::repeat_n(' ', indent));
                out.push('-');
                match &item.value {
                    Value::Map(m) if !m.is_empty() => {
                        // Nested block map under a dash: one more level of indentation.
                        let mut inner = String::new();
                        write_node(&mut inner, item, indent + 2, false);
                        out.push_str(&inner);
                    }
                    _ => write_node(out, item, indent + 2, false),
                }
            }
        }
        other => {
            if !top {
                out.push(' ');
            }
            out.push_str(&scalar(other));
        }
    }
}

/// A scalar in flow form.
pub fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => go_float(*f),
        Value::Str(s) => quote(s),
        Value::Seq(_) => "[]".into(),
        Value::Map(_) => "{}".into(),
    }
}

/// A YAML double-quoted string.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::yaml::{Limits, load};

    #[test]
    fn round_trips_through_the_loader() {
        let src = "a:\n  b: 4.10\n  c: \"4.10\"\n  d: [1, \"x\", {e: yes}]\n  f: {}\n  g: []\n  h: null\n  \"we:ird\": \"q\\\"\\n\"\n";
        let orig = load(FileId(0), src, &Limits::default())
            .unwrap()
            .documents
            .remove(0);
        let mut out = String::new();
        write_node(&mut out, &orig, 0, true);
        let back = load(FileId(0), &out, &Limits::default())
            .unwrap()
            .documents
            .remove(0);
        assert_eq!(strip(&orig), strip(&back), "{out}");
    }

    fn strip(n: &Node) -> String {
        let mut out = String::new();
        write_node(&mut out, n, 0, true);
        out
    }
}

//! Go's `fmt` for template values: `print`, `printf`, `println` and `%v` everywhere.
//!
//! (A first cut: `%v` only. The full verb set is being written.)

use super::value::Value;

/// How `fmt.Sprint` prints one value (`%v`).
pub fn sprint_v(v: &Value) -> String {
    match v {
        Value::Nil => "<nil>".into(),
        Value::Bool(b, _) => b.to_string(),
        Value::Int(n, _, _) => n.to_string(),
        Value::Float(f, _) => f.to_string(),
        Value::Str(s) => s.as_str().to_string(),
        Value::Bytes(b) => format!("{b:?}"),
        Value::List(l) => {
            let parts: Vec<String> = l.items.iter().map(sprint_v).collect();
            format!("[{}]", parts.join(" "))
        }
        Value::Map(m) => {
            let parts: Vec<String> = m
                .borrow()
                .entries
                .iter()
                .map(|(k, v)| format!("{k}:{}", sprint_v(v)))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
        Value::Object(o) => o.fmt_v(),
    }
}

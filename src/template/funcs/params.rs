//! The Go parameter types of the function map (`data/function-params.tsv`, read from Sprig's,
//! Helm's and Go's sources): Go's `evalCall` checks each operand against its parameter as soon
//! as it has evaluated it (`evalArg` → `validateType`), before it evaluates the next. The
//! functions here check their arguments once all are evaluated, so when a later operand fails
//! the executor asks this table whether Go would have stopped at an earlier one first
//! (`trimSuffix .Values.port (required "…" .x)` fails on the port's type in Helm).
//!
//! The same holds when the function itself fails: Go would not have called it with an operand
//! of the wrong type, so that operand's error comes first.
//!
//! NOTE: only these look-backs use the table, so an entry that were wrong could change which
//! of two errors is reported, never make a template that renders fail.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::super::Value;

/// One function's parameters: the fixed ones, and the element type of a variadic last one.
struct Params {
    fixed: Vec<&'static str>,
    variadic: Option<&'static str>,
}

fn table() -> &'static HashMap<&'static str, Params> {
    static TABLE: OnceLock<HashMap<&'static str, Params>> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("../../../data/function-params.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|line| {
                let mut cols = line.split('\t');
                let name = cols.next()?;
                let params = cols.next()?;
                let mut fixed: Vec<&'static str> = if params == "-" {
                    Vec::new()
                } else {
                    params.split(',').map(str::trim).collect()
                };
                let variadic = match fixed.last() {
                    Some(last) if last.starts_with("...") => {
                        let elem = &last[3..];
                        fixed.pop();
                        Some(elem)
                    }
                    _ => None,
                };
                Some((name, Params { fixed, variadic }))
            })
            .collect()
    })
}

/// Go's error for operand `index` of a call of `name` with the value `v` (`nil_slot`: a nil
/// interface rather than no value), if its parameter type refuses it: `validateType`'s words.
fn operand_error(name: &str, index: usize, v: &Value, nil_slot: bool) -> Option<String> {
    let params = table().get(name)?;
    let typ = params.fixed.get(index).copied().or(params.variadic)?;
    refuses(typ, v, nil_slot)
}

/// The first of a failed call's operands (the piped value last) that its parameter refuses,
/// with Go's error; `nil_slots` marks the nil interfaces, a bit per operand.
pub(crate) fn first_refused(name: &str, vals: &[Value], nil_slots: u64) -> Option<(usize, String)> {
    vals.iter().enumerate().find_map(|(k, v)| {
        let nil_slot = k < 64 && nil_slots & (1 << k) != 0;
        operand_error(name, k, v, nil_slot).map(|msg| (k, msg))
    })
}

/// `validateType(value, typ)` of reflect for the types the function map's parameters have.
fn refuses(typ: &str, v: &Value, nil_slot: bool) -> Option<String> {
    if typ == "interface {}" {
        return None;
    }
    let nilable = typ.starts_with('[') || typ.starts_with("map[") || typ.starts_with('*');
    match v {
        Value::Nil if nil_slot => Some(format!(
            "wrong type for value; expected {typ}; got interface {{}}"
        )),
        Value::Nil if nilable => None,
        Value::Nil => Some(format!("invalid value; expected {typ}")),
        _ => {
            let got = v.type_name();
            // A named map type (`chartutil.Values`) is assignable to its unnamed underlying
            // type.
            let assignable = got == typ
                || (typ == "map[string]interface {}"
                    && matches!(v, Value::Map(m) if m.borrow().elem == super::super::value::ElemType::Any));
            (!assignable).then(|| format!("wrong type for value; expected {typ}; got {got}"))
        }
    }
}

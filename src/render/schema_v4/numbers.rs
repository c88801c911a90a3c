//! Numbers and equality as jsonschema v6 sees them: every number is one JSON type, compared as
//! an exact rational (Go's `big.Rat` of the number's shortest text).

use serde_json::{Number, Value as J};

use crate::value::Value;

/// The value as a float, if it is a number.
pub(super) fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// Whether a number is an integer in value: `1.0` from a values file is one.
pub(super) fn is_integer(v: &Value) -> bool {
    match v {
        Value::Int(_) => true,
        Value::Float(f) => f.is_finite() && f.fract() == 0.0,
        _ => false,
    }
}

fn number_equals(v: &Value, n: &Number) -> bool {
    match (v, n.as_i64()) {
        (Value::Int(i), Some(k)) => *i == k,
        _ => number(v).zip(n.as_f64()).is_some_and(|(a, b)| a == b),
    }
}

/// Whether a value equals a schema's JSON value (`const`, `enum`).
pub(super) fn equals(v: &Value, j: &J) -> bool {
    match (v, j) {
        (Value::Null, J::Null) => true,
        (Value::Bool(a), J::Bool(b)) => a == b,
        (Value::Str(a), J::String(b)) => a == b,
        (Value::Int(_) | Value::Float(_), J::Number(n)) => number_equals(v, n),
        (Value::Seq(a), J::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equals(&x.value, y))
        }
        (Value::Map(a), J::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, x)| b.get(k).is_some_and(|y| equals(&x.value, y)))
        }
        _ => false,
    }
}

/// Whether two values are equal (`uniqueItems`): `1` and `1.0` are.
pub(super) fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            number(a) == number(b)
        }
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(p, q)| values_equal(&p.value, &q.value))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, p)| y.get(k).is_some_and(|q| values_equal(&p.value, &q.value)))
        }
        _ => a == b,
    }
}

/// `multipleOf`: whether `v / m` is an integer, computed on the decimal texts (`0.3` is a
/// multiple of `0.1`, which float division denies).
pub(super) fn is_multiple(v: &Value, m: &Number) -> bool {
    let x = match v {
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        _ => return true,
    };
    let m_text = match m.as_i64() {
        Some(i) => i.to_string(),
        None => m.as_f64().map_or_else(String::new, |f| f.to_string()),
    };
    match (decimal(&x), decimal(&m_text)) {
        (_, Some((0, _))) => true,
        (Some((a, p)), Some((b, q))) => {
            let num = 10i128.checked_pow(q).and_then(|t| a.checked_mul(t));
            let den = 10i128.checked_pow(p).and_then(|t| b.checked_mul(t));
            match (num, den) {
                (Some(num), Some(den)) => num % den == 0,
                _ => float_multiple(v, m),
            }
        }
        _ => float_multiple(v, m),
    }
}

fn float_multiple(v: &Value, m: &Number) -> bool {
    match (number(v), m.as_f64()) {
        (Some(x), Some(m)) if m != 0.0 => (x / m).fract() == 0.0,
        _ => true,
    }
}

/// A plain decimal text as `(digits, places)`: `-1.25` is `(-125, 2)`.
fn decimal(text: &str) -> Option<(i128, u32)> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits: i128 = format!("{whole}{frac}").parse().ok()?;
    Some((digits, u32::try_from(frac.len()).ok()?))
}

//! Argument checks and conversions shared by the function families, with Go's wording.
//!
//! Go converts each argument to the parameter's type before the call: a `string` parameter takes
//! only a string (`wrong type for value; expected string; got int`), an `interface{}` parameter
//! takes anything. Sprig then converts `interface{}` arguments itself with `spf13/cast` or its own
//! `strval`/`toInt64` helpers; those conversions live here too.

use super::super::FuncError;
use super::super::fmt as gofmt;
use super::super::value::{Str, Value};

/// Exactly `n` arguments.
pub(crate) fn arity(args: &[Value], n: usize) -> Result<(), FuncError> {
    if args.len() == n {
        Ok(())
    } else {
        Err(FuncError::Arity {
            want: n,
            variadic: false,
            got: args.len(),
        })
    }
}

/// At least `n` arguments (a variadic function).
pub(crate) fn arity_at_least(args: &[Value], n: usize) -> Result<(), FuncError> {
    if args.len() >= n {
        Ok(())
    } else {
        Err(FuncError::Arity {
            want: n,
            variadic: true,
            got: args.len(),
        })
    }
}

/// How many places a function may walk in one value, a value held in several places (a list
/// put twice into another) counted once per place. A template that doubles a list in a loop
/// (`$x = list $x $x`, 40 times) builds 2^40 places from 40 values: Go walks them until the
/// memory runs out; values files stop at a million values.
pub const MAX_WALK: usize = 1 << 22;

/// A budget error when walking `v` whole (as `toJson`, `toYaml`, `deepCopy` and `merge` do)
/// would take more than [`MAX_WALK`] steps. A map met again inside itself (a cycle) or a depth
/// past `max_depth` ends the count there: the walk itself reports those as Go does.
pub fn walk_bounded(v: &Value, max_depth: usize) -> Result<(), FuncError> {
    fn count(v: &Value, left: &mut usize, path: &mut Vec<*const ()>, max_depth: usize) -> bool {
        if *left == 0 {
            return false;
        }
        *left -= 1;
        if path.len() > max_depth {
            return true;
        }
        match v {
            Value::List(l) => l
                .items
                .iter()
                .all(|item| count(item, left, path, max_depth)),
            Value::Map(m) => {
                let p = std::rc::Rc::as_ptr(m).cast::<()>();
                if path.contains(&p) {
                    return true;
                }
                path.push(p);
                let ok = m
                    .borrow()
                    .entries
                    .values()
                    .all(|item| count(item, left, path, max_depth));
                path.pop();
                ok
            }
            _ => true,
        }
    }
    let mut left = MAX_WALK;
    if count(v, &mut left, &mut Vec::new(), max_depth) {
        Ok(())
    } else {
        Err(walk_exhausted())
    }
}

/// The error of a walk past [`MAX_WALK`] places.
pub fn walk_exhausted() -> FuncError {
    FuncError::Budget(format!(
        "a value of more than {MAX_WALK} nested elements (a value held in several places counts in each)"
    ))
}

thread_local! {
    /// The address of the argument the last [`wrong_type`] error was about. Go reports a
    /// parameter type error at the operand that failed (or, for the piped value, at the last
    /// operand written); the executor finds which one from this address rather than every
    /// function reporting the index of the argument it was converting.
    static WRONG_ARG: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Forgets the argument of an earlier type error (one a function recovered from).
pub(crate) fn clear_wrong_arg() {
    WRONG_ARG.with(|c| c.set(0));
}

/// The index in `args` of the argument the last type error was about, if it is one of them.
pub(crate) fn wrong_arg_index(args: &[Value]) -> Option<usize> {
    let at = WRONG_ARG.with(|c| c.replace(0));
    let start = args.as_ptr() as usize;
    let size = std::mem::size_of::<Value>();
    (at >= start && at < start + std::mem::size_of_val(args)).then(|| (at - start) / size)
}

thread_local! {
    /// The arguments of the call in progress that are Go nil interfaces rather than no value:
    /// the address of the first argument and a bit per argument (see the executor's
    /// `eval_arg_slot`). A parameter of a concrete type rejects them, a map parameter included.
    static NIL_SLOTS: std::cell::Cell<(usize, u64)> = const { std::cell::Cell::new((0, 0)) };
}

/// Marks which of `args` (by index, a bit each) are Go nil interfaces, for the call about to
/// be made; `0` when the call is over.
pub(crate) fn set_nil_slots(args: &[Value], mask: u64) {
    NIL_SLOTS.with(|c| c.set((args.as_ptr() as usize, mask)));
}

/// Whether `v` is an argument of the call in progress that is a Go nil interface.
pub(crate) fn is_nil_slot(v: &Value) -> bool {
    let (start, mask) = NIL_SLOTS.with(std::cell::Cell::get);
    let at = v as *const Value as usize;
    let size = std::mem::size_of::<Value>();
    mask != 0
        && matches!(v, Value::Nil)
        && at >= start
        && (at - start).is_multiple_of(size)
        && (at - start) / size < 64
        && mask & (1 << ((at - start) / size)) != 0
}

/// A parameter type error, worded as Go's reflection words it.
pub fn wrong_type(expected: &str, got: &Value) -> FuncError {
    WRONG_ARG.with(|c| c.set(got as *const Value as usize));
    match got {
        Value::Nil if is_nil_slot(got) => FuncError::Arg(format!(
            "wrong type for value; expected {expected}; got interface {{}}"
        )),
        Value::Nil => FuncError::Arg(format!("invalid value; expected {expected}")),
        _ => FuncError::Arg(format!(
            "wrong type for value; expected {expected}; got {}",
            got.type_name()
        )),
    }
}

/// A Go `string` parameter.
pub(crate) fn string(v: &Value) -> Result<&Str, FuncError> {
    match v {
        Value::Str(s) => Ok(s),
        other => Err(wrong_type("string", other)),
    }
}

/// A Go `bool` parameter.
pub(crate) fn boolean(v: &Value) -> Result<bool, FuncError> {
    match v {
        Value::Bool(b, _) => Ok(*b),
        other => Err(wrong_type("bool", other)),
    }
}

/// Sprig's `strval`: strings as they are, `[]byte` as text, anything else as `%v` prints it.
pub(crate) fn strval(v: &Value) -> Str {
    match v {
        Value::Str(s) => s.clone(),
        Value::Bytes(b) => Str::new(super::super::go_bytes::from_go_bytes(b)),
        other => Str::with_origin(gofmt::sprint_v(other), &other.origin()),
    }
}

/// `spf13/cast.ToInt64` as Sprig's `toInt64` uses it: integers as they are, floats truncated
/// (out of range or NaN: Go's amd64 result, the minimum int64), strings parsed by
/// `strconv.ParseInt(s, 0, 0)` (no trimming of spaces), from cast 1.5 (`trims`, Helm 3.11.2)
/// after its `trimZeroDecimal` (`"5.0"` is 5), booleans 0/1, anything else 0 (cast's error,
/// which formats the value, is ignored). Of `time`'s named integers cast knows `time.Month`
/// and `time.Weekday`, not `time.Duration`.
pub(crate) fn to_int64(v: &Value, trims: bool) -> i64 {
    match v {
        Value::Int(_, super::super::value::IntType::Duration, _) => 0,
        Value::Int(n, _, _) => *n,
        Value::Float(f, _) => go_f64_to_i64(*f),
        Value::Bool(b, _) => i64::from(*b),
        Value::Str(s) if trims => parse_go_int(trim_zero_decimal(s.as_str())).unwrap_or(0),
        Value::Str(s) => parse_go_int(s.as_str()).unwrap_or(0),
        other => {
            crate::template::fmt::formatted_into_dropped_error(other);
            0
        }
    }
}

/// Go's `int64(f)` on amd64: truncation, and the minimum int64 when out of range.
pub(crate) fn go_f64_to_i64(f: f64) -> i64 {
    // 2^63 is exactly representable; anything outside [-2^63, 2^63) does not fit.
    if f.is_nan() || !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// cast's `trimZeroDecimal`: `"5.00"` → `"5"`; anything else as it is.
fn trim_zero_decimal(s: &str) -> &str {
    let mut found_zero = false;
    for (i, b) in s.bytes().enumerate().rev() {
        match b {
            b'.' if found_zero => return &s[..i],
            b'.' => {}
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// `spf13/cast.ToFloat64`: numbers as they are, strings by `strconv.ParseFloat` (no trimming),
/// booleans 0/1, else 0.
pub(crate) fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(n, super::super::value::IntType::Uint64, _) => *n as u64 as f64,
        Value::Int(_, super::super::value::IntType::Duration, _) => 0.0,
        Value::Int(n, _, _) => *n as f64,
        Value::Float(f, _) => *f,
        Value::Bool(b, _) => f64::from(u8::from(*b)),
        Value::Str(s) => parse_go_float(s.as_str()).unwrap_or(0.0),
        other => {
            crate::template::fmt::formatted_into_dropped_error(other);
            0.0
        }
    }
}

/// `strconv.ParseFloat(s, 64)`: decimal text (`1.5`, `-2e3`, `.5`), hexadecimal with a binary
/// exponent (`0x1p4`), `Inf`/`Infinity` (signed) and `NaN` (unsigned), `_` between digits as in
/// Go's literals (`1_0` is 10). A value out of range is Go's range error (`None`).
pub(crate) fn parse_go_float(s: &str) -> Option<f64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(if neg {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if lower == "nan" {
        return (body.len() == s.len()).then_some(f64::NAN);
    }
    if lower.contains('_') && !crate::yaml_key::underscore_ok(&lower) {
        return None;
    }
    let clean = crate::yaml_key::without_underscores(&lower);
    let mag = match clean.strip_prefix("0x") {
        Some(hex) => parse_hex_float(hex)?,
        None => {
            let (mant, exp) = match clean.split_once('e') {
                Some((m, e)) => (m, Some(e)),
                None => (&clean[..], None),
            };
            let digits_ok = mant.bytes().any(|b| b.is_ascii_digit())
                && mant.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                && mant.bytes().filter(|&b| b == b'.').count() <= 1;
            let exp_ok = exp.is_none_or(|e| {
                let e = e.strip_prefix(['+', '-']).unwrap_or(e);
                !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
            });
            if !digits_ok || !exp_ok {
                return None;
            }
            clean.parse::<f64>().ok()?
        }
    };
    if mag.is_infinite() {
        return None;
    }
    Some(if neg { -mag } else { mag })
}

/// The magnitude of a Go hexadecimal float after `0x`: hex digits with an optional point, then
/// a required binary exponent (`1.8p3`).
fn parse_hex_float(s: &str) -> Option<f64> {
    let (mant, exp) = s.split_once('p')?;
    let exp = exp
        .strip_prefix('+')
        .unwrap_or(exp)
        .parse::<i64>()
        .ok()
        .or_else(|| {
            // An exponent too large for i64 is still an overflow or underflow.
            let e = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            (!e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())).then(|| {
                if exp.starts_with('-') {
                    i64::MIN / 2
                } else {
                    i64::MAX / 2
                }
            })
        })?;
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut m: u64 = 0;
    let mut shift: i64 = 0;
    for (i, c) in int.chars().chain(frac.chars()).enumerate() {
        let d = u64::from(c.to_digit(16)?);
        if m >> 60 == 0 {
            m = m * 16 + d;
            if i >= int.len() {
                shift -= 4;
            }
        } else {
            // Digits past the mantissa's precision (only their weight counts).
            if i < int.len() {
                shift += 4;
            }
            if d != 0 {
                m |= 1;
            }
        }
    }
    let e = exp.saturating_add(shift).clamp(-2000, 2000) as i32;
    Some(m as f64 * 2f64.powi(e))
}

/// `strconv.ParseInt(s, 0, 64)`: an optional sign, then decimal, `0x`/`0o`/`0b` or a leading `0`
/// for octal; `_` may separate digits (or follow a base prefix), as in Go's integer literals.
pub(crate) fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if !crate::yaml_key::underscore_ok(body) {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    let clean = crate::yaml_key::without_underscores(digits);
    // `from_str_radix` would take a sign of its own; Go takes only the one above.
    if clean.is_empty() || !clean.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let mag = u64::from_str_radix(&clean, radix).ok()?;
    if neg {
        if mag <= i64::MAX as u64 + 1 {
            Some((mag as i64).wrapping_neg())
        } else {
            None
        }
    } else {
        i64::try_from(mag).ok()
    }
}

/// A Go `int` parameter exactly as text/template checks it: only an `int` passes (an `int64`
/// from Sprig arithmetic or a `float64` from the values is `wrong type for value; expected int;
/// got int64`).
pub(crate) fn go_int(v: &Value) -> Result<i64, FuncError> {
    match v {
        Value::Int(n, super::super::value::IntType::Int, _) => Ok(*n),
        other => Err(wrong_type("int", other)),
    }
}

/// A Go `map[string]interface {}` parameter (Sprig's `set`, `merge`, `pick`…): a `dict` or a
/// map of the values, not a `map[string]string` from `split`. No value is Go's nil map
/// (`None`), which reads as empty; a nil interface (a missing key of the values) is refused.
pub(crate) fn dict(v: &Value) -> Result<Option<&super::super::value::Map>, FuncError> {
    match v {
        Value::Nil if !is_nil_slot(v) => Ok(None),
        Value::Map(m) if m.borrow().elem == super::super::value::ElemType::Any => Ok(Some(m)),
        other => Err(wrong_type("map[string]interface {}", other)),
    }
}

/// A Go `float64` parameter (`round`'s optional `roundOn`).
pub(crate) fn float(v: &Value) -> Result<f64, FuncError> {
    match v {
        Value::Float(f, _) => Ok(*f),
        other => Err(wrong_type("float64", other)),
    }
}

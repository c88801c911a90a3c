//! Go's builtin template functions (`text/template/funcs.go` of Go 1.23, the release Helm 3.17
//! is built with): `not`, `len`, `index`, the comparisons `eq ne lt le gt ge`, `print`,
//! `printf`, `println`, and the escapers `html`, `js`, `urlquery`.
//!
//! `and`, `or` and `call` need the executor and live there. Go's `slice` is not here: Helm's
//! function map gives the name to Sprig's `slice`, which wins.
//!
//! Helm executes with `missingkey=zero`, so a missing key, a YAML null and a `nil` element all
//! reach these functions as a nil interface: [`Value::Nil`].

use super::args;
use super::{Ctx, Func, FuncError};
use crate::helm_build::HelmBuild;
use crate::template::fmt as gofmt;
use crate::template::value::{Comparison, ElemType, IntType, Str, Value};

/// The family's functions.
pub(crate) const FUNCS: &[(&str, Func)] = &[
    ("not", not),
    ("len", len),
    ("index", index),
    ("eq", eq),
    ("ne", ne),
    ("lt", lt),
    ("le", le),
    ("gt", gt),
    ("ge", ge),
    ("print", print),
    ("printf", printf),
    ("println", println),
    ("html", html),
    ("js", js),
    ("urlquery", urlquery),
];

fn call_err(msg: impl std::fmt::Display) -> FuncError {
    FuncError::call(msg)
}

/// The type `reflect` names after following a pointer: Go indirects `*T` to `T` before
/// `len` and `index` complain about it.
fn indirect_type_name(v: &Value) -> String {
    let t = v.type_name();
    match v {
        Value::Object(_) => t.strip_prefix('*').unwrap_or(&t).to_string(),
        _ => t,
    }
}

/// `not`: the negation of Go's truthiness.
fn not(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    args::arity(a, 1)?;
    Ok(Value::bool(!a[0].truthy()))
}

/// `len`: bytes of a string, elements of a slice or map.
fn len(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    args::arity(a, 1)?;
    // A named slice or map type with methods (`.Files`, `.Capabilities.APIVersions`) has the
    // length of what it is.
    let underlying = match &a[0] {
        Value::Object(o) => o.underlying(),
        _ => None,
    };
    let n = match underlying.as_ref().unwrap_or(&a[0]) {
        // A field that holds nil is an interface Go looks into; `nil`, a variable or a piped
        // value holding nil is no value at all, whose type Go asks for and panics.
        Value::Nil if args::is_nil_slot(&a[0]) => return Err(call_err("len of nil pointer")),
        Value::Nil => {
            return Err(call_err(
                "reflect: call of reflect.Value.Type on zero Value",
            ));
        }
        Value::Str(s) => crate::template::go_bytes::go_len(s.as_str()),
        Value::Bytes(b) => b.len(),
        Value::List(l) => l.items.len(),
        Value::Map(m) => m.borrow().entries.len(),
        other => {
            return Err(call_err(format!(
                "len of type {}",
                indirect_type_name(other)
            )));
        }
    };
    Ok(Value::int(n as i64))
}

/// Go's `indexArg`: an integer index into something of length `len`.
fn index_arg(index: &Value, len: usize) -> Result<i64, FuncError> {
    let x = match index {
        Value::Int(n, _, _) => *n,
        Value::Nil => return Err(call_err("cannot index slice/array with nil")),
        other => {
            return Err(call_err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            )));
        }
    };
    // NOTE: Go 1.23 accepts x == len here and then fails inside reflect.
    if x < 0 || x > len as i64 {
        return Err(call_err(format!("index out of range: {x}")));
    }
    Ok(x)
}

/// `index`: `index x 1 2` is `x[1][2]` over slices, strings and maps.
fn index(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    args::arity_at_least(a, 1)?;
    let mut item = a[0].clone();
    if item.is_nil() {
        return Err(call_err("index of untyped nil"));
    }
    for idx in &a[1..] {
        // A named slice or map type (`.Capabilities.APIVersions`, `.Files`) indexes as one.
        if let Value::Object(o) = &item
            && let Some(u) = o.underlying()
        {
            item = u;
        }
        item = match &item {
            Value::Nil => return Err(call_err("index of nil pointer")),
            Value::List(l) => {
                let x = index_arg(idx, l.items.len())?;
                l.items
                    .get(x as usize)
                    .cloned()
                    .ok_or_else(|| call_err("reflect: slice index out of range"))?
            }
            Value::Bytes(b) => {
                let x = index_arg(idx, b.len())?;
                let byte = b
                    .get(x as usize)
                    .ok_or_else(|| call_err("reflect: slice index out of range"))?;
                Value::Int(i64::from(*byte), IntType::Uint8, None)
            }
            Value::Str(s) => {
                let x = index_arg(idx, s.as_str().len())?;
                let byte = s
                    .as_str()
                    .as_bytes()
                    .get(x as usize)
                    .ok_or_else(|| call_err("reflect: string index out of range"))?;
                Value::Int(i64::from(*byte), IntType::Uint8, None)
            }
            Value::Map(m) => {
                let key = match idx {
                    Value::Str(k) => k.as_str(),
                    Value::Nil => return Err(call_err("value is nil; should be of type string")),
                    other => {
                        return Err(call_err(format!(
                            "value has type {}; should be string",
                            other.type_name()
                        )));
                    }
                };
                let map = m.borrow();
                match map.entries.get(key) {
                    Some(v) => v.clone(),
                    // A missing key gives the element type's zero value.
                    None => match map.elem {
                        ElemType::Any | ElemType::Map => Value::Nil,
                        ElemType::List => Value::nil_list(ElemType::Any),
                        ElemType::String => Value::str(""),
                        ElemType::Int => Value::int(0),
                    },
                }
            }
            other => {
                return Err(call_err(format!(
                    "can't index item of type {}",
                    indirect_type_name(other)
                )));
            }
        };
    }
    Ok(item)
}

/// The basic kinds Go's comparisons know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Uint,
    Float,
    Complex,
    String,
}

fn basic_kind(v: &Value) -> Kind {
    match v {
        Value::Bool(..) => Kind::Bool,
        Value::Int(_, IntType::Uint8 | IntType::Uint64, _) => Kind::Uint,
        Value::Int(..) => Kind::Int,
        Value::Float(..) => Kind::Float,
        Value::Complex(..) => Kind::Complex,
        Value::Str(_) => Kind::String,
        _ => Kind::Invalid,
    }
}

/// `reflect.Kind` of the values that are not basic, for `canCompare`.
fn reflect_kind(v: &Value) -> u8 {
    match v {
        Value::Nil => 0,
        Value::List(_) | Value::Bytes(_) => 1,
        Value::Map(_) => 2,
        Value::Object(_) => 3,
        _ => 4,
    }
}

fn int_of(v: &Value) -> i64 {
    match v {
        Value::Int(n, _, _) => *n,
        _ => 0,
    }
}

fn uint_of(v: &Value) -> u64 {
    match v {
        Value::Int(n, _, _) => *n as u64,
        _ => 0,
    }
}

fn float_of(v: &Value) -> f64 {
    match v {
        Value::Float(f, _) => *f,
        _ => 0.0,
    }
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn bool_of(v: &Value) -> bool {
    matches!(v, Value::Bool(true, _))
}

/// Go's `errBadComparison`; since Go 1.25 it names the two types.
fn bad_comparison(a: &Value, b: &Value, named: bool) -> FuncError {
    if named {
        return call_err(format!(
            "incompatible types for comparison: {} and {}",
            a.type_name(),
            b.type_name()
        ));
    }
    call_err("incompatible types for comparison")
}

fn bad_comparison_type() -> FuncError {
    call_err("invalid type for comparison")
}

/// `%s` of a value, as Go's comparison errors print operands.
fn show(v: &Value) -> String {
    gofmt::sprintf("%s", std::slice::from_ref(v))
        .as_str()
        .to_string()
}

/// Go's `eq` for one pair.
fn equal(a: &Value, b: &Value, build: HelmBuild) -> Result<bool, FuncError> {
    let named = build.names_compared_types();
    let (k1, k2) = (basic_kind(a), basic_kind(b));
    if k1 != k2 {
        // Integers compare by value whatever their signedness.
        return match (k1, k2) {
            (Kind::Int, Kind::Uint) => Ok(int_of(a) >= 0 && int_of(a) as u64 == uint_of(b)),
            (Kind::Uint, Kind::Int) => Ok(int_of(b) >= 0 && uint_of(a) == int_of(b) as u64),
            // Comparing with nil is false, not an error.
            _ if a.is_nil() || b.is_nil() => Ok(false),
            _ => Err(bad_comparison(a, b, named)),
        };
    }
    Ok(match k1 {
        Kind::Bool => bool_of(a) == bool_of(b),
        Kind::Int => int_of(a) == int_of(b),
        Kind::Uint => uint_of(a) == uint_of(b),
        Kind::Float => float_of(a) == float_of(b),
        Kind::Complex => match (a, b) {
            (Value::Complex(x, xi), Value::Complex(y, yi)) => x == y && xi == yi,
            _ => false,
        },
        Kind::String => str_of(a) == str_of(b),
        Kind::Invalid if !build.says_non_comparable() => {
            // Before Go 1.20 only the first operand's type is checked; the two are then
            // compared as interfaces, which are unequal when their types differ.
            if !comparable(a) {
                return Err(call_err(format!(
                    "uncomparable type {}: {}",
                    a.type_name(),
                    gofmt::sprint_v(a)
                )));
            }
            a.is_nil() && b.is_nil() || same_object(a, b)
        }
        Kind::Invalid => {
            let (r1, r2) = (reflect_kind(a), reflect_kind(b));
            if r1 != r2 && r1 != 0 && r2 != 0 {
                return Err(call_err(format!(
                    "non-comparable types {}: {}, {}: {}",
                    show(a),
                    a.type_name(),
                    b.type_name(),
                    gofmt::sprint_v(b)
                )));
            }
            if a.is_go_nil() || b.is_go_nil() {
                a.is_go_nil() == b.is_go_nil()
            } else if !comparable(b) {
                return Err(call_err(format!(
                    "non-comparable type {}: {}",
                    show(b),
                    b.type_name()
                )));
            } else {
                same_object(a, b)
            }
        }
    })
}

/// Whether Go's `==` takes a value that is no basic kind: a nil, a pointer or a struct of
/// comparable fields ([`Comparison`]); no map or slice.
fn comparable(v: &Value) -> bool {
    match v {
        Value::Nil => true,
        Value::Object(o) => o.comparison() != Comparison::No,
        _ => false,
    }
}

/// Go's `==` on two comparable objects: a pointer is equal only to itself, a struct to one of
/// its type with equal fields.
fn same_object(a: &Value, b: &Value) -> bool {
    let (Value::Object(x), Value::Object(y)) = (a, b) else {
        return false;
    };
    match (x.comparison(), y.comparison()) {
        (Comparison::Identity, Comparison::Identity) => {
            std::ptr::addr_eq(std::rc::Rc::as_ptr(x), std::rc::Rc::as_ptr(y))
        }
        (Comparison::Fields(f), Comparison::Fields(g)) => x.type_name() == y.type_name() && f == g,
        _ => false,
    }
}

/// `eq a b c…`: whether `a` equals any of the others.
fn eq(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    args::arity_at_least(a, 1)?;
    if a.len() == 1 {
        return Err(call_err("missing argument for comparison"));
    }
    for other in &a[1..] {
        if equal(&a[0], other, ctx.build)? {
            return Ok(Value::bool(true));
        }
    }
    Ok(Value::bool(false))
}

/// `ne a b`.
fn ne(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    args::arity(a, 2)?;
    Ok(Value::bool(!equal(&a[0], &a[1], ctx.build)?))
}

/// Go's `lt` for ordered basic kinds.
fn less(a: &Value, b: &Value, build: HelmBuild) -> Result<bool, FuncError> {
    let named = build.names_compared_types();
    let k1 = basic_kind(a);
    if k1 == Kind::Invalid {
        return Err(bad_comparison_type());
    }
    let k2 = basic_kind(b);
    if k2 == Kind::Invalid {
        return Err(bad_comparison_type());
    }
    if k1 != k2 {
        return match (k1, k2) {
            (Kind::Int, Kind::Uint) => Ok(int_of(a) < 0 || (int_of(a) as u64) < uint_of(b)),
            (Kind::Uint, Kind::Int) => Ok(int_of(b) >= 0 && uint_of(a) < int_of(b) as u64),
            _ => Err(bad_comparison(a, b, named)),
        };
    }
    match k1 {
        Kind::Float => Ok(float_of(a) < float_of(b)),
        Kind::Int => Ok(int_of(a) < int_of(b)),
        Kind::Uint => Ok(uint_of(a) < uint_of(b)),
        Kind::String => Ok(str_of(a) < str_of(b)),
        Kind::Bool | Kind::Complex | Kind::Invalid => Err(bad_comparison_type()),
    }
}

/// `lt a b`.
fn lt(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    args::arity(a, 2)?;
    Ok(Value::bool(less(&a[0], &a[1], ctx.build)?))
}

/// `le a b`: `lt`, or else `eq`.
fn le(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    args::arity(a, 2)?;
    Ok(Value::bool(
        less(&a[0], &a[1], ctx.build)? || equal(&a[0], &a[1], ctx.build)?,
    ))
}

/// `gt a b`: not `le`.
fn gt(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    args::arity(a, 2)?;
    Ok(Value::bool(
        !(less(&a[0], &a[1], ctx.build)? || equal(&a[0], &a[1], ctx.build)?),
    ))
}

/// `ge a b`: not `lt`.
fn ge(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    args::arity(a, 2)?;
    Ok(Value::bool(!less(&a[0], &a[1], ctx.build)?))
}

/// `print`: `fmt.Sprint`.
fn print(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    printed(gofmt::sprint(a))
}

/// `printf`: `fmt.Sprintf`.
fn printf(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    args::arity_at_least(a, 1)?;
    let format = args::string(&a[0])?;
    printed(gofmt::sprintf(format.as_str(), &a[1..]))
}

/// `println`: `fmt.Sprintln`.
fn println(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    printed(gofmt::sprintln(a))
}

/// What a print function made, unless it passed the engine's bound on built strings: the
/// printer stops writing values there (with `...`), so the text is not Go's, and the render
/// stops as `repeat` does past the same bound.
pub(super) fn printed(text: crate::template::value::Str) -> Result<Value, FuncError> {
    use super::sprig_strings::MAX_BUILT;
    if text.as_str().len() > MAX_BUILT {
        return Err(FuncError::Budget(format!(
            "a string longer than {MAX_BUILT} bytes"
        )));
    }
    Ok(Value::Str(text))
}

/// Go's `evalArgs`: one string as it is, anything else as `fmt.Sprint` prints it, with a nil
/// operand as the text `<no value>`.
fn eval_args(a: &[Value]) -> Str {
    if let [Value::Str(s)] = a {
        return s.clone();
    }
    let printable: Vec<Value> = a
        .iter()
        .map(|v| match v {
            Value::Nil => Value::str("<no value>"),
            other => other.clone(),
        })
        .collect();
    gofmt::sprint(&printable)
}

/// Go's `HTMLEscapeString`.
pub(crate) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{fffd}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Go's `JSEscapeString`.
pub(crate) fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if c < ' ' => out.push_str(&format!("\\u00{:02X}", c as u32)),
            // A byte that is no UTF-8 decodes as U+FFFD, which prints: Go copies the byte.
            c if c.is_ascii()
                || gofmt::is_print(c as u32)
                || crate::template::go_bytes::raw_byte(c).is_some() =>
            {
                out.push(c)
            }
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub(crate) fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in crate::template::go_bytes::go_bytes(s).iter() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `html`.
fn html(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::str(html_escape(eval_args(a).as_str())))
}

/// `js`.
fn js(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::str(js_escape(eval_args(a).as_str())))
}

/// `urlquery`.
fn urlquery(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::str(query_escape(eval_args(a).as_str())))
}

#[cfg(test)]
mod tests;

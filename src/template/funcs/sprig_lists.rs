//! Sprig's list functions (`list.go`, `numeric.go`'s `until`/`seq`, Sprig v3.3).
//!
//! Sprig takes lists as `interface{}` and walks them with reflection, so any slice works
//! (a `[]string` from `splitList`, a `[]int` from `until`, a `[]byte`) and the result is a new
//! `[]interface {}`. A value that is not a slice is an error naming its kind; nil makes Go's
//! reflection dereference a nil pointer, and the message says so. The `must` variants differ
//! from the others only in returning the error instead of panicking, which a template cannot
//! tell apart.

use std::rc::Rc;

use super::super::value::{ElemType, IntType, Value};
use super::args::{arity, arity_at_least, go_int, strval};
use super::sprig_defaults::{deep_equal, empty};
use super::sprig_strings::strslice;
use super::{Ctx, Func, FuncError};

/// The functions of this family.
pub(crate) const FUNCS: &[(&str, Func)] = &[
    ("list", list),
    ("tuple", list),
    ("append", push),
    ("push", push),
    ("mustAppend", push),
    ("mustPush", push),
    ("prepend", prepend),
    ("mustPrepend", prepend),
    ("first", first),
    ("mustFirst", first),
    ("last", last),
    ("mustLast", last),
    ("rest", rest),
    ("mustRest", rest),
    ("initial", initial),
    ("mustInitial", initial),
    ("reverse", reverse),
    ("mustReverse", reverse),
    ("uniq", uniq),
    ("mustUniq", uniq),
    ("without", without),
    ("mustWithout", without),
    ("has", has),
    ("mustHas", has),
    ("compact", compact),
    ("mustCompact", compact),
    ("slice", slice),
    ("mustSlice", slice),
    ("concat", concat),
    ("chunk", chunk),
    ("mustChunk", chunk),
    ("sortAlpha", sort_alpha),
    ("until", until),
    ("untilStep", until_step),
    ("seq", seq),
];

/// The most elements `until`, `untilStep` and `seq` make (Go would try to allocate them all).
const MAX_ITEMS: usize = 1 << 22;

/// The nil-pointer panic of `reflect.TypeOf(nil).Kind()`.
pub(crate) fn nil_deref() -> FuncError {
    FuncError::call("runtime error: invalid memory address or nil pointer dereference")
}

/// A slice's elements as `interface{}` values (`reflect.Value.Index(i).Interface()`), or
/// `None` (with the value's kind) when it is not a slice.
pub(crate) fn elements(v: &Value) -> Result<Result<Vec<Value>, &'static str>, FuncError> {
    match v {
        Value::Nil => Err(nil_deref()),
        Value::List(l) => Ok(Ok(l.items.clone())),
        Value::Bytes(b) => Ok(Ok(b
            .iter()
            .map(|x| Value::Int(i64::from(*x), IntType::Uint8, None))
            .collect())),
        // A named slice type (`.Capabilities.APIVersions`) walks like its slice.
        Value::Object(o) => match o.underlying() {
            Some(u @ (Value::List(_) | Value::Bytes(_))) => elements(&u),
            _ => Ok(Err(v.kind_name())),
        },
        other => Ok(Err(other.kind_name())),
    }
}

/// The elements, or Sprig's `Cannot WHAT on type KIND` error.
fn items(v: &Value, what: &str) -> Result<Vec<Value>, FuncError> {
    elements(v)?.map_err(|kind| FuncError::call(format!("Cannot {what} type {kind}")))
}

fn list(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::list(a.to_vec()))
}

fn push(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let mut l = items(&a[0], "push on")?;
    l.push(a[1].clone());
    Ok(Value::list(l))
}

fn prepend(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let mut l = items(&a[0], "prepend on")?;
    l.insert(0, a[1].clone());
    Ok(Value::list(l))
}

fn first(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let l = items(&a[0], "find first on")?;
    Ok(l.into_iter().next().unwrap_or(Value::Nil))
}

fn last(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let l = items(&a[0], "find last on")?;
    Ok(l.into_iter().next_back().unwrap_or(Value::Nil))
}

/// `rest`: all but the first element; nil for an empty list, as Sprig returns.
fn rest(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let l = items(&a[0], "find rest on")?;
    if l.is_empty() {
        return Ok(Value::nil_list(ElemType::Any));
    }
    Ok(Value::list(l.into_iter().skip(1).collect()))
}

/// `initial`: all but the last element; nil for an empty list, as Sprig returns.
fn initial(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let mut l = items(&a[0], "find initial on")?;
    if l.is_empty() {
        return Ok(Value::nil_list(ElemType::Any));
    }
    l.pop();
    Ok(Value::list(l))
}

fn reverse(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let mut l = items(&a[0], "find reverse on")?;
    l.reverse();
    Ok(Value::list(l))
}

fn contains(haystack: &[Value], needle: &Value) -> bool {
    haystack.iter().any(|h| deep_equal(needle, h))
}

/// The distinct elements (by `reflect.DeepEqual`), first occurrences in order.
fn uniq(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let mut out: Vec<Value> = Vec::new();
    for x in items(&a[0], "find uniq on")? {
        if !contains(&out, &x) {
            out.push(x);
        }
    }
    Ok(Value::list(out))
}

fn without(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity_at_least(a, 1)?;
    let l = items(&a[0], "find without on")?;
    Ok(Value::list(
        l.into_iter().filter(|x| !contains(&a[1..], x)).collect(),
    ))
}

/// `has NEEDLE HAYSTACK`: false for a nil haystack.
fn has(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    if a[1].is_nil() {
        return Ok(Value::bool(false));
    }
    let l = items(&a[1], "find has on")?;
    Ok(Value::bool(contains(&l, &a[0])))
}

fn compact(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let l = items(&a[0], "compact on")?;
    Ok(Value::list(l.into_iter().filter(|x| !empty(x)).collect()))
}

/// `slice LIST [START [END]]`: a slice of the same type; nil for an empty list.
fn slice(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity_at_least(a, 1)?;
    let (all, elem) = match &a[0] {
        Value::List(l) => (l.items.clone(), l.elem),
        other => match elements(other)? {
            Ok(x) => (x, ElemType::Any),
            Err(kind) => {
                return Err(FuncError::call(format!(
                    "list should be type of slice or array but {kind}"
                )));
            }
        },
    };
    if all.is_empty() {
        return Ok(Value::Nil);
    }
    let start = a
        .get(1)
        .map_or(0, |v| super::sprig_math::cast_to_int(ctx, v));
    let end = a
        .get(2)
        .map_or(all.len() as i64, |v| super::sprig_math::cast_to_int(ctx, v));
    if start < 0 || end < start || end > all.len() as i64 {
        return Err(FuncError::call(
            "reflect.Value.Slice: slice index out of bounds",
        ));
    }
    let items = all[start as usize..end as usize].to_vec();
    if let Value::Object(o) = &a[0]
        && let Some(v) = o.resliced(&items)
    {
        return Ok(v);
    }
    if let Value::Bytes(_) = &a[0] {
        let bytes: Vec<u8> = items
            .iter()
            .map(|v| match v {
                Value::Int(n, _, _) => *n as u8,
                _ => 0,
            })
            .collect();
        return Ok(Value::Bytes(Rc::from(bytes)));
    }
    Ok(Value::typed_list(items, elem))
}

fn concat(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    let mut out = Vec::new();
    for l in a {
        match elements(l)? {
            Ok(x) => out.extend(x),
            Err(kind) => {
                return Err(FuncError::call(format!(
                    "Cannot concat type {kind} as list"
                )));
            }
        }
    }
    // Sprig appends to a nil slice: nothing appended leaves it nil.
    if out.is_empty() {
        return Ok(Value::nil_list(ElemType::Any));
    }
    Ok(Value::list(out))
}

/// `chunk SIZE LIST`: lists of SIZE elements, the last one shorter (a `[][]interface {}`).
fn chunk(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let size = go_int(&a[0])?;
    let l = items(&a[1], "chunk")?;
    let out_of_range = || {
        Err(FuncError::call(
            "runtime error: makeslice: len out of range",
        ))
    };
    if size <= 0 {
        // Sprig counts the chunks in floats, `floor((len-1)/size) + 1`, and makes that many,
        // all but the last `size` long, the last `len mod size` (or `size` when that is 0):
        // with a size of 0 or below, Go makes a slice of a negative or NaN length and panics,
        // unless there is no chunk, or one of the one item.
        let n = ((l.len() as f64 - 1.0) / size as f64).floor() + 1.0;
        let last = (l.len() as f64 % size as f64).floor();
        return match n {
            0.0 => Ok(Value::typed_list(Vec::new(), ElemType::List)),
            1.0 if last > 0.0 => Ok(Value::typed_list(
                vec![Value::list(l[..last as usize].to_vec())],
                ElemType::List,
            )),
            _ => out_of_range(),
        };
    }
    Ok(Value::typed_list(
        l.chunks(size as usize)
            .map(|c| Value::list(c.to_vec()))
            .collect(),
        ElemType::List,
    ))
}

/// `sortAlpha LIST`: the elements' `strval`s sorted (a `[]string`); a non-list is a
/// one-element list of its `strval`.
fn sort_alpha(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let is_slice = match &a[0] {
        Value::List(_) | Value::Bytes(_) => true,
        Value::Object(o) => matches!(o.underlying(), Some(Value::List(_) | Value::Bytes(_))),
        _ => false,
    };
    let mut strs = if is_slice {
        strslice(&a[0])
    } else {
        vec![strval(&a[0])]
    };
    strs.sort_by(|x, y| x.as_str().cmp(y.as_str()));
    Ok(Value::typed_list(
        strs.into_iter().map(Value::Str).collect(),
        ElemType::String,
    ))
}

/// Sprig's `untilStep` as numbers, capped at [`MAX_ITEMS`].
fn until_step_ints(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, FuncError> {
    let mut v = Vec::new();
    let too_many = || FuncError::Budget(format!("more than {MAX_ITEMS} items"));
    if stop < start {
        if step >= 0 {
            return Ok(v);
        }
        let mut i = start;
        while i > stop {
            if v.len() >= MAX_ITEMS {
                return Err(too_many());
            }
            v.push(i);
            i = match i.checked_add(step) {
                Some(n) => n,
                None => break,
            };
        }
        return Ok(v);
    }
    if step <= 0 {
        return Ok(v);
    }
    let mut i = start;
    while i < stop {
        if v.len() >= MAX_ITEMS {
            return Err(too_many());
        }
        v.push(i);
        i = match i.checked_add(step) {
            Some(n) => n,
            None => break,
        };
    }
    Ok(v)
}

fn int_list(v: Vec<i64>) -> Value {
    Value::typed_list(v.into_iter().map(Value::int).collect(), ElemType::Int)
}

/// `until N`: `[]int` 0..N (counting down for a negative N).
fn until(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let n = go_int(&a[0])?;
    let step = if n < 0 { -1 } else { 1 };
    Ok(int_list(until_step_ints(0, n, step)?))
}

fn until_step(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 3)?;
    let (start, stop, step) = (go_int(&a[0])?, go_int(&a[1])?, go_int(&a[2])?);
    Ok(int_list(until_step_ints(start, stop, step)?))
}

/// `seq`: like the Unix command, a space-separated string of numbers.
fn seq(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    let p: Vec<i64> = a.iter().map(go_int).collect::<Result<_, _>>()?;
    let nums = match p.as_slice() {
        [end] => {
            let inc = if *end < 1 { -1 } else { 1 };
            until_step_ints(1, end.saturating_add(inc), inc)?
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            until_step_ints(*start, end.saturating_add(step), step)?
        }
        [start, step, end] => {
            let inc = if end < start { -1 } else { 1 };
            if end < start && *step > 0 {
                return Ok(Value::str(""));
            }
            until_step_ints(*start, end.saturating_add(inc), *step)?
        }
        _ => Vec::new(),
    };
    let text: Vec<String> = nums.iter().map(|n| n.to_string()).collect();
    Ok(Value::str(text.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::super::sprig_testutil::{call, err, i, l, m, s, show};
    use crate::template::value::{ElemType, Value};

    // Expectations from `helm template` (Helm 3.17.3) and Sprig's list_test.go.
    #[test]
    fn ranges() {
        assert_eq!(show("until", &[i(3)]), "[0 1 2]");
        assert_eq!(show("until", &[i(-3)]), "[0 -1 -2]");
        assert_eq!(show("untilStep", &[i(0), i(10), i(3)]), "[0 3 6 9]");
        assert_eq!(show("untilStep", &[i(10), i(0), i(-4)]), "[10 6 2]");
        assert_eq!(call("until", &[i(2)]).unwrap().type_name(), "[]int");
        assert_eq!(show("seq", &[i(3)]), "1 2 3");
        assert_eq!(show("seq", &[i(0)]), "1 0");
        assert_eq!(show("seq", &[i(2), i(5)]), "2 3 4 5");
        assert_eq!(show("seq", &[i(5), i(2)]), "5 4 3 2");
        assert_eq!(show("seq", &[i(1), i(2), i(7)]), "1 3 5 7");
        assert_eq!(show("seq", &[i(7), i(-2), i(1)]), "7 5 3 1");
        assert_eq!(show("seq", &[i(7), i(2), i(1)]), "");
        assert_eq!(show("seq", &[]), "");
        assert!(call("until", &[i(1 << 40)]).is_err());
    }

    #[test]
    fn list_accessors() {
        let abc = || l(&[s("a"), s("b"), s("c")]);
        assert_eq!(show("first", &[abc()]), "a");
        assert_eq!(show("last", &[abc()]), "c");
        assert_eq!(show("rest", &[abc()]), "[b c]");
        assert_eq!(show("initial", &[abc()]), "[a b]");
        assert_eq!(show("reverse", &[abc()]), "[c b a]");
        assert_eq!(show("first", &[l(&[])]), "<nil>");
        assert_eq!(show("rest", &[l(&[])]), "[]");
        assert_eq!(show("append", &[abc(), i(1)]), "[a b c 1]");
        assert_eq!(show("prepend", &[abc(), i(1)]), "[1 a b c]");
        let strs = Value::typed_list(vec![s("x")], ElemType::String);
        assert_eq!(
            call("append", &[strs, s("y")]).unwrap().type_name(),
            "[]interface {}"
        );
        assert_eq!(
            err("first", &[Value::Nil]),
            "runtime error: invalid memory address or nil pointer dereference"
        );
        assert_eq!(err("first", &[i(3)]), "Cannot find first on type int");
        assert_eq!(err("append", &[m(&[]), i(3)]), "Cannot push on type map");
    }

    #[test]
    fn set_like_functions_use_deep_equality() {
        let v = l(&[i(1), i(1), s("1"), Value::int64(1), l(&[i(2)]), l(&[i(2)])]);
        assert_eq!(show("uniq", &[v]), "[1 1 1 [2]]");
        assert_eq!(
            show("without", &[l(&[i(1), i(2), i(3)]), i(2), s("3")]),
            "[1 3]"
        );
        assert_eq!(show("has", &[i(2), l(&[i(1), i(2)])]), "true");
        assert_eq!(show("has", &[i(2), Value::Nil]), "false");
        assert_eq!(
            err("has", &[i(2), s("2")]),
            "Cannot find has on type string"
        );
        assert_eq!(
            show(
                "compact",
                &[l(&[
                    s(""),
                    i(0),
                    s("a"),
                    Value::Nil,
                    l(&[]),
                    Value::bool(false)
                ])]
            ),
            "[a]"
        );
    }

    #[test]
    fn slice_concat_chunk_sort() {
        let v = || l(&[i(1), i(2), i(3), i(4)]);
        assert_eq!(show("slice", &[v(), i(1), i(3)]), "[2 3]");
        assert_eq!(show("slice", &[v(), i(2)]), "[3 4]");
        assert_eq!(show("slice", &[l(&[])]), "<nil>");
        assert_eq!(
            err("slice", &[v(), i(3), i(9)]),
            "reflect.Value.Slice: slice index out of bounds"
        );
        assert_eq!(show("concat", &[v(), l(&[i(5)]), l(&[])]), "[1 2 3 4 5]");
        assert_eq!(
            err("concat", &[v(), s("x")]),
            "Cannot concat type string as list"
        );
        assert_eq!(show("chunk", &[i(3), v()]), "[[1 2 3] [4]]");
        assert_eq!(show("chunk", &[i(3), l(&[])]), "[]");
        // A size of 0 or below, as Helm 3.17.3 printed `chunk SIZE (until N) | toJson`: Go
        // panics making a slice of a negative or NaN length, unless no chunk is made or one of
        // the single item.
        for (size, n, want) in [
            (0, 0, None),
            (0, 1, None),
            (0, 3, None),
            (-1, 0, None),
            (-1, 1, None),
            (-1, 2, Some("[]")),
            (-1, 3, None),
            (-2, 0, None),
            (-2, 1, Some("[[0]]")),
            (-2, 2, Some("[]")),
            (-5, 1, Some("[[0]]")),
            (-5, 3, Some("[]")),
        ] {
            let list = l(&(0..n).map(i).collect::<Vec<_>>());
            match want {
                Some(w) => assert_eq!(show("chunk", &[i(size), list]), w, "{size} {n}"),
                None => assert_eq!(
                    err("chunk", &[i(size), list]),
                    "runtime error: makeslice: len out of range",
                    "{size} {n}"
                ),
            }
        }
        assert_eq!(show("sortAlpha", &[Value::Nil]), "[<nil>]");
        assert_eq!(show("sortAlpha", &[i(3)]), "[3]");
        assert_eq!(
            show("sortAlpha", &[l(&[s("b"), i(1), s("a"), Value::Nil])]),
            "[1 a b]"
        );
        assert_eq!(show("list", &[]), "[]");
    }
}

//! Sprig's defaults, reflection and flow-control functions (`defaults.go`, `reflect.go`):
//! `default`, `empty`, `coalesce`, `ternary`, `all`, `any`, `typeOf`, `kindIs`, `deepEqual`,
//! `fail`.

use super::super::value::Value;
use super::args::{arity, arity_at_least, boolean, string};
use super::{Ctx, Func, FuncError};

/// The functions of this family.
pub(crate) const FUNCS: &[(&str, Func)] = &[
    ("default", default),
    ("empty", empty_fn),
    ("coalesce", coalesce),
    ("ternary", ternary),
    ("all", all),
    ("any", any),
    ("typeOf", type_of),
    ("typeIs", type_is),
    ("typeIsLike", type_is_like),
    ("kindOf", kind_of),
    ("kindIs", kind_is),
    ("deepEqual", deep_equal_fn),
    ("fail", fail),
    ("hello", hello),
];

/// Sprig's `empty`: nil, false, 0, and empty strings, slices and maps; a struct or pointer
/// never is.
pub(crate) fn empty(v: &Value) -> bool {
    match v {
        Value::Nil => true,
        Value::Bool(b, _) => !b,
        Value::Int(n, _, _) => *n == 0,
        Value::Float(f, _) => *f == 0.0,
        Value::Complex(re, im) => *re == 0.0 && *im == 0.0,
        Value::Str(s) => s.as_str().is_empty(),
        Value::Bytes(b) => b.is_empty(),
        Value::List(l) => l.items.is_empty(),
        Value::Map(m) => m.borrow().entries.is_empty(),
        // A named map or slice type (`.Files`, `.Capabilities.APIVersions`) is empty when its
        // map or slice is; a struct never is.
        Value::Object(o) => o.underlying().is_some_and(|u| empty(&u)),
    }
}

/// `default D GIVEN`: GIVEN unless it is empty (or absent), else D.
fn default(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity_at_least(a, 1)?;
    match a.get(1) {
        Some(given) if !empty(given) => Ok(given.clone()),
        _ => Ok(a[0].clone()),
    }
}

fn empty_fn(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    Ok(Value::bool(empty(&a[0])))
}

/// The first non-empty argument, or nil.
fn coalesce(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    Ok(a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Nil))
}

/// `ternary T F COND`.
fn ternary(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 3)?;
    let cond = boolean(&a[2])?;
    Ok(if cond { a[0].clone() } else { a[1].clone() })
}

fn all(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::bool(a.iter().all(|v| !empty(v))))
}

fn any(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::bool(a.iter().any(|v| !empty(v))))
}

/// `%T`: `typeOf 1` is `int`, `typeOf (dict)` is `map[string]interface {}`.
fn type_of(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    Ok(Value::str(a[0].type_name()))
}

fn type_is(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let target = string(&a[0])?.as_str();
    Ok(Value::bool(a[1].type_name() == target))
}

/// Like `typeIs`, also matching a pointer to the type (`*semver.Version` for `semver.Version`).
fn type_is_like(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let target = string(&a[0])?.as_str();
    let t = a[1].type_name();
    Ok(Value::bool(
        t == target || t.strip_prefix('*') == Some(target),
    ))
}

fn kind_of(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    Ok(Value::str(a[0].kind_name()))
}

fn kind_is(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let target = string(&a[0])?.as_str();
    Ok(Value::bool(a[1].kind_name() == target))
}

/// Go's `reflect.DeepEqual` on template values: same dynamic types (an `int` is not an
/// `int64`, a `[]string` not a `[]interface {}`), then equal contents.
pub(crate) fn deep_equal(x: &Value, y: &Value) -> bool {
    eq(x, y, 0, &mut std::collections::HashSet::new())
}

/// [`deep_equal`] down to a depth (a stack guard), with Go's memory of the pairs of lists and
/// maps under comparison or compared: a pair met again counts as equal, so that a map that
/// contains itself ends, and a value held in many places (a list doubled in a loop, 2^40
/// places out of 40 lists) is compared once per pair, not once per place.
fn eq(
    x: &Value,
    y: &Value,
    depth: usize,
    seen: &mut std::collections::HashSet<(usize, usize)>,
) -> bool {
    if depth > 256 {
        return false;
    }
    match (x, y) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(a, _), Value::Bool(b, _)) => a == b,
        (Value::Int(a, ta, _), Value::Int(b, tb, _)) => ta == tb && a == b,
        (Value::Float(a, _), Value::Float(b, _)) => a == b,
        (Value::Complex(a, ai), Value::Complex(b, bi)) => a == b && ai == bi,
        (Value::Str(a), Value::Str(b)) => a.as_str() == b.as_str(),
        (Value::Bytes(a), Value::Bytes(b)) => a == b,
        (Value::List(a), Value::List(b)) => {
            if std::rc::Rc::ptr_eq(a, b)
                || !seen.insert((
                    std::rc::Rc::as_ptr(a) as usize,
                    std::rc::Rc::as_ptr(b) as usize,
                ))
            {
                return true;
            }
            a.elem == b.elem
                && a.nil == b.nil
                && a.items.len() == b.items.len()
                && a.items
                    .iter()
                    .zip(&b.items)
                    .all(|(p, q)| eq(p, q, depth + 1, seen))
        }
        (Value::Map(a), Value::Map(b)) => {
            if std::rc::Rc::ptr_eq(a, b)
                || !seen.insert((
                    std::rc::Rc::as_ptr(a) as usize,
                    std::rc::Rc::as_ptr(b) as usize,
                ))
            {
                return true;
            }
            let (a, b) = (a.borrow(), b.borrow());
            a.elem == b.elem
                && a.nil == b.nil
                && a.entries.len() == b.entries.len()
                && a.entries
                    .iter()
                    .all(|(k, v)| b.entries.get(k).is_some_and(|w| eq(v, w, depth + 1, seen)))
        }
        (Value::Object(a), Value::Object(b)) => {
            std::ptr::addr_eq(std::rc::Rc::as_ptr(a), std::rc::Rc::as_ptr(b))
                || (a.type_name() == b.type_name() && a.fmt_v() == b.fmt_v())
        }
        _ => false,
    }
}

fn deep_equal_fn(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    Ok(Value::bool(deep_equal(&a[0], &a[1])))
}

/// Sprig's greeting.
fn hello(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 0)?;
    Ok(Value::str("Hello!"))
}

/// `fail MSG`: stops rendering with MSG.
fn fail(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    Err(FuncError::call(string(&a[0])?.as_str()))
}

#[cfg(test)]
mod tests {
    use super::super::sprig_testutil::{err, i, l, m, s, show};
    use crate::template::value::{ElemType, Value};

    // Expectations from `helm template` (Helm 3.17.3).
    #[test]
    fn default_and_empty() {
        let d = s("d");
        assert_eq!(show("default", std::slice::from_ref(&d)), "d");
        assert_eq!(show("default", &[d.clone(), Value::Nil]), "d");
        assert_eq!(show("default", &[d.clone(), i(0)]), "d");
        assert_eq!(show("default", &[d.clone(), Value::float(0.0)]), "d");
        assert_eq!(show("default", &[d.clone(), l(&[])]), "d");
        assert_eq!(show("default", &[d.clone(), m(&[])]), "d");
        assert_eq!(show("default", &[d.clone(), Value::bool(false)]), "d");
        assert_eq!(show("default", &[d.clone(), s("x"), s("y")]), "x");
        assert_eq!(show("default", &[d, Value::bool(true)]), "true");
        assert_eq!(show("empty", &[s("")]), "true");
        assert_eq!(show("empty", &[l(&[Value::Nil])]), "false");
    }

    #[test]
    fn coalesce_all_any_ternary() {
        assert_eq!(show("coalesce", &[Value::Nil, s(""), i(0), s("z")]), "z");
        assert_eq!(show("coalesce", &[]), "<nil>");
        assert_eq!(show("all", &[]), "true");
        assert_eq!(show("any", &[]), "false");
        assert_eq!(show("all", &[i(1), s("")]), "false");
        assert_eq!(show("any", &[i(0), s("x")]), "true");
        assert_eq!(show("ternary", &[s("a"), s("b"), Value::bool(true)]), "a");
        assert_eq!(show("ternary", &[s("a"), s("b"), Value::bool(false)]), "b");
        assert_eq!(
            err("ternary", &[s("a"), s("b"), s("true")]),
            "wrong type for value; expected bool; got string"
        );
    }

    #[test]
    fn types_and_kinds() {
        assert_eq!(show("typeOf", &[Value::Nil]), "<nil>");
        assert_eq!(show("kindOf", &[Value::Nil]), "invalid");
        assert_eq!(show("typeOf", &[Value::int64(3)]), "int64");
        assert_eq!(show("typeOf", &[m(&[])]), "map[string]interface {}");
        assert_eq!(show("kindIs", &[s("map"), m(&[])]), "true");
        assert_eq!(show("kindIs", &[s("slice"), l(&[])]), "true");
        assert_eq!(show("typeIs", &[s("string"), s("x")]), "true");
        assert_eq!(show("typeIsLike", &[s("int"), i(1)]), "true");
    }

    #[test]
    fn deep_equal_compares_types() {
        assert_eq!(show("deepEqual", &[i(1), i(1)]), "true");
        assert_eq!(show("deepEqual", &[i(1), Value::int64(1)]), "false");
        assert_eq!(show("deepEqual", &[l(&[i(1)]), l(&[i(1)])]), "true");
        let strs = Value::typed_list(vec![s("a")], ElemType::String);
        assert_eq!(show("deepEqual", &[l(&[s("a")]), strs]), "false");
        assert_eq!(
            show("deepEqual", &[m(&[("a", i(1))]), m(&[("a", i(1))])]),
            "true"
        );
        // Two maps that each contain themselves are deeply equal in Go (Helm 3.17.3 prints
        // `true`): the pair met again counts as equal.
        let selfish = || {
            let d = m(&[]);
            if let Value::Map(inner) = &d {
                inner.borrow_mut().entries.insert("x".into(), d.clone());
            }
            d
        };
        let (a, b) = (selfish(), selfish());
        assert_eq!(show("deepEqual", &[a.clone(), b.clone()]), "true");
        for d in [a, b] {
            if let Value::Map(inner) = &d {
                inner.borrow_mut().entries.clear();
            }
        }
        // Helm replaces Sprig's `fail` with one that marks the message for its error cleanup.
        assert_eq!(err("fail", &[s("boom")]), "HELM_ERR_STARTboomHELM_ERR_END");
        assert_eq!(show("hello", &[]), "Hello!");
    }
}

#[cfg(test)]
mod object_tests {
    use super::super::sprig_testutil::{s, show};
    use crate::template::value::{Object, Value};
    use std::rc::Rc;

    /// A named slice type, as `.Capabilities.APIVersions` is.
    #[derive(Debug)]
    struct Versions(Vec<&'static str>);

    impl Object for Versions {
        fn type_name(&self) -> &str {
            "chartutil.VersionSet"
        }
        fn field(&self, _: &str) -> Option<Value> {
            None
        }
        fn call(&self, _: &str, _: &[Value]) -> Option<Result<Value, crate::template::FuncError>> {
            None
        }
        fn fmt_v(&self) -> String {
            format!("[{}]", self.0.join(" "))
        }
        fn underlying(&self) -> Option<Value> {
            Some(Value::typed_list(
                self.0.iter().map(|v| Value::str(*v)).collect(),
                crate::template::value::ElemType::String,
            ))
        }
    }

    // Expectations from `helm template` (Helm 3.17.3): `empty .Files` is true for a chart
    // without files, `has "v1" .Capabilities.APIVersions` is true.
    #[test]
    fn named_slices_and_maps_behave_as_their_values() {
        let some = Value::Object(Rc::new(Versions(vec!["v1", "apps/v1"])));
        let none = Value::Object(Rc::new(Versions(vec![])));
        assert_eq!(show("empty", std::slice::from_ref(&none)), "true");
        assert_eq!(show("empty", std::slice::from_ref(&some)), "false");
        assert_eq!(show("default", &[s("d"), none]), "d");
        assert_eq!(show("kindOf", std::slice::from_ref(&some)), "slice");
        assert_eq!(show("has", &[s("v1"), some.clone()]), "true");
        assert_eq!(show("first", std::slice::from_ref(&some)), "v1");
        assert_eq!(
            show("sortAlpha", std::slice::from_ref(&some)),
            "[apps/v1 v1]"
        );
        assert_eq!(show("join", &[s(","), some]), "v1,apps/v1");
    }
}

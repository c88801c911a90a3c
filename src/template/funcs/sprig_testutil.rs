//! Helpers for the Sprig families' unit tests.

use super::super::fmt as gofmt;
use super::super::value::Value;
use super::{Ctx, FuncError, lookup};

/// Calls the function `name` as the executor would.
pub(crate) fn call(name: &str, args: &[Value]) -> Result<Value, FuncError> {
    let f = lookup(name).unwrap_or_else(|| panic!("no function {name}"));
    f(&mut Ctx::default(), args)
}

/// The `%v` text of a successful call.
pub(crate) fn show(name: &str, args: &[Value]) -> String {
    match call(name, args) {
        Ok(v) => gofmt::sprint_v(&v),
        Err(e) => panic!("{name} failed: {e:?}"),
    }
}

/// [`show`], in the function map of the Helm release `major.minor.patch`.
pub(crate) fn show_as(release: (u32, u32, u32), name: &str, args: &[Value]) -> String {
    let f = lookup(name).unwrap_or_else(|| panic!("no function {name}"));
    let mut ctx = Ctx {
        build: crate::helm_build::HelmBuild::of_patch(release.0, release.1, release.2)
            .expect("a Helm 3 or 4 release"),
        ..Ctx::default()
    };
    match f(&mut ctx, args) {
        Ok(v) => gofmt::sprint_v(&v),
        Err(e) => panic!("{name} failed: {e:?}"),
    }
}

/// The message of a failed call (`Call` or `Arg`), or the arity error's text.
pub(crate) fn err(name: &str, args: &[Value]) -> String {
    match call(name, args) {
        Ok(v) => panic!("{name} succeeded: {}", gofmt::sprint_v(&v)),
        Err(FuncError::Call(m) | FuncError::Arg(m) | FuncError::Budget(m)) => m,
        Err(FuncError::Arity {
            want,
            variadic,
            got,
        }) => {
            format!(
                "wrong number of args: want {}{want} got {got}",
                if variadic { "at least " } else { "" }
            )
        }
    }
}

/// A string value.
pub(crate) fn s(t: &str) -> Value {
    Value::str(t)
}

/// An `int` value.
pub(crate) fn i(n: i64) -> Value {
    Value::int(n)
}

/// A `[]interface {}` value.
pub(crate) fn l(items: &[Value]) -> Value {
    Value::list(items.to_vec())
}

/// A `map[string]interface {}` value.
pub(crate) fn m(entries: &[(&str, Value)]) -> Value {
    Value::map(
        entries
            .iter()
            .map(|(k, v)| ((*k).into(), v.clone()))
            .collect(),
    )
}

//! Sprig's dictionary functions (`dict.go`, Sprig v3.3): `dict`, `get`, `set`, `merge`…
//!
//! Maps are shared and mutable like Go maps: `set`, `unset` and `merge`/`mergeOverwrite`
//! change the first map in place and return it. `merge` follows mergo v1.0.1's `deepMerge` for
//! `map[string]interface{}` exactly, including its odd corners (nested maps of the source are
//! assigned by reference; `mergeOverwrite` overwrites with empty values and with nil), and
//! v0.3 of Sprig before 3.3 (Helm 3.16), which keeps any value that is not empty against a map. Go
//! iterates maps in random order; `keys` and `values` give key order, which is what a chart
//! sees after the usual `sortAlpha`.

use std::rc::Rc;

use super::super::value::{ElemType, ListData, Map, MapData, Value};
use super::args::{arity, arity_at_least, dict as map_arg, string, strval};
use super::sprig_defaults::empty;
use super::{Ctx, Func, FuncError};
use crate::template::value::Entries;

/// The functions of this family.
pub(crate) const FUNCS: &[(&str, Func)] = &[
    ("dict", dict),
    ("get", get),
    ("set", set),
    ("unset", unset),
    ("hasKey", has_key),
    ("pluck", pluck),
    ("keys", keys),
    ("values", values),
    ("pick", pick),
    ("omit", omit),
    ("dig", dig),
    ("merge", merge),
    ("mustMerge", merge),
    ("mergeOverwrite", merge_overwrite),
    ("mustMergeOverwrite", merge_overwrite),
    ("deepCopy", deep_copy_fn),
    ("mustDeepCopy", deep_copy_fn),
];

/// How deep `merge` and `deepCopy` follow nested maps before giving up (a map that contains
/// itself would recurse forever; Go dies of a stack overflow).
const MAX_DEPTH: usize = 256;

fn new_map(entries: Entries) -> Value {
    Value::map(entries)
}

/// `dict K V K V…`: keys through `strval`; a key without a value maps to `""`.
fn dict(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    let mut entries = Entries::new();
    for pair in a.chunks(2) {
        let key: Rc<str> = strval(&pair[0]).text().clone();
        let value = pair.get(1).cloned().unwrap_or_else(|| Value::str(""));
        entries.insert(key, value);
    }
    Ok(new_map(entries))
}

/// The value under `key`, or `""` when there is none.
fn get(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let d = map_arg(&a[0])?;
    let key = string(&a[1])?.as_str();
    Ok(d.and_then(|m| m.borrow().entries.get(key).cloned())
        .unwrap_or_else(|| Value::str("")))
}

fn set(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 3)?;
    let d = map_arg(&a[0])?;
    let key = string(&a[1])?;
    let Some(m) = d.filter(|m| !m.borrow().nil) else {
        return Err(FuncError::call("assignment to entry in nil map"));
    };
    let repeat = m
        .borrow()
        .entries
        .get(key.as_str())
        .is_some_and(|old| crate::template::value::identical(old, &a[2]));
    if !repeat {
        crate::template::value::write_entries(m, |e| {
            e.insert(key.text().clone(), a[2].clone());
        });
        crate::template::cycles::written(m, &a[2]);
    }
    Ok(crate::template::value::through_plain_map_parameter(m))
}

fn unset(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let d = map_arg(&a[0])?;
    let key = string(&a[1])?.as_str();
    match d {
        Some(m) => {
            crate::template::value::write_entries(m, |e| {
                e.remove(key);
            });
            Ok(crate::template::value::through_plain_map_parameter(m))
        }
        None => Ok(Value::empty_map()),
    }
}

fn has_key(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let d = map_arg(&a[0])?;
    let key = string(&a[1])?.as_str();
    Ok(Value::bool(
        d.is_some_and(|m| m.borrow().entries.contains_key(key)),
    ))
}

/// `pluck KEY D…`: the values under `key` in the maps that have it.
fn pluck(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity_at_least(a, 1)?;
    let key = string(&a[0])?.as_str();
    let mut out = Vec::new();
    for d in &a[1..] {
        if let Some(v) = map_arg(d)?.and_then(|m| m.borrow().entries.get(key).cloned()) {
            out.push(v);
        }
    }
    Ok(Value::list(out))
}

/// `keys D…`: a `[]string` of every map's keys (each map's in key order; Go's are random).
fn keys(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    let mut out = Vec::new();
    for d in a {
        if let Some(m) = map_arg(d)? {
            out.extend(m.borrow().entries.keys().map(|k| Value::str(k.clone())));
        }
    }
    Ok(Value::typed_list(out, ElemType::String))
}

/// `values D`: a `[]interface {}` of the values (key order; Go's is random).
fn values(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let items = match map_arg(&a[0])? {
        Some(m) => m.borrow().entries.values().cloned().collect(),
        None => Vec::new(),
    };
    Ok(Value::list(items))
}

fn key_args(a: &[Value]) -> Result<Vec<&str>, FuncError> {
    a.iter().map(|k| Ok(string(k)?.as_str())).collect()
}

/// `pick D K…`: a new map of the entries named.
fn pick(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity_at_least(a, 1)?;
    let d = map_arg(&a[0])?;
    let wanted = key_args(&a[1..])?;
    let mut out = Entries::new();
    if let Some(m) = d {
        let m = m.borrow();
        for k in wanted {
            if let Some((key, v)) = m.entries.get_key_value(k) {
                out.insert(key.clone(), v.clone());
            }
        }
    }
    Ok(flagged_like(new_map(out), d))
}

/// `omit D K…`: a new map without the entries named.
fn omit(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity_at_least(a, 1)?;
    let d = map_arg(&a[0])?;
    let unwanted = key_args(&a[1..])?;
    // NOTE: a copy less the few keys named, not a map collected again: collecting sorts, and
    // charts call `omit` on a whole `.Values` of thousands of keys.
    let out = match d {
        Some(m) => {
            let mut out = m.borrow().entries.clone();
            for k in unwanted {
                out.remove(k);
            }
            out
        }
        None => Entries::new(),
    };
    Ok(flagged_like(new_map(out), d))
}

/// `copy` made from `source`: a copy of a chart's dot or `.Template` is flagged as one (see
/// `memo`: what differs between a chart's files).
fn flagged_like(copy: Value, source: Option<&Map>) -> Value {
    if let (Value::Map(c), Some(s)) = (&copy, source)
        && s.borrow().root
    {
        c.borrow_mut().root = true;
    }
    copy
}

/// Go's message when a type assertion `x.(T)` fails.
fn assertion_err(v: &Value, want: &str) -> FuncError {
    let got = match v {
        Value::Nil => "nil".to_string(),
        other => other.type_name(),
    };
    FuncError::call(format!(
        "interface conversion: interface {{}} is {got}, not {want}"
    ))
}

/// `v.(map[string]interface{})`: Helm's `Values` is another type (`dig … .Values` panics in
/// Helm; `.Values.AsMap` is the plain map).
fn as_any_map(v: &Value) -> Result<&Map, FuncError> {
    match v {
        Value::Map(m) if m.borrow().elem == ElemType::Any && m.borrow().values_type.is_none() => {
            Ok(m)
        }
        other => Err(assertion_err(other, "map[string]interface {}")),
    }
}

/// `dig K… DEFAULT D`: the value at the key path, or `DEFAULT` when a key is missing; a step
/// that is not a map panics as Go's type assertion does.
fn dig(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    if a.len() < 3 {
        return Err(FuncError::call("dig needs at least three arguments"));
    }
    let mut current = as_any_map(&a[a.len() - 1])?.clone();
    let default = &a[a.len() - 2];
    let path = &a[..a.len() - 2];
    let ks: Vec<&str> = path
        .iter()
        .map(|k| k.as_str().ok_or_else(|| assertion_err(k, "string")))
        .collect::<Result<_, _>>()?;
    for (i, k) in ks.iter().enumerate() {
        let step = current.borrow().entries.get(*k).cloned();
        let Some(step) = step else {
            return Ok(default.clone());
        };
        if i + 1 == ks.len() {
            return Ok(step);
        }
        current = as_any_map(&step)?.clone();
    }
    Ok(default.clone())
}

/// mergo and copystructure recurse without a cycle check: on a map that contains itself Go's
/// stack overflows, a fatal error (Helm exits 2, no template error). Past [`MAX_DEPTH`] levels
/// ours stops as a budget, so the exit code is Helm's.
fn stack_overflow(name: &str) -> FuncError {
    FuncError::Budget(format!(
        "a map nested deeper than {MAX_DEPTH} levels (a map that contains itself): Helm's Go \
         recurses in `{name}` until the runtime stops it with \"fatal error: stack overflow\""
    ))
}

/// mergo's `isEmptyValue` on a map element (an interface, dereferenced).
fn is_empty(v: Option<&Value>) -> bool {
    v.is_none_or(empty)
}

use crate::template::value::write_entries;

/// mergo `deepMerge` of two `map[string]interface{}` (`dst` changed in place).
/// `left` bounds the entries visited in all ([`super::args::MAX_WALK`]): two maps built apart,
/// each doubled in a loop, pair up 2^40 times.
fn deep_merge(
    dst: &Map,
    src: &Map,
    how: How,
    depth: usize,
    left: &mut usize,
) -> Result<(), FuncError> {
    let overwrite = how.overwrite;
    if depth > MAX_DEPTH {
        return Err(stack_overflow("merge"));
    }
    if src.borrow().root
        && let Ok(mut d) = dst.try_borrow_mut()
    {
        d.root = true;
    }
    // A snapshot: src and dst may be the same map, or contain each other.
    let entries: Vec<(Rc<str>, Value)> = src
        .borrow()
        .entries
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, s) in entries {
        *left = left
            .checked_sub(1)
            .ok_or_else(super::args::walk_exhausted)?;
        if s.is_nil() {
            let repeat = dst.borrow().entries.get(&key).is_some_and(Value::is_nil);
            if overwrite && !repeat {
                write_entries(dst, |e| {
                    e.insert(key.clone(), Value::Nil);
                });
            }
            continue;
        }
        let d = dst.borrow().entries.get(&key).cloned();
        // Nested maps merge into the destination's map, whatever its emptiness.
        if let (Value::Map(sm), Some(Value::Map(dm))) = (&s, &d) {
            deep_merge(dm, sm, how, depth + 1, left)?;
        }
        if !is_empty(d.as_ref()) {
            let d = d.as_ref();
            if matches!(s, Value::List(_) | Value::Bytes(_)) {
                if overwrite && !d.is_some_and(|d| crate::template::value::identical(d, &s)) {
                    crate::template::cycles::written(dst, &s);
                    write_entries(dst, |e| {
                        e.insert(key.clone(), s.clone());
                    });
                }
                continue;
            }
            if matches!((&s, d), (Value::Map(_), Some(Value::Map(_))))
                || (matches!(s, Value::Map(_)) && !how.mergo_1)
            {
                continue;
            }
        }
        if d.as_ref()
            .is_some_and(|d| crate::template::value::identical(d, &s))
        {
            continue;
        }
        if overwrite || is_empty(d.as_ref()) {
            crate::template::cycles::written(dst, &s);
            write_entries(dst, |e| {
                e.insert(key.clone(), s.clone());
            });
        }
    }
    Ok(())
}

/// How maps are merged: overwriting (`mergeOverwrite`), and by mergo 1.0 or 0.3.
#[derive(Clone, Copy)]
struct How {
    overwrite: bool,
    mergo_1: bool,
}

fn merge_with(ctx: &Ctx, a: &[Value], overwrite: bool) -> Result<Value, FuncError> {
    let how = How {
        overwrite,
        mergo_1: ctx.build.sprig() >= 3,
    };
    arity_at_least(a, 1)?;
    let mut left = super::args::MAX_WALK;
    // Sprig hands mergo its map variable: a nil one (a missing value, `fromJson "null"`)
    // becomes a new map at the first source that is no nil map itself.
    let mut dst = map_arg(&a[0])?.filter(|d| !d.borrow().nil).cloned();
    for src in &a[1..] {
        let Some(src) = map_arg(src)? else { continue };
        if src.borrow().nil {
            continue;
        }
        let d = dst.get_or_insert_with(|| match Value::empty_map() {
            Value::Map(m) => m,
            _ => unreachable!("empty_map is a map"),
        });
        if src.borrow().entries.is_empty() {
            continue;
        }
        deep_merge(d, src, how, 0, &mut left)?;
    }
    Ok(dst.map_or_else(Value::nil_map, |d| {
        crate::template::value::through_plain_map_parameter(&d)
    }))
}

/// `merge DST SRC…`: fills DST's empty or missing entries from each SRC, deeply.
fn merge(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    merge_with(ctx, a, false)
}

/// `mergeOverwrite DST SRC…`: SRC's non-map entries replace DST's, nil and empty ones too.
fn merge_overwrite(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    merge_with(ctx, a, true)
}

/// copystructure's `Copy`: new maps and slices all the way down, scalars shared.
pub(crate) fn deep_copy(v: &Value, depth: usize) -> Result<Value, FuncError> {
    if depth > MAX_DEPTH {
        return Err(stack_overflow("deepCopy"));
    }
    Ok(match v {
        Value::List(l) => {
            let items = l
                .items
                .iter()
                .map(|x| deep_copy(x, depth + 1))
                .collect::<Result<_, _>>()?;
            Value::List(Rc::new(ListData {
                items,
                elem: l.elem,
                origin: l.origin.clone(),
                nil: l.nil,
            }))
        }
        Value::Map(m) => {
            let m = m.borrow();
            let entries = m
                .entries
                .iter()
                .map(|(k, x)| Ok((k.clone(), deep_copy(x, depth + 1)?)))
                .collect::<Result<_, FuncError>>()?;
            Value::Map(Rc::new(std::cell::RefCell::new(MapData::build(|copy| {
                copy.entries = entries;
                copy.elem = m.elem;
                copy.origin = m.origin.clone();
                copy.values_type = m.values_type;
                copy.nil = m.nil;
                copy.root = m.root;
            }))))
        }
        Value::Bytes(b) => Value::Bytes(Rc::from(b.to_vec())),
        other => other.clone(),
    })
}

fn deep_copy_fn(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    // copystructure asks a nil interface for its type: Go's reflect panics, which the template
    // reports as the call's error.
    if matches!(a[0], Value::Nil) {
        return Err(FuncError::call(
            "reflect: call of reflect.Value.Type on zero Value",
        ));
    }
    super::args::walk_bounded(&a[0], MAX_DEPTH)?;
    deep_copy(&a[0], 0)
}

#[cfg(test)]
mod tests {
    use super::super::sprig_testutil::{call, err, i, l, m, s, show};
    use crate::template::value::Value;

    /// mergo 0.3 (Sprig before 3.3, Helm 3.16) keeps a value that is not empty against a map,
    /// as Helm 3.9.4, 3.11.1, 3.12.1 and 3.15.4 print; 3.16.4 on take the map.
    #[test]
    fn older_helms_merge_as_mergo_0_3() {
        use super::super::sprig_testutil::show_as;
        let dst = || m(&[("a", s("s")), ("b", m(&[("c", i(1))]))]);
        let src = || m(&[("a", m(&[("x", i(1))])), ("b", s("t")), ("d", m(&[]))]);
        for (release, want) in [
            ((3, 15, 4), "map[a:s b:t d:map[]]"),
            ((3, 16, 4), "map[a:map[x:1] b:t d:map[]]"),
        ] {
            assert_eq!(show_as(release, "mergeOverwrite", &[dst(), src()]), want);
            assert_eq!(
                show_as(release, "merge", &[dst(), src()]),
                "map[a:s b:map[c:1] d:map[]]"
            );
        }
    }

    // Expectations from `helm template` (Helm 3.17.3) and Sprig's dict_test.go.
    #[test]
    fn merge_fills_only_empty_entries_deeply() {
        let d = m(&[
            ("a", s("x")),
            ("b", s("")),
            ("c", i(0)),
            ("d", Value::bool(false)),
            ("e", l(&[i(1)])),
            ("f", m(&[("g", i(1))])),
            ("h", Value::Nil),
            ("m", s("s")),
            ("n", i(1)),
        ]);
        let src = m(&[
            ("a", s("")),
            ("b", s("y")),
            ("c", Value::Nil),
            ("d", Value::bool(true)),
            ("e", l(&[i(2)])),
            ("f", m(&[("g", i(2)), ("i", i(3))])),
            ("h", m(&[("q", i(1))])),
            ("m", m(&[("k", i(1))])),
            ("n", l(&[i(9)])),
            ("w", l(&[])),
            ("z", Value::Nil),
        ]);
        let want = "map[a:x b:y c:0 d:true e:[1] f:map[g:1 i:3] h:map[q:1] m:s n:1 w:[]]";
        assert_eq!(show("merge", &[d.clone(), src]), want);
        // In place: the first map itself changed.
        assert_eq!(show("toString", &[d]), want);
    }

    #[test]
    fn merge_overwrite_takes_empty_and_nil_values() {
        let d = m(&[
            ("a", s("x")),
            ("b", s("")),
            ("c", i(0)),
            ("d", Value::bool(false)),
            ("e", l(&[i(1)])),
            ("f", m(&[("g", i(1))])),
            ("h", Value::Nil),
            ("n", i(1)),
        ]);
        let src = m(&[
            ("a", s("")),
            ("b", s("y")),
            ("c", Value::Nil),
            ("d", Value::bool(true)),
            ("e", l(&[])),
            ("f", m(&[("g", i(2)), ("i", i(3))])),
            ("h", m(&[])),
            ("n", l(&[i(9)])),
            ("z", Value::Nil),
        ]);
        assert_eq!(
            show("mergeOverwrite", &[d, src]),
            "map[a: b:y c:<nil> d:true e:[] f:map[g:2 i:3] h:map[] n:[9] z:<nil>]"
        );
        assert_eq!(
            show(
                "mergeOverwrite",
                &[m(&[("a", m(&[("b", i(1))]))]), m(&[("a", s("s"))])]
            ),
            "map[a:s]"
        );
        assert_eq!(
            show(
                "mergeOverwrite",
                &[m(&[("a", s("s"))]), m(&[("a", m(&[("b", i(1))]))])]
            ),
            "map[a:map[b:1]]"
        );
    }

    #[test]
    fn merge_assigns_source_maps_by_reference() {
        let inner = m(&[("y", i(1))]);
        let src = m(&[("x", inner.clone())]);
        let out = call("merge", &[m(&[("k", i(1))]), src.clone()]).unwrap();
        let Value::Map(o) = &out else { panic!() };
        let x = o.borrow().entries.get("x").cloned().unwrap();
        call("set", &[x, s("z"), i(2)]).unwrap();
        assert_eq!(show("toString", &[src]), "map[x:map[y:1 z:2]]");
        // Both empty: the destination's empty map is replaced by the source's.
        let src = m(&[("x", m(&[]))]);
        let out = call("merge", &[m(&[("k", i(1)), ("x", m(&[]))]), src.clone()]).unwrap();
        let Value::Map(o) = &out else { panic!() };
        let x = o.borrow().entries.get("x").cloned().unwrap();
        call("set", &[x, s("z"), i(2)]).unwrap();
        assert_eq!(show("toString", &[src]), "map[x:map[z:2]]");
    }

    #[test]
    fn merge_of_a_map_into_itself_terminates() {
        let d = m(&[("a", i(1))]);
        assert_eq!(show("merge", &[d.clone(), d.clone()]), "map[a:1]");
        call("set", &[d.clone(), s("self"), d.clone()]).unwrap();
        assert!(call("merge", &[m(&[]), d.clone()]).is_ok());
        let copy = call("deepCopy", std::slice::from_ref(&d));
        assert!(copy.is_err());
        call("unset", &[d, s("self")]).unwrap();
    }

    #[test]
    fn nil_maps_read_as_empty() {
        assert_eq!(show("merge", &[Value::Nil, m(&[("a", i(1))])]), "map[a:1]");
        assert_eq!(show("hasKey", &[Value::Nil, s("a")]), "false");
        assert_eq!(show("get", &[Value::Nil, s("a")]), "");
        assert_eq!(
            err("set", &[Value::Nil, s("a"), i(1)]),
            "assignment to entry in nil map"
        );
        assert_eq!(
            err("set", &[l(&[]), s("a"), i(1)]),
            "wrong type for value; expected map[string]interface {}; got []interface {}"
        );
    }

    #[test]
    fn dict_and_accessors() {
        assert_eq!(show("dict", &[s("a")]), "map[a:]");
        assert_eq!(
            show("dict", &[i(1), i(2), Value::Nil, i(3)]),
            "map[1:2 <nil>:3]"
        );
        assert_eq!(show("keys", &[m(&[("b", i(1)), ("a", i(2))])]), "[a b]");
        assert_eq!(call("keys", &[]).unwrap().type_name(), "[]string");
        let ab = || m(&[("a", i(1)), ("b", i(2))]);
        assert_eq!(
            show(
                "pluck",
                &[
                    s("a"),
                    m(&[("a", i(1))]),
                    m(&[("b", i(2))]),
                    m(&[("a", i(3))])
                ]
            ),
            "[1 3]"
        );
        assert_eq!(show("pick", &[ab(), s("b"), s("c")]), "map[b:2]");
        assert_eq!(show("omit", &[ab(), s("b"), s("c")]), "map[a:1]");
        assert_eq!(show("unset", &[ab(), s("a")]), "map[b:2]");
        assert_eq!(show("values", &[ab()]), "[1 2]");
        assert_eq!(show("hasKey", &[ab(), s("a")]), "true");
    }

    #[test]
    fn dig_walks_and_panics_like_go() {
        let d = || m(&[("a", m(&[("b", i(1))]))]);
        assert_eq!(show("dig", &[s("a"), s("b"), s("def"), d()]), "1");
        assert_eq!(show("dig", &[s("a"), s("x"), s("def"), d()]), "def");
        assert_eq!(
            err("dig", &[s("a"), s("b"), s("c"), s("def"), d()]),
            "interface conversion: interface {} is int, not map[string]interface {}"
        );
        assert_eq!(
            err("dig", &[s("a"), s("def")]),
            "dig needs at least three arguments"
        );
    }

    #[test]
    fn deep_copy_is_independent() {
        let d = m(&[("a", l(&[m(&[("b", i(1))])]))]);
        let c = call("deepCopy", std::slice::from_ref(&d)).unwrap();
        call("set", &[c.clone(), s("x"), i(1)]).unwrap();
        assert_eq!(show("toString", &[d]), "map[a:[map[b:1]]]");
        assert_eq!(show("toString", &[c]), "map[a:[map[b:1]] x:1]");
        // `{{ deepCopy nil }}`: Helm 3.17.3 fails "error calling deepCopy: reflect: call of
        // reflect.Value.Type on zero Value".
        assert_eq!(
            err("deepCopy", &[Value::Nil]),
            "reflect: call of reflect.Value.Type on zero Value"
        );
    }
}

//! The methods of Helm's `chartutil.Values` (`common.Values` in Helm 4): the type of a template's
//! dot, of `.Values` and of `.Template`. Go's `text/template` looks for a method before it looks
//! a map's key up, so `.Values.AsMap`, `.Values.YAML`, `.Values.Table "a.b"` and
//! `.Values.PathValue "a.b"` call Helm's code (Cilium's chart validates its values with
//! `dig … .Values.AsMap`), even where the values hold a key of that name.

use super::FuncError;
use super::funcs::args;
use super::value::{Map, Value, retyped};

/// How many arguments the method `name` takes; `None` when `Values` has no such method.
pub(super) fn arity(name: &str) -> Option<usize> {
    match name {
        "AsMap" | "YAML" => Some(0),
        "Table" | "PathValue" | "Encode" => Some(1),
        _ => None,
    }
}

/// The keys of the values tree a call of `name` with `args` looks up, in order (what read
/// tracking records): the path of `Table` and `PathValue`.
pub(super) fn path_read(name: &str, args: &[Value]) -> Vec<Value> {
    match (name, args) {
        ("Table" | "PathValue", [Value::Str(path)]) => {
            path.as_str().split('.').map(Value::str).collect()
        }
        _ => Vec::new(),
    }
}

/// Calls the method `name` (whose [`arity`] `args` meets) on `map`, a `Values` of the Go type
/// `type_name`.
pub(super) fn call(
    map: &Map,
    type_name: &'static str,
    name: &str,
    args: &[Value],
) -> Result<Value, FuncError> {
    match name {
        "AsMap" => Ok(as_map(map)),
        "YAML" => yaml(map),
        "Table" => table(map, type_name, args::string(&args[0])?.as_str()),
        "PathValue" => path_value(map, args::string(&args[0])?.as_str()),
        // A template has no `io.Writer` to give.
        _ => Err(args::wrong_type("io.Writer", &args[0])),
    }
}

/// `AsMap`: the map as a plain `map[string]interface{}`; a new one when it is empty.
///
/// NOTE: Go returns the same map under another type; here the type belongs to the map, so the
/// result is a twin of it (see [`retyped`]): its own top level, kept in step with the map's by
/// every write, the maps inside shared, its place in the values tree kept for read tracking.
fn as_map(map: &Map) -> Value {
    if map.borrow().entries.is_empty() {
        return Value::empty_map();
    }
    retyped(map, None)
}

/// `YAML`: `yaml.Marshal` of the map, the final line break kept (`toYaml` trims it).
fn yaml(map: &Map) -> Result<Value, FuncError> {
    let text = super::funcs::helm_yaml::to_yaml_checked(&Value::Map(map.clone()))
        .map_err(FuncError::call)?;
    let mut out = super::value::StrBuf::new();
    out.push_str(&text);
    out.push_plain("\n");
    Ok(Value::Str(out.finish()))
}

/// `Table`: the map at a dotted path, as `Values`; `"name" is not a table` for the first key
/// that is missing or holds no map.
fn table(map: &Map, type_name: &'static str, path: &str) -> Result<Value, FuncError> {
    Ok(retyped(&table_map(map, path)?, Some(type_name)))
}

fn table_map(map: &Map, path: &str) -> Result<Map, FuncError> {
    let mut at = map.clone();
    for key in path.split('.') {
        let next = match at.borrow().entries.get(key) {
            Some(Value::Map(m)) if is_table(m) => m.clone(),
            _ => {
                return Err(FuncError::call(format!(
                    "{} is not a table",
                    super::fmt::quote(key)
                )));
            }
        };
        at = next;
    }
    Ok(at)
}

/// Whether a map value is one `chartutil.tableLookup` takes: a `map[string]interface{}` or a
/// `Values` (not a `map[string]string`, say).
fn is_table(m: &Map) -> bool {
    let data = m.borrow();
    data.values_type.is_some() || data.elem == super::value::ElemType::Any
}

/// `PathValue`: the value (not a table) at a dotted path; `"key" is not a value` otherwise.
fn path_value(map: &Map, path: &str) -> Result<Value, FuncError> {
    if path.is_empty() {
        return Err(FuncError::call("YAML path cannot be empty"));
    }
    let (parent, key) = match path.rsplit_once('.') {
        Some((parent, key)) => (Some(parent), key),
        None => (None, path),
    };
    let no_value = || FuncError::call(format!("{} is not a value", super::fmt::quote(key)));
    let table = match parent {
        Some(parent) => table_map(map, parent).map_err(|_| no_value())?,
        None => map.clone(),
    };
    let found = table.borrow().entries.get(key).cloned();
    match found {
        // `istable`: a `map[string]interface{}` (a `Values` is another type and passes).
        Some(Value::Map(m)) if m.borrow().values_type.is_none() && is_table(&m) => Err(no_value()),
        Some(v) => Ok(v),
        None => Err(no_value()),
    }
}

//! The keyword walk of jsonschema v6's validator: the same keywords in the same order, each
//! failure with the library's English message. Go iterates maps in random order; we take
//! properties, pattern properties and dependencies in sorted order.

use std::collections::HashMap;

use serde_json::{Map as Obj, Value as J};

use super::MAX_STEPS;
use super::document::{Document, Draft, Target, URL, escape};
use super::failure::{Failure, Kind, float, int, join_quoted, quote};
use super::numbers::{equals, is_integer, is_multiple, number, values_equal};
use crate::template::fmt as gofmt;
use crate::value::{Map, Node, Value};

/// Deepest nesting of schema and value we follow before giving up (the stack is finite).
const MAX_DEPTH: usize = 128;

/// The chain of schemas applied to the value at hand, for the reference-cycle check.
struct Scope<'p> {
    ptr: &'p str,
    by_ref: bool,
    /// How deep in the values the value is: a cycle is the same schema on the same value.
    vid: usize,
    parent: Option<&'p Scope<'p>>,
}

impl Scope<'_> {
    /// The keyword path from the root schema to this one (`/properties/a/$ref`).
    fn keyword_location(&self) -> String {
        let mut parts = Vec::new();
        let mut sc = self;
        while let Some(parent) = sc.parent {
            if sc.by_ref {
                parts.push("/$ref");
            } else {
                parts.push(sc.ptr.get(parent.ptr.len()..).unwrap_or(""));
            }
            sc = parent;
        }
        parts.reverse();
        parts.concat()
    }
}

pub(super) struct Checker<'a> {
    doc: &'a Document<'a>,
    draft: Draft,
    steps: u64,
    depth: usize,
    regexes: HashMap<&'a str, Option<std::rc::Rc<regex::Regex>>>,
    /// The work bound was reached: the result means nothing.
    pub(super) exhausted: bool,
}

type Outcome = Result<(), Failure>;

impl<'a> Checker<'a> {
    pub(super) fn new(doc: &'a Document<'a>) -> Checker<'a> {
        Checker {
            doc,
            draft: doc.draft,
            steps: MAX_STEPS,
            depth: 0,
            regexes: HashMap::new(),
            exhausted: false,
        }
    }

    /// The values against the root schema.
    pub(super) fn top(&mut self, v: &Value) -> Outcome {
        let scope = Scope {
            ptr: "",
            by_ref: false,
            vid: 0,
            parent: None,
        };
        self.validate(self.doc.root, v, "", &scope)
    }

    /// `validateSelf`: another schema on the same value.
    fn same(
        &mut self,
        s: &'a J,
        ptr: &str,
        v: &Value,
        at: &str,
        sc: &Scope,
        by_ref: bool,
    ) -> Outcome {
        let scope = Scope {
            ptr,
            by_ref,
            vid: sc.vid,
            parent: Some(sc),
        };
        self.validate(s, v, at, &scope)
    }

    /// `validateVal`: a schema on a value inside this one (`token` is its key or index).
    fn inner(
        &mut self,
        s: &'a J,
        ptr: &str,
        v: &Value,
        at: &str,
        token: &str,
        sc: &Scope,
    ) -> Outcome {
        let scope = Scope {
            ptr,
            by_ref: false,
            vid: sc.vid + 1,
            parent: Some(sc),
        };
        self.validate(s, v, &format!("{at}/{}", escape(token)), &scope)
    }

    fn validate(&mut self, s: &'a J, v: &Value, at: &str, sc: &Scope) -> Outcome {
        if self.steps == 0 || self.depth >= MAX_DEPTH {
            self.exhausted = true;
            return Ok(());
        }
        self.steps -= 1;
        self.depth += 1;
        let result = self.keywords(s, v, at, sc);
        self.depth -= 1;
        result
    }

    fn keywords(&mut self, s: &'a J, v: &Value, at: &str, sc: &Scope) -> Outcome {
        let s = match s {
            J::Bool(false) => return Err(Failure::new(at, "false schema".into())),
            J::Object(s) => s,
            _ => return Ok(()),
        };
        let mut up = sc.parent;
        while let Some(p) = up.filter(|p| p.vid == sc.vid) {
            if p.ptr == sc.ptr {
                let message = format!(
                    "both {} and {} resolve to {} causing reference cycle",
                    sc.keyword_location(),
                    p.keyword_location(),
                    gofmt::quote(&format!("{URL}#{}", sc.ptr))
                );
                return Err(Failure::new(at, message));
            }
            up = p.parent;
        }
        let hidden = self.draft < Draft::D2019 && s.contains_key("$ref");
        if !hidden {
            type_keyword(s, v, at)?;
        }
        if self.draft >= Draft::D6 {
            const_keyword(s, v, at)?;
        }
        if !hidden {
            enum_keyword(s, v, at)?;
        }
        // NOTE: `format` asserts under drafts 4 to 7 in jsonschema v6; we do not check formats.
        let mut errors = Vec::new();
        if let Some(r) = s.get("$ref").and_then(J::as_str)
            && let Target::Found(target, ptr) = self.doc.resolve(r)
        {
            let result = self.reference(target, &ptr, v, at, sc);
            if hidden {
                return result;
            }
            errors.extend(result.err());
        }
        match v {
            Value::Map(m) => self.object(s, v, m, at, sc, &mut errors),
            Value::Seq(items) => self.array(s, items, at, sc, &mut errors),
            Value::Str(text) => self.string(s, text, at, &mut errors),
            Value::Int(_) | Value::Float(_) => numeric(s, v, at, &mut errors),
            Value::Null | Value::Bool(_) => {}
        }
        self.conditions(s, v, at, sc, &mut errors);
        Failure::of(at, errors)
    }

    fn reference(&mut self, s: &'a J, ptr: &str, v: &Value, at: &str, sc: &Scope) -> Outcome {
        self.same(s, ptr, v, at, sc, true).map_err(|e| {
            let causes = if e.kind == Kind::Group {
                e.causes
            } else {
                vec![e]
            };
            Failure::with_causes(at, Kind::Reference, causes)
        })
    }

    /// `pattern` as Go's `regexp` reads it (santhosh-tekuri/jsonschema compiles with it):
    /// `\d`, `\w`, `\s` and `\b` are ASCII.
    fn regex(&mut self, pattern: &'a str) -> Option<&regex::Regex> {
        self.regexes
            .entry(pattern)
            .or_insert_with(|| crate::template::funcs::sprig_regex::compile(pattern).ok())
            .as_deref()
    }

    fn object(
        &mut self,
        s: &'a Obj<String, J>,
        v: &Value,
        m: &Map,
        at: &str,
        sc: &Scope,
        errors: &mut Vec<Failure>,
    ) {
        let ptr = sc.ptr;
        let len = m.len() as i64;
        if let Some(min) = int_val(s, "minProperties")
            && len < min
        {
            errors.push(Failure::new(
                at,
                format!("minProperties: got {}, want {}", int(len), int(min)),
            ));
        }
        if let Some(max) = int_val(s, "maxProperties")
            && len > max
        {
            errors.push(Failure::new(
                at,
                format!("maxProperties: got {}, want {}", int(len), int(max)),
            ));
        }
        if let Some(missing) = missing(s.get("required"), m) {
            let message = match missing.as_slice() {
                [one] => format!("missing property {}", quote(one)),
                many => format!("missing properties {}", join_quoted(many)),
            };
            errors.push(Failure::new(at, message));
        }
        if let Some(J::Object(deps)) = s.get("dependencies") {
            for (name, dep) in deps.iter().filter(|(name, _)| m.contains_key(*name)) {
                if dep.is_array() {
                    errors.extend(missing(Some(dep), m).map(|miss| depends(at, &miss, name)));
                } else {
                    let p = format!("{ptr}/dependencies/{}", escape(name));
                    errors.extend(self.same(dep, &p, v, at, sc, false).err());
                }
            }
        }
        let props = s.get("properties").and_then(J::as_object);
        let patterns = s.get("patternProperties").and_then(J::as_object);
        let mut additional = Vec::new();
        for (key, node) in m {
            let mut evaluated = false;
            if let Some(sub) = props.and_then(|p| p.get(key)) {
                evaluated = true;
                let p = format!("{ptr}/properties/{}", escape(key));
                errors.extend(self.inner(sub, &p, &node.value, at, key, sc).err());
            }
            for (pattern, sub) in patterns.into_iter().flatten() {
                if self.regex(pattern).is_some_and(|re| re.is_match(key)) {
                    evaluated = true;
                    let p = format!("{ptr}/patternProperties/{}", escape(pattern));
                    errors.extend(self.inner(sub, &p, &node.value, at, key, sc).err());
                }
            }
            match s.get("additionalProperties") {
                _ if evaluated => {}
                Some(J::Bool(false)) => additional.push(key.as_str()),
                Some(sub @ J::Object(_)) => {
                    let p = format!("{ptr}/additionalProperties");
                    errors.extend(self.inner(sub, &p, &node.value, at, key, sc).err());
                }
                _ => {}
            }
        }
        if !additional.is_empty() {
            let message = format!(
                "additional properties {} not allowed",
                join_quoted(&additional)
            );
            errors.push(Failure::new(at, message));
        }
        if self.draft == Draft::D4 {
            return;
        }
        if let Some(sub) = s.get("propertyNames") {
            let p = format!("{ptr}/propertyNames");
            for key in m.keys() {
                // The name is validated as a document of its own: its failures sit at ''.
                let scope = Scope {
                    ptr: &p,
                    by_ref: false,
                    vid: 0,
                    parent: None,
                };
                if let Err(e) = self.validate(sub, &Value::Str(key.clone()), "", &scope) {
                    let message = format!("invalid propertyName {}", quote(key));
                    errors.push(Failure::with_causes(
                        "",
                        Kind::Message(message),
                        e.into_top(),
                    ));
                }
            }
        }
        if self.draft < Draft::D2019 {
            return;
        }
        if let Some(J::Object(deps)) = s.get("dependentSchemas") {
            for (name, dep) in deps.iter().filter(|(name, _)| m.contains_key(*name)) {
                let p = format!("{ptr}/dependentSchemas/{}", escape(name));
                errors.extend(self.same(dep, &p, v, at, sc, false).err());
            }
        }
        if let Some(J::Object(deps)) = s.get("dependentRequired") {
            for (name, dep) in deps.iter().filter(|(name, _)| m.contains_key(*name)) {
                errors.extend(missing(Some(dep), m).map(|miss| depends(at, &miss, name)));
            }
        }
    }

    fn array(
        &mut self,
        s: &'a Obj<String, J>,
        items: &[Node],
        at: &str,
        sc: &Scope,
        errors: &mut Vec<Failure>,
    ) {
        let ptr = sc.ptr;
        let len = items.len() as i64;
        if let Some(min) = int_val(s, "minItems")
            && len < min
        {
            errors.push(Failure::new(
                at,
                format!("minItems: got {}, want {}", int(len), int(min)),
            ));
        }
        if let Some(max) = int_val(s, "maxItems")
            && len > max
        {
            errors.push(Failure::new(
                at,
                format!("maxItems: got {}, want {}", int(len), int(max)),
            ));
        }
        if s.get("uniqueItems") == Some(&J::Bool(true))
            && let Some((j, i)) = duplicate(items)
        {
            errors.push(Failure::new(
                at,
                format!("items at {} and {} are equal", int(j), int(i)),
            ));
        }
        // NOTE: jsonschema v6 names the items after the positional ones by their index among
        // the rest (the second item is `/1`… or `/0` after one positional schema), as Helm 4
        // prints them.
        let (positional, rest, rest_key) = if self.draft < Draft::D2020 {
            match s.get("items") {
                Some(J::Array(tuple)) => (
                    Some((tuple, "items")),
                    s.get("additionalItems"),
                    "additionalItems",
                ),
                Some(one) => (None, Some(one), "items"),
                None => (None, None, ""),
            }
        } else {
            let tuple = s
                .get("prefixItems")
                .and_then(J::as_array)
                .map(|t| (t, "prefixItems"));
            (tuple, s.get("items"), "items")
        };
        let mut evaluated = 0;
        if let Some((tuple, key)) = positional {
            evaluated = tuple.len().min(items.len());
            for (i, (sub, item)) in tuple.iter().zip(items).enumerate() {
                let p = format!("{ptr}/{key}/{i}");
                errors.extend(
                    self.inner(sub, &p, &item.value, at, &i.to_string(), sc)
                        .err(),
                );
            }
        }
        match rest {
            // `additionalItems: false` is one failure for all the extra items.
            Some(J::Bool(false)) if rest_key == "additionalItems" => {
                let count = items.len() - evaluated;
                if count > 0 {
                    let message =
                        format!("last {} additionalItem(s) not allowed", int(count as i64));
                    errors.push(Failure::new(at, message));
                }
            }
            Some(sub) => {
                let p = format!("{ptr}/{rest_key}");
                for (i, item) in items[evaluated..].iter().enumerate() {
                    errors.extend(
                        self.inner(sub, &p, &item.value, at, &i.to_string(), sc)
                            .err(),
                    );
                }
            }
            None => {}
        }
        if self.draft >= Draft::D6
            && let Some(sub) = s.get("contains")
        {
            self.contains(s, sub, items, at, sc, errors);
        }
    }

    fn contains(
        &mut self,
        s: &'a Obj<String, J>,
        sub: &'a J,
        items: &[Node],
        at: &str,
        sc: &Scope,
        errors: &mut Vec<Failure>,
    ) {
        let p = format!("{}/contains", sc.ptr);
        let mut failed = Vec::new();
        let mut matched = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match self.inner(sub, &p, &item.value, at, &i.to_string(), sc) {
                Ok(()) => matched.push(i),
                Err(e) => failed.push(e),
            }
        }
        let later = self.draft >= Draft::D2019;
        let at_list = || {
            matched
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        };
        match int_val(s, "minContains").filter(|_| later) {
            Some(min) if (matched.len() as i64) < min => {
                let message = if matched.is_empty() {
                    format!(
                        "min {} items required to match contains schema, but none matched",
                        int(min)
                    )
                } else {
                    format!(
                        "min {} items required to match contains schema, but matched {} items at {}",
                        int(min),
                        int(matched.len() as i64),
                        at_list()
                    )
                };
                errors.push(Failure::with_causes(at, Kind::Message(message), failed));
            }
            Some(_) => {}
            None if matched.is_empty() => {
                let message = "no items match contains schema".to_string();
                errors.push(Failure::with_causes(at, Kind::Message(message), failed));
            }
            None => {}
        }
        if let Some(max) = int_val(s, "maxContains").filter(|_| later)
            && matched.len() as i64 > max
        {
            let message = format!(
                "max {} items required to match contains schema, but matched {} items at {}",
                int(max),
                int(matched.len() as i64),
                at_list()
            );
            errors.push(Failure::new(at, message));
        }
    }

    fn string(&mut self, s: &'a Obj<String, J>, text: &str, at: &str, errors: &mut Vec<Failure>) {
        let len = text.chars().count() as i64;
        if let Some(min) = int_val(s, "minLength")
            && len < min
        {
            errors.push(Failure::new(
                at,
                format!("minLength: got {}, want {}", int(len), int(min)),
            ));
        }
        if let Some(max) = int_val(s, "maxLength")
            && len > max
        {
            errors.push(Failure::new(
                at,
                format!("maxLength: got {}, want {}", int(len), int(max)),
            ));
        }
        if let Some(pattern) = s.get("pattern").and_then(J::as_str)
            && self.regex(pattern).is_some_and(|re| !re.is_match(text))
        {
            let message = format!("{} does not match pattern {}", quote(text), quote(pattern));
            errors.push(Failure::new(at, message));
        }
    }

    fn conditions(
        &mut self,
        s: &'a Obj<String, J>,
        v: &Value,
        at: &str,
        sc: &Scope,
        errors: &mut Vec<Failure>,
    ) {
        let ptr = sc.ptr;
        if let Some(not) = s.get("not")
            && self
                .same(not, &format!("{ptr}/not"), v, at, sc, false)
                .is_ok()
        {
            errors.push(Failure::new(at, "'not' failed".into()));
        }
        if let Some(J::Array(all)) = s.get("allOf") {
            let mut failed = Vec::new();
            for (i, sub) in all.iter().enumerate() {
                failed.extend(
                    self.same(sub, &format!("{ptr}/allOf/{i}"), v, at, sc, false)
                        .err(),
                );
            }
            if !failed.is_empty() {
                errors.push(Failure::with_causes(
                    at,
                    Kind::Message("'allOf' failed".into()),
                    failed,
                ));
            }
        }
        if let Some(J::Array(any)) = s.get("anyOf") {
            let mut failed = Vec::new();
            for (i, sub) in any.iter().enumerate() {
                match self.same(sub, &format!("{ptr}/anyOf/{i}"), v, at, sc, false) {
                    Ok(()) => {
                        failed.clear();
                        break;
                    }
                    Err(e) => failed.push(e),
                }
            }
            if !failed.is_empty() {
                errors.push(Failure::with_causes(
                    at,
                    Kind::Message("'anyOf' failed".into()),
                    failed,
                ));
            }
        }
        if let Some(J::Array(one)) = s.get("oneOf") {
            self.one_of(one, v, at, sc, errors);
        }
        if self.draft >= Draft::D7
            && let Some(cond) = s.get("if")
        {
            let branch = if self
                .same(cond, &format!("{ptr}/if"), v, at, sc, false)
                .is_ok()
            {
                "then"
            } else {
                "else"
            };
            if let Some(sub) = s.get(branch) {
                errors.extend(
                    self.same(sub, &format!("{ptr}/{branch}"), v, at, sc, false)
                        .err(),
                );
            }
        }
    }

    fn one_of(&mut self, one: &'a [J], v: &Value, at: &str, sc: &Scope, errors: &mut Vec<Failure>) {
        let mut failed = Vec::new();
        let mut matched = None;
        for (i, sub) in one.iter().enumerate() {
            match self.same(sub, &format!("{}/oneOf/{i}", sc.ptr), v, at, sc, false) {
                Err(e) if matched.is_none() => failed.push(e),
                Err(_) => {}
                Ok(()) => match matched {
                    None => matched = Some(i),
                    Some(first) => {
                        let message = format!(
                            "'oneOf' failed, subschemas {}, {} matched",
                            int(first as i64),
                            int(i as i64)
                        );
                        errors.push(Failure::new(at, message));
                        return;
                    }
                },
            }
        }
        if matched.is_none() {
            let kind = Kind::Message("'oneOf' failed, none matched".into());
            errors.push(Failure::with_causes(at, kind, failed));
        }
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Int(_) | Value::Float(_) => "number",
        Value::Str(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}

/// The type names jsonschema v6 lists, in its order.
const TYPES: [&str; 7] = [
    "null", "boolean", "number", "integer", "string", "array", "object",
];

fn type_keyword(s: &Obj<String, J>, v: &Value, at: &str) -> Outcome {
    let named: Vec<&str> = match s.get("type") {
        Some(J::String(one)) => vec![one.as_str()],
        Some(J::Array(many)) => many.iter().filter_map(J::as_str).collect(),
        _ => return Ok(()),
    };
    let want: Vec<&str> = TYPES.into_iter().filter(|t| named.contains(t)).collect();
    let got = type_name(v);
    let matched = want.contains(&got) || (want.contains(&"integer") && is_integer(v));
    if want.is_empty() || matched {
        return Ok(());
    }
    Err(Failure::new(
        at,
        format!("got {got}, want {}", want.join(" or ")),
    ))
}

fn const_keyword(s: &Obj<String, J>, v: &Value, at: &str) -> Outcome {
    match s.get("const") {
        Some(c) if !equals(v, c) => {
            let message = match c {
                J::Array(_) | J::Object(_) => "'const' failed".to_string(),
                primitive => format!("value must be {}", display(primitive)),
            };
            Err(Failure::new(at, message))
        }
        _ => Ok(()),
    }
}

fn enum_keyword(s: &Obj<String, J>, v: &Value, at: &str) -> Outcome {
    let Some(J::Array(allowed)) = s.get("enum") else {
        return Ok(());
    };
    if allowed.iter().any(|a| equals(v, a)) {
        return Ok(());
    }
    let message = if allowed.iter().any(|a| a.is_array() || a.is_object()) {
        "'enum' failed".to_string()
    } else if let [one] = allowed.as_slice() {
        format!("value must be {}", display(one))
    } else {
        let shown: Vec<String> = allowed.iter().map(display).collect();
        format!("value must be one of {}", shown.join(", "))
    };
    Err(Failure::new(at, message))
}

/// A schema's primitive as Go's `%v` prints it (strings quoted).
fn display(j: &J) -> String {
    match j {
        J::String(s) => quote(s),
        J::Null => "<nil>".into(),
        // NOTE: Go keeps a number's JSON text (`1e3`); serde_json keeps its value (`1000.0`).
        other => other.to_string(),
    }
}

fn numeric(s: &Obj<String, J>, v: &Value, at: &str, errors: &mut Vec<Failure>) {
    let Some(x) = number(v) else { return };
    let num = |key: &str| s.get(key).and_then(J::as_f64);
    // Draft 4's boolean exclusiveMinimum/Maximum turn minimum/maximum exclusive.
    let (minimum, exclusive_min) = match s.get("exclusiveMinimum") {
        Some(J::Bool(true)) => (None, num("minimum")),
        _ => (num("minimum"), num("exclusiveMinimum")),
    };
    let (maximum, exclusive_max) = match s.get("exclusiveMaximum") {
        Some(J::Bool(true)) => (None, num("maximum")),
        _ => (num("maximum"), num("exclusiveMaximum")),
    };
    let checks = [
        ("minimum", minimum, minimum.is_some_and(|m| x < m)),
        ("maximum", maximum, maximum.is_some_and(|m| x > m)),
        (
            "exclusiveMinimum",
            exclusive_min,
            exclusive_min.is_some_and(|m| x <= m),
        ),
        (
            "exclusiveMaximum",
            exclusive_max,
            exclusive_max.is_some_and(|m| x >= m),
        ),
    ];
    for (name, bound, failed) in checks {
        if let (true, Some(bound)) = (failed, bound) {
            errors.push(Failure::new(
                at,
                format!("{name}: got {}, want {}", float(x), float(bound)),
            ));
        }
    }
    if let Some(J::Number(m)) = s.get("multipleOf")
        && !is_multiple(v, m)
    {
        let want = m.as_f64().unwrap_or(0.0);
        errors.push(Failure::new(
            at,
            format!("multipleOf: got {}, want {}", float(x), float(want)),
        ));
    }
}

/// An integer keyword (`minLength`, `maxItems`…): a JSON number with no fraction.
fn int_val(s: &Obj<String, J>, key: &str) -> Option<i64> {
    let n = s.get(key)?.as_number()?;
    n.as_i64().or_else(|| {
        let f = n.as_f64()?;
        (f.fract() == 0.0 && f.abs() < 9.2e18).then_some(f as i64)
    })
}

/// The names of a `required`-like list missing from `m`, in the list's order; `None` if none.
fn missing(list: Option<&J>, m: &Map) -> Option<Vec<String>> {
    let names = list?.as_array()?;
    let missing: Vec<String> = names
        .iter()
        .filter_map(J::as_str)
        .filter(|n| !m.contains_key(*n))
        .map(str::to_string)
        .collect();
    (!missing.is_empty()).then_some(missing)
}

fn depends(at: &str, missing: &[String], name: &str) -> Failure {
    let message = format!(
        "properties {} required, if {} exists",
        join_quoted(missing),
        quote(name)
    );
    Failure::new(at, message)
}

/// The first item equal to an earlier one, as `(earlier, later)`.
fn duplicate(items: &[Node]) -> Option<(i64, i64)> {
    (1..items.len()).find_map(|i| {
        (0..i)
            .find(|&j| values_equal(&items[i].value, &items[j].value))
            .map(|j| (j as i64, i as i64))
    })
}

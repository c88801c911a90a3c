//! gojsonschema's `parseSchema` (schema.go): the document turned into subschemas, each keyword
//! checked in Go's order so that the first broken one gives Go's message (`minLength must be of
//! an integer`), and `$ref`s resolved through its schema pool (schemaPool.go).

use std::collections::HashMap;
use std::rc::Rc;

use regex::Regex;

use super::json::{Json, Obj, marshal_without_number};
use super::number::Dec;
use super::reference::{Url, pointer_get};

/// The drafts gojsonschema knows; `Hybrid` (no or an unknown `$schema`) accepts the keywords
/// of all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Draft {
    D4,
    D6,
    D7,
    Hybrid,
}

/// Why a schema does not compile: an error Go returns, or a panic Helm recovers from.
#[derive(Debug)]
pub(super) enum CompileError {
    Message(String),
    Panic(String),
}

impl From<String> for CompileError {
    fn from(s: String) -> CompileError {
        CompileError::Message(s)
    }
}

type Compiled<T> = Result<T, CompileError>;

/// `additionalProperties` and `additionalItems`: absent, a boolean or a schema.
#[derive(Debug, Clone, Copy)]
pub(super) enum Additional {
    Unset,
    Bool(bool),
    Schema(usize),
}

/// A `dependencies` entry.
#[derive(Debug)]
pub(super) enum Dependency {
    Keys(Vec<String>),
    Schema(usize),
}

/// One subschema (gojsonschema's `subSchema`); other subschemas by their index in
/// [`Schema::subs`].
#[derive(Debug)]
pub(super) struct Sub {
    pub(super) property: String,
    pub(super) pass: Option<bool>,
    pub(super) types: Vec<&'static str>,
    pub(super) ref_schema: Option<usize>,
    pub(super) items: Vec<usize>,
    pub(super) items_single: bool,
    pub(super) properties: Vec<usize>,
    pub(super) multiple_of: Option<Dec>,
    pub(super) maximum: Option<Dec>,
    pub(super) exclusive_maximum: Option<Dec>,
    pub(super) minimum: Option<Dec>,
    pub(super) exclusive_minimum: Option<Dec>,
    pub(super) min_length: Option<i64>,
    pub(super) max_length: Option<i64>,
    pub(super) pattern: Option<(String, Rc<Regex>)>,
    pub(super) format: String,
    pub(super) min_properties: Option<i64>,
    pub(super) max_properties: Option<i64>,
    pub(super) required: Vec<String>,
    pub(super) dependencies: Vec<(String, Dependency)>,
    pub(super) additional_properties: Additional,
    pub(super) pattern_properties: Vec<(Rc<Regex>, usize)>,
    pub(super) property_names: Option<usize>,
    pub(super) min_items: Option<i64>,
    pub(super) max_items: Option<i64>,
    pub(super) unique_items: bool,
    pub(super) contains: Option<usize>,
    pub(super) additional_items: Additional,
    pub(super) konst: Option<String>,
    pub(super) enumeration: Vec<String>,
    pub(super) one_of: Vec<usize>,
    pub(super) any_of: Vec<usize>,
    pub(super) all_of: Vec<usize>,
    pub(super) not: Option<usize>,
    pub(super) if_: Option<usize>,
    pub(super) then: Option<usize>,
    pub(super) else_: Option<usize>,
}

impl Sub {
    fn new(property: &str) -> Sub {
        Sub {
            property: property.to_string(),
            pass: None,
            types: Vec::new(),
            ref_schema: None,
            items: Vec::new(),
            items_single: false,
            properties: Vec::new(),
            multiple_of: None,
            maximum: None,
            exclusive_maximum: None,
            minimum: None,
            exclusive_minimum: None,
            min_length: None,
            max_length: None,
            pattern: None,
            format: String::new(),
            min_properties: None,
            max_properties: None,
            required: Vec::new(),
            dependencies: Vec::new(),
            additional_properties: Additional::Unset,
            pattern_properties: Vec::new(),
            property_names: None,
            min_items: None,
            max_items: None,
            unique_items: false,
            contains: None,
            additional_items: Additional::Unset,
            konst: None,
            enumeration: Vec::new(),
            one_of: Vec::new(),
            any_of: Vec::new(),
            all_of: Vec::new(),
            not: None,
            if_: None,
            then: None,
            else_: None,
        }
    }
}

/// A compiled schema: its subschemas, the root first.
#[derive(Debug)]
pub(super) struct Schema {
    pub(super) subs: Vec<Sub>,
}

/// gojsonschema's type names, in its order (`JSON_TYPES`).
const JSON_TYPES: [&str; 7] = [
    "array", "boolean", "integer", "number", "null", "object", "string",
];

/// Bound on the subschemas one compilation makes: each `$ref` to a new place parses its
/// target again, which a hostile schema could multiply.
const MAX_SUBS: usize = 1_000_000;

/// `NewSchema(NewBytesLoader(schema))` on a decoded document.
pub(super) fn compile(doc: &Json) -> Compiled<Schema> {
    let detected = schema_url_draft(doc)?;
    let mut c = Compiler {
        subs: Vec::new(),
        pool: HashMap::new(),
        rewritten: HashMap::new(),
        ref_pool: HashMap::new(),
        draft: detected.unwrap_or(Draft::Hybrid),
    };
    let empty = Url::default();
    c.parse_references(doc, &empty);
    c.pool.insert(String::new(), doc);
    c.subs.push(Sub::new("(root)"));
    c.parse(doc, 0)?;
    Ok(Schema { subs: c.subs })
}

/// `parseSchemaURL`: the draft a root's `$schema` names, if one gojsonschema knows.
fn schema_url_draft(doc: &Json) -> Compiled<Option<Draft>> {
    let m = match doc {
        Json::Bool(_) => return Ok(None),
        Json::Object(m) => m,
        _ => return Err("schema is invalid".to_string().into()),
    };
    let Some(s) = m.get("$schema") else {
        return Ok(None);
    };
    let Json::String(s) = s else {
        return Err("$schema must be of type string".to_string().into());
    };
    let url = Url::parse(s)?.to_string();
    Ok(match url.as_str() {
        "http://json-schema.org/draft-04/schema" => Some(Draft::D4),
        "http://json-schema.org/draft-06/schema" => Some(Draft::D6),
        "http://json-schema.org/draft-07/schema" => Some(Draft::D7),
        _ => None,
    })
}

struct Compiler<'a> {
    subs: Vec<Sub>,
    /// `schemaPoolDocuments`: documents by the URL of their `$id`, and places already looked up.
    pool: HashMap<String, &'a Json>,
    /// Each `$ref` as `parseReferencesRecursive` rewrote it (absolute), by the object's address.
    rewritten: HashMap<*const Json, String>,
    /// `schemaReferencePool`: the subschema made for each reference.
    ref_pool: HashMap<String, usize>,
    draft: Draft,
}

fn invalid_type(expected: &str, given: &str) -> CompileError {
    CompileError::Message(format!(
        "Invalid type. Expected: {expected}, given: {given}"
    ))
}

fn msg(s: String) -> CompileError {
    CompileError::Message(s)
}

/// `mustBeInteger`: an integer written without fraction or exponent, within int64.
fn integer(v: &Json) -> Option<i64> {
    match v {
        Json::Number(t) if Dec::parse(t).is_some_and(|d| d.is_int()) => t.parse().ok(),
        _ => None,
    }
}

/// `mustBeNumber`.
fn number(v: &Json) -> Option<Dec> {
    match v {
        Json::Number(t) => Dec::parse(t),
        _ => None,
    }
}

fn is_schema_kind(v: &Json) -> bool {
    matches!(v, Json::Object(_) | Json::Bool(_))
}

impl<'a> Compiler<'a> {
    /// `parseReferencesRecursive`: registers each `$id` (or `id`) in the pool and makes each
    /// `$ref` absolute against the `$id` around it. `const` and `enum` are data, and the
    /// members of `properties`, `dependencies` and `patternProperties` are schemas, not the map.
    fn parse_references(&mut self, doc: &'a Json, base: &Url) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            self.parse_references_here(doc, base)
        });
    }

    fn parse_references_here(&mut self, doc: &'a Json, base: &Url) {
        match doc {
            Json::Array(items) => {
                for v in items {
                    self.parse_references(v, base);
                }
            }
            Json::Object(m) => {
                let mut local = base.clone();
                let key = if m.contains_key("id") { "id" } else { "$id" };
                if let Some(Json::String(id)) = m.get(key)
                    && let Ok(child) = Url::parse(id)
                {
                    local = base.inherit(&child);
                    let name = local.to_string();
                    if self.pool.contains_key(&name) {
                        // "Reference already exists", which the caller drops: the rest of
                        // this object is left as it is.
                        return;
                    }
                    self.pool.insert(name, doc);
                }
                if let Some(Json::String(r)) = m.get("$ref")
                    && let Ok(child) = Url::parse(r)
                {
                    let absolute = local.inherit(&child).to_string();
                    self.rewritten.insert(std::ptr::from_ref(doc), absolute);
                }
                for (k, v) in m {
                    match k.as_str() {
                        "const" | "enum" => {}
                        "properties" | "dependencies" | "patternProperties" => {
                            if let Json::Object(children) = v {
                                for child in children.values() {
                                    self.parse_references(child, &local);
                                }
                            }
                        }
                        _ => self.parse_references(v, &local),
                    }
                }
            }
            _ => {}
        }
    }

    fn child(&mut self, property: &str) -> Compiled<usize> {
        if self.subs.len() >= MAX_SUBS {
            return Err(msg(format!(
                "the schema makes more than {MAX_SUBS} subschemas (its $refs lead to the same places again and again)"
            )));
        }
        self.subs.push(Sub::new(property));
        Ok(self.subs.len() - 1)
    }

    /// A new subschema of `node`, parsed.
    fn sub(&mut self, property: &str, node: &'a Json) -> Compiled<usize> {
        let i = self.child(property)?;
        self.parse(node, i)?;
        Ok(i)
    }

    fn parse(&mut self, node: &'a Json, at: usize) -> Compiled<()> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.parse_here(node, at))
    }

    /// `parseSchema`.
    fn parse_here(&mut self, node: &'a Json, at: usize) -> Compiled<()> {
        let draft = self.draft;
        if let (true, Json::Bool(b)) = (draft >= Draft::D6, node) {
            self.subs[at].pass = Some(*b);
            return Ok(());
        }
        let Json::Object(m) = node else {
            return Err(msg("Expected: valid schema, given: Invalid JSON".into()));
        };
        let id_key = match draft {
            Draft::D4 => "id",
            Draft::Hybrid if m.contains_key("id") => "id",
            _ => "$id",
        };
        match m.get(id_key) {
            Some(Json::String(id)) => {
                Url::parse(id)?;
            }
            Some(_) => return Err(invalid_type("string", id_key)),
            None => {}
        }
        if let Some(defs) = m.get("definitions") {
            match defs {
                Json::Object(defs) => {
                    for dv in defs.values() {
                        if !is_schema_kind(dv) {
                            return Err(invalid_type("array of schemas", "definitions"));
                        }
                        self.sub("definitions", dv)?;
                    }
                }
                Json::Bool(_) => {
                    return Err(CompileError::Panic(
                        "interface conversion: interface {} is bool, not map[string]interface {}"
                            .into(),
                    ));
                }
                _ => return Err(invalid_type("array of schemas", "definitions")),
            }
        }
        for key in ["title", "description"] {
            if m.get(key).is_some_and(|v| !matches!(v, Json::String(_))) {
                return Err(invalid_type("string", key));
            }
        }
        if let Some(r) = m.get("$ref") {
            let Json::String(raw) = r else {
                return Err(invalid_type("string", "$ref"));
            };
            let text = self
                .rewritten
                .get(&std::ptr::from_ref(node))
                .cloned()
                .unwrap_or_else(|| raw.clone());
            let url = Url::parse(&text)?;
            let key = url.to_string();
            match self.ref_pool.get(&key) {
                Some(&target) => self.subs[at].ref_schema = Some(target),
                None => return self.parse_reference(&url, key, at),
            }
        }
        self.parse_type(m.get("type"), at)?;
        if let Some(props) = m.get("properties") {
            let Json::Object(props) = props else {
                return Err(msg("properties must be of type object".into()));
            };
            for (k, v) in props {
                let i = self.child(k)?;
                self.subs[at].properties.push(i);
                self.parse(v, i)?;
            }
        }
        if let Some(ap) = m.get("additionalProperties") {
            self.subs[at].additional_properties = match ap {
                Json::Bool(b) => Additional::Bool(*b),
                Json::Object(_) => Additional::Schema(self.sub("additionalProperties", ap)?),
                _ => return Err(invalid_type("boolean/valid schema", "additionalProperties")),
            };
        }
        if let Some(pp) = m.get("patternProperties") {
            let Json::Object(pp) = pp else {
                return Err(invalid_type("valid schema", "patternProperties"));
            };
            for (k, v) in pp {
                let Ok(re) = crate::template::funcs::sprig_regex::compile(k) else {
                    return Err(msg(format!("Invalid regex pattern '{k}'")));
                };
                let i = self.sub(k, v)?;
                self.subs[at].pattern_properties.push((re, i));
            }
        }
        if let Some(pn) = m.get("propertyNames")
            && draft >= Draft::D6
        {
            if !is_schema_kind(pn) {
                return Err(invalid_type("valid schema", "patternProperties"));
            }
            self.subs[at].property_names = Some(self.sub("propertyNames", pn)?);
        }
        if let Some(deps) = m.get("dependencies") {
            self.parse_dependencies(deps, at)?;
        }
        self.parse_items(m, at)?;
        self.parse_numbers(m, at)?;
        self.parse_strings(m, at)?;
        self.parse_objects(m, at)?;
        self.parse_arrays(m, at)?;
        self.parse_all(m, at)
    }

    /// `parseReference`: the target parsed into a new subschema, registered before it is
    /// parsed so that a cycle comes back to it.
    fn parse_reference(&mut self, url: &Url, key: String, at: usize) -> Compiled<()> {
        let target_sub = self.child("$ref")?;
        self.ref_pool.entry(key.clone()).or_insert(target_sub);
        let doc = self.document(url, &key)?;
        if !is_schema_kind(doc) {
            return Err(msg("valid schema must be of type object".into()));
        }
        self.parse(doc, target_sub)?;
        self.subs[at].ref_schema = Some(target_sub);
        Ok(())
    }

    /// `schemaPool.GetDocument`: by the whole reference (an `$id`), else the document of its
    /// URL and the fragment's JSON pointer in it.
    fn document(&mut self, url: &Url, key: &str) -> Compiled<&'a Json> {
        if let Some(doc) = self.pool.get(key) {
            return Ok(doc);
        }
        let base = url.without_fragment().to_string();
        if let Some(&doc) = self.pool.get(&base) {
            let target = pointer_get(doc, &url.fragment)?;
            self.pool.insert(key.to_string(), target);
            return Ok(target);
        }
        if !url.is_canonical() {
            return Err(msg(format!("Reference {key} must be canonical")));
        }
        // NOTE: gojsonschema would read the file or fetch the URL (the drafts' own
        // metaschemas it has built in); a chart's schema is checked here on its own.
        Err(msg(format!(
            "{key}: stackstate-lint does not load schemas from other files or the network"
        )))
    }

    fn parse_type(&mut self, t: Option<&Json>, at: usize) -> Compiled<()> {
        let names: Vec<&String> = match t {
            None => return Ok(()),
            Some(Json::String(s)) => vec![s],
            Some(Json::Array(items)) => {
                let mut names = Vec::new();
                for item in items {
                    match item {
                        Json::String(s) => names.push(s),
                        // A json.Number is a string to `reflect`: Go's check lets it through
                        // to a type assertion that panics.
                        Json::Number(_) => {
                            return Err(CompileError::Panic(
                                "interface conversion: interface {} is json.Number, not string"
                                    .into(),
                            ));
                        }
                        _ => return Err(invalid_type("string/array of strings", "type")),
                    }
                }
                names
            }
            Some(_) => return Err(invalid_type("string/array of strings", "type")),
        };
        for name in names {
            let Some(known) = JSON_TYPES.iter().find(|t| **t == name.as_str()) else {
                return Err(msg(format!(
                    "has a primitive type that is NOT VALID -- given: /{name}/ Expected valid values are:[{}]",
                    JSON_TYPES.join(" ")
                )));
            };
            let types = &mut self.subs[at].types;
            if types.contains(known) {
                return Err(msg(format!("{name} type is duplicated")));
            }
            types.push(known);
        }
        Ok(())
    }

    fn parse_dependencies(&mut self, deps: &'a Json, at: usize) -> Compiled<()> {
        let Json::Object(deps) = deps else {
            return Err(msg("dependencies must be of type object".into()));
        };
        let wrong = || msg("dependency must be of type schema or array of strings".into());
        for (k, v) in deps {
            match v {
                Json::Array(items) => {
                    let mut keys = Vec::new();
                    for item in items {
                        let Json::String(s) = item else {
                            return Err(wrong());
                        };
                        keys.push(s.clone());
                    }
                    // Go registers the list inside its loop: an empty one is never set.
                    if !keys.is_empty() {
                        self.subs[at]
                            .dependencies
                            .push((k.clone(), Dependency::Keys(keys)));
                    }
                }
                Json::Object(_) | Json::Bool(_) => {
                    let i = self.sub(k, v)?;
                    self.subs[at]
                        .dependencies
                        .push((k.clone(), Dependency::Schema(i)));
                }
                _ => return Err(wrong()),
            }
        }
        Ok(())
    }

    fn parse_items(&mut self, m: &'a Obj, at: usize) -> Compiled<()> {
        let wrong = || invalid_type("valid schema/array of schemas", "items");
        match m.get("items") {
            None => {}
            Some(Json::Array(items)) => {
                for item in items {
                    if !is_schema_kind(item) {
                        return Err(wrong());
                    }
                    let i = self.child("items")?;
                    self.subs[at].items.push(i);
                    self.parse(item, i)?;
                    self.subs[at].items_single = false;
                }
            }
            Some(item) if is_schema_kind(item) => {
                let i = self.child("items")?;
                self.subs[at].items.push(i);
                self.parse(item, i)?;
                self.subs[at].items_single = true;
            }
            Some(_) => return Err(wrong()),
        }
        if let Some(ai) = m.get("additionalItems") {
            self.subs[at].additional_items = match ai {
                Json::Bool(b) => Additional::Bool(*b),
                Json::Object(_) => Additional::Schema(self.sub("additionalItems", ai)?),
                _ => return Err(invalid_type("boolean/valid schema", "additionalItems")),
            };
        }
        Ok(())
    }

    fn parse_numbers(&mut self, m: &Obj, at: usize) -> Compiled<()> {
        if let Some(v) = m.get("multipleOf") {
            let Some(n) = number(v) else {
                return Err(invalid_type("number", "multipleOf"));
            };
            if !n.is_positive() {
                return Err(msg("multipleOf must be strictly greater than 0".into()));
            }
            self.subs[at].multiple_of = Some(n);
        }
        for (bound, exclusive) in [
            ("minimum", "exclusiveMinimum"),
            ("maximum", "exclusiveMaximum"),
        ] {
            if let Some(v) = m.get(bound) {
                let Some(n) = number(v) else {
                    return Err(msg(format!("{bound} must be of a number")));
                };
                *self.bound(at, bound) = Some(n);
            }
            let Some(v) = m.get(exclusive) else { continue };
            let without = || msg(format!("{exclusive} cannot be used without {bound}"));
            match (self.draft, v) {
                (Draft::D4 | Draft::Hybrid, Json::Bool(b)) => {
                    let Some(n) = self.bound(at, bound).clone() else {
                        return Err(without());
                    };
                    if *b {
                        *self.bound(at, exclusive) = Some(n);
                        *self.bound(at, bound) = None;
                    }
                }
                (Draft::D4, _) => return Err(invalid_type("boolean", exclusive)),
                (Draft::Hybrid, Json::Number(_)) => *self.bound(at, exclusive) = number(v),
                (Draft::Hybrid, _) => return Err(invalid_type("boolean/number", exclusive)),
                (_, Json::Number(_)) => *self.bound(at, exclusive) = number(v),
                _ => return Err(invalid_type("number", exclusive)),
            }
        }
        Ok(())
    }

    fn bound(&mut self, at: usize, name: &str) -> &mut Option<Dec> {
        let s = &mut self.subs[at];
        match name {
            "minimum" => &mut s.minimum,
            "exclusiveMinimum" => &mut s.exclusive_minimum,
            "maximum" => &mut s.maximum,
            _ => &mut s.exclusive_maximum,
        }
    }

    /// A count that must be an integer of at least 0 (`minLength`, `maxItems`, …).
    fn count(m: &Obj, key: &str) -> Compiled<Option<i64>> {
        let Some(v) = m.get(key) else {
            return Ok(None);
        };
        let Some(n) = integer(v) else {
            return Err(msg(format!("{key} must be of an integer")));
        };
        if n < 0 {
            return Err(msg(format!("{key} must be greater than or equal to 0")));
        }
        Ok(Some(n))
    }

    fn parse_strings(&mut self, m: &Obj, at: usize) -> Compiled<()> {
        let min = Self::count(m, "minLength")?;
        self.subs[at].min_length = min;
        let max = Self::count(m, "maxLength")?;
        self.subs[at].max_length = max;
        if let (Some(min), Some(max)) = (min, max)
            && min > max
        {
            return Err(msg("minLength cannot be greater than maxLength".into()));
        }
        if let Some(p) = m.get("pattern") {
            let Json::String(p) = p else {
                return Err(msg("pattern must be of a string".into()));
            };
            let Ok(re) = crate::template::funcs::sprig_regex::compile(p) else {
                return Err(msg("pattern must be a valid regex".into()));
            };
            self.subs[at].pattern = Some((p.clone(), re));
        }
        if let Some(f) = m.get("format") {
            let Json::String(f) = f else {
                return Err(msg("format must be of type string".into()));
            };
            self.subs[at].format = f.clone();
        }
        Ok(())
    }

    fn parse_objects(&mut self, m: &Obj, at: usize) -> Compiled<()> {
        let min = Self::count(m, "minProperties")?;
        self.subs[at].min_properties = min;
        let max = Self::count(m, "maxProperties")?;
        self.subs[at].max_properties = max;
        if let (Some(min), Some(max)) = (min, max)
            && min > max
        {
            return Err(msg(
                "minProperties cannot be greater than maxProperties".into()
            ));
        }
        if let Some(req) = m.get("required") {
            let Json::Array(req) = req else {
                return Err(msg("required must be of an array".into()));
            };
            for r in req {
                let Json::String(r) = r else {
                    return Err(msg("required items must be string".into()));
                };
                if self.subs[at].required.contains(r) {
                    return Err(msg("required items must be unique".into()));
                }
                self.subs[at].required.push(r.clone());
            }
        }
        Ok(())
    }

    fn parse_arrays(&mut self, m: &'a Obj, at: usize) -> Compiled<()> {
        self.subs[at].min_items = Self::count(m, "minItems")?;
        self.subs[at].max_items = Self::count(m, "maxItems")?;
        if let Some(u) = m.get("uniqueItems") {
            let Json::Bool(u) = u else {
                return Err(msg("uniqueItems must be of a boolean".into()));
            };
            self.subs[at].unique_items = *u;
        }
        if let Some(c) = m.get("contains")
            && self.draft >= Draft::D6
        {
            let i = self.child("contains")?;
            self.subs[at].contains = Some(i);
            self.parse(c, i)?;
        }
        Ok(())
    }

    fn parse_all(&mut self, m: &'a Obj, at: usize) -> Compiled<()> {
        if let Some(c) = m.get("const")
            && self.draft >= Draft::D6
        {
            self.subs[at].konst = Some(marshal_without_number(c)?);
        }
        if let Some(e) = m.get("enum") {
            let Json::Array(items) = e else {
                return Err(msg("enum must be of an array".into()));
            };
            for item in items {
                let text = marshal_without_number(item)?;
                if self.subs[at].enumeration.contains(&text) {
                    return Err(msg("enum items must be unique".into()));
                }
                self.subs[at].enumeration.push(text);
            }
        }
        // allOf's wrong type is reported under anyOf's name, as in Go.
        for (key, named) in [("oneOf", "oneOf"), ("anyOf", "anyOf"), ("allOf", "anyOf")] {
            let Some(list) = m.get(key) else { continue };
            let Json::Array(list) = list else {
                return Err(msg(format!("{named} must be of an array")));
            };
            for v in list {
                let i = self.child(key)?;
                let s = &mut self.subs[at];
                match key {
                    "oneOf" => s.one_of.push(i),
                    "anyOf" => s.any_of.push(i),
                    _ => s.all_of.push(i),
                }
                self.parse(v, i)?;
            }
        }
        if let Some(n) = m.get("not") {
            if !is_schema_kind(n) {
                return Err(msg("not must be of an object".into()));
            }
            self.subs[at].not = Some(self.sub("not", n)?);
        }
        if self.draft >= Draft::D7 {
            for key in ["if", "then", "else"] {
                let Some(v) = m.get(key) else { continue };
                if !is_schema_kind(v) {
                    return Err(msg(format!("{key} must be of an object")));
                }
                let i = self.sub(key, v)?;
                let s = &mut self.subs[at];
                match key {
                    "if" => s.if_ = Some(i),
                    "then" => s.then = Some(i),
                    _ => s.else_ = Some(i),
                }
            }
        }
        Ok(())
    }
}

//! gojsonschema's validation (validation.go): the checks in its order, and its `Result` with
//! the score that picks, among failing `anyOf`/`oneOf` branches and `contains` items, the one
//! whose errors are merged into the report (the highest score, the first of equals).

use super::compile::{Additional, Dependency, Schema, Sub};
use super::format;
use super::json::{Json, marshal_without_number};
use super::number::Dec;

/// One error: gojsonschema's context (`(root).a.0`) and description.
#[derive(Debug, Clone)]
pub(super) struct Failure {
    pub(super) context: String,
    pub(super) description: String,
}

impl Failure {
    /// `ResultErrorFields.Field`: the context without `(root).`.
    pub(super) fn field(&self) -> &str {
        self.context
            .strip_prefix("(root).")
            .unwrap_or(&self.context)
    }
}

/// gojsonschema's `Result`.
#[derive(Debug, Default)]
pub(super) struct Outcome {
    pub(super) errors: Vec<Failure>,
    score: i64,
}

impl Outcome {
    fn valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// `addInternalError`: −2, for a net −1 with the +1 at the end of the check.
    fn add(&mut self, context: &str, description: String) {
        self.errors.push(Failure {
            context: context.to_string(),
            description,
        });
        self.score -= 2;
    }

    fn merge(&mut self, other: Outcome) {
        self.errors.extend(other.errors);
        self.score += other.score;
    }
}

/// Why validation stopped before its end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Stop {
    /// More than [`MAX_STEPS`] subschemas checked.
    Steps,
    /// Subschemas nested more than [`MAX_DEPTH`] deep: a `$ref` cycle that Go follows until
    /// its stack overflows.
    Depth,
}

/// Bound on the subschemas one validation checks: nested `anyOf` over `$ref`s can take
/// exponential time.
pub(super) const MAX_STEPS: u64 = 1_000_000;
/// Bound on nesting, far deeper than any values file.
pub(super) const MAX_DEPTH: usize = 2_000;

/// Checks `root` against the schema's root subschema.
pub(super) fn validate(schema: &Schema, root: &Json) -> Result<Outcome, Stop> {
    let mut v = Validator {
        subs: &schema.subs,
        steps: 0,
        depth: 0,
    };
    let mut result = Outcome::default();
    v.recursive(0, root, &mut result, "(root)")?;
    Ok(result)
}

struct Validator<'a> {
    subs: &'a [Sub],
    steps: u64,
    depth: usize,
}

/// A JSON type name as gojsonschema's messages give it.
fn types_text(types: &[&str]) -> String {
    if types.len() > 1 {
        format!("[{}]", types.join(","))
    } else {
        types.first().copied().unwrap_or("undefined").to_string()
    }
}

type Step = Result<(), Stop>;

impl Validator<'_> {
    /// `subValidateWithContext`.
    fn sub_validate(&mut self, at: usize, node: &Json, context: &str) -> Result<Outcome, Stop> {
        let mut result = Outcome::default();
        self.recursive(at, node, &mut result, context)?;
        Ok(result)
    }

    fn recursive(&mut self, at: usize, node: &Json, result: &mut Outcome, context: &str) -> Step {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(Stop::Steps);
        }
        if self.depth >= MAX_DEPTH {
            return Err(Stop::Depth);
        }
        self.depth += 1;
        let r = stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            self.recursive_here(at, node, result, context)
        });
        self.depth -= 1;
        r
    }

    /// `validateRecursive`.
    fn recursive_here(
        &mut self,
        at: usize,
        node: &Json,
        result: &mut Outcome,
        context: &str,
    ) -> Step {
        let s = &self.subs[at];
        if let Some(pass) = s.pass {
            if !pass {
                result.add(context, "False always fails validation".into());
            }
            return Ok(());
        }
        if let Some(target) = s.ref_schema {
            return self.recursive(target, node, result, context);
        }
        let given = match node {
            Json::Null => "null",
            Json::Number(t) => {
                if Dec::parse(t).is_some_and(|d| d.is_int()) {
                    "integer"
                } else {
                    "number"
                }
            }
            Json::Array(_) => "array",
            Json::Object(_) => "object",
            Json::Bool(_) => "boolean",
            Json::String(_) => "string",
        };
        let valid_type = match given {
            "integer" => s.types.contains(&"number") || s.types.contains(&"integer"),
            "number" => s.types.contains(&"number"),
            other => s.types.contains(&other),
        };
        if !s.types.is_empty() && !valid_type {
            let expected = types_text(&s.types);
            result.add(
                context,
                format!("Invalid type. Expected: {expected}, given: {given}"),
            );
            return Ok(());
        }
        self.schema(at, node, result, context)?;
        match node {
            Json::Null | Json::Bool(_) => self.common(s, node, result, context),
            Json::Number(t) => {
                self.number(s, t, result, context);
                self.common(s, node, result, context);
            }
            Json::String(text) => {
                self.common(s, node, result, context);
                self.string(s, text, result, context);
            }
            Json::Array(items) => {
                self.array(at, items, result, context)?;
                self.common(s, node, result, context);
            }
            Json::Object(map) => {
                self.object(at, map, result, context)?;
                self.common(s, node, result, context);
                for &p in &s.properties {
                    let name = &self.subs[p].property;
                    if let Some(next) = map.get(name) {
                        let sub_context = format!("{context}.{name}");
                        self.recursive(p, next, result, &sub_context)?;
                    }
                }
            }
        }
        result.score += 1;
        Ok(())
    }

    /// `validateSchema`: anyOf, oneOf, allOf, not, dependencies, if/then/else.
    fn schema(&mut self, at: usize, node: &Json, result: &mut Outcome, context: &str) -> Step {
        let s = &self.subs[at];
        if !s.any_of.is_empty() {
            let mut best: Option<Outcome> = None;
            let mut valid = false;
            for &branch in &s.any_of {
                let r = self.sub_validate(branch, node, context)?;
                if r.valid() {
                    valid = true;
                    break;
                }
                if best.as_ref().is_none_or(|b| r.score > b.score) {
                    best = Some(r);
                }
            }
            if !valid {
                result.add(context, "Must validate at least one schema (anyOf)".into());
                if let Some(best) = best {
                    result.merge(best);
                }
            }
        }
        if !s.one_of.is_empty() {
            let mut best: Option<Outcome> = None;
            let mut validated = 0;
            for &branch in &s.one_of {
                let r = self.sub_validate(branch, node, context)?;
                if r.valid() {
                    validated += 1;
                } else if validated == 0 && best.as_ref().is_none_or(|b| r.score > b.score) {
                    best = Some(r);
                }
            }
            if validated != 1 {
                result.add(
                    context,
                    "Must validate one and only one schema (oneOf)".into(),
                );
                if validated == 0
                    && let Some(best) = best
                {
                    result.merge(best);
                }
            }
        }
        if !s.all_of.is_empty() {
            let mut validated = 0;
            for &branch in &s.all_of {
                let r = self.sub_validate(branch, node, context)?;
                if r.valid() {
                    validated += 1;
                }
                result.merge(r);
            }
            if validated != s.all_of.len() {
                result.add(context, "Must validate all the schemas (allOf)".into());
            }
        }
        if let Some(not) = s.not
            && self.sub_validate(not, node, context)?.valid()
        {
            result.add(context, "Must not validate the schema (not)".into());
        }
        if let Json::Object(map) = node
            && !s.dependencies.is_empty()
        {
            // NOTE: Go ranges over the value's keys in a random order (see `Obj`).
            for key in map.keys() {
                let Some((_, dependency)) = s.dependencies.iter().find(|(k, _)| k == key) else {
                    continue;
                };
                match dependency {
                    Dependency::Keys(keys) => {
                        for k in keys {
                            if !map.contains_key(k) {
                                result.add(context, format!("Has a dependency on {k}"));
                            }
                        }
                    }
                    Dependency::Schema(d) => self.recursive(*d, node, result, context)?,
                }
            }
        }
        if let Some(cond) = s.if_ {
            let if_valid = self.sub_validate(cond, node, context)?.valid();
            let (branch, text) = if if_valid {
                (s.then, "Must validate \"then\" as \"if\" was valid")
            } else {
                (s.else_, "Must validate \"else\" as \"if\" was not valid")
            };
            if let Some(branch) = branch {
                let r = self.sub_validate(branch, node, context)?;
                if !r.valid() {
                    result.add(context, text.into());
                    result.merge(r);
                }
            }
        }
        result.score += 1;
        Ok(())
    }

    /// `validateCommon`: const, enum.
    fn common(&self, s: &Sub, node: &Json, result: &mut Outcome, context: &str) {
        if s.konst.is_some() || !s.enumeration.is_empty() {
            // A value's numbers always fit a float64: the text cannot fail to marshal.
            let text = marshal_without_number(node).unwrap_or_default();
            let field = Failure {
                context: context.to_string(),
                description: String::new(),
            };
            if let Some(k) = &s.konst
                && *k != text
            {
                result.add(context, format!("{} does not match: {k}", field.field()));
            }
            if !s.enumeration.is_empty() && !s.enumeration.contains(&text) {
                result.add(
                    context,
                    format!(
                        "{} must be one of the following: {}",
                        field.field(),
                        s.enumeration.join(", ")
                    ),
                );
            }
        }
        result.score += 1;
    }

    /// `validateNumber`.
    fn number(&self, s: &Sub, text: &str, result: &mut Outcome, context: &str) {
        let Some(v) = Dec::parse(text) else { return };
        if let Some(m) = &s.multiple_of
            && !v.is_multiple_of(m)
        {
            result.add(context, format!("Must be a multiple of {}", m.go_float()));
        }
        use std::cmp::Ordering::{Greater, Less};
        if let Some(max) = &s.maximum
            && v.cmp(max) == Greater
        {
            result.add(
                context,
                format!("Must be less than or equal to {}", max.go_float()),
            );
        }
        if let Some(max) = &s.exclusive_maximum
            && v.cmp(max) != Less
        {
            result.add(context, format!("Must be less than {}", max.go_float()));
        }
        if let Some(min) = &s.minimum
            && v.cmp(min) == Less
        {
            result.add(
                context,
                format!("Must be greater than or equal to {}", min.go_float()),
            );
        }
        if let Some(min) = &s.exclusive_minimum
            && v.cmp(min) != Greater
        {
            result.add(context, format!("Must be greater than {}", min.go_float()));
        }
        // Every format checker wants a string: a number fails any format gojsonschema knows.
        if !s.format.is_empty() && format::known(&s.format) {
            result.add(context, format!("Does not match format '{}'", s.format));
        }
        result.score += 1;
    }

    /// `validateString`.
    fn string(&self, s: &Sub, text: &str, result: &mut Outcome, context: &str) {
        let len = i64::try_from(text.chars().count()).unwrap_or(i64::MAX);
        if let Some(min) = s.min_length
            && len < min
        {
            result.add(
                context,
                format!("String length must be greater than or equal to {min}"),
            );
        }
        if let Some(max) = s.max_length
            && len > max
        {
            result.add(
                context,
                format!("String length must be less than or equal to {max}"),
            );
        }
        if let Some((source, re)) = &s.pattern
            && !re.is_match(text)
        {
            result.add(context, format!("Does not match pattern '{source}'"));
        }
        if !s.format.is_empty() && !format::is_format(&s.format, text) {
            result.add(context, format!("Does not match format '{}'", s.format));
        }
        result.score += 1;
    }

    /// `validateArray`.
    fn array(&mut self, at: usize, items: &[Json], result: &mut Outcome, context: &str) -> Step {
        let s = &self.subs[at];
        if s.items_single {
            for (i, item) in items.iter().enumerate() {
                let r = self.sub_validate(s.items[0], item, &format!("{context}.{i}"))?;
                result.merge(r);
            }
        } else if !s.items.is_empty() {
            for (i, (item, &schema)) in items.iter().zip(&s.items).enumerate() {
                let r = self.sub_validate(schema, item, &format!("{context}.{i}"))?;
                result.merge(r);
            }
            if s.items.len() < items.len() {
                match s.additional_items {
                    Additional::Bool(false) => {
                        result.add(context, "No additional items allowed on array".into());
                    }
                    Additional::Schema(extra) => {
                        for (i, item) in items.iter().enumerate().skip(s.items.len()) {
                            let r = self.sub_validate(extra, item, &format!("{context}.{i}"))?;
                            result.merge(r);
                        }
                    }
                    _ => {}
                }
            }
        }
        let n = i64::try_from(items.len()).unwrap_or(i64::MAX);
        if let Some(min) = s.min_items
            && n < min
        {
            result.add(context, format!("Array must have at least {min} items"));
        }
        if let Some(max) = s.max_items
            && n > max
        {
            result.add(context, format!("Array must have at most {max} items"));
        }
        if s.unique_items {
            let mut seen: std::collections::HashMap<String, usize> = Default::default();
            for (j, item) in items.iter().enumerate() {
                let text = marshal_without_number(item).unwrap_or_default();
                if let Some(i) = seen.get(&text) {
                    result.add(context, format!("array items[{i},{j}] must be unique"));
                }
                seen.insert(text, j);
            }
        }
        if let Some(contains) = s.contains {
            let mut best: Option<Outcome> = None;
            let mut found = false;
            for (i, item) in items.iter().enumerate() {
                let r = self.sub_validate(contains, item, &format!("{context}.{i}"))?;
                if r.valid() {
                    found = true;
                    break;
                }
                if best.as_ref().is_none_or(|b| r.score > b.score) {
                    best = Some(r);
                }
            }
            if !found {
                result.add(context, "At least one of the items must match".into());
                if let Some(best) = best {
                    result.merge(best);
                }
            }
        }
        result.score += 1;
        Ok(())
    }

    /// `validateObject`.
    fn object(
        &mut self,
        at: usize,
        map: &super::json::Obj,
        result: &mut Outcome,
        context: &str,
    ) -> Step {
        let s = &self.subs[at];
        let n = i64::try_from(map.len()).unwrap_or(i64::MAX);
        if let Some(min) = s.min_properties
            && n < min
        {
            result.add(context, format!("Must have at least {min} properties"));
        }
        if let Some(max) = s.max_properties
            && n > max
        {
            result.add(context, format!("Must have at most {max} properties"));
        }
        for r in &s.required {
            if map.contains_key(r) {
                result.score += 1;
            } else {
                result.add(context, format!("{r} is required"));
            }
        }
        // NOTE: Go ranges over the value's keys, and over `patternProperties`, in a random
        // order; ours is the one `Obj` explains.
        for (key, value) in map {
            let found = s.properties.iter().any(|&p| self.subs[p].property == *key);
            let mut matched = false;
            for (re, schema) in &s.pattern_properties {
                if re.is_match(key) {
                    matched = true;
                    let r = self.sub_validate(*schema, value, &format!("{context}.{key}"))?;
                    result.merge(r);
                }
            }
            if matched {
                result.score += 1;
            }
            if !found && !matched {
                match s.additional_properties {
                    Additional::Bool(false) => {
                        result.add(context, format!("Additional property {key} is not allowed"));
                    }
                    Additional::Schema(extra) => {
                        let r = self.sub_validate(extra, value, &format!("{context}.{key}"))?;
                        result.merge(r);
                    }
                    _ => {}
                }
            }
        }
        if let Some(names) = s.property_names {
            for key in map.keys() {
                let r = self.sub_validate(names, &Json::String(key.clone()), context)?;
                if !r.valid() {
                    result.add(
                        context,
                        format!("Property name of \"{key}\" does not match"),
                    );
                    result.merge(r);
                }
            }
        }
        result.score += 1;
        Ok(())
    }
}

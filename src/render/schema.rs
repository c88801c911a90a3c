//! `values.schema.json`: the values of each chart checked against its schema before rendering,
//! as Helm 3.17 does with xeipuuv/gojsonschema (draft 4–7 keywords; `$ref` to the same
//! document, `$defs`/`definitions` included). Messages follow gojsonschema's English locale:
//! `- replicaCount: Invalid type. Expected: integer, given: string`.

use serde_json::Value as J;

use crate::value::{Map, Node, Value};

/// Checks `values` against `schema` (JSON text); the gojsonschema error lines, empty when valid.
pub(crate) fn validate(schema: &[u8], values: &Map) -> Result<Vec<String>, String> {
    let root: J = serde_json::from_slice(schema).map_err(|e| e.to_string())?;
    let node = Node::new(Value::Map(values.clone()), crate::value::Origin::Synthetic);
    let mut v = Validator {
        root: &root,
        errors: Vec::new(),
        depth: 0,
        steps: MAX_STEPS,
    };
    v.check(&root, &node, "(root)");
    if v.steps == 0 {
        return Err(format!(
            "the schema takes more than {MAX_STEPS} steps to check (nested anyOf/oneOf or $ref cycles)"
        ));
    }
    Ok(v.errors
        .into_iter()
        .map(|(ctx, msg)| format!("- {ctx}: {msg}"))
        .collect())
}

/// Bound on the work of one validation: a hostile schema (nested `anyOf`, `$ref` cycles) could
/// otherwise take exponential time.
const MAX_STEPS: u64 = 1_000_000;

struct Validator<'a> {
    root: &'a J,
    errors: Vec<(String, String)>,
    depth: usize,
    steps: u64,
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Int(_) => "integer",
        Value::Float(f) if f.fract() == 0.0 && f.is_finite() => "integer",
        Value::Float(_) => "number",
        Value::Str(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn type_matches(want: &str, v: &Value) -> bool {
    let got = json_type(v);
    want == got || (want == "number" && got == "integer")
}

/// Whether a values node equals a JSON value (numbers by value).
fn equals(v: &Value, j: &J) -> bool {
    match (v, j) {
        (Value::Null, J::Null) => true,
        (Value::Bool(a), J::Bool(b)) => a == b,
        (Value::Str(a), J::String(b)) => a == b,
        (_, J::Number(n)) => number(v).zip(n.as_f64()).is_some_and(|(a, b)| a == b),
        (Value::Seq(a), J::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equals(&x.value, y))
        }
        (Value::Map(a), J::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, x)| b.get(k).is_some_and(|y| equals(&x.value, y)))
        }
        _ => false,
    }
}

fn child(ctx: &str, key: &str) -> String {
    format!("{ctx}.{key}")
}

fn shown(ctx: &str) -> String {
    ctx.strip_prefix("(root).").unwrap_or(ctx).to_string()
}

impl<'a> Validator<'a> {
    fn fail(&mut self, ctx: &str, msg: impl Into<String>) {
        self.errors.push((shown(ctx), msg.into()));
    }

    /// Whether `node` is valid against `schema`, without recording errors.
    fn valid(&mut self, schema: &'a J, node: &Node, ctx: &str) -> bool {
        let before = self.errors.len();
        self.check(schema, node, ctx);
        let ok = self.errors.len() == before;
        self.errors.truncate(before);
        ok
    }

    fn resolve(&self, reference: &str) -> Option<&'a J> {
        let pointer = reference.strip_prefix('#')?;
        if pointer.is_empty() {
            return Some(self.root);
        }
        self.root.pointer(pointer)
    }

    fn check(&mut self, schema: &'a J, node: &Node, ctx: &str) {
        if self.depth > 64 || self.steps == 0 {
            return;
        }
        self.steps -= 1;
        self.depth += 1;
        self.check_inner(schema, node, ctx);
        self.depth -= 1;
    }

    fn check_inner(&mut self, schema: &'a J, node: &Node, ctx: &str) {
        let s = match schema {
            J::Bool(true) => return,
            J::Bool(false) => {
                self.fail(ctx, "False always fails validation");
                return;
            }
            J::Object(s) => s,
            _ => return,
        };
        if let Some(J::String(r)) = s.get("$ref") {
            // Draft 4–7: `$ref` replaces its siblings. A remote reference is not followed.
            if let Some(target) = self.resolve(r) {
                self.check(target, node, ctx);
            }
            return;
        }
        let v = &node.value;
        if let Some(t) = s.get("type") {
            let types: Vec<&str> = match t {
                J::String(one) => vec![one.as_str()],
                J::Array(many) => many.iter().filter_map(J::as_str).collect(),
                _ => Vec::new(),
            };
            if !types.is_empty() && !types.iter().any(|t| type_matches(t, v)) {
                let expected = if types.len() > 1 {
                    format!("[{}]", types.join(","))
                } else {
                    types[0].to_string()
                };
                self.fail(
                    ctx,
                    format!(
                        "Invalid type. Expected: {expected}, given: {}",
                        json_type(v)
                    ),
                );
                return;
            }
        }
        if let Some(J::Array(allowed)) = s.get("enum")
            && !allowed.iter().any(|a| equals(v, a))
        {
            let list: Vec<String> = allowed.iter().map(J::to_string).collect();
            self.fail(
                ctx,
                format!(
                    "{} must be one of the following: {}",
                    shown(ctx),
                    list.join(", ")
                ),
            );
        }
        if let Some(c) = s.get("const")
            && !equals(v, c)
        {
            self.fail(ctx, format!("{} does not match: {c}", shown(ctx)));
        }
        self.combinators(s, node, ctx);
        match v {
            Value::Map(m) => self.object(s, m, ctx),
            Value::Seq(items) => self.array(s, items, ctx),
            Value::Str(text) => self.string(s, text, ctx),
            Value::Int(_) | Value::Float(_) => self.number(s, v, ctx),
            _ => {}
        }
    }

    fn combinators(&mut self, s: &'a serde_json::Map<String, J>, node: &Node, ctx: &str) {
        if let Some(J::Array(all)) = s.get("allOf") {
            let ok = all.iter().all(|sub| self.valid(sub, node, ctx));
            if !ok {
                self.fail(ctx, "Must validate all the schemas (allOf)");
            }
        }
        if let Some(J::Array(any)) = s.get("anyOf") {
            let ok = any.iter().any(|sub| self.valid(sub, node, ctx));
            if !ok {
                self.fail(ctx, "Must validate at least one schema (anyOf)");
            }
        }
        if let Some(J::Array(one)) = s.get("oneOf") {
            let n = one.iter().filter(|sub| self.valid(sub, node, ctx)).count();
            if n != 1 {
                self.fail(ctx, "Must validate one and only one schema (oneOf)");
            }
        }
        if let Some(not) = s.get("not")
            && self.valid(not, node, ctx)
        {
            self.fail(ctx, "Must not validate the schema (not)");
        }
        if let Some(cond) = s.get("if") {
            if self.valid(cond, node, ctx) {
                if let Some(then) = s.get("then")
                    && !self.valid(then, node, ctx)
                {
                    self.fail(ctx, "Must validate \"then\" as \"if\" was valid");
                }
            } else if let Some(els) = s.get("else")
                && !self.valid(els, node, ctx)
            {
                self.fail(ctx, "Must validate \"else\" as \"if\" was not valid");
            }
        }
    }

    fn object(&mut self, s: &'a serde_json::Map<String, J>, m: &Map, ctx: &str) {
        if let Some(J::Array(req)) = s.get("required") {
            for r in req.iter().filter_map(J::as_str) {
                if !m.contains_key(r) {
                    self.fail(ctx, format!("{r} is required"));
                }
            }
        }
        let props = s.get("properties").and_then(J::as_object);
        let patterns: Vec<(regex::Regex, &'a J)> = s
            .get("patternProperties")
            .and_then(J::as_object)
            .map(|pp| {
                pp.iter()
                    .filter_map(|(p, sub)| regex::Regex::new(p).ok().map(|r| (r, sub)))
                    .collect()
            })
            .unwrap_or_default();
        for (key, item) in m {
            let cctx = child(ctx, key);
            let mut known = false;
            if let Some(sub) = props.and_then(|p| p.get(key)) {
                known = true;
                self.check(sub, item, &cctx);
            }
            for (re, sub) in &patterns {
                if re.is_match(key) {
                    known = true;
                    self.check(sub, item, &cctx);
                }
            }
            if !known {
                match s.get("additionalProperties") {
                    Some(J::Bool(false)) => {
                        self.fail(ctx, format!("Additional property {key} is not allowed"))
                    }
                    Some(sub @ J::Object(_)) => self.check(sub, item, &cctx),
                    _ => {}
                }
            }
        }
        if let Some(min) = s.get("minProperties").and_then(J::as_u64)
            && (m.len() as u64) < min
        {
            self.fail(ctx, format!("Must have at least {min} properties"));
        }
        if let Some(max) = s.get("maxProperties").and_then(J::as_u64)
            && (m.len() as u64) > max
        {
            self.fail(ctx, format!("Must have at most {max} properties"));
        }
    }

    fn array(&mut self, s: &'a serde_json::Map<String, J>, items: &[Node], ctx: &str) {
        match s.get("items") {
            Some(J::Array(positional)) => {
                for (i, (item, sub)) in items.iter().zip(positional).enumerate() {
                    self.check(sub, item, &child(ctx, &i.to_string()));
                }
                if let Some(extra) = s.get("additionalItems") {
                    for (i, item) in items.iter().enumerate().skip(positional.len()) {
                        match extra {
                            J::Bool(false) => {
                                self.fail(ctx, "No additional items allowed on array");
                                break;
                            }
                            sub => self.check(sub, item, &child(ctx, &i.to_string())),
                        }
                    }
                }
            }
            Some(sub) => {
                for (i, item) in items.iter().enumerate() {
                    self.check(sub, item, &child(ctx, &i.to_string()));
                }
            }
            None => {}
        }
        if let Some(min) = s.get("minItems").and_then(J::as_u64)
            && (items.len() as u64) < min
        {
            self.fail(ctx, format!("Array must have at least {min} items"));
        }
        if let Some(max) = s.get("maxItems").and_then(J::as_u64)
            && (items.len() as u64) > max
        {
            self.fail(ctx, format!("Array must have at most {max} items"));
        }
    }

    fn string(&mut self, s: &serde_json::Map<String, J>, text: &str, ctx: &str) {
        let len = text.chars().count() as u64;
        if let Some(min) = s.get("minLength").and_then(J::as_u64)
            && len < min
        {
            self.fail(
                ctx,
                format!("String length must be greater than or equal to {min}"),
            );
        }
        if let Some(max) = s.get("maxLength").and_then(J::as_u64)
            && len > max
        {
            self.fail(
                ctx,
                format!("String length must be less than or equal to {max}"),
            );
        }
        if let Some(J::String(p)) = s.get("pattern")
            && let Ok(re) = regex::Regex::new(p)
            && !re.is_match(text)
        {
            self.fail(ctx, format!("Does not match pattern '{p}'"));
        }
    }

    fn number(&mut self, s: &serde_json::Map<String, J>, v: &Value, ctx: &str) {
        let Some(x) = number(v) else { return };
        let bound = |k: &str| s.get(k).and_then(J::as_f64);
        if let Some(min) = bound("minimum") {
            let exclusive = matches!(s.get("exclusiveMinimum"), Some(J::Bool(true)));
            if (exclusive && x <= min) || x < min {
                self.fail(ctx, format!("Must be greater than or equal to {min}"));
            }
        }
        if let Some(min) = bound("exclusiveMinimum")
            && x <= min
        {
            self.fail(ctx, format!("Must be greater than {min}"));
        }
        if let Some(max) = bound("maximum") {
            let exclusive = matches!(s.get("exclusiveMaximum"), Some(J::Bool(true)));
            if (exclusive && x >= max) || x > max {
                self.fail(ctx, format!("Must be less than or equal to {max}"));
            }
        }
        if let Some(max) = bound("exclusiveMaximum")
            && x >= max
        {
            self.fail(ctx, format!("Must be less than {max}"));
        }
        if let Some(m) = bound("multipleOf")
            && m != 0.0
            && (x / m).fract() != 0.0
        {
            self.fail(ctx, format!("Must be a multiple of {m}"));
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::value::Origin;

    fn map(entries: Vec<(&str, Value)>) -> Map {
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), Node::new(v, Origin::Synthetic)))
            .collect()
    }

    /// Thirty levels of `anyOf` over two references to the level below: 2^30 paths (for both
    /// Helms' validators).
    pub(crate) fn exponential_schema() -> String {
        let mut defs = vec![r#""a0": {"type": "string"}"#.to_string()];
        for i in 1..=30 {
            let below = i - 1;
            defs.push(format!(
                r##""a{i}": {{"anyOf": [{{"$ref": "#/$defs/a{below}"}}, {{"$ref": "#/$defs/a{below}"}}]}}"##
            ));
        }
        format!(
            r##"{{"$defs": {{{}}}, "$ref": "#/$defs/a30"}}"##,
            defs.join(", ")
        )
    }

    #[test]
    fn hostile_schemas_end() {
        let schema = exponential_schema();
        let values = map(vec![]);
        assert!(validate(schema.as_bytes(), &values).is_err());
        let cycle = br##"{"$ref": "#"}"##;
        assert!(validate(cycle, &values).unwrap().is_empty());
    }

    #[test]
    fn the_opentelemetry_case_fails_like_helm() {
        // Helm 3.17.3 on the render suite's case b/20-fail-schema.
        let schema =
            br##"{"$defs": {"intOrString": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
            "type": "object", "additionalProperties": false,
            "properties": {"replicaCount": {"type": "integer"}, "enabled": {"type": "boolean"},
                           "port": {"$ref": "#/$defs/intOrString"},
                           "mode": {"enum": ["daemonset", "deployment"]}}}"##;
        let values = map(vec![
            ("replicaCount", Value::Str("2".into())),
            ("unknownKey", Value::Bool(true)),
        ]);
        let errors = validate(schema, &values).unwrap();
        assert_eq!(
            errors,
            [
                "- replicaCount: Invalid type. Expected: integer, given: string",
                "- (root): Additional property unknownKey is not allowed",
            ]
        );
        let ok = map(vec![
            ("replicaCount", Value::Float(2.0)),
            ("port", Value::Float(8080.0)),
            ("mode", Value::Str("deployment".into())),
        ]);
        assert!(validate(schema, &ok).unwrap().is_empty());
        let bad = map(vec![
            ("port", Value::Float(1.5)),
            ("mode", Value::Str("x".into())),
        ]);
        assert_eq!(validate(schema, &bad).unwrap().len(), 2);
    }
}

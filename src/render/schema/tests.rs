//! The port against Helm 3.17.3's output on small cases.

use super::*;
use crate::value::{Node, Origin, Value};

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
    assert!(validate(cycle, &values).is_err());
    let deep = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
    assert_eq!(
        validate(deep.as_bytes(), &values).unwrap_err(),
        "invalid character '[' exceeded max depth"
    );
}

fn errors(schema: &str, values: Vec<(&str, Value)>) -> Result<Vec<String>, String> {
    validate(schema.as_bytes(), &map(values))
}

#[test]
fn the_best_failing_branch_follows_the_combinator_line() {
    // Helm 3.17.3 printed each of these.
    let schema = r#"{"properties": {"a": {"anyOf": [{"type": "integer"},
        {"type": "string", "minLength": 5}]}}}"#;
    assert_eq!(
        errors(schema, vec![("a", Value::Str("abc".into()))]).unwrap(),
        [
            "- a: Must validate at least one schema (anyOf)",
            "- a: String length must be greater than or equal to 5",
        ]
    );
    let schema = r#"{"properties": {"a": {"allOf": [{"type": "integer"}, {"minimum": 10},
        {"maximum": 1}]}}}"#;
    assert_eq!(
        errors(schema, vec![("a", Value::Int(5))]).unwrap(),
        [
            "- a: Must be greater than or equal to 10",
            "- a: Must be less than or equal to 1",
            "- a: Must validate all the schemas (allOf)",
        ]
    );
    let schema = r#"{"properties": {"a": {"if": {"type": "integer"}, "then": {"minimum": 10}}}}"#;
    assert_eq!(
        errors(schema, vec![("a", Value::Int(5))]).unwrap(),
        [
            "- a: Must validate \"then\" as \"if\" was valid",
            "- a: Must be greater than or equal to 10",
        ]
    );
}

#[test]
fn numbers_are_exact_and_printed_as_go_prints_them() {
    let schema = r#"{"properties": {"a": {"multipleOf": 0.1}, "b": {"maximum": 1000000},
        "c": {"type": "integer"}}}"#;
    assert_eq!(
        errors(
            schema,
            vec![
                ("a", Value::Float(0.3)),
                ("b", Value::Float(2.5e6)),
                ("c", Value::Float(2.0)),
            ]
        )
        .unwrap(),
        ["- b: Must be less than or equal to 1e+06"]
    );
}

#[test]
fn a_broken_schema_is_reported_as_gojsonschema_words_it() {
    let none = Vec::new;
    for (schema, message) in [
        (r#"{"minLength": 1.0}"#, "minLength must be of an integer"),
        (
            r#"{"type": "strin"}"#,
            "has a primitive type that is NOT VALID -- given: /strin/ Expected valid values are:[array boolean integer number null object string]",
        ),
        (r#"{"allOf": {}}"#, "anyOf must be of an array"),
        (
            r#"{"definitions": true}"#,
            "unable to validate schema: interface conversion: interface {} is bool, not map[string]interface {}",
        ),
        (
            r##"{"$ref": "#/definitions/x"}"##,
            "Object has no key 'definitions'",
        ),
        (
            r#"{"$ref": "other.json"}"#,
            "Reference /other.json must be canonical",
        ),
        ("[]", "schema is invalid"),
        ("", "EOF"),
        (r#"{"type": "object""#, "unexpected EOF"),
    ] {
        assert_eq!(errors(schema, none()).unwrap_err(), message, "{schema}");
    }
}

#[test]
fn the_opentelemetry_case_fails_like_helm() {
    // Helm 3.17.3 on the render suite's case b/20-fail-schema: the object's own errors come
    // before its properties'.
    let schema = r##"{"$defs": {"intOrString": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
        "type": "object", "additionalProperties": false,
        "properties": {"replicaCount": {"type": "integer"}, "enabled": {"type": "boolean"},
                       "port": {"$ref": "#/$defs/intOrString"},
                       "mode": {"enum": ["daemonset", "deployment"]}}}"##;
    let values = vec![
        ("replicaCount", Value::Str("2".into())),
        ("unknownKey", Value::Bool(true)),
    ];
    assert_eq!(
        errors(schema, values).unwrap(),
        [
            "- (root): Additional property unknownKey is not allowed",
            "- replicaCount: Invalid type. Expected: integer, given: string",
        ]
    );
    let ok = vec![
        ("replicaCount", Value::Float(2.0)),
        ("port", Value::Float(8080.0)),
        ("mode", Value::Str("deployment".into())),
    ];
    assert!(errors(schema, ok).unwrap().is_empty());
    let bad = vec![
        ("port", Value::Float(1.5)),
        ("mode", Value::Str("x".into())),
    ];
    assert_eq!(
        errors(schema, bad).unwrap(),
        [
            "- port: Must validate at least one schema (anyOf)",
            "- port: Invalid type. Expected: string, given: number",
            "- mode: mode must be one of the following: \"daemonset\", \"deployment\"",
        ]
    );
}

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

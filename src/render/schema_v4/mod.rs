//! `values.schema.json` as Helm 4 checks it (`pkg/chart/common/util/jsonschema.go` with
//! santhosh-tekuri/jsonschema v6.0.2): draft 2020-12 unless `$schema` names another, `$ref`
//! beside other keywords from 2019-09 on, `1.0` an integer, and the library's messages:
//! `- at '/replicaCount': got string, want integer`, nested causes indented under
//! `'anyOf' failed` and the like.
//!
//! Not reproduced: the check of the schema against its draft's metaschema, `format` (asserted
//! by v6 under drafts 4 to 7), `unevaluatedProperties`/`unevaluatedItems` and `$dynamicRef`.
//! A `$ref` to another file or URL, and a `$schema` that is not a built-in draft, fail with
//! Helm 4's `failing loading "URL"` and our reason: Helm 4 reads or fetches them, we never do.

mod check;
mod document;
mod failure;
mod numbers;
mod read;
#[cfg(test)]
mod tests;

use serde_json::Value as J;

use crate::value::{Map, Value};

/// Bound on the work of one validation: a hostile schema (nested `anyOf`, `$ref` chains) could
/// otherwise take exponential time.
const MAX_STEPS: u64 = 1_000_000;

/// What Helm 4 writes under the chart's name when `values` do not meet `schema`: the error
/// lines, each `- at '<pointer>': <message>`, ending with a newline; or, for a schema that does
/// not compile, the compiler's message without one. `None` when the values are valid.
pub(crate) fn validate(schema: &[u8], values: &Map) -> Option<String> {
    let root: J = match read::read(schema) {
        Ok(root) => root,
        Err(message) => return Some(message),
    };
    let doc = document::Document::new(&root);
    if let Some(message) = doc.broken_reference() {
        return Some(message);
    }
    let mut checker = check::Checker::new(&doc);
    let result = checker.top(&Value::Map(values.clone()));
    if checker.exhausted {
        return Some(format!(
            "the schema takes more than {MAX_STEPS} steps to check (nested anyOf/oneOf or $ref chains)"
        ));
    }
    let failure = result.err()?;
    let mut out = String::new();
    for cause in failure.into_top() {
        cause.display(&mut out, 1);
    }
    // Each line starts with a newline; Helm trims the first with the header it removes, and
    // ends the text with one for the next chart's report.
    out.remove(0);
    out.push('\n');
    Some(out)
}

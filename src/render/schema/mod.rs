//! `values.schema.json` as Helm 3.17 checks it (`pkg/chartutil/jsonschema.go`): a port of
//! xeipuuv/gojsonschema v1.2.0. The values go through `yaml.Marshal` and `YAMLToJSON` (a
//! null document becomes `{}`), the schema is compiled (drafts 4, 6 and 7 by `$schema`, else
//! its Hybrid of them; `$ref` within the document; gojsonschema's own checks of each keyword),
//! then the values are checked in gojsonschema's order with its `Result` scores, which decide
//! which failing branch of an `anyOf` or `oneOf` is reported. Messages are its English locale:
//! `- replicaCount: Invalid type. Expected: integer, given: string`.
//!
//! NOTE: where gojsonschema ranges over a Go map (a schema's `properties`,
//! `patternProperties`, `dependencies`, `definitions`, a value's keys) Helm's order is random
//! from run to run; ours is one Helm can print, its likeliest for small maps (see `json::Obj`).
//!
//! Not reproduced: `$ref`s to other files or URLs (gojsonschema would read or fetch them),
//! comments and obsolete forms in `email`, and a `$ref` cycle that never reaches a value, on
//! which Helm's stack overflows: ours stops with a message.

mod compile;
mod format;
pub(super) mod json;
mod number;
pub(super) mod reference;
#[cfg(test)]
pub(crate) mod tests;
mod validate;

use crate::value::Map;

use validate::{MAX_DEPTH, MAX_STEPS, Stop};

/// What Helm 3 reports for `values` against `schema`: `Ok` with the `- field: description`
/// lines (empty when the values are valid), or `Err` with the message that stands alone (a
/// schema that does not compile, values that cannot be written as JSON).
pub(crate) fn validate(schema: &[u8], values: &Map) -> Result<Vec<String>, String> {
    let document = json::from_values(values)?;
    let root = json::decode(schema)?;
    let compiled = match compile::compile(&root) {
        Ok(compiled) => compiled,
        Err(compile::CompileError::Message(m)) => return Err(m),
        Err(compile::CompileError::Panic(p)) => {
            return Err(format!("unable to validate schema: {p}"));
        }
    };
    match validate::validate(&compiled, &document) {
        Ok(outcome) => Ok(outcome
            .errors
            .iter()
            .map(|e| format!("- {}: {}", e.field(), e.description))
            .collect()),
        Err(Stop::Steps) => Err(format!(
            "the schema takes more than {MAX_STEPS} steps to check (nested anyOf/oneOf or $ref cycles)"
        )),
        Err(Stop::Depth) => Err(format!(
            "the schema nests more than {MAX_DEPTH} subschemas deep (a $ref cycle: Helm's stack overflows)"
        )),
    }
}

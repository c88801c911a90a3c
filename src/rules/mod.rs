//! The rules. Each lives in its own file with its metadata, documentation and logic; this
//! module only registers them.

use crate::diagnostic::{Finding, RuleMeta};
use crate::lint::Context;

mod sl001_public_registry;
mod sl002_registry_ignores_global;
mod sl003_registry_not_allowed;
mod sl004_mixed_registries;
mod sl005_registry_in_repository;
mod sl006_malformed_registry;
mod sl007_pull_secret_registry;
mod sl101_stackgraph_version_mismatch;
mod sl102_stackstate_version_skew;
mod sl103_mutable_tag;
mod sl104_unquoted_tag;
mod sl105_empty_image_part;
mod sl106_invalid_reference;
mod sl107_digest_required;
mod sl108_tag_of_other_chart;
mod sl201_ineffective_key;
mod sl202_unknown_key;
mod sl203_null_deletes_default;
mod sl204_wrong_type;
mod sl205_duplicate_key;
mod sl206_disabled_component;
mod sl207_multi_document_values;
mod sl208_unused_suppression;
mod sl209_duplicate_object;
pub(crate) mod util;

/// A rule.
pub trait Rule: Sync {
    /// Metadata.
    fn meta(&self) -> &'static RuleMeta;
    /// Adds the findings of one release.
    fn check(&self, cx: &Context, out: &mut Vec<Finding>);
}

/// Declares a rule in its own file: emits the unit struct `Rule`, its `META` (the doc is read
/// from `rules/docs/<code>-<name>.md`) and the [`Rule`] impl, which calls the file's own
/// `fn check(cx: &Context, out: &mut Vec<Finding>)`. So the metadata is written once, next to
/// the logic, and a rule file holds nothing else that every rule repeats.
macro_rules! declare_rule {
    (
        code: $code:literal,
        name: $name:literal,
        severity: $severity:ident,
        $(default_off: $off:literal,)?
        summary: $summary:literal $(,)?
    ) => {
        /// The rule (registered in [`crate::rules::all`]).
        pub struct Rule;

        /// What the rule declares about itself.
        pub static META: $crate::diagnostic::RuleMeta = $crate::diagnostic::RuleMeta {
            code: $code,
            name: $name,
            severity: $crate::diagnostic::Severity::$severity,
            default_off: $crate::rules::declare_rule!(@off $($off)?),
            summary: $summary,
            doc: include_str!(concat!("../../rules/docs/", $code, "-", $name, ".md")),
        };

        impl $crate::rules::Rule for Rule {
            fn meta(&self) -> &'static $crate::diagnostic::RuleMeta {
                &META
            }

            fn check(&self, cx: &$crate::lint::Context, out: &mut Vec<$crate::diagnostic::Finding>) {
                check(cx, out)
            }
        }
    };
    (@off) => { false };
    (@off $off:literal) => { $off };
}
pub(crate) use declare_rule;

/// Every rule, in code order.
pub fn all() -> &'static [&'static dyn Rule] {
    &[
        &sl001_public_registry::Rule,
        &sl002_registry_ignores_global::Rule,
        &sl003_registry_not_allowed::Rule,
        &sl004_mixed_registries::Rule,
        &sl005_registry_in_repository::Rule,
        &sl006_malformed_registry::Rule,
        &sl007_pull_secret_registry::Rule,
        &sl101_stackgraph_version_mismatch::Rule,
        &sl102_stackstate_version_skew::Rule,
        &sl103_mutable_tag::Rule,
        &sl104_unquoted_tag::Rule,
        &sl105_empty_image_part::Rule,
        &sl106_invalid_reference::Rule,
        &sl107_digest_required::Rule,
        &sl108_tag_of_other_chart::Rule,
        &sl201_ineffective_key::Rule,
        &sl202_unknown_key::Rule,
        &sl203_null_deletes_default::Rule,
        &sl204_wrong_type::Rule,
        &sl205_duplicate_key::Rule,
        &sl206_disabled_component::Rule,
        &sl207_multi_document_values::Rule,
        &sl208_unused_suppression::Rule,
        &sl209_duplicate_object::Rule,
    ]
}

/// The metadata of a rule by code (`SL104`, any case) or name (`unquoted-tag`).
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    all()
        .iter()
        .map(|r| r.meta())
        .find(|m| m.code.eq_ignore_ascii_case(code_or_name) || m.name == code_or_name)
}

/// `; did you mean SL104?` when something is close.
pub fn suggest(code_or_name: &str) -> String {
    let names = all().iter().flat_map(|r| [r.meta().code, r.meta().name]);
    crate::suggest::closest(code_or_name, names)
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

/// The metadata of the rule behind the meta-finding about unused suppressions.
pub fn unused_suppression() -> &'static RuleMeta {
    &sl208_unused_suppression::META
}

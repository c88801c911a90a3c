//! SL208: a `# stackstate-lint: ignore[…]` comment that silences nothing.
//!
//! Suppressions are matched after every rule ran, so the linter reports this one itself (see
//! `lint::run`); the rule only carries the metadata and documentation.

use crate::diagnostic::Finding;
use crate::lint::Context;

super::rule_meta!(
    "SL208",
    "unused-suppression",
    Info,
    "A suppression comment that matches no finding"
);

/// The rule.
pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::diagnostic::RuleMeta {
        &META
    }

    fn check(&self, _cx: &Context, _out: &mut Vec<Finding>) {}
}

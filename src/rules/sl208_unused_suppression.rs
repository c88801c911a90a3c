//! SL208: a `# stackstate-lint: ignore[…]` comment that silences nothing.
//!
//! Suppressions are matched after every rule ran, so the linter reports this one itself (see
//! `lint::run`); the rule only carries the metadata and documentation.

use crate::diagnostic::Finding;
use crate::lint::Context;

super::declare_rule! {
    code: "SL208",
    name: "unused-suppression",
    severity: Info,
    summary: "A suppression comment that matches no finding",
}

/// The findings of one release.
fn check(_cx: &Context, _out: &mut Vec<Finding>) {}

//! SL205: a key given twice in one mapping; Helm keeps the last one.

use crate::lint::{Context, Finding};

super::rule_meta!(
    "SL205",
    "duplicate-key",
    Warning,
    "A key is given twice in one mapping; the first is silently dropped"
);

/// The rule.
pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static super::RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for file in cx.files {
            for d in &file.yaml.duplicates {
                let key = crate::key_path::display(&d.path);
                let kept = cx.sources.describe(d.kept);
                out.push(
                    Finding::new(&META, format!("`{key}` is given twice: Helm drops the first and keeps the one at {kept}"))
                        .at(Some(d.dropped), "dropped")
                        .key(key.clone())
                        .note(Some(d.kept), "the later one wins")
                        .help("remove one of them (merge their contents if both are maps)"),
                );
            }
        }
    }
}

//! SL205: a key given twice in one mapping; Helm keeps the last one.

use crate::diagnostic::Finding;
use crate::lint::Context;

super::declare_rule! {
    code: "SL205",
    name: "duplicate-key",
    severity: Warning,
    summary: "A key is given twice in one mapping; the first is silently dropped",
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    for file in cx.files {
        for d in &file.yaml.duplicates {
            let key = crate::key_path::display(&d.path);
            let kept = cx.sources.describe(d.kept);
            out.push(
                Finding::new(
                    &META,
                    format!(
                        "`{key}` is given twice: Helm drops the first and keeps the one at {kept}"
                    ),
                )
                .at(Some(d.dropped), "dropped")
                .key(key.clone())
                .note(Some(d.kept), "the later one wins")
                .help("remove one of them (merge their contents if both are maps)"),
            );
        }
    }
}

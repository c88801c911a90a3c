//! SL207: a values file with more than one YAML document.

use crate::diagnostic::Finding;
use crate::lint::Context;
use crate::source::Span;

super::declare_rule! {
    code: "SL207",
    name: "multi-document-values",
    severity: Warning,
    summary: "A values file has more than one YAML document",
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    for file in cx.files {
        // A trailing `---` or an empty document changes nothing in either Helm.
        let n = file.filled_documents.max(1);
        let several = file.documents >= 2 && n >= 2;
        if !several && file.unread.is_none() {
            continue;
        }
        let name = &cx.sources.get(file.id).name;
        let message = match (cx.helm().is_v4(), several, file.unread.is_some()) {
            (true, true, false) => format!(
                "{name} holds {n} YAML documents: Helm 4 merges them in order (this run does too)"
            ),
            (true, true, true) => format!(
                "{name} holds {n} YAML documents: Helm 4 merges them in order and skips what \
                 follows a `...` line up to the next `---` line (this run does too)"
            ),
            (true, false, _) => format!(
                "{name} holds more than one YAML document: Helm 4 skips what follows a `...` \
                 line up to the next `---` line (this run does too)"
            ),
            (false, _, false) => format!(
                "{name} holds {n} YAML documents: Helm 3 reads only the first and silently \
                 ignores the rest (this run does too)"
            ),
            (false, _, true) => format!(
                "{name} holds more than one YAML document: Helm 3 reads only the first and \
                 never looks at the rest, which is not valid YAML (this run does too)"
            ),
        };
        let at = match file.unread {
            Some(at) => (
                Some(Span::new(file.id, at, at + 3)),
                "Helm stops reading here",
            ),
            None => (
                file.yaml.document_starts.first().copied(),
                "second document starts here",
            ),
        };
        out.push(
            Finding::new(&META, message)
                .at(at.0, at.1)
                .help("merge the documents into one, or split them into separate -f files"),
        );
    }
}

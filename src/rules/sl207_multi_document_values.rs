//! SL207: a values file with more than one YAML document.

use crate::diagnostic::Finding;
use crate::lint::Context;
use crate::merge::HelmVersion;

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
        if file.documents < 2 || n < 2 {
            continue;
        }
        let used = if cx.helm() == HelmVersion::V4 {
            "Helm 4 merges them in order (this run does too)"
        } else {
            "Helm 3 reads only the first and silently ignores the rest (this run does too)"
        };
        out.push(
            Finding::new(
                &META,
                format!(
                    "{} holds {n} YAML documents: {used}",
                    cx.sources.get(file.id).name
                ),
            )
            .at(
                file.yaml.document_starts.first().copied(),
                "second document starts here",
            )
            .help("merge the documents into one, or split them into separate -f files"),
        );
    }
}

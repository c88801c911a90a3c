//! Where each document of a rendered file lies: Helm's `SplitManifests`
//! ([`crate::render::manifest::split_manifests`]) as byte ranges, so a document's scalars can be
//! traced back to the file's provenance segments.

use std::ops::Range;

/// Go's `\s` in RE2: `[\t\n\f\r ]`.
fn is_go_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// `range` of `text` without Go whitespace at either end.
fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    let (mut start, mut end) = (range.start, range.end);
    while start < end && is_go_space(bytes[start]) {
        start += 1;
    }
    while end > start && is_go_space(bytes[end - 1]) {
        end -= 1;
    }
    start..end
}

/// The byte ranges of the documents `split_manifests` returns for `text`, in order.
pub(crate) fn ranges(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut rest = trim(text, 0..text.len());
    let mut push = |r: Range<usize>| {
        if !r.is_empty() {
            out.push(trim(text, r));
        }
    };
    // The separator regexp is `(?:^|\s*\n)---\s*`: a leading `---` counts once.
    if text[rest.clone()].starts_with("---") {
        let mut start = rest.start + 3;
        while start < rest.end && is_go_space(bytes[start]) {
            start += 1;
        }
        rest = start..rest.end;
    }
    loop {
        let Some(nl) =
            crate::render::manifest::newline_dashes(&text[rest.clone()]).map(|i| rest.start + i)
        else {
            push(rest);
            break;
        };
        // Leftmost match: the whitespace run before the newline belongs to the separator.
        let mut doc_end = nl;
        while doc_end > rest.start && is_go_space(bytes[doc_end - 1]) {
            doc_end -= 1;
        }
        let mut next = nl + 4;
        while next < rest.end && is_go_space(bytes[next]) {
            next += 1;
        }
        push(rest.start..doc_end);
        rest = next..rest.end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::manifest::split_manifests;

    #[test]
    fn ranges_are_where_helms_documents_are() {
        for text in [
            "a: 1\n---\nb: 2\n",
            "---\na: 1\n---\n\n---\nb: 2",
            "a: 1\n--- # c\nb: 2",
            "a: 1\n----\nb: 2",
            "a: |\n  ---\n  x",
            "\n\n  \n",
            "# only\n---\na: 1",
            "  \n---\n---\n  a: 1  \n\n---   \n\n",
            "---",
            "",
        ] {
            let got: Vec<&str> = ranges(text).into_iter().map(|r| &text[r]).collect();
            assert_eq!(got, split_manifests(text), "{text:?}");
        }
    }
}

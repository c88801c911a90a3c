//! `render --show-origin`: a YAML comment after each rendered line that holds bytes of a user's
//! value, naming where the value was written (`# values.yaml:12 stackstate.server.config`).
//!
//! A comment must never change what the manifest means. Lines inside a block scalar (`|`, `>`)
//! cannot carry one, so their origins go to the line that opens the scalar; a document whose
//! annotated text would parse differently from the original (a folded plain scalar, a quoted
//! scalar spanning lines) is printed without comments.

use crate::template::value::{Prov, Str};

/// Appends origin comments to `doc`. `describe` names a value's origin, or `None` for values the
/// chart supplied itself (they get no comment). `same_meaning` tells whether the annotated text
/// still parses to the same document as the original.
pub fn annotate(
    doc: &Str,
    describe: &dyn Fn(&Prov) -> Option<String>,
    same_meaning: &dyn Fn(&str, &str) -> bool,
) -> String {
    let text = doc.as_str();
    if doc.segs().is_empty() {
        return text.to_string();
    }
    let lines = line_ranges(text);
    let mut notes: Vec<Vec<String>> = vec![Vec::new(); lines.len()];
    let owners = block_scalar_owners(text, &lines);
    for seg in doc.segs() {
        let Some(label) = describe(&seg.prov) else {
            continue;
        };
        let first = lines.partition_point(|r| r.1 <= seg.start as usize);
        let last = lines.partition_point(|r| r.0 < seg.end as usize);
        let end = last.max(first + 1).min(lines.len());
        for (line, owner) in owners.iter().enumerate().take(end).skip(first) {
            let target = owner.unwrap_or(line);
            if !notes[target].contains(&label) {
                notes[target].push(label.clone());
            }
        }
    }
    let mut out = String::with_capacity(text.len() + 64);
    for (i, &(start, end)) in lines.iter().enumerate() {
        let line = &text[start..end];
        let (body, newline) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        out.push_str(body);
        if !notes[i].is_empty() && !body.trim().is_empty() {
            out.push_str("  # ");
            out.push_str(&notes[i].join(", "));
        }
        out.push_str(newline);
    }
    if same_meaning(text, &out) {
        out
    } else {
        text.to_string()
    }
}

/// Byte ranges of the lines of `text`, each with its newline.
fn line_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            lines.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < text.len() || lines.is_empty() {
        lines.push((start, text.len()));
    }
    lines
}

/// For each line inside a block scalar, the line that opened it.
fn block_scalar_owners(text: &str, lines: &[(usize, usize)]) -> Vec<Option<usize>> {
    let mut owners = vec![None; lines.len()];
    let mut open: Option<(usize, usize)> = None; // (header line, its indentation)
    for (i, &(s, e)) in lines.iter().enumerate() {
        let line = text[s..e].trim_end_matches(['\n', '\r']);
        let indent = line.len() - line.trim_start().len();
        if let Some((header, header_indent)) = open {
            if line.trim().is_empty() || indent > header_indent {
                owners[i] = Some(header);
                continue;
            }
            open = None;
        }
        if opens_block_scalar(line) {
            open = Some((i, indent));
        }
    }
    owners
}

/// Whether a line ends with a block scalar indicator (`key: |`, `- >-`, `key: |2+`).
fn opens_block_scalar(line: &str) -> bool {
    let code = match line.find(" #") {
        Some(i) => &line[..i],
        None => line,
    };
    let Some(last) = code.trim_end().rsplit([' ', '\t']).next() else {
        return false;
    };
    let mut chars = last.chars();
    matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| matches!(c, '+' | '-' | '1'..='9'))
        && code.trim_end().len() > last.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::value::{Seg, Str};
    use std::rc::Rc;

    fn prov(name: &str) -> Rc<Prov> {
        Rc::new(Prov {
            path: Rc::from(vec![Rc::from(name)]),
            user_path: Rc::from(vec![Rc::from(name)]),
            origin: crate::value::Origin::Synthetic,
        })
    }

    fn doc(text: &str, marks: &[(&str, &str)]) -> Str {
        let segs = marks
            .iter()
            .map(|(needle, name)| {
                let start = text.find(needle).expect("needle") as u32;
                Seg {
                    start,
                    end: start + needle.len() as u32,
                    prov: prov(name),
                }
            })
            .collect();
        Str::from_parts(text, segs)
    }

    fn describe(p: &Prov) -> Option<String> {
        Some(format!("values.yaml {}", p.user_path.join(".")))
    }

    #[test]
    fn comments_plain_lines_and_block_headers() {
        let d = doc(
            "a: x\nimage: quay.io/stackstate/server:4.1\nconfig: |\n  line one\n  tag = 7\nb: c\n",
            &[("quay.io", "reg"), ("4.1", "tag"), ("7", "conf")],
        );
        let got = annotate(&d, &describe, &|_, _| true);
        assert_eq!(
            got,
            "a: x\nimage: quay.io/stackstate/server:4.1  # values.yaml reg, values.yaml tag\n\
             config: |  # values.yaml conf\n  line one\n  tag = 7\nb: c\n"
        );
    }

    #[test]
    fn keeps_the_document_when_meaning_would_change() {
        let d = doc("a: x\n", &[("x", "a")]);
        assert_eq!(annotate(&d, &describe, &|_, _| false), "a: x\n");
    }

    #[test]
    fn chart_defaults_get_no_comment() {
        let d = doc("a: x\n", &[("x", "a")]);
        assert_eq!(annotate(&d, &|_| None, &|_, _| true), "a: x\n");
    }
}

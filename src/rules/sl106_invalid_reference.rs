//! SL106: a rendered reference that is not a valid image reference.

use super::util::part_location;
use crate::diagnostic::Finding;
use crate::lint::Context;
use crate::reference;
use crate::value::Value;

super::declare_rule! {
    code: "SL106",
    name: "invalid-reference",
    severity: Error,
    summary: "A rendered image reference violates the image reference grammar",
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    let mut seen: Vec<&str> = Vec::new();
    for img in &cx.resolution.images {
        let empty = !super::util::empty_parts(img).is_empty();
        // SL105 reports empty parts.
        if empty
            || reference::is_valid_reference(&img.reference)
            || seen.contains(&img.reference.as_str())
        {
            continue;
        }
        seen.push(&img.reference);
        // Blame the part that breaks the grammar on its own.
        let tag_ok = reference::is_valid_reference(&format!("x:{}", img.tag.text));
        let part = if !tag_ok {
            &img.tag
        } else if img
            .registry
            .as_ref()
            .is_some_and(|r| !reference::is_valid_reference(&format!("{}/x", r.text)))
        {
            img.registry.as_ref().unwrap_or(&img.repository)
        } else {
            &img.repository
        };
        let message = format!(
            "{} renders as `{}`, which is not a valid image reference",
            img.name, img.reference
        );
        // A key the user left blank among those the part's template read (a repository that
        // prints as nothing before the chart's `-stable` suffix) is what broke it: SL203 says
        // so, and this finding follows from it.
        let blank = part
            .tried
            .iter()
            .map(|(k, _)| k)
            .find(|k| matches!(cx.user_at(k).map(|n| &n.value), Some(Value::Null)));
        let finding = match blank {
            Some(k) => Finding::new(&META, message)
                .at(cx.written(k), format!("`{k}` is null"))
                .key(k.clone())
                .help(format!(
                    "`{k}` prints as nothing: give it a value, or remove it to keep the chart default"
                )),
            None => Finding::new(&META, message)
                .at(
                    part_location(cx, part),
                    format!("`{}` = `{}`", part.key, part.text),
                )
                .key(part.key.clone())
                .help(help_for(cx, part)),
        };
        out.push(finding);
    }
}

/// A value that only has a line break or blanks too many says so: they do not show.
fn help_for(cx: &Context, part: &crate::resolve::Part) -> String {
    match cx.user_at(&part.key).map(|n| &n.value) {
        Some(Value::Str(s)) if s.ends_with('\n') => format!(
            "`{}` ends with a line break, which Helm prints into the reference: a `|` block keeps its last line break (`|-` drops it), and so does a file given to `--set-file` that ends with one",
            part.key
        ),
        Some(Value::Str(s)) if s.trim() != s => format!(
            "`{}` starts or ends with a blank, which Helm prints into the reference",
            part.key
        ),
        _ => "references are lower-case `registry/path:tag`; a tag has at most 128 letters, digits, `_`, `.` and `-`".to_string(),
    }
}

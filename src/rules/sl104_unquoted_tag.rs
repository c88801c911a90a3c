//! SL104: an image field written as an unquoted YAML number or boolean that Helm renders
//! differently (`4.10` → `4.1`), or where the chart needs a string and fails on a number.

use crate::lint::{Context, Edit, Finding, Fix};
use crate::resolve::FailureKind;
use crate::value::{Origin, Value};

super::rule_meta!(
    "SL104",
    "unquoted-tag",
    Error,
    "An image field is an unquoted number or boolean that Helm renders differently"
);

/// The rule.
pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static super::RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        // (full key, the chart parses it as a string)
        let mut keys: Vec<(String, bool)> = vec![("global.imageRegistry".into(), false)];
        for c in cx.catalog.for_chart(&cx.chart().name, &cx.version) {
            keys.extend(
                c.keys()
                    .map(|k| (c.full_key(k), c.tag_string && c.tag.contains(k))),
            );
        }
        keys.sort();
        keys.dedup_by(|a, b| {
            a.0 == b.0 && {
                b.1 |= a.1;
                true
            }
        });
        let mut covered: Vec<String> = Vec::new();
        for file in cx.files {
            for (key, needs_string) in &keys {
                let Some(node) = crate::lint::context::lookup(&file.values, key) else {
                    continue;
                };
                let (Value::Float(_) | Value::Bool(_), Origin::File { value, .. }) =
                    (&node.value, &node.origin)
                else {
                    continue;
                };
                let raw = cx.sources.slice(*value).trim().to_string();
                let rendered = node.value.render().unwrap_or_default();
                if raw == rendered && !needs_string {
                    continue;
                }
                covered.push(key.clone());
                let kind = node.value.type_name();
                let message = if *needs_string {
                    format!(
                        "`{key}: {raw}` is a YAML {kind}: the chart splits this tag as a string, so Helm fails to render the release"
                    )
                } else {
                    format!(
                        "`{key}: {raw}` is a YAML {kind}: Helm renders it as `{rendered}`, not `{raw}`"
                    )
                };
                let mut f = Finding::new(&META, message)
                    .at(Some(*value), format!("renders as `{rendered}`"))
                    .key(key.clone())
                    .help(format!("quote it: `\"{raw}\"`"));
                // An alias (`*tag`) is fixed where its anchor is, not here.
                if !raw.starts_with('*') {
                    f = f.fix(Fix {
                        description: format!("quote `{raw}`"),
                        safe: true,
                        edits: vec![Edit {
                            span: *value,
                            replacement: crate::emit::quote(&raw),
                        }],
                        keys: vec![key.clone()],
                    });
                }
                out.push(f);
            }
        }
        // A number from --set where a string is required has no line to point at.
        for f in &cx.resolution.failures {
            let null = cx.user_at(&f.key).is_none_or(|n| n.value == Value::Null);
            // A null is SL203's: it deleted the default, there is nothing to quote.
            if f.kind == FailureKind::NotAString && !covered.contains(&f.key) && !null {
                covered.push(f.key.clone());
                out.push(
                    Finding::new(&META, f.message.clone())
                        .at(
                            cx.span_of(f.origin.as_ref())
                                .or_else(|| cx.nearest_written(&f.key)),
                            "must be a string",
                        )
                        .key(f.key.clone())
                        .help(format!(
                            "give `{}` as a string (quote it, or use --set-string)",
                            f.key
                        )),
                );
            }
        }
    }
}

//! Runs the rules on one release and applies configuration, selection and suppressions.

use crate::config::Level;
use crate::diagnostic::{Cause, Finding, RuleMeta};
use crate::lint::Context;
use crate::lint::suppress::Suppression;
use crate::rules;

/// `--select` / `--ignore`: codes, code prefixes (`SL1`) or rule names.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only these (empty: all).
    pub select: Vec<String>,
    /// Never these.
    pub ignore: Vec<String>,
}

impl Selection {
    fn hits(pattern: &str, meta: &RuleMeta) -> bool {
        let p = pattern.trim();
        meta.name == p
            || meta
                .code
                .to_ascii_uppercase()
                .starts_with(&p.to_ascii_uppercase())
    }

    /// Whether a rule runs.
    pub fn allows(&self, meta: &RuleMeta) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| Self::hits(s, meta)))
            && !self.ignore.iter().any(|s| Self::hits(s, meta))
    }

    /// Patterns that name no rule (for a usage error).
    pub fn unknown(&self) -> Vec<String> {
        self.select
            .iter()
            .chain(&self.ignore)
            .filter(|p| !rules::all().iter().any(|r| Self::hits(p, r.meta())))
            .cloned()
            .collect()
    }
}

/// Every finding of one release, sorted by file, offset and code.
pub fn check(cx: &Context, suppressions: &[Suppression], selection: &Selection) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in rules::all() {
        let meta = rule.meta();
        if !selection.allows(meta) {
            continue;
        }
        let level = cx.config.level(meta);
        let Level::On(severity) = level else {
            continue;
        };
        let mut found = Vec::new();
        rule.check(cx, &mut found);
        let configured = cx.config.rules.contains_key(meta.code)
            || (meta.default_off && cx.config.require_digest);
        for mut f in found {
            // A configured level wins over the level a rule picked for one finding.
            if configured {
                f.severity = severity;
            }
            out.push(f);
        }
    }
    let mut used = vec![false; suppressions.len()];
    out.retain(|f| {
        let Some(span) = f.span else {
            return true;
        };
        let (line, _) = cx.sources.get(span.file).line_col(span.start);
        match suppressions
            .iter()
            .position(|s| s.covers(span.file, line, f.code, f.name))
        {
            Some(i) => {
                used[i] = true;
                false
            }
            None => true,
        }
    });
    let unused_meta = rules::unused_suppression();
    if selection.allows(unused_meta)
        && let Level::On(severity) = cx.config.level(unused_meta)
    {
        for (s, _) in suppressions.iter().zip(&used).filter(|(_, u)| !**u) {
            out.push(
                Finding::new(
                    unused_meta,
                    format!(
                        "this suppression of {} matches no finding",
                        s.codes.join(", ")
                    ),
                )
                .severity(severity)
                .at(Some(s.span), "unused suppression")
                .help("remove the comment, or fix the code list"),
            );
        }
    }
    sort_and_dedup(&mut out);
    mark_consequences(&mut out, cx);
    out
}

/// (rule, the rules whose finding on the same key or line is its cause).
const CONSEQUENCES: &[(&str, &[&str])] = &[
    ("SL106", &["SL006", "SL005", "SL203"]),
    ("SL105", &["SL203"]),
];

/// Marks findings that follow from another finding of the release, so reports lead with the
/// cause instead of repeating its effect once per image.
fn mark_consequences(findings: &mut [Finding], cx: &Context) {
    let line_of = |f: &Finding| {
        f.span
            .map(|s| (s.file, cx.sources.get(s.file).line_col(s.start).0))
    };
    for i in 0..findings.len() {
        let Some((_, causes)) = CONSEQUENCES.iter().find(|(c, _)| *c == findings[i].code) else {
            continue;
        };
        let effect = &findings[i];
        let cause = findings.iter().find(|c| {
            causes.contains(&c.code)
                && c.caused_by.is_none()
                && match (&c.key, &effect.key) {
                    (Some(a), Some(b)) => a == b,
                    _ => line_of(c).is_some() && line_of(c) == line_of(effect),
                }
        });
        if let Some(c) = cause {
            let cause = Cause {
                code: c.code,
                span: c.span,
            };
            findings[i].caused_by = Some(cause);
        }
    }
}

/// Sorts by file, offset, code and drops exact repeats.
pub fn sort_and_dedup(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| {
        let key = |f: &Finding| (f.span.map(|s| (s.file, s.start)), f.code, f.message.clone());
        key(a).cmp(&key(b))
    });
    findings.dedup_by(|a, b| a.code == b.code && a.span == b.span && a.message == b.message);
}

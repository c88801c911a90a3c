//! SL006: a registry written with a scheme, a trailing `/`, a path, spaces or upper case.

use crate::diagnostic::{Finding, Severity};
use crate::lint::Context;
use crate::value::Value;

super::declare_rule! {
    code: "SL006",
    name: "malformed-registry",
    severity: Error,
    summary: "A registry is written with a scheme, trailing slash, path, spaces or upper case",
}

/// What is wrong with a registry host, the fixed value, and whether it only warrants a warning.
pub fn diagnose(value: &str) -> Option<(String, String, bool)> {
    let mut fixed = value.trim().to_string();
    let mut problems = Vec::new();
    if let Some(i) = fixed.find("://") {
        problems.push(format!(
            "the scheme `{}` (registries are host names)",
            &fixed[..i + 3]
        ));
        fixed = fixed[i + 3..].to_string();
    }
    if fixed.ends_with('/') {
        problems.push("a trailing `/` (the chart adds one: `…//stackstate/…`)".to_string());
        fixed = fixed.trim_end_matches('/').to_string();
    }
    if value != value.trim() || fixed.contains(char::is_whitespace) {
        problems.push("spaces".to_string());
        fixed.retain(|c| !c.is_whitespace());
    }
    let host = fixed.split('/').next().unwrap_or(&fixed);
    if host.chars().any(|c| c.is_ascii_uppercase()) {
        problems.push("upper case (hosts are case-insensitive, but allow-lists, copy plans and caches compare references as text)".to_string());
        fixed = fixed.to_ascii_lowercase();
    }
    let path_only = problems.is_empty() && fixed.contains('/');
    if path_only {
        problems.push("a path after the host (it works where the chart concatenates `registry/repository`, but the same value cannot be used where only a host is expected)".to_string());
    }
    (!problems.is_empty()).then(|| (problems.join(", "), fixed, path_only))
}

/// The findings of one release.
fn check(cx: &Context, out: &mut Vec<Finding>) {
    let mut keys: Vec<String> = vec!["global.imageRegistry".into()];
    for img in &cx.resolution.images {
        if let Some(r) = &img.registry {
            keys.push(r.key.clone());
        }
    }
    keys.sort();
    keys.dedup();
    for key in keys {
        let Some(node) = cx.user_at(&key) else {
            continue;
        };
        let Value::Str(value) = &node.value else {
            continue;
        };
        // A value a `--set` flag gave has no line: the message names the flag instead.
        let (span, flag) = match &node.origin {
            crate::value::Origin::Set { .. } => (
                None,
                Some(crate::release::describe_origin(&node.origin, cx.sources)),
            ),
            origin => match origin.value_span() {
                Some(span) => (Some(span), None),
                None => continue,
            },
        };
        if value.is_empty() {
            continue;
        }
        let Some((problems, fixed, path_only)) = diagnose(value) else {
            continue;
        };
        let given = match &flag {
            Some(flag) => format!(" (given by {flag})"),
            None => String::new(),
        };
        let mut f = Finding::new(&META, format!("registry `{value}`{given} has {problems}"))
            .at(span, "malformed registry")
            .key(key.clone());
        if path_only {
            f = f.severity(Severity::Warning).help(
                "if the path is a project (Harbor, GitLab), keep it; otherwise write only the host",
            );
        } else if flag.is_some() {
            // A file value would be outranked by the flag: the flag is what to change.
            f = f.help(format!("give the flag `{key}={fixed}`"));
        } else {
            f = f.help(format!("write `{key}: {fixed}`"));
            if let Some(fix) = crate::fix::set_key_fix(cx, &key, &fixed, true) {
                f = f.fix(fix);
            }
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::diagnose;

    #[test]
    fn diagnoses_registries() {
        assert_eq!(
            diagnose("https://r.example.com/").unwrap().1,
            "r.example.com"
        );
        assert_eq!(diagnose("R.Example.com").unwrap().1, "r.example.com");
        assert!(diagnose("r.example.com/project").unwrap().2);
        assert!(diagnose("r.example.com").is_none());
        assert!(diagnose("localhost:5000").is_none());
    }
}

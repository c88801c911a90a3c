//! SL007: a pull secret the release makes authenticates none of the registries its pods pull
//! from.

use crate::diagnostic::{Finding, Fix};
use crate::lint::Context;
use crate::lint::pull_secrets::{Stale, list_holding};

super::declare_rule! {
    code: "SL007",
    name: "pull-secret-registry",
    severity: Warning,
    summary: "A pull secret the chart makes holds credentials for no registry its pods pull from",
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    let Some(usage) = cx.usage else {
        return;
    };
    for s in usage.stale_secrets() {
        out.push(finding(cx, s));
    }
}

fn finding(cx: &Context, s: &Stale) -> Finding {
    let message = format!(
        "the pull secret `{}` holds credentials for {} only, but {} that {} it {} from {}: the \
         kubelet offers it for none of their images, so they pull without credentials",
        s.name,
        listed(&s.registries),
        match s.users.len() {
            1 => format!("`{}`", s.users[0]),
            n => format!("the {n} workloads"),
        },
        if s.users.len() == 1 { "uses" } else { "use" },
        if s.users.len() == 1 { "pulls" } else { "pull" },
        listed(&s.pulled),
    );
    // The registry to name in the fix: the one the pods pull from, or the one private one
    // among them (credentials for a public registry are seldom what was meant).
    let private: Vec<&String> = s
        .pulled
        .iter()
        .filter(|r| !crate::reference::is_public(r))
        .collect();
    let target = match (s.pulled.as_slice(), private.as_slice()) {
        ([one], _) => Some(one.as_str()),
        (_, [one]) => Some(one.as_str()),
        _ => None,
    };
    let mut f = Finding::new(&META, message);
    // The value the secret's registry was made of, where the linted file holds it.
    let written = s.from.iter().find(|p| {
        p.origin
            .user_span()
            .is_some_and(|sp| Some(sp.file) == cx.target)
    });
    let key = s
        .from
        .first()
        .map(|p| crate::key_path::display(&p.user_path));
    match (written, &key) {
        (Some(p), _) => {
            let key = crate::key_path::display(&p.user_path);
            f = f
                .at(
                    p.origin.user_span(),
                    "the registry the secret authenticates",
                )
                .key(key.clone());
            if let Some(pulled) = target {
                f = f.help(format!(
                    "if these credentials are for the registry the images come from, write \
                     `{key}: {pulled}`"
                ));
                // Written in place as any value fix writes one (quotes kept, a block scalar's
                // closing line break left).
                let node = crate::value::lookup_through_lists(&cx.release.user, &p.user_path);
                if let Some(edit) = node.and_then(|n| crate::fix::replace_value_edit(cx, n, pulled))
                {
                    f = f.fix(Fix {
                        description: format!("set `{key}: {pulled}`"),
                        // The credentials are for one host: only the user knows which.
                        safe: false,
                        edits: vec![edit],
                        // An item of a list is checked as the list (the checker walks maps).
                        keys: vec![list_holding(&p.user_path).unwrap_or_else(|| key.clone())],
                    });
                }
            } else {
                f = f.help(format!(
                    "give the secret credentials for the registry the images come from ({})",
                    listed(&s.pulled)
                ));
            }
        }
        (None, Some(key)) => {
            f = f
                .at(cx.nearest_written(key), "the pods' pull secret")
                .key(key.clone())
                .help(match target {
                    Some(t) => format!("set `{key}` to the registry the images come from (`{t}`)"),
                    None => format!(
                        "set `{key}` to the registry the images come from ({})",
                        listed(&s.pulled)
                    ),
                });
            let in_list = s
                .from
                .first()
                .is_some_and(|p| list_holding(&p.user_path).is_some());
            if let (Some(pulled), false) = (target, in_list) {
                // The credentials are for one host: only the user knows which.
                if let Some(fix) = crate::fix::set_key_fix(cx, key, pulled, false) {
                    f = f.fix(fix);
                }
            }
        }
        (None, None) => {
            f = f.at(cx.first_key(), "the pods' pull secret").help(format!(
                "give the secret credentials for the registry the images come from ({})",
                listed(&s.pulled)
            ));
        }
    }
    // Set from the linted file over another's list, the list is replaced whole.
    let listed_elsewhere = s
        .from
        .iter()
        .filter(|_| written.is_none())
        .find_map(|p| list_holding(&p.user_path));
    if let Some(list) = listed_elsewhere {
        f = f.note(
            None,
            format!(
                "`{list}` is a list: a values file that sets it replaces every item, so repeat \
                 each item's username and password"
            ),
        );
    }
    f
}

/// `` `a` `` or `` `a`, `b` and `c` ``.
fn listed(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => "no registry".into(),
    }
}

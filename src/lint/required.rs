//! Values the chart requires that the linted files never mention (a license key, a base URL,
//! passwords): users keep them out of the files they lint and pass them at install time
//! (`--set` from a secret store). Helm fails without them, so a render of the files alone would
//! say nothing about anything else. Lint and `images` render with a stand-in for each such key
//! and say which keys stood in; `render` (a drop-in for `helm template`) never does.

use super::rendered::failing_action;
use crate::chart::Chart;
use crate::release::Release;
use crate::render::{self, Options, Output, RenderError};
use crate::value::{Map, Node, Origin, Value};

/// How many missing keys are stood in for at most (each costs one more render).
const MAX_STAND_INS: usize = 8;

/// What a stand-in holds: a string, which is what `required` values are in these charts.
pub const STAND_IN: &str = "stackstate-lint-stand-in";

/// The stand-in for a URL (`baseUrl`).
pub const STAND_IN_URL: &str = "https://stackstate-lint-stand-in.example.com";

/// Renders with `user`; while Helm fails on a key the user never set and the chart leaves
/// empty, sets that key to a stand-in and renders again. Returns the last outcome and the keys
/// stood in for (dotted), in the order found.
pub fn render_standing_in(
    release: &Release<'_>,
    opts: &Options,
) -> (Result<Output, RenderError>, Vec<String>) {
    let (chart, user, helm) = (release.chart, &release.user, release.helm);
    let mut values = user.clone();
    let mut stood_in: Vec<String> = Vec::new();
    let cell = std::cell::OnceCell::new();
    let defaults = || {
        cell.get_or_init(|| {
            crate::merge::coalesce(chart, Map::new(), helm, None).unwrap_or_default()
        })
    };
    // NOTE: keys found for one release are not carried to the next (a process-wide list did
    // that): a stand-in set where this release's templates do not require the key changed what
    // they printed (an image pulled from the stand-in registry), and a folder's findings then
    // depended on the order its files were read in and on the threads of the process.
    // One render answers most: `required` stands in for what it is not given.
    let mut opts = Options {
        stand_in_required: true,
        every_failure: true,
        ..opts.clone()
    };
    // The key last stood in for after a failure: how many keys stood in before it, the error
    // it was to cure and the outcome without it.
    let mut tried: Option<(usize, String, Result<Output, RenderError>)> = None;
    // Every key set in `values`, in order (to set them again from the user's values).
    let mut applied: Vec<Vec<String>> = Vec::new();
    // When keys stood in beside the last one tried (for the failures of later files): how many
    // keys stood in, and how many were set, without them.
    let mut beside: Option<(usize, usize)> = None;
    loop {
        // Until a key stands in, the values are the release's: its build serves.
        let result = crate::budget::uncharged(|| {
            if stood_in.is_empty() {
                render::render_built(release, &opts)
            } else {
                render::render(chart, values.clone(), helm, &opts)
            }
        });
        if let Ok(output) = &result
            && !output.files.unmet.is_empty()
        {
            let mut named = Vec::new();
            let mut theirs = false;
            for message in &output.files.unmet {
                let keys: Vec<Vec<String>> = keys_named(message)
                    .into_iter()
                    .filter(|k| known_top(user, chart, k))
                    .collect();
                // The message names a key the user wrote (a null): Helm's failure is theirs.
                theirs |=
                    !keys.is_empty() && keys.iter().all(|k| !missing(user, defaults(), &path(k)));
                match keys.iter().find(|k| missing(user, defaults(), &path(k))) {
                    Some(k) => named.push(crate::key_path::display(k)),
                    None if keys.is_empty() => named.push(format!("(\"{message}\")")),
                    None => {}
                }
            }
            if theirs {
                opts.stand_in_required = false;
                continue;
            }
            for k in named {
                if !stood_in.contains(&k) {
                    stood_in.push(k);
                }
            }
        }
        let mut result = result;
        let Err(e) = &mut result else {
            return (result, stood_in);
        };
        // NOTE: the keys beside serve when the render then succeeds. A failure instead is
        // looked at as if they had never been set: the last key tried alone, then one at a
        // time, one render each, as the failures come (which keys stand in, and which failure
        // is reported, do not depend on finding several in one render).
        if let Some((before, set_before)) = beside.take() {
            stood_in.truncate(before);
            // NOTE: the values are made again rather than kept aside: a copy of them for the
            // rare case lived through every render (190 MB more for 120 MB of strings).
            applied.truncate(set_before);
            values = user.clone();
            for key in &applied {
                set(&mut values, &path(key));
            }
            opts.every_failure = false;
            continue;
        }
        if e.budget || stood_in.len() >= MAX_STAND_INS {
            return (result, stood_in);
        }
        // A stand-in that leaves the failure as it was is no value the chart requires (a nil
        // pointer beside it, a value of the wrong type): the release fails as the user wrote it.
        // Compared up to the innermost action: a stand-in that fails the same action another
        // way (a string where the template looks up a field: "can't evaluate field c" for "nil
        // pointer evaluating interface {}.c") counts as no cure.
        if let Some((before, message, without)) = tried.take()
            && failing_action(&e.message) == failing_action(&message)
        {
            stood_in.truncate(before);
            return (without, stood_in);
        }
        let Some(key) = failing_key(&e.message, &e.blame, user, chart, defaults()) else {
            return (result, stood_in);
        };
        let dotted = crate::key_path::display(&key);
        if stood_in.contains(&dotted) {
            return (result, stood_in);
        }
        applied.push(key.clone());
        if !set(&mut values, &path(&key)) {
            return (result, stood_in);
        }
        let later = std::mem::take(&mut e.later);
        tried = Some((stood_in.len(), e.message.clone(), result));
        stood_in.push(dotted);
        // The files after the failing one were rendered for their own failures: their keys
        // stand in beside this one, and the next render answers for all of them.
        let before = (stood_in.len(), applied.len());
        for (message, blame) in later {
            if stood_in.len() >= MAX_STAND_INS {
                break;
            }
            let Some(key) = failing_key(&message, &blame, user, chart, defaults()) else {
                continue;
            };
            let dotted = crate::key_path::display(&key);
            if stood_in.contains(&dotted) {
                continue;
            }
            applied.push(key.clone());
            if set(&mut values, &path(&key)) {
                stood_in.push(dotted);
            }
        }
        if stood_in.len() > before.0 {
            beside = Some(before);
        }
    }
}

/// The key a failure is for, when nothing sets it: the key its message names (`required "…
/// .Values.a.b …"`), else the last key the failing action read.
fn failing_key(
    message: &str,
    blame: &[crate::template::value::KeyPath],
    user: &Map,
    chart: &Chart,
    defaults: &Map,
) -> Option<Vec<String>> {
    let unset = |k: &Vec<String>| missing(user, defaults, &path(k));
    let named = keys_in(message)
        .into_iter()
        .find(|k| known_top(user, chart, k) && unset(k));
    named.or_else(|| {
        blame
            .iter()
            .rev()
            .map(|k| k.iter().map(|p| p.to_string()).collect::<Vec<_>>())
            .find(|k| unset(k))
    })
}

/// Whether a path starts at a top-level key of the chart (or of the user's values): a message's
/// `e.g.` is no key.
fn known_top(user: &Map, chart: &Chart, path: &[String]) -> bool {
    let Some(first) = path.first() else {
        return false;
    };
    user.contains_key(first)
        || chart.values.as_map().is_some_and(|m| m.contains_key(first))
        || chart.dependencies.iter().any(|d| d.key == *first)
}

/// The dotted keys the text of a `required` or `fail` names (`Please set
/// 'stackstate.license.key'`, `.Values.a.b`), as paths; nothing for other errors.
fn keys_in(message: &str) -> Vec<Vec<String>> {
    const MARK: &str = "execution error at (";
    let Some(text) = message
        .rfind(MARK)
        .and_then(|i| message[i..].split_once("): "))
        .map(|(_, t)| t)
    else {
        return Vec::new();
    };
    keys_named(text)
}

/// The dotted keys a text names, as paths.
pub(crate) fn keys_named(text: &str) -> Vec<Vec<String>> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .map(|w| w.trim_start_matches(".Values.").trim_matches('.'))
        .filter(|w| w.matches('.').count() >= 1 && !w.contains(".."))
        .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic()))
        .map(|w| w.split('.').map(String::from).collect())
        .collect()
}

/// Whether nothing sets `path`: the user wrote no key on the way, and the chart's default there
/// is absent, null or empty.
fn path(key: &[String]) -> Vec<&str> {
    key.iter().map(String::as_str).collect()
}

fn missing(user: &Map, defaults: &Map, path: &[&str]) -> bool {
    let mut map = user;
    for (i, k) in path.iter().enumerate() {
        match map.get(*k) {
            None => break,
            // Written, even as null (a null that deletes a default is SL203's).
            Some(_) if i + 1 == path.len() => return false,
            Some(n) => match &n.value {
                Value::Map(m) => map = m,
                // A scalar the user wrote on the way: theirs to fix, not a missing value.
                _ => return false,
            },
        }
    }
    match crate::value::lookup_path(defaults, path).map(|n| &n.value) {
        None | Some(Value::Null) => true,
        Some(Value::Str(s)) => s.is_empty(),
        Some(_) => false,
    }
}

/// Sets `path` in `values` to the stand-in, creating maps on the way; `false` when a scalar is
/// in the way.
fn set(values: &mut Map, path: &[&str]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut map = values;
    for k in parents {
        let node = map
            .entry(k.to_string())
            .or_insert_with(|| Node::new(Value::Map(Map::new()), Origin::Synthetic));
        if matches!(node.value, Value::Null) {
            node.value = Value::Map(Map::new());
        }
        match &mut node.value {
            Value::Map(m) => map = m,
            _ => return false,
        }
    }
    map.insert(
        last.to_string(),
        Node::new(Value::Str(stand_in_for(last).into()), Origin::Synthetic),
    );
    true
}

/// A stand-in of the shape the key's name asks for: charts check that URLs parse.
fn stand_in_for(key: &str) -> &'static str {
    if key.to_ascii_lowercase().ends_with("url") {
        STAND_IN_URL
    } else {
        STAND_IN
    }
}

/// The note for releases `names` that all left out the same required values `keys`.
fn note_for(names: &[String], keys: &[String]) -> String {
    // A `required` whose message names no key stood in as `("message")`: quoted as the chart
    // says it, apart from the keys.
    let (said, keys): (Vec<&String>, Vec<&String>) = keys
        .iter()
        .partition(|k| k.len() >= 4 && k.starts_with("(\"") && k.ends_with("\")"));
    let said: Vec<String> = said
        .iter()
        .map(|m| format!("\"{}\"", crate::escape::line(&m[2..m.len() - 2])))
        .collect();
    let list: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    let names: Vec<String> = names
        .iter()
        .map(|n| crate::escape::line(n).into_owned())
        .collect();
    let who = match names.as_slice() {
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
        [] => String::new(),
    };
    let (verb, it) = match (names.len(), keys.len() + said.len()) {
        (1, 1) => ("these values do not set", "it"),
        (1, _) => ("these values do not set", "them"),
        (_, 1) => ("none of these releases sets", "it"),
        _ => ("none of these releases sets", "them"),
    };
    let what = match (list.is_empty(), said.is_empty()) {
        (false, true) => format!("the chart requires {} and {verb} {it}", list.join(", ")),
        (true, _) => format!(
            "the chart requires values {verb} (its templates say {})",
            said.join(", ")
        ),
        (false, false) => format!(
            "the chart requires {} and more that {verb} (its templates say {})",
            list.join(", "),
            said.join(", ")
        ),
    };
    format!(
        "note: {who}: {what}; checked with a stand-in (pass {it} when installing, or Helm fails)"
    )
}

/// The stand-in notes of a run: releases that left out the same required values share one
/// note, so a folder of files says it once.
#[derive(Debug, Default)]
pub struct StandIns(Vec<(Vec<String>, Vec<String>)>);

impl StandIns {
    /// Release `name` left out `keys` (nothing when `keys` is empty).
    pub fn add(&mut self, name: &str, keys: &[String]) {
        if keys.is_empty() {
            return;
        }
        match self.0.iter_mut().find(|(k, _)| k.as_slice() == keys) {
            Some((_, names)) => names.push(name.to_string()),
            None => self.0.push((keys.to_vec(), vec![name.to_string()])),
        }
    }

    /// One note per set of keys, in the order first seen.
    pub fn notes(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|(keys, names)| note_for(names, keys))
            .collect()
    }
}

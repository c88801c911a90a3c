//! Which of the user's keys the release uses: asked of the render, not of a model.
//!
//! The engine logs every key a template looks up and every map of the values tree that leaves a
//! template whole ([`crate::template::Read`]). Helm itself reads the `condition:` and `tags:` of
//! subcharts. A key the user wrote that none of these reach has no effect on this release: it is
//! not a key of the chart, or it sits under a subchart that is switched off, or a later file or
//! `--set` sets it again, or no template reads it with these values.

use std::collections::HashSet;
use std::rc::Rc;

use crate::chart::Chart;
use crate::release::Release;
use crate::template::value::KeyPath;
use crate::template::{Read, ReadKey, Unpicked};
use crate::value::{Map, Node, Origin, Value};

/// The keys a successful render used, as the user writes them from the top-level chart.
#[derive(Debug, Default)]
pub struct Usage {
    /// Every key looked up, and every parent of one. (The engine's fast hash: the standard
    /// one cost a twentieth of a lint for tens of thousands of paths; see `fast_hash`.)
    looked_up: crate::fast_hash::FxHashSet<KeyPath>,
    /// Maps used whole: every key under them is used.
    whole: crate::fast_hash::FxHashSet<KeyPath>,
    /// Where the user's numbers and booleans were printed.
    printed: Vec<super::numbers::Printed>,
    /// The user's maps printed in Go's form (`map[…]`), as the user writes their keys.
    go_form: Vec<String>,
    /// The objects the manifests define more than once.
    repeated: Vec<super::objects::Repeated>,
    /// The pull secrets of the release that no pod using them can use.
    stale_secrets: Vec<super::pull_secrets::Stale>,
    /// Keys the render left to the chart's defaults because Helm fails on them (see
    /// `rendered::heal`): what the chart does with them is unknown, so none is called unused.
    set_aside: Vec<String>,
    /// Keys every read of which a choosing function passed over: the first such call of each.
    passed_over: Vec<(KeyPath, Unpicked)>,
}

impl Usage {
    /// The usage of a render's reads, with the keys Helm reads to switch subcharts, and the
    /// keys every read of which a choosing function passed over ([`Unpicked`]).
    pub fn new(release: &Release, reads: &[Read], unpicked: &[Unpicked]) -> Usage {
        let mut u = Usage::default();
        // The same key of the same map read again adds nothing: skipped by the addresses of
        // what it read (alive as long as the log) before its path is built.
        let mut seen = crate::template::AddressSet::default();
        // The maps a key was looked up in so far: their paths and every parent's are in
        // `looked_up` already, so another key of theirs adds its own path only.
        let mut parents = crate::template::AddressSet::default();
        for r in reads {
            if !seen.insert(r.key.address()) {
                continue;
            }
            let path = r.path();
            match &r.key {
                ReadKey::Child(parent, _) => {
                    if parents.insert((Rc::as_ptr(parent) as usize, 0, 0)) {
                        u.add_looked_up(path);
                    } else {
                        u.looked_up.insert(path);
                    }
                }
                ReadKey::Reached(_) => u.add_looked_up(path),
                ReadKey::Whole(_) => {
                    u.add_looked_up(path.clone());
                    u.whole.insert(path);
                }
            }
        }
        let helm_reads: Vec<KeyPath> = helm_switches(release.chart)
            .into_iter()
            .map(|s| s.path.iter().map(|p| Rc::from(p.as_str())).collect())
            .collect();
        for path in &helm_reads {
            u.add_looked_up(path.clone());
        }
        u.add_passed_over(unpicked, reads, &helm_reads);
        u
    }

    /// Adds the keys whose every read a choosing function passed over (`default` picking the
    /// other operand…): read, but of no effect. `helm_reads`: the switches Helm reads itself.
    fn add_passed_over(&mut self, unpicked: &[Unpicked], reads: &[Read], helm_reads: &[KeyPath]) {
        // Each key once (the first call that passed it over, and how many did), found again by
        // its path and, for the reads, by its last name: a read log holds tens of thousands.
        let mut keys: Vec<(KeyPath, &Unpicked, usize)> = Vec::new();
        let mut index: crate::fast_hash::FxHashMap<KeyPath, usize> = Default::default();
        let mut by_name: crate::fast_hash::FxHashMap<&str, Vec<usize>> = Default::default();
        for u in unpicked {
            let path = &u.value.user_path;
            match index.get(path) {
                Some(&i) => keys[i].2 += 1,
                None => {
                    index.insert(path.clone(), keys.len());
                    if let Some(last) = path.last() {
                        by_name.entry(&**last).or_default().push(keys.len());
                    }
                    keys.push((path.clone(), u, 1));
                }
            }
        }
        if keys.is_empty() {
            return;
        }
        let mut read_count = vec![0usize; keys.len()];
        for r in reads {
            let Some(named) = r.last_name().and_then(|last| by_name.get(last)) else {
                continue;
            };
            for &i in named {
                if r.path_is(&keys[i].0) {
                    read_count[i] += 1;
                }
            }
        }
        for ((path, u, passed), read) in keys.into_iter().zip(read_count) {
            // Another read (an `if`, a print, a lookup) may use it; a map above it printed
            // whole, or a switch Helm reads, does.
            if read > passed
                || (0..path.len()).any(|n| self.whole.contains(&path[..n]))
                || helm_reads.contains(&path)
            {
                continue;
            }
            self.passed_over.push((path, u.clone()));
        }
    }

    /// The call that passed over every read of the key at `path`, if one did.
    pub fn passed_over(&self, path: &[&str]) -> Option<&Unpicked> {
        self.passed_over
            .iter()
            .find(|(p, _)| p.len() == path.len() && p.iter().zip(path).all(|(a, b)| **a == **b))
            .map(|(_, u)| u)
    }

    /// The usage with where the render printed the user's numbers and booleans.
    pub fn with_printed(mut self, printed: Vec<super::numbers::Printed>) -> Usage {
        self.printed = printed;
        self
    }

    /// The usage with the user's maps the render printed in Go's form ([`super::go_form`]).
    pub fn with_go_form(mut self, maps: Vec<KeyPath>) -> Usage {
        self.go_form = maps.iter().map(|p| crate::key_path::display(p)).collect();
        self
    }

    /// The usage with the objects the render's manifests define more than once.
    pub fn with_repeated(mut self, repeated: Vec<super::objects::Repeated>) -> Usage {
        self.repeated = repeated;
        self
    }

    /// The usage of a render made without `keys` (Helm fails on them).
    pub fn with_set_aside(mut self, keys: Vec<String>) -> Usage {
        self.set_aside = keys;
        self
    }

    /// The usage with the release's pull secrets that no pod using them can use.
    pub fn with_stale_secrets(mut self, stale: Vec<super::pull_secrets::Stale>) -> Usage {
        self.stale_secrets = stale;
        self
    }

    /// The release's pull secrets that no pod using them can use ([`super::pull_secrets`]).
    pub fn stale_secrets(&self) -> &[super::pull_secrets::Stale] {
        &self.stale_secrets
    }

    /// The objects the render's manifests define more than once ([`super::objects`]).
    pub fn repeated(&self) -> &[super::objects::Repeated] {
        &self.repeated
    }

    /// The user's maps a manifest holds printed in Go's form (`map[…]`), as keys are shown.
    pub fn go_form(&self) -> &[String] {
        &self.go_form
    }

    /// Whether a manifest holds the user's map at `key` printed in Go's form (`map[…]`).
    pub fn printed_in_go_form(&self, key: &str) -> bool {
        self.go_form.iter().any(|k| k == key)
    }

    /// Every place the render printed a number or boolean the user wrote, in manifest order.
    pub fn printed(&self) -> &[super::numbers::Printed] {
        &self.printed
    }

    /// Adds `path` and every parent of it (a parent found there has its own parents there).
    fn add_looked_up(&mut self, path: KeyPath) {
        for n in (1..path.len()).rev() {
            // Looked for before it is copied: most paths share their parents with others.
            if self.looked_up.contains(&path[..n]) {
                break;
            }
            self.looked_up.insert(Rc::from(&path[..n]));
        }
        if !path.is_empty() {
            self.looked_up.insert(path);
        }
    }

    /// Whether the render used the key at `path`.
    pub fn is_used(&self, path: &[&str]) -> bool {
        let owned: Vec<Rc<str>> = path.iter().map(|s| Rc::from(*s)).collect();
        // From 0: a chart that prints all of `.Values` (`toYaml .Values`, a checksum of
        // `toJson .Values`) uses every key.
        self.looked_up.contains(owned.as_slice())
            || (0..=owned.len()).any(|n| self.whole.contains(&owned[..n]))
    }

    /// Whether a map above the key left a template whole (`toYaml`, `merge`…): the key's value
    /// was handed on with its YAML type, not placed by the template.
    pub fn under_map_used_whole(&self, path: &[&str]) -> bool {
        let owned: Vec<Rc<str>> = path.iter().map(|s| Rc::from(*s)).collect();
        (0..owned.len()).any(|n| self.whole.contains(&owned[..n]))
    }
}

/// Whether a template of `chart` (the release's) names the key in a `.Values…` chain (as the
/// chain or a part of it): some other setting may make the chart read it, although this render
/// did not.
pub fn is_mentioned(chart: &Chart, path: &[&str]) -> bool {
    let owned: Vec<String> = path.iter().map(|s| s.to_string()).collect();
    mentioned(chart).contains(&owned)
}

/// Whether `name` appears as a word (not inside a longer name) in any template of `chart` or
/// of a subchart: a key whose name appears nowhere is read by no template, whatever the values
/// (short of a name built at render time).
pub fn named_in_templates(chart: &Chart, name: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let finder = memchr::memmem::Finder::new(name.as_bytes());
    let in_text = |text: &[u8]| {
        finder.find_iter(text).any(|at| {
            let before = at.checked_sub(1).and_then(|i| text.get(i)).copied();
            let after = text.get(at + name.len()).copied();
            !before.is_some_and(word) && !after.is_some_and(word)
        })
    };
    fn any(chart: &Chart, in_text: &dyn Fn(&[u8]) -> bool) -> bool {
        chart
            .content
            .as_ref()
            .is_some_and(|c| c.templates.iter().any(|t| in_text(&t.data)))
            || chart.dependencies.iter().any(|d| any(&d.chart, in_text))
    }
    !name.is_empty() && any(chart, &in_text)
}

/// The names the templates of `chart` and its subcharts read under `global.<under>` in
/// `.Values.global…` chains: globals are one map for every chart of the release.
pub fn global_names_mentioned<'c>(chart: &'c Chart, under: &[&str]) -> Vec<&'c str> {
    let mut out: Vec<&str> = mentioned(chart)
        .iter()
        .filter_map(|path| {
            let at = path.iter().position(|p| p == "global")?;
            let tail = &path[at + 1..];
            (tail.len() == under.len() + 1 && tail.iter().zip(under).all(|(a, b)| a == b))
                .then(|| tail[under.len()].as_str())
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Every key path a template of `chart` (or of a subchart) names in a `.Values.a.b` chain, with
/// every shorter prefix of it: what may be read, when no render says what was. Worked out once
/// for a chart (every values file of a folder asks the same), on the first question: only a key
/// nothing read asks.
pub fn mentioned(chart: &Chart) -> &HashSet<Vec<String>> {
    static NONE: std::sync::LazyLock<HashSet<Vec<String>>> = std::sync::LazyLock::new(HashSet::new);
    match &chart.content {
        Some(content) => content.mentioned.get_or_init(|| {
            let mut out = HashSet::new();
            mentions(chart, &[], &mut out);
            out
        }),
        // A chart read without its templates ([`crate::chart::Load`]), its subcharts likewise.
        None => &NONE,
    }
}

/// Every `.Values.a.b…` chain in the templates of `chart` and its subcharts, as the user writes
/// the key (a subchart's under its key), with every shorter prefix of it.
fn mentions(chart: &Chart, prefix: &[String], out: &mut HashSet<Vec<String>>) {
    if let Some(content) = &chart.content {
        for t in &content.templates {
            values_chains(&t.data, |chain| {
                let mut path = prefix.to_vec();
                for part in chain {
                    path.push(part.to_string());
                    out.insert(path.clone());
                }
            });
        }
    }
    for dep in &chart.dependencies {
        let mut sub = prefix.to_vec();
        sub.push(dep.key.clone());
        mentions(&dep.chart, &sub, out);
    }
}

/// Calls `found` with the names of every `.Values.a.b…` chain in `text`, left to right: what
/// the pattern `\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)` matches, found by a vectorised search
/// for `.Values` (the regular expression's captures were a third of a lint of a folder).
fn values_chains(text: &[u8], mut found: impl FnMut(&[&str])) {
    use std::sync::LazyLock;
    static VALUES: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(".Values"));
    let is_start = |b: u8| b.is_ascii_alphabetic() || b == b'_';
    let is_rest = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut names: Vec<&str> = Vec::new();
    let mut at = 0;
    while let Some(found_at) = VALUES.find(&text[at..]) {
        let mut end = at + found_at + ".Values".len();
        names.clear();
        while text.get(end) == Some(&b'.') && text.get(end + 1).is_some_and(|&b| is_start(b)) {
            let start = end + 1;
            end = start + 1;
            while text.get(end).is_some_and(|&b| is_rest(b)) {
                end += 1;
            }
            // ASCII only: always a whole text.
            names.push(std::str::from_utf8(&text[start..end]).unwrap_or_default());
        }
        if !names.is_empty() {
            found(&names);
        }
        at = end;
    }
}

/// A values path Helm reads itself to decide whether a subchart deploys.
pub(crate) struct HelmSwitch {
    /// The path, as the user writes it from the top-level chart.
    pub(crate) path: Vec<String>,
    /// The subchart's dependency path (`victoria-metrics-1`, `stackstate-agent.kube-state-metrics`).
    pub(crate) subchart: String,
    /// A top-level `tags.<tag>`, not a `condition:` path.
    pub(crate) tag: bool,
}

/// Every switch Helm reads to decide the subcharts of `chart`: each dependency's `condition:`
/// paths (relative to its parent's values) and the top-level `tags.<tag>`.
pub(crate) fn helm_switches(chart: &Chart) -> Vec<HelmSwitch> {
    fn walk(chart: &Chart, prefix: &[String], out: &mut Vec<HelmSwitch>) {
        for dep in &chart.dependencies {
            let mut sub = prefix.to_vec();
            sub.push(dep.key.clone());
            let subchart = sub.join(".");
            for c in &dep.conditions {
                let mut path = prefix.to_vec();
                path.extend(c.split('.').map(String::from));
                out.push(HelmSwitch {
                    path,
                    subchart: subchart.clone(),
                    tag: false,
                });
            }
            for t in &dep.tags {
                out.push(HelmSwitch {
                    path: vec!["tags".to_string(), t.clone()],
                    subchart: subchart.clone(),
                    tag: true,
                });
            }
            walk(&dep.chart, &sub, out);
        }
    }
    let mut out = Vec::new();
    walk(chart, &[], &mut out);
    out
}

/// Why a key the user wrote has no effect.
#[derive(Debug, Clone)]
pub enum Why {
    /// No template read it in this render.
    NotRead,
    /// It configures a subchart that does not deploy.
    SubchartOff {
        /// The subchart's key path (`elasticsearch`, `stackstate-agent.kube-state-metrics`).
        subchart: String,
        /// The `condition:` paths that switch it (dotted, from the top-level chart).
        conditions: Vec<String>,
    },
    /// A later values file or `--set` sets the same key; that value is the one Helm uses.
    Outranked(Origin),
    /// Templates read it, but only to hand it to a choosing function that took another value.
    PassedOver(Box<Unpicked>),
}

/// A key of the linted file that has no effect.
#[derive(Debug)]
pub struct Unused<'m> {
    /// The key, in [`crate::key_path::KeyPath`]'s text form.
    pub key: String,
    /// The node the user wrote.
    pub node: &'m Node,
    /// Why it has no effect.
    pub why: Why,
}

/// The keys of `file` (the linted file's values) that have no effect on the release, outermost
/// first: under a key reported, nothing more is reported.
pub fn unused_keys<'m>(
    file: &'m Map,
    file_id: crate::source::FileId,
    release: &Release,
    usage: &Usage,
) -> Vec<Unused<'m>> {
    let mut out = Vec::new();
    let mut path = Vec::new();
    visit(file, file_id, release, usage, &mut path, &mut out);
    out
}

fn visit<'m>(
    map: &'m Map,
    file_id: crate::source::FileId,
    release: &Release,
    usage: &Usage,
    path: &mut Vec<&'m str>,
    out: &mut Vec<Unused<'m>>,
) {
    for (k, node) in map {
        path.push(k.as_str());
        let key = crate::key_path::display(path);
        // What a stand-in subchart would read is unknown, and so is what the chart does with
        // values the render went without: nothing under them is reported.
        let under = |p: &str| key == p || key.strip_prefix(p).is_some_and(|r| r.starts_with('.'));
        if release.left_out.iter().any(|(p, _)| under(p))
            || usage.set_aside.iter().any(|p| under(p))
        {
            path.pop();
            continue;
        }
        if let Value::Map(m) = &node.value
            && !m.is_empty()
            && usage.is_used(path)
        {
            visit(m, file_id, release, usage, path, out);
        } else if let Some(by) = outranked(release, path, file_id) {
            out.push(Unused {
                key,
                node,
                why: Why::Outranked(by),
            });
        } else if !usage.is_used(path) {
            let why = subchart_off(release, path).unwrap_or(Why::NotRead);
            out.push(Unused { key, node, why });
        } else if let Some(u) = usage.passed_over(path) {
            out.push(Unused {
                key,
                node,
                why: Why::PassedOver(Box::new(u.clone())),
            });
        }
        path.pop();
    }
}

/// The origin of the value that replaced the user's own at `path`, if a later layer set it.
fn outranked(release: &Release, path: &[&str], file_id: crate::source::FileId) -> Option<Origin> {
    let merged = release
        .user
        .get(path[0])
        .and_then(|n| n.get_path(&path[1..]))?;
    if matches!(merged.value, Value::Map(_)) {
        return None;
    }
    match &merged.origin {
        Origin::File { key, value } if key.unwrap_or(*value).file == file_id => None,
        other => Some(other.clone()),
    }
}

/// The switched-off subchart a key configures, if any.
fn subchart_off(release: &Release, path: &[&str]) -> Option<Why> {
    let key = path.join(".");
    let off = release
        .disabled
        .iter()
        .filter(|d| key == **d || key.starts_with(&format!("{d}.")))
        .min_by_key(|d| d.len())?;
    let mut conditions = Vec::new();
    find_conditions(release.chart, &[], off, &mut conditions);
    Some(Why::SubchartOff {
        subchart: off.clone(),
        conditions,
    })
}

fn find_conditions(chart: &Chart, prefix: &[String], target: &str, out: &mut Vec<String>) {
    for dep in &chart.dependencies {
        let mut sub = prefix.to_vec();
        sub.push(dep.key.clone());
        if sub.join(".") == target {
            let parent = prefix.join(".");
            out.extend(dep.conditions.iter().map(|c| {
                if parent.is_empty() {
                    c.clone()
                } else {
                    format!("{parent}.{c}")
                }
            }));
            out.extend(dep.tags.iter().map(|t| format!("tags.{t}")));
            return;
        }
        find_conditions(&dep.chart, &sub, target, out);
    }
}

#[cfg(test)]
mod tests {
    use super::values_chains;

    /// What the pattern the scan stands for finds, by the regular expression itself.
    fn by_regex(text: &str) -> Vec<Vec<String>> {
        let chain = regex::Regex::new(r"\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)").unwrap();
        chain
            .captures_iter(text)
            .map(|m| {
                m[1].split('.')
                    .filter(|p| !p.is_empty())
                    .map(String::from)
                    .collect()
            })
            .collect()
    }

    fn by_scan(text: &str) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        values_chains(text.as_bytes(), |names| {
            out.push(names.iter().map(|n| n.to_string()).collect());
        });
        out
    }

    #[test]
    fn the_chain_scan_finds_what_the_pattern_finds() {
        let texts = [
            "{{ .Values.a.b }} {{ $.Values.c }}{{.Values.d_1.E2.f}}",
            ".Values .Values. .Values.1a .Values._x.y2 .Values.a..b ..Values.a",
            ".Values.Values.x .Valuesx.a .Values.a-b .Values.a.b.",
            ".Values.é.a .Values.aé.b .Valu.Values.x .Values",
            "(index .Values \"a\").b {{- toYaml .Values.x.y | nindent 4 }}.Values.z",
            "",
        ];
        for text in texts {
            assert_eq!(by_scan(text), by_regex(text), "{text:?}");
        }
        // Every cut of a long text, so no chain is split differently at the end.
        let long = texts.concat();
        for end in 0..=long.len() {
            if let Some(text) = long.get(..end) {
                assert_eq!(by_scan(text), by_regex(text), "{text:?}");
            }
        }
    }

    #[test]
    fn a_chart_works_out_the_keys_its_templates_name_once() {
        let chart = crate::builtin_charts::find("stackstate", "4.4.0")
            .unwrap()
            .load(crate::chart::Load::Everything);
        let first = super::mentioned(chart);
        assert!(std::ptr::eq(first, super::mentioned(chart)));
        // A chain of the chart's own templates with its prefixes, and one of a subchart's under
        // the subchart's key.
        let has = |p: &[&str]| first.contains(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert!(has(&["stackstate"]) && has(&["stackstate", "components"]));
        assert!(has(&["kafka", "image"]) && has(&["kafka", "auth", "enabled"]));
        assert!(!has(&["no-such-key"]));
    }
}

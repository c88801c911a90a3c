//! Which built-in chart a run uses: the one named (`--chart-version`, the config's `chart:`),
//! else the one the values fit best.
//!
//! The fit of a chart is the share of the keys the user set (every leaf of the user's values,
//! lists counted whole) that the chart knows: its defaults, subcharts included, have the key,
//! or the map it is set in (a key beside the chart's own: an image `tag` the chart leaves unset,
//! a `global` its templates read), or a map or null above it that is left open for keys of the
//! user's own (`podAnnotations: {}`).
//! The chart with the highest share wins (then the one with more keys known, then the order of
//! [`CHARTS`]), and the run uses its newest built-in version.

use crate::builtin_charts::{self, BuiltinChart};
use crate::chart::keys::{KeyTree, Shape};
#[cfg(test)]
use crate::chart::{Chart, Load};
use crate::value::{Map, Value};
use crate::version::Version;

/// The chart lines (a bare version names the first).
pub const CHARTS: &[&str] = &["stackstate", "suse-observability", "stackstate-k8s"];

/// The order that settles a tie, and the chart of values with no keys: the line people install
/// today first (the stackstate chart's keys are mostly suse-observability's too).
const TIE_ORDER: &[&str] = &["suse-observability", "stackstate", "stackstate-k8s"];

/// A chart picked for the values, and why.
#[derive(Debug, Clone)]
pub struct Pick {
    /// The chart version.
    pub chart: BuiltinChart,
    /// One line: the fit of the winner and of the others.
    pub reason: String,
}

/// The built-in chart `text` names (`suse-observability@2.10.3`, `4.4.0`), or why none.
pub fn named(text: &str) -> Result<BuiltinChart, String> {
    let (name, version) = builtin_charts::parse_name(text);
    builtin_charts::find(&name, &version).ok_or_else(|| unknown(&name, &version))
}

/// The version of chart `name` a run uses when none is named: the newest built in.
pub fn newest_for(name: &str) -> Option<BuiltinChart> {
    builtin_charts::versions_of(name).into_iter().next_back()
}

/// Adds the leaf key paths of `user` to `out` (several files: each key once).
pub fn add_user_keys(user: &Map, out: &mut std::collections::BTreeSet<Vec<String>>) {
    fn walk(map: &Map, path: &mut Vec<String>, out: &mut std::collections::BTreeSet<Vec<String>>) {
        for (k, v) in map {
            path.push(k.clone());
            match &v.value {
                Value::Map(m) if !m.is_empty() => walk(m, path, out),
                _ => {
                    out.insert(path.clone());
                }
            }
            path.pop();
        }
    }
    walk(user, &mut Vec::new(), out);
}

/// Whether the chart of key tree `chart` knows `path`: its own defaults, or a subchart's under
/// the subchart's key (`global` is every chart's). The same as asking the merged defaults,
/// without merging them.
fn in_chart(chart: &KeyTree<'_>, path: &[String]) -> bool {
    let global = path.len() > 1 && path[0] == "global";
    // Every chart's `global` is merged into one: one chart's `global: {}` does not leave it open.
    let open_from = usize::from(global);
    if in_shape(chart.values, path, open_from) {
        return true;
    }
    chart.deps().any(|(key, sub)| {
        if global {
            in_chart(&sub, path)
        } else {
            path.len() > 1 && key == path[0] && in_chart(&sub, &path[1..])
        }
    })
}

/// Whether the shape of a chart's defaults knows `path`; maps and nulls above it count as open
/// from depth `open_from`.
fn in_shape(defaults: Shape<'_>, path: &[String], open_from: usize) -> bool {
    let mut map = defaults;
    for (i, k) in path.iter().enumerate() {
        let Some(node) = map.get(k) else {
            // A key beside the chart's own: its map is there.
            return i + 1 == path.len() && i > 0;
        };
        match node {
            _ if i + 1 == path.len() => return true,
            Shape::Map(0, _) if i >= open_from => return true,
            Shape::Map(..) => map = node,
            Shape::Open if i >= open_from => return true,
            _ => return false,
        }
    }
    true
}

/// The encoded key tree of a loaded chart (what `build.rs` computes for the built-in ones).
#[cfg(test)]
fn key_tree_of(chart: &Chart) -> Vec<u8> {
    let deps: Vec<(String, Vec<u8>)> = chart
        .dependencies
        .iter()
        .map(|d| (d.key.clone(), key_tree_of(&d.chart)))
        .collect();
    crate::chart::keys::encode(&chart.values, &deps)
}

/// Whether the defaults of built-in chart `c` (a subchart's under its key, `global` every
/// chart's) hold `path` itself: the exact key, not a map left open for it.
pub fn defaults_hold(c: BuiltinChart, path: &[&str]) -> bool {
    holds(&c.key_tree(), path)
}

fn holds(chart: &KeyTree<'_>, path: &[&str]) -> bool {
    let last = path.len().saturating_sub(1);
    let own = path
        .iter()
        .enumerate()
        .try_fold(chart.values, |map, (i, k)| match map.get(k) {
            Some(node) if i == last => Some(node),
            Some(node @ Shape::Map(..)) => Some(node),
            _ => None,
        })
        .is_some();
    own || (path.len() > 1
        && chart.deps().any(|(key, sub)| match path[0] {
            "global" => holds(&sub, path),
            first => key == first && holds(&sub, &path[1..]),
        }))
}

/// Picks the chart for values with these keys.
pub fn pick(keys: &[Vec<String>]) -> Pick {
    let candidates: Vec<BuiltinChart> = TIE_ORDER
        .iter()
        .filter_map(|name| newest_for(name))
        .collect();
    if keys.is_empty() {
        return Pick {
            chart: candidates[0],
            reason: format!(
                "no values keys to fit, so the newest {} chart (name another with --chart-version)",
                candidates[0].name()
            ),
        };
    }
    let scored: Vec<(BuiltinChart, usize)> = candidates
        .iter()
        .map(|c| {
            let tree = c.key_tree();
            (*c, keys.iter().filter(|p| in_chart(&tree, p)).count())
        })
        .collect();
    // Equal shares of the same keys: the most keys known, then TIE_ORDER.
    let best = scored
        .iter()
        .enumerate()
        .max_by_key(|(i, (_, n))| (*n, std::cmp::Reverse(*i)))
        .map(|(_, s)| *s)
        .expect("a built-in chart per line");
    let total = keys.len();
    let others: Vec<String> = scored
        .iter()
        .filter(|(c, _)| *c != best.0)
        .map(|(c, n)| format!("{} {}%", c.id(), percent(*n, total)))
        .collect();
    let tied: Vec<String> = scored
        .iter()
        .filter(|(c, n)| *c != best.0 && *n == best.1)
        .map(|(c, _)| c.id())
        .collect();
    let tie = if tied.is_empty() {
        String::new()
    } else {
        format!(
            "; {} fit{} as well: name the chart with --chart-version to use {}",
            tied.join(", "),
            if tied.len() == 1 { "s" } else { "" },
            if tied.len() == 1 { "it" } else { "one of them" }
        )
    };
    Pick {
        chart: best.0,
        reason: format!(
            "{} of the {total} keys set are keys of this chart ({}%; {}){tie}",
            best.1,
            percent(best.1, total),
            others.join(", ")
        ),
    }
}

/// Where each chart line is published (`rules/chart-repos.yaml`).
const REPOS: &str = include_str!("../rules/chart-repos.yaml");

fn repo_of(name: &str) -> Option<String> {
    let file = crate::yaml::load(
        crate::source::FileId(u32::MAX),
        REPOS,
        &crate::yaml::Limits::default(),
    )
    .ok()?;
    file.documents
        .first()?
        .get_path(&[name])
        .and_then(|n| n.value.render())
}

/// The message for a chart version that is not built in: the nearest built-in one, and the
/// `helm pull` that fetches the exact chart for `--chart`.
pub fn unknown(name: &str, version: &str) -> String {
    let asked = format!("{name}@{version}");
    let names: Vec<&str> = CHARTS.to_vec();
    if version.is_empty() {
        // `x@` (or `@@@`): what is before the last `@` is not a chart name to correct.
        return format!(
            "`{asked}` names no version: write CHART@VERSION (built in: {}), e.g. {}",
            names.join(", "),
            builtin_charts::versions_of("suse-observability")
                .last()
                .map_or_else(|| "suse-observability@2.10.3".to_string(), |c| c.id())
        );
    }
    let line = if names.contains(&name) {
        Some(name)
    } else {
        crate::suggest::closest(name, names.iter().copied())
    };
    let nearest = line.and_then(|line| {
        let want = Version::parse(version);
        let versions = builtin_charts::versions_of(line);
        let distance = |c: &BuiltinChart| {
            let have = Version::parse(c.version()).unwrap_or_else(Version::zero);
            want.as_ref().map_or((0, 0, 0), |w| w.distance(&have))
        };
        match want {
            Some(_) => versions.iter().min_by_key(|c| distance(c)).copied(),
            None => versions.last().copied(),
        }
    });
    let mut out = match (nearest, names.contains(&name)) {
        (Some(c), true) => format!(
            "`{asked}` is not built in; the nearest built-in version is {}",
            c.id()
        ),
        (Some(c), false) => format!(
            "no built-in chart `{name}` (built in: {}); did you mean {}?",
            names.join(", "),
            c.id()
        ),
        (None, _) => format!(
            "no built-in chart `{name}` (built in: {})",
            names.join(", ")
        ),
    };
    if let Some(repo) = names.contains(&name).then(|| repo_of(name)).flatten()
        && Version::parse(version).is_some()
    {
        out.push_str(&format!(
            "; for exactly this chart: `helm pull {name} --repo {repo} --version {version}`, then --chart {name}-{version}.tgz"
        ));
    }
    out
}

fn percent(n: usize, total: usize) -> usize {
    (n * 100 + total / 2) / total.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key trees `build.rs` packed are those of the charts the chart loader reads, for every
    /// built-in chart version (subchart keys, aliases, shapes).
    #[test]
    fn built_in_key_trees_are_the_loaded_charts_shapes() {
        for c in builtin_charts::all() {
            let loaded = key_tree_of(
                &c.read(Load::Values, &mut crate::source::Sources::new())
                    .unwrap(),
            );
            let built = c.key_tree_bytes();
            assert!(built == loaded, "{}", c.id());
        }
    }
    use crate::source::FileId;
    use crate::value::Node;
    use crate::yaml::{Limits, load};

    fn node(text: &str) -> Node {
        load(FileId(0), text, &Limits::default())
            .unwrap()
            .documents
            .remove(0)
    }

    fn map(text: &str) -> Map {
        node(text).as_map().unwrap().clone()
    }

    /// The leaf key paths of the user's values.
    fn user_keys(user: &Map) -> Vec<Vec<String>> {
        let mut out = std::collections::BTreeSet::new();
        add_user_keys(user, &mut out);
        out.into_iter().collect()
    }

    /// How many of `keys` a chart with these defaults (and no subcharts) knows, read as the
    /// pick reads it: through the chart's key tree.
    fn known(defaults: &Node, keys: &[Vec<String>]) -> usize {
        let bytes = crate::chart::keys::encode(defaults, &[]);
        let tree = KeyTree::read(&bytes);
        keys.iter().filter(|path| in_chart(&tree, path)).count()
    }

    #[test]
    fn open_maps_and_nulls_take_any_key() {
        let defaults = node("a: {b: 1, open: {}, none: null}\nc: 2\n");
        let keys = user_keys(&map(
            "a: {b: 2, open: {x: {y: 1}}, none: {z: 1}, nope: 1}\nc: {d: 1}\nlist: [1]\n",
        ));
        assert_eq!(keys.len(), 6);
        // a.b, a.open.x.y, a.none.z, a.nope (beside a.b); not c.d (a number above), list.
        assert_eq!(known(&defaults, &keys), 4);
        let deeper = user_keys(&map("a: {x: {y: 1}}\nz: 1\n"));
        assert_eq!(known(&defaults, &deeper), 0);
    }

    #[test]
    fn the_newest_version_of_each_chart_is_taken() {
        assert_eq!(newest_for("stackstate").unwrap().id(), "stackstate@5.1.15");
        assert_eq!(
            newest_for("suse-observability").unwrap().id(),
            "suse-observability@2.10.3"
        );
    }
}

//! Dependencies as Helm's `processDependencyEnabled` pairs them with the subcharts in
//! `charts/`: which subchart each declared dependency takes, under which key, with which
//! conditions and tags.

use crate::template::funcs::sprig_semver::{Release, is_compatible_range};
use crate::value::{Node, Value};

use super::{Chart, Dependency, Switch, content, string_at};

/// Helm's `processDependencyEnabled`: a subchart no declared dependency takes (same name, a
/// version inside its range) is rendered as it is, under its own name; each declared
/// dependency takes a copy of the first subchart that fits, under its alias. An alias whose
/// range the subchart's version misses (or that has no range) is no alias at all. Also the
/// declared dependencies no subchart renders under the key of.
pub(super) fn take_dependencies(
    declared: &[Declared],
    subcharts: Vec<Chart>,
    build: crate::helm_build::HelmBuild,
) -> (Vec<Dependency>, Vec<Switch>) {
    let semver = Release(build.semver());
    let fits = |d: &Declared, c: &Chart| {
        d.name == c.name && is_compatible_range(&d.version, &c.version, semver)
    };
    // The subchart each declared dependency takes, and how many take each: a subchart is moved
    // into the last dependency that takes it and copied for the others (one chart aliased twice).
    let picks: Vec<Option<usize>> = declared
        .iter()
        .map(|d| subcharts.iter().position(|c| fits(d, c)))
        .collect();
    let mut takers = vec![0usize; subcharts.len()];
    for &i in picks.iter().flatten() {
        takers[i] += 1;
    }
    let fitted: Vec<bool> = subcharts
        .iter()
        .map(|sub| declared.iter().any(|d| fits(d, sub)))
        .collect();
    let mut slots: Vec<Option<Chart>> = subcharts.into_iter().map(Some).collect();
    let mut dependencies: Vec<Dependency> = Vec::new();
    for (slot, fitted) in slots.iter_mut().zip(fitted) {
        if fitted {
            continue;
        }
        let Some(sub) = slot.take() else { continue };
        // A disabled dependency removes the subcharts of the name it renders under (its
        // alias, else its name), taken or not: `memcached` aliased `memcached` with a range
        // the vendored chart misses still switches it off.
        let same_name = declared
            .iter()
            .find(|d| d.alias.as_deref().unwrap_or(&d.name) == sub.name);
        dependencies.push(Dependency {
            key: sub.name.clone(),
            conditions: same_name.map(|d| d.conditions.clone()).unwrap_or_default(),
            tags: same_name.map(|d| d.tags.clone()).unwrap_or_default(),
            chart: sub,
            stand_in: None,
            declared: same_name.is_some(),
        });
    }
    for (d, pick) in declared.iter().zip(picks) {
        let Some(i) = pick else { continue };
        takers[i] -= 1;
        let chart = if takers[i] == 0 {
            slots[i].take()
        } else {
            slots[i].clone()
        };
        let Some(chart) = chart else { continue };
        dependencies.push(Dependency {
            key: d.alias.clone().unwrap_or_else(|| d.name.clone()),
            conditions: d.conditions.clone(),
            tags: d.tags.clone(),
            chart,
            stand_in: None,
            declared: true,
        });
    }
    let unfilled = unfilled(declared, &dependencies);
    (dependencies, unfilled)
}

/// The declared dependencies whose key (alias, else name) no dependency has: Helm keeps them
/// in the metadata, switched like the others.
fn unfilled(declared: &[Declared], dependencies: &[Dependency]) -> Vec<Switch> {
    let mut out: Vec<Switch> = Vec::new();
    for d in declared {
        let key = d.alias.as_deref().unwrap_or(&d.name);
        if dependencies.iter().any(|x| x.key == key) || out.iter().any(|x| x.key == key) {
            continue;
        }
        out.push(Switch {
            key: key.to_string(),
            conditions: d.conditions.clone(),
            tags: d.tags.clone(),
        });
    }
    out
}

pub(super) struct Declared {
    name: String,
    /// `version:`, the range the subchart's version must be in (none: no subchart fits).
    version: String,
    alias: Option<String>,
    conditions: Vec<String>,
    tags: Vec<String>,
}

pub(super) fn declared_dependencies(meta: &Node) -> Vec<Declared> {
    let Some(Value::Seq(items)) = meta.get_path(&["dependencies"]).map(|n| &n.value) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|d| {
            let name = string_at(d, "name")?;
            // Helm trims the whole condition, not each path: `a.on, b.on` reads ` b.on`.
            let conditions = string_at(d, "condition")
                .map(|c| {
                    content::sanitize(&c)
                        .trim()
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let tags = match d.get_path(&["tags"]).map(|n| &n.value) {
                Some(Value::Seq(t)) => t.iter().filter_map(|n| n.value.render()).collect(),
                _ => Vec::new(),
            };
            Some(Declared {
                name,
                version: string_at(d, "version").unwrap_or_default(),
                alias: string_at(d, "alias").filter(|a| !a.is_empty()),
                conditions,
                tags,
            })
        })
        .collect()
}

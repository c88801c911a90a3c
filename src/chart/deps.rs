//! Dependencies as Helm's `processDependencyEnabled` pairs them with the subcharts in
//! `charts/`: which subchart each declared dependency takes, under which key, with which
//! conditions and tags.

use crate::template::funcs::sprig_semver::is_compatible_range;
use crate::value::{Node, Value};

use super::{Chart, Dependency, content, string_at};

/// Helm's `processDependencyEnabled`: a subchart no declared dependency takes (same name, a
/// version inside its range) is rendered as it is, under its own name; each declared
/// dependency takes a copy of the first subchart that fits, under its alias. An alias whose
/// range the subchart's version misses (or that has no range) is no alias at all.
pub(super) fn take_dependencies(declared: &[Declared], subcharts: &[Chart]) -> Vec<Dependency> {
    let fits =
        |d: &Declared, c: &Chart| d.name == c.name && is_compatible_range(&d.version, &c.version);
    let mut dependencies: Vec<Dependency> = Vec::new();
    for sub in subcharts {
        if !declared.iter().any(|d| fits(d, sub)) {
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
                chart: sub.clone(),
                stand_in: None,
                declared: false,
            });
        }
    }
    for d in declared {
        let Some(chart) = subcharts.iter().find(|c| fits(d, c)) else {
            continue;
        };
        dependencies.push(Dependency {
            key: d.alias.clone().unwrap_or_else(|| d.name.clone()),
            conditions: d.conditions.clone(),
            tags: d.tags.clone(),
            chart: chart.clone(),
            stand_in: None,
            declared: true,
        });
    }
    dependencies
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

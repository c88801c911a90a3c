//! `import-values` (Helm's `processDependencyImportValues`): tables of a subchart's default
//! values copied into its parent's values, after disabled subcharts are removed and before the
//! user's values are coalesced. The parent's own values win over what is imported, and an
//! earlier import over a later one.
//!
//! Helm (3.13 and later) merges the child's tables themselves, not copies: a table an import
//! put in place first is the child's own map, so a later import into the same parent key adds
//! its keys to the child's values as well (two subcharts' tables imported into one key of the
//! parent each see the other's). Those additions are made to the parent's values under the
//! child's key, where the child's render finds them.

use crate::chart::Chart;
use crate::chart::content::{DeclaredDependency, ImportValue};
use crate::helm_log;
use crate::merge::{self, HelmVersion};
use crate::value::{Map, Node, Origin, Value};

/// Whether any chart of the tree declares `import-values`.
pub(crate) fn any(chart: &Chart) -> bool {
    let here = chart.content.as_ref().is_some_and(|c| {
        c.metadata
            .dependencies
            .iter()
            .any(|d| !d.import_values.is_empty())
    });
    here || chart.dependencies.iter().any(|d| any(&d.chart))
}

/// A copy of `chart` with every enabled dependency's imports applied, deepest first. Helm's
/// warnings for an import whose table is missing go to `log`.
pub(crate) fn apply(
    chart: &Chart,
    helm: HelmVersion,
    enabled: &dyn Fn(&[String]) -> bool,
    log: &mut Vec<String>,
) -> Chart {
    let mut out = chart.clone();
    let processed = declares(&out);
    apply_in(&mut out, (helm, log), enabled, (&mut Vec::new(), processed));
    out
}

/// Helm 3 asserts that an import's `child` and `parent` are strings (`processImportValues`):
/// where one of an enabled dependency is not, it panics. The first such entry in Helm's order
/// (the deepest charts first), worded for the user; Helm 4 reads them with `%v` instead.
pub(crate) fn helm3_panic(
    chart: &Chart,
    helm: HelmVersion,
    enabled: &dyn Fn(&[String]) -> bool,
) -> Option<String> {
    fn walk(
        chart: &Chart,
        enabled: &dyn Fn(&[String]) -> bool,
        path: &mut Vec<String>,
        processed: bool,
    ) -> Option<(String, &'static str)> {
        for dep in &chart.dependencies {
            path.push(dep.key.clone());
            let found = enabled(path)
                .then(|| walk(&dep.chart, enabled, path, processed && declares(&dep.chart)))
                .flatten();
            path.pop();
            if found.is_some() {
                return found;
            }
        }
        let content = chart.content.as_ref()?;
        content.metadata.dependencies.iter().find_map(|d| {
            import_key(d, path, processed, enabled)?;
            d.import_values.iter().find_map(|iv| match iv {
                ImportValue::Map {
                    not_string: Some(go_type),
                    ..
                } => Some((d.name.clone(), *go_type)),
                _ => None,
            })
        })
    }
    if helm.is_v4() {
        return None;
    }
    let (name, go_type) = walk(chart, enabled, &mut Vec::new(), declares(chart))?;
    Some(crate::chart::content::import_panic(
        &helm.build().release(),
        &name,
        go_type,
    ))
}

/// The key a declared dependency imports under, when it stays on: unprocessed, a dependency
/// keeps its chart's name (the alias was never applied). A declared dependency that stays on
/// imports (or warns that the table is missing) whether a subchart stands for it or not.
fn import_key<'d>(
    d: &'d DeclaredDependency,
    path: &[String],
    processed: bool,
    enabled: &dyn Fn(&[String]) -> bool,
) -> Option<&'d String> {
    let key = if d.alias.is_empty() || !processed {
        &d.name
    } else {
        &d.alias
    };
    let mut full = path.to_vec();
    full.push(key.clone());
    enabled(&full).then_some(key)
}

/// Whether Chart.yaml (or requirements.yaml) declares dependencies: Helm's
/// `processDependencyEnabled` stops at a chart that declares none, so the charts below it keep
/// their dependencies as loaded (no alias, no condition).
fn declares(chart: &Chart) -> bool {
    (chart.content.as_ref()).is_some_and(|c| !c.metadata.dependencies.is_empty())
}

fn apply_in(
    chart: &mut Chart,
    (helm, log): (HelmVersion, &mut Vec<String>),
    enabled: &dyn Fn(&[String]) -> bool,
    (path, processed): (&mut Vec<String>, bool),
) {
    for dep in &mut chart.dependencies {
        path.push(dep.key.clone());
        if enabled(path) {
            let below = processed && declares(&dep.chart);
            apply_in(&mut dep.chart, (helm, log), enabled, (path, below));
        }
        path.pop();
    }
    let Some(content) = chart.content.clone() else {
        return;
    };
    let base = path.clone();
    let relative = |p: &[&str]| {
        let full: Vec<String> = base
            .iter()
            .cloned()
            .chain(p.iter().map(|s| s.to_string()))
            .collect();
        enabled(&full)
    };
    let mut imported = Imported {
        nulls_into_source: helm.is_v4(),
        ..Imported::default()
    };
    let mut defaults: Option<Map> = None;
    for d in &content.metadata.dependencies {
        if d.import_values.is_empty() {
            continue;
        }
        let Some(key) = import_key(d, path, processed, enabled) else {
            continue;
        };
        let defaults = defaults.get_or_insert_with(|| {
            merge::merge_defaults(chart, helm, Some(&relative)).unwrap_or_default()
        });
        for iv in &d.import_values {
            let (child, parent) = match iv {
                ImportValue::Exports(name) => (format!("exports.{name}"), ".".to_string()),
                ImportValue::Map { child, parent, .. } => (child.clone(), parent.clone()),
            };
            let dotted = format!("{key}.{child}");
            match table(defaults, &dotted) {
                Ok(table) => {
                    let at: Vec<String> = parts(&parent);
                    let source = dotted.split('.').map(str::to_string).collect();
                    imported.merge(path_to_map(&parent, table), at, source);
                }
                Err(missing) => log.push(missing_table(iv, key, &missing, helm)),
            }
        }
    }
    if imported.nulls_into_source {
        let parent = chart.values_helm4.as_deref().unwrap_or(&chart.values);
        if let Some(parent) = parent.as_map() {
            imported.nulls_of_parent(parent);
        }
    }
    let Imported {
        tables: imported,
        added,
        nulled,
        ..
    } = imported;
    if imported.is_empty() {
        return;
    }
    for values in [
        chart.values_helm4.as_mut().map(|n| &mut n.value),
        Some(&mut chart.values.value),
    ]
    .into_iter()
    .flatten()
    {
        if let Value::Map(values) = values {
            merge_tables(values, imported.clone());
            for (path, node) in &added {
                add_at(values, path, node.clone());
            }
            for path in &nulled {
                null_at(values, path);
            }
        }
    }
}

/// The tables imported so far (Helm's `b`), which of them are a child's own maps, and what was
/// added to those.
#[derive(Default)]
struct Imported {
    tables: Map,
    /// (where in `tables`, the child's map it is: its path in the parent's values).
    aliases: Vec<(Vec<String>, Vec<String>)>,
    /// Keys added to a child's map: its path in the parent's values, and the value.
    added: Vec<(Vec<String>, Node)>,
    /// Helm 4: its `coalesceTablesFullKey` first writes every key that is null in the
    /// destination into the source, so a child's map merged under a null gets that null.
    nulls_into_source: bool,
    /// Keys of a child's map set to null that way (their paths in the parent's values).
    nulled: Vec<Vec<String>>,
}

impl Imported {
    /// `MergeTables(b, src)` where the table at `at` in `src` is the child's map at `source`.
    fn merge(&mut self, src: Map, at: Vec<String>, source: Vec<String>) {
        let mut path = Vec::new();
        let mut tables = std::mem::take(&mut self.tables);
        self.merge_in(&mut tables, src, &mut path, (&at, &source));
        self.tables = tables;
    }

    fn merge_in(
        &mut self,
        dst: &mut Map,
        src: Map,
        path: &mut Vec<String>,
        (at, source): (&[String], &[String]),
    ) {
        if self.nulls_into_source && path.starts_with(at) {
            let mut child = source.to_vec();
            child.extend_from_slice(&path[at.len()..]);
            for (k, dv) in dst.iter() {
                if matches!(dv.value, Value::Null) {
                    let mut full = child.clone();
                    full.push(k.clone());
                    self.nulled.push(full);
                }
            }
        }
        for (k, sv) in src {
            path.push(k.clone());
            match dst.get_mut(&k) {
                None => {
                    if let Some(child) = self.alias_of(&path[..path.len() - 1]) {
                        let mut full = child;
                        full.push(k.clone());
                        self.added.push((full, sv.clone()));
                    }
                    // The child's map itself goes in (or a map holding it).
                    if at.starts_with(path) || path.starts_with(at) {
                        let mut whole = at.to_vec();
                        let mut source = source.to_vec();
                        if path.len() > at.len() {
                            source.extend_from_slice(&path[at.len()..]);
                            whole = path.clone();
                        }
                        self.aliases.push((whole, source));
                    }
                    dst.insert(k, sv);
                }
                Some(dv) => {
                    if let (Value::Map(d), Value::Map(s)) = (&mut dv.value, sv.value) {
                        self.merge_in(d, s, path, (at, source));
                    }
                }
            }
            path.pop();
        }
    }

    /// Helm 4's last step, `MergeTables(copy of the parent's values, b)`, writes every null
    /// key of a parent's table into the imported table it meets; a child's table imported in
    /// more than one place gets those nulls in each.
    fn nulls_of_parent(&mut self, parent: &Map) {
        let mut found = Vec::new();
        self.nulls_in(parent, &self.tables, &mut Vec::new(), &mut found);
        for path in found {
            null_at(&mut self.tables, &path);
        }
    }

    fn nulls_in(
        &self,
        parent: &Map,
        tables: &Map,
        path: &mut Vec<String>,
        found: &mut Vec<Vec<String>>,
    ) {
        for (k, node) in tables {
            let (Some(pm), Some(tm)) = (parent.get(k).and_then(Node::as_map), node.as_map()) else {
                continue;
            };
            path.push(k.clone());
            if let Some(child) = self.alias_of(path) {
                for (from, to) in &self.aliases {
                    if !child.starts_with(to) {
                        continue;
                    }
                    let mut other = from.clone();
                    other.extend_from_slice(&child[to.len()..]);
                    if other == *path {
                        continue;
                    }
                    for (nk, nv) in pm {
                        if matches!(nv.value, Value::Null) {
                            let mut at = other.clone();
                            at.push(nk.clone());
                            found.push(at);
                        }
                    }
                }
            }
            self.nulls_in(pm, tm, path, found);
            path.pop();
        }
    }

    /// The child's map the table at `path` is, by the nearest aliased table above it.
    fn alias_of(&self, path: &[String]) -> Option<Vec<String>> {
        let (from, to) = self
            .aliases
            .iter()
            .filter(|(from, _)| path.starts_with(from))
            .max_by_key(|(from, _)| from.len())?;
        let mut full = to.clone();
        full.extend_from_slice(&path[from.len()..]);
        Some(full)
    }
}

/// A dotted path's parts as Helm's `parsePath` splits it (empty parts kept: `a..b` is `a`,
/// `` and `b`); `.` is the root.
fn parts(dotted: &str) -> Vec<String> {
    if dotted == "." {
        return Vec::new();
    }
    dotted.split('.').map(str::to_string).collect()
}

/// `node` at `path` in `values` unless something is there (the maps on the way made).
fn add_at(values: &mut Map, path: &[String], node: Node) {
    if let Some((map, last)) = parent_map(values, path)
        && map.get(last).is_none()
    {
        map.insert(last.clone(), node);
    }
}

/// A null at `path` in `values`, whatever was there (the maps on the way made).
fn null_at(values: &mut Map, path: &[String]) {
    if let Some((map, last)) = parent_map(values, path) {
        map.insert(last.clone(), Node::new(Value::Null, Origin::Synthetic));
    }
}

/// The map that holds `path`'s last key, made along the way where missing (none where a value
/// on the way is no map), and that key.
fn parent_map<'m, 'p>(
    values: &'m mut Map,
    path: &'p [String],
) -> Option<(&'m mut Map, &'p String)> {
    let (last, ancestors) = path.split_last()?;
    let mut map = values;
    for part in ancestors {
        if map.get(part).is_none() {
            map.insert(
                part.clone(),
                Node::new(Value::Map(Map::new()), Origin::Synthetic),
            );
        }
        match map.get_mut(part).map(|n| &mut n.value) {
            Some(Value::Map(m)) => map = m,
            _ => return None,
        }
    }
    Some((map, last))
}

/// Helm's `Values.Table`: the map at a dotted path, or the first key on the way that is no
/// map (an empty one too: `a..b` is looked up as `a`, `` and `b`).
fn table(values: &Map, dotted: &str) -> Result<Map, String> {
    let mut map = values;
    for part in dotted.split('.') {
        map = map
            .get(part)
            .and_then(Node::as_map)
            .ok_or_else(|| part.to_string())?;
    }
    Ok(map.clone())
}

/// Helm's warning for an import whose table is not there (`ErrNoTable` names the key).
fn missing_table(iv: &ImportValue, chart: &str, key: &str, helm: HelmVersion) -> String {
    let warning = match iv {
        ImportValue::Map { .. } => helm_log::DependencyWarning::MissingChild {
            chart,
            missing: key,
        },
        ImportValue::Exports(_) => helm_log::DependencyWarning::MissingExport { missing: key },
    };
    warning.logged(helm.build().dependencies_log_lines(), helm.is_v4())
}

/// Helm's `pathToMap`: `a.b` and a table become `{a: {b: table}}`; `.` is the table itself.
fn path_to_map(path: &str, table: Map) -> Map {
    if path == "." {
        return table;
    }
    let parts = parts(path);
    let mut node = Node::new(Value::Map(table), Origin::Synthetic);
    for part in parts.iter().skip(1).rev() {
        let mut m = Map::new();
        m.insert(part.to_string(), node);
        node = Node::new(Value::Map(m), Origin::Synthetic);
    }
    let mut top = Map::new();
    if let Some(first) = parts.first() {
        top.insert(first.to_string(), node);
    }
    top
}

/// Helm's `MergeTables(dst, src)`: `dst` wins; maps merge deeply; nulls are kept.
fn merge_tables(dst: &mut Map, src: Map) {
    for (k, sv) in src {
        match dst.get_mut(&k) {
            None => {
                dst.insert(k, sv);
            }
            Some(dv) => {
                if let (Value::Map(d), Value::Map(s)) = (&mut dv.value, sv.value) {
                    merge_tables(d, s);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Node {
        Node::new(Value::Str(v.into()), Origin::Synthetic)
    }
    fn m(entries: Vec<(&str, Node)>) -> Node {
        Node::new(
            Value::Map(entries.into_iter().map(|(k, v)| (k.into(), v)).collect()),
            Origin::Synthetic,
        )
    }

    #[test]
    fn path_to_map_and_merge_tables() {
        let table = m(vec![("x", s("1"))]).as_map().cloned().unwrap();
        let nested = path_to_map("a.b", table.clone());
        assert_eq!(table_of(&nested, "a.b"), Ok(table.clone()));
        assert_eq!(path_to_map(".", table.clone()), table);
        let mut dst = m(vec![("a", m(vec![("b", m(vec![("x", s("mine"))]))]))])
            .as_map()
            .cloned()
            .unwrap();
        let src = path_to_map(
            "a.b",
            m(vec![("x", s("1")), ("y", s("2"))])
                .as_map()
                .cloned()
                .unwrap(),
        );
        merge_tables(&mut dst, src);
        let b = table_of(&dst, "a.b").unwrap();
        assert_eq!(b["x"].value, Value::Str("mine".into()));
        assert_eq!(b["y"].value, Value::Str("2".into()));
    }

    fn table_of(m: &Map, p: &str) -> Result<Map, String> {
        table(m, p)
    }
}

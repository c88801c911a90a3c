//! Helm before 3.13: dependencies and values on Go's shared maps.
//!
//! Until 3.13 (helm/helm #12162) Helm coalesced without copying a chart's values:
//! `coalesceValues` puts the chart's own maps into the values it builds, and later steps change
//! those maps in place. So the first pass, which decides the subcharts (`processDependencyEnabled`),
//! deletes a parent's `null` over a subchart default from the parent's values.yaml before the
//! render's pass sees it (the default comes back), and fills the parent's table for a subchart
//! that is then switched off with that subchart's defaults. The import step reads the same shared
//! tables, and its parent keeps its own values over imported ones (from 3.9).
//!
//! Those are effects of sharing, not rules, so this module runs Helm's steps as Helm 3.12 wrote
//! them (`ProcessDependencies`, then `ToRenderValues`' `CoalesceValues`) on maps that are shared
//! references ([`Table`]), and copies the result into a [`Map`] at the end. Go walks maps in a
//! random order; this walks them by key (no chart we know depends on the order).

use std::cell::RefCell;
use std::rc::Rc;

use super::CoalesceError;
use crate::chart::Chart;
use crate::chart::content::ImportValue;
use crate::helm_build::HelmBuild;
use crate::helm_log;
use crate::sorted_map::SortedMap;
use crate::value::{Map, Node, Origin, Value};

/// Deeper than this, a walk stops: values come from YAML nested at most 200 levels, and a
/// path an import writes to adds its parts; more only comes from an import that puts a table
/// inside itself (Helm then loops; we stop).
const MAX_DEPTH: usize = 1000;

/// Values copied out of the shared maps at most: an import can make one table appear under
/// many keys, and each appearance is copied.
const MAX_NODES: usize = 5_000_000;

/// Steps (a value looked at while merging or copying) one release may take: a table that an
/// import put inside itself twice doubles the work at every level (Helm 3.12 never ends there).
const MAX_STEPS: usize = 20_000_000;

/// What Helm 3.12 computes for a release: the values the templates see and the subcharts that
/// render.
pub(crate) struct Outcome {
    pub(crate) values: Map,
    /// Dotted dependency paths of the subcharts that deploy (and declared dependencies no
    /// subchart stands for that stay on).
    pub(crate) enabled: Vec<String>,
    /// Dotted dependency paths of the subcharts switched off, and everything below them.
    pub(crate) disabled: Vec<String>,
    /// Stand-in subcharts the values would deploy but the render leaves out.
    pub(crate) left_out: Vec<(String, std::sync::Arc<str>)>,
    /// What Helm logs on the way, in its order.
    pub(crate) log: Vec<String>,
    /// The error that stops Helm.
    pub(crate) failure: Option<CoalesceError>,
}

/// Helm `build`'s `ProcessDependencies(chart, user)` and `CoalesceValues(chart, user)`.
pub(crate) fn release(chart: &Chart, user: &Map, build: HelmBuild) -> Outcome {
    let mut run = Run {
        build,
        log: Vec::new(),
        left_out: Vec::new(),
        disabled: Vec::new(),
        steps_left: MAX_STEPS,
    };
    let mut tree = GChart::new(chart, "", &mut SharedValues::default());
    let user = Table::from_map(user, Origin::Synthetic);
    let result = run
        .process_dependency_enabled(&mut tree, &user, "")
        .and_then(|()| run.process_dependency_import_values(&mut tree, 0))
        .and_then(|()| run.coalesce_values(&tree, Some(&user)));
    let mut enabled = Vec::new();
    tree.enabled_paths("", &mut enabled);
    let result = result.and_then(|v| {
        if run.steps_left == 0 {
            Err(too_large())
        } else {
            Ok(v)
        }
    });
    let (values, failure) = match result {
        Ok(values) => {
            let mut budget = MAX_NODES;
            match values.to_map(0, &mut budget) {
                Some(map) => (map, None),
                None => (Map::new(), Some(too_large())),
            }
        }
        Err(e) => (Map::new(), Some(e)),
    };
    Outcome {
        values,
        enabled,
        disabled: run.disabled,
        left_out: run.left_out,
        log: run.log,
        failure,
    }
}

fn too_large() -> CoalesceError {
    CoalesceError {
        message: format!(
            "the values take more than {MAX_NODES} values or {MAX_STEPS} steps to merge (an import that puts a table inside itself?)"
        ),
        path: String::new(),
        origin: Origin::Synthetic,
    }
}

/// A Go `map[string]interface{}`: every holder of a `Table` sees what any of them changes.
#[derive(Clone)]
struct Table(Rc<RefCell<Entries>>);

struct Entries {
    map: SortedMap<String, Val>,
    origin: Origin,
}

/// A value in a [`Table`]: another table, or anything else (a `null` included).
#[derive(Clone)]
enum Val {
    Table(Table),
    Other(Node),
}

impl Val {
    fn from_node(node: &Node) -> Val {
        match &node.value {
            Value::Map(m) => Val::Table(Table::from_map(m, node.origin.clone())),
            _ => Val::Other(node.clone()),
        }
    }

    fn is_nil(&self) -> bool {
        matches!(
            self,
            Val::Other(Node {
                value: Value::Null,
                ..
            })
        )
    }

    fn table(&self) -> Option<&Table> {
        match self {
            Val::Table(t) => Some(t),
            Val::Other(_) => None,
        }
    }
}

impl Table {
    fn new(origin: Origin) -> Table {
        Table(Rc::new(RefCell::new(Entries {
            map: SortedMap::new(),
            origin,
        })))
    }

    /// A fresh table holding a copy of `map` (Go's `copystructure.Copy`).
    fn from_map(map: &Map, origin: Origin) -> Table {
        let t = Table::new(origin);
        {
            let mut e = t.0.borrow_mut();
            for (k, n) in map {
                e.map.insert(k.clone(), Val::from_node(n));
            }
        }
        t
    }

    fn get(&self, key: &str) -> Option<Val> {
        self.0.borrow().map.get(key).cloned()
    }

    fn set(&self, key: &str, val: Val) {
        self.0.borrow_mut().map.insert(key.to_string(), val);
    }

    fn delete(&self, key: &str) {
        self.0.borrow_mut().map.remove(key);
    }

    /// The entries as they are now: Go's range over a map, which this walks while the loop
    /// body changes the same map (or one it shares).
    fn entries(&self) -> Vec<(String, Val)> {
        let e = self.0.borrow();
        e.map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    fn origin(&self) -> Origin {
        self.0.borrow().origin.clone()
    }

    /// Go's `copystructure.Copy`: every table below copied too (each value a step of `steps`).
    fn deep_copy(&self, depth: usize, steps: &mut usize) -> Table {
        let copy = Table::new(self.origin());
        for (k, v) in self.entries() {
            if *steps == 0 {
                break;
            }
            *steps -= 1;
            let v = match v {
                Val::Table(t) if depth < MAX_DEPTH => Val::Table(t.deep_copy(depth + 1, steps)),
                Val::Table(_) => Val::Table(Table::new(Origin::Synthetic)),
                other => other,
            };
            copy.set(&k, v);
        }
        copy
    }

    /// Go's `copyMap`: a new table holding the same values.
    fn shallow_copy(&self) -> Table {
        let e = self.0.borrow();
        Table(Rc::new(RefCell::new(Entries {
            map: e.map.clone(),
            origin: e.origin.clone(),
        })))
    }

    /// `Values.Table(dotted)`: the table at a path (split at every `.`), or the key where the
    /// walk found none.
    fn table_at(&self, dotted: &str) -> Result<Table, String> {
        let mut t = self.clone();
        for part in dotted.split('.') {
            let next = t.get(part).and_then(|v| v.table().cloned());
            t = next.ok_or_else(|| part.to_string())?;
        }
        Ok(t)
    }

    /// `Values.PathValue`: the value at a dotted path that is no table.
    fn path_value(&self, dotted: &str) -> Option<Val> {
        let (parents, key) = match dotted.rsplit_once('.') {
            Some((p, k)) => (Some(p), k),
            None => (None, dotted),
        };
        let t = match parents {
            Some(p) => self.table_at(p).ok()?,
            None => self.clone(),
        };
        t.get(key).filter(|v| v.table().is_none())
    }

    fn to_map(&self, depth: usize, budget: &mut usize) -> Option<Map> {
        let mut out = Map::new();
        for (k, v) in self.entries() {
            *budget = budget.checked_sub(1)?;
            let node = match v {
                Val::Other(n) => n,
                Val::Table(t) if depth < MAX_DEPTH => {
                    Node::new(Value::Map(t.to_map(depth + 1, budget)?), t.origin())
                }
                Val::Table(_) => return None,
            };
            out.insert(k, node);
        }
        Some(out)
    }
}

/// The values maps of the subcharts: Helm's copy of a chart for an alias keeps the chart's
/// values map, so two aliases of one subchart share it (until the import step replaces it).
#[derive(Default)]
struct SharedValues {
    by_chart: Vec<(String, Table)>,
}

/// A chart as Helm's processing holds it: its dependencies (aliases applied), its switches and
/// its values, which the steps replace.
struct GChart<'c> {
    chart: &'c Chart,
    /// The name Helm gives it: its alias, else its name.
    name: String,
    values: Table,
    deps: Vec<GDep<'c>>,
    /// Declared dependencies no subchart stands for, and whether each stays on.
    unfilled: Vec<(&'c crate::chart::Switch, bool)>,
    /// Whether Chart.yaml declares dependencies (Helm skips the steps for a chart that does not).
    declares: bool,
}

struct GDep<'c> {
    dep: &'c crate::chart::Dependency,
    chart: GChart<'c>,
}

impl<'c> GChart<'c> {
    fn new(chart: &'c Chart, identity: &str, shared: &mut SharedValues) -> GChart<'c> {
        let values = match shared.by_chart.iter().find(|(id, _)| id == identity) {
            Some((_, t)) => t.clone(),
            None => {
                let origin = chart.values.origin.clone();
                let t = match &chart.values.value {
                    Value::Map(m) => Table::from_map(m, origin),
                    _ => Table::new(origin),
                };
                shared.by_chart.push((identity.to_string(), t.clone()));
                t
            }
        };
        let deps = (chart.dependencies.iter())
            .map(|dep| {
                let id = format!("{identity}/{}@{}", dep.chart.name, dep.chart.version);
                let mut sub = GChart::new(&dep.chart, &id, shared);
                sub.name = dep.key.clone();
                GDep { dep, chart: sub }
            })
            .collect();
        GChart {
            chart,
            name: chart.name.clone(),
            values,
            deps,
            unfilled: chart.unfilled.iter().map(|u| (u, true)).collect(),
            declares: chart.dependencies.iter().any(|d| d.declared) || !chart.unfilled.is_empty(),
        }
    }

    fn enabled_paths(&self, prefix: &str, out: &mut Vec<String>) {
        for d in &self.deps {
            let path = format!("{prefix}{}", d.dep.key);
            out.push(path.clone());
            d.chart.enabled_paths(&format!("{path}."), out);
        }
        for (u, on) in &self.unfilled {
            if *on {
                out.push(format!("{prefix}{}", u.key));
            }
        }
    }
}

struct Run {
    build: HelmBuild,
    log: Vec<String>,
    left_out: Vec<(String, std::sync::Arc<str>)>,
    disabled: Vec<String>,
    /// What is left of [`MAX_STEPS`].
    steps_left: usize,
}

impl Run {
    fn warn(&mut self, line: u16, text: String) {
        self.log.push(helm_log::warned(
            &format!("dependencies.go:{line}"),
            &text,
            ("", &[]),
            false,
        ));
    }

    /// `CoalesceValues(chart, vals)`: a copy of `vals` (or an empty table) with the chart's
    /// values and its subcharts' coalesced in.
    fn coalesce_values(
        &mut self,
        c: &GChart<'_>,
        vals: Option<&Table>,
    ) -> Result<Table, CoalesceError> {
        let dest = match vals {
            Some(v) => v.deep_copy(0, &mut self.steps_left),
            None => Table::new(Origin::Synthetic),
        };
        self.coalesce(c, dest, &mut Vec::new(), 0)
    }

    fn coalesce(
        &mut self,
        c: &GChart<'_>,
        dest: Table,
        keys: &mut Vec<String>,
        depth: usize,
    ) -> Result<Table, CoalesceError> {
        self.coalesce_own(c, &dest);
        self.coalesce_deps(c, dest, keys, depth)
    }

    fn coalesce_deps(
        &mut self,
        c: &GChart<'_>,
        dest: Table,
        keys: &mut Vec<String>,
        depth: usize,
    ) -> Result<Table, CoalesceError> {
        if depth > MAX_DEPTH {
            return Ok(dest);
        }
        for d in &c.deps {
            let name = &d.chart.name;
            let dv = match dest.get(name) {
                None => {
                    let t = Table::new(Origin::Synthetic);
                    dest.set(name, Val::Table(t.clone()));
                    t
                }
                Some(Val::Table(t)) => t,
                Some(Val::Other(node)) => return Err(type_mismatch(keys, name, &node)),
            };
            self.coalesce_globals(&dv, &dest);
            keys.push(name.clone());
            let result = self.coalesce(&d.chart, dv, keys, depth + 1);
            keys.pop();
            dest.set(name, Val::Table(result?));
        }
        Ok(dest)
    }

    /// `coalesceGlobals`: the parent's `global` (`src`'s) copied into the subchart's values
    /// (`dest`), the parent winning; its tables are copied one level deep, so the tables under
    /// them stay the parent's.
    fn coalesce_globals(&mut self, dest: &Table, src: &Table) {
        let dg = match dest.get("global") {
            None => Table::new(Origin::Synthetic),
            Some(Val::Table(t)) => t,
            Some(Val::Other(_)) => return,
        };
        let sg = match src.get("global") {
            None => Table::new(Origin::Synthetic),
            Some(Val::Table(t)) => t,
            Some(Val::Other(_)) => return,
        };
        // Before 3.7 every global key ended as the parent's value itself (helm/helm #9750).
        let leaks = !self.build.since((3, 7, 0));
        for (key, val) in sg.entries() {
            if let Val::Table(vt) = &val {
                let vv = vt.shallow_copy();
                match dg.get(&key) {
                    None => {
                        dg.set(&key, Val::Table(vv));
                        if leaks {
                            dg.set(&key, val.clone());
                        }
                    }
                    Some(Val::Table(destv)) => {
                        self.coalesce_tables(&vv, &destv, 0);
                        dg.set(&key, Val::Table(vv));
                    }
                    Some(Val::Other(_)) => {
                        if leaks {
                            dg.set(&key, val.clone());
                        }
                    }
                }
            } else if dg.get(&key).is_some_and(|v| v.table().is_some()) {
                // Helm logs "key … is table. Skipping".
            } else {
                dg.set(&key, val);
            }
        }
        dest.set("global", Val::Table(dg));
    }

    /// `coalesceValues`: the chart's own values fill in what `v` lacks (shared, not copied);
    /// a `null` in `v` deletes the key.
    fn coalesce_own(&mut self, c: &GChart<'_>, v: &Table) {
        for (key, val) in c.values.entries() {
            match v.get(&key) {
                Some(value) if value.is_nil() => v.delete(&key),
                Some(Val::Table(dest)) => {
                    if let Val::Table(src) = &val {
                        self.coalesce_tables(&dest, src, 0);
                    }
                }
                Some(Val::Other(_)) => {}
                None => v.set(&key, val),
            }
        }
    }

    /// `coalesceTablesFullKey(dst, src)`: `dst` wins; what it lacks is taken from `src`
    /// (shared); a `null` in `dst` deletes the key.
    fn coalesce_tables(&mut self, dst: &Table, src: &Table, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for (key, val) in src.entries() {
            if self.steps_left == 0 {
                return;
            }
            self.steps_left -= 1;
            match dst.get(&key) {
                Some(dv) if dv.is_nil() => dst.delete(&key),
                None => dst.set(&key, val),
                Some(Val::Table(dt)) => {
                    if let Val::Table(st) = &val {
                        self.coalesce_tables(&dt, st, depth + 1);
                    }
                }
                Some(Val::Other(_)) => {}
            }
        }
    }

    /// `processDependencyEnabled`: the subcharts whose tags and conditions (read from `v`
    /// coalesced with the chart, a first pass that changes the charts' maps) keep them, then
    /// the same for each of those, with that pass's values.
    fn process_dependency_enabled(
        &mut self,
        c: &mut GChart<'_>,
        v: &Table,
        path: &str,
    ) -> Result<(), CoalesceError> {
        if !c.declares {
            return Ok(());
        }
        let cvals = self.coalesce_values(c, Some(v))?;
        let tags = cvals.get("tags").and_then(|t| t.table().cloned());
        let lines = self.build.dependencies_log_lines();
        // Tags of every dependency first, then their conditions, as Helm logs them.
        let by_tags: Vec<bool> = (c.deps.iter().map(|d| (&d.dep.key, &d.dep.tags)))
            .chain(c.unfilled.iter().map(|(u, _)| (&u.key, &u.tags)))
            .map(|(key, t)| self.tags_enabled(key, t, tags.as_ref(), lines[1]))
            .collect();
        let by_cond: Vec<Option<bool>> = (c.deps.iter().map(|d| (&d.dep.key, &d.dep.conditions)))
            .chain(c.unfilled.iter().map(|(u, _)| (&u.key, &u.conditions)))
            .map(|(key, conds)| self.condition(key, conds, &cvals, path, lines[0]))
            .collect();
        let mut states = by_tags
            .into_iter()
            .zip(by_cond)
            .map(|(t, c)| c.unwrap_or(t));
        let deps = std::mem::take(&mut c.deps);
        for (d, on) in deps.into_iter().zip(&mut states) {
            let dotted = format!("{path}{}", d.dep.key);
            match (&d.dep.stand_in, on) {
                (None, true) => c.deps.push(d),
                (Some(note), true) => self.left_out.push((dotted, note.clone())),
                (_, false) => {
                    self.disabled.push(dotted.clone());
                    collect_all(
                        d.dep.chart.dependencies.as_slice(),
                        &dotted,
                        &mut self.disabled,
                    );
                }
            }
        }
        for ((_, on), state) in c.unfilled.iter_mut().zip(states) {
            *on = state;
        }
        for d in &mut c.deps {
            let sub_path = format!("{path}{}.", d.chart.name);
            self.process_dependency_enabled(&mut d.chart, &cvals, &sub_path)?;
        }
        Ok(())
    }

    fn tags_enabled(
        &mut self,
        key: &str,
        tags: &[String],
        table: Option<&Table>,
        line: u16,
    ) -> bool {
        let Some(table) = table else {
            return true;
        };
        let (mut any_true, mut any_false) = (false, false);
        for tag in tags {
            match table.get(tag) {
                None => {}
                Some(Val::Other(Node {
                    value: Value::Bool(b),
                    ..
                })) => {
                    any_true |= b;
                    any_false |= !b;
                }
                Some(_) => self.warn(
                    line,
                    format!("Warning: Tag '{tag}' for chart {key} returned non-bool value"),
                ),
            }
        }
        any_true || !any_false
    }

    fn condition(
        &mut self,
        key: &str,
        conditions: &[String],
        cvals: &Table,
        path: &str,
        line: u16,
    ) -> Option<bool> {
        for cond in conditions {
            match cvals.path_value(&format!("{path}{cond}")) {
                None => {}
                Some(Val::Other(Node {
                    value: Value::Bool(b),
                    ..
                })) => return Some(b),
                Some(_) => self.warn(
                    line,
                    format!(
                        "Warning: Condition path '{cond}' for chart {key} returned non-bool value"
                    ),
                ),
            }
        }
        None
    }

    /// `processDependencyImportValues`: the deepest charts first.
    fn process_dependency_import_values(
        &mut self,
        c: &mut GChart<'_>,
        depth: usize,
    ) -> Result<(), CoalesceError> {
        if depth > MAX_DEPTH {
            return Ok(());
        }
        for d in &mut c.deps {
            self.process_dependency_import_values(&mut d.chart, depth + 1)?;
        }
        self.process_import_values(c)
    }

    /// `processImportValues`: the chart's values become its values coalesced with its
    /// subcharts' (nulls gone), with the imported tables filling in what the chart lacks.
    fn process_import_values(&mut self, c: &mut GChart<'_>) -> Result<(), CoalesceError> {
        let runs = c.deps.iter().any(|d| d.dep.declared) || c.unfilled.iter().any(|(_, on)| *on);
        if !c.declares || !runs {
            return Ok(());
        }
        let cvals = self.coalesce_values(c, None)?;
        let lines = self.build.dependencies_log_lines();
        let mut b = Table::new(Origin::Synthetic);
        let declared = c
            .chart
            .content
            .as_ref()
            .map(|content| &content.metadata.dependencies);
        for d in declared.into_iter().flatten() {
            let key = if d.alias.is_empty() {
                &d.name
            } else {
                &d.alias
            };
            let on = c.deps.iter().any(|x| x.dep.declared && &x.dep.key == key)
                || c.unfilled.iter().any(|(u, on)| *on && &u.key == key);
            if !on {
                continue;
            }
            for iv in &d.import_values {
                match iv {
                    ImportValue::Map { child, parent } => {
                        match cvals.table_at(&format!("{key}.{child}")) {
                            Ok(vv) => {
                                let src = path_to_map(parent, vv);
                                self.coalesce_tables(&cvals, &src, 0);
                                b = cvals.clone();
                            }
                            Err(missing) => self.warn(
                                lines[2],
                                format!(
                                    "Warning: ImportValues missing table from chart {key}: {} is not a table",
                                    crate::template::fmt::quote(&missing)
                                ),
                            ),
                        }
                    }
                    ImportValue::Exports(name) => {
                        match cvals.table_at(&format!("{key}.exports.{name}")) {
                            Ok(vm) => self.coalesce_tables(&b, &vm, 0),
                            Err(missing) => self.warn(
                                lines[3],
                                format!(
                                    "Warning: ImportValues missing table: {} is not a table",
                                    crate::template::fmt::quote(&missing)
                                ),
                            ),
                        }
                    }
                }
            }
        }
        // 3.9 let the parent's values win over imported ones (helm/helm #10155).
        if self.build.since((3, 9, 0)) {
            self.coalesce_tables(&cvals, &b, 0);
            c.values = cvals;
        } else {
            self.coalesce_tables(&b, &cvals, 0);
            c.values = b;
        }
        Ok(())
    }
}

/// `pathToMap`: `a.b` and a table become `{a: {b: table}}` (every part kept, empty ones too);
/// `.` is the table itself.
fn path_to_map(path: &str, table: Table) -> Table {
    if path == "." {
        return table;
    }
    let mut cur = table;
    for part in path.split('.').rev() {
        let t = Table::new(Origin::Synthetic);
        t.set(part, Val::Table(cur));
        cur = t;
    }
    cur
}

fn collect_all(deps: &[crate::chart::Dependency], prefix: &str, out: &mut Vec<String>) {
    for dep in deps {
        let path = format!("{prefix}.{}", dep.key);
        out.push(path.clone());
        collect_all(&dep.chart.dependencies, &path, out);
    }
}

fn type_mismatch(keys: &[String], key: &str, node: &Node) -> CoalesceError {
    let path: Vec<&str> = keys.iter().map(String::as_str).chain([key]).collect();
    super::type_mismatch(&path[..path.len() - 1], key, node)
}

//! Helm's values steps, ported: dependencies and values on Go's shared maps.
//!
//! Until 3.13 (helm/helm #12162) Helm coalesced without copying a chart's values:
//! `coalesceValues` puts the chart's own maps into the values it builds, and later steps change
//! those maps in place. So the first pass, which decides the subcharts (`processDependencyEnabled`),
//! deletes a parent's `null` over a subchart default from the parent's values.yaml before the
//! render's pass sees it (the default comes back), and fills the parent's table for a subchart
//! that is then switched off with that subchart's defaults. The import step reads the same shared
//! tables, and its parent keeps its own values over imported ones (from 3.9).
//!
//! Later releases copy, but change the rules of nulls again and again ([`Rules`]): 3.19.5 and
//! 4.0 write the destination's nulls into the source table, 3.20.1 and 4.1.3 keep a null over a
//! key the source did not have, 4.2 drops the chart's own nulls while coalescing (so a parent's
//! `null` no longer deletes a subchart default unless the user's values reach that table).
//!
//! Those are effects of Go's code, not rules one could model once, so this module runs Helm's
//! steps as each release wrote them (`ProcessDependencies`, then `ToRenderValues`'
//! `CoalesceValues`) on maps that are shared references ([`Table`]), and copies the result into a
//! [`Map`] at the end. Go walks maps in a random order; this walks them by key (no chart we know
//! depends on the order). [`crate::merge`]'s faster model serves the releases it was proven on
//! ([`HelmVersion::modelled`](crate::merge::HelmVersion::modelled)).

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
const MAX_STEPS: usize = 5_000_000;

/// What each release's `coalesce.go` and `dependencies.go` do differently.
#[derive(Clone, Copy)]
struct Rules {
    /// 3.13: `coalesceValues` deep-copies the chart's values, and the steps take a `merge` flag
    /// (the import step merges, nulls kept).
    copies: bool,
    /// 3.13.0 only: the import step lets imported values win over the parent's.
    imports_win: bool,
    /// 3.9 to 3.12: the parent's values win over imported ones (before 3.9 the imports).
    parent_wins: bool,
    /// 3.17.1 (helm/helm #12879): a subchart's key in a parent's values merges, nulls kept.
    child_merges: bool,
    /// 3.19.5 and 4.0: `coalesceTablesFullKey` writes the destination's nulls into the source.
    nulls_into_source: bool,
    /// 3.20.1 and 4.1.3: a null deletes only a key the source had with a value.
    null_needs_source_value: bool,
    /// 4.2: coalescing drops the chart's own nulls (`cleanNilValues`).
    cleans_chart_nulls: bool,
    /// Before 3.7 every global key ends as the parent's value itself (helm/helm #9750).
    leaks_globals: bool,
    /// 3.8: warnings name a key by its whole path (and put the ignored value in parentheses).
    full_keys: bool,
    /// 3.5: a chart default that is null is no value to warn about.
    quiet_nil_defaults: bool,
    /// Where `coalesce.go` logs each warning.
    lines: CoalesceLines,
}

/// The lines of `coalesce.go`'s `printf` calls in a release.
#[derive(Clone, Copy)]
struct CoalesceLines {
    global_dest: u16,
    global_src: u16,
    global_conflict: u16,
    global_table: u16,
    skipped: u16,
    overwrite: u16,
    destination: u16,
}

impl CoalesceLines {
    fn of(build: HelmBuild) -> CoalesceLines {
        // (first release, lines), newest first; the source of every 3.x tag read for them.
        type Since = (u8, u8, u16);
        const TABLE: &[(Since, [u16; 7])] = &[
            ((3, 20, 1), [138, 145, 161, 175, 237, 316, 319]),
            ((3, 19, 5), [138, 145, 161, 175, 237, 303, 306]),
            ((3, 17, 1), [138, 145, 161, 175, 237, 298, 301]),
            ((3, 13, 0), [138, 145, 161, 175, 237, 286, 289]),
            ((3, 8, 0), [105, 112, 128, 139, 175, 220, 223]),
            ((3, 7, 0), [94, 101, 117, 127, 162, 199, 202]),
            ((3, 5, 0), [94, 101, 117, 128, 163, 200, 203]),
            ((3, 2, 3), [94, 101, 117, 128, 160, 196, 199]),
            ((3, 2, 2), [94, 101, 117, 128, 160, 192, 195]),
            ((3, 2, 1), [94, 101, 117, 128, 160, 196, 199]),
            ((3, 2, 0), [94, 101, 117, 128, 160, 192, 195]),
            ((3, 0, 0), [99, 106, 122, 133, 165, 196, 199]),
        ];
        let l = TABLE
            .iter()
            .find(|(since, _)| build.since(*since))
            .map_or(TABLE[TABLE.len() - 1].1, |(_, l)| *l);
        CoalesceLines {
            global_dest: l[0],
            global_src: l[1],
            global_conflict: l[2],
            global_table: l[3],
            skipped: l[4],
            overwrite: l[5],
            destination: l[6],
        }
    }
}

impl Rules {
    fn of(build: HelmBuild) -> Rules {
        let helm4 = build.is_helm4();
        Rules {
            copies: build.since((3, 13, 0)),
            imports_win: build.since((3, 13, 0)) && !build.since((3, 13, 1)),
            parent_wins: build.since((3, 9, 0)),
            child_merges: build.since((3, 17, 1)),
            nulls_into_source: helm4 || build.since((3, 19, 5)),
            null_needs_source_value: build.since((4, 1, 3)) || (!helm4 && build.since((3, 20, 1))),
            cleans_chart_nulls: build.since((4, 2, 0)),
            leaks_globals: !build.since((3, 7, 0)),
            full_keys: build.since((3, 8, 0)),
            quiet_nil_defaults: build.since((3, 5, 0)),
            lines: CoalesceLines::of(build),
        }
    }
}

/// What Helm computes for a release: the values the templates see and the subcharts that render.
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

/// Helm's `ProcessDependencies(chart, user)` and `CoalesceValues(chart, user)` as `build` ran them.
pub(crate) fn release(chart: &Chart, user: &Map, build: HelmBuild) -> Outcome {
    let mut run = Run {
        build,
        rules: Rules::of(build),
        log: Vec::new(),
        left_out: Vec::new(),
        disabled: Vec::new(),
        steps_left: MAX_STEPS,
        global_copies: 0,
    };
    let mut tree = GChart::new(chart, "", &mut SharedValues::default());
    let user = Table::from_map(user, Origin::Synthetic);
    let result = run
        .process_dependency_enabled(&mut tree, &user, "")
        .and_then(|()| run.process_dependency_import_values(&mut tree, 0))
        .and_then(|()| run.coalesce_values(&tree, Some(&user), false));
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
        budget: true,
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
    /// Never changed in place, so copies share it.
    Other(Rc<Node>),
}

impl Val {
    fn from_node(node: &Node) -> Val {
        match &node.value {
            Value::Map(m) => Val::Table(Table::from_map(m, node.origin.clone())),
            _ => Val::Other(Rc::new(node.clone())),
        }
    }

    fn is_nil(&self) -> bool {
        matches!(self, Val::Other(n) if matches!(n.value, Value::Null))
    }

    /// The boolean this value is, if it is one.
    fn as_bool(&self) -> Option<bool> {
        match self {
            Val::Other(n) => match n.value {
                Value::Bool(b) => Some(b),
                _ => None,
            },
            Val::Table(_) => None,
        }
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

    /// Helm 4.2's `cleanNilValues`: every null below deleted, in place.
    fn clean_nils(&self, depth: usize) {
        for (key, val) in self.entries() {
            match val {
                v if v.is_nil() => self.delete(&key),
                Val::Table(t) if depth < MAX_DEPTH => t.clean_nils(depth + 1),
                _ => {}
            }
        }
    }

    /// The values in this table and below (maps and lists count), counted up to `most`
    /// and a little past it.
    fn values_in(&self, most: usize) -> usize {
        let mut n = 0;
        for (_, v) in self.0.borrow().map.iter() {
            if n > most {
                break;
            }
            n += 1;
            if let Val::Table(t) = v {
                n += t.values_in(most - n.min(most));
            }
        }
        n
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
                Val::Other(n) => Node::clone(&n),
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
    /// Whether `processDependencyEnabled` ran for it (it does not below a chart that declares no
    /// dependencies): its dependencies then carry their aliases and are the ones that stay on.
    processed: bool,
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
            // Helm stops only where `Metadata.Dependencies` is nil: `dependencies: []` runs the
            // steps (one more coalescing, its warnings printed again).
            declares: chart.dependencies.iter().any(|d| d.declared)
                || !chart.unfilled.is_empty()
                || chart
                    .content
                    .as_ref()
                    .is_some_and(|c| c.metadata.dependencies_set),
            processed: false,
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
    rules: Rules,
    log: Vec<String>,
    left_out: Vec<(String, std::sync::Arc<str>)>,
    disabled: Vec<String>,
    /// What is left of [`MAX_STEPS`].
    steps_left: usize,
    /// Values of `global` copied into subcharts so far (see
    /// [`crate::merge::MAX_GLOBAL_COPIES`]).
    global_copies: usize,
}

impl Run {
    /// A warning of `dependencies.go`, as this release logs it.
    fn dependency_warning(&mut self, warning: helm_log::DependencyWarning<'_>) {
        let line = warning.logged(self.build.dependencies_log_lines(), self.build.is_helm4());
        self.log.push(line);
    }

    /// `CoalesceValues(chart, vals)` (`merge`: 3.13's `MergeValues`, nulls kept): a copy of
    /// `vals` (or an empty table) with the chart's values and its subcharts' coalesced in.
    fn coalesce_values(
        &mut self,
        c: &GChart<'_>,
        vals: Option<&Table>,
        merge: bool,
    ) -> Result<Table, CoalesceError> {
        // Each pass copies `global` anew (Helm's garbage, and ours, once the pass is done).
        self.global_copies = 0;
        let dest = match vals {
            Some(v) => v.deep_copy(0, &mut self.steps_left),
            None => Table::new(Origin::Synthetic),
        };
        self.coalesce(c, dest, (&mut Vec::new(), ""), 0, merge)
    }

    /// `coalesce(chart, dest, prefix)`; `keys` is the path of `dest` below the top (for the
    /// type error), `prefix` the one Helm's warnings name (it starts with the top chart's name).
    fn coalesce(
        &mut self,
        c: &GChart<'_>,
        dest: Table,
        (keys, prefix): (&mut Vec<String>, &str),
        depth: usize,
        merge: bool,
    ) -> Result<Table, CoalesceError> {
        self.coalesce_own(c, &dest, prefix, merge);
        self.coalesce_deps(c, dest, (keys, prefix), depth, merge)
    }

    fn coalesce_deps(
        &mut self,
        c: &GChart<'_>,
        dest: Table,
        (keys, prefix): (&mut Vec<String>, &str),
        depth: usize,
        merge: bool,
    ) -> Result<Table, CoalesceError> {
        if depth > MAX_DEPTH {
            return Ok(dest);
        }
        let sub_prefix = concat_prefix(prefix, &c.name);
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
            self.coalesce_globals(&dv, &dest, &sub_prefix)?;
            keys.push(name.clone());
            let result = self.coalesce(&d.chart, dv, (keys, &sub_prefix), depth + 1, merge);
            keys.pop();
            dest.set(name, Val::Table(result?));
        }
        Ok(dest)
    }

    /// `coalesceGlobals`: the parent's `global` (`src`'s) copied into the subchart's values
    /// (`dest`), the parent winning; its tables are copied one level deep, so the tables under
    /// them stay the parent's.
    fn coalesce_globals(
        &mut self,
        dest: &Table,
        src: &Table,
        prefix: &str,
    ) -> Result<(), CoalesceError> {
        if let Some(Val::Table(global)) = src.get("global") {
            let left = crate::merge::MAX_GLOBAL_COPIES.saturating_sub(self.global_copies);
            let n = global.values_in(left + 1);
            self.global_copies += n;
            if n > left {
                let n = global.values_in(usize::MAX);
                return Err(crate::merge::too_many_global_copies(n, global.origin()));
            }
        }
        let lines = self.rules.lines;
        let dg = match dest.get("global") {
            None => Table::new(Origin::Synthetic),
            Some(Val::Table(t)) => t,
            Some(Val::Other(_)) => {
                let text = "warning: skipping globals because destination global is not a table.";
                self.coalesce_log(lines.global_dest, text.into());
                return Ok(());
            }
        };
        let sg = match src.get("global") {
            None => Table::new(Origin::Synthetic),
            Some(Val::Table(t)) => t,
            Some(Val::Other(_)) => {
                let text = "warning: skipping globals because source global is not a table.";
                self.coalesce_log(lines.global_src, text.into());
                return Ok(());
            }
        };
        let leaks = self.rules.leaks_globals;
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
                        // Merging from 3.13: the render's pass deletes the nulls.
                        let at = concat_prefix(prefix, &key);
                        self.coalesce_tables(&vv, &destv, &at, 0, self.rules.copies);
                        dg.set(&key, Val::Table(vv));
                    }
                    Some(Val::Other(_)) => {
                        let text = format!(
                            "Conflict: cannot merge map onto non-map for {}. Skipping.",
                            crate::template::fmt::quote(&key)
                        );
                        self.coalesce_log(lines.global_conflict, text);
                        if leaks {
                            dg.set(&key, val.clone());
                        }
                    }
                }
            } else if dg.get(&key).is_some_and(|v| v.table().is_some()) {
                self.coalesce_log(lines.global_table, format!("key {key} is table. Skipping"));
            } else {
                dg.set(&key, val);
            }
        }
        dest.set("global", Val::Table(dg));
        Ok(())
    }

    /// `coalesceValues`: the chart's own values (shared before 3.13, a copy since) fill in
    /// what `v` lacks; a `null` in `v` deletes the key unless merging.
    fn coalesce_own(&mut self, c: &GChart<'_>, v: &Table, prefix: &str, merge: bool) {
        let vc = if self.rules.copies {
            c.values.deep_copy(0, &mut self.steps_left)
        } else {
            c.values.clone()
        };
        let sub_prefix = concat_prefix(prefix, &c.name);
        let cleans = self.rules.cleans_chart_nulls && !merge;
        for (key, val) in vc.entries() {
            match v.get(&key) {
                Some(value) if value.is_nil() && !merge => v.delete(&key),
                Some(Val::Table(dest)) => match &val {
                    Val::Table(src) => {
                        let merge = merge
                            || (self.rules.child_merges
                                && c.deps.iter().any(|d| d.chart.name == key));
                        if self.rules.cleans_chart_nulls && !merge {
                            src.clean_nils(0);
                        }
                        let at = concat_prefix(&sub_prefix, &key);
                        self.coalesce_tables(&dest, src, &at, 0, merge);
                    }
                    other if !other.is_nil() || !self.rules.quiet_nil_defaults => {
                        let shown = self.shown_key(format!("{sub_prefix}.{key}"), &key);
                        let text = format!("warning: skipped value for {shown}: Not a table.");
                        self.coalesce_log(self.rules.lines.skipped, text);
                    }
                    _ => {}
                },
                Some(Val::Other(_)) => {}
                None if cleans && val.is_nil() => {}
                None => {
                    if let (true, Val::Table(t)) = (cleans, &val) {
                        t.clean_nils(0);
                    }
                    v.set(&key, val);
                }
            }
        }
    }

    /// `coalesceTablesFullKey(dst, src, prefix)`: `dst` wins; what it lacks is taken from `src`
    /// (shared); a `null` in `dst` deletes the key unless merging (since 3.20.1 and 4.1.3 only
    /// a key `src` had with a value; since 3.19.5 and 4.0 `dst`'s nulls are first written into
    /// `src`). A table meeting a value that is none is logged and left.
    fn coalesce_tables(
        &mut self,
        dst: &Table,
        src: &Table,
        prefix: &str,
        depth: usize,
        merge: bool,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let had_value: std::collections::HashSet<String> = if self.rules.null_needs_source_value {
            (src.entries().into_iter())
                .filter(|(_, v)| !v.is_nil())
                .map(|(k, _)| k)
                .collect()
        } else {
            std::collections::HashSet::new()
        };
        if self.rules.nulls_into_source {
            for (key, val) in dst.entries() {
                if val.is_nil() {
                    src.set(&key, val);
                }
            }
        }
        for (key, val) in src.entries() {
            if self.steps_left == 0 {
                return;
            }
            self.steps_left -= 1;
            let full_key = || concat_prefix(prefix, &key);
            match dst.get(&key) {
                Some(dv)
                    if dv.is_nil()
                        && !merge
                        && (!self.rules.null_needs_source_value || had_value.contains(&key)) =>
                {
                    dst.delete(&key)
                }
                None => dst.set(&key, val),
                Some(Val::Table(dt)) => match &val {
                    Val::Table(st) => self.coalesce_tables(&dt, st, &full_key(), depth + 1, merge),
                    other if !other.is_nil() || !self.rules.quiet_nil_defaults => {
                        let shown = self.shown_key(full_key(), &key);
                        let text = if self.rules.full_keys {
                            format!(
                                "warning: destination for {shown} is a table. Ignoring non-table value ({})",
                                go_v(other)
                            )
                        } else {
                            format!(
                                "warning: destination for {shown} is a table. Ignoring non-table value {}",
                                go_v(other)
                            )
                        };
                        self.coalesce_log(self.rules.lines.destination, text);
                    }
                    _ => {}
                },
                Some(Val::Other(_)) => {
                    if let Val::Table(_) = &val {
                        let shown = self.shown_key(full_key(), &key);
                        let text = format!(
                            "warning: cannot overwrite table with non table for {shown} ({})",
                            go_v(&val)
                        );
                        self.coalesce_log(self.rules.lines.overwrite, text);
                    }
                }
            }
        }
    }

    /// A key as a warning names it: its whole path from 3.8, itself before.
    fn shown_key(&self, full: String, key: &str) -> String {
        if self.rules.full_keys {
            full
        } else {
            key.to_string()
        }
    }

    /// A `log.Printf` of `coalesce.go` at `line` (Helm 4: slog's `level=INFO`).
    fn coalesce_log(&mut self, line: u16, text: String) {
        self.log.push(helm_log::logged(
            &format!("coalesce.go:{line}"),
            &text,
            self.build.is_helm4(),
        ));
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
        c.processed = true;
        let cvals = self.coalesce_values(c, Some(v), false)?;
        let tags = cvals.get("tags").and_then(|t| t.table().cloned());
        // Tags of every dependency first, then their conditions, as Helm logs them.
        let by_tags: Vec<bool> = (c.deps.iter().map(|d| (&d.dep.key, &d.dep.tags)))
            .chain(c.unfilled.iter().map(|(u, _)| (&u.key, &u.tags)))
            .map(|(key, t)| self.tags_enabled(key, t, tags.as_ref()))
            .collect();
        let by_cond: Vec<Option<bool>> = (c.deps.iter().map(|d| (&d.dep.key, &d.dep.conditions)))
            .chain(c.unfilled.iter().map(|(u, _)| (&u.key, &u.conditions)))
            .map(|(key, conds)| self.condition(key, conds, &cvals, path))
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

    fn tags_enabled(&mut self, key: &str, tags: &[String], table: Option<&Table>) -> bool {
        let Some(table) = table else {
            return true;
        };
        let (mut any_true, mut any_false) = (false, false);
        for tag in tags {
            match table.get(tag).map(|v| (v.as_bool(), v)) {
                None => {}
                Some((Some(b), _)) => {
                    any_true |= b;
                    any_false |= !b;
                }
                Some(_) => {
                    self.dependency_warning(helm_log::DependencyWarning::Tag { tag, chart: key })
                }
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
    ) -> Option<bool> {
        for cond in conditions {
            match cvals
                .path_value(&format!("{path}{cond}"))
                .map(|v| v.as_bool())
            {
                None => {}
                Some(Some(b)) => return Some(b),
                Some(None) => self.dependency_warning(helm_log::DependencyWarning::Condition {
                    path: cond,
                    chart: key,
                }),
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
    /// subcharts' (nulls gone; from 3.13 merged, nulls kept), with the imported tables filling
    /// in what the chart lacks.
    fn process_import_values(&mut self, c: &mut GChart<'_>) -> Result<(), CoalesceError> {
        let runs = c.deps.iter().any(|d| d.dep.declared) || c.unfilled.iter().any(|(_, on)| *on);
        if !c.declares || !runs {
            return Ok(());
        }
        let merge = self.rules.copies;
        let cvals = self.coalesce_values(c, None, merge)?;
        let mut b = Table::new(Origin::Synthetic);
        let declared = c
            .chart
            .content
            .as_ref()
            .map(|content| &content.metadata.dependencies);
        for d in declared.into_iter().flatten() {
            // Unprocessed, every declared dependency imports, under its chart's name.
            let key = if d.alias.is_empty() || !c.processed {
                &d.name
            } else {
                &d.alias
            };
            let on = !c.processed
                || c.deps.iter().any(|x| x.dep.declared && &x.dep.key == key)
                || c.unfilled.iter().any(|(u, on)| *on && &u.key == key);
            if !on {
                continue;
            }
            for iv in &d.import_values {
                if let ImportValue::Map {
                    not_string: Some(go_type),
                    ..
                } = iv
                    && !self.build.is_helm4()
                {
                    return Err(CoalesceError {
                        message: crate::chart::content::import_panic(
                            &self.build.release(),
                            &d.name,
                            go_type,
                        ),
                        path: String::new(),
                        origin: Origin::Synthetic,
                        budget: false,
                    });
                }
                let path = match iv {
                    ImportValue::Map { child, .. } => format!("{key}.{child}"),
                    ImportValue::Exports(name) => format!("{key}.exports.{name}"),
                };
                let vv = match cvals.table_at(&path) {
                    Ok(vv) => vv,
                    Err(missing) => {
                        let missing = missing.as_str();
                        self.dependency_warning(match iv {
                            ImportValue::Map { .. } => helm_log::DependencyWarning::MissingChild {
                                chart: key,
                                missing,
                            },
                            ImportValue::Exports(_) => {
                                helm_log::DependencyWarning::MissingExport { missing }
                            }
                        });
                        continue;
                    }
                };
                match iv {
                    // Before 3.13 the chart's coalesced values themselves take the import.
                    ImportValue::Map { parent, .. } if !self.rules.copies => {
                        self.coalesce_tables(&cvals, &path_to_map(parent, vv), "", 0, false);
                        b = cvals.clone();
                    }
                    ImportValue::Map { parent, .. } => {
                        self.coalesce_tables(&b, &path_to_map(parent, vv), "", 0, merge);
                    }
                    ImportValue::Exports(_) => self.coalesce_tables(&b, &vv, "", 0, merge),
                }
            }
        }
        if self.rules.copies {
            let cvals = cvals.deep_copy(0, &mut self.steps_left);
            if self.rules.imports_win {
                self.coalesce_tables(&b, &cvals, "", 0, true);
                c.values = b;
            } else {
                self.coalesce_tables(&cvals, &b, "", 0, true);
                c.values = cvals;
            }
        } else if self.rules.parent_wins {
            // helm/helm #10155
            self.coalesce_tables(&cvals, &b, "", 0, false);
            c.values = cvals;
        } else {
            self.coalesce_tables(&b, &cvals, "", 0, false);
            c.values = b;
        }
        Ok(())
    }
}

/// Go's `concatPrefix`.
fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

/// A value as Go's `%v` prints it (a table as `map[k:v …]`, keys sorted).
fn go_v(val: &Val) -> String {
    let node = match val {
        Val::Other(n) => Node::clone(n),
        Val::Table(t) => {
            let mut budget = MAX_NODES;
            Node::new(
                Value::Map(t.to_map(0, &mut budget).unwrap_or_default()),
                Origin::Synthetic,
            )
        }
    };
    crate::template::fmt::sprint_v(&crate::template::values_bridge::values_from_node(
        &node,
        &[],
    ))
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

//! Helm's value merging, with the origin of every leaf kept.
//!
//! Two steps, as in Helm: user layers (`-f` files, then `--set`) are merged with `mergeMaps`
//! ([`merge_user`]); the result is then coalesced with the chart defaults, parent before
//! subcharts, `global` copied down ([`coalesce`]). A user `null` deletes a default; how far that
//! reaches into subcharts depends on the Helm version ([`HelmVersion`]).

pub(crate) mod shared_maps;

use std::borrow::Cow;

use crate::chart::Chart;
use crate::chart::defaults_cache::Defaults;
use crate::helm_build::HelmBuild;
use crate::value::{Map, Node, Origin, Value};

/// Which Helm to reproduce: how it merges values ([`HelmLine`]) and what it was built from
/// ([`HelmBuild`]: its template syntax and functions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct HelmVersion {
    line: HelmLine,
    build: HelmBuild,
}

/// Helm's merge semantics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HelmLine {
    /// Helm 3.17.1 and later 3.x: a user `null` deletes subchart defaults too.
    #[default]
    V3,
    /// Helm 3.17.0 and older: a `null` on a subchart key only removes the parent's override.
    V3Legacy,
    /// Helm 4: as 3.17, and multi-document values files are merged.
    V4,
}

#[allow(non_upper_case_globals)]
impl HelmVersion {
    /// `--helm-version 3`: Helm 3.17.3.
    pub const V3: HelmVersion = HelmVersion {
        line: HelmLine::V3,
        build: HelmBuild::V3,
    };
    /// `--helm-version 3.16`: Helm 3.16.4, the last 3.16.
    pub const V3Legacy: HelmVersion = HelmVersion {
        line: HelmLine::V3Legacy,
        build: HelmBuild::V3_16,
    };
    /// `--helm-version 4`: Helm 4.1.4.
    pub const V4: HelmVersion = HelmVersion {
        line: HelmLine::V4,
        build: HelmBuild::V4,
    };

    /// Parses `3`, `4` or a release, `3.16` or `3.9.4`.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().trim_start_matches('v');
        match s {
            "3" => return Some(HelmVersion::V3),
            "4" => return Some(HelmVersion::V4),
            _ => {}
        }
        let mut parts = s.split('.');
        let major: u32 = parts.next()?.parse().ok()?;
        let minor: u32 = parts.next().map_or(Some(0), |m| m.parse().ok())?;
        // Without a patch number, `3.17` means the current 3.17 release.
        let patch: u32 = parts.next().map_or(Some(u32::MAX), |p| p.parse().ok())?;
        let line = match (major, minor) {
            // NOTE: the subchart-null change (helm/helm #12879) shipped in 3.17.1 (backport
            // #13654); 3.17.0 still behaves like 3.16.
            (3, m) if m <= 16 => HelmLine::V3Legacy,
            (3, 17) if patch == 0 => HelmLine::V3Legacy,
            (3, _) => HelmLine::V3,
            (4, _) => HelmLine::V4,
            _ => return None,
        };
        Some(HelmVersion {
            line,
            build: HelmBuild::of_patch(major, minor, patch)?,
        })
    }

    /// How this Helm merges values.
    pub fn line(self) -> HelmLine {
        self.line
    }

    /// What this Helm was built from.
    pub(crate) fn build(self) -> HelmBuild {
        self.build
    }

    /// Whether [`coalesce`]'s model holds for this release (it was proven on 3.13.1 to 3.19.4 and
    /// on 4.1.3 and 4.1.4); the others run Helm's own steps ([`shared_maps`]).
    pub(crate) fn modelled(self) -> bool {
        let b = self.build;
        (b.since((3, 13, 1)) && !b.since((3, 19, 5))) || (b.since((4, 1, 3)) && !b.since((4, 2, 0)))
    }

    /// Whether [`coalesce`]'s model holds for this release of `chart`: [`Self::modelled`], and
    /// no subchart is keyed `global` (its values are then the parent's `global` table itself,
    /// which the model's copies cannot be, and Helm's steps on shared maps are).
    pub(crate) fn models(self, chart: &Chart) -> bool {
        fn global_subchart(chart: &Chart) -> bool {
            chart
                .dependencies
                .iter()
                .any(|d| d.key == "global" || global_subchart(&d.chart))
        }
        self.modelled() && !global_subchart(chart) && !unmodelled_shape(chart)
    }

    /// Whether a user `null` reaches through the parent into subchart defaults.
    fn nulls_reach_subcharts(self) -> bool {
        self.line != HelmLine::V3Legacy
    }

    /// Helm 4: its template engine (Go 1.24+ ranges over an integer; `mustToYaml`).
    pub fn is_v4(self) -> bool {
        self.line == HelmLine::V4
    }

    /// The Go name of the type of `.Values` (and of a template's dot): Helm 4 moved `Values`
    /// from `chartutil` to `pkg/chart/common`.
    pub fn values_type(self) -> &'static str {
        match self.line {
            HelmLine::V4 => "common.Values",
            HelmLine::V3 | HelmLine::V3Legacy => "chartutil.Values",
        }
    }

    /// Whether every document of a values file counts (Helm 4) or only the first (Helm 3).
    pub fn merges_all_documents(self) -> bool {
        self.line == HelmLine::V4
    }
}

/// Helm's `mergeMaps`: maps merge deeply, anything else (null included) replaces.
pub fn merge_user(base: &mut Map, overlay: Map) {
    for (key, node) in overlay {
        match (base.get_mut(&key), node.value) {
            (Some(existing), Value::Map(over)) if existing.value.is_map() => {
                if let Value::Map(m) = &mut existing.value {
                    merge_user(m, over);
                }
            }
            (_, value) => {
                base.insert(
                    key,
                    Node {
                        value,
                        origin: node.origin,
                    },
                );
            }
        }
    }
}

/// Decides whether the subchart at a dependency path (`["elasticsearch", "…-exporter"]`) deploys.
pub type EnabledFn<'a> = &'a dyn Fn(&[&str]) -> bool;

/// A problem Helm reports while coalescing: it stops the render.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct CoalesceError {
    /// Helm's complaint, with the key.
    pub message: String,
    /// Dotted path of the key at fault.
    pub path: String,
    /// Where the user wrote it.
    pub origin: Origin,
    /// Not Helm's complaint but the tool's own bound (Helm would run on): exit 2, as the
    /// engine's budgets.
    pub budget: bool,
}

/// Chart trees whose values take paths of Helm's merge on shared maps that the model's copies
/// do not follow (found by generated chart trees, each checked against Helm 3.17.3 and 4.1.4;
/// no real chart of twelve rounds of third-party charts has one): `global` tables of different
/// shapes in two charts of the tree (a map in one, a scalar or null in another, or a `global`
/// that is no map), a key of a chart's values named like a subchart of one of its subcharts
/// (Helm coalesces the chart's values as its child's), and `import-values` that carry a
/// `global`. [`shared_maps`] runs Helm's own steps for them.
fn unmodelled_shape(chart: &Chart) -> bool {
    #[derive(Default)]
    struct Shapes {
        seen: std::collections::HashMap<Vec<String>, (bool, bool)>,
        clash: bool,
    }
    fn walk_global(v: &Value, path: &mut Vec<String>, shapes: &mut Shapes) {
        let entry = shapes.seen.entry(path.clone()).or_default();
        match v {
            Value::Map(m) => {
                entry.0 = true;
                shapes.clash |= entry.1;
                for (k, n) in m {
                    path.push(k.clone());
                    walk_global(&n.value, path, shapes);
                    path.pop();
                }
            }
            _ => {
                entry.1 = true;
                shapes.clash |= entry.0 || path.is_empty();
            }
        }
    }
    fn globals(chart: &Chart, shapes: &mut Shapes) {
        for values in [Some(&chart.values), chart.values_helm4.as_deref()]
            .into_iter()
            .flatten()
        {
            if let Some(g) = values.as_map().and_then(|m| m.get("global")) {
                walk_global(&g.value, &mut Vec::new(), shapes);
            }
        }
        for d in &chart.dependencies {
            globals(&d.chart, shapes);
        }
    }
    fn deeper_keys(chart: &Chart, out: &mut Vec<String>) {
        for d in &chart.dependencies {
            for g in &d.chart.dependencies {
                out.push(g.key.clone());
            }
            deeper_keys(&d.chart, out);
        }
    }
    fn named_like_a_grandchild(chart: &Chart) -> bool {
        let mut deeper = Vec::new();
        deeper_keys(chart, &mut deeper);
        // A direct subchart of the same name owns the key (stackstate's `zookeeper`, also
        // kafka's subchart): that is the model's case.
        let clash = chart.values.as_map().is_some_and(|m| {
            deeper
                .iter()
                .any(|k| m.contains_key(k) && !chart.dependencies.iter().any(|d| d.key == *k))
        });
        clash
            || chart
                .dependencies
                .iter()
                .any(|d| named_like_a_grandchild(&d.chart))
    }
    fn imports_a_global(chart: &Chart) -> bool {
        let here = chart.content.as_ref().is_some_and(|c| {
            c.metadata.dependencies.iter().any(|d| {
                let key = if d.alias.is_empty() {
                    &d.name
                } else {
                    &d.alias
                };
                let sub = chart.dependencies.iter().find(|s| s.key == *key);
                d.import_values.iter().any(|iv| {
                    let (child, parent) = match iv {
                        crate::chart::content::ImportValue::Exports(name) => {
                            (format!("exports.{name}"), String::new())
                        }
                        crate::chart::content::ImportValue::Map { child, parent, .. } => {
                            (child.clone(), parent.clone())
                        }
                    };
                    let names_global = |p: &str| p.split('.').any(|k| k == "global");
                    let table = sub.and_then(|s| {
                        let m = s.chart.values.as_map()?;
                        crate::value::lookup_path(m, &child.split('.').collect::<Vec<_>>())
                    });
                    names_global(&child)
                        || names_global(&parent)
                        || table
                            .is_some_and(|t| t.as_map().is_some_and(|m| m.contains_key("global")))
                })
            })
        });
        here || chart
            .dependencies
            .iter()
            .any(|d| imports_a_global(&d.chart))
    }
    let mut shapes = Shapes::default();
    globals(chart, &mut shapes);
    shapes.clash || named_like_a_grandchild(chart) || imports_a_global(chart)
}

/// Coalesces user values with `chart`'s defaults and those of every subchart in `enabled`
/// (dependency paths such as `["elasticsearch", "prometheus-elasticsearch-exporter"]`; pass
/// `None` to include every subchart).
pub fn coalesce(
    chart: &Chart,
    user: Map,
    helm: HelmVersion,
    enabled: Option<EnabledFn>,
) -> Result<Map, CoalesceError> {
    coalesce_or_merge(chart, user, helm, false, enabled)
}

/// Helm's `MergeValues(chart, nil)`: `chart`'s defaults with those of every subchart in
/// `enabled`, coalesced like [`coalesce`] but keeping every null. Helm's import step (since
/// 3.13, `ProcessDependenciesWithMerge`; Helm 4 too) reads imported tables from it, so the
/// nulls of a subchart's table reach the parent.
pub fn merge_defaults(
    chart: &Chart,
    helm: HelmVersion,
    enabled: Option<EnabledFn>,
) -> Result<Map, CoalesceError> {
    coalesce_or_merge(chart, Map::new(), helm, true, enabled)
}

fn coalesce_or_merge(
    chart: &Chart,
    user: Map,
    helm: HelmVersion,
    merge: bool,
    enabled: Option<EnabledFn>,
) -> Result<Map, CoalesceError> {
    let mut dest = user;
    let mut path = Vec::new();
    let mut copied = 0;
    coalesce_chart(
        chart,
        &mut dest,
        helm,
        merge,
        enabled,
        &mut path,
        &mut copied,
    )?;
    share_globals_down(chart, &mut dest, enabled, &mut path);
    Ok(dest)
}

/// Helm's import step (3.13 and later) as it fails: each chart whose import step runs, deepest
/// first, merges its values with its (enabled) subcharts' keeping nulls (`MergeValues`), and
/// stops on a value that is no map where a subchart's values belong: the value of the chart
/// nearest the top of that merge that has the key. A user `null` that deleted the key in the
/// earlier passes does not save it.
pub fn import_step_failure(
    chart: &Chart,
    helm: HelmVersion,
    enabled: EnabledFn,
) -> Option<CoalesceError> {
    import_step_failure_in(chart, helm, enabled, &mut Vec::new())
}

fn import_step_failure_in<'c>(
    chart: &'c Chart,
    helm: HelmVersion,
    enabled: EnabledFn,
    path: &mut Vec<&'c str>,
) -> Option<CoalesceError> {
    let deps = enabled_deps(chart, Some(enabled), path);
    for dep in &deps {
        path.push(&dep.key);
        let failure = import_step_failure_in(&dep.chart, helm, enabled, path);
        path.pop();
        if failure.is_some() {
            return failure;
        }
    }
    if !import_step_runs(chart, &deps, Some(enabled), path) {
        return None;
    }
    first_mismatch(chart, &[], helm, enabled, path, &mut Vec::new())
}

/// The first subchart key (depth first) whose merged value is no map: `above` holds the maps
/// the charts above `chart` (within the merge) give it, nearest the top first.
fn first_mismatch<'c>(
    chart: &'c Chart,
    above: &[&Map],
    helm: HelmVersion,
    enabled: EnabledFn,
    path: &mut Vec<&'c str>,
    keys: &mut Vec<&'c str>,
) -> Option<CoalesceError> {
    let own = chart_values(chart, helm).as_map();
    let layers: Vec<&Map> = above.iter().copied().chain(own).collect();
    for dep in enabled_deps(chart, Some(enabled), path) {
        let found = layers.iter().find_map(|m| m.get(&dep.key));
        if let Some(node) = found.filter(|n| !n.value.is_map()) {
            return Some(type_mismatch(keys, &dep.key, node));
        }
        let below: Vec<&Map> = (layers.iter())
            .filter_map(|m| m.get(&dep.key).and_then(Node::as_map))
            .collect();
        path.push(&dep.key);
        keys.push(&dep.key);
        let failure = first_mismatch(&dep.chart, &below, helm, enabled, path, keys);
        keys.pop();
        path.pop();
        if failure.is_some() {
            return failure;
        }
    }
    None
}

/// The subcharts `coalesce` visits: those `enabled` keeps.
fn enabled_deps<'c>(
    chart: &'c Chart,
    enabled: Option<EnabledFn>,
    path: &mut Vec<&'c str>,
) -> Vec<&'c crate::chart::Dependency> {
    chart
        .dependencies
        .iter()
        .filter(|d| {
            path.push(&d.key);
            let on = enabled.is_none_or(|f| f(path));
            path.pop();
            on
        })
        .collect()
}

/// Helm's `coalesceGlobals` copies each map `global.K` of a chart into its subchart's values
/// shallowly (`copyMap`): the maps one level further down (`global.K.L`) stay the parent's own
/// objects, shared by every chart below it. What a subchart's values.yaml adds to (or a null
/// deletes from) one of them while it is coalesced, the parent and every other subchart then
/// see too (GitLab's chart relies on it). Our trees are copies: [`write_back_globals`] gives
/// the parent what the subchart did to them, and this gives every chart below the final maps.
fn share_globals_down<'c>(
    chart: &'c Chart,
    dest: &mut Map,
    enabled: Option<EnabledFn>,
    path: &mut Vec<&'c str>,
) {
    let shared = shared_globals(dest);
    if shared.is_empty() {
        return;
    }
    for dep in enabled_deps(chart, enabled, path) {
        let Some(Value::Map(sub)) = dest.get_mut(&dep.key).map(|n| &mut n.value) else {
            continue;
        };
        if let Some(Value::Map(child)) = sub.get_mut("global").map(|n| &mut n.value) {
            for (k1, k2, node) in &shared {
                if let Some(Value::Map(target)) = child.get_mut(k1).map(|n| &mut n.value)
                    && target.get(k2) != Some(node)
                {
                    target.insert(k2.clone(), node.clone());
                }
            }
        }
        path.push(&dep.key);
        share_globals_down(&dep.chart, sub, enabled, path);
        path.pop();
    }
}

/// The maps `global.K.L` of a chart's values (`dest`), which its subcharts share.
fn shared_globals(dest: &Map) -> Vec<(String, String, Node)> {
    let Some(Value::Map(global)) = dest.get("global").map(|g| &g.value) else {
        return Vec::new();
    };
    global
        .iter()
        .filter_map(|(k1, n)| n.as_map().map(|m| (k1, m)))
        .flat_map(|(k1, m)| {
            m.iter()
                .filter(|(_, n)| n.value.is_map())
                .map(move |(k2, n)| (k1.clone(), k2.clone(), n.clone()))
        })
        .collect()
}

/// After a subchart `key` of `dest` is coalesced: the parent's shared `global.K.L` maps become
/// the subchart's (see [`share_globals_down`]).
fn write_back_globals(dest: &mut Map, key: &str) {
    let theirs = |k1: &str, k2: &str| -> Option<&Node> {
        let global = dest.get(key)?.as_map()?.get("global")?.as_map()?;
        global
            .get(k1)?
            .as_map()?
            .get(k2)
            .filter(|n| n.value.is_map())
    };
    let mut changed = Vec::new();
    if let Some(Value::Map(parent)) = dest.get("global").map(|g| &g.value) {
        for (k1, node) in parent {
            let Some(shared) = node.as_map() else {
                continue;
            };
            for (k2, inner) in shared {
                if let Some(t) = theirs(k1, k2).filter(|t| inner.value.is_map() && *t != inner) {
                    changed.push((k1.clone(), k2.clone(), t.clone()));
                }
            }
        }
    }
    let Some(Value::Map(parent)) = dest.get_mut("global").map(|g| &mut g.value) else {
        return;
    };
    for (k1, k2, node) in changed {
        if let Some(Value::Map(shared)) = parent.get_mut(&k1).map(|n| &mut n.value) {
            shared.insert(k2, node);
        }
    }
}

/// Values of `global` copied into subcharts at most, over a release: Helm copies the parent's
/// `global` into every subchart, so a large `global` costs its size times the number of
/// subcharts (100,000 keys under it took 1.9 GB with suse-observability's 30; Helm 79 s and
/// 1 GB). A real release copies a few thousand.
pub(crate) const MAX_GLOBAL_COPIES: usize = 500_000;

/// The tool's bound on copies of `global` is passed: `global` holds `global_values`.
pub(crate) fn too_many_global_copies(global_values: usize, origin: Origin) -> CoalesceError {
    CoalesceError {
        message: format!(
            "`global` holds {global_values} values and Helm copies it into every subchart: the \
             copies pass {MAX_GLOBAL_COPIES} values, this tool's bound (Helm takes minutes and \
             gigabytes here); keep large values out of `global`"
        ),
        path: "global".into(),
        origin,
        budget: true,
    }
}

/// Values in `node` and below, maps and lists included.
fn values_in(node: &Node) -> usize {
    1 + match &node.value {
        Value::Map(m) => m.values().map(values_in).sum(),
        Value::Seq(items) => items.iter().map(values_in).sum(),
        _ => 0,
    }
}

fn coalesce_chart<'c>(
    chart: &'c Chart,
    dest: &mut Map,
    helm: HelmVersion,
    merge: bool,
    enabled: Option<EnabledFn>,
    path: &mut Vec<&'c str>,
    copied: &mut usize,
) -> Result<(), CoalesceError> {
    let deps = enabled_deps(chart, enabled, path);
    // Helm first coalesces the user's values with the charts' own values (to read conditions):
    // a user value that is no map under a subchart's key fails there, unless the chart's own
    // values.yaml has the key and the value is a null that deletes it.
    for dep in &deps {
        let Some(node) = dest.get(&dep.key) else {
            continue;
        };
        let own = chart_values(chart, helm)
            .as_map()
            .is_some_and(|m| m.contains_key(&dep.key));
        let deleted = own && !merge && matches!(node.value, Value::Null);
        if !(node.value.is_map() || deleted) {
            return Err(type_mismatch(path, &dep.key, node));
        }
    }
    // Parent defaults first. NOTE: Helm's import-values step has already merged every enabled
    // subchart's defaults into the parent's values, so a user null on a subchart key meets them
    // here (and, before Helm 3.17.1, is consumed here, letting the subchart default come back).
    // Which subcharts are on, all the way down (the defaults differ with any of them).
    let mut enabled_mask = Vec::new();
    descendants_enabled(chart, enabled, path, &mut enabled_mask);
    // The defaults also depend on whether Helm 4 reads every document of a values.yaml.
    enabled_mask.push(helm.merges_all_documents());
    let defaults = chart.defaults_cache.get(enabled_mask, || {
        defaults_with_subcharts(chart, &deps, helm, enabled, &mut path.clone())
    });
    // NOTE: Helm 3.17 (PR #12879) keeps user nulls while merging the parent's overrides for a
    // subchart, so they also delete the subchart's defaults.
    let child_merge = |key: &str| {
        if merge || (helm.nulls_reach_subcharts() && deps.iter().any(|dep| dep.key == key)) {
            Nulls::Keep
        } else if helm.is_v4() {
            Nulls::DeleteNonNull
        } else {
            Nulls::Delete
        }
    };
    match defaults {
        Defaults::Owned(node) => {
            if let Value::Map(map) = node.value {
                for (key, default) in map {
                    let cm = child_merge(&key);
                    apply_default(dest, key, Cow::Owned(default), merge, cm);
                }
            }
        }
        Defaults::Shared(node) => {
            if let Some(map) = node.as_map() {
                for (key, default) in map {
                    let cm = child_merge(key);
                    apply_default(dest, key.clone(), Cow::Borrowed(default), merge, cm);
                }
            }
        }
    }
    for dep in deps {
        let parent_globals = dest.get("global").cloned();
        if let Some(global) = &parent_globals {
            let n = values_in(global);
            *copied += n;
            if *copied > MAX_GLOBAL_COPIES {
                return Err(too_many_global_copies(n, global.origin.clone()));
            }
        }
        let sub = dest
            .entry(dep.key.clone())
            .or_insert_with(|| Node::empty_map(Origin::Synthetic));
        let Value::Map(sub_map) = &mut sub.value else {
            return Err(type_mismatch(path, &dep.key, sub));
        };
        coalesce_globals(sub_map, parent_globals);
        path.push(&dep.key);
        coalesce_chart(&dep.chart, sub_map, helm, merge, enabled, path, copied)?;
        path.pop();
        write_back_globals(dest, &dep.key);
    }
    Ok(())
}

/// The values Helm `helm` reads from a chart's values.yaml ([`Chart::values`], or every
/// document merged for Helm 4).
fn chart_values(chart: &Chart, helm: HelmVersion) -> &Node {
    match &chart.values_helm4 {
        Some(all) if helm.merges_all_documents() => all,
        _ => &chart.values,
    }
}

/// Helm's `type mismatch on KEY: %t` for the value `node` under the subchart key `key`.
fn type_mismatch(path: &[&str], key: &str, node: &Node) -> CoalesceError {
    let mut p: Vec<&str> = path.to_vec();
    p.push(key);
    CoalesceError {
        message: format!("type mismatch on {key}: {}", go_verb_t(&node.value)),
        path: crate::key_path::display(&p),
        origin: node.origin.clone(),
        budget: false,
    }
}

/// A value as Go's `%t` prints it: booleans as words, anything else flagged with its Go type
/// (`%!t(string=x)`, `%!t(<nil>)`), lists element by element.
fn go_verb_t(v: &Value) -> String {
    match v {
        Value::Null => "%!t(<nil>)".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => format!("%!t(int64={i})"),
        Value::Float(f) => format!("%!t(float64={})", crate::value::go_float(*f)),
        Value::Str(s) => format!("%!t(string={s})"),
        Value::Seq(items) => {
            let parts: Vec<String> = items.iter().map(|n| go_verb_t(&n.value)).collect();
            format!("[{}]", parts.join(" "))
        }
        Value::Map(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, n)| format!("%!t(string={k}):{}", go_verb_t(&n.value)))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

/// One top-level key of a chart's defaults into the release's values.
fn apply_default(dest: &mut Map, key: String, default: Cow<'_, Node>, merge: bool, child: Nulls) {
    match dest.get_mut(&key) {
        Some(v) if matches!(v.value, Value::Null) && !merge => {
            dest.remove(&key);
        }
        Some(v) => {
            if let Value::Map(d) = &mut v.value {
                match default {
                    Cow::Owned(Node {
                        value: Value::Map(s),
                        ..
                    }) => coalesce_tables(d, s, child),
                    Cow::Borrowed(Node {
                        value: Value::Map(s),
                        ..
                    }) => coalesce_tables_ref(d, s, child),
                    _ => {}
                }
            }
        }
        None => {
            dest.insert(key, default.into_owned());
        }
    }
}

/// The values a chart's user values are coalesced with: when Chart.yaml declares one of the
/// (enabled) subcharts `deps`, Helm's import step has replaced the chart's values with
/// `MergeValues(chart, nil)`: the subcharts' defaults merged under their keys, the parent
/// winning, nulls kept, and each level's `global` copied into its subcharts' (so a user who
/// blanks `global` leaves the subcharts the globals the charts gave them). Otherwise the chart's
/// own values.
fn defaults_with_subcharts<'c>(
    chart: &'c Chart,
    deps: &[&'c crate::chart::Dependency],
    helm: HelmVersion,
    enabled: Option<EnabledFn>,
    path: &mut Vec<&'c str>,
) -> Node {
    let mut values = chart_values(chart, helm).clone();
    if !import_step_runs(chart, deps, enabled, path) {
        return values;
    }
    if let Value::Map(map) = &mut values.value {
        merge_subchart_defaults(map, deps, helm, enabled, path);
    }
    values
}

/// Helm's `processImportValues` replaces a chart's values only while its metadata lists a
/// dependency: one of the (enabled) subcharts `deps` a declared dependency switches, or a
/// declared dependency no subchart stands for that stays on.
fn import_step_runs<'c>(
    chart: &'c Chart,
    deps: &[&'c crate::chart::Dependency],
    enabled: Option<EnabledFn>,
    path: &mut Vec<&'c str>,
) -> bool {
    deps.iter().any(|d| d.declared)
        || chart.unfilled.iter().any(|u| {
            path.push(&u.key);
            let on = enabled.is_none_or(|f| f(path));
            path.pop();
            on
        })
}

/// Whether each subchart below `chart` is on, in order, the subcharts of those that are on
/// included (and each declared dependency no subchart stands for).
fn descendants_enabled<'c>(
    chart: &'c Chart,
    enabled: Option<EnabledFn>,
    path: &mut Vec<&'c str>,
    out: &mut Vec<bool>,
) {
    for unfilled in &chart.unfilled {
        path.push(&unfilled.key);
        out.push(enabled.is_none_or(|f| f(path)));
        path.pop();
    }
    for dep in &chart.dependencies {
        path.push(&dep.key);
        let on = enabled.is_none_or(|f| f(path));
        out.push(on);
        if on {
            descendants_enabled(&dep.chart, enabled, path, out);
        }
        path.pop();
    }
}

/// Helm's `coalesceDeps` with merge set, for [`defaults_with_subcharts`]: under each of `deps`,
/// the parent's `global` is copied in, then the subchart's values fill in what the parent left,
/// and so on down. (A scalar where a subchart's values belong is left for the coalescing of
/// the user's values to report.)
fn merge_subchart_defaults<'c>(
    map: &mut Map,
    deps: &[&'c crate::chart::Dependency],
    helm: HelmVersion,
    enabled: Option<EnabledFn>,
    path: &mut Vec<&'c str>,
) {
    for dep in deps {
        let parent_global = map.get("global").cloned();
        let sub = map
            .entry(dep.key.clone())
            .or_insert_with(|| Node::empty_map(dep.chart.values.origin.clone()));
        let defaults = chart_values(&dep.chart, helm);
        let Value::Map(sub_map) = &mut sub.value else {
            continue;
        };
        coalesce_globals(sub_map, parent_global);
        if let Value::Map(defaults) = &defaults.value {
            coalesce_tables_ref(sub_map, defaults, Nulls::Keep);
        }
        // Helm has removed the subcharts that are off, at every level, before it imports.
        path.push(&dep.key);
        let sub_deps = enabled_deps(&dep.chart, enabled, path);
        merge_subchart_defaults(sub_map, &sub_deps, helm, enabled, path);
        path.pop();
    }
}

/// What a null in the values coalesced onto defaults does (Helm's `merge` flag, and Helm 4's
/// change to coalesceTablesFullKey).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nulls {
    /// It stays (merging: `MergeValues`, a parent's overrides for a subchart since 3.17.1).
    Keep,
    /// It deletes the key from the defaults (coalescing).
    Delete,
    /// It deletes the key where the default is no null, and stays over a null default (Helm
    /// 4.1.4: a subchart's nested `limits: null` survives, Helm 3 deletes it).
    DeleteNonNull,
}

impl Nulls {
    fn deletes(self, default: &Value) -> bool {
        match self {
            Nulls::Keep => false,
            Nulls::Delete => true,
            Nulls::DeleteNonNull => !matches!(default, Value::Null),
        }
    }
}

/// [`coalesce_tables`] from borrowed defaults: only what `dst` lacks is copied.
fn coalesce_tables_ref(dst: &mut Map, src: &Map, merge: Nulls) {
    for (key, sv) in src {
        match dst.get_mut(key) {
            Some(dv) if matches!(dv.value, Value::Null) && merge.deletes(&sv.value) => {
                dst.remove(key);
            }
            None => {
                dst.insert(key.clone(), sv.clone());
            }
            Some(dv) => {
                if let (Value::Map(d), Value::Map(s)) = (&mut dv.value, &sv.value) {
                    coalesce_tables_ref(d, s, merge);
                }
            }
        }
    }
}

/// Helm's `coalesceTablesFullKey`: `dst` (higher precedence) keeps its values; `src` fills in.
fn coalesce_tables(dst: &mut Map, src: Map, merge: Nulls) {
    for (key, sv) in src {
        match dst.get_mut(&key) {
            Some(dv) if matches!(dv.value, Value::Null) && merge.deletes(&sv.value) => {
                dst.remove(&key);
            }
            None => {
                dst.insert(key, sv);
            }
            Some(dv) => {
                if let (Value::Map(d), Value::Map(s)) = (&mut dv.value, sv.value) {
                    coalesce_tables(d, s, merge);
                }
                // Otherwise the user's value stands (Helm only logs a warning when a table
                // meets a non-table).
            }
        }
    }
}

/// Helm's `coalesceGlobals`: the parent's `global` is copied into the subchart's, parent wins.
/// The subchart always ends with a `global` map (empty when neither has one), unless either
/// `global` is something else than a map (Helm warns and skips; a null is not a map).
fn coalesce_globals(sub: &mut Map, parent_global: Option<Node>) {
    let (parent, origin) = match parent_global {
        None => (Map::new(), Origin::Synthetic),
        Some(Node {
            value: Value::Map(m),
            origin,
        }) => (m, origin),
        Some(_) => return,
    };
    let global = sub
        .entry("global".to_string())
        .or_insert_with(|| Node::empty_map(origin));
    let Value::Map(dg) = &mut global.value else {
        return;
    };
    for (key, val) in parent {
        match (&val.value, dg.get_mut(&key)) {
            (Value::Map(pm), Some(existing)) => {
                if let Value::Map(em) = &mut existing.value {
                    let mut merged = pm.clone();
                    coalesce_tables(&mut merged, std::mem::take(em), Nulls::Keep);
                    existing.value = Value::Map(merged);
                    existing.origin = val.origin.clone();
                }
            }
            (_, Some(existing)) if existing.value.is_map() => {}
            _ => {
                dg.insert(key, val);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Dependency;
    use crate::chart::defaults_cache::KEEP_AFTER;
    use crate::value::Value;
    use std::sync::Arc;

    fn s(v: &str) -> Node {
        Node::new(Value::Str(v.into()), Origin::Synthetic)
    }
    fn null() -> Node {
        Node::new(Value::Null, Origin::Synthetic)
    }
    fn map(entries: Vec<(&str, Node)>) -> Node {
        Node::new(
            Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            ),
            Origin::Synthetic,
        )
    }
    fn chart(name: &str, values: Node, deps: Vec<(&str, Chart)>) -> Chart {
        let mut values = values;
        crate::chart::relabel(&mut values, &Arc::from(name));
        Chart {
            content: None,
            defaults_cache: Default::default(),
            lint_defaults: Default::default(),
            name: name.into(),
            version: "1".into(),
            values,
            values_helm4: None,
            unfilled: Vec::new(),
            dependencies: deps
                .into_iter()
                .map(|(k, c)| Dependency {
                    key: k.into(),
                    conditions: vec![],
                    tags: vec![],
                    chart: c,
                    stand_in: None,
                    declared: true,
                })
                .collect(),
        }
    }
    fn get<'a>(m: &'a Map, path: &[&str]) -> Option<&'a Value> {
        let mut node = m.get(path[0])?;
        for k in &path[1..] {
            node = node.as_map()?.get(*k)?;
        }
        Some(&node.value)
    }

    /// A parent that overrides its kafka subchart's tag, like stackstate does.
    fn parent() -> Chart {
        let kafka = chart(
            "kafka",
            map(vec![(
                "image",
                map(vec![("registry", s("docker.io")), ("tag", s("2.6.0"))]),
            )]),
            vec![],
        );
        chart(
            "stackstate",
            map(vec![
                ("global", map(vec![("imageRegistry", s(""))])),
                (
                    "kafka",
                    map(vec![("image", map(vec![("tag", s("2.3.1"))]))]),
                ),
                ("top", map(vec![("tag", s("x"))])),
            ]),
            vec![("kafka", kafka)],
        )
    }

    #[test]
    fn kept_defaults_coalesce_like_computed_ones() {
        // The first releases of a chart compute its defaults, later ones reuse kept copies:
        // every release must come out the same, nulls and subchart overrides included.
        for helm in [HelmVersion::V3, HelmVersion::V3Legacy] {
            let chart = parent();
            let user = map(vec![
                ("top", null()),
                (
                    "kafka",
                    map(vec![("image", map(vec![("registry", null())]))]),
                ),
            ])
            .as_map()
            .cloned()
            .unwrap();
            let first = coalesce(&chart, user.clone(), helm, None).unwrap();
            for _ in 0..2 * KEEP_AFTER {
                assert_eq!(coalesce(&chart, user.clone(), helm, None).unwrap(), first);
            }
            assert!(chart.defaults_cache.all_kept());
        }
    }

    #[test]
    fn user_values_merge_deeply_and_lists_replace() {
        let mut base = map(vec![("a", map(vec![("b", s("1")), ("c", s("2"))]))])
            .as_map()
            .cloned()
            .unwrap();
        let over = map(vec![
            ("a", map(vec![("b", s("9"))])),
            ("l", Node::new(Value::Seq(vec![s("x")]), Origin::Synthetic)),
        ]);
        merge_user(&mut base, over.as_map().cloned().unwrap());
        assert_eq!(get(&base, &["a", "b"]), Some(&Value::Str("9".into())));
        assert_eq!(get(&base, &["a", "c"]), Some(&Value::Str("2".into())));
        let over = map(vec![("a", null())]);
        merge_user(&mut base, over.as_map().cloned().unwrap());
        assert_eq!(get(&base, &["a"]), Some(&Value::Null));
    }

    #[test]
    fn parent_overrides_subchart_and_globals_are_copied_down() {
        let user = map(vec![(
            "global",
            map(vec![("imageRegistry", s("r.example"))]),
        )]);
        let out = coalesce(
            &parent(),
            user.as_map().cloned().unwrap(),
            HelmVersion::V3,
            None,
        )
        .unwrap();
        assert_eq!(
            get(&out, &["kafka", "image", "tag"]),
            Some(&Value::Str("2.3.1".into()))
        );
        assert_eq!(
            get(&out, &["kafka", "image", "registry"]),
            Some(&Value::Str("docker.io".into()))
        );
        assert_eq!(
            get(&out, &["kafka", "global", "imageRegistry"]),
            Some(&Value::Str("r.example".into()))
        );
    }

    /// Helm 3.17.3 and 4.1.4 on a parent with `global.a.b.x: 1`, a subchart `s1` whose
    /// values.yaml has `global.a.b.z: 2` and `global.a.y: 3`, and a subchart `s2`: `z` reaches
    /// the parent and `s2` (the map `global.a.b` is shared), `y` stays `s1`'s (`global.a` is
    /// copied).
    #[test]
    fn maps_two_levels_under_global_are_shared_by_every_chart() {
        let s1 = chart(
            "s1",
            map(vec![(
                "global",
                map(vec![(
                    "a",
                    map(vec![("b", map(vec![("z", s("2"))])), ("y", s("3"))]),
                )]),
            )]),
            vec![],
        );
        let s2 = chart("s2", map(vec![]), vec![]);
        let values = map(vec![(
            "global",
            map(vec![("a", map(vec![("b", map(vec![("x", s("1"))]))]))]),
        )]);
        let top = chart("p", values, vec![("s1", s1), ("s2", s2)]);
        for helm in [HelmVersion::V3, HelmVersion::V4] {
            let out = coalesce(&top, Map::new(), helm, None).unwrap();
            for scope in [&[][..], &["s1"], &["s2"]] {
                let at = |rest: &[&str]| {
                    let path: Vec<&str> = scope.iter().chain(rest).copied().collect();
                    get(&out, &path).cloned()
                };
                assert_eq!(at(&["global", "a", "b", "z"]), Some(Value::Str("2".into())));
                assert_eq!(at(&["global", "a", "b", "x"]), Some(Value::Str("1".into())));
                let y = at(&["global", "a", "y"]);
                assert_eq!(y.is_some(), scope == ["s1"], "{scope:?}");
            }
        }
    }

    /// Helm 3.17.3 on a parent whose subchart `s` has a subchart `t` that is off: `t`'s defaults
    /// are nowhere in the values (Helm removes it before it imports subchart defaults), `s`'s
    /// are.
    #[test]
    fn defaults_of_a_subchart_that_is_off_stay_out_at_any_depth() {
        let t = chart("t", map(vec![("tdef", s("1"))]), vec![]);
        let sub = chart("s", map(vec![("x", s("1"))]), vec![("t", t)]);
        let top = chart("p", map(vec![]), vec![("s", sub)]);
        let off: &dyn Fn(&[&str]) -> bool = &|p: &[&str]| p != ["s", "t"];
        let out = coalesce(&top, Map::new(), HelmVersion::V3, Some(off)).unwrap();
        assert_eq!(get(&out, &["s", "x"]), Some(&Value::Str("1".into())));
        assert_eq!(get(&out, &["s", "t"]), None);
        let out = coalesce(&top, Map::new(), HelmVersion::V3, None).unwrap();
        assert_eq!(
            get(&out, &["s", "t", "tdef"]),
            Some(&Value::Str("1".into()))
        );
    }

    #[test]
    fn null_on_a_subchart_key_depends_on_helm_version() {
        let user = || {
            map(vec![(
                "kafka",
                map(vec![("image", map(vec![("tag", null())]))]),
            )])
        };
        let new = coalesce(
            &parent(),
            user().as_map().cloned().unwrap(),
            HelmVersion::V3,
            None,
        )
        .unwrap();
        assert_eq!(get(&new, &["kafka", "image", "tag"]), None);
        let v4 = coalesce(
            &parent(),
            user().as_map().cloned().unwrap(),
            HelmVersion::V4,
            None,
        )
        .unwrap();
        assert_eq!(get(&v4, &["kafka", "image", "tag"]), None);
        let old = coalesce(
            &parent(),
            user().as_map().cloned().unwrap(),
            HelmVersion::V3Legacy,
            None,
        )
        .unwrap();
        assert_eq!(
            get(&old, &["kafka", "image", "tag"]),
            Some(&Value::Str("2.6.0".into()))
        );
    }

    #[test]
    fn null_on_a_parent_key_deletes_the_default() {
        let user = map(vec![("top", map(vec![("tag", null())]))]);
        let out = coalesce(
            &parent(),
            user.as_map().cloned().unwrap(),
            HelmVersion::V3Legacy,
            None,
        )
        .unwrap();
        assert_eq!(get(&out, &["top", "tag"]), None);
    }

    #[test]
    fn scalar_where_a_subchart_map_belongs_fails() {
        let user = map(vec![("kafka", s("oops"))]);
        let err = coalesce(
            &parent(),
            user.as_map().cloned().unwrap(),
            HelmVersion::V3,
            None,
        )
        .unwrap_err();
        assert_eq!(err.path, "kafka");
    }

    #[test]
    fn disabled_subcharts_are_skipped() {
        let off = |p: &[&str]| p != ["kafka"];
        let out = coalesce(&parent(), Map::new(), HelmVersion::V3, Some(&off)).unwrap();
        assert_eq!(get(&out, &["kafka", "image", "registry"]), None);
    }

    #[test]
    fn helm_versions_parse() {
        assert_eq!(HelmVersion::parse("3"), Some(HelmVersion::V3));
        assert_eq!(HelmVersion::parse("3.16"), Some(HelmVersion::V3Legacy));
        let line = |s| HelmVersion::parse(s).map(HelmVersion::line);
        assert_eq!(line("3.9.4"), Some(HelmLine::V3Legacy));
        assert_eq!(HelmVersion::parse("3.17.3"), Some(HelmVersion::V3));
        // 3.17.0 merges as 3.16 did, and reads templates as 3.17 does.
        let v3_17_0 = HelmVersion::parse("3.17.0").unwrap();
        assert_eq!(v3_17_0.line(), HelmLine::V3Legacy);
        assert_eq!(v3_17_0.build(), HelmBuild::of_patch(3, 17, 0).unwrap());
        assert!(v3_17_0.build().has_else_with());
        assert_eq!(line("3.17"), Some(HelmLine::V3));
        assert_eq!(
            HelmVersion::parse("v3.9.4").map(HelmVersion::build),
            HelmBuild::of_patch(3, 9, 4)
        );
        assert_eq!(HelmVersion::parse("4"), Some(HelmVersion::V4));
        assert_eq!(HelmVersion::parse("2"), None);
    }
}

#[cfg(test)]
mod shape_tests {
    use crate::chart::Load;

    /// Every built-in chart keeps the model (the fallback to Helm's steps is for shapes no
    /// real chart has been seen to take, and it is slower).
    #[test]
    fn no_built_in_chart_takes_an_unmodelled_shape() {
        for c in crate::builtin_charts::all() {
            let chart = c.load(Load::Everything);
            assert!(!super::unmodelled_shape(chart), "{}", c.id());
        }
    }
}

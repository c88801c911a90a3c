//! Helm 3.17's render pipeline around the template engine: what `helm template` does between
//! loading a chart and printing manifests.
//!
//! [`render`] checks the chart is installable and its dependencies are there, coalesces the
//! values ([`crate::release::Release`]: conditions, tags, aliases, disabled subcharts removed),
//! validates them against each chart's `values.schema.json`, checks the chart's `kubeVersion`,
//! builds the built-in objects for every chart that renders, runs the engine pass and turns the
//! rendered files into `helm template`'s output.

pub(crate) mod chart_parts;
pub(crate) mod engine;
pub(crate) mod files;
pub(crate) mod glob;
pub mod images;
pub(crate) mod imports;
pub(crate) mod kube_version;
pub(crate) mod manifest;
pub(crate) mod objects;
pub(crate) mod origin;
pub(crate) mod schema;
mod schema_v4;
pub(crate) mod semver;
pub(crate) mod show_only;
pub(crate) mod values;
#[cfg(test)]
mod values_steps_tests;

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::chart::Chart;
use crate::merge::{CoalesceError, HelmVersion};
use crate::release::Release;
use crate::template::Limits;
use crate::value::Map;

pub(crate) use kube_version::KubeVersion;

/// `helm template` options that shape the render.
#[derive(Debug, Clone)]
pub struct Options {
    /// `.Release.Name`.
    pub release_name: String,
    /// `.Release.Namespace`.
    pub namespace: String,
    /// `--kube-version` (default: Helm's built-in v1.32.0).
    pub kube_version: Option<KubeVersion>,
    /// `--api-versions`, added to Helm's defaults.
    pub api_versions: Vec<String>,
    /// `--is-upgrade`: `.Release.IsUpgrade` true, `.Release.IsInstall` false.
    pub is_upgrade: bool,
    /// `--include-crds`: the files under each chart's `crds/` first.
    pub include_crds: bool,
    /// `--skip-tests`: no `test` hooks.
    pub skip_tests: bool,
    /// `--no-hooks`: no hooks at all in the output (they still render, and fail alike).
    pub no_hooks: bool,
    /// Budgets of the engine.
    pub limits: Limits,
    /// The output is analysed, never shown (lint, `images`): functions whose result is random
    /// anyway give a value of the same shape without their cost (see
    /// `template::funcs::Ctx::analysis`). `render` leaves it off.
    pub analysis: bool,
    /// `required` given nothing returns a stand-in and notes its message
    /// (`template::funcs::Ctx::stand_in_required`): lint and `images`, never `render`.
    pub stand_in_required: bool,
    /// A template that fails does not stop the render: the files after it are rendered for
    /// their own failures ([`RenderError::later`]), so that lint's stand-ins for the values a
    /// release leaves out are found in one render instead of one render each. Lint and
    /// `images`, never `render`.
    pub every_failure: bool,
    /// `--skip-schema-validation`: the values are not checked against the charts'
    /// `values.schema.json`.
    pub skip_schema_validation: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            release_name: "release-name".into(),
            namespace: "default".into(),
            kube_version: None,
            api_versions: Vec::new(),
            is_upgrade: false,
            include_crds: false,
            skip_tests: false,
            no_hooks: false,
            limits: Limits::default(),
            analysis: false,
            stand_in_required: false,
            every_failure: false,
            skip_schema_validation: false,
        }
    }
}

/// A rendered release.
#[derive(Debug)]
pub struct Output {
    /// The rendered files (NOTES included), with provenance.
    pub files: engine::RenderedFiles,
    /// The documents printed, in order.
    pub(crate) sorted: manifest::Sorted,
    /// Stand-in subcharts the values deploy but the render left out, with the note that says
    /// so (see [`crate::stand_in`]).
    pub(crate) left_out: Vec<(String, std::sync::Arc<str>)>,
}

impl Output {
    /// What `helm template` prints: made when asked (lint and `images` never print the
    /// manifests, and the whole text is another copy of the release).
    pub(crate) fn text(&self) -> String {
        manifest::print(&self.sorted)
    }
}

/// Why Helm would not render the release: its message (printed after `Error: `).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct RenderError {
    /// Helm's message.
    pub message: String,
    /// Whether the failure came while rendering resources: Helm then has a partial release and
    /// adds a hint about `--debug`.
    pub(crate) rendering: bool,
    /// Whether a template ran out of the engine's budgets (execution steps, call depth, output
    /// size): no verdict on what Helm would do, so an input error (exit 2), not a finding.
    pub(crate) budget: bool,
    /// The keys the failing template action read, as the user writes them, the key at fault
    /// last (empty when the failure is not a template's).
    pub(crate) blame: Vec<crate::template::value::KeyPath>,
    /// A line Helm logs on stderr before its error (Helm 4's `level=ERROR msg=…`).
    pub(crate) log: Option<String>,
    /// Under [`Options::every_failure`], the failures of the template files after the one
    /// that failed (Helm's message and the keys the failing action read), in render order.
    pub(crate) later: Vec<(String, Vec<crate::template::value::KeyPath>)>,
}

impl RenderError {
    fn before(message: String) -> RenderError {
        RenderError {
            message,
            rendering: false,
            budget: false,
            blame: Vec::new(),
            log: None,
            later: Vec::new(),
        }
    }

    /// A failure of Helm's dependency processing (a subchart's values that are no map): Helm 4
    /// logs it, then wraps it.
    /// The failure of Helm's values steps (`Release::failure`) as the render reports it.
    pub(crate) fn of_values(failure: &CoalesceError, helm: HelmVersion) -> RenderError {
        if failure.budget {
            return RenderError {
                budget: true,
                ..RenderError::before(format!("{}{}", engine::BUDGET_PREFIX, failure.message))
            };
        }
        RenderError::dependencies(&failure.message, helm)
    }

    fn dependencies(message: &str, helm: HelmVersion) -> RenderError {
        if !helm.is_v4() {
            return RenderError::before(message.to_string());
        }
        const WHAT: &str = "chart dependencies processing failed";
        RenderError {
            log: Some(format!("level=ERROR msg=\"{WHAT}\" error={message:?}")),
            ..RenderError::before(format!("{WHAT}: {message}"))
        }
    }

    fn rendering(message: String) -> RenderError {
        RenderError {
            message,
            rendering: true,
            budget: false,
            blame: Vec::new(),
            log: None,
            later: Vec::new(),
        }
    }
}

/// Renders `chart` (loaded with [`crate::chart::Load::Everything`]) with the user's values.
pub fn render(
    chart: &Chart,
    user: Map,
    helm: HelmVersion,
    opts: &Options,
) -> Result<Output, RenderError> {
    installable(chart, helm)?;
    if helm.models(chart) {
        render_modelled(chart, user, helm, opts)
    } else {
        render_ported(chart, user, helm, opts, &mut Vec::new())
    }
}

/// [`render`], with what Helm logs while it decides the dependencies, coalesces the values and
/// sorts the manifests added to `log` (see [`crate::helm_log`]), whether the render then fails
/// or not.
pub(crate) fn render_logged(
    chart: &Chart,
    user: Map,
    helm: HelmVersion,
    opts: &Options,
    log: &mut Vec<String>,
) -> Result<Output, RenderError> {
    installable(chart, helm)?;
    let rendered = if helm.models(chart) {
        // The model decides the values; what Helm logs on the way comes from Helm's own steps
        // (`merge::shared_maps`), which the releases the model does not cover run anyway.
        log.extend(crate::merge::shared_maps::release(chart, &user, helm.build()).log);
        render_modelled(chart, user, helm, opts)
    } else {
        render_ported(chart, user, helm, opts, log)
    };
    if let Ok(out) = &rendered {
        log.extend(unknown_hooks_log(out, helm));
    }
    rendered
}

/// [`render`] for a release whose values come from Helm's steps as ported
/// ([`crate::merge::shared_maps`], the import step included); their log goes to `log`.
fn render_ported(
    chart: &Chart,
    user: Map,
    helm: HelmVersion,
    opts: &Options,
    log: &mut Vec<String>,
) -> Result<Output, RenderError> {
    let release = Release::build(chart, user, helm);
    log.extend(release.log.iter().cloned());
    render_release(chart, &release, opts).map(|out| Output {
        left_out: release.left_out,
        ..out
    })
}

/// [`render`] for a release [`crate::merge`]'s model covers: the import step applied to the
/// chart first, as Helm's `ProcessDependencies` does.
fn render_modelled(
    chart: &Chart,
    user: Map,
    helm: HelmVersion,
    opts: &Options,
) -> Result<Output, RenderError> {
    let imported;
    let chart = if imports::any(chart) {
        // Imports read the defaults of the subcharts that stay, so conditions come first.
        let first = Release::build(chart, user.clone(), helm);
        if let Some(f) = &first.failure {
            return Err(RenderError::of_values(f, helm));
        }
        let enabled = |p: &[String]| first.is_enabled(p);
        if let Some(panic) = imports::helm3_panic(chart, helm, &enabled) {
            return Err(RenderError::before(panic));
        }
        imported = imports::apply(chart, helm, &enabled, &mut Vec::new());
        &imported
    } else {
        chart
    };
    let release = Release::build(chart, user, helm);
    render_release(chart, &release, opts).map(|out| Output {
        left_out: release.left_out,
        ..out
    })
}

/// What Helm's manifest sorter logs for each document it leaves out for a hook event it does
/// not know.
fn unknown_hooks_log(out: &Output, helm: HelmVersion) -> Vec<String> {
    (out.sorted.unknown_hooks.iter())
        .map(|events| {
            crate::helm_log::informed(
                "manifest_sorter.go:190",
                &format!(
                    "info: skipping unknown hook: {}",
                    crate::template::fmt::quote(events)
                ),
                ("skipping unknown hooks", &[("hookTypes", events)]),
                helm.is_v4(),
            )
        })
        .collect()
}

/// [`render`] of a release already built, `Release::build(release.chart, release.user, …)`:
/// lint and `images` build it before they render, and building it again (coalescing the
/// chart's defaults twice more) cost 14 M instructions of suse-observability 2.10.3's 470 M.
pub(crate) fn render_built(release: &Release<'_>, opts: &Options) -> Result<Output, RenderError> {
    let chart = release.chart;
    if release.helm.models(chart) && imports::any(chart) {
        return render(chart, release.user.clone(), release.helm, opts);
    }
    installable(chart, release.helm)?;
    render_release(chart, release, opts).map(|out| Output {
        left_out: release.left_out.clone(),
        ..out
    })
}

/// Helm's checks before it coalesces: a chart with templates, of a type that installs, with
/// its declared dependencies.
fn installable(chart: &Chart, helm: HelmVersion) -> Result<(), RenderError> {
    let err = RenderError::before;
    let Some(content) = &chart.content else {
        return Err(err("the chart was loaded without its templates".into()));
    };
    let meta = &content.metadata;
    if !installs(&meta.chart_type) {
        return Err(err(format!(
            "{} charts are not installable",
            meta.chart_type
        )));
    }
    check_dependencies(chart, helm)
}

/// Whether a chart of this `type` installs (Helm's `checkIfInstallable`, before anything else
/// `helm template` says about the chart, its deprecation included).
pub(crate) fn installs(chart_type: &str) -> bool {
    chart_type.is_empty() || chart_type == "application"
}

/// The render of `release` (its `left_out` is the caller's to give).
fn render_release(
    chart: &Chart,
    release: &Release<'_>,
    opts: &Options,
) -> Result<Output, RenderError> {
    // First, so that it ends after everything the render holds.
    let _sweep = crate::template::cycles::Sweep::new();
    let err = RenderError::before;
    let Some(content) = &chart.content else {
        return Err(err("the chart was loaded without its templates".into()));
    };
    let meta = &content.metadata;
    if let Some(f) = &release.failure {
        return Err(RenderError::of_values(f, release.helm));
    }
    let is_enabled = |path: &[String]| release.is_enabled(path);
    if !opts.skip_schema_validation {
        validate_schemas(chart, &release.values, release.helm, &is_enabled)?;
    }

    let capabilities = objects::Capabilities::new(
        opts.kube_version.clone(),
        &opts.api_versions,
        release.helm.build(),
    );
    let err = RenderError::rendering;
    if !meta.kube_version.is_empty()
        && !semver::is_compatible_range(
            &meta.kube_version,
            &capabilities.kube.normalized,
            semver::Release(release.helm.build().semver()),
        )
    {
        return Err(err(format!(
            "chart requires kubeVersion: {} which is incompatible with Kubernetes {}",
            meta.kube_version, capabilities.kube.version
        )));
    }

    let mut scope_paths: Vec<Vec<Rc<str>>> = Vec::new();
    collect_scope_paths(chart, &is_enabled, &mut Vec::new(), &mut scope_paths);
    let values_type = release.helm.values_type();
    let values = values::convert(&release.values, &scope_paths, values_type);
    let globals = engine::Globals {
        values_type,
        release: objects::release(&opts.release_name, &opts.namespace, opts.is_upgrade),
        capabilities: Rc::new(capabilities),
        helm4: release.helm.is_v4(),
    };
    let scopes = engine::scopes(chart, values, &globals, &is_enabled);
    crate::template::fmt::take_printed_cycle();
    let rendered = engine::render(&scopes, opts, release.helm);
    // A map that holds itself printed before any failure: Helm's Go dies there first, exiting
    // 2 with its runtime's dump; ours says why.
    if crate::template::fmt::take_printed_cycle() {
        return Err(RenderError {
            budget: true,
            ..err(
                "a template prints a map that holds itself (`merge`, `mergeOverwrite` or \
                   `set` of a map into its own child): Helm's Go printer recurses until the \
                   runtime stops it with \"fatal error: stack overflow\""
                    .into(),
            )
        });
    }
    let rendered = rendered.map_err(|e| RenderError {
        budget: e.is_budget(),
        blame: e.1.clone(),
        later: e.2,
        ..err(e.0)
    })?;

    // NOTES.txt is rendered (its errors count) but is no manifest.
    let manifests: BTreeMap<String, String> = rendered
        .files
        .iter()
        .filter(|(name, _)| !name.ends_with("NOTES.txt"))
        .map(|(name, buf)| (name.clone(), buf.text.clone()))
        .collect();
    let order = manifest::install_order(release.helm.build());
    let ends = manifest::DocEnds::of(release.helm.build());
    let mut sorted = manifest::sort_manifests(&manifests, &order, ends).map_err(|m| {
        // Helm 4 moved SimpleHead from pkg/releaseutil to pkg/release/v1/util.
        let m = if release.helm.is_v4() {
            m.replace("type releaseutil.SimpleHead", "type util.SimpleHead")
        } else {
            m
        };
        RenderError {
            blame: yaml_blame(&m, &rendered, &release.user),
            ..err(m)
        }
    })?;
    let mut rendered = rendered;
    rendered.read_docs = std::mem::take(&mut sorted.read);
    if opts.skip_tests {
        sorted.hooks.retain(|h| !h.is_test);
    }
    if opts.no_hooks {
        sorted.hooks.clear();
    }
    if opts.include_crds {
        sorted.crds = crds(&scopes, release.helm.build().since((3, 13, 0)));
    }
    Ok(Output {
        files: rendered,
        sorted,
        left_out: Vec::new(),
    })
}

/// The keys behind a manifest Helm cannot parse (`YAML parse error on PATH: … line N: …`): the
/// values the user set that were printed on the failing line, then the keys the file read that
/// the user set to null or `""` (they print nothing, so they show on no line), the key at fault
/// last.
fn yaml_blame(
    message: &str,
    rendered: &engine::RenderedFiles,
    user: &Map,
) -> Vec<crate::template::value::KeyPath> {
    let mut out: Vec<crate::template::value::KeyPath> = Vec::new();
    let Some(path) = message
        .strip_prefix("YAML parse error on ")
        .and_then(|rest| rest.split(": ").next())
    else {
        return out;
    };
    let Some(buf) = rendered.files.get(path) else {
        return out;
    };
    let user_written = |prov: &crate::template::value::Prov| {
        matches!(
            prov.origin,
            crate::value::Origin::File { .. } | crate::value::Origin::Set { .. }
        )
    };
    // The failing document, and the line in it.
    let line = message
        .rsplit_once("yaml: line ")
        .and_then(|(_, rest)| rest.split(':').next())
        .and_then(|n| n.parse::<usize>().ok());
    let ends = manifest::DocEnds::of(rendered.templates.build);
    let failing = manifest::split_manifests(&buf.text, ends)
        .into_iter()
        .find(|doc| manifest::head_fails(doc));
    if let (Some(line), Some(doc)) = (line, failing) {
        let doc_start = doc.as_ptr() as usize - buf.text.as_ptr() as usize;
        let mut start = doc_start;
        for (i, l) in doc.split_inclusive('\n').enumerate() {
            if i + 1 == line {
                let range = start..start + l.len();
                let go_map = l.contains("map[");
                for seg in buf
                    .segs
                    .iter()
                    .filter(|s| (s.start as usize) < range.end && (s.end as usize) > range.start)
                {
                    if !user_written(&seg.prov) {
                        continue;
                    }
                    let mut path = as_written(&seg.prov.user_path, user);
                    // A map printed where a string belongs breaks the line, not the string
                    // inside it — in Go's form (`- name: map[name:x]`) or as YAML (`- name:
                    // name: x`): the map is what to write another way.
                    let before = buf
                        .text
                        .get(range.start..(seg.start as usize).max(range.start))
                        .unwrap_or("");
                    let as_yaml = path
                        .last()
                        .is_some_and(|k| before.ends_with(&format!("{k}: ")));
                    if (go_map || as_yaml)
                        && path.len() > 1
                        && crate::value::lookup_through_lists(user, &path[..path.len() - 1])
                            .is_some_and(|n| matches!(n.value, crate::value::Value::Map(_)))
                    {
                        path = path[..path.len() - 1].into();
                    }
                    if !out.contains(&path) {
                        out.push(path);
                    }
                }
                break;
            }
            start += l.len();
        }
    }
    if let Some(range) = rendered.read_ranges.get(path) {
        for r in &rendered.reads[range.clone()] {
            let p = r.path();
            // A read of the whole `.Values` (`toYaml .Values`) has the empty path. A null and
            // an empty string print nothing, so neither shows on the failing line.
            let prints_nothing = crate::value::lookup_path(user, &p).is_some_and(|n| {
                matches!(&n.value, crate::value::Value::Null)
                    || matches!(&n.value, crate::value::Value::Str(s) if s.is_empty())
            });
            if prints_nothing && !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// The path as the user wrote it: a global a subchart reads (`sub.global.a`, copied there by
/// Helm's coalesce) is the user's `global.a`.
pub(crate) fn as_written(
    path: &crate::template::value::KeyPath,
    user: &Map,
) -> crate::template::value::KeyPath {
    match path.iter().skip(1).position(|p| &**p == "global") {
        Some(i) if crate::value::lookup_through_lists(user, &path[i + 1..]).is_some() => {
            path[i + 1..].into()
        }
        _ => path.clone(),
    }
}

/// Helm's `CRDObjects`: the YAML and JSON files under `crds/` of each chart that renders, the
/// chart's own first, then its subcharts'; each named by its path from the top chart
/// (`full_paths`, Helm 3.13 on) or inside its own chart (`crds/a.yaml`).
fn crds(scopes: &[engine::Scope<'_>], full_paths: bool) -> Vec<manifest::Manifest> {
    let mut out = Vec::new();
    for scope in scopes {
        let Some(content) = &scope.chart.content else {
            continue;
        };
        for f in &content.files {
            let ext = f.name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
            if f.name.starts_with("crds/")
                && matches!(ext.as_deref(), Some("yaml" | "yml" | "json"))
            {
                let path = if full_paths {
                    format!("{}/{}", scope.full_path, f.name)
                } else {
                    f.name.clone()
                };
                out.push(manifest::Manifest {
                    path,
                    content: String::from_utf8_lossy(&f.data).into_owned(),
                    ..manifest::Manifest::default()
                });
            }
        }
    }
    out
}

/// The dependencies the top-level chart's `Chart.yaml` names that its `charts/` lacks.
pub(crate) fn missing_dependencies(chart: &Chart) -> Vec<&str> {
    let Some(content) = &chart.content else {
        return Vec::new();
    };
    content
        .metadata
        .dependencies
        .iter()
        .filter(|d| !chart.dependencies.iter().any(|s| s.chart.name == d.name))
        .map(|d| d.name.as_str())
        .collect()
}

/// Helm's `CheckDependencies` on the top-level chart: every declared dependency is present.
fn check_dependencies(chart: &Chart, helm: HelmVersion) -> Result<(), RenderError> {
    let missing = missing_dependencies(chart);
    if missing.is_empty() {
        return Ok(());
    }
    // Helm 4 starts the message lower-case.
    let an = if helm.is_v4() { "an" } else { "An" };
    Err(RenderError::before(format!(
        "{an} error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {}",
        missing.join(", ")
    )))
}

/// Helm's `ValidateAgainstSchema`: the chart's values against its schema, then each subchart
/// that renders against its own, the messages collected.
fn validate_schemas(
    chart: &Chart,
    values: &Map,
    helm: HelmVersion,
    enabled: &dyn Fn(&[String]) -> bool,
) -> Result<(), RenderError> {
    let mut report = String::new();
    let mut path = Vec::new();
    if helm.is_v4() {
        collect_schema_errors_v4(chart, values, enabled, &mut path, &mut report);
    } else {
        collect_schema_errors(chart, values, enabled, &mut path, &mut report);
    }
    if report.is_empty() {
        return Ok(());
    }
    Err(RenderError::before(format!(
        "values don't meet the specifications of the schema(s) in the following chart(s):\n{report}"
    )))
}

/// Helm 3 (gojsonschema): a subchart without values is checked against an empty map.
fn collect_schema_errors(
    chart: &Chart,
    values: &Map,
    enabled: &dyn Fn(&[String]) -> bool,
    path: &mut Vec<String>,
    report: &mut String,
) {
    if let Some(schema) = chart.content.as_ref().and_then(|c| c.schema.as_ref()) {
        let name = path.last().cloned().unwrap_or_else(|| chart.name.clone());
        match schema::validate(schema, values) {
            Ok(errors) if errors.is_empty() => {}
            Ok(errors) => {
                report.push_str(&format!("{name}:\n"));
                for e in errors {
                    report.push_str(&e);
                    report.push('\n');
                }
            }
            Err(e) => report.push_str(&format!("{name}:\n{e}")),
        }
    }
    for dep in &chart.dependencies {
        path.push(dep.key.clone());
        if enabled(path) {
            let empty = Map::new();
            let sub = values
                .get(&dep.key)
                .and_then(crate::value::Node::as_map)
                .unwrap_or(&empty);
            collect_schema_errors(&dep.chart, sub, enabled, path, report);
        }
        path.pop();
    }
}

/// Helm 4 (jsonschema v6): a subchart whose values are missing or null is skipped with its own
/// subcharts; values that are not a map are reported by their Go type.
fn collect_schema_errors_v4(
    chart: &Chart,
    values: &Map,
    enabled: &dyn Fn(&[String]) -> bool,
    path: &mut Vec<String>,
    report: &mut String,
) {
    if let Some(schema) = chart.content.as_ref().and_then(|c| c.schema.as_ref()) {
        let name = path.last().cloned().unwrap_or_else(|| chart.name.clone());
        if let Some(text) = schema_v4::validate(schema, values) {
            report.push_str(&format!("{name}:\n{text}"));
        }
    }
    for dep in &chart.dependencies {
        path.push(dep.key.clone());
        if enabled(path) {
            match values.get(&dep.key).map(|n| &n.value) {
                None | Some(crate::value::Value::Null) => {}
                Some(crate::value::Value::Map(sub)) => {
                    collect_schema_errors_v4(&dep.chart, sub, enabled, path, report);
                }
                Some(other) => report.push_str(&format!(
                    "{}:\ninvalid type for values: expected object (map), got {}\n",
                    dep.key,
                    go_type(other)
                )),
            }
        }
        path.pop();
    }
}

/// Go's `%T` of a value as Helm holds it.
fn go_type(v: &crate::value::Value) -> &'static str {
    use crate::value::Value;
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int64",
        Value::Float(_) => "float64",
        Value::Str(_) => "string",
        Value::Seq(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
    }
}

fn collect_scope_paths(
    chart: &Chart,
    enabled: &dyn Fn(&[String]) -> bool,
    path: &mut Vec<String>,
    out: &mut Vec<Vec<Rc<str>>>,
) {
    for dep in &chart.dependencies {
        path.push(dep.key.clone());
        if enabled(path) {
            out.push(path.iter().map(|s| Rc::from(s.as_str())).collect());
            collect_scope_paths(&dep.chart, enabled, path, out);
        }
        path.pop();
    }
}

//! Helm's engine pass (`pkg/engine/engine.go`): every template of every chart that renders is
//! parsed into one set, deepest path first, then every file that is not a partial is executed
//! with its chart's dot.
//!
//! Each chart gets one dot map (`Chart`, `Files`, `Release`, `Capabilities`, `Values`,
//! `Subcharts`), shared by all its templates; `Template` is set on it before each file runs, as
//! Helm does.

use crate::template::helm_errors::cleanup_parse_error;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use super::files::Files;
use super::objects::{Capabilities, ChartObject};
use crate::chart::Chart;
use crate::template::exec::remove_no_value;
use crate::template::value::Entries;
use crate::template::value::{KeyPath, MapData, StrBuf, Value};
use crate::template::{Exec, Templates};

/// A chart of the release that renders, with the name it renders under.
pub(crate) struct Scope<'c> {
    /// The chart.
    pub(crate) chart: &'c Chart,
    /// `stackstate`, `stackstate/charts/kafka` (Helm's `ChartFullPath`).
    pub(crate) full_path: String,
    /// The dot of its templates.
    pub(crate) dot: Value,
}

/// One template file to parse.
struct Renderable<'c> {
    name: String,
    /// Its bytes (read as text by [`Templates::parse_file_bytes`]).
    data: &'c [u8],
    /// Its trees packed at build time (built-in charts).
    parsed: Option<&'c crate::file_bytes::FileBytes>,
    scope: usize,
}

/// What the engine pass produced: every non-partial template's output, by name.
#[derive(Debug, Default)]
pub struct RenderedFiles {
    /// Every template parsed (kept so that a caller that exits next need not free it).
    #[allow(
        dead_code,
        reason = "held, not read: `render` forgets the output rather than free the parse at exit"
    )]
    pub(crate) templates: Templates,
    /// `stackstate/templates/x.yaml` → output (`<no value>` removed).
    pub(crate) files: BTreeMap<String, StrBuf>,
    /// Values keys read, for read tracking.
    pub(crate) reads: Vec<crate::template::Read>,
    /// The user's values choosing functions passed over ([`crate::template::Unpicked`]).
    pub(crate) unpicked: Vec<crate::template::Unpicked>,
    /// The templates that made them, by [`crate::template::Read::template`].
    #[allow(
        dead_code,
        reason = "read tracking's record of who read; no rule asks yet"
    )]
    pub(crate) read_templates: Vec<Rc<str>>,
    /// The reads each file's execution made (a range of `reads`).
    pub(crate) read_ranges: BTreeMap<String, std::ops::Range<usize>>,
    /// Per file, the actions of its own template that wrote output: the bytes of the file they
    /// wrote and the reads they made (a range of `reads`), in output order.
    pub(crate) printed: BTreeMap<String, Vec<Printed>>,
    /// The messages of the `required` calls that got a stand-in (see
    /// [`crate::template::funcs::Ctx::stand_in_required`]).
    pub(crate) unmet: Vec<String>,
    /// The documents that may name an image as Helm's sort read them, by file and bytes (see
    /// [`crate::render::manifest::Sorted::read`]).
    pub(crate) read_docs: crate::render::manifest::ReadDocs,
}

/// What one action of a file's template wrote, and the values keys it read to do so.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Printed {
    /// The bytes of the file (after `<no value>` is removed).
    pub(crate) bytes: std::ops::Range<usize>,
    /// Its reads: a range of [`RenderedFiles::reads`].
    pub(crate) reads: std::ops::Range<usize>,
}

/// A failure of the engine pass, worded as Helm words it, with the keys the failing action
/// read (as the user writes them), the key at fault last; and, when every failure was asked
/// for ([`super::Options::every_failure`]), those of the files after the failing one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EngineError(
    pub(crate) String,
    pub Vec<KeyPath>,
    pub(crate) Vec<(String, Vec<KeyPath>)>,
);

impl EngineError {
    /// Whether the template ran out of one of the engine's budgets (fuel, depth, output) rather
    /// than failing as Helm would.
    pub(crate) fn is_budget(&self) -> bool {
        self.0.starts_with(BUDGET_PREFIX)
    }
}

/// Marks an engine budget failure in an [`EngineError`]'s text.
pub(crate) const BUDGET_PREFIX: &str = "stackstate-lint stopped the render: ";

/// The release-wide parts of every dot.
pub(crate) struct Globals {
    /// The Go name of the type of `.Values`, the dot and `.Template` (`chartutil.Values`).
    pub(crate) values_type: &'static str,
    /// `.Release`.
    pub(crate) release: Value,
    /// `.Capabilities`.
    pub(crate) capabilities: Rc<Capabilities>,
    /// Helm 4 gives `.Chart` as a map (`structToMap`), Helm 3 as a struct.
    pub(crate) helm4: bool,
}

/// Builds the scopes: the chart and, recursively, every subchart `enabled` keeps.
/// `values` is the release's `.Values`.
pub(crate) fn scopes<'c>(
    chart: &'c Chart,
    values: Value,
    globals: &Globals,
    enabled: &dyn Fn(&[String]) -> bool,
) -> Vec<Scope<'c>> {
    let mut out = Vec::new();
    let name = chart
        .content
        .as_ref()
        .map(|c| c.metadata.name.clone())
        .unwrap_or_else(|| chart.name.clone());
    add_scope(
        chart,
        &name,
        name.clone(),
        true,
        values,
        globals,
        enabled,
        &mut Vec::new(),
        &mut out,
    );
    out
}

#[allow(clippy::too_many_arguments)]
fn add_scope<'c>(
    chart: &'c Chart,
    name: &str,
    full_path: String,
    is_root: bool,
    values: Value,
    globals: &Globals,
    enabled: &dyn Fn(&[String]) -> bool,
    path: &mut Vec<String>,
    out: &mut Vec<Scope<'c>>,
) -> Value {
    let (meta, files) = match &chart.content {
        Some(c) => (
            Arc::new(shown_metadata(chart, &c.metadata, enabled, path)),
            Files::new(c.files.iter().map(|f| (f.name.clone(), f.data.clone()))),
        ),
        None => (Arc::default(), Files::default()),
    };
    let subcharts = Value::empty_map();
    let mut entries: Entries = Entries::new();
    let chart_value = if globals.helm4 {
        super::chart_parts::helm4_chart(&meta, name, is_root)
    } else {
        Value::Object(Rc::new(ChartObject {
            meta,
            name: name.to_string(),
            is_root: Some(is_root),
        }))
    };
    entries.insert("Chart".into(), chart_value);
    entries.insert("Files".into(), Value::Object(Rc::new(files)));
    entries.insert("Release".into(), globals.release.clone());
    entries.insert(
        "Capabilities".into(),
        Value::Object(globals.capabilities.clone()),
    );
    entries.insert("Values".into(), values.clone());
    entries.insert("Subcharts".into(), subcharts.clone());
    // Helm's `chartutil.Values` (`common.Values` in Helm 4), as are `.Values` and `.Template`.
    let dot = Value::Map(Rc::new(std::cell::RefCell::new(MapData::build(|m| {
        m.entries = entries;
        m.values_type = Some(globals.values_type);
        m.root = true;
    }))));
    out.push(Scope {
        chart,
        full_path: full_path.clone(),
        dot: dot.clone(),
    });
    for dep in &chart.dependencies {
        path.push(dep.key.clone());
        if enabled(path) {
            let sub_values = match &values {
                // A subchart's `.Values` is the parent's map under its key (`Values.Table`), a
                // plain `map[string]interface {}` there and a `Values` here, with its methods.
                // The type belongs to a map here, so the subchart's is a twin of the parent's
                // (`retyped`): a key `set` on either is made in both, as in Helm's one map.
                Value::Map(m) => match m.borrow().entries.get(dep.key.as_str()) {
                    Some(Value::Map(sub)) => {
                        crate::template::value::retyped(sub, Some(globals.values_type))
                    }
                    _ => values_map(globals.values_type),
                },
                _ => values_map(globals.values_type),
            };
            let child = add_scope(
                &dep.chart,
                &dep.key,
                format!("{full_path}/charts/{}", dep.key),
                false,
                sub_values,
                globals,
                enabled,
                path,
                out,
            );
            // Helm keeps the subchart's objects in `.Subcharts` as the plain map they are
            // built as (a `Values` only as its templates' dot): a twin of the dot here.
            let child = match &child {
                Value::Map(c) => crate::template::value::retyped(c, None),
                other => other.clone(),
            };
            if let Value::Map(m) = &subcharts {
                m.borrow_mut()
                    .entries
                    .insert(Rc::from(dep.key.as_str()), child);
            }
        }
        path.pop();
    }
    dot
}

/// Chart.yaml as the chart's templates see it after Helm's `processDependencyEnabled`: in a
/// chart it processed, the dependencies switched off are gone and the others are named by
/// their alias and enabled; elsewhere they are as written.
fn shown_metadata(
    chart: &Chart,
    meta: &crate::chart::content::Metadata,
    enabled: &dyn Fn(&[String]) -> bool,
    path: &mut Vec<String>,
) -> crate::chart::content::Metadata {
    let mut meta = meta.clone();
    if !meta.processed {
        return meta;
    }
    meta.dependencies = std::mem::take(&mut meta.dependencies)
        .into_iter()
        .filter_map(|mut d| {
            if !d.alias.is_empty() {
                d.name = d.alias.clone();
            }
            path.push(d.name.clone());
            let off = chart.dependencies.iter().any(|x| x.key == d.name) && !enabled(path);
            path.pop();
            d.enabled = true;
            (!off).then_some(d)
        })
        .collect();
    meta
}

/// Helm's `sortTemplates`: more `/` first; within a depth, reverse lexical order.
pub(crate) fn sort_templates(names: &mut [String]) {
    // The depths counted once per name, not twice per comparison (a chart with its subcharts
    // has a thousand templates).
    let mut keyed: Vec<(usize, String)> = names
        .iter_mut()
        .map(|n| (n.bytes().filter(|&b| b == b'/').count(), std::mem::take(n)))
        .collect();
    keyed.sort_unstable_by(|(da, a), (db, b)| db.cmp(da).then_with(|| b.cmp(a)));
    for (slot, (_, name)) in names.iter_mut().zip(keyed) {
        *slot = name;
    }
}

/// Parses every template of `scopes` and executes the ones that are not partials; `limits`,
/// `analysis`, `stand_in_required` and `every_failure` as [`super::Options`] has them.
pub(crate) fn render(
    scopes: &[Scope<'_>],
    opts: &super::Options,
    helm: crate::merge::HelmVersion,
) -> Result<RenderedFiles, EngineError> {
    let mut renderables: Vec<Renderable<'_>> = Vec::new();
    for (i, scope) in scopes.iter().enumerate() {
        let Some(content) = &scope.chart.content else {
            continue;
        };
        let library = content.metadata.is_library();
        for t in &content.templates {
            let base = t.name.rsplit('/').next().unwrap_or(&t.name);
            // A library chart contributes only its partials (`isTemplateValid`).
            if library && !base.starts_with('_') {
                continue;
            }
            renderables.push(Renderable {
                name: format!("{}/{}", scope.full_path, t.name),
                data: &t.data,
                parsed: content.parsed_templates.get(&t.name),
                scope: i,
            });
        }
    }
    // A later file of the same name replaces an earlier one, as in Helm's map.
    let mut by_name: BTreeMap<String, usize> = BTreeMap::new();
    for (i, r) in renderables.iter().enumerate() {
        by_name.insert(r.name.clone(), i);
    }
    let mut names: Vec<String> = by_name.keys().cloned().collect();
    sort_templates(&mut names);

    let mut set = Templates::new();
    set.build = helm.build();
    for name in &names {
        let r = &renderables[by_name[name]];
        set.parse_file_bytes(name, r.data, r.parsed).map_err(|e| {
            EngineError(
                cleanup_parse_error(name, &e.message),
                Vec::new(),
                Vec::new(),
            )
        })?;
    }
    let mut exec = Exec::new(&set, opts.limits);
    exec.ctx.analysis = opts.analysis;
    exec.ctx.stand_in_required = opts.stand_in_required;
    let mut failed: Option<EngineError> = None;
    let mut files = BTreeMap::new();
    let mut read_ranges = BTreeMap::new();
    let mut printed = BTreeMap::new();
    let mut rendered = 0usize;
    for name in &names {
        let base = name.rsplit('/').next().unwrap_or(name);
        if base.starts_with('_') {
            continue;
        }
        let r = &renderables[by_name[name]];
        let scope = &scopes[r.scope];
        if let Value::Map(m) = &scope.dot {
            let template = template_value(
                name,
                &format!("{}/templates", scope.full_path),
                helm.values_type(),
            );
            crate::template::memo::set_template(m, template);
        }
        let first_read = exec.reads.len();
        let buf = match exec.execute(name, scope.dot.clone()) {
            Ok(buf) => buf,
            Err(e) => {
                let message = cleanup_exec_error(name, &e, helm);
                let blame = exec.failing_reads();
                // NOTE: a budget spent is no failure of the chart's: the files after it are
                // left unrendered.
                if e.kind == crate::template::error::ErrorKind::Budget {
                    return Err(failed.unwrap_or(EngineError(message, blame, Vec::new())));
                }
                match &mut failed {
                    Some(first) => first.2.push((message, blame)),
                    None if opts.every_failure => {
                        failed = Some(EngineError(message, blame, Vec::new()));
                    }
                    None => return Err(EngineError(message, blame, Vec::new())),
                }
                exec.forget_failure();
                continue;
            }
        };
        if failed.is_some() {
            continue;
        }
        rendered = rendered.saturating_add(buf.text.len());
        crate::large_render::rendered(rendered);
        read_ranges.insert(name.clone(), first_read..exec.reads.len());
        printed.insert(
            name.clone(),
            shifted(std::mem::take(&mut exec.printed), &buf.text),
        );
        files.insert(name.clone(), remove_no_value(buf));
    }
    if let Some(failure) = failed {
        return Err(failure);
    }
    let reads = std::mem::take(&mut exec.reads);
    let unpicked = std::mem::take(&mut exec.unpicked);
    let read_templates = std::mem::take(&mut exec.template_names);
    let unmet = std::mem::take(&mut exec.ctx.unmet);
    drop(exec);
    Ok(RenderedFiles {
        templates: set,
        files,
        reads,
        unpicked,
        read_templates,
        read_ranges,
        printed,
        unmet,
        read_docs: Default::default(),
    })
}

/// The actions' byte ranges as they are once `<no value>` is removed from `text`.
fn shifted(
    actions: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
    text: &str,
) -> Vec<Printed> {
    use crate::template::exec::NO_VALUE;
    let removed: Vec<usize> = crate::template::exec::no_value_positions(text).collect();
    // A position inside a removed `<no value>` moves to where it was.
    let map = |at: usize| {
        let before = removed.partition_point(|&r| r + NO_VALUE.len() <= at);
        let inside = removed
            .get(before)
            .filter(|&&r| r < at)
            .map_or(0, |&r| at - r);
        at - before * NO_VALUE.len() - inside
    };
    actions
        .into_iter()
        .map(|(bytes, reads)| Printed {
            bytes: map(bytes.start)..map(bytes.end),
            reads,
        })
        .filter(|p| !p.bytes.is_empty())
        .collect()
}

/// A new, empty `chartutil.Values` (a subchart's `.Values` when the parent has none for it).
fn values_map(values_type: &'static str) -> Value {
    Value::Map(Rc::new(std::cell::RefCell::new(MapData::build(|m| {
        m.values_type = Some(values_type);
    }))))
}

fn template_value(name: &str, base_path: &str, values_type: &'static str) -> Value {
    let mut entries = Entries::new();
    entries.insert(Rc::from("Name"), Value::str(name));
    entries.insert(Rc::from("BasePath"), Value::str(base_path));
    Value::Map(Rc::new(std::cell::RefCell::new(MapData::build(|m| {
        m.entries = entries;
        m.values_type = Some(values_type);
        // It differs between files (see `template::memo`).
        m.root = true;
    }))))
}

/// Helm's `cleanupExecError`: a `fail`/`required` message becomes
/// `execution error at (NAME:LINE:COL): MESSAGE`; other errors stay as Go words them.
fn cleanup_exec_error(
    filename: &str,
    err: &crate::template::Error,
    helm: crate::merge::HelmVersion,
) -> String {
    use crate::template::error::ErrorKind;
    let message = &err.message;
    if err.kind == ErrorKind::Budget {
        return format!("{BUDGET_PREFIX}{message}");
    }
    if err.kind != ErrorKind::Exec {
        return message.clone();
    }
    if let Some(cleaned) = crate::template::helm_errors::cleanup_exec_message(filename, message) {
        return cleaned;
    }
    if helm.is_v4()
        && let Some(traced) = traceable(message)
    {
        return traced;
    }
    message.clone()
}

/// Helm 4's `reformatExecErrorMsg`: each error of Go's chain (a call's error is wrapped in the
/// error of the action that made it: `error calling NAME: INNER`) on lines of its own —
/// location, then `executing "NAME" at <ACTION>:`, then the message — or None where a link is
/// not a template's error (`index`'s, `tpl`'s: Helm 4 then prints Go's one line, as Helm 3).
fn traceable(message: &str) -> Option<String> {
    let mut out = String::new();
    let mut last: Option<(&str, &str, &str, &str)> = None;
    let mut current = message;
    loop {
        let remainder = current.strip_prefix("template: ")?;
        if remainder.starts_with("no template ") {
            out.push_str(current);
            out.push('\n');
            break;
        }
        let cut = |m: &'_ str| -> usize { m.find(" template:").unwrap_or(m.len()) };
        let (link, next) = match remainder.find(": executing ") {
            Some(idx) => {
                let after = &remainder[idx + ": executing ".len()..];
                let body = after.strip_prefix('"')?;
                let end = body.find('"')?;
                let after_at = body[end + 1..].strip_prefix(" at <")?;
                let end_loc = after_at.find(">: ")?;
                let text = &after_at[end_loc + ">: ".len()..];
                let link = (
                    &remainder[..idx],
                    &after[..end + 2],
                    &after_at[..end_loc],
                    &text[..cut(text)],
                );
                (link, wrapped(text))
            }
            None => {
                let sep = remainder.rfind(": ")?;
                let text = &remainder[sep + 2..];
                (
                    (&remainder[..sep], "", "", &text[..cut(text)]),
                    wrapped(text),
                )
            }
        };
        // Go's chain holds each action's error twice (the ExecError and the error it wraps);
        // Helm drops a link equal to the one before.
        if last != Some(link) {
            let (location, function, at, text) = link;
            if !location.is_empty() {
                out.push_str(location);
                out.push_str("\n  ");
            }
            if !function.is_empty() {
                out.push_str(&format!("executing {function} at <{at}>:\n    "));
            }
            if !text.is_empty() {
                out.push_str(text);
                out.push('\n');
            }
        }
        last = Some(link);
        match next {
            Some(inner) => current = inner,
            None => break,
        }
    }
    Some(out.trim().to_string())
}

/// The error a call's error wraps: what follows `error calling NAME: ` (Go's `%w`).
fn wrapped(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("error calling ")?;
    let colon = rest.find(": ")?;
    Some(&rest[colon + 2..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::HelmVersion;

    #[test]
    fn templates_sort_deepest_first_then_reverse_lexical() {
        let mut names: Vec<String> = [
            "s/templates/a.yaml",
            "s/templates/_h.tpl",
            "s/charts/k/templates/b.yaml",
            "s/charts/k/charts/z/templates/c.yaml",
            "s/templates/z.yaml",
            "s/charts/k/templates/a.yaml",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        sort_templates(&mut names);
        assert_eq!(
            names,
            [
                "s/charts/k/charts/z/templates/c.yaml",
                "s/charts/k/templates/b.yaml",
                "s/charts/k/templates/a.yaml",
                "s/templates/z.yaml",
                "s/templates/a.yaml",
                "s/templates/_h.tpl",
            ]
        );
    }

    /// A chart of three templates, two failing: every failure when asked for, else the first.
    #[test]
    fn every_failure_renders_the_files_after_a_failing_one() {
        let dir = std::env::temp_dir().join(format!("sl-every-failure-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let write = |name: &str, text: &str| {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n");
        write("c/values.yaml", "a: {}\n");
        write("c/templates/x.yaml", "x: {{ fail \"x is wrong\" }}\n");
        write("c/templates/m.yaml", "m: {{ .Values.a.b.c }}\n");
        write(
            "c/templates/a.yaml",
            "a: {{ required \"a.key is required\" .Values.a.key }}\n",
        );
        let mut sources = crate::source::Sources::new();
        let chart = crate::chart::load_path_with(
            &dir.join("c"),
            &mut sources,
            crate::chart::Load::Everything,
        )
        .unwrap();
        let render = |every_failure| {
            let opts = super::super::Options {
                every_failure,
                ..Default::default()
            };
            super::super::render(&chart, crate::value::Map::new(), HelmVersion::V3, &opts)
                .unwrap_err()
        };
        let first = "execution error at (c/templates/x.yaml:1:6): x is wrong";
        let e = render(false);
        assert_eq!((e.message.as_str(), e.later.len()), (first, 0));
        // Helm's order: x, m, a (Helm 3.17.3 words each failure so alone); the first is the
        // failure reported.
        let e = render(true);
        assert_eq!(e.message, first);
        let later: Vec<(&str, String)> = e
            .later
            .iter()
            .map(|(m, blame)| (m.as_str(), crate::key_path::display(blame.last().unwrap())))
            .collect();
        assert_eq!(
            later,
            [
                (
                    "template: c/templates/m.yaml:1:13: executing \"c/templates/m.yaml\" at <.Values.a.b.c>: nil pointer evaluating interface {}.c",
                    "a.b".to_string()
                ),
                (
                    "execution error at (c/templates/a.yaml:1:6): a.key is required",
                    "a.key".to_string()
                ),
            ]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn errors_are_cleaned_up_like_helm() {
        assert_eq!(
            cleanup_parse_error(
                "c/templates/x.yaml",
                "template: c/templates/x.yaml:3: unexpected \"}\" in operand"
            ),
            "parse error at (c/templates/x.yaml:3): unexpected \"}\" in operand"
        );
        let e = crate::template::Error {
            kind: crate::template::error::ErrorKind::Exec,
            message: "template: c/templates/x.yaml:1:3: executing \"c/templates/x.yaml\" at <fail \"boom\">: error calling fail: HELM_ERR_STARTboomHELM_ERR_END".into(),
        };
        for helm in [HelmVersion::V3, HelmVersion::V4] {
            assert_eq!(
                cleanup_exec_error("c/templates/x.yaml", &e, helm),
                "execution error at (c/templates/x.yaml:1:3): boom"
            );
        }
    }

    /// What Helm 4.1.4 printed after `Error: ` for templates of a chart `x` (`a: 1` in its
    /// values), each given here in the one line Helm 3.17.3 printed for it.
    #[test]
    fn helm_4_puts_each_template_error_of_the_chain_on_lines_of_its_own() {
        let exec = |message: &str| crate::template::Error {
            kind: crate::template::error::ErrorKind::Exec,
            message: message.into(),
        };
        let cases = [
            // {{ .Values.a.b.c }}
            (
                "template: x/templates/t.yaml:1:10: executing \"x/templates/t.yaml\" at <.Values.a.b.c>: can't evaluate field b in type interface {}",
                "x/templates/t.yaml:1:10\n  executing \"x/templates/t.yaml\" at <.Values.a.b.c>:\n    can't evaluate field b in type interface {}",
            ),
            // {{ include "nope" . }}
            (
                "template: x/templates/t.yaml:1:3: executing \"x/templates/t.yaml\" at <include \"nope\" .>: error calling include: template: no template \"nope\" associated with template \"gotpl\"",
                "x/templates/t.yaml:1:3\n  executing \"x/templates/t.yaml\" at <include \"nope\" .>:\n    error calling include:\ntemplate: no template \"nope\" associated with template \"gotpl\"",
            ),
            // {{ include "h" . }} where h has {{ .Values.loki.config }} given to a string argument
            (
                "template: x/templates/t.yaml:26:12: executing \"x/templates/t.yaml\" at <include \"h\" .>: error calling include: template: x/templates/_helpers.tpl:180:52: executing \"h\" at <.Values.loki.config>: wrong type for value; expected string; got interface {}",
                "x/templates/t.yaml:26:12\n  executing \"x/templates/t.yaml\" at <include \"h\" .>:\n    error calling include:\nx/templates/_helpers.tpl:180:52\n  executing \"h\" at <.Values.loki.config>:\n    wrong type for value; expected string; got interface {}",
            ),
        ];
        for (go, helm4) in cases {
            assert_eq!(
                cleanup_exec_error("x/templates/t.yaml", &exec(go), HelmVersion::V4),
                helm4
            );
            assert_eq!(
                cleanup_exec_error("x/templates/t.yaml", &exec(go), HelmVersion::V3),
                go
            );
        }
        // A link that is no template's error (`index`'s, `tpl`'s): Go's one line, as Helm 3.
        for go in [
            "template: x/templates/t.yaml:1:3: executing \"x/templates/t.yaml\" at <index (list 1) 5>: error calling index: index out of range: 5",
            "template: x/templates/t.yaml:1:3: executing \"x/templates/t.yaml\" at <include \"h\" .>: error calling include: template: x/templates/t.yaml:1:38: executing \"h\" at <index (list 1) 5>: error calling index: index out of range: 5",
            "template: x/templates/t.yaml:1:3: executing \"x/templates/t.yaml\" at <tpl \"{{ .x.y }}\" .>: error calling tpl: error during tpl function execution for \"{{ .x.y }}\": template: gotpl:1:5: executing \"gotpl\" at <.x.y>: nil pointer evaluating interface {}.y",
        ] {
            assert_eq!(
                cleanup_exec_error("x/templates/t.yaml", &exec(go), HelmVersion::V4),
                go
            );
        }
    }
}

//! The run over PATHs that the lint command and `--fix` share: every PATH (each on top of the
//! -f files) with the config of its folder and the chart it pins (else one chosen for the run),
//! each release linted by [`crate::engine::lint_release`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::outcome::LintOutcome;
use crate::cli::InputArgs;
use crate::config::Config;
use crate::config_file;
use crate::diagnostic::{Finding, Severity};
use crate::engine::text::{self, FileKey, Text};
use crate::engine::{self, ReleaseReport, Selection, Setup};
use crate::error::InputError;
use crate::inputs;
use crate::release::{self, SetArg};
use crate::source::Sources;
use crate::yaml::Limits;

/// Default file-name globs for values files found in folders.
pub const DEFAULT_INCLUDE: &[&str] = &[
    "values*.yaml",
    "values*.yml",
    "*-values.yaml",
    "*-values.yml",
];

/// What a run over PATHs reads of the command line. The lint command and `--fix` build it from
/// their arguments, so that this layer does not depend on the command line's types.
pub struct Batch<'a> {
    /// The PATH arguments (folders are walked; none: `.`, unless -f files are given).
    pub paths: &'a [PathBuf],
    /// The chart, -f files, --set and Helm version arguments.
    pub input: &'a InputArgs,
    /// `--config`.
    pub config: Option<&'a Path>,
    /// `--no-config`.
    pub no_config: bool,
    /// `--select`: only these rules (codes, code prefixes or names).
    pub select: &'a [String],
    /// `--ignore`: the rules not to run.
    pub ignore: &'a [String],
    /// `--include`: the file-name globs of folder walks (none: [`DEFAULT_INCLUDE`]).
    pub include: &'a [String],
    /// `--exclude`: the path globs folder walks skip.
    pub exclude: &'a [String],
    /// `--release-name`.
    pub release_name: Option<&'a str>,
}

/// `--select` / `--ignore` of the run, checked: a pattern that names no rule is a usage error.
pub fn selection(batch: &Batch) -> Result<Selection, InputError> {
    let selection = Selection {
        select: batch.select.to_vec(),
        ignore: batch.ignore.to_vec(),
    };
    let unknown = selection.unknown();
    if !unknown.is_empty() {
        return Err(InputError::new(
            "--select/--ignore",
            format!("no rule matches {}", unknown.join(", ")),
        ));
    }
    Ok(selection)
}

/// A hidden file or folder (`.git`), which a walk skips.
fn hidden(e: &walkdir::DirEntry) -> bool {
    e.file_name().to_string_lossy().starts_with('.')
}

/// A chart's own folder below the one walked (a vendored `helm pull --untar`, a subchart): its
/// values files are the chart's defaults, not releases to lint.
fn chart_folder(e: &walkdir::DirEntry) -> bool {
    e.file_type().is_dir() && e.path().join("Chart.yaml").is_file()
}

/// Expands PATH arguments: folders are walked for values files, hidden folders and chart
/// folders below them skipped.
pub fn expand_paths(
    paths: &[PathBuf],
    include: &[String],
    exclude: &[String],
) -> Result<Vec<PathBuf>, InputError> {
    walk_paths(paths, include, exclude, &mut Vec::new())
}

/// [`expand_paths`], adding the chart folders it skipped to `skipped` (for the note that says
/// so).
fn walk_paths(
    paths: &[PathBuf],
    include: &[String],
    exclude: &[String],
    skipped: &mut Vec<PathBuf>,
) -> Result<Vec<PathBuf>, InputError> {
    let globs = |list: &[String], what: &str| -> Result<Vec<glob::Pattern>, InputError> {
        list.iter()
            .map(|g| {
                glob::Pattern::new(g)
                    .map_err(|e| InputError::new(format!("--{what} {g}"), e.to_string()))
            })
            .collect()
    };
    let include = if include.is_empty() {
        globs(
            &DEFAULT_INCLUDE
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
            "include",
        )?
    } else {
        globs(include, "include")?
    };
    let exclude = globs(exclude, "exclude")?;
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" || !p.is_dir() {
            out.push(p.clone());
            continue;
        }
        let before = out.len();
        let walker = walkdir::WalkDir::new(p)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() == 0 || hidden(e) {
                    return e.depth() == 0;
                }
                let chart = chart_folder(e);
                if chart {
                    skipped.push(e.path().to_path_buf());
                }
                !chart
            });
        for entry in walker {
            let entry =
                entry.map_err(|e| InputError::new(p.display().to_string(), e.to_string()))?;
            // A link to a file is read as Helm reads it (a shared layer linked into each
            // environment); a link to a folder is not walked, so no link loop is followed.
            let is_file = entry.file_type().is_file()
                || (entry.path_is_symlink()
                    && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()));
            if !is_file {
                continue;
            }
            let name = entry.file_name().to_string_lossy();
            let path_text = entry.path().to_string_lossy();
            if include.iter().any(|g| g.matches(&name))
                && !exclude
                    .iter()
                    .any(|g| g.matches(&path_text) || g.matches(&name))
            {
                out.push(entry.path().to_path_buf());
            }
        }
        // Linting nothing and exiting 0 would pass a CI check that checked nothing.
        if out.len() == before {
            let names: Vec<&str> = include.iter().map(glob::Pattern::as_str).collect();
            return Err(InputError::new(
                format!("No values file found under {}", p.display()),
                format!(
                    "looked for files named {} (--include picks other names)",
                    names.join(", ")
                ),
            ));
        }
    }
    Ok(out)
}

/// The configuration for a target: `--config`, else the nearest `.stackstate-lint.yaml`.
fn config_for(
    target: Option<&Path>,
    explicit: &Option<Config>,
    no_config: bool,
    cache: &mut HashMap<PathBuf, Config>,
    sources: &mut Sources,
) -> Result<Config, InputError> {
    if let Some(c) = explicit {
        return Ok(c.clone());
    }
    if no_config {
        return Ok(Config::default());
    }
    let Some(t) = target.filter(|t| t.as_os_str() != "-") else {
        return Ok(Config::default());
    };
    let dir = t
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Some(found) = config_file::discover(dir) else {
        return Ok(Config::default());
    };
    if let Some(c) = cache.get(&found) {
        return Ok(c.clone());
    }
    let c = config_file::load(&found, sources)?;
    cache.insert(found, c.clone());
    Ok(c)
}

/// The releases of a run by the chart they are linted with (indices into `targets`, in input
/// order, the first target's group first) and each target's group: one group when the command
/// line or `--config` names the chart, else one per `chart:` the targets' configs pin (no pin
/// is a group too: its chart is picked for its own files).
fn chart_groups(
    batch: &Batch,
    targets: &[Option<PathBuf>],
    explicit: &Option<Config>,
    (configs, sources): (&mut HashMap<PathBuf, Config>, &mut Sources),
) -> Result<(Vec<Group>, Vec<usize>), InputError> {
    let named = batch.input.chart.is_some() || batch.input.chart_version.is_some();
    if named || explicit.is_some() || batch.no_config || targets.len() < 2 {
        return Ok((
            vec![(None, (0..targets.len()).collect())],
            vec![0; targets.len()],
        ));
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of = Vec::with_capacity(targets.len());
    for (i, t) in targets.iter().enumerate() {
        let pin = config_for(t.as_deref(), explicit, batch.no_config, configs, sources)?.chart;
        let text = pin.as_ref().map(|p| &p.text);
        let g = match groups
            .iter()
            .position(|(p, _)| p.as_ref().map(|p| &p.text) == text)
        {
            Some(g) => g,
            None => {
                groups.push((pin, Vec::new()));
                groups.len() - 1
            }
        };
        groups[g].1.push(i);
        group_of.push(g);
    }
    Ok((groups, group_of))
}

/// The chart a config pins for some releases (none: picked for them), and their indices.
type Group = (Option<crate::config::ChartPin>, Vec<usize>);

/// The chart of a lint run: named (`--chart`, `--chart-version`, the `chart:` of `--config` or
/// of the first of `targets`' config), else picked for the keys of all of `targets` together.
fn choose_chart(
    batch: &Batch,
    (base, targets): (&[Text], &[Option<PathBuf>]),
    explicit: &Option<Config>,
    (configs, sources): (&mut HashMap<PathBuf, Config>, &mut Sources),
    helm: crate::merge::HelmVersion,
) -> Result<inputs::ChosenChart, InputError> {
    let first = targets.first().and_then(|t| t.as_deref());
    let config = config_for(first, explicit, batch.no_config, configs, sources)?;
    let named = batch.input.chart.is_some() || batch.input.chart_version.is_some();
    let mut keys = std::collections::BTreeSet::new();
    if !named && config.chart.is_none() {
        // Keys only, uncharged: the files are read again, checked and charged when each
        // release is linted.
        crate::budget::uncharged(|| {
            let mut scratch = Sources::new();
            let mut add = |text: &Text| {
                if let Ok(f) = release::load_values(
                    &text.name,
                    text.text.clone(),
                    &mut scratch,
                    helm,
                    &Limits::default(),
                ) {
                    crate::chart_pick::add_user_keys(&f.values, &mut keys);
                }
            };
            base.iter().for_each(&mut add);
            for t in targets.iter().flatten() {
                if let Ok(text) = text::read(t, batch.input.stdin_filename.as_deref()) {
                    add(&text);
                }
            }
        });
    }
    let keys: Vec<Vec<String>> = keys.into_iter().collect();
    let request = inputs::ChartRequest {
        input: batch.input,
        pinned: config.chart.as_ref(),
        keys: &keys,
        load: crate::chart::Load::Everything,
    };
    let chosen = inputs::choose_chart(&request, sources)?;
    inputs::check_complete(&chosen, batch.input)?;
    Ok(chosen)
}

/// The releases of a run over PATHs, each the file on top of the -f files (`None`: the -f files
/// alone): folders walked; no PATH is `.`, unless -f files are given. A file named twice (or
/// through a link) is one release: linted and fixed once.
/// Also adds the chart folders the walk skipped to `skipped`.
pub fn release_targets(
    paths: &[PathBuf],
    values_given: bool,
    include: &[String],
    exclude: &[String],
    skipped: &mut Vec<PathBuf>,
) -> Result<Vec<Option<PathBuf>>, InputError> {
    let targets = match (paths.is_empty(), values_given) {
        (true, true) => return Ok(vec![None]),
        (true, false) => walk_paths(&[PathBuf::from(".")], include, exclude, skipped)?,
        (false, _) => walk_paths(paths, include, exclude, skipped)?,
    };
    let mut seen = std::collections::HashSet::new();
    Ok(targets
        .into_iter()
        .filter(|p| p.as_os_str() == "-" || seen.insert(FileKey::of(p)))
        .map(Some)
        .collect())
}

/// Changes the texts of one release before it is linted (`--fix` applies its fixes): the setup,
/// the release's config and its texts in -f order.
pub type BeforeLint<'h> = dyn FnMut(&Setup, &Config, &mut [Text]) -> Result<(), InputError> + 'h;

/// Lints every PATH (each on top of the -f files) and returns the findings. With `before`,
/// each release's texts go through it first; what it changes in a -f file carries over to the
/// next PATH's release.
pub fn lint_paths(
    batch: &Batch,
    sets: &[SetArg],
    selection: &Selection,
    mut before: Option<&mut BeforeLint>,
) -> Result<LintOutcome, InputError> {
    if let Some(message) = batch
        .release_name
        .and_then(super::render::invalid_release_name)
    {
        // Helm refuses the name before it renders.
        return Err(InputError::new("--release-name", message));
    }
    let mut sources = Sources::new();
    let helm = inputs::helm_version(batch.input)?;
    let explicit_config = match batch.config {
        Some(p) => Some(config_file::load(p, &mut sources)?),
        None => None,
    };
    let mut base = Vec::new();
    for f in &batch.input.values {
        base.push(text::read(f, batch.input.stdin_filename.as_deref())?);
    }
    // `-f x -f x` is two layers (as in Helm) of one file: one text, fixed once.
    text::share_texts(&mut base);
    let mut skipped = Vec::new();
    let targets = release_targets(
        batch.paths,
        !base.is_empty(),
        batch.include,
        batch.exclude,
        &mut skipped,
    )?;
    let mut configs: HashMap<PathBuf, Config> = HashMap::new();
    // Each folder's config may pin its own chart: the releases of one pin share a chart.
    let (groups, group_of) = chart_groups(
        batch,
        &targets,
        &explicit_config,
        (&mut configs, &mut sources),
    )?;
    let mut charts = Vec::with_capacity(groups.len());
    for (_, members) in &groups {
        let of_group: Vec<Option<PathBuf>> = members.iter().map(|&i| targets[i].clone()).collect();
        charts.push(choose_chart(
            batch,
            (&base, &of_group),
            &explicit_config,
            (&mut configs, &mut sources),
            helm,
        )?);
    }
    let setups: Vec<Setup> = charts
        .iter()
        .map(|chosen| Setup {
            chart: &chosen.chart,
            helm,
            sets,
            selection,
            release_name: batch.release_name,
        })
        .collect();
    let mut notes: Vec<String> = charts.iter().filter_map(|c| c.note.clone()).collect();
    if groups.len() > 1 {
        for (chosen, (pin, members)) in charts.iter().zip(&groups) {
            let mut names: Vec<String> = members
                .iter()
                .take(3)
                .filter_map(|&i| targets[i].as_ref())
                .map(|p| p.display().to_string())
                .collect();
            if members.len() > names.len() {
                names.push(format!("{} more", members.len() - names.len()));
            }
            let why = match pin {
                Some(p) => format!(", pinned at {}", crate::escape::line(&p.at)),
                None => String::new(),
            };
            notes.push(format!(
                "note: {}: linted with {}{why}",
                crate::escape::line(&names.join(", ")),
                crate::escape::line(&chosen.label),
            ));
        }
    }
    for dir in &skipped {
        notes.push(format!(
            "note: skipped {}: a chart's folder (its values files are the chart's defaults); give a file of it as PATH to lint it",
            crate::escape::line(&dir.display().to_string())
        ));
    }
    for chosen in charts
        .iter()
        .filter(|c| !crate::lint::rendered::has_templates(&c.chart))
    {
        notes.push(format!(
            "note: {} has no templates (a values-only copy): only the checks of the values themselves ran; the image rules and the unused-key rules read the render (give the chart as `helm pull` gives it, or a built-in one with --chart-version)",
            crate::escape::line(&chosen.label)
        ));
    }
    let mut input_errors = Vec::new();
    let mut first = String::new();
    let workers = super::parallel::workers(targets.len());
    let mut targets = targets.into_iter().zip(group_of);
    // Read by the workers' rules while this thread adds the next release's files.
    let sources = RwLock::new(sources);
    // This thread, in input order: the config, the texts, `before`, the values merged.
    let next = || -> Result<Option<Job>, InputError> {
        for (target, group) in targets.by_ref() {
            let setup = &setups[group];
            let config = config_for(
                target.as_deref(),
                &explicit_config,
                batch.no_config,
                &mut configs,
                &mut write(&sources),
            )?;
            if target.as_ref().is_some_and(|t| config.ignores(t)) {
                continue;
            }
            let mut texts = base.clone();
            if let Some(t) = &target {
                match text::read(t, batch.input.stdin_filename.as_deref()) {
                    Ok(text) => texts.push(text),
                    Err(e) => {
                        input_errors.push(e);
                        continue;
                    }
                }
            }
            // A target that is also a -f file is that file with its fixes so far.
            text::share_texts(&mut texts);
            if first.is_empty() {
                first = texts.last().map(|t| t.name.clone()).unwrap_or_default();
            }
            if let Some(before) = before.as_deref_mut() {
                if let Err(e) = before(setup, &config, &mut texts) {
                    input_errors.push(e);
                    continue;
                }
                // Fixes to -f files carry over to the next PATH's release.
                let n = base.len();
                base.clone_from_slice(&texts[..n]);
            }
            match engine::load_release(setup, &mut write(&sources), &texts) {
                Ok(loaded) => {
                    let name = texts.last().map(|t| t.name.clone());
                    return Ok(Some((config, name, loaded, group)));
                }
                Err(e) => input_errors.push(e),
            }
        }
        Ok(None)
    };
    // A worker: the render, then the rules.
    let work = |(config, name, loaded, group): Job| {
        let report = engine::render_release(loaded).map(|rendered| {
            engine::check_release(&setups[group], &config, &read(&sources), rendered)
        });
        (name, report)
    };
    // Releases the engine's budgets stopped, in input order (reported with the input errors).
    let mut stopped = Vec::new();
    let mut findings = Vec::new();
    let mut files = 0;
    let mut reported = std::collections::HashSet::new();
    let mut stand_ins = crate::lint::required::StandIns::default();
    let mut unrenderable = Vec::new();
    // This thread again, in input order.
    let gather = |(name, report): (Option<String>, Result<ReleaseReport, InputError>)| {
        let report = match report {
            Ok(r) => r,
            Err(e) => return stopped.push(e),
        };
        let ReleaseReport {
            findings: found,
            left_out,
            stood_in,
            healed,
            fails,
            ..
        } = report;
        files += 1;
        if let Some(name) = &name {
            stand_ins.add(name, &stood_in);
            if !healed.is_empty() {
                notes.push(healed_note(name, &healed));
            }
        }
        if fails {
            let name = name.unwrap_or_else(|| "-".to_string());
            // The exit status says it either way; a note says why when no finding shown (and
            // no note of the healing) does.
            if healed.is_empty() && !found.iter().any(|f| f.severity == Severity::Error) {
                notes.push(format!(
                    "note: {}: Helm cannot render these values; no rule selected says why \
                     (SL105, SL203 and SL204 do)",
                    crate::escape::line(&name)
                ));
            }
            unrenderable.push(name);
        }
        for n in left_out {
            if !notes.contains(&n) {
                notes.push(n);
            }
        }
        // A -f file's findings come again with every PATH: kept once as they come, or
        // they would pile up with the number of PATHs.
        let sources = read(&sources);
        findings.extend(
            found
                .into_iter()
                .filter(|f| reported.insert(finding_key(f, &sources))),
        );
    };
    super::parallel::ordered(workers, next, work, gather)?;
    input_errors.extend(stopped);
    let sources = sources.into_inner().unwrap_or_else(PoisonError::into_inner);
    sort_and_dedup_across(&mut findings, &sources);
    notes.extend(stand_ins.notes());
    Ok(LintOutcome {
        sources,
        findings,
        input_errors,
        files,
        first,
        notes,
        chart_labels: charts.iter().map(|c| c.label.clone()).collect(),
        chart: {
            drop(setups);
            charts.swap_remove(0)
        },
        unrenderable,
    })
}

/// What the findings of release `name` beside its render failures were found with.
fn healed_note(name: &str, keys: &[String]) -> String {
    let list: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    let (list, them) = match list.as_slice() {
        [one] => (one.clone(), "it"),
        [init @ .., last] => (format!("{} and {last}", init.join(", ")), "them"),
        [] => (String::new(), "them"),
    };
    format!(
        "note: {}: Helm cannot render these values; the other findings come from rendering them without {list} (fix {them}, then lint again)",
        crate::escape::line(name)
    )
}

/// A release loaded for a worker: its config, the name of its last text, its values.
type Job<'c> = (Config, Option<String>, engine::LoadedRelease<'c>, usize);

/// The sources, to read (a worker panicking while it read them changed nothing).
fn read(sources: &RwLock<Sources>) -> RwLockReadGuard<'_, Sources> {
    sources.read().unwrap_or_else(PoisonError::into_inner)
}

/// The sources, to add to.
fn write(sources: &RwLock<Sources>) -> RwLockWriteGuard<'_, Sources> {
    sources.write().unwrap_or_else(PoisonError::into_inner)
}

/// Base (-f) files are linted with every PATH: drop repeats by file name, offset, code, message.
fn sort_and_dedup_across(findings: &mut Vec<Finding>, sources: &Sources) {
    findings.sort_by_key(|f| finding_key(f, sources));
    findings.dedup_by(|a, b| finding_key(a, sources) == finding_key(b, sources));
}

/// What makes two findings the same for the report: file name, offset, rule and message.
type FindingKey = (Option<(String, usize)>, &'static str, String);

fn finding_key(f: &Finding, sources: &Sources) -> FindingKey {
    (
        f.span.map(|s| (sources.get(s.file).name.clone(), s.start)),
        f.code,
        f.message.clone(),
    )
}

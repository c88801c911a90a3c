//! The default command: lint values files.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::catalog::Catalog;
use crate::chart::Chart;
use crate::cli::{InputArgs, LintArgs, LintFormat};
use crate::commands::fix;
use crate::config::{self, Config};
use crate::inputs;
use crate::lint::check::{self, Selection};
use crate::lint::rendered::{self, Rendered};
use crate::lint::suppress::{self, Suppression};
use crate::lint::{Context, Finding, Severity};
use crate::merge::HelmVersion;
use crate::release;
use crate::release::{InputError, SetArg};
use crate::report::{self, Summary};
use crate::resolve;
use crate::source::FileId;
use crate::source::Sources;
use crate::yaml::Limits;

/// Default file-name globs for values files found in folders.
pub const DEFAULT_INCLUDE: &[&str] = &[
    "values*.yaml",
    "values*.yml",
    "*-values.yaml",
    "*-values.yml",
];

/// The outcome of linting: every finding, and the sources they point into.
pub struct LintOutcome {
    /// All loaded texts.
    pub sources: Sources,
    /// Findings of every release, sorted and deduplicated.
    pub findings: Vec<Finding>,
    /// Input errors met on the way (exit code 2).
    pub input_errors: Vec<InputError>,
    /// Number of files linted.
    pub files: usize,
    /// The name of the first linted file (for findings without a location).
    pub first: String,
    /// Notes for stderr: which chart was picked, what the render left out or stood in for.
    pub notes: Vec<String>,
}

/// Expands PATH arguments: folders are walked for values files, hidden folders skipped.
pub fn expand_paths(
    paths: &[PathBuf],
    include: &[String],
    exclude: &[String],
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
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry =
                entry.map_err(|e| InputError::new(p.display().to_string(), e.to_string()))?;
            if !entry.file_type().is_file() {
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

/// What every release of one run shares.
pub struct Setup<'a> {
    /// The chart.
    pub chart: &'a Chart,
    /// Helm semantics.
    pub helm: HelmVersion,
    /// `--set` / `--set-string` layers.
    pub sets: &'a [SetArg],
    /// `--select` / `--ignore`.
    pub selection: &'a Selection,
}

/// A values text to lint: the name shown, the path it came from (none for stdin), its text.
#[derive(Debug, Clone)]
pub struct Text {
    /// Name as given.
    pub name: String,
    /// The file it was read from, if any.
    pub path: Option<PathBuf>,
    /// Which file that is: every name of one file (a link, `./x`, a hard link) has the same.
    pub file: Option<fix::FileKey>,
    /// Contents, shared by the release of every PATH (a `-f` file is in each).
    pub text: Arc<str>,
}

/// Reads a PATH (or `-`) as a [`Text`].
pub fn read(path: &Path, input: &InputArgs) -> Result<Text, InputError> {
    let (name, text) =
        inputs::read_text(path, input.stdin_filename.as_deref(), &Limits::default())?;
    let path = (path.as_os_str() != "-").then(|| path.to_path_buf());
    let file = path.as_deref().map(fix::FileKey::of);
    Ok(Text {
        name,
        path,
        file,
        text: text.into(),
    })
}

/// What linting one release gives: its findings, the ids of its texts, notes about what the
/// render left out, and the required values it stood in for (see [`crate::lint::required`]).
pub type Linted = (Vec<Finding>, Vec<FileId>, Vec<String>, Vec<String>);

/// Lints one release made of `texts` (in -f order; the last is the linted file), adding the
/// texts to `sources`. Returns the findings, the ids of the texts and the notes about what the
/// render left out.
pub fn lint_texts(
    setup: &Setup,
    config: &Config,
    sources: &mut Sources,
    texts: &[Text],
) -> Result<Linted, InputError> {
    let mut files = Vec::new();
    for t in texts {
        files.push(release::load_values(
            &t.name,
            t.text.clone(),
            sources,
            setup.helm,
            &Limits::default(),
        )?);
    }
    let target = files.last().map(|f| f.id);
    let release = inputs::build_release(setup.chart, &files, setup.sets, setup.helm, sources)?;
    // Without a render (the values do not coalesce, the chart came without templates, the
    // render ran out of budget) there is no image to check, only the merge's failure.
    let mut resolution = resolve::Resolution::of_merge_failure(&release);
    let suppressions: Vec<Suppression> = files
        .iter()
        .flat_map(|f| suppress::parse(f.id, sources.get(f.id), &f.yaml.scalar_spans))
        .collect();
    let (rendered, stood_in) = match rendered::render(&release) {
        Some((r, keys)) => (Some(r), keys),
        None => (None, Vec::new()),
    };
    if let Some(r) = &rendered {
        // The render is the truth: its images and its failure.
        if let Some(images) = r.images() {
            resolution = crate::lint::render_images::resolution(images, &release);
        }
        resolution.failures = r.failures(&release);
    }
    let cx = Context::new(
        sources,
        &release,
        &resolution,
        &files,
        target,
        Catalog::builtin(),
        config,
    )
    .with_usage(rendered.as_ref().and_then(Rendered::usage));
    let findings = check::check(&cx, &suppressions, setup.selection);
    let notes: Vec<String> = release
        .left_out
        .iter()
        .map(|(_, n)| n.to_string())
        .collect();
    Ok((
        findings,
        files.iter().map(|f| f.id).collect(),
        notes,
        stood_in,
    ))
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
    let Some(found) = config::discover(dir) else {
        return Ok(Config::default());
    };
    if let Some(c) = cache.get(&found) {
        return Ok(c.clone());
    }
    let c = config::load(&found, sources)?;
    cache.insert(found, c.clone());
    Ok(c)
}

/// The chart of a lint run: named (`--chart`, `--chart-version`, the `chart:` of `--config` or
/// of the first PATH's config), else picked for the keys of all the run's files together.
fn choose_chart(
    args: &LintArgs,
    (base, targets): (&[Text], &[Option<PathBuf>]),
    explicit: &Option<Config>,
    (configs, sources): (&mut HashMap<PathBuf, Config>, &mut Sources),
    helm: crate::merge::HelmVersion,
) -> Result<inputs::ChosenChart, InputError> {
    let first = targets.first().and_then(|t| t.as_deref());
    let config = config_for(first, explicit, args.no_config, configs, sources)?;
    let named = args.input.chart.is_some() || args.input.chart_version.is_some();
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
                if let Ok(text) = read(t, &args.input) {
                    add(&text);
                }
            }
        });
    }
    let keys: Vec<Vec<String>> = keys.into_iter().collect();
    let request = inputs::ChartRequest {
        input: &args.input,
        pinned: config.chart.as_ref(),
        keys: &keys,
        load: crate::chart::Load::Everything,
    };
    inputs::choose_chart(&request, sources)
}

/// Lints every PATH (each on top of the -f files) and returns the findings. With `fix`, applies
/// fixes first (see [`crate::commands::fix`]) and collects the changes instead of writing them.
pub fn lint(
    args: &LintArgs,
    sets: &[SetArg],
    selection: &Selection,
    fix: Option<&mut fix::Plan>,
) -> Result<LintOutcome, InputError> {
    let mut sources = Sources::new();
    let helm = inputs::helm_version(&args.input)?;
    let explicit_config = match &args.config {
        Some(p) => Some(config::load(p, &mut sources)?),
        None => None,
    };
    let mut base = Vec::new();
    for f in &args.input.values {
        base.push(read(f, &args.input)?);
    }
    // `-f x -f x` is two layers (as in Helm) of one file: one text, fixed once.
    fix::share_texts(&mut base);
    let targets: Vec<Option<PathBuf>> = if args.paths.is_empty() {
        if base.is_empty() {
            expand_paths(&[PathBuf::from(".")], &args.include, &args.exclude)?
                .into_iter()
                .map(Some)
                .collect()
        } else {
            vec![None]
        }
    } else {
        expand_paths(&args.paths, &args.include, &args.exclude)?
            .into_iter()
            .map(Some)
            .collect()
    };
    // A file named twice (or through a link) is one release: linted and fixed once.
    let mut seen = std::collections::HashSet::new();
    let targets: Vec<Option<PathBuf>> = targets
        .into_iter()
        .filter(|t| match t {
            Some(p) if p.as_os_str() != "-" => seen.insert(fix::FileKey::of(p)),
            _ => true,
        })
        .collect();
    let mut configs: HashMap<PathBuf, Config> = HashMap::new();
    let chosen = choose_chart(
        args,
        (&base, &targets),
        &explicit_config,
        (&mut configs, &mut sources),
        helm,
    )?;
    let setup = Setup {
        chart: &chosen.chart,
        helm,
        sets,
        selection,
    };
    let mut notes: Vec<String> = chosen.note.iter().cloned().collect();
    if !crate::lint::rendered::has_templates(&chosen.chart) {
        notes.push(format!(
            "note: {} has no templates (a values-only copy): only the checks of the values themselves ran; the image rules and the unused-key rules read the render (give the chart as `helm pull` gives it, or a built-in one with --chart-version)",
            crate::escape::line(&chosen.label)
        ));
    }
    let mut findings = Vec::new();
    let mut input_errors = Vec::new();
    let mut files = 0;
    let mut first = String::new();
    let mut fix = fix;
    let mut reported = std::collections::HashSet::new();
    let mut stand_ins = crate::lint::required::StandIns::default();
    for target in targets {
        let config = config_for(
            target.as_deref(),
            &explicit_config,
            args.no_config,
            &mut configs,
            &mut sources,
        )?;
        if target.as_ref().is_some_and(|t| config.ignores(t)) {
            continue;
        }
        let mut texts = base.clone();
        if let Some(t) = &target {
            match read(t, &args.input) {
                Ok(text) => texts.push(text),
                Err(e) => {
                    input_errors.push(e);
                    continue;
                }
            }
        }
        // A target that is also a -f file is that file with its fixes so far.
        fix::share_texts(&mut texts);
        if first.is_empty() {
            first = texts.last().map(|t| t.name.clone()).unwrap_or_default();
        }
        if let Some(plan) = fix.as_deref_mut() {
            let fixed =
                crate::budget::uncharged(|| fix::fix_release(&setup, &config, &mut texts, plan));
            if let Err(e) = fixed {
                input_errors.push(e);
                continue;
            }
            // Fixes to -f files carry over to the next PATH's release.
            let n = base.len();
            base.clone_from_slice(&texts[..n]);
        }
        match lint_texts(&setup, &config, &mut sources, &texts) {
            Ok((found, _, left_out, stood_in)) => {
                files += 1;
                if let Some(t) = texts.last() {
                    stand_ins.add(&t.name, &stood_in);
                }
                for n in left_out {
                    if !notes.contains(&n) {
                        notes.push(n);
                    }
                }
                // A -f file's findings come again with every PATH: kept once as they come, or
                // they would pile up with the number of PATHs.
                findings.extend(
                    found
                        .into_iter()
                        .filter(|f| reported.insert(finding_key(f, &sources))),
                );
            }
            Err(e) => input_errors.push(e),
        }
    }
    sort_and_dedup_across(&mut findings, &sources);
    notes.extend(stand_ins.notes());
    Ok(LintOutcome {
        sources,
        findings,
        input_errors,
        files,
        first,
        notes,
    })
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

/// Runs the lint command; returns the exit code.
pub fn run(
    args: &LintArgs,
    sets: &[SetArg],
    is_tty: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, InputError> {
    let selection = Selection {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    let unknown = selection.unknown();
    if !unknown.is_empty() {
        return Err(InputError::new(
            "--select/--ignore",
            format!("no rule matches {}", unknown.join(", ")),
        ));
    }
    if args.fix || args.diff {
        return fix::run(args, sets, &selection, is_tty, out, err);
    }
    let outcome = lint(args, sets, &selection, None)?;
    report(args, &outcome, is_tty, out, err)
}

/// Writes the findings in the chosen format; returns the exit code.
pub fn report(
    args: &LintArgs,
    outcome: &LintOutcome,
    is_tty: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, InputError> {
    let format = args.format.unwrap_or(if report::github::in_actions() {
        LintFormat::Github
    } else {
        LintFormat::Human
    });
    // Which chart, and what it means for the image rules, once something was linted with it.
    for note in outcome.notes.iter().filter(|_| outcome.files > 0) {
        let _ = writeln!(err, "{note}");
    }
    for e in &outcome.input_errors {
        // The lines around the place under the message, where a person reads the output;
        // the machine formats keep one line per error.
        match format {
            LintFormat::Human => {
                let _ = write!(err, "{}", e.report());
            }
            _ => {
                let _ = writeln!(err, "error: {e}");
            }
        }
        if format == LintFormat::Github {
            let _ = out.write_all(report::github::input_error(&e.location, &e.message).as_bytes());
        }
    }
    // JSON keeps every finding (marked with its cause); the other formats lead with causes.
    let folded = report::fold_consequences(&outcome.findings);
    let shown = if format == LintFormat::Json {
        &outcome.findings
    } else {
        &folded
    };
    let items = report::locate(shown, &outcome.sources, &outcome.first);
    let summary = Summary::of(&outcome.findings, outcome.files);
    let color = report::terminal::color(args.color, is_tty);
    // Not a terminal: wide enough for most messages, so logs keep one line per message.
    let width = report::terminal::width(is_tty).unwrap_or(120);
    let text = match format {
        LintFormat::Human => {
            report::human::render(&items, &summary, &outcome.sources, color, width)
        }
        LintFormat::Compact => report::compact::render(&items),
        LintFormat::Json => report::json::render(&items, &summary, &outcome.sources),
        LintFormat::Github => report::github::output(&items, &summary, &outcome.sources),
        LintFormat::Sarif => report::sarif::render(&items, &outcome.sources),
        LintFormat::Gitlab => report::gitlab::render(&items),
    };
    let _ = out.write_all(text.as_bytes());
    Ok(if !outcome.input_errors.is_empty() {
        crate::EXIT_INPUT
    } else if !args.exit_zero
        && outcome
            .findings
            .iter()
            .any(|f| f.severity == Severity::Error)
    {
        crate::EXIT_FINDINGS
    } else {
        crate::EXIT_OK
    })
}

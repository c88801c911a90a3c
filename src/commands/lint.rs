//! The default command: lint values files.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::cli::{ColorChoice, LintArgs, LintFormat};
use crate::config::{self, Config};
use crate::inputs;
use crate::lint::check::{self, Selection};
use crate::lint::suppress::{self, Suppression};
use crate::lint::{Context, Finding, Severity};
use crate::release::{InputError, SetArg, ValuesFile};
use crate::report::{self, Summary};
use crate::resolve;
use crate::source::Sources;

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
    }
    Ok(out)
}

/// Lints every PATH (each on top of the -f files) and returns the findings.
pub fn lint(
    args: &LintArgs,
    sets: &[SetArg],
    selection: &Selection,
) -> Result<LintOutcome, InputError> {
    let mut sources = Sources::new();
    let chosen = inputs::choose_chart(&args.input, &mut sources)?;
    let helm = inputs::helm_version(&args.input)?;
    let explicit_config = match &args.config {
        Some(p) => Some(config::load(p, &mut sources)?),
        None => None,
    };
    let mut base = Vec::new();
    for f in &args.input.values {
        base.push(inputs::load_file(f, &args.input, &mut sources, helm)?);
    }
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
    let mut configs: HashMap<PathBuf, Config> = HashMap::new();
    let mut findings = Vec::new();
    let mut input_errors = Vec::new();
    let mut files = 0;
    let mut first = String::new();
    for target in targets {
        let config = match (&explicit_config, &target) {
            (Some(c), _) => c.clone(),
            (None, Some(t)) if t.as_os_str() != "-" => {
                let dir = t
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                match config::discover(dir) {
                    Some(found) => match configs.get(&found) {
                        Some(c) => c.clone(),
                        None => {
                            let c = config::load(&found, &mut sources)?;
                            configs.insert(found, c.clone());
                            c
                        }
                    },
                    None => Config::default(),
                }
            }
            _ => Config::default(),
        };
        if target.as_ref().is_some_and(|t| config.ignores(t)) {
            continue;
        }
        let mut release_files: Vec<ValuesFile> = base.clone();
        if let Some(t) = &target {
            match inputs::load_file(t, &args.input, &mut sources, helm) {
                Ok(f) => release_files.push(f),
                Err(e) => {
                    input_errors.push(e);
                    continue;
                }
            }
        }
        files += 1;
        let target_id = release_files.last().map(|f| f.id);
        if first.is_empty() {
            first = target_id
                .map(|id| sources.get(id).name.clone())
                .unwrap_or_default();
        }
        let release = match inputs::build_release(&chosen.chart, &release_files, sets, helm) {
            Ok(r) => r,
            Err(e) => {
                input_errors.push(e);
                continue;
            }
        };
        let resolution = resolve::resolve(&release, Catalog::builtin());
        let suppressions: Vec<Suppression> = release_files
            .iter()
            .flat_map(|f| suppress::parse(f.id, sources.get(f.id), &f.yaml.scalar_spans))
            .collect();
        let cx = Context::new(
            &sources,
            &release,
            &resolution,
            &release_files,
            target_id,
            Catalog::builtin(),
            &config,
        );
        findings.extend(check::check(&cx, &suppressions, selection));
    }
    check::sort_and_dedup(&mut findings);
    Ok(LintOutcome {
        sources,
        findings,
        input_errors,
        files,
        first,
    })
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
    let outcome = lint(args, sets, &selection)?;
    for e in &outcome.input_errors {
        let _ = writeln!(err, "error: {e}");
    }
    let items = report::locate(&outcome.findings, &outcome.sources, &outcome.first);
    let summary = Summary::of(&outcome.findings, outcome.files);
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let text = match args.format.unwrap_or(LintFormat::Human) {
        LintFormat::Human => report::human::render(&items, &summary, &outcome.sources, color),
        LintFormat::Compact => report::compact::render(&items),
        LintFormat::Json => report::json::render(&items, &summary, &outcome.sources),
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

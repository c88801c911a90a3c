//! `--fix` and `--diff`: apply the rules' fixes to the user's files.
//!
//! Fixes are applied one at a time on the original text (edits back to front), and each result is
//! re-parsed and re-linted: a fix that would not parse, or would not remove its finding, is
//! dropped. Files are written by [`super::write`]: atomically, links, owner and mode kept, and
//! never over a change made since the file was read.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{batch, outcome};
use crate::cli::LintArgs;
use crate::config::Config;
use crate::diagnostic::Finding;
use crate::engine::text::{FileKey, Text, real_path, set_text};
use crate::engine::{ReleaseReport, Setup, lint_release};
use crate::error::InputError;
use crate::release::SetArg;
use crate::source::Sources;

/// Most fixes applied to one release (each needs a re-lint).
const MAX_FIXES: usize = 200;

/// What `--fix`/`--diff` will change, per file. A file named twice, through a link or a hard
/// link (as a PATH, a `-f` layer or both) is one file: it gets every fix exactly once.
#[derive(Debug, Default)]
pub struct Plan {
    /// Apply fixes marked unsafe too.
    pub unsafe_ok: bool,
    /// Per file, under its real path (symlinks resolved) as first named: the file as first
    /// named, its text as read and its text as fixed.
    pub files: BTreeMap<PathBuf, FilePlan>,
    /// The key in `files` of each file fixed so far.
    keys: HashMap<FileKey, PathBuf>,
    /// Values read from stdin (`-`), fixed or not: `--fix` writes them to stdout, as a filter
    /// does, and `--diff` shows their changes under the `--stdin-filename` name.
    pub stdin: Option<FilePlan>,
}

/// The changes to one file.
#[derive(Debug, Clone)]
pub struct FilePlan {
    /// The path as the user named it (first time).
    pub shown: PathBuf,
    /// The text as read.
    pub before: String,
    /// The text with every fix applied.
    pub after: String,
    /// Descriptions of the applied fixes.
    pub applied: Vec<String>,
}

/// A finding's identity across re-lints: rule, key and file.
fn identity(f: &Finding, sources: &Sources) -> (String, Option<String>, Option<String>) {
    (
        f.code.to_string(),
        f.key.clone(),
        f.span.map(|s| sources.get(s.file).name.clone()),
    )
}

/// Applies every applicable fix to the texts of one release, in memory.
pub fn fix_release(
    setup: &Setup,
    config: &Config,
    texts: &mut [Text],
    plan: &mut Plan,
) -> Result<(), InputError> {
    let mut failed = Vec::new();
    if plan.stdin.is_none()
        && let Some(t) = texts.iter().find(|t| t.path.is_none())
    {
        plan.stdin = Some(FilePlan {
            shown: PathBuf::from(&t.name),
            before: t.text.to_string(),
            after: t.text.to_string(),
            applied: Vec::new(),
        });
    }
    for _ in 0..MAX_FIXES {
        let mut sources = Sources::new();
        let ReleaseReport {
            findings,
            files: ids,
            ..
        } = lint_release(setup, config, &mut sources, texts)?;
        // A value of the wrong type changes what the release deploys (a quoted `"false"` on a
        // subchart switch keeps it on): its fix goes first, and the findings about what it
        // turns off go with it.
        let wrong_type = |f: &&crate::diagnostic::Finding| f.code == "SL204";
        let ordered = findings
            .iter()
            .filter(wrong_type)
            .chain(findings.iter().filter(|f| !wrong_type(f)));
        let candidate = ordered.into_iter().find_map(|f| {
            let fix = f.fix.as_ref()?;
            if (!fix.safe && !plan.unsafe_ok) || fix.edits.is_empty() {
                return None;
            }
            let file = fix.edits[0].span.file;
            if fix.edits.iter().any(|e| e.span.file != file) {
                return None;
            }
            let idx = ids.iter().position(|id| *id == file)?;
            let id = identity(f, &sources);
            (!failed.contains(&id)).then_some((f, fix, idx, id))
        });
        let Some((finding, fix, idx, id)) = candidate else {
            return Ok(());
        };
        let edits = crate::fix::match_line_ends(&texts[idx].text, &fix.edits);
        let Some(new_text) = crate::fix::apply(&texts[idx].text, &edits) else {
            failed.push(id);
            continue;
        };
        let mut keys = fix.keys.clone();
        keys.extend(finding.key.clone());
        if !crate::fix::only_keys_changed(&texts[idx].text, &new_text, &keys) {
            failed.push(id);
            continue;
        }
        let mut trial = texts.to_vec();
        set_text(&mut trial, idx, &new_text);
        let mut after_sources = Sources::new();
        let removed = match lint_release(setup, config, &mut after_sources, &trial) {
            Ok(after) => !after
                .findings
                .iter()
                .any(|a| identity(a, &after_sources) == id),
            Err(_) => false,
        };
        if !removed {
            failed.push(id);
            continue;
        }
        let description = format!("{} {}", finding.code, fix.description);
        if let Some(path) = &texts[idx].path {
            let file = texts[idx].file.clone().unwrap_or_else(|| FileKey::of(path));
            let key = plan
                .keys
                .entry(file)
                .or_insert_with(|| real_path(path))
                .clone();
            let entry = plan.files.entry(key).or_insert_with(|| FilePlan {
                shown: path.clone(),
                before: texts[idx].text.to_string(),
                after: String::new(),
                applied: Vec::new(),
            });
            entry.after = new_text.clone();
            entry.applied.push(description);
        } else if let Some(stdin) = &mut plan.stdin {
            stdin.after = new_text.clone();
            stdin.applied.push(description);
        }
        set_text(texts, idx, &new_text);
    }
    Ok(())
}

/// The unified diff of one file.
pub fn diff(path: &Path, before: &str, after: &str) -> String {
    let name = path.display().to_string();
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// Runs `--fix` or `--diff`; returns the exit code.
pub fn run(
    args: &LintArgs,
    sets: &[SetArg],
    is_tty: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, InputError> {
    let batch = super::lint::batch_of(args);
    let selection = batch::selection(&batch)?;
    let mut plan = Plan {
        unsafe_ok: args.unsafe_fixes,
        ..Plan::default()
    };
    // Each release is fixed in memory before it is linted; the findings reported are those of
    // the fixed texts.
    let mut fix = |setup: &Setup, config: &Config, texts: &mut [Text]| {
        crate::budget::uncharged(|| fix_release(setup, config, texts, &mut plan))
    };
    let mut outcome = batch::lint_paths(&batch, sets, &selection, Some(&mut fix))?;
    let stdin_fixed = plan.stdin.as_ref().filter(|f| !f.applied.is_empty());
    let fixes: usize = plan
        .files
        .values()
        .chain(stdin_fixed)
        .map(|f| f.applied.len())
        .sum();
    let fixed_files = plan.files.len() + usize::from(stdin_fixed.is_some());
    if args.diff {
        for f in plan.files.values().chain(stdin_fixed) {
            let _ = out.write_all(diff(&f.shown, &f.before, &f.after).as_bytes());
        }
        for e in &outcome.input_errors {
            let _ = write!(err, "{}", e.report());
        }
        let _ = writeln!(
            err,
            "{fixes} fix(es) would be applied to {fixed_files} file(s)"
        );
        return Ok(if !outcome.input_errors.is_empty() {
            crate::EXIT_INPUT
        } else if fixed_files == 0 {
            crate::EXIT_OK
        } else {
            crate::EXIT_FINDINGS
        });
    }
    // Every file is tried: one that fails (changed meanwhile, a full disk) keeps its text and
    // does not stop the others, and the summary counts only what reached the disk.
    let mut written: Vec<&FilePlan> = Vec::new();
    let mut not_written: Vec<InputError> = Vec::new();
    for f in plan.files.values() {
        match super::write::write_fixed(&f.shown, &f.before, &f.after) {
            Ok(()) => written.push(f),
            Err(e) => not_written.push(InputError::new(
                f.shown.display().to_string(),
                e.to_string(),
            )),
        }
    }
    let failed = not_written.len();
    let fixed: usize = written.iter().map(|f| f.applied.len()).sum();
    if fixed > 0 {
        let _ = writeln!(err, "fixed {fixed} finding(s) in {} file(s)", written.len());
    }
    if failed > 0 {
        let names: Vec<String> = written
            .iter()
            .map(|f| crate::escape::line(&f.shown.display().to_string()).into_owned())
            .collect();
        let _ = writeln!(
            err,
            "error: {failed} of {} file(s) not written; written: {}",
            plan.files.len(),
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        );
    }
    // The report is of what is on disk: a file not written still holds every finding its
    // fixes would have removed ("0 errors" of a text never written was a false all-clear). The
    // files are linted again as they are now (stdin cannot be read twice: its fixed text goes
    // to stdout whatever happens to the files, so its findings stay those of that text).
    if failed > 0 && plan.stdin.is_none() {
        // The inputs were charged to the run's budget by the first lint.
        outcome = crate::budget::uncharged(|| batch::lint_paths(&batch, sets, &selection, None))?;
    }
    outcome.input_errors.extend(not_written);
    // Values from stdin go back to stdout, fixed (a filter: `--fix - < in > out`); the report
    // then goes to stderr.
    let code = match &plan.stdin {
        Some(stdin) => {
            if !stdin.applied.is_empty() {
                let _ = writeln!(err, "fixed {} finding(s) in stdin", stdin.applied.len());
            }
            let _ = out.write_all(stdin.after.as_bytes());
            let mut report = Vec::new();
            let code =
                outcome::report(args.format, &args.check, &outcome, false, &mut report, err)?;
            let _ = err.write_all(&report);
            code
        }
        None => outcome::report(args.format, &args.check, &outcome, is_tty, out, err)?,
    };
    Ok(if failed > 0 { crate::EXIT_INPUT } else { code })
}

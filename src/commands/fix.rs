//! `--fix` and `--diff`: apply the rules' fixes to the user's files.
//!
//! Fixes are applied one at a time on the original text (edits back to front), and each result is
//! re-parsed and re-linted: a fix that would not parse, or would not remove its finding, is
//! dropped. Files are written atomically (temporary file + rename, permissions kept).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::lint::{self, Setup, Text, lint_texts};
use crate::cli::LintArgs;
use crate::config::Config;
use crate::lint::Finding;
use crate::lint::check::Selection;
use crate::release::{InputError, SetArg};
use crate::source::Sources;

/// Most fixes applied to one release (each needs a re-lint).
const MAX_FIXES: usize = 200;

/// What `--fix`/`--diff` will change.
#[derive(Debug, Default)]
pub struct Plan {
    /// Apply fixes marked unsafe too.
    pub unsafe_ok: bool,
    /// Per file: (original text, fixed text).
    pub files: BTreeMap<PathBuf, (String, String)>,
    /// Descriptions of the applied fixes, per file.
    pub applied: BTreeMap<PathBuf, Vec<String>>,
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
    for _ in 0..MAX_FIXES {
        let mut sources = Sources::new();
        let (findings, ids) = lint_texts(setup, config, &mut sources, texts)?;
        let candidate = findings.iter().find_map(|f| {
            let fix = f.fix.as_ref()?;
            if (!fix.safe && !plan.unsafe_ok) || fix.edits.is_empty() {
                return None;
            }
            let file = fix.edits[0].span.file;
            if fix.edits.iter().any(|e| e.span.file != file) {
                return None;
            }
            let idx = ids.iter().position(|id| *id == file)?;
            texts[idx].path.as_ref()?;
            let id = identity(f, &sources);
            (!failed.contains(&id)).then_some((f, fix, idx, id))
        });
        let Some((finding, fix, idx, id)) = candidate else {
            return Ok(());
        };
        let Some(new_text) = crate::fix::apply(&texts[idx].text, &fix.edits) else {
            failed.push(id);
            continue;
        };
        let mut trial = texts.to_vec();
        trial[idx].text = new_text.clone();
        let mut after_sources = Sources::new();
        let removed = match lint_texts(setup, config, &mut after_sources, &trial) {
            Ok((after, _)) => !after.iter().any(|a| identity(a, &after_sources) == id),
            Err(_) => false,
        };
        if !removed {
            failed.push(id);
            continue;
        }
        let description = format!("{} {}", finding.code, fix.description);
        if let Some(path) = &texts[idx].path {
            let entry = plan
                .files
                .entry(path.clone())
                .or_insert_with(|| (texts[idx].text.clone(), String::new()));
            entry.1 = new_text.clone();
            plan.applied
                .entry(path.clone())
                .or_default()
                .push(description);
        }
        texts[idx].text = new_text;
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

/// Writes `text` to `path` atomically: a temporary file beside it, then a rename; the original
/// permissions are kept.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        ".{name}.stackstate-lint.{}.tmp",
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Runs `--fix` or `--diff`; returns the exit code.
pub fn run(
    args: &LintArgs,
    sets: &[SetArg],
    selection: &Selection,
    is_tty: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, InputError> {
    let mut plan = Plan {
        unsafe_ok: args.unsafe_fixes,
        ..Plan::default()
    };
    let outcome = lint::lint(args, sets, selection, Some(&mut plan))?;
    let fixes: usize = plan.applied.values().map(Vec::len).sum();
    if args.diff {
        for (path, (before, after)) in &plan.files {
            let _ = out.write_all(diff(path, before, after).as_bytes());
        }
        for e in &outcome.input_errors {
            let _ = writeln!(err, "error: {e}");
        }
        let _ = writeln!(
            err,
            "{fixes} fix(es) would be applied to {} file(s)",
            plan.files.len()
        );
        return Ok(if !outcome.input_errors.is_empty() {
            crate::EXIT_INPUT
        } else if plan.files.is_empty() {
            crate::EXIT_OK
        } else {
            crate::EXIT_FINDINGS
        });
    }
    for (path, (_, after)) in &plan.files {
        write_atomically(path, after).map_err(|e| {
            InputError::new(
                path.display().to_string(),
                format!("cannot write the fixed file: {e}"),
            )
        })?;
    }
    if fixes > 0 {
        let _ = writeln!(
            err,
            "fixed {fixes} finding(s) in {} file(s)",
            plan.files.len()
        );
    }
    lint::report(args, &outcome, is_tty, out, err)
}

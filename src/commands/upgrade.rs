//! `stackstate-lint upgrade`: every release linted and rendered twice, today (the usual chart
//! and `--helm-version`) and after the upgrade (`--to`, `--to-chart`, `--to-helm-version`):
//! the images that change, what to mirror first, and the findings the upgrade brings.

use std::io::Write;

use super::batch::{self, Batch};
use super::outcome::{self, LintOutcome};
use crate::chart::Chart;
use crate::cli::{InputArgs, LintFormat, UpgradeArgs};
use crate::error::InputError;
use crate::inputs;
use crate::merge::HelmVersion;
use crate::release::SetArg;
use crate::report::upgrade::{self as fmt, Side};
use crate::source::Sources;
use crate::upgrade::{Pulled, ReleaseImages};

/// Runs `upgrade`; returns the exit code (1 when the upgrade brings an error-level finding).
pub fn run(
    args: &UpgradeArgs,
    sets: &[SetArg],
    is_tty: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, InputError> {
    let stdin = std::path::Path::new("-");
    if args
        .paths
        .iter()
        .chain(&args.input.values)
        .any(|p| p == stdin)
    {
        return Err(InputError::new(
            "-",
            "`upgrade` reads each values file once for each side: give the values as a file",
        ));
    }
    // A chart version `--to` names that is not built in is the user's `--to`, not the
    // `--chart-version` it stands in for below.
    if let Some(to) = &args.to
        && args.to_chart.is_none()
    {
        crate::chart_pick::named(to).map_err(|m| InputError::new("--to", m))?;
    }
    // Only a new Helm: the same chart, named or picked as today's is.
    let new_chart = args.to.is_some() || args.to_chart.is_some();
    let target = InputArgs {
        chart: if new_chart {
            args.to_chart.clone()
        } else {
            args.input.chart.clone()
        },
        chart_version: if new_chart {
            args.to.clone()
        } else {
            args.input.chart_version.clone()
        },
        helm_version: args
            .to_helm_version
            .clone()
            .unwrap_or_else(|| args.input.helm_version.clone()),
        ..args.input.clone()
    };
    let (helm_before, helm_after) = (
        inputs::helm_version(&args.input)?,
        inputs::helm_version(&target)?,
    );
    let batch_of = |input| Batch {
        paths: &args.paths,
        input,
        config: args.check.config.as_deref(),
        no_config: args.check.no_config,
        select: &args.check.select,
        ignore: &args.check.ignore,
        include: &[],
        exclude: &[],
        release_name: args.release_name.as_deref(),
    };
    let (today, after) = (batch_of(&args.input), batch_of(&target));
    let selection = batch::selection(&today)?;
    let before = batch::lint_paths(&today, sets, &selection, None)?;
    // One comparison has one side today: files whose configs pin different charts would all
    // be compared from the first one's.
    if let [first, others @ ..] = before.chart_labels.as_slice()
        && let Some(other) = others.iter().find(|l| *l != first)
    {
        return Err(InputError::new(
            "upgrade",
            format!(
                "the files are on different charts today ({first}, {other}, as their configs \
                 pin them): run `upgrade` once for the files of each chart"
            ),
        ));
    }
    let after = batch::lint_paths(&after, sets, &selection, None)?;
    let sides = (
        Side {
            chart: before.chart.label.clone(),
            helm: shown(helm_before),
        },
        Side {
            chart: after.chart.label.clone(),
            helm: shown(helm_after),
        },
    );
    let releases = if before.input_errors.is_empty() && after.input_errors.is_empty() {
        images(args, sets, (&before, &after), (helm_before, helm_after))?
    } else {
        Vec::new()
    };
    let (after, gone) = new_findings(before, after);
    let format = args.format.unwrap_or(LintFormat::Human);
    match format {
        // An input the run could not read: its error alone (exit 2), no comparison.
        LintFormat::Human if after.input_errors.is_empty() => {
            let _ = out.write_all(fmt::human(&sides, &releases).as_bytes());
            let after_fails = releases.iter().any(|r| r.after.is_err());
            // Counted as shown: a finding that follows from another is shown under it.
            let shown = crate::report::fold_consequences(&after.findings).len();
            let heading = fmt::findings_heading(&sides, shown, &gone, after_fails);
            let _ = out.write_all(heading.as_bytes());
            outcome::report(Some(format), &args.check, &after, is_tty, out, err)
        }
        LintFormat::Json => {
            let mut findings = Vec::new();
            let code = outcome::report(
                Some(format),
                &args.check,
                &after,
                is_tty,
                &mut findings,
                err,
            )?;
            let findings = String::from_utf8_lossy(&findings);
            let _ = out.write_all(fmt::json(&sides, &releases, &findings, gone.len()).as_bytes());
            Ok(code)
        }
        _ => {
            for line in fmt::notes(&sides, &releases) {
                let _ = writeln!(err, "{line}");
            }
            outcome::report(Some(format), &args.check, &after, is_tty, out, err)
        }
    }
}

/// `3.17.3`.
fn shown(helm: HelmVersion) -> String {
    helm.build()
        .build_info()
        .version
        .trim_start_matches('v')
        .to_string()
}

/// `after` with only the findings today's lint does not make (the same rule at the same place of
/// the same file, or on the same key where there is no place); also how many of today's are gone.
/// Input errors of either side stay.
fn new_findings(before: LintOutcome, mut after: LintOutcome) -> (LintOutcome, Vec<String>) {
    let place = |f: &crate::diagnostic::Finding, sources: &Sources| {
        (
            f.code,
            f.span
                .map(|s| (sources.get(s.file).name.clone(), s.start, s.end)),
            f.key.clone(),
        )
    };
    let today: std::collections::HashSet<_> = before
        .findings
        .iter()
        .map(|f| place(f, &before.sources))
        .collect();
    let target: std::collections::HashSet<_> = after
        .findings
        .iter()
        .map(|f| place(f, &after.sources))
        .collect();
    // Named by rule and key (or file) for the heading, in today's order.
    let mut gone = Vec::new();
    for f in &before.findings {
        let p = place(f, &before.sources);
        if target.contains(&p) {
            continue;
        }
        let named = match (&f.key, f.span) {
            (Some(k), _) => format!("{} on `{k}`", f.code),
            (None, Some(s)) => format!("{} in {}", f.code, before.sources.get(s.file).name),
            (None, None) => f.code.to_string(),
        };
        if !gone.contains(&named) {
            gone.push(named);
        }
    }
    // A release the new side cannot render fails the upgrade when today's renders.
    after
        .unrenderable
        .retain(|name| !before.unrenderable.contains(name));
    let sources = &after.sources;
    after
        .findings
        .retain(|f| !today.contains(&place(f, sources)));
    // What today's render stood in for or left out is said too, named by its side: Helm
    // fails today without it, whatever the new chart needs.
    for note in &before.notes {
        if !after.notes.contains(note)
            && let Some(rest) = note.strip_prefix("note: ")
            && rest.contains("checked with a stand-in")
        {
            after
                .notes
                .push(format!("note: today ({}): {rest}", before.chart.label));
        }
    }
    for e in before.input_errors {
        if !after
            .input_errors
            .iter()
            .any(|a| a.to_string() == e.to_string())
        {
            after.input_errors.push(e);
        }
    }
    (after, gone)
}

/// Each release's images on both sides: the same PATHs and -f files as the lint runs, each
/// rendered with the chart and Helm of its side.
fn images(
    args: &UpgradeArgs,
    sets: &[SetArg],
    (before, after): (&LintOutcome, &LintOutcome),
    (helm_before, helm_after): (HelmVersion, HelmVersion),
) -> Result<Vec<ReleaseImages>, InputError> {
    let values_given = !args.input.values.is_empty();
    let targets = batch::release_targets(&args.paths, values_given, &[], &[], &mut Vec::new())?;
    let mut out = Vec::new();
    for target in targets {
        let mut files: Vec<&std::path::Path> = args.input.values.iter().map(|p| &**p).collect();
        files.extend(target.as_deref());
        let name = files
            .last()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "(chart defaults)".into());
        out.push(ReleaseImages {
            before: pulled(&before.chart.chart, &files, sets, helm_before, &args.input)?,
            after: pulled(&after.chart.chart, &files, sets, helm_after, &args.input)?,
            name,
        });
    }
    Ok(out)
}

/// The images one release pulls under `chart` and `helm`, or Helm's failure.
fn pulled(
    chart: &Chart,
    paths: &[&std::path::Path],
    sets: &[SetArg],
    helm: HelmVersion,
    input: &InputArgs,
) -> Result<Result<Vec<Pulled>, String>, InputError> {
    if !crate::lint::rendered::has_templates(chart) {
        return Err(super::images_render::no_templates(chart));
    }
    let mut sources = Sources::new();
    let mut files = Vec::new();
    for p in paths {
        files.push(inputs::load_file(p, input, &mut sources, helm)?);
    }
    let release = inputs::build_release(chart, &files, sets, helm, &mut sources)?;
    let name = paths.last().map_or_else(
        || format!("{} {}", chart.name, chart.version),
        |p| p.display().to_string(),
    );
    let (result, _) = crate::engine::rendered_images(&release, None);
    Ok(match result {
        Ok(r) => Ok(r
            .images
            .iter()
            .map(|i| Pulled {
                object: i.object.to_string(),
                container: i.container.clone(),
                reference: i.reference.clone(),
            })
            .collect()),
        Err(e) if e.budget => return Err(InputError::new(name, e.message)),
        Err(e) => Err(super::images::describe_failure(
            &crate::lint::rendered::failure(&e, &release.user),
            &sources,
        )),
    })
}

//! `stackstate-lint images`: every image a release pulls, with the origin of every part.

use std::io::Write;

use crate::catalog::Catalog;
use crate::cli::{ImagesArgs, ImagesFormat};
use crate::inputs::{self, ChosenChart};
use crate::release::{InputError, SetArg};
use crate::report::images as out_fmt;
use crate::resolve::{self, Resolution};
use crate::source::Sources;

/// One release's result: the name shown for it and its resolution.
pub struct ReleaseImages {
    /// The PATH (or the last -f file) the release is named after.
    pub name: String,
    /// The images.
    pub resolution: Resolution,
}

/// Runs `images`; returns the exit code.
pub fn run(
    args: &ImagesArgs,
    sets: &[SetArg],
    is_tty: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, InputError> {
    let mut sources = Sources::new();
    let chosen = inputs::choose_chart(&args.input, &mut sources)?;
    let helm = inputs::helm_version(&args.input)?;
    let mut base = Vec::new();
    for f in &args.input.values {
        base.push(inputs::load_file(f, &args.input, &mut sources, helm)?);
    }
    let mut releases = Vec::new();
    let groups: Vec<Option<&std::path::PathBuf>> = if args.paths.is_empty() {
        vec![None]
    } else {
        args.paths.iter().map(Some).collect()
    };
    for path in groups {
        let mut files = base.clone();
        if let Some(p) = path {
            files.push(inputs::load_file(p, &args.input, &mut sources, helm)?);
        }
        let name = files
            .last()
            .map(|f| sources.get(f.id).name.clone())
            .unwrap_or_else(|| "(chart defaults)".into());
        let release = inputs::build_release(&chosen.chart, &files, sets, helm)?;
        releases.push(ReleaseImages {
            name,
            resolution: resolve::resolve(&release, Catalog::builtin()),
        });
    }
    let failed = releases.iter().any(|r| !r.resolution.failures.is_empty());
    if failed {
        for r in &releases {
            for (f, components) in r.resolution.grouped_failures() {
                let at = f
                    .origin
                    .as_ref()
                    .map(|o| format!(" ({})", crate::release::describe_origin(o, &sources)))
                    .unwrap_or_default();
                let _ = writeln!(
                    err,
                    "error: {}: Helm cannot render this release: `{}`{at}: {} [breaks: {}]",
                    r.name,
                    f.key,
                    f.message,
                    components.join(", ")
                );
            }
        }
        return Ok(1);
    }
    let format = args.format.unwrap_or(if is_tty {
        ImagesFormat::Table
    } else {
        ImagesFormat::Plain
    });
    note_chart(&chosen, format, err);
    let text = match format {
        ImagesFormat::Plain => out_fmt::plain(&releases, err),
        ImagesFormat::Table => out_fmt::table(&releases, &chosen, &sources),
        ImagesFormat::Json => out_fmt::json(&releases, &chosen, helm, &sources),
    };
    let _ = out.write_all(text.as_bytes());
    Ok(0)
}

fn note_chart(chosen: &ChosenChart, format: ImagesFormat, err: &mut dyn Write) {
    if chosen.defaulted && format == ImagesFormat::Plain {
        let _ = writeln!(
            err,
            "note: using the chart defaults of {}, the newest built in; pick another with --chart-version or --chart",
            chosen.label
        );
    }
}

//! `stackstate-lint images`: the images of the chart's real render, read from the
//! manifests (every container of every object, embedded manifests included), each part with
//! the value it came from.

use std::io::Write;

use crate::chart::Load;
use crate::cli::{ImagesArgs, ImagesFormat};
use crate::engine::{self, RenderedImages};
use crate::error::InputError;
use crate::inputs::{self, ChosenChart};
use crate::lint::rendered;
use crate::release::SetArg;
use crate::report::rendered_images::{self as fmt, RenderedRelease};
use crate::source::Sources;

/// Runs `images --render`; returns the exit code (1 when Helm would not render a release).
/// `chosen` is the chart `images` already picked, if it did.
pub fn run(
    args: &ImagesArgs,
    sets: &[SetArg],
    is_tty: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
    chosen: Option<ChosenChart>,
) -> Result<i32, InputError> {
    let mut sources = Sources::new();
    let helm = inputs::helm_version(&args.input)?;
    let mut base = Vec::new();
    for f in &args.input.values {
        base.push(inputs::load_file(f, &args.input, &mut sources, helm)?);
    }
    let paths = crate::commands::batch::expand_paths(&args.paths, &[], &[])?;
    let groups: Vec<Option<&std::path::PathBuf>> = if paths.is_empty() {
        vec![None]
    } else {
        paths.iter().map(Some).collect()
    };
    let mut grouped = Vec::new();
    for path in groups {
        let mut files = base.clone();
        if let Some(p) = path {
            files.push(inputs::load_file(p, &args.input, &mut sources, helm)?);
        }
        grouped.push(files);
    }
    let chosen = match chosen {
        Some(c) => inputs::whole(c, &args.input, &mut sources)?,
        None => {
            let pin = inputs::config_pin(&args.input, paths.first(), &mut sources)?;
            let keys = inputs::all_user_keys(&grouped);
            let request = inputs::ChartRequest {
                input: &args.input,
                pinned: pin.as_ref(),
                keys: &keys,
                load: Load::Everything,
            };
            inputs::choose_chart(&request, &mut sources)?
        }
    };
    let chart = &*chosen.chart;
    if !crate::lint::rendered::has_templates(chart) {
        return Err(no_templates(chart));
    }
    let mut releases = Vec::new();
    let mut notes = Vec::new();
    let mut stand_ins = crate::lint::required::StandIns::default();
    let mut failed = false;
    for files in grouped {
        let name = files
            .last()
            .map(|f| sources.get(f.id).name.clone())
            .unwrap_or_else(|| "(chart defaults)".into());
        let release = inputs::build_release(chart, &files, sets, helm, &mut sources)?;
        // Said once the inputs are known to be good (an input error comes first).
        if let Some(note) = chosen
            .note
            .as_ref()
            .filter(|_| releases.is_empty() && !failed)
        {
            let _ = writeln!(err, "{note}");
        }
        let (result, stood_in) = engine::rendered_images(&release, args.release_name.as_deref());
        stand_ins.add(&name, &stood_in);
        match result {
            Ok(RenderedImages {
                left_out,
                images,
                described,
            }) => {
                for (_, note) in &left_out {
                    if !notes.contains(note) {
                        let _ = writeln!(err, "{note}");
                        notes.push(note.clone());
                    }
                }
                releases.push(RenderedRelease {
                    name,
                    images,
                    described,
                })
            }
            // The engine's own bound, not Helm's verdict: no image list (exit 2).
            Err(e) if e.budget => return Err(InputError::new(name, e.message)),
            Err(e) => {
                let f = rendered::failure(&e, &release.user);
                let _ = writeln!(
                    err,
                    "error: {name}: Helm cannot render this release: {}",
                    crate::commands::images::describe_failure(&f, &sources)
                );
                failed = true;
            }
        }
    }
    for note in stand_ins.notes() {
        let _ = writeln!(err, "{note}");
    }
    if failed {
        return Ok(crate::EXIT_FINDINGS);
    }
    let label = chosen.label.clone();
    let format = args.format.unwrap_or(if is_tty {
        ImagesFormat::Table
    } else {
        ImagesFormat::Plain
    });
    let text = match format {
        ImagesFormat::Table => {
            let width = crate::report::terminal::width(is_tty).unwrap_or(100);
            fmt::table(&releases, &label, &sources, width)
        }
        ImagesFormat::Json => fmt::json(
            &releases,
            (&chart.name, &chart.version, &label),
            helm,
            &sources,
        ),
        // clap keeps --mirror (and so values and script) away from --render.
        ImagesFormat::Plain | ImagesFormat::Values | ImagesFormat::Script => fmt::plain(&releases),
    };
    let _ = out.write_all(text.as_bytes());
    Ok(crate::EXIT_OK)
}

/// Why a chart without templates gives no image list.
pub fn no_templates(chart: &crate::chart::Chart) -> InputError {
    InputError::new(
        format!("{} {}", chart.name, chart.version),
        "the chart has no templates (a values-only copy): its images are what its templates \
         render; give the chart as `helm pull` gives it (or a built-in one with --chart-version)",
    )
}

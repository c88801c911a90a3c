//! `stackstate-lint images`: the images of the chart's real render, read from the
//! manifests (every container of every object, embedded manifests included), each part with
//! the value it came from.

use std::cell::RefCell;
use std::io::Write;

use super::parallel;
use crate::chart::Load;
use crate::cli::{ImagesArgs, ImagesFormat};
use crate::engine;
use crate::error::InputError;
use crate::inputs::{self, ChosenChart};
use crate::lint::rendered;
use crate::release::{Release, SetArg};
use crate::render::images::{Image, PlainImages};
use crate::report::rendered_images::{self as fmt, RenderedRelease};
use crate::resolve::RenderFailure;
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
    if let Some(message) = args
        .release_name
        .as_deref()
        .and_then(super::render::invalid_release_name)
    {
        // Helm refuses the name before it renders; the names in the listing would be wrong.
        return Err(InputError::new("--release-name", message));
    }
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
            let chosen = inputs::choose_chart(&request, &mut sources)?;
            inputs::check_complete(&chosen, &args.input)?;
            chosen
        }
    };
    let chart = &*chosen.chart;
    if !crate::lint::rendered::has_templates(chart) {
        return Err(no_templates(chart));
    }
    let workers = parallel::workers(grouped.len());
    let workers_hint = grouped.len();
    let mut grouped = grouped.into_iter();
    // Added to while a release is made, read when its result comes back (both on this thread).
    let sources = RefCell::new(sources);
    // This thread, in input order: the release's values merged (what adds to `sources`).
    let next = || -> Result<Option<(String, Release)>, InputError> {
        let Some(files) = grouped.next() else {
            return Ok(None);
        };
        let mut sources = sources.borrow_mut();
        let name = files
            .last()
            .map(|f| sources.get(f.id).name.clone())
            .unwrap_or_else(|| "(chart defaults)".into());
        let release = inputs::build_release(chart, &files, sets, helm, &mut sources)?;
        Ok(Some((name, release)))
    };
    // A worker: the render, its images, or Helm's failure.
    let work = |(name, release): (String, Release)| -> Rendered<Vec<Image>> {
        let (result, stood_in) = engine::rendered_images(&release, args.release_name.as_deref());
        let result = result
            .map(|r| (r.left_out, r.images, r.described))
            .map_err(|e| match e.budget {
                true => Stop::Budget(e.message),
                false => Stop::Helm(rendered::failure(&e, &release.user)),
            });
        (name, result, stood_in)
    };
    let format = args.format.unwrap_or(if is_tty {
        ImagesFormat::Table
    } else {
        ImagesFormat::Plain
    });
    let width = crate::report::terminal::width(is_tty).unwrap_or(100);
    let several = workers_hint > 1;
    // Each release is put in the form its format prints as soon as it comes back: a folder's
    // rendered releases (some 0.3 MB each) are not all held until the end.
    let mut printed = Printed::default();
    let mut notes = Vec::new();
    let mut stand_ins = crate::lint::required::StandIns::default();
    let mut failed = false;
    let mut stopped: Option<InputError> = None;
    let mut first = true;
    // This thread again, in input order.
    let mut gather = |(name, result, stood_in): Rendered<Vec<Image>>| {
        // Said once the inputs are known to be good (an input error comes first): the first
        // release was made.
        if let Some(note) = chosen.note.as_ref().filter(|_| first) {
            let _ = writeln!(err, "{note}");
        }
        first = false;
        stand_ins.add(&name, &stood_in);
        match result {
            Ok((left_out, images, described)) => {
                for (_, note) in &left_out {
                    if !notes.contains(note) {
                        let _ = writeln!(err, "{note}");
                        notes.push(note.clone());
                    }
                }
                let r = RenderedRelease {
                    name,
                    images,
                    described,
                };
                match format {
                    ImagesFormat::Table => {
                        printed
                            .text
                            .push_str(&fmt::table_release(&r, &sources.borrow(), width))
                    }
                    ImagesFormat::Json => {
                        printed.json.push(fmt::json_release(&r, &sources.borrow()))
                    }
                    // clap keeps --mirror (and so values and script) away from --render.
                    ImagesFormat::Plain | ImagesFormat::Values | ImagesFormat::Script => {
                        printed.text.push_str(&fmt::plain_release(&r, several))
                    }
                }
            }
            // The engine's own bound, not Helm's verdict: no image list (exit 2), the first
            // release (in input order) that ran out named.
            Err(Stop::Budget(message)) => {
                stopped.get_or_insert_with(|| InputError::new(name, message));
            }
            Err(Stop::Helm(f)) => {
                let _ = writeln!(
                    err,
                    "error: {name}: Helm cannot render this release: {}",
                    crate::commands::images::describe_failure(&f, &sources.borrow())
                );
                failed = true;
            }
        }
    };
    if workers <= 1 {
        parallel::one_by_one(next, work, gather)?;
    } else {
        // The images cross to this thread as plain data (the engine's are `Rc`).
        let work = |job| {
            let (name, result, stood_in) = work(job);
            (
                name,
                result.map(|(l, i, d)| (l, PlainImages::new(i), d)),
                stood_in,
            )
        };
        let gather = |(name, result, stood_in): Rendered<PlainImages>| {
            gather((name, result.map(|(l, i, d)| (l, i.images(), d)), stood_in))
        };
        parallel::ordered(workers, next, work, gather)?;
    }
    if let Some(e) = stopped {
        return Err(e);
    }
    for note in stand_ins.notes() {
        let _ = writeln!(err, "{note}");
    }
    if failed {
        return Ok(crate::EXIT_FINDINGS);
    }
    let _ = match format {
        ImagesFormat::Table => out
            .write_all(fmt::table_header(&chosen.label).as_bytes())
            .and_then(|()| out.write_all(printed.text.as_bytes())),
        ImagesFormat::Json => fmt::write_json_doc(
            out,
            &printed.json,
            (&chart.name, &chart.version, &chosen.label),
            helm,
        ),
        ImagesFormat::Plain | ImagesFormat::Values | ImagesFormat::Script => {
            out.write_all(printed.text.as_bytes())
        }
    };
    Ok(crate::EXIT_OK)
}

/// The releases gathered so far, in the form their format prints.
#[derive(Default)]
struct Printed {
    /// Plain and table: the text of each release in turn.
    text: String,
    /// JSON: each release's entry, printed.
    json: Vec<String>,
}

/// What a worker gives back for one release: its name, its images (`I`, with the notes of what
/// the render left out and the images as the rules see them) or Helm's failure, and the values
/// the render stood in for.
type Rendered<I> = (
    String,
    Result<(LeftOut, I, Vec<crate::resolve::Image>), Stop>,
    Vec<String>,
);

/// Why a release has no images: Helm's failure, or the engine's budgets (its message).
enum Stop {
    Helm(RenderFailure),
    Budget(String),
}

/// Notes about the subcharts a render left out.
type LeftOut = Vec<(String, std::sync::Arc<str>)>;

/// Why a chart without templates gives no image list.
pub fn no_templates(chart: &crate::chart::Chart) -> InputError {
    InputError::new(
        format!("{} {}", chart.name, chart.version),
        "the chart has no templates (a values-only copy): its images are what its templates \
         render; give the chart as `helm pull` gives it (or a built-in one with --chart-version)",
    )
}

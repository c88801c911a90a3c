//! `stackstate-lint images`: every image a release pulls, with the origin of every part.

use std::io::Write;
use std::path::PathBuf;

use crate::cli::{ImagesArgs, ImagesFormat, MirrorTool};
use crate::error::InputError;
use crate::inputs::{self, ChosenChart};
use crate::merge::HelmVersion;
use crate::mirror::{self, Registry};
use crate::release::{self, SetArg, ValuesFile};
use crate::report::mirror::{self as mirror_fmt, MirrorRelease};
use crate::resolve::Resolution;
use crate::source::Sources;
use crate::yaml::Limits;

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
    if args.render {
        return super::images_render::run(args, sets, is_tty, out, err, None);
    }
    if let Some(message) = args
        .release_name
        .as_deref()
        .and_then(super::render::invalid_release_name)
    {
        // Helm refuses the name before it renders; the names the tool shows would be wrong.
        return Err(InputError::new("--release-name", message));
    }
    let registry = args
        .mirror
        .as_deref()
        .map(Registry::parse)
        .transpose()
        .map_err(|m| InputError::new("--mirror", m))?;
    let mut sources = Sources::new();
    let helm = inputs::helm_version(&args.input)?;
    let mut base = Vec::new();
    for f in &args.input.values {
        base.push(inputs::load_file(f, &args.input, &mut sources, helm)?);
    }
    let paths = expand_folders(&args.paths)?;
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
    let pin = inputs::config_pin(&args.input, paths.first(), &mut sources)?;
    // One listing has one chart: a file whose config pins another is listed with this one.
    for p in paths.iter().skip(1) {
        if let Some(other) = inputs::config_pin(&args.input, Some(p), &mut sources)?
            && pin.as_ref().is_none_or(|first| first.text != other.text)
        {
            let _ = writeln!(
                err,
                "warning: {}: its config pins `{}` ({}), but `images` renders every file with the \
                 chart of the first one{}: run it once per chart",
                crate::escape::line(&p.display().to_string()),
                crate::escape::line(&other.text),
                crate::escape::line(&other.at),
                pin.as_ref()
                    .map(|f| format!(" (`{}`)", crate::escape::line(&f.text)))
                    .unwrap_or_default()
            );
        }
    }
    let keys = inputs::all_user_keys(&grouped);
    let request = inputs::ChartRequest {
        input: &args.input,
        pinned: pin.as_ref(),
        keys: &keys,
        load: crate::chart::Load::Everything,
    };
    let chosen = inputs::choose_chart(&request, &mut sources)?;
    inputs::check_complete(&chosen, &args.input)?;
    if args.mirror.is_none() {
        return super::images_render::run(args, sets, is_tty, out, err, Some(chosen));
    }
    let mut releases = Vec::new();
    let mut stand_ins = crate::lint::required::StandIns::default();
    let mut release_files = Vec::new();
    let mut left_out = Vec::new();
    for files in grouped {
        let name = files
            .last()
            .map(|f| sources.get(f.id).name.clone())
            .unwrap_or_else(|| "(chart defaults)".into());
        let release = inputs::build_release(&chosen.chart, &files, sets, helm, &mut sources)?;
        for (_, note) in &release.left_out {
            if !left_out.contains(note) {
                let _ = writeln!(err, "{note}");
                left_out.push(note.clone());
            }
        }
        let (resolution, stood_in) = resolution_of(&release, &name)?;
        stand_ins.add(&name, &stood_in);
        releases.push(ReleaseImages { name, resolution });
        release_files.push(files);
    }
    for note in stand_ins.notes() {
        let _ = writeln!(err, "{note}");
    }
    let failed = releases.iter().any(|r| !r.resolution.failures.is_empty());
    if failed {
        for r in &releases {
            for (f, _) in r.resolution.grouped_failures() {
                let _ = writeln!(
                    err,
                    "error: {}: Helm cannot render this release: {}",
                    r.name,
                    describe_failure(f, &sources)
                );
            }
        }
        return Ok(1);
    }
    // The mirror plan is all that is left to do here (the listing returned above).
    let Some(registry) = &registry else {
        return Ok(crate::EXIT_OK);
    };
    let inputs = MirrorInputs {
        chosen: &chosen,
        sets,
        helm,
        format: args.format.unwrap_or(ImagesFormat::Table),
        tool: args.tool.unwrap_or_default(),
        release_name: args.release_name.clone(),
    };
    run_mirror(
        registry,
        &inputs,
        releases.into_iter().zip(release_files).collect(),
        &mut sources,
        out,
        err,
    )
}

/// `` `key` (file:line:col): Helm's message``, or Helm's message alone when no key is to blame.
pub fn describe_failure(f: &crate::resolve::RenderFailure, sources: &Sources) -> String {
    if f.key.is_empty() {
        return f.message.clone();
    }
    let at = f
        .origin
        .as_ref()
        .map(|o| format!(" ({})", crate::release::describe_origin(o, sources)))
        .unwrap_or_default();
    format!("`{}`{at}: {}", f.key, f.message)
}

/// The images of a release, from its render (Helm's failure where it fails); a render the
/// engine's budgets stopped is an input error of the release called `name`.
fn resolution_of(
    release: &release::Release,
    name: &str,
) -> Result<(Resolution, Vec<String>), InputError> {
    match crate::engine::release_images(release) {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(super::images_render::no_templates(release.chart)),
        Err(e) => Err(InputError::new(name, e.message)),
    }
}

/// Folders among the PATHs become the values files in them, as for linting.
fn expand_folders(paths: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    crate::commands::batch::expand_paths(paths, &[], &[])
}

/// What `images --mirror` needs besides the releases: how to resolve them again, and the output.
struct MirrorInputs<'a> {
    chosen: &'a ChosenChart,
    sets: &'a [SetArg],
    helm: HelmVersion,
    format: ImagesFormat,
    tool: MirrorTool,
    /// What the release will be called: chart-made secrets are named after it.
    release_name: Option<String>,
}

/// The release of `files` with the overrides as its last values file, below every --set: the
/// way the user will apply them.
fn routed_release<'c>(
    inputs: &MirrorInputs<'c>,
    files: &[ValuesFile],
    overrides: &[mirror::Override],
    sources: &mut Sources,
) -> Result<release::Release<'c>, InputError> {
    let text = mirror_fmt::overrides_yaml(overrides);
    let file = release::load_values(
        "(mirror overrides)",
        text,
        sources,
        inputs.helm,
        &Limits::default(),
    )?;
    let mut all = files.to_vec();
    all.push(file);
    inputs::build_release(
        &inputs.chosen.chart,
        &all,
        inputs.sets,
        inputs.helm,
        sources,
    )
}

/// `images --mirror`: routes every release to `registry`, then prints the plan.
fn run_mirror(
    registry: &Registry,
    inputs: &MirrorInputs,
    releases: Vec<(ReleaseImages, Vec<ValuesFile>)>,
    sources: &mut Sources,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, InputError> {
    let format = inputs.format;
    if format == ImagesFormat::Values && releases.len() > 1 {
        return Err(InputError::new(
            "--format values",
            "a values file routes one release; give one PATH at a time",
        ));
    }
    let mut mirrors = Vec::new();
    let mut retyped = Vec::new();
    for (r, files) in releases {
        for w in mirror_fmt::retyped_tags(&r.resolution, sources) {
            retyped.push(format!("warning: {}: {w}", r.name));
        }
        let mut m = mirror::mirror(&r.resolution, registry, |overrides| {
            let routed = routed_release(inputs, &files, overrides, sources)?;
            resolution_of(&routed, &r.name).map(|(r, _)| r)
        })?;
        if m.failures.is_empty() {
            let routed = routed_release(inputs, &files, &m.overrides, sources)?;
            (m.stale_secrets, m.outside_secrets) =
                crate::engine::release_pull_secrets(&routed, inputs.release_name.as_deref());
            m.left_out = routed
                .left_out
                .iter()
                .map(|(path, _)| path.clone())
                .collect();
        }
        mirrors.push(MirrorRelease {
            name: r.name,
            mirror: m,
        });
    }
    if let Some(note) = &inputs.chosen.note {
        let _ = writeln!(err, "{note}");
    }
    let chart = inputs.chosen.label.as_str();
    let text = match format {
        ImagesFormat::Table => mirror_fmt::plan(&mirrors, chart, registry),
        ImagesFormat::Plain => {
            let (text, notes) = mirror_fmt::plain(&mirrors, registry);
            for n in notes {
                let _ = writeln!(err, "{n}");
            }
            text
        }
        ImagesFormat::Json => mirror_fmt::json(
            &mirrors,
            (
                &inputs.chosen.chart.name,
                &inputs.chosen.chart.version,
                chart,
            ),
            registry,
            sources,
        ),
        ImagesFormat::Values => mirrors
            .first()
            .map(|r| mirror_fmt::values(&r.name, chart, registry, &r.mirror))
            .unwrap_or_default(),
        ImagesFormat::Script => mirror_fmt::script(&mirrors, chart, registry, inputs.tool)
            .map_err(|e| InputError::new("--format script", e))?,
    };
    let _ = out.write_all(text.as_bytes());
    for w in retyped {
        let _ = writeln!(err, "{w}");
    }
    let mut complete = true;
    for r in &mirrors {
        for w in mirror_fmt::warnings(&r.mirror, registry, sources) {
            let _ = writeln!(err, "warning: {}: {w}", crate::escape::line(&r.name));
        }
        if !r.mirror.outside_secrets.is_empty() {
            let names: Vec<String> = r
                .mirror
                .outside_secrets
                .iter()
                .map(|n| format!("`{}`", crate::escape::line(n)))
                .collect();
            let _ = writeln!(
                err,
                "note: {}: the pods use {} {}, which the release does not make: {} must hold \
                 credentials for {} if that registry needs them",
                crate::escape::line(&r.name),
                if names.len() == 1 {
                    "the pull secret"
                } else {
                    "the pull secrets"
                },
                names.join(", "),
                if names.len() == 1 { "it" } else { "they" },
                registry.host()
            );
        }
        complete &= r.mirror.complete();
    }
    Ok(if complete { 0 } else { 1 })
}

//! One release, start to end: load the values texts, merge them over the chart, render, resolve
//! the images and run the rules. The lint command, `--fix` (which re-lints every candidate fix)
//! and `images` all go through here, so they see the same release.

pub mod check;
pub mod text;

use crate::catalog::Catalog;
use crate::chart::Chart;
use crate::config::Config;
use crate::diagnostic::Finding;
use crate::error::InputError;
use crate::inputs;
use crate::lint::rendered::{self, Rendered};
use crate::lint::suppress::{self, Suppression};
use crate::lint::{Context, render_images};
use crate::merge::HelmVersion;
use crate::release::{self, Release, SetArg, ValuesFile};
use crate::render::RenderError;
use crate::resolve::Resolution;
use crate::source::{FileId, Sources};
use crate::yaml::Limits;

pub use check::Selection;
pub use text::Text;

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
    /// `--release-name`: what the chart names objects after (`release-name`, as `helm
    /// template`, without it).
    pub release_name: Option<&'a str>,
}

/// What linting one release gives.
#[derive(Debug)]
pub struct ReleaseReport {
    /// Its findings, sorted by file, offset and code.
    pub findings: Vec<Finding>,
    /// The ids of its texts in `-f` order (the linted file last).
    pub files: Vec<FileId>,
    /// Notes about what the release left out (disabled subcharts, …).
    pub left_out: Vec<String>,
    /// The required values the render stood in for (see [`crate::lint::required`]).
    pub stood_in: Vec<String>,
    /// The values Helm fails on, left to the chart's defaults for the other findings (see
    /// [`crate::lint::rendered::Rendered::Healed`]).
    pub healed: Vec<String>,
    /// Whether Helm would not render it (merge or render failure), whatever rules are selected.
    pub fails: bool,
}

/// Lints one release made of `texts` (in -f order; the last is the linted file), adding the
/// texts to `sources`: [`load_release`], [`render_release`], then [`check_release`].
pub fn lint_release(
    setup: &Setup,
    config: &Config,
    sources: &mut Sources,
    texts: &[Text],
) -> Result<ReleaseReport, InputError> {
    let loaded = load_release(setup, sources, texts)?;
    Ok(check_release(
        setup,
        config,
        sources,
        render_release(loaded)?,
    ))
}

/// A release whose values are loaded and merged, not yet rendered: plain data, so that a
/// folder's releases are rendered on other threads than the one that loads them.
pub struct LoadedRelease<'c> {
    /// What errors about the release name: its last text, else the chart.
    name: String,
    files: Vec<ValuesFile>,
    release: Release<'c>,
}

/// The part of [`lint_release`] that adds to `sources`: the texts parsed, merged over the chart.
pub fn load_release<'c>(
    setup: &Setup<'c>,
    sources: &mut Sources,
    texts: &[Text],
) -> Result<LoadedRelease<'c>, InputError> {
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
    let mut release = inputs::build_release(setup.chart, &files, setup.sets, setup.helm, sources)?;
    release.name = setup.release_name.map(str::to_string);
    let name = texts.last().map_or_else(
        || format!("{} {}", setup.chart.name, setup.chart.version),
        |t| t.name.clone(),
    );
    Ok(LoadedRelease {
        name,
        files,
        release,
    })
}

/// A loaded release with its render and the images the rules see (the engine's values: it stays
/// on the thread that rendered it).
pub struct RenderedRelease<'c> {
    loaded: LoadedRelease<'c>,
    rendered: Option<Rendered>,
    /// Its images and failures, and the required values the render stood in for.
    resolution: Resolution,
}

/// The part of [`lint_release`] that needs no source text: the render and its images.
pub fn render_release(loaded: LoadedRelease) -> Result<RenderedRelease, InputError> {
    let release = &loaded.release;
    // Without a render (the values do not coalesce, the chart came without templates, the
    // render ran out of budget) there is no image to check, only the merge's failure.
    let mut resolution = Resolution::of_merge_failure(release);
    // A render the engine's budgets stopped says nothing about what Helm does: the release
    // is not linted (exit 2), as a file that cannot be read is not.
    let (rendered, stood_in) = match rendered::render(release) {
        Ok(Some((r, keys))) => (Some(r), keys),
        Ok(None) => (None, Vec::new()),
        Err(e) => return Err(InputError::new(loaded.name, e.message)),
    };
    if let Some(r) = &rendered {
        // The render is the truth: its images and its failure.
        if let Some(images) = r.images() {
            resolution = render_images::resolution(images, release);
        }
        resolution.failures = r.failures();
    }
    resolution.stood_in = stood_in;
    Ok(RenderedRelease {
        loaded,
        rendered,
        resolution,
    })
}

/// The rest of [`lint_release`], which reads `sources`: the rules.
pub fn check_release(
    setup: &Setup,
    config: &Config,
    sources: &Sources,
    rendered: RenderedRelease,
) -> ReleaseReport {
    let RenderedRelease {
        loaded: LoadedRelease { files, release, .. },
        rendered,
        resolution,
    } = rendered;
    let target = files.last().map(|f| f.id);
    let suppressions: Vec<Suppression> = files
        .iter()
        .flat_map(|f| suppress::parse(f.id, sources.get(f.id), &f.yaml.scalar_spans))
        .collect();
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
    let healed = rendered
        .as_ref()
        .map(|r| r.healed().to_vec())
        .unwrap_or_default();
    let left_out = release
        .left_out
        .iter()
        .map(|(_, n)| n.to_string())
        .collect();
    ReleaseReport {
        findings,
        files: files.iter().map(|f| f.id).collect(),
        left_out,
        stood_in: resolution.stood_in.clone(),
        healed,
        fails: !resolution.failures.is_empty(),
    }
}

/// The pull secrets of `release` (named `release_name`, Helm's `release-name` otherwise) that
/// no pod using them can use, and those its pods use that it does not make
/// ([`crate::lint::pull_secrets`]); none where it does not render.
pub fn release_pull_secrets(
    release: &Release,
    release_name: Option<&str>,
) -> (Vec<crate::lint::pull_secrets::Stale>, Vec<String>) {
    if !rendered::has_templates(release.chart) || release.failure.is_some() {
        return (Vec::new(), Vec::new());
    }
    crate::budget::uncharged(|| match rendered::analysed(release, release_name).0 {
        Ok(output) => {
            let images = crate::render::images::images(&output.files);
            (
                crate::lint::pull_secrets::stale(release, &output, &images),
                crate::lint::pull_secrets::made_elsewhere(&output),
            )
        }
        Err(_) => (Vec::new(), Vec::new()),
    })
}

/// The images of `release` as the image rules and the mirror plan see them, from its render
/// (the same render `lint_release` checks); where Helm fails, no image and Helm's failure;
/// also the required values the render stood in for. `None` when the chart has no templates;
/// the error when the render ran out of the engine's budgets.
pub fn release_images(release: &Release) -> Result<Option<(Resolution, Vec<String>)>, RenderError> {
    if !rendered::has_templates(release.chart) {
        return Ok(None);
    }
    if let Some(f) = &release.failure {
        if f.budget {
            return Err(RenderError::of_values(f, release.helm));
        }
        return Ok(Some((Resolution::of_merge_failure(release), Vec::new())));
    }
    crate::budget::uncharged(|| {
        let (result, stood_in) = rendered::analysed(release, None);
        let mut resolution = match result {
            Ok(output) => {
                render_images::resolution(&crate::render::images::images(&output.files), release)
            }
            Err(e) if e.budget => return Err(e),
            Err(e) => Resolution {
                failures: vec![rendered::failure_of(&e, release)],
                ..Default::default()
            },
        };
        // The keys the failures are blamed on, and those their messages name (Bitnami's
        // image check blames the images it read and names the switch that skips it).
        let mut failing: Vec<String> = Vec::new();
        for f in &resolution.failures {
            failing.push(f.key.clone());
            let named = crate::lint::required::keys_named(&f.message);
            failing.extend(named.iter().map(|k| crate::key_path::display(k)));
        }
        let mut off_keys: Vec<String> = Vec::new();
        for k in stood_in.iter().chain(&failing) {
            if !off_keys.contains(k) && defaults_off(&release.values, k) {
                off_keys.push(k.clone());
            }
        }
        resolution.off_keys = off_keys;
        resolution.stood_in = stood_in.clone();
        Ok(Some((resolution, stood_in)))
    })
}

/// Whether `key` is `false` in `values`; a global key also where a subchart's own values hold
/// it (Helm does not carry a subchart's globals up to its parent).
fn defaults_off(values: &crate::value::Map, key: &str) -> bool {
    use crate::value::Value;
    let off = |m: &crate::value::Map| {
        crate::value::lookup(m, key).is_some_and(|n| matches!(n.value, Value::Bool(false)))
    };
    fn any_map(
        m: &crate::value::Map,
        depth: usize,
        f: &dyn Fn(&crate::value::Map) -> bool,
    ) -> bool {
        f(m) || (depth > 0
            && m.iter().any(|(k, n)| {
                k != "global" && matches!(&n.value, Value::Map(sub) if any_map(sub, depth - 1, f))
            }))
    }
    if key.starts_with("global.") {
        any_map(values, 4, &off)
    } else {
        off(values)
    }
}

/// One release's images as `images` lists them: what the render left out (notes), the images in
/// render order and each as the rules see it (see [`lint_release`]).
pub struct RenderedImages {
    /// Notes about subcharts the render left out.
    pub left_out: Vec<(String, std::sync::Arc<str>)>,
    /// The images, one per container, in render order.
    pub images: Vec<crate::render::images::Image>,
    /// Each image with the key that decided every part.
    pub described: Vec<crate::resolve::Image>,
}

/// Renders `release` (named `release_name`, Helm's `RELEASE-NAME` otherwise) for its images;
/// Helm's failure where it fails. Also the required values the render stood in for.
pub fn rendered_images(
    release: &Release,
    release_name: Option<&str>,
) -> (Result<RenderedImages, RenderError>, Vec<String>) {
    // The render is the tool's own work: not charged to the run's budget of input values.
    crate::budget::uncharged(|| {
        let (result, stood_in) = rendered::analysed(release, release_name);
        let result = result.map(|output| {
            let images = crate::render::images::images(&output.files);
            let described = render_images::each(&images, release);
            RenderedImages {
                left_out: output.left_out,
                images,
                described,
            }
        });
        (result, stood_in)
    })
}

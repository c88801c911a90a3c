//! What lint learns from rendering the release with the chart's own templates: which keys the
//! render used ([`Usage`]), and, where Helm fails, why, blamed on the keys the failing template
//! action read. The render is the truth: where it succeeds, no render failure is guessed at;
//! where it fails, its error is the one reported.

use crate::key_path::KeyPath;
use crate::release::Release;
use crate::render::{self, RenderError};
use crate::resolve::{FailureKind, RenderFailure};
use crate::value::{Origin, Value};

use super::usage::Usage;

/// The outcome of rendering a release.
#[derive(Debug)]
pub enum Rendered {
    /// Helm renders it: the keys it used and the images of its manifests.
    Ok(Usage, Vec<crate::render::images::Image>),
    /// Helm fails: its failure, and those found once the values it failed on were left to the
    /// chart (see [`heal`]), with the keys left to it.
    Failed(Vec<RenderFailure>, Vec<String>),
    /// Helm fails, but renders once the values it fails on are left to the chart: the
    /// failures, and what that render used and pulled, so that one failure does not hide every
    /// other finding of the file.
    Healed {
        /// Helm's failure, then each one the next render met.
        failures: Vec<RenderFailure>,
        /// The keys (as written) left to the chart's defaults, in the order they failed.
        keys: Vec<String>,
        /// The keys the render without them used.
        usage: Usage,
        /// The images of its manifests.
        images: Vec<crate::render::images::Image>,
    },
}

/// Renders `release` when its chart came with templates (`None` without them, or when the
/// values do not even coalesce; the error when the render ran out of the engine's budgets), with stand-ins for
/// the values the chart requires that the files leave out ([`super::required`]); also returns
/// the keys stood in for.
pub fn render(release: &Release) -> Result<Option<(Rendered, Vec<String>)>, RenderError> {
    if !has_templates(release.chart) {
        return Ok(None);
    }
    if let Some(f) = &release.failure {
        // The tool's own bound on merging stops the release as the engine's budgets do.
        if f.budget {
            return Err(RenderError::of_values(f, release.helm));
        }
        return Ok(None);
    }
    // What the render gives is the tool's own work, not the user's input: the run's budget of
    // input values is not charged for it (a folder of files would exhaust it).
    crate::budget::uncharged(|| {
        let (result, stood_in) = analysed(release, None);
        let rendered = match result {
            Ok(output) => {
                let (usage, images) = used(release, &output);
                Rendered::Ok(usage, images)
            }
            // Not Helm's verdict but the tool's own bound: the caller stops with exit 2.
            Err(e) if e.budget => return Err(e),
            Err(e) => heal(release, &e),
        };
        Ok(Some((rendered, stood_in)))
    })
}

/// What a successful render used and pulled.
fn used(release: &Release, output: &render::Output) -> (Usage, Vec<crate::render::images::Image>) {
    let images = crate::render::images::images(&output.files);
    (
        Usage::new(release, &output.files.reads, &output.files.unpicked)
            .with_printed(super::numbers::printed(release, output))
            .with_go_form(super::go_form::maps_printed(release, output))
            .with_repeated(super::objects::repeated(output, RELEASE_NAMESPACE))
            .with_stale_secrets(super::pull_secrets::stale(release, output, &images)),
        images,
    )
}

/// How many times a failing release is rendered again without the values it failed on.
const MAX_HEALS: usize = 4;

/// Helm's failure `e` of `release`, and what lint can still say about the file: the values the
/// failing action blames (those the user wrote) are left to the chart's defaults and the
/// release rendered again — its other findings, and any further failure, come from that
/// render. Helm stops at the first failure, so without this every fix would reveal the next.
fn heal(release: &Release, e: &RenderError) -> Rendered {
    let mut failures = vec![failure_of(e, release)];
    let mut keys: Vec<String> = Vec::new();
    let mut user = release.user.clone();
    let mut last = e.message.clone();
    for _ in 0..MAX_HEALS {
        let Some(f) = failures.last() else { break };
        let blamed: Vec<String> = std::iter::once(&f.key)
            .chain(&f.null_keys)
            .filter(|k| written(&user, k))
            .cloned()
            .collect();
        if blamed.is_empty() {
            break;
        }
        for k in &blamed {
            remove(&mut user, k);
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
        let mut next = Release::build(release.chart, user.clone(), release.helm);
        next.name.clone_from(&release.name);
        if next.failure.is_some() {
            break;
        }
        match analysed(&next, None).0 {
            Ok(output) => {
                let (usage, images) = used(&next, &output);
                return Rendered::Healed {
                    failures,
                    usage: usage.with_set_aside(keys.clone()),
                    keys,
                    images,
                };
            }
            Err(again) if again.budget => break,
            // The same action failing again: what was left to the chart was not the cause.
            Err(again) if failing_action(&again.message) == failing_action(&last) => break,
            Err(again) => {
                last = again.message.clone();
                failures.push(failure_of(&again, &next));
            }
        }
    }
    // Failures met after the first one were met without `keys`: the note says so.
    if failures.len() == 1 {
        keys.clear();
    }
    Rendered::Failed(failures, keys)
}

/// Whether the user wrote `key` (text form) in a values file or with `--set`, in maps only
/// (a list item cannot be left to the chart alone).
fn written(user: &crate::value::Map, key: &str) -> bool {
    crate::value::lookup(user, key)
        .is_some_and(|n| matches!(n.origin, Origin::File { .. } | Origin::Set { .. }))
}

/// Where a render failed: its message up to the innermost action (`… at <.a.b.c>`); the whole
/// message when it names no action.
pub(crate) fn failing_action(message: &str) -> &str {
    match message.rfind(">: ") {
        Some(at) if message[..at].contains(" at <") => &message[..at + 1],
        _ => message,
    }
}

/// Helm's failure as the rules see it: blamed on the keys the failing action read, bystanders
/// among its nulls acquitted.
pub fn failure_of(e: &RenderError, release: &Release) -> RenderFailure {
    let mut f = failure(e, &release.user);
    if f.null_keys.len() > 1 {
        acquit_bystanders(&mut f, e, release);
    }
    f
}

/// The namespace lint renders a release in: `helm template`'s default.
const RELEASE_NAMESPACE: &str = "default";

/// `release` rendered for analysis (random and crypto output is never shown), with stand-ins
/// for the required values the files leave out; also the keys stood in for.
pub fn analysed(
    release: &Release,
    release_name: Option<&str>,
) -> (Result<render::Output, RenderError>, Vec<String>) {
    let mut opts = render::Options {
        analysis: true,
        namespace: RELEASE_NAMESPACE.to_string(),
        ..render::Options::default()
    };
    if let Some(name) = release_name.or(release.name.as_deref()) {
        opts.release_name = name.to_string();
    }
    super::required::render_standing_in(release, &opts)
}

impl Rendered {
    /// The keys used, when Helm renders the release (or renders it once the values it fails
    /// on are left to the chart).
    pub fn usage(&self) -> Option<&Usage> {
        match self {
            Rendered::Ok(u, _) | Rendered::Healed { usage: u, .. } => Some(u),
            Rendered::Failed(..) => None,
        }
    }

    /// The images of the rendered manifests (see [`Rendered::usage`]).
    pub fn images(&self) -> Option<&[crate::render::images::Image]> {
        match self {
            Rendered::Ok(_, images) | Rendered::Healed { images, .. } => Some(images),
            Rendered::Failed(..) => None,
        }
    }

    /// The render failures to report: none when Helm renders, else the one Helm reports and
    /// those found after it.
    pub fn failures(&self) -> Vec<RenderFailure> {
        match self {
            Rendered::Ok(..) => Vec::new(),
            Rendered::Failed(failures, _) | Rendered::Healed { failures, .. } => failures.clone(),
        }
    }

    /// The keys left to the chart's defaults for the findings beside the first failure.
    pub fn healed(&self) -> &[String] {
        match self {
            Rendered::Healed { keys, .. } | Rendered::Failed(_, keys) => keys,
            Rendered::Ok(..) => &[],
        }
    }
}

/// Keeps, of the nulls the failing action read, those the failure comes from: a null whose
/// removal leaves the render failing with the same error is a bystander (a null registry beside
/// a null tag prints `/repo:`, and only the tag's empty part breaks the manifest). Renders once
/// more per null, only for a failure that read several.
fn acquit_bystanders(f: &mut RenderFailure, e: &RenderError, release: &Release) {
    let still_fails = |key: &str| {
        let mut user = release.user.clone();
        remove(&mut user, key);
        // Built again: the render reads the release's merged values, not its user layer.
        let mut without = Release::build(release.chart, user, release.helm);
        without.name.clone_from(&release.name);
        matches!(analysed(&without, None).0, Err(again) if again.message == e.message)
    };
    let causes: Vec<String> = f
        .null_keys
        .iter()
        .filter(|k| !still_fails(k))
        .cloned()
        .collect();
    if causes.is_empty() || causes.len() == f.null_keys.len() {
        return;
    }
    if f.null_keys.contains(&f.key) && !causes.contains(&f.key) {
        f.key = causes[0].clone();
        if let Some(n) = crate::value::lookup(&release.user, &f.key) {
            f.origin = Some(n.origin.clone());
        }
    }
    f.null_keys = causes;
}

/// Deletes `key` (text form) from a user map (the chart default applies again).
fn remove(map: &mut crate::value::Map, key: &str) {
    remove_path(map, KeyPath::parse(key).keys());
}

fn remove_path(map: &mut crate::value::Map, keys: &[String]) {
    match keys {
        [] => {}
        [last] => {
            map.remove(last);
        }
        [first, rest @ ..] => {
            if let Some(Value::Map(inner)) = map.get_mut(first).map(|n| &mut n.value) {
                remove_path(inner, rest);
            }
        }
    }
}

/// Helm's failure as a [`RenderFailure`]: the key at fault is the last the failing action read,
/// the line pointed at is the deepest of those the user wrote.
pub fn failure(e: &RenderError, user_values: &crate::value::Map) -> RenderFailure {
    let blamed: Vec<String> = e
        .blame
        .iter()
        .map(|p| crate::key_path::display(&crate::render::as_written(p, user_values)))
        .collect();
    let user = |k: &str| {
        crate::value::lookup_through_lists(user_values, crate::key_path::KeyPath::parse(k).keys())
    };
    // A number or boolean the user wrote, read by an action that needed a string: the
    // value to quote, whatever else the action read.
    let typed = blamed.iter().rev().find(|k| {
        user(k).is_some_and(|n| {
            matches!(n.value, Value::Bool(_) | Value::Int(_) | Value::Float(_))
                && matches!(n.origin, Origin::File { .. } | Origin::Set { .. })
        })
    });
    if let Some(k) = typed.filter(|_| e.message.contains("expected string; got "))
        && let Some(n) = user(k)
    {
        return RenderFailure {
            kind: FailureKind::NotAString,
            component: "render".to_string(),
            key: k.clone(),
            null_keys: Vec::new(),
            origin: Some(n.origin.clone()),
            message: innermost(&e.message).to_string(),
        };
    }
    let key = blamed.last().cloned().unwrap_or_default();
    let null_keys = blamed
        .iter()
        .rev()
        .filter(|k| user(k).is_some_and(|n| n.value == Value::Null))
        .cloned()
        .collect();
    // The deepest key the user wrote among those read: that is the line to point at.
    let origin = blamed
        .iter()
        .rev()
        .filter_map(|k| user(k))
        .map(|n| n.origin.clone())
        .find(|o| matches!(o, Origin::File { .. } | Origin::Set { .. }));
    RenderFailure {
        kind: kind_of(&e.message),
        component: "render".to_string(),
        key,
        null_keys,
        origin,
        message: innermost(&e.message).to_string(),
    }
}

/// Whether the chart or any subchart has templates: a chart without any (a values-only
/// skeleton) renders nothing, which says nothing about what Helm would render.
pub fn has_templates(chart: &crate::chart::Chart) -> bool {
    chart
        .content
        .as_ref()
        .is_some_and(|c| !c.templates.is_empty())
        || chart.dependencies.iter().any(|d| has_templates(&d.chart))
}

/// The kind of a failure, from the words Go and Helm use.
fn kind_of(message: &str) -> FailureKind {
    if message.contains("nil pointer evaluating") {
        FailureKind::MissingMap
    } else if message.contains("can't evaluate field") {
        FailureKind::NotAMap
    } else if message.contains("error converting YAML to JSON")
        || message.contains("YAML parse error")
    {
        FailureKind::InvalidYaml
    } else {
        FailureKind::Failed
    }
}

/// The failing template's own error, without the `include` calls that led to it (Helm prints the
/// whole chain; the innermost part says what is wrong).
fn innermost(message: &str) -> &str {
    match message.rfind("error calling include: ") {
        Some(i) => &message[i + "error calling include: ".len()..],
        None => message,
    }
}

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
    /// Helm fails.
    Failed(RenderError),
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
            Ok(output) => Rendered::Ok(
                Usage::new(release, &output.files.reads)
                    .with_printed(super::numbers::printed(release, &output))
                    .with_go_form(super::go_form::maps_printed(release, &output))
                    .with_repeated(super::objects::repeated(&output, RELEASE_NAMESPACE)),
                crate::render::images::images(&output.files),
            ),
            // Not Helm's verdict but the tool's own bound: the caller stops with exit 2.
            Err(e) if e.budget => return Err(e),
            Err(e) => Rendered::Failed(e),
        };
        Ok(Some((rendered, stood_in)))
    })
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
    if let Some(name) = release_name {
        opts.release_name = name.to_string();
    }
    super::required::render_standing_in(release, &opts)
}

impl Rendered {
    /// The keys used, when Helm renders the release.
    pub fn usage(&self) -> Option<&Usage> {
        match self {
            Rendered::Ok(u, _) => Some(u),
            Rendered::Failed(_) => None,
        }
    }

    /// The images of the rendered manifests, when Helm renders the release.
    pub fn images(&self) -> Option<&[crate::render::images::Image]> {
        match self {
            Rendered::Ok(_, images) => Some(images),
            Rendered::Failed(_) => None,
        }
    }

    /// The render failures to report: none when Helm renders, else the
    /// one Helm reports.
    pub fn failures(&self, release: &Release) -> Vec<RenderFailure> {
        let Rendered::Failed(e) = self else {
            return Vec::new();
        };
        let mut f = failure(e, &release.user);
        if f.null_keys.len() > 1 {
            acquit_bystanders(&mut f, e, release);
        }
        vec![f]
    }
}

/// Keeps, of the nulls the failing action read, those the failure comes from: a null whose
/// removal leaves the render failing with the same error is a bystander (a null registry beside
/// a null tag prints `/repo:`, and only the tag's empty part breaks the manifest). Renders once
/// more per null, only for a failure that read several.
fn acquit_bystanders(f: &mut RenderFailure, e: &RenderError, release: &Release) {
    let still_fails = |key: &str| {
        let mut without = release.clone();
        remove(&mut without.user, key);
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

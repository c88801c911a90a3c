//! What lint learns from rendering the release with the chart's own templates: which keys the
//! render used ([`Usage`]), and, where Helm fails, why, blamed on the keys the failing template
//! action read. The render is the truth: where it succeeds, no render failure the image model
//! predicts is reported; where it fails, its error is the one reported.

use crate::release::Release;
use crate::render::{self, RenderError};
use crate::resolve::{FailureKind, RenderFailure};
use crate::value::{Origin, Value};

use super::usage::Usage;

/// The outcome of rendering a release.
#[derive(Debug)]
pub enum Rendered {
    /// Helm renders it; these keys were used.
    Ok(Usage),
    /// Helm fails.
    Failed(RenderError),
}

/// Renders `release` when its chart came with templates (`None` without them, when the values
/// do not even coalesce, or when the render ran out of the engine's budgets).
pub fn render(release: &Release) -> Option<Rendered> {
    release.chart.content.as_ref()?;
    if release.failure.is_some() {
        return None;
    }
    let result = crate::budget::uncharged(|| {
        render::render(
            release.chart,
            release.user.clone(),
            release.helm,
            &render::Options {
                analysis: true,
                ..render::Options::default()
            },
        )
    });
    match result {
        Ok(output) => Some(Rendered::Ok(
            Usage::new(release, &output.files.reads)
                .with_printed(super::numbers::printed(release, &output)),
        )),
        Err(e) if e.budget => None,
        Err(e) => Some(Rendered::Failed(e)),
    }
}

impl Rendered {
    /// The keys used, when Helm renders the release.
    pub fn usage(&self) -> Option<&Usage> {
        match self {
            Rendered::Ok(u) => Some(u),
            Rendered::Failed(_) => None,
        }
    }

    /// The render failures to report instead of the model's: none when Helm renders, else the
    /// one Helm reports.
    pub fn failures(&self, release: &Release) -> Vec<RenderFailure> {
        let Rendered::Failed(e) = self else {
            return Vec::new();
        };
        let blamed: Vec<String> = e.blame.iter().map(|p| p.join(".")).collect();
        let user = |k: &str| crate::lint::context::lookup(&release.user, k);
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
            return vec![RenderFailure {
                kind: FailureKind::NotAString,
                component: "render".to_string(),
                key: k.clone(),
                null_keys: Vec::new(),
                origin: Some(n.origin.clone()),
                message: innermost(&e.message).to_string(),
            }];
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
        vec![RenderFailure {
            kind: kind_of(&e.message),
            component: "render".to_string(),
            key,
            null_keys,
            origin,
            message: innermost(&e.message).to_string(),
        }]
    }
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

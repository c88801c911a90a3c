//! `stackstate-lint render`: the chart's manifests, as `helm template` prints them.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::InputArgs;
use std::sync::Arc;

use crate::chart::{self, Chart, Load};
use crate::cli::RenderArgs;
use crate::error::InputError;
use crate::inputs;
use crate::inputs::ChartRef;
use crate::release::SetArg;
use crate::render::{self, KubeVersion, Options};
use crate::source::Sources;

/// Runs `render`; returns the exit code (1 where Helm fails).
pub fn run(
    args: &RenderArgs,
    sets: &[SetArg],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, InputError> {
    let (name, chart_path, named) = name_and_chart(args)?;
    let helm = inputs::helm_version(&args.input)?;
    if let Some(message) = invalid_release_name(&name) {
        if helm.is_v4() {
            // Helm 4 logs the failure, then wraps it.
            let logged =
                crate::helm_log::slog("ERROR", "release name check failed", &[("error", &message)]);
            let _ = writeln!(err, "{logged}");
            let _ = writeln!(err, "Error: release name check failed: {message}");
        } else {
            let _ = writeln!(err, "Error: {message}");
        }
        return Ok(crate::EXIT_FINDINGS);
    }
    let mut sources = Sources::new();
    let mut files = Vec::new();
    for f in &args.input.values {
        files.push(inputs::load_file(f, &args.input, &mut sources, helm)?);
    }
    let user = inputs::user_values(&files, sets, helm, &mut sources)?;
    let chart = match &chart_path {
        Some(path) => {
            match crate::builtin_charts::load_path_to_render(path, &mut sources, helm.build()) {
                Ok(chart) => ChartRef::Loaded(Box::new(chart)),
                // Helm's loader refuses the chart: its words, as `helm template` prints them.
                Err(chart::ChartError::Helm { message, .. }) => {
                    let _ = writeln!(err, "Error: {message}");
                    return Ok(crate::EXIT_INPUT);
                }
                Err(e) => return Err(InputError::new(e.path(), e.message())),
            }
        }
        None => {
            let pin = inputs::config_pin(&args.input, None, &mut sources)?;
            // A lone argument naming a built-in chart names it as `--chart-version` does.
            let input = InputArgs {
                chart_version: named.or_else(|| args.input.chart_version.clone()),
                ..args.input.clone()
            };
            let request = inputs::ChartRequest {
                input: &input,
                pinned: pin.as_ref(),
                keys: &inputs::all_user_keys(std::slice::from_ref(&files)),
                load: Load::Everything,
            };
            let chosen = inputs::choose_chart(&request, &mut sources)?;
            if let Some(note) = &chosen.note {
                let _ = writeln!(err, "{note}");
            }
            chosen.chart
        }
    };
    // What Helm's loader logged, the chart's lines first, then its subcharts' (depth first).
    for line in load_log(&chart) {
        let _ = writeln!(err, "{line}");
    }
    // `helm template` warns after it checks the chart's type, before it checks the
    // dependencies or renders.
    if chart
        .content
        .as_ref()
        .is_some_and(|c| c.metadata.deprecated && crate::render::installs(&c.metadata.chart_type))
    {
        let warning = if helm.is_v4() {
            "level=WARN msg=\"this chart is deprecated\""
        } else {
            "WARNING: This chart is deprecated"
        };
        let _ = writeln!(err, "{warning}");
    }
    // An empty `--kube-version` is none, as Helm reads it.
    let kube_version = args
        .kube_version
        .as_deref()
        .filter(|v| !v.is_empty())
        .map(|v| {
            let parsed = if helm.is_v4() {
                KubeVersion::parse_helm4(v)
            } else {
                KubeVersion::parse(v)
            };
            parsed.map_err(|e| {
                InputError::new("--kube-version", format!("invalid kube version '{v}': {e}"))
            })
        })
        .transpose()?;
    if let Some(since) = helm.build().lacks_flag("--skip-schema-validation")
        && args.skip_schema_validation
    {
        return Err(InputError::new(
            "--skip-schema-validation",
            format!(
                "Helm {} has no --skip-schema-validation (Helm {since} added it): `helm \
                 template` would stop with \"unknown flag: --skip-schema-validation\"",
                helm.build().release()
            ),
        ));
    }
    let opts = Options {
        release_name: name,
        // Helm takes an empty namespace for none given: the kubeconfig's, else "default".
        namespace: match args.namespace.as_str() {
            "" => "default".to_string(),
            ns => ns.to_string(),
        },
        kube_version,
        api_versions: args.api_versions.clone(),
        is_upgrade: args.is_upgrade,
        include_crds: args.include_crds,
        skip_tests: args.skip_tests,
        no_hooks: args.no_hooks,
        skip_schema_validation: args.skip_schema_validation,
        ..Options::default()
    };
    let mut log = Vec::new();
    // The render and the reading of what it printed are the tool's own work, as for `images`
    // and lint: not charged to the run's budget of input values (the templates' output has
    // its own bounds).
    let result =
        crate::budget::uncharged(|| render::render_logged(&chart, user, helm, &opts, &mut log));
    for line in &log {
        let _ = writeln!(err, "{line}");
    }
    // NOTE: the process ends next; freeing the chart, the parsed templates and the values would
    // only cost time (a tenth of a render).
    std::mem::forget(chart);
    match result {
        Ok(output) => {
            for (_, note) in &output.left_out {
                let _ = writeln!(err, "{note}");
            }
            let text = if args.show_origin {
                crate::budget::uncharged(|| render::origin::annotate(&output, &sources))
            } else {
                output.text()
            };
            std::mem::forget(output);
            if args.show_only.is_empty() {
                let _ = out.write_all(text.as_bytes());
                return Ok(crate::EXIT_OK);
            }
            let ends = render::manifest::DocEnds::of(helm.build());
            match render::show_only::show_only(&text, &args.show_only, ends) {
                Ok(shown) => {
                    let _ = out.write_all(shown.as_bytes());
                    Ok(crate::EXIT_OK)
                }
                Err(message) => {
                    let _ = writeln!(err, "Error: {message}");
                    Ok(crate::EXIT_FINDINGS)
                }
            }
        }
        Err(e) if e.budget => {
            let _ = writeln!(err, "Error: {e}");
            Ok(crate::EXIT_INPUT)
        }
        Err(e) => {
            if let Some(log) = &e.log {
                let _ = writeln!(err, "{log}");
            }
            let _ = writeln!(err, "Error: {e}");
            if e.rendering {
                let _ = writeln!(err, "\nUse --debug flag to render out invalid YAML");
            }
            Ok(crate::EXIT_FINDINGS)
        }
    }
}

/// The release name, the chart path (none: a built-in chart) and the built-in chart a lone
/// CHART argument names.
type NameAndChart = (String, Option<PathBuf>, Option<String>);

/// `[NAME] [CHART]` as `helm template` reads them, with `--chart`, `--chart-version` and
/// `--release-name`.
fn name_and_chart(args: &RenderArgs) -> Result<NameAndChart, InputError> {
    let default_name = || {
        args.release_name
            .clone()
            .unwrap_or_else(|| "release-name".to_string())
    };
    let builtin = args.input.chart_version.is_some();
    let names_release = match (args.args.len(), &args.input.chart) {
        (2, _) => true,
        (1, chart) => chart.is_some() || builtin,
        _ => false,
    };
    if names_release && args.release_name.is_some() {
        return Err(InputError::new(
            "render",
            "both a NAME argument and --release-name given",
        ));
    }
    match (args.args.as_slice(), &args.input.chart) {
        ([_, _], _) if builtin => Err(InputError::new(
            "render",
            "both a CHART argument and --chart-version given",
        )),
        ([name, chart], None) => Ok((name.clone(), Some(PathBuf::from(chart)), None)),
        ([_, _], Some(_)) => Err(InputError::new(
            "render",
            "both a CHART argument and --chart given",
        )),
        ([name], Some(chart)) => Ok((name.clone(), Some(chart.clone()), None)),
        ([name], None) if builtin => Ok((name.clone(), None, None)),
        // Not a path but a built-in chart's name (`render stackstate -f values.yaml`): that
        // chart, as `helm template` takes a lone argument for the chart.
        ([chart], None)
            if !Path::new(chart).exists() && crate::chart_pick::named(chart).is_ok() =>
        {
            Ok((default_name(), None, Some(chart.clone())))
        }
        ([chart], None) if !Path::new(chart).exists() => Err(InputError::new(
            chart.as_str(),
            "no such file, and no built-in chart of that name: a lone argument is the chart, \
             as in `helm template` (a folder, an archive, or a built-in chart such as \
             `suse-observability@2.10.3`); to name the release of a built-in chart, add \
             --chart-version (or give --release-name)",
        )),
        ([chart], None) => Ok((default_name(), Some(PathBuf::from(chart)), None)),
        ([], chart) => Ok((default_name(), chart.clone(), None)),
        _ => Err(InputError::new("render", "too many arguments")),
    }
}

/// Helm's `ValidateReleaseName`: DNS-1123 labels joined by dots, at most 53 characters.
pub(crate) fn invalid_release_name(name: &str) -> Option<String> {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let quoted = crate::template::fmt::quote(name);
    if name.is_empty() {
        return Some(format!("release name {quoted}: no name provided"));
    }
    if name.len() <= 53 && name.split('.').all(label_ok) {
        return None;
    }
    Some(format!(
        "release name {quoted}: invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53"
    ))
}

/// The loader's log lines of `chart` and its subcharts, parents first; a subchart under two
/// aliases is one chart Helm loaded once.
fn load_log(chart: &Chart) -> Vec<&str> {
    fn walk<'c>(
        chart: &'c Chart,
        seen: &mut Vec<*const chart::content::Content>,
        lines: &mut Vec<&'c str>,
    ) {
        if let Some(content) = &chart.content {
            if seen.contains(&Arc::as_ptr(content)) {
                return;
            }
            seen.push(Arc::as_ptr(content));
            lines.extend(content.log.iter().map(String::as_str));
        }
        for dep in &chart.dependencies {
            walk(&dep.chart, seen, lines);
        }
    }
    let mut lines = Vec::new();
    walk(chart, &mut Vec::new(), &mut lines);
    lines
}

//! Turning command-line inputs into releases: the chart, the values files, the `--set` layers.

use std::io::Read;
use std::ops::Deref;
use std::path::Path;

use crate::chart::{self, Chart, Load};
use crate::chart_pick;
use crate::cli::InputArgs;
use crate::error::InputError;
use crate::merge::HelmVersion;
use crate::release::{self, Release, SetArg, ValuesFile};
use crate::source::{SourceFile, Sources, Span};
use crate::value::{Node, Origin, Value};
use crate::yaml::Limits;

/// The chart a run uses.
pub enum ChartRef {
    /// Built into the binary.
    Builtin(&'static Chart),
    /// Read with `--chart`.
    Loaded(Box<Chart>),
}

impl Deref for ChartRef {
    type Target = Chart;
    fn deref(&self) -> &Chart {
        match self {
            ChartRef::Builtin(c) => c,
            ChartRef::Loaded(c) => c,
        }
    }
}

/// The chart plus how it was chosen, for the output header.
pub struct ChosenChart {
    /// The chart.
    pub chart: ChartRef,
    /// `stackstate 4.4.0 (built-in)` or `stackstate 4.4.0 (from charts/stackstate)`.
    pub label: String,
    /// The line that says which chart was picked and why, when nothing named it (see
    /// [`crate::chart_pick`]).
    pub note: Option<String>,
}

/// What decides the chart of a run, strongest first: `--chart`, `--chart-version`, the
/// config's `chart:`, else the values' keys.
pub struct ChartRequest<'a> {
    /// `--chart`, `--chart-version`.
    pub input: &'a InputArgs,
    /// The config's `chart:` and where it was written.
    pub pinned: Option<&'a crate::config::ChartPin>,
    /// The keys the run's values files set (see [`chart_pick::add_user_keys`]), for the pick.
    pub keys: &'a [Vec<String>],
    /// How much of the chart to read.
    pub load: Load,
}

/// The Helm release `--helm-version` names (Helm 3.17.3 when it names none we know, which
/// the run reports elsewhere).
fn build_of(input: &InputArgs) -> crate::helm_build::HelmBuild {
    crate::merge::HelmVersion::parse(&input.helm_version)
        .map_or(crate::helm_build::HelmBuild::V3, |h| h.build())
}

/// Picks the chart of a run.
pub fn choose_chart(req: &ChartRequest, sources: &mut Sources) -> Result<ChosenChart, InputError> {
    if let Some(path) = &req.input.chart {
        let chart =
            crate::builtin_charts::load_path_with(path, sources, req.load, build_of(req.input))
                .map_err(|e| InputError::new(e.path(), e.message()))?;
        let label = format!("{} {} (from {})", chart.name, chart.version, path.display());
        return Ok(ChosenChart {
            chart: ChartRef::Loaded(Box::new(chart)),
            label,
            note: None,
        });
    }
    let (builtin, note) = match (&req.input.chart_version, req.pinned) {
        (Some(text), _) => (
            chart_pick::named(text).map_err(|m| InputError::new("--chart-version", m))?,
            None,
        ),
        (None, Some(pin)) => (
            chart_pick::named(&pin.text).map_err(|m| InputError::new(&pin.at, m))?,
            None,
        ),
        (None, None) => {
            let pick = chart_pick::pick(req.keys);
            let note = format!("note: chart {}, picked: {}", pick.chart.id(), pick.reason);
            (pick.chart, Some(note))
        }
    };
    let chart = builtin
        .try_load(req.load)
        .map_err(|e| builtin_unread(builtin, &e))?;
    Ok(ChosenChart {
        label: format!("{} {} (built-in)", chart.name, chart.version),
        chart: ChartRef::Builtin(chart),
        note,
    })
}

/// A `--chart` whose `Chart.yaml` names dependencies missing from its `charts/`: Helm renders
/// nothing with it, whatever the values, so it is an input error of the chart (not a finding
/// on the values). `render` keeps Helm's own failure.
pub fn check_complete(chosen: &ChosenChart, input: &InputArgs) -> Result<(), InputError> {
    let missing = crate::render::missing_dependencies(&chosen.chart);
    let Some(path) = input.chart.as_ref().filter(|_| !missing.is_empty()) else {
        return Ok(());
    };
    let names = missing
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Err(InputError::new(
        path.display().to_string(),
        format!(
            "chart {} {}: its Chart.yaml names the {} {names}, which charts/ does not hold; \
             Helm renders nothing with this chart (run `helm dependency build {}` first)",
            chosen.chart.name,
            chosen.chart.version,
            if missing.len() == 1 {
                "dependency"
            } else {
                "dependencies"
            },
            path.display()
        ),
    ))
}

/// The `chart:` of the config next to `near` (a values file) or above it, unless a chart is
/// named on the command line.
pub fn config_pin(
    input: &InputArgs,
    near: Option<&std::path::PathBuf>,
    sources: &mut Sources,
) -> Result<Option<crate::config::ChartPin>, InputError> {
    if input.chart.is_some() || input.chart_version.is_some() {
        return Ok(None);
    }
    let Some(near) = near
        .or(input.values.last())
        .filter(|p| p.as_os_str() != "-")
    else {
        return Ok(None);
    };
    let dir = near
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match crate::config_file::discover(dir) {
        Some(found) => Ok(crate::config_file::load(&found, sources)?.chart),
        None => Ok(None),
    }
}

/// The keys the values files of every release of a run set: what the chart is picked for.
pub fn all_user_keys(releases: &[Vec<ValuesFile>]) -> Vec<Vec<String>> {
    let mut keys = std::collections::BTreeSet::new();
    for f in releases.iter().flatten() {
        chart_pick::add_user_keys(&f.values, &mut keys);
    }
    keys.into_iter().collect()
}

/// `chosen` read whole (templates too), as the render needs it.
pub fn whole(
    chosen: ChosenChart,
    input: &InputArgs,
    sources: &mut Sources,
) -> Result<ChosenChart, InputError> {
    if chosen.chart.content.is_some() {
        return Ok(chosen);
    }
    let chart = match (&chosen.chart, &input.chart) {
        (_, Some(path)) => ChartRef::Loaded(Box::new(
            crate::builtin_charts::load_path_with(path, sources, Load::Everything, build_of(input))
                .map_err(|e| InputError::new(e.path(), e.message()))?,
        )),
        (ChartRef::Builtin(c), None) => {
            let named = chart_pick::named(&format!("{}@{}", c.name, c.version))
                .map_err(|m| InputError::new("--chart-version", m))?;
            ChartRef::Builtin(
                named
                    .try_load(Load::Everything)
                    .map_err(|e| builtin_unread(named, &e))?,
            )
        }
        (ChartRef::Loaded(_), None) => chosen.chart,
    };
    Ok(ChosenChart { chart, ..chosen })
}

/// A built-in chart the run could not read: its values did not fit in what the run's inputs
/// left of the budget. Named by the chart, not by the file of the chart where the budget ran
/// out, which the user never wrote.
fn builtin_unread(chart: crate::builtin_charts::BuiltinChart, e: &chart::ChartError) -> InputError {
    InputError::new(format!("{} (built-in)", chart.id()), e.message())
}

/// Parses `--helm-version`; a value flag that Helm does not have is refused, as Helm refuses it.
pub fn helm_version(input: &InputArgs) -> Result<HelmVersion, InputError> {
    let helm = HelmVersion::parse(&input.helm_version).ok_or_else(|| {
        InputError::new(
            "--helm-version",
            format!("`{}` is not one of 3, 3.16, 4", input.helm_version),
        )
    })?;
    for (flag, given) in [
        ("--set-json", &input.set_json),
        ("--set-literal", &input.set_literal),
    ] {
        if let Some(since) = helm.build().lacks_flag(flag)
            && !given.is_empty()
        {
            return Err(InputError::new(
                flag,
                format!(
                    "Helm {} has no {flag} (Helm {since} added it): `helm template` would stop \
                     with \"unknown flag: {flag}\"",
                    input.helm_version.trim().trim_start_matches('v')
                ),
            ));
        }
    }
    Ok(helm)
}

/// What stdin (`-`) or a pipe (`-f <(…)`) gave, read once per path: a run reads its values more
/// than once (to pick the chart, then to lint or render), and a second read of a pipe finds it
/// empty.
fn read_once(
    path: &Path,
    read: impl FnOnce() -> Result<Vec<u8>, String>,
) -> Result<Vec<u8>, String> {
    type Read = Result<Vec<u8>, String>;
    static READ: std::sync::Mutex<Vec<(std::path::PathBuf, Read)>> =
        std::sync::Mutex::new(Vec::new());
    let mut done = READ
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, bytes)) = done.iter().find(|(p, _)| p == path) {
        return bytes.clone();
    }
    let bytes = read();
    done.push((path.to_path_buf(), bytes.clone()));
    bytes
}

/// Reads a values file (or stdin for `-`) with the size limit applied before reading.
pub fn read_text(
    path: &Path,
    stdin_name: Option<&str>,
    limits: &Limits,
) -> Result<(String, String), InputError> {
    let shown = path.display().to_string();
    let bytes = if shown == "-" {
        read_once(path, || {
            let mut buf = Vec::new();
            std::io::stdin()
                .take(limits.max_bytes as u64 + 1)
                .read_to_end(&mut buf)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            Ok(buf)
        })
        .map_err(|e| InputError::new("-", e))?
    } else {
        match crate::file::open_input(path).map_err(|m| InputError::new(&shown, m))? {
            crate::file::Opened::Regular(file, len) => {
                if len > limits.max_bytes as u64 {
                    return Err(too_large(&shown, len, limits));
                }
                // Read through a limit even so: the file may grow while it is read.
                let mut buf = Vec::new();
                file.take(limits.max_bytes as u64 + 1)
                    .read_to_end(&mut buf)
                    .map_err(|e| InputError::new(&shown, crate::file::io_message(&e)))?;
                buf
            }
            crate::file::Opened::Pipe(file) => read_once(path, || {
                crate::file::read_pipe(file, limits.max_bytes as u64)
            })
            .map_err(|m| InputError::new(&shown, m))?,
        }
    };
    crate::budget::charge_bytes(bytes.len() as u64).map_err(|m| InputError::new(&shown, m))?;
    let name = if shown == "-" {
        stdin_name.unwrap_or("<stdin>").to_string()
    } else {
        shown
    };
    if bytes.len() > limits.max_bytes {
        return Err(InputError::new(
            &name,
            format!(
                "input is larger than the limit of {} bytes",
                limits.max_bytes
            ),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
        InputError::new(
            position(&name, valid, at),
            format!(
                "not UTF-8 text (invalid byte 0x{:02x}); values files must be UTF-8 YAML",
                e.as_bytes().get(at).copied().unwrap_or_default()
            ),
        )
    })?;
    if let Some(at) = text.find('\0') {
        return Err(InputError::new(
            position(&name, &text, at),
            "binary file (contains NUL bytes), not YAML",
        ));
    }
    Ok((name, text))
}

fn too_large(name: &str, len: u64, limits: &Limits) -> InputError {
    InputError::new(
        name,
        format!(
            "file is {len} bytes, larger than the limit of {} bytes",
            limits.max_bytes
        ),
    )
}

/// `name:line:col` of byte `at` of `text` (1-based, columns in characters).
fn position(name: &str, text: &str, at: usize) -> String {
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!("{name}:{line}:{col}")
}

/// Loads one values file into `sources`.
pub fn load_file(
    path: &Path,
    input: &InputArgs,
    sources: &mut Sources,
    helm: HelmVersion,
) -> Result<ValuesFile, InputError> {
    let limits = Limits::default();
    let (name, text) = read_text(path, input.stdin_filename.as_deref(), &limits)?;
    release::load_values(&name, text, sources, helm, &limits)
}

/// Builds the release of `files` (in -f order) plus the `--set` layers; `--set-file` files are
/// read into `sources`, so their values point at them.
pub fn build_release<'c>(
    chart: &'c Chart,
    files: &[ValuesFile],
    sets: &[SetArg],
    helm: HelmVersion,
    sources: &mut Sources,
) -> Result<Release<'c>, InputError> {
    let user = user_values(files, sets, helm, sources)?;
    Ok(Release::build(chart, user, helm))
}

/// The user values of `files` (in -f order) and the `--set` layers, before the chart defaults.
pub fn user_values(
    files: &[ValuesFile],
    sets: &[SetArg],
    helm: HelmVersion,
    sources: &mut Sources,
) -> Result<crate::value::Map, InputError> {
    let mut read_file = |path: &str| set_file(path, sources);
    release::user_values(files, sets, helm, &mut read_file)
}

/// A `--set-file` value: the file's text as one string whose origin spans the whole file.
/// A file read before (by an earlier release of the run) is not read again.
fn set_file(path: &str, sources: &mut Sources) -> Result<Node, String> {
    let known = sources
        .iter()
        .find(|(_, f)| f.name == path && path != "-")
        .map(|(id, f)| (id, f.text.to_string()));
    let (id, text) = match known {
        Some(found) => found,
        None => {
            let (name, text) = read_text(Path::new(path), None, &Limits::default())
                .map_err(|e| format!("{}: {}", e.location, e.message))?;
            (sources.add(SourceFile::new(name, text.clone())), text)
        }
    };
    let span = Span::new(id, 0, text.len());
    Ok(Node::new(
        Value::Str(text),
        Origin::File {
            key: None,
            value: span,
        },
    ))
}

//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::release::SetArg;
use crate::value::SetKind;

/// Lint StackState Helm chart values files: every image resolved exactly as Helm would.
#[derive(Debug, Parser)]
#[command(
    name = "stackstate-lint",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// What to do; without a subcommand, lint the given paths.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Lint options (the default command).
    #[command(flatten)]
    pub lint: LintArgs,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every image the release would pull, and which key decided each part.
    Images(Box<ImagesArgs>),
    /// Render the chart's manifests as `helm template` prints them.
    // Helm's flags are pflag's: a flag given again takes its last value.
    #[command(args_override_self = true)]
    Render(Box<RenderArgs>),
    /// Before an upgrade (of the chart, of Helm or both): the images that change, and what
    /// lint finds under the new chart that it does not find today.
    Upgrade(Box<UpgradeArgs>),
    /// Print a rule's documentation.
    Explain {
        /// A rule code such as SL104, or its name.
        code: String,
    },
    /// List the rules.
    Rules,
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `stackstate-lint man > stackstate-lint.1`.
    Man,
    /// Write the built-in bundle format of a real chart (a directory or .tgz) to stdout.
    #[command(hide = true)]
    ChartBundle {
        /// The chart.
        chart: PathBuf,
    },
}

/// Where values come from: base files, `--set`, the chart.
#[derive(Debug, Args, Clone, Default)]
pub struct InputArgs {
    /// Values files applied under every PATH, in order (Helm's -f; commas separate files too).
    #[arg(
        short = 'f',
        long = "values",
        value_name = "FILE",
        value_parser = clap::builder::TypedValueParser::map(clap::builder::OsStringValueParser::new(), PathBuf::from)
    )]
    pub values: Vec<PathBuf>,
    /// Helm --set KEY=VALUE[,…] (after every values file and --set-json).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Helm --set-string KEY=VALUE[,…]: values stay strings (after every --set).
    #[arg(long = "set-string", value_name = "KEY=VALUE")]
    pub set_string: Vec<String>,
    /// Helm --set-json KEY=JSON[,…]: JSON values (applied first, right after the values files).
    #[arg(long = "set-json", value_name = "KEY=JSON")]
    pub set_json: Vec<String>,
    /// Helm --set-file KEY=PATH[,…]: the file's contents as a string (after every --set-string).
    #[arg(long = "set-file", value_name = "KEY=PATH")]
    pub set_file: Vec<String>,
    /// Helm --set-literal KEY=VALUE: everything after `=` as one string (applied last).
    #[arg(long = "set-literal", value_name = "KEY=VALUE")]
    pub set_literal: Vec<String>,
    /// A real chart: an unpacked directory or a packaged .tgz (instead of a built-in chart).
    #[arg(long, value_name = "PATH", conflicts_with = "chart_version")]
    pub chart: Option<PathBuf>,
    /// The built-in chart to use: CHART@VERSION (suse-observability@2.10.3,
    /// stackstate-k8s@1.12.1, stackstate@5.1.15) or a bare stackstate VERSION (4.4.0). Default:
    /// the `chart:` of .stackstate-lint.yaml, else the newest version of the chart the values'
    /// keys fit best (said on stderr). `--version` lists the built-in charts.
    #[arg(long, value_name = "CHART@VERSION")]
    pub chart_version: Option<String>,
    /// The Helm to reproduce: 3 (3.17.3), 3.16 (3.16.4: 3.17.0 and older merge nulls
    /// otherwise), 4 (4.1.4); a release such as 4.2 or 3.9.4 brings its merge, its Go's
    /// template rules, its functions, value flags and default Kubernetes version.
    #[arg(long, value_name = "VERSION", default_value = "3")]
    pub helm_version: String,
    /// The name to show for values read from stdin (`-`).
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
}

/// Output formats of `images`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImagesFormat {
    /// Aligned table with the origin of every part.
    Table,
    /// One distinct reference per line, sorted (like `helm template | grep image: | sort -u`).
    Plain,
    /// Versioned JSON.
    Json,
    /// With --mirror: the values overrides that pull every image from the mirror.
    Values,
    /// With --mirror: a shell script of copy commands.
    Script,
}

/// The copy tool `images --mirror --format script` writes commands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum MirrorTool {
    /// `skopeo copy docker://SRC docker://DST`.
    #[default]
    Skopeo,
    /// `crane copy SRC DST`.
    Crane,
}

/// `images` arguments.
#[derive(Debug, Args)]
pub struct ImagesArgs {
    /// Values files, each its own release on top of the -f files.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format (default: table on a terminal, plain otherwise; the plan with --mirror).
    #[arg(long, value_enum)]
    pub format: Option<ImagesFormat>,
    /// Plan copying every image to REGISTRY (host[:port][/path]) and the values that pull them
    /// from there.
    #[arg(
        long,
        value_name = "REGISTRY",
        required_if_eq_any = [("format", "values"), ("format", "script")]
    )]
    pub mirror: Option<String>,
    /// The copy tool of `--format script`.
    #[arg(long, value_enum, value_name = "TOOL", requires = "mirror")]
    pub tool: Option<MirrorTool>,
    /// Accepted for scripts written when the listing could come from a model: every listing
    /// comes from the chart's real render now.
    #[arg(long, hide = true, conflicts_with_all = ["mirror", "tool"])]
    pub render: bool,
    /// The release name the chart is rendered with (default: `release-name`, as
    /// `helm template`); it shows in the object names of the listing, and names the pull
    /// secrets a chart makes, which a mirror plan checks.
    #[arg(long, value_name = "NAME")]
    pub release_name: Option<String>,
}

/// `render` arguments (`helm template [NAME] [CHART]`).
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// `[NAME] [CHART]` as `helm template` takes them; with `--chart` or `--chart-version`, a
    /// single argument is the release name. Without a chart, a built-in one (see
    /// `--chart-version`).
    #[arg(value_name = "NAME|CHART", num_args = 0..=2)]
    pub args: Vec<String>,
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// The release name (default: `release-name`, as `helm template` without NAME).
    #[arg(long, value_name = "NAME")]
    pub release_name: Option<String>,
    /// The release namespace.
    #[arg(short = 'n', long, value_name = "NS", default_value = "default")]
    pub namespace: String,
    /// The Kubernetes version for `.Capabilities.KubeVersion` (default: v1.32.0, Helm 3.17.3's;
    /// v1.35.0 with --helm-version 4, Helm 4.1.4's).
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,
    /// More API versions for `.Capabilities.APIVersions` (comma-separated or repeated).
    #[arg(short = 'a', long, value_name = "VERSION")]
    pub api_versions: Vec<String>,
    /// After each rendered value that came from a values file or --set, a comment naming where
    /// (`# values.yaml:12 stackstate.server.config`).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool, action = clap::ArgAction::Set, default_value = "false")]
    pub show_origin: bool,
    /// Set .Release.IsUpgrade instead of .Release.IsInstall.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool, action = clap::ArgAction::Set, default_value = "false")]
    pub is_upgrade: bool,
    /// Include the charts' CRDs (files under crds/) in the output.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool, action = clap::ArgAction::Set, default_value = "false")]
    pub include_crds: bool,
    /// Leave test hooks out of the output.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool, action = clap::ArgAction::Set, default_value = "false")]
    pub skip_tests: bool,
    /// Leave every hook out of the output (Helm's `--no-hooks`).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool, action = clap::ArgAction::Set, default_value = "false")]
    pub no_hooks: bool,
    /// Only the manifests rendered from the templates named, as paths in the chart with
    /// Go's glob patterns (`templates/server-*.yaml`, `charts/kafka/templates/*`); repeatable
    /// (Helm's `--show-only`).
    #[arg(short = 's', long = "show-only", value_name = "TEMPLATE")]
    pub show_only: Vec<String>,
    /// Do not check the values against the charts' values.schema.json.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool, action = clap::ArgAction::Set, default_value = "false")]
    pub skip_schema_validation: bool,
    /// Accepted as `helm template` accepts it: it keeps `helm install` from installing the
    /// CRDs and changes nothing printed (`--include-crds` still prints them).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool, action = clap::ArgAction::Set, default_value = "false")]
    pub skip_crds: bool,
}

impl Cli {
    /// Reads each value of Helm's list flags (`-f`, `--api-versions`) as pflag does: one CSV
    /// record (see [`crate::flag_list`]).
    pub(crate) fn read_list_flags(&mut self) -> Result<(), String> {
        let (input, api_versions) = match &mut self.command {
            Some(Command::Images(a)) => (&mut a.input, None),
            Some(Command::Render(a)) => (&mut a.input, Some(&mut a.api_versions)),
            Some(Command::Upgrade(a)) => (&mut a.input, None),
            None => (&mut self.lint.input, None),
            Some(_) => return Ok(()),
        };
        let mut values = Vec::new();
        for file in &input.values {
            match file.to_str() {
                Some(text) => values.extend(
                    crate::flag_list::items(text)
                        .map_err(|e| flag_error(text, "-f, --values", &e))?
                        .into_iter()
                        .map(PathBuf::from),
                ),
                // Not text: no CSV to read (pflag would have been given text).
                None => values.push(file.clone()),
            }
        }
        input.values = values;
        if let Some(versions) = api_versions {
            let mut read = Vec::new();
            for v in versions.iter() {
                read.extend(
                    crate::flag_list::items(v)
                        .map_err(|e| flag_error(v, "-a, --api-versions", &e))?,
                );
            }
            *versions = read;
        }
        Ok(())
    }
}

/// pflag's words for a flag value it cannot read.
fn flag_error(value: &str, flag: &str, problem: &str) -> String {
    format!("invalid argument {value:?} for \"{flag}\" flag: {problem}")
}

/// A bool flag's value as pflag reads it (`strconv.ParseBool`): `--is-upgrade=false`.
fn go_bool(s: &str) -> Result<bool, String> {
    match s {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok(false),
        _ => Err(format!("strconv.ParseBool: parsing {s:?}: invalid syntax")),
    }
}

/// `upgrade` arguments: today's release from the usual inputs, the target from `--to`,
/// `--to-chart` and `--to-helm-version`.
#[derive(Debug, Args)]
#[command(group(
    clap::ArgGroup::new("target")
        .required(true)
        .multiple(true)
        .args(["to", "to_chart", "to_helm_version"])
))]
pub struct UpgradeArgs {
    /// Values files or folders, each its own release on top of the -f files.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Inputs: the chart and Helm of today's release.
    #[command(flatten)]
    pub input: InputArgs,
    /// The built-in chart to upgrade to: CHART@VERSION (suse-observability@2.10.3).
    #[arg(long, value_name = "CHART@VERSION", conflicts_with = "to_chart")]
    pub to: Option<String>,
    /// A real chart to upgrade to: an unpacked directory or a packaged .tgz.
    #[arg(long, value_name = "PATH")]
    pub to_chart: Option<PathBuf>,
    /// The Helm to upgrade to (default: --helm-version's), as --helm-version takes it.
    #[arg(long, value_name = "VERSION")]
    pub to_helm_version: Option<String>,
    /// The release name both charts are rendered with (default: `release-name`, as `helm
    /// template`).
    #[arg(long, value_name = "NAME")]
    pub release_name: Option<String>,
    /// Output format: `human` lists the image changes, then the new findings; `json` both in
    /// one document; the other lint formats the new findings alone (image changes on stderr).
    #[arg(long, value_enum)]
    pub format: Option<LintFormat>,
    /// Rules, configuration, exit code and colour, as for lint.
    #[command(flatten)]
    pub check: CheckArgs,
}

/// Output formats of the linter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// Rich diagnostics with the source snippet.
    Human,
    /// `file:line:col: severity[CODE] message`.
    Compact,
    /// Versioned JSON.
    Json,
    /// GitHub Actions annotations (the default when GITHUB_ACTIONS=true).
    Github,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitLab Code Quality report.
    Gitlab,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// How findings are chosen and reported: lint's and `upgrade`'s.
#[derive(Debug, Args, Default)]
pub struct CheckArgs {
    /// Configuration file (default: .stackstate-lint.yaml next to each file or above it).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Use no configuration file: neither --config nor one found next to the files.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Only these rules (codes, code prefixes such as SL1, or names; comma-separated).
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Never these rules.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Exit 0 even when there are error-level findings.
    #[arg(long, overrides_with = "exit_zero")]
    pub exit_zero: bool,
    /// Colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Lint arguments.
#[derive(Debug, Args, Default)]
pub struct LintArgs {
    /// Values files or folders to lint, each its own release on top of the -f files; `-` reads stdin;
    /// none (and no -f): the current folder. Chart folders below a folder are skipped.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Option<LintFormat>,
    /// Rules, configuration, exit code and colour.
    #[command(flatten)]
    pub check: CheckArgs,
    /// File-name globs of values files to lint inside folders (default: values*.yaml, values*.yml, *-values.yaml, *-values.yml).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// The release name the chart is rendered with (default: `release-name`, as `helm
    /// template`): give the name you install under when your values name the chart's own
    /// objects (`global.imagePullSecrets: [stackstate-pull-secret]`).
    #[arg(long, value_name = "NAME")]
    pub release_name: Option<String>,
    /// Path globs to skip inside folders.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Apply safe fixes in place (atomically; comments and formatting are kept).
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff, also apply fixes marked unsafe (they need review).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the unified diff --fix would write, write nothing; exit 1 when there is something to fix.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
}

impl InputArgs {
    /// The arguments of the `--set` flags. Helm applies them by flag, in a fixed order, whatever
    /// their place on the command line (see [`crate::release::user_values`]).
    pub fn sets(&self) -> Vec<SetArg> {
        let mut out = Vec::new();
        for (kind, args) in [
            (SetKind::Json, &self.set_json),
            (SetKind::Set, &self.set),
            (SetKind::String, &self.set_string),
            (SetKind::File, &self.set_file),
            (SetKind::Literal, &self.set_literal),
        ] {
            out.extend(args.iter().map(|text| SetArg {
                text: text.clone(),
                kind,
            }));
        }
        out
    }
}

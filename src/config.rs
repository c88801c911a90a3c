//! What `.stackstate-lint.yaml` says, as plain data: rule levels, registry policy, forbidden
//! tags, ignored paths, the chart. Rules read it; the file is read and checked by
//! `config_file`, which knows the rule registry.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{RuleMeta, Severity};

/// A rule's configured level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Not run.
    Off,
    /// Run with this severity.
    On(Severity),
}

/// Parsed configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it came from (none: defaults).
    pub path: Option<PathBuf>,
    /// Per-rule levels by code.
    pub rules: BTreeMap<&'static str, Level>,
    /// Registry host globs images may come from (empty: any).
    pub allowed_registries: Vec<glob::Pattern>,
    /// The registry every image must come from.
    pub required_registry: Option<String>,
    /// Tags that must not be used (besides `latest`).
    pub forbidden_tags: Vec<String>,
    /// Require images pinned by digest (turns SL107 on).
    pub require_digest: bool,
    /// Path globs not to lint.
    pub ignore: Vec<glob::Pattern>,
    /// The built-in chart to use (`chart: suse-observability@2.10.3`).
    pub chart: Option<ChartPin>,
}

/// A chart named in the config.
#[derive(Debug, Clone)]
pub struct ChartPin {
    /// As written: `suse-observability@2.10.3`, `4.4.0`.
    pub text: String,
    /// Where: `file:line:col`.
    pub at: String,
}

impl Config {
    /// The level of a rule: configured, else the rule's default.
    pub fn level(&self, meta: &RuleMeta) -> Level {
        if let Some(l) = self.rules.get(meta.code) {
            return *l;
        }
        if meta.code == "SL107" && self.require_digest {
            return Level::On(Severity::Error);
        }
        if meta.default_off {
            Level::Off
        } else {
            Level::On(meta.severity)
        }
    }

    /// Whether a path is ignored.
    pub fn ignores(&self, path: &Path) -> bool {
        let text = path.to_string_lossy();
        let text = text.trim_start_matches("./");
        self.ignore.iter().any(|p| p.matches(text))
    }
}

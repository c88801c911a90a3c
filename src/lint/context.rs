//! What a rule sees: the release, its images, the user's files and the chart defaults.

use std::sync::OnceLock;

use crate::catalog::Catalog;
use crate::chart::Chart;
use crate::config::Config;
use crate::key_path::{self, KeyPath};
use crate::merge::{self, HelmVersion};
use crate::release::{Release, ValuesFile};
use crate::resolve::{Part, Resolution};
use crate::source::{FileId, Sources, Span};
use crate::value::{Map, Node, Origin, Value, lookup};
use crate::version::Version;

/// Everything the rules need for one release.
pub struct Context<'a> {
    /// Loaded texts.
    pub sources: &'a Sources,
    /// The release.
    pub release: &'a Release<'a>,
    /// Its images.
    pub resolution: &'a Resolution,
    /// The values files in `-f` order; the linted file is the last one.
    pub files: &'a [ValuesFile],
    /// The file a finding lands on when the user wrote nothing near it.
    pub target: Option<FileId>,
    /// The image catalogue.
    pub catalog: &'a Catalog,
    /// The chart version.
    pub version: Version,
    /// Policy and rule settings.
    pub config: &'a Config,
    /// Which keys the render used, when the chart was rendered and Helm would render it.
    pub usage: Option<&'a super::usage::Usage>,
    defaults: OnceLock<std::sync::Arc<crate::chart::defaults_cache::KeptDefaults>>,
    unused: std::cell::OnceCell<Vec<super::usage::Unused<'a>>>,
}

impl<'a> Context<'a> {
    /// A context for one release.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        sources: &'a Sources,
        release: &'a Release<'a>,
        resolution: &'a Resolution,
        files: &'a [ValuesFile],
        target: Option<FileId>,
        catalog: &'a Catalog,
        config: &'a Config,
    ) -> Self {
        let version = Version::parse(&release.chart.version).unwrap_or_else(Version::zero);
        Context {
            sources,
            release,
            resolution,
            files,
            target,
            catalog,
            version,
            config,
            usage: None,
            defaults: OnceLock::new(),
            unused: std::cell::OnceCell::new(),
        }
    }

    /// The keys of the linted file the render did not use (empty without a render), worked out
    /// once for the rules that report them.
    pub fn unused_keys(&self) -> &[super::usage::Unused<'a>] {
        self.unused.get_or_init(|| {
            let file = self
                .target
                .and_then(|t| self.files.iter().find(|f| f.id == t));
            match (self.usage, file) {
                (Some(usage), Some(file)) => {
                    super::usage::unused_keys(&file.values, file.id, self.release, usage)
                }
                _ => Vec::new(),
            }
        })
    }

    /// The context with what the render used.
    pub fn with_usage(mut self, usage: Option<&'a super::usage::Usage>) -> Self {
        self.usage = usage;
        self
    }

    /// The chart.
    pub fn chart(&self) -> &Chart {
        self.release.chart
    }

    /// Helm semantics in use.
    pub fn helm(&self) -> HelmVersion {
        self.release.helm
    }

    /// The chart's defaults with every subchart's merged in (for key existence and types).
    pub fn defaults(&self) -> &Map {
        &self.kept_defaults().map
    }

    /// [`Context::defaults`] as the chart keeps them.
    pub(crate) fn kept_defaults(&self) -> &crate::chart::defaults_cache::KeptDefaults {
        self.defaults
            .get_or_init(|| chart_defaults(self.chart(), self.helm()))
    }

    /// The chart default at a dotted key, if any.
    pub fn default_at(&self, key: &str) -> Option<&Node> {
        lookup(self.defaults(), key)
    }

    /// What the user layers (files and `--set`) hold at a dotted key, before the chart defaults.
    pub fn user_at(&self, key: &str) -> Option<&Node> {
        lookup(&self.release.user, key)
    }

    /// The final value at a dotted key.
    pub fn value_at(&self, key: &str) -> Option<&Node> {
        lookup(&self.release.values, key)
    }

    /// The span of the key the user wrote for a dotted key, if it came from a file.
    pub fn written(&self, key: &str) -> Option<Span> {
        self.user_at(key).and_then(|n| n.origin.user_span())
    }

    /// Where to put a finding about `key`: the key itself if the user wrote it, else the deepest
    /// parent they wrote, else `global.imageRegistry`, else the first key of the linted file;
    /// nowhere in a file when a `--set` flag gave the key itself (the message names the flag:
    /// a line of a file would point at something else).
    pub fn nearest_written(&self, key: &str) -> Option<Span> {
        let path = KeyPath::parse(key);
        for n in (1..=path.len()).rev() {
            match self.user_at(&path.prefix(n).to_string()).map(|n| &n.origin) {
                Some(Origin::File { key, value }) => return Some(key.unwrap_or(*value)),
                Some(Origin::Set { .. }) if n == path.len() => return None,
                _ => {}
            }
        }
        self.written("global.imageRegistry")
            .or_else(|| self.first_key())
    }

    /// The first key of the linted file.
    pub fn first_key(&self) -> Option<Span> {
        let target = self.target?;
        let file = self.files.iter().find(|f| f.id == target)?;
        file.values
            .values()
            .filter_map(|n| n.origin.user_span())
            .min_by_key(|s| s.start)
    }

    /// The span in a user file behind an origin.
    pub fn span_of(&self, origin: Option<&Origin>) -> Option<Span> {
        let span = origin.and_then(Origin::user_span)?;
        // A block map or list (a list item's `name: x`) spans to the next key: point at its
        // first line, without the line break and indentation that follow.
        let text = self.sources.slice(span);
        let first = text.find('\n').map_or(text, |i| &text[..i]).trim_end();
        Some(Span::new(
            span.file,
            span.start,
            span.start + first.len().max(1).min(text.len()),
        ))
    }

    /// The span of a part's deciding key when the user wrote it.
    pub fn part_span(&self, part: &Part) -> Option<Span> {
        self.span_of(part.origin.as_ref())
    }

    /// `global.imageRegistry` when set to a non-empty string.
    pub fn global_registry(&self) -> Option<String> {
        match self.value_at("global.imageRegistry").map(|n| &n.value) {
            Some(Value::Str(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        }
    }

    /// Text for the chart default at a key: `chart default in stackstate 4.4.0: quay.io/…`.
    pub fn default_note(&self, key: &str) -> Option<String> {
        let node = self.default_at(key)?;
        let label = match &node.origin {
            Origin::Chart(l) => l.to_string(),
            _ => return None,
        };
        let value = node.value.render()?;
        Some(format!("chart default in {label}: `{key}: {value}`"))
    }
}

/// Every leaf (and empty or null container) of a user map with its key in text form.
pub fn walk<'m>(map: &'m Map, prefix: &str, out: &mut Vec<(String, &'m Node)>) {
    for (k, v) in map {
        let key = if prefix.is_empty() {
            key_path::escape(k)
        } else {
            format!("{prefix}.{}", key_path::escape(k))
        };
        out.push((key.clone(), v));
        if let Value::Map(m) = &v.value {
            walk(m, &key, out);
        }
    }
}

/// The defaults of `chart` with every subchart's merged in, as lint reads them under `helm`;
/// kept with the chart, so every release of a run (and every rule asking of another chart)
/// computes them once.
pub(crate) fn chart_defaults(
    chart: &Chart,
    helm: HelmVersion,
) -> std::sync::Arc<crate::chart::defaults_cache::KeptDefaults> {
    chart.lint_defaults.get(helm.line() as u8, || {
        merge::coalesce(chart, Map::new(), helm, None).unwrap_or_default()
    })
}

//! The real charts built into the binary: every chart of `data/charts/` (stackstate 4.2.5 to
//! 5.1.15, stackstate-k8s, suse-observability), complete, as `build.rs` packed them (see
//! [`crate::chart::pack`]). They are named `chart@version`; a bare version means the
//! `stackstate` chart.

use std::path::Path;
use std::sync::OnceLock;

use crate::chart::keys::KeyTree;
use crate::chart::pack::Pack;
use crate::chart::{self, Chart, ChartError, Load};
use crate::source::Sources;
use crate::version::Version;

/// The chart a bare version (`4.4.0`) names.
pub const DEFAULT_CHART: &str = "stackstate";

fn pack() -> &'static Pack {
    chart::builtin_pack::get()
}

/// A built-in chart version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinChart(usize);

impl BuiltinChart {
    /// The chart's name.
    pub fn name(self) -> &'static str {
        &pack().charts[self.0].name
    }

    /// The chart's version.
    pub fn version(self) -> &'static str {
        &pack().charts[self.0].version
    }

    /// `name@version`.
    pub fn id(self) -> String {
        format!("{}@{}", self.name(), self.version())
    }

    /// The chart, read once per process: with `Load::Everything` all its files for rendering.
    /// Panics when it cannot be read: for the tests, which hold no run budget.
    pub fn load(self, load: Load) -> &'static Chart {
        self.try_load(load)
            .unwrap_or_else(|e| panic!("built-in chart {} is corrupt: {e}", self.id()))
    }

    /// [`BuiltinChart::load`], failing as a run does whose values files spent the run's budget
    /// of values before the chart's own were read (the chart's values count in it): an input
    /// error to report, not a corrupt chart. A failure is not kept: the next run may fit.
    pub fn try_load(self, load: Load) -> Result<&'static Chart, ChartError> {
        static VALUES: OnceLock<Vec<OnceLock<Chart>>> = OnceLock::new();
        static EVERYTHING: OnceLock<Vec<OnceLock<Chart>>> = OnceLock::new();
        let cache = match load {
            Load::Values => &VALUES,
            Load::Everything => &EVERYTHING,
        };
        let slots =
            cache.get_or_init(|| (0..pack().charts.len()).map(|_| OnceLock::new()).collect());
        if let Some(chart) = slots[self.0].get() {
            return Ok(chart);
        }
        let chart = self.read(load, &mut Sources::new())?;
        Ok(slots[self.0].get_or_init(|| chart))
    }

    /// The shape of the chart's defaults that the chart pick asks (see [`crate::chart::keys`]),
    /// computed by `build.rs`: far cheaper than reading the chart's values. Inflated once per
    /// process.
    pub(crate) fn key_tree(self) -> KeyTree<'static> {
        KeyTree::read(self.key_tree_bytes())
    }

    /// The encoded [`BuiltinChart::key_tree`].
    pub(crate) fn key_tree_bytes(self) -> &'static [u8] {
        static TREES: OnceLock<Vec<OnceLock<Vec<u8>>>> = OnceLock::new();
        let slots =
            TREES.get_or_init(|| (0..pack().charts.len()).map(|_| OnceLock::new()).collect());
        slots[self.0].get_or_init(|| {
            let (name, version, packed, raw) = key_tree_blobs()
                .get(self.0)
                .copied()
                .unwrap_or_else(|| panic!("no key tree for built-in chart {}", self.id()));
            assert_eq!((name, version), (self.name(), self.version()));
            let mut bytes = Vec::with_capacity(raw);
            let mut d = flate2::Decompress::new(false);
            let done = d.decompress_vec(packed, &mut bytes, flate2::FlushDecompress::Finish);
            assert!(
                matches!(done, Ok(flate2::Status::StreamEnd)) && bytes.len() == raw,
                "the key tree of built-in chart {} is corrupt",
                self.id()
            );
            bytes
        })
    }

    /// Reads the chart from the pack (no cache).
    pub fn read(self, load: Load, sources: &mut Sources) -> Result<Chart, ChartError> {
        let mut chart = self.read_as(load, &format!("{} (built-in)", self.id()), sources)?;
        // The stand-ins matter to a render (their templates are not the real ones).
        if load == Load::Everything {
            crate::stand_in::mark(&mut chart);
        }
        Ok(chart)
    }

    /// The chart as its archive gives it, named `shown` in messages: what the chart loader
    /// makes of the archive (`tests/chart_store.rs` holds the two equal), without inflating and
    /// parsing it again.
    fn read_as(self, load: Load, shown: &str, sources: &mut Sources) -> Result<Chart, ChartError> {
        let files = pack()
            .files(self.0, load == Load::Values)
            .map_err(|message| ChartError::Invalid {
                path: shown.to_string(),
                message,
            })?;
        chart::load_files(files, shown, sources, load)
    }
}

/// The built-in chart whose archive the file at `path` is, byte for byte (the archive `helm
/// pull` gives for one of them): its SHA-256 and length are in the pack. A file of any other
/// length is not read.
pub(crate) fn by_archive(path: &Path) -> Option<BuiltinChart> {
    use sha2::Digest;
    use std::io::Read;
    let len = std::fs::metadata(path).ok().filter(|m| m.is_file())?.len();
    let same_length: Vec<usize> = (0..pack().charts.len())
        .filter(|&i| pack().charts[i].archive.1 as u64 == len)
        .collect();
    if same_length.is_empty() {
        return None;
    }
    let (file, _) = crate::file::open_regular(path).ok()?;
    let mut bytes = Vec::with_capacity(usize::try_from(len).ok()?);
    file.take(len + 1).read_to_end(&mut bytes).ok()?;
    if bytes.len() as u64 != len {
        return None;
    }
    let digest: [u8; 32] = sha2::Sha256::digest(&bytes).into();
    same_length
        .into_iter()
        .find(|&i| pack().charts[i].archive.0 == digest)
        .map(BuiltinChart)
}

/// [`chart::load_path_with`] as the Helm release `build`'s loader reads it (which subcharts
/// its semver pairs with the dependencies, the names it takes), reading an archive that is a
/// built-in chart's from the pack.
pub fn load_path_with(
    path: &Path,
    sources: &mut Sources,
    load: Load,
    build: crate::helm_build::HelmBuild,
) -> Result<Chart, ChartError> {
    from_pack_or(path, sources, load, |s| {
        chart::load_path_for(path, s, load, build)
    })
}

/// [`chart::load_path_to_render`], reading an archive that is a built-in chart's from the pack
/// (Helm's loader takes every one of them).
pub fn load_path_to_render(
    path: &Path,
    sources: &mut Sources,
    build: crate::helm_build::HelmBuild,
) -> Result<Chart, ChartError> {
    from_pack_or(path, sources, Load::Everything, |s| {
        chart::load_path_to_render(path, s, build)
    })
}

/// The built-in chart whose archive `path` is, read from the pack under the path's name, or
/// `load` of any other file.
fn from_pack_or(
    path: &Path,
    sources: &mut Sources,
    load: Load,
    other: impl FnOnce(&mut Sources) -> Result<Chart, ChartError>,
) -> Result<Chart, ChartError> {
    match by_archive(path) {
        Some(builtin) => builtin.read_as(load, &path.display().to_string(), sources),
        None => other(sources),
    }
}

static KEY_TREES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/chart-keys.bin"));

/// A chart version's name, version, deflated key tree and its inflated length.
type KeyTreeBlob = (&'static str, &'static str, &'static [u8], usize);

/// Per chart version, in store order: name, version, deflated key tree and its inflated length
/// (the layout `build.rs` writes).
fn key_tree_blobs() -> &'static [KeyTreeBlob] {
    static BLOBS: OnceLock<Vec<KeyTreeBlob>> = OnceLock::new();
    BLOBS.get_or_init(|| {
        let mut r = Cursor { at: 0 };
        let count = r.num();
        let mut out = Vec::with_capacity(count);
        for _ in 0..count {
            let name = std::str::from_utf8(r.field()).expect("a chart name");
            let version = std::str::from_utf8(r.field()).expect("a chart version");
            let packed = r.field();
            let raw = r.num();
            out.push((name, version, packed, raw));
        }
        out
    })
}

/// Reads [`KEY_TREES`].
struct Cursor {
    at: usize,
}

impl Cursor {
    fn num(&mut self) -> usize {
        let (mut n, mut shift) = (0usize, 0);
        loop {
            let b = KEY_TREES[self.at];
            self.at += 1;
            n |= usize::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                return n;
            }
        }
    }

    fn field(&mut self) -> &'static [u8] {
        let len = self.num();
        let out = &KEY_TREES[self.at..self.at + len];
        self.at += len;
        out
    }
}

/// Every built-in chart version, in store order (by chart name, then version text).
pub fn all() -> impl Iterator<Item = BuiltinChart> {
    (0..pack().charts.len()).map(BuiltinChart)
}

/// The built-in versions of chart `name`, oldest first.
pub fn versions_of(name: &str) -> Vec<BuiltinChart> {
    let mut out: Vec<BuiltinChart> = all().filter(|c| c.name() == name).collect();
    out.sort_by_key(|c| Version::parse(c.version()).unwrap_or_else(Version::zero));
    out
}

/// The built-in chart `name` at `version`.
pub fn find(name: &str, version: &str) -> Option<BuiltinChart> {
    all().find(|c| c.name() == name && c.version() == version)
}

/// A chart version as the user names it: `suse-observability@2.10.3`, `stackstate@4.4.0`, or a
/// bare `4.4.0` (the stackstate chart); also as `helm pull` names the archive
/// (`suse-observability-2.10.3`, `.tgz` or not), and a built-in chart's bare name for its newest
/// built-in version. A leading `v` on the version is dropped.
pub fn parse_name(text: &str) -> (String, String) {
    let text = text.trim();
    let (name, version) = match text.rsplit_once('@') {
        Some((name, version)) => (name.trim(), version.trim()),
        None => match archive_name(text) {
            Some((name, version)) => (name, version),
            None => (DEFAULT_CHART, text),
        },
    };
    let version = version.strip_prefix('v').unwrap_or(version);
    (name.to_string(), version.to_string())
}

/// `text` as a built-in chart's name, or as `helm pull`'s file name of one of its versions
/// (`stackstate-k8s-1.12.1.tgz`): the chart and the version (the newest built-in one for a bare
/// name).
fn archive_name(text: &str) -> Option<(&'static str, &str)> {
    let text = text.strip_suffix(".tgz").unwrap_or(text);
    let mut names: Vec<&'static str> = all().map(|c| c.name()).collect();
    // The longest name first: `stackstate-k8s-1.12.1` is no `stackstate` version.
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names.into_iter().find_map(|name| {
        if text == name {
            return versions_of(name).last().map(|c| (name, c.version()));
        }
        let version = text.strip_prefix(name)?.strip_prefix('-')?;
        version
            .trim_start_matches('v')
            .starts_with(|c: char| c.is_ascii_digit())
            .then_some((name, version))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_named_as_helm_pull_names_its_archive_or_by_its_name() {
        let parsed = |t: &str| {
            let (name, version) = parse_name(t);
            format!("{name}@{version}")
        };
        assert_eq!(
            parsed("suse-observability-2.10.3"),
            "suse-observability@2.10.3"
        );
        assert_eq!(
            parsed("suse-observability-2.10.3.tgz"),
            "suse-observability@2.10.3"
        );
        assert_eq!(parsed("stackstate-k8s-1.12.1"), "stackstate-k8s@1.12.1");
        assert_eq!(parsed("stackstate-4.4.0"), "stackstate@4.4.0");
        assert_eq!(parsed("suse-observability"), "suse-observability@2.10.3");
        assert_eq!(parsed("4.4.0"), "stackstate@4.4.0");
        assert_eq!(parsed("v5.1.15"), "stackstate@5.1.15");
        assert_eq!(
            parsed("suse-observabilty@2.10.3"),
            "suse-observabilty@2.10.3"
        );
    }

    /// Each built-in chart's own archive is found by its digest and read from the pack as the
    /// loader reads the archive; a file one byte longer, or as long with one byte changed, is
    /// any other chart (read by the loader).
    #[test]
    fn an_archive_that_is_a_built_in_ones_is_read_from_the_pack() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/charts-src");
        if !src.is_dir() {
            eprintln!("skipped: {} is not there", src.display());
            return;
        }
        let dir = std::env::temp_dir().join(format!("sl-by-archive-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for c in all() {
            let tgz = src.join(format!("{}-{}.tgz", c.name(), c.version()));
            assert_eq!(by_archive(&tgz), Some(c), "{}", c.id());
            let bytes = std::fs::read(&tgz).unwrap();
            let longer = dir.join("longer.tgz");
            std::fs::write(&longer, [&bytes[..], b"\0"].concat()).unwrap();
            assert_eq!(by_archive(&longer), None);
            let changed = dir.join("changed.tgz");
            let mut other = bytes.clone();
            other[bytes.len() / 2] ^= 1;
            std::fs::write(&changed, other).unwrap();
            assert_eq!(by_archive(&changed), None);
        }
        assert_eq!(by_archive(&dir), None, "a folder");
        let tgz = src.join("stackstate-4.4.0.tgz");
        for load in [Load::Values, Load::Everything] {
            let show = |chart: &Chart| {
                format!(
                    "{}\n{:?}",
                    crate::write_bundle(chart),
                    chart
                        .content
                        .as_ref()
                        .map(|c| (&c.metadata, c.templates.len(), c.files.len()))
                )
            };
            let packed = load_path_with(
                &tgz,
                &mut Sources::new(),
                load,
                crate::helm_build::HelmBuild::V3,
            )
            .unwrap();
            let loaded = chart::load_path_with(&tgz, &mut Sources::new(), load).unwrap();
            assert_eq!(show(&packed), show(&loaded));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn names_and_bare_versions() {
        assert_eq!(
            parse_name("suse-observability@2.10.3"),
            ("suse-observability".into(), "2.10.3".into())
        );
        assert_eq!(parse_name("4.4.0"), ("stackstate".into(), "4.4.0".into()));
        assert_eq!(parse_name("v4.4.0"), ("stackstate".into(), "4.4.0".into()));
    }

    #[test]
    fn every_chart_of_the_store_is_built_in_and_loads() {
        let ids: Vec<String> = all().map(BuiltinChart::id).collect();
        assert_eq!(
            ids,
            [
                "stackstate@4.2.5",
                "stackstate@4.3.0",
                "stackstate@4.4.0",
                "stackstate@4.4.2",
                "stackstate@4.5.0",
                "stackstate@4.6.1",
                "stackstate@5.0.8",
                "stackstate@5.1.15",
                "stackstate-k8s@1.12.1",
                "suse-observability@2.0.1",
                "suse-observability@2.10.3",
            ]
        );
        for c in all() {
            let chart = c.read(Load::Values, &mut Sources::new()).unwrap();
            assert_eq!(
                (chart.name.as_str(), chart.version.as_str()),
                (c.name(), c.version())
            );
            assert!(chart.content.is_none());
            assert!(!chart.dependencies.is_empty(), "{}", c.id());
        }
        let full = find("suse-observability", "2.10.3")
            .unwrap()
            .load(Load::Everything);
        let content = full.content.as_ref().unwrap();
        assert!(content.templates.len() > 100);
        let otel = full.subchart(&["opentelemetry-collector"]).unwrap();
        assert!(otel.content.as_ref().unwrap().schema.is_some());
    }

    /// Every template of every built-in chart is packed parsed, and the packed trees are those
    /// the parser makes of its text (as the engine names and reads it).
    #[test]
    fn packed_templates_are_the_parsed_ones() {
        use crate::template::{ast_pack, funcs, parse};
        use std::rc::Rc;
        fn walk(chart: &Chart, at: &str, count: &mut usize) {
            let content = chart.content.as_ref().unwrap();
            // Of two files of the same name (an archive may hold both) the engine reads the last.
            let last: std::collections::BTreeMap<&str, &crate::chart::content::ChartFile> = content
                .templates
                .iter()
                .map(|t| (t.name.as_str(), t))
                .collect();
            for t in last.values() {
                let name = format!("{at}/{}", t.name);
                let text = String::from_utf8_lossy(&t.data);
                let packed = content
                    .parsed_templates
                    .get(&t.name)
                    .unwrap_or_else(|| panic!("{name}: not packed"));
                let (file, source): (Rc<str>, Rc<str>) = (Rc::from(&*name), Rc::from(&*text));
                let decoded = ast_pack::decode(packed, &file, &source, funcs::exists)
                    .unwrap_or_else(|| panic!("{name}: packed trees refused"));
                let parsed = parse::parse(&name, &text, &funcs::exists).unwrap();
                assert_eq!(shown(&decoded, &text), shown(&parsed, &text), "{name}");
                *count += 1;
            }
            for d in &chart.dependencies {
                walk(&d.chart, &format!("{at}/charts/{}", d.chart.name), count);
            }
        }
        // Trees as text, a packed tree's text pieces read from the source (the parser copies
        // them; a packed tree points into the source).
        fn shown(trees: &[crate::template::ast::Tree], source: &str) -> String {
            use crate::template::ast::{Branch, List, Node};
            fn list(l: &List, source: &str) -> List {
                let nodes = l.nodes.iter().map(|n| match n {
                    Node::SourceText { pos, len } => Node::Text {
                        pos: *pos,
                        text: Rc::from(crate::template::ast::source_text(source, *pos, *len)),
                    },
                    Node::If(b) => Node::If(Box::new(branch(b, source))),
                    Node::Range(b) => Node::Range(Box::new(branch(b, source))),
                    Node::With(b) => Node::With(Box::new(branch(b, source))),
                    other => other.clone(),
                });
                List {
                    pos: l.pos,
                    nodes: nodes.collect(),
                }
            }
            fn branch(b: &Branch, source: &str) -> Branch {
                Branch {
                    list: list(&b.list, source).into(),
                    else_list: b.else_list.as_ref().map(|l| list(l, source).into()),
                    ..b.clone()
                }
            }
            let trees: Vec<_> = trees
                .iter()
                .map(|t| (&t.name, &t.parse_name, list(&t.root, source)))
                .collect();
            format!("{trees:?}")
        }
        let mut count = 0;
        for c in all() {
            walk(c.load(Load::Everything), c.name(), &mut count);
        }
        assert!(count > 1000, "{count}");
    }
}

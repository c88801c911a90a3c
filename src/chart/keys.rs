//! The key tree of a chart: what the chart pick asks of a chart's defaults (see
//! `chart_pick`), computed by `build.rs` for every built-in chart version so that a run
//! walks three small byte trees instead of reading three charts' values.
//!
//! A key tree keeps the shape of the chart's `values.yaml` — maps with their keys, nulls, and
//! every other value as a leaf (the pick only asks whether a key is there, and whether a map or
//! null above it is open) — and each subchart's tree under the key its parent gives it (alias,
//! else name), in the order the chart loader finds them.
//!
//! Layout, read in place without allocating: a tree is its shape, then the number of subcharts
//! and per subchart its key and its tree (length first). A shape is a tag byte ([`OPEN`],
//! [`LEAF`], [`MAP`]); a map's tag is followed by its entry count and per entry the key and the
//! shape (length first), keys in order. Lengths and counts are LEB128 varints, keys UTF-8.

use std::collections::BTreeMap;

use crate::value::{Node, Origin, Value};

/// A null: open to any key below it.
const OPEN: u8 = 0;
/// Any other scalar, or a list.
const LEAF: u8 = 1;
/// A map.
const MAP: u8 = 2;

/// The tree of a chart with `values` and `deps` (key, tree of the subchart).
#[allow(
    dead_code,
    reason = "the build script (build.rs) packs with it; the library only reads packs"
)]
pub(crate) fn encode(values: &Node, deps: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    encode_shape(values, &mut out);
    put_len(deps.len(), &mut out);
    for (key, tree) in deps {
        put_str(key, &mut out);
        put_len(tree.len(), &mut out);
        out.extend_from_slice(tree);
    }
    out
}

fn encode_shape(node: &Node, out: &mut Vec<u8>) {
    match &node.value {
        Value::Null => out.push(OPEN),
        Value::Map(m) => {
            out.push(MAP);
            put_len(m.len(), out);
            let mut sub = Vec::new();
            for (k, v) in m {
                put_str(k, out);
                sub.clear();
                encode_shape(v, &mut sub);
                put_len(sub.len(), out);
                out.extend_from_slice(&sub);
            }
        }
        _ => out.push(LEAF),
    }
}

/// A shape in a key tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape<'a> {
    /// A null.
    Open,
    /// A scalar or a list.
    Leaf,
    /// A map: its entry count and encoded entries.
    Map(usize, &'a [u8]),
}

impl<'a> Shape<'a> {
    /// Reads the shape at the start of `bytes` (a leaf when it is not one).
    fn read(bytes: &'a [u8]) -> Shape<'a> {
        match bytes.first() {
            Some(&OPEN) => Shape::Open,
            Some(&MAP) => {
                let mut r = Reader { bytes, at: 1 };
                match r.num() {
                    Some(n) => Shape::Map(n, &bytes[r.at..]),
                    None => Shape::Leaf,
                }
            }
            _ => Shape::Leaf,
        }
    }

    /// The shape under `key` of a map.
    pub(crate) fn get(self, key: &str) -> Option<Shape<'a>> {
        let Shape::Map(n, entries) = self else {
            return None;
        };
        let mut r = Reader {
            bytes: entries,
            at: 0,
        };
        for _ in 0..n {
            let k = r.field()?;
            let sub = r.field()?;
            if k == key.as_bytes() {
                return Some(Shape::read(sub));
            }
        }
        None
    }
}

/// A chart's key tree, read in place.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyTree<'a> {
    /// The shape of its `values.yaml`.
    pub(crate) values: Shape<'a>,
    deps: &'a [u8],
}

impl<'a> KeyTree<'a> {
    /// The tree encoded in `bytes` (by [`encode`]).
    pub(crate) fn read(bytes: &'a [u8]) -> KeyTree<'a> {
        let mut r = Reader { bytes, at: 0 };
        let values = r.skip_shape().map_or(Shape::Leaf, Shape::read);
        KeyTree {
            values,
            deps: &bytes[r.at.min(bytes.len())..],
        }
    }

    /// Its subcharts' trees under their keys.
    pub(crate) fn deps(&self) -> impl Iterator<Item = (&'a str, KeyTree<'a>)> {
        let mut r = Reader {
            bytes: self.deps,
            at: 0,
        };
        let n = r.num().unwrap_or(0);
        (0..n).map_while(move |_| {
            let key = std::str::from_utf8(r.field()?).ok()?;
            Some((key, KeyTree::read(r.field()?)))
        })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn num(&mut self) -> Option<usize> {
        let (mut n, mut shift) = (0usize, 0u32);
        loop {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            n |= usize::from(b & 0x7f).checked_shl(shift)?;
            shift += 7;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
    }

    fn field(&mut self) -> Option<&'a [u8]> {
        let len = self.num()?;
        let out = self.bytes.get(self.at..self.at.checked_add(len)?)?;
        self.at += len;
        Some(out)
    }

    /// Passes over a shape, giving its bytes.
    fn skip_shape(&mut self) -> Option<&'a [u8]> {
        let start = self.at;
        let tag = *self.bytes.get(self.at)?;
        self.at += 1;
        if tag == MAP {
            for _ in 0..self.num()? {
                self.field()?;
                self.field()?;
            }
        }
        Some(&self.bytes[start..self.at])
    }
}

/// One chart folder of a chart version's files, as `build.rs` sees them.
#[allow(
    dead_code,
    reason = "the build script (build.rs) packs with it; the library only reads packs"
)]
pub(crate) struct Folder<'a> {
    /// Every file of the chart version: path (from the archive's top) and content number.
    pub(crate) files: &'a BTreeMap<String, usize>,
    /// The folder's path with its final `/` (`stackstate/`, `stackstate/charts/kafka/`).
    pub(crate) prefix: String,
}

/// What `build.rs` knows of a content: its bytes and, for a chart's `values.yaml`, its packed
/// parsed form.
#[allow(
    dead_code,
    reason = "the build script (build.rs) packs with it; the library only reads packs"
)]
pub(crate) trait Contents {
    /// The text of content `n`.
    fn text(&self, n: usize) -> &[u8];
    /// The parsed `values.yaml` of content `n`, packed.
    fn parsed(&self, n: usize) -> Option<&[u8]>;
}

/// The packed key tree of the chart in `folder` and its name, as the chart loader
/// (`crate::chart`) reads folders: `Chart.yaml` (or `requirements.yaml`) dependencies matched to
/// the folders under `charts/` by chart name, the first declaration taking the folder, a second
/// alias sharing it, undeclared folders under their own name. For `build.rs`: a chart it cannot
/// read is a broken build.
#[allow(
    dead_code,
    reason = "the build script (build.rs) packs with it; the library only reads packs"
)]
pub(crate) fn build(folder: &Folder<'_>, contents: &dyn Contents) -> (String, Vec<u8>) {
    let yaml_at = |name: &str| -> Option<Node> {
        let n = *folder.files.get(&format!("{}{name}", folder.prefix))?;
        let bytes = contents.text(n);
        let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
        let text = std::str::from_utf8(bytes).expect("Chart.yaml is UTF-8");
        let file = crate::yaml::load(crate::source::FileId(0), text, &Default::default())
            .unwrap_or_else(|e| panic!("{}{name}: {e}", folder.prefix));
        Some(
            file.documents
                .into_iter()
                .next()
                .unwrap_or_else(|| Node::empty_map(Origin::Synthetic)),
        )
    };
    let string_at = |node: &Node, key: &str| node.get_path(&[key]).and_then(|n| n.value.render());
    let meta = yaml_at("Chart.yaml").expect("a chart folder has a Chart.yaml");
    let name = string_at(&meta, "name").expect("Chart.yaml has a name");
    let values = match folder.files.get(&format!("{}values.yaml", folder.prefix)) {
        Some(&n) => {
            let packed = contents
                .parsed(n)
                .unwrap_or_else(|| panic!("{}values.yaml does not load", folder.prefix));
            crate::packed::decode(packed, &Origin::Synthetic).expect("packed values")
        }
        None => Node::empty_map(Origin::Synthetic),
    };
    let reqs = yaml_at("requirements.yaml");
    // (name, version range, alias) of each declared dependency.
    let declared: Vec<(String, String, Option<String>)> = match reqs
        .as_ref()
        .unwrap_or(&meta)
        .get_path(&["dependencies"])
        .map(|n| &n.value)
    {
        Some(Value::Seq(items)) => items
            .iter()
            .filter_map(|d| {
                let alias = string_at(d, "alias").filter(|a| !a.is_empty());
                let version = string_at(d, "version").unwrap_or_default();
                Some((string_at(d, "name")?, version, alias))
            })
            .collect(),
        _ => Vec::new(),
    };
    let sub_prefix = format!("{}charts/", folder.prefix);
    let mut dirs: Vec<&str> = folder
        .files
        .keys()
        .filter_map(|p| p.strip_prefix(&sub_prefix))
        .filter(|rest| !rest.starts_with(['_', '.']))
        .filter_map(|rest| match rest.split_once('/') {
            Some((dir, "Chart.yaml")) => Some(dir),
            _ => None,
        })
        .collect();
    assert!(
        folder.files.keys().all(|p| !p
            .strip_prefix(&sub_prefix)
            .is_some_and(|r| !r.contains('/') && (r.ends_with(".tgz") || r.ends_with(".tar.gz")))),
        "{sub_prefix}: subchart archives are not supported in built-in charts"
    );
    dirs.sort();
    dirs.dedup();
    let subs: Vec<(String, String, Vec<u8>)> = dirs
        .iter()
        .map(|dir| {
            let prefix = format!("{sub_prefix}{dir}/");
            let version = yaml_at(&format!("charts/{dir}/Chart.yaml"))
                .and_then(|m| string_at(&m, "version"))
                .unwrap_or_default();
            let (name, tree) = build(
                &Folder {
                    files: folder.files,
                    prefix,
                },
                contents,
            );
            (name, version, tree)
        })
        .collect();
    // As the chart loader takes them (Helm's `processDependencyEnabled`): subcharts no declared
    // dependency fits under their own name, then each declared dependency's first fitting one.
    let fits = |(name, range, _): &(String, String, Option<String>),
                (sub, version, _): &(String, String, Vec<u8>)| {
        name == sub && range_fits(range, version)
    };
    let mut deps: Vec<(String, String, Vec<u8>)> = Vec::new();
    for sub in &subs {
        if !declared.iter().any(|d| fits(d, sub)) {
            deps.push((sub.0.clone(), sub.0.clone(), sub.2.clone()));
        }
    }
    for d in &declared {
        if let Some(sub) = subs.iter().find(|s| fits(d, s)) {
            deps.push((
                d.0.clone(),
                d.2.clone().unwrap_or_else(|| d.0.clone()),
                sub.2.clone(),
            ));
        }
    }
    let deps: Vec<(String, Vec<u8>)> = deps.into_iter().map(|(_, k, t)| (k, t)).collect();
    (name, encode(&values, &deps))
}

/// Helm's `IsCompatibleRange` (Masterminds semver) for the ranges the built-in charts declare:
/// `*`, an exact version, and `N.x.x`-style wildcards; a prerelease version is only in a range
/// that names it. Any other range is a broken build: extend this, keeping it equal to the
/// library's `template::funcs::sprig_semver::is_compatible_range` (a test compares what both give).
#[allow(
    dead_code,
    reason = "the build script (build.rs) packs with it; the library only reads packs"
)]
fn range_fits(range: &str, version: &str) -> bool {
    fn parse(v: &str) -> Option<(Vec<u64>, &str)> {
        let (nums, pre) = v.split_once('-').unwrap_or((v, ""));
        let nums: Option<Vec<u64>> = nums.split('.').map(|n| n.parse().ok()).collect();
        Some((nums?, pre))
    }
    // Build metadata (`+…`) takes no part in the comparison.
    let plain = |t: &str| t.split_once('+').map_or(t, |(v, _)| v).to_string();
    let (version, range) = (plain(version), plain(range.trim()));
    let Some((v, pre)) = parse(version.trim_start_matches('v')) else {
        return false;
    };
    let range = range.as_str();
    if range.is_empty() {
        return false;
    }
    if range == "*" {
        return pre.is_empty();
    }
    let parts: Vec<&str> = range.split('.').collect();
    if parts.iter().any(|p| *p == "x" || *p == "X" || *p == "*") {
        let fixed: Vec<u64> = parts
            .iter()
            .take_while(|p| !matches!(**p, "x" | "X" | "*"))
            .map(|p| {
                p.parse()
                    .unwrap_or_else(|_| panic!("unsupported range {range}"))
            })
            .collect();
        return pre.is_empty() && v.len() >= fixed.len() && v[..fixed.len()] == fixed[..];
    }
    match parse(range.trim_start_matches(['=', 'v'])) {
        Some((r, rpre))
            if range
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || c == '=' || c == 'v') =>
        {
            let pad = |mut n: Vec<u64>| {
                n.resize(3, 0);
                n
            };
            pad(r) == pad(v) && rpre == pre
        }
        _ => panic!("unsupported dependency range {range} (see chart::keys::range_fits)"),
    }
}

fn put_str(s: &str, out: &mut Vec<u8>) {
    put_len(s.len(), out);
    out.extend_from_slice(s.as_bytes());
}

fn put_len(mut n: usize, out: &mut Vec<u8>) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

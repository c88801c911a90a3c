//! The pack of built-in charts: every file of every chart version in `data/charts/`, each
//! distinct content stored once, compressed by `build.rs` into one blob that the binary embeds.
//!
//! A run inflates only what the chart version it asks for uses: contents are grouped into
//! blocks by the set of chart versions that hold them, so every block a version opens holds
//! only its own files; what Helm reads for values alone (`Chart.yaml`, `values.yaml`,
//! `requirements.yaml`) sits in blocks of its own, so that reading defaults opens no template;
//! so does what only `.Files` reads ([`only_files_read`]: READMEs, scripts, dashboards), opened
//! the first time a template asks for one of its files. A file a run reads is a range of its
//! block, not a copy ([`FileBytes`]). Each version's file list (paths in archive order) is one
//! more small block.
//!
//! A chart's `values.yaml` is also stored parsed (by `build.rs`, with the run-time YAML loader,
//! in the form of [`crate::packed`]), so that no run parses it again; where a content serves
//! only as a chart's `values.yaml`, Helm never reads its text otherwise and only the parsed form
//! is packed. A chart's template is stored parsed too ([`crate::template::ast_pack`]), in the
//! blocks of the templates, so that no run lexes and parses it again.
//!
//! Layout: [`MAGIC`]; the block table (`kind`, compressed and raw length); the content table
//! (flags: text, parsed form, text hash; then block, offset, length of each that is there, and
//! the 8 bytes of [`content_hash`] of a text that has a parsed form); the chart
//! table (name, version, the SHA-256 and length of its archive, file-list block, the blocks of
//! its contents); then the blocks,
//! compressed in LZ4's block format, in table order. Numbers are LEB128 varints. File list: per file, the path (length,
//! UTF-8) and the content number.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::file_bytes::{Blocks, FileBytes};

/// The first bytes of a pack.
pub(crate) const MAGIC: &[u8] = b"stackstate-lint charts 4\n";

/// The most a block holds inflated (but for one content larger on its own). Blocks once were
/// copied out of and freed, and a block of this size was reused for the render's small values
/// where mimalloc kept a 2.6 MB one apart (lint of the 2.10.3 `.tgz` peaked 2.4 MB higher);
/// now files are ranges of blocks that stay for the run, and the bound keeps what `.Files`
/// opens small (the pack is 0.8 % larger than with one block per group).
pub(crate) const BLOCK_MAX: usize = 256 * 1024;

/// A chart version's file list.
const LIST: u8 = 0;
/// Contents of `Chart.yaml`, `values.yaml`, `requirements.yaml`.
const VALUES: u8 = 1;
/// Everything else that loading or rendering a chart reads: templates and their trees, the
/// files the loader reads.
const REST: u8 = 2;
/// Contents only `.Files` reads (see [`only_files_read`]): inflated when a template asks.
const FILES: u8 = 3;

/// Whether Helm reads a file of this path (in archive order, `/`-separated) only as one of the
/// chart's `.Files`: not a template, not a file the chart loader reads itself.
pub(crate) fn only_files_read(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    !path.split('/').any(|part| part == "templates")
        && !matches!(
            name,
            "Chart.yaml"
                | "values.yaml"
                | "requirements.yaml"
                | "Chart.lock"
                | "requirements.lock"
                | "values.schema.json"
                | ".helmignore"
        )
}

/// Whether Helm needs the file `path` (in archive order, `/`-separated) to know a chart's
/// values; the same names as the chart loader reads for them.
pub(crate) fn is_values_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(name, "Chart.yaml" | "values.yaml" | "requirements.yaml")
}

/// Whether `path` (from an archive's top) is under the `templates/` folder of the top chart or
/// of a subchart folder (`top/charts/NAME/templates/…`).
pub(crate) fn is_template(path: &str) -> bool {
    path.split_once('/')
        .is_some_and(|(_, rel)| is_template_in_chart(rel))
}

/// [`is_template`] of a path from the chart's root (`templates/…`, `charts/NAME/templates/…`).
pub(crate) fn is_template_in_chart(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    (0..parts.len().saturating_sub(1)).any(|i| {
        parts[i] == "templates" && i % 2 == 0 && (0..i).step_by(2).all(|j| parts[j] == "charts")
    })
}

/// Whether `path` is the `values.yaml` of a chart (the top folder's, or a subchart folder's
/// under `charts/`), inside an archive or a subchart archive (`A//P`).
#[allow(
    dead_code,
    reason = "the build script (build.rs) packs with it; the library only reads packs"
)]
pub(crate) fn is_chart_values(path: &str) -> bool {
    let inner = path.rsplit("//").next().unwrap_or(path);
    let Some((_, rest)) = inner.split_once('/') else {
        return false;
    };
    let parts: Vec<&str> = rest.split('/').collect();
    let n = parts.len();
    n % 2 == 1
        && parts[n - 1] == "values.yaml"
        && parts.iter().step_by(2).take(n / 2).all(|p| *p == "charts")
}

/// One chart version as `build.rs` reads it from the store.
#[allow(
    dead_code,
    reason = "the build script (build.rs) packs with it; the library only reads packs"
)]
pub(crate) struct StoredChart {
    /// Chart name.
    pub(crate) name: String,
    /// Chart version.
    pub(crate) version: String,
    /// The SHA-256 and length of the archive it came from.
    pub(crate) archive: ([u8; 32], usize),
    /// Its files in archive order: path and content number.
    pub(crate) files: Vec<(String, usize)>,
}

/// Writes the pack of `charts`, whose files refer to `contents` by number; `parsed` holds the
/// parsed form of the contents that serve as a `values.yaml` or a template.
#[allow(
    dead_code,
    reason = "the build script (build.rs) packs with it; the library only reads packs"
)]
pub(crate) fn write(
    charts: &[StoredChart],
    contents: &[Vec<u8>],
    parsed: &[Option<Vec<u8>>],
) -> Vec<u8> {
    // Per content: who holds it, the path it is first held under, whether values need its
    // text, and whether anything but a chart's values reads its text.
    struct Use<'a> {
        who: Vec<usize>,
        path: &'a str,
        values: bool,
        text: bool,
        /// Whether anything but `.Files` reads it under one of its paths.
        loaded: bool,
    }
    let mut uses: Vec<Use> = (0..contents.len())
        .map(|_| Use {
            who: Vec::new(),
            path: "",
            values: false,
            text: false,
            loaded: false,
        })
        .collect();
    for (c, chart) in charts.iter().enumerate() {
        for (path, n) in &chart.files {
            let u = &mut uses[*n];
            if u.who.last() != Some(&c) {
                u.who.push(c);
            }
            if u.path.is_empty() {
                u.path = path;
            }
            u.values |= is_values_file(path);
            u.text |= parsed[*n].is_none() || !is_chart_values(path);
            u.loaded |= !only_files_read(path);
        }
    }
    // What goes into blocks: (content, parsed form?) grouped by kind and holders.
    type Group = (u8, Vec<usize>);
    let mut groups: BTreeMap<Group, Vec<(usize, bool)>> = BTreeMap::new();
    for (n, u) in uses.iter().enumerate() {
        if u.who.is_empty() {
            continue;
        }
        if u.text {
            let kind = match (u.values, u.loaded || parsed[n].is_some()) {
                (true, _) => VALUES,
                (false, true) => REST,
                (false, false) => FILES,
            };
            groups
                .entry((kind, u.who.clone()))
                .or_default()
                .push((n, false));
        }
        if parsed[n].is_some() {
            // A template's packed trees are read with the templates only.
            let kind = if u.values { VALUES } else { REST };
            groups
                .entry((kind, u.who.clone()))
                .or_default()
                .push((n, true));
        }
    }
    let mut blocks: Vec<(u8, Vec<u8>)> = Vec::new();
    let mut text_at = vec![None; contents.len()];
    let mut parsed_at = vec![None; contents.len()];
    let mut chart_blocks: Vec<Vec<usize>> = vec![Vec::new(); charts.len()];
    for ((kind, who), mut members) in groups {
        // Like files next to each other compress better: by extension, name, then path.
        members.sort_by_key(|(n, p)| {
            let path = uses[*n].path;
            let name = path.rsplit('/').next().unwrap_or(path);
            let ext = name.rsplit('.').next().unwrap_or("");
            (*p, ext.to_string(), name.to_string(), path.to_string())
        });
        let mut raw = Vec::new();
        for (n, is_parsed) in members {
            let bytes = if is_parsed {
                parsed[n].as_deref().unwrap_or_default()
            } else {
                &contents[n]
            };
            if !raw.is_empty() && raw.len() + bytes.len() > BLOCK_MAX {
                let id = charts.len() + blocks.len();
                blocks.push((kind, std::mem::take(&mut raw)));
                who.iter().for_each(|c| chart_blocks[*c].push(id));
            }
            let id = charts.len() + blocks.len();
            let at = Some((id, raw.len(), bytes.len()));
            if is_parsed {
                parsed_at[n] = at;
            } else {
                text_at[n] = at;
            }
            raw.extend_from_slice(bytes);
        }
        let id = charts.len() + blocks.len();
        blocks.push((kind, raw));
        who.iter().for_each(|c| chart_blocks[*c].push(id));
    }
    let lists: Vec<(u8, Vec<u8>)> = charts
        .iter()
        .map(|chart| {
            let mut raw = Vec::new();
            for (path, n) in &chart.files {
                put_str(&mut raw, path);
                put(&mut raw, *n);
            }
            (LIST, raw)
        })
        .collect();
    let all: Vec<(u8, Vec<u8>)> = lists.into_iter().chain(blocks).collect();
    let compressed: Vec<Vec<u8>> = all
        .iter()
        .map(|(_, raw)| lz4_flex::block::compress(raw))
        .collect();

    let mut out = MAGIC.to_vec();
    put(&mut out, all.len());
    for ((kind, raw), packed) in all.iter().zip(&compressed) {
        out.push(*kind);
        put(&mut out, packed.len());
        put(&mut out, raw.len());
    }
    put(&mut out, contents.len());
    for n in 0..contents.len() {
        let (text, form) = (text_at[n], parsed_at[n]);
        let hashed = text.is_some() && form.is_some();
        out.push(
            u8::from(text.is_some()) | (u8::from(form.is_some()) << 1) | (u8::from(hashed) << 2),
        );
        for (block, offset, len) in text.into_iter().chain(form) {
            put(&mut out, block);
            put(&mut out, offset);
            put(&mut out, len);
        }
        if hashed {
            out.extend_from_slice(&content_hash(&contents[n]).to_le_bytes());
        }
    }
    put(&mut out, charts.len());
    for (c, chart) in charts.iter().enumerate() {
        put_str(&mut out, &chart.name);
        put_str(&mut out, &chart.version);
        out.extend_from_slice(&chart.archive.0);
        put(&mut out, chart.archive.1);
        put(&mut out, c);
        put(&mut out, chart_blocks[c].len());
        chart_blocks[c].iter().for_each(|b| put(&mut out, *b));
    }
    compressed.iter().for_each(|b| out.extend_from_slice(b));
    out
}

fn put(out: &mut Vec<u8>, mut n: usize) {
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

fn put_str(out: &mut Vec<u8>, s: &str) {
    put(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

/// The hash a text with a parsed form is found by (not a check: the text is compared after).
pub(crate) fn content_hash(bytes: &[u8]) -> u64 {
    crate::template::ast_pack::bytes_hash(bytes)
}

/// A block of the pack: where its compressed bytes are and how long it is inflated.
#[derive(Debug, Clone)]
struct Block {
    kind: u8,
    start: usize,
    packed: usize,
    raw: usize,
}

/// One chart version of a pack.
#[derive(Debug, Clone)]
pub(crate) struct PackedChart {
    /// Chart name.
    pub(crate) name: String,
    /// Chart version.
    pub(crate) version: String,
    /// The SHA-256 and length of the archive it came from (`builtin_charts::by_archive` finds a
    /// `--chart` archive by them).
    pub(crate) archive: ([u8; 32], usize),
    list: usize,
    blocks: Vec<usize>,
}

/// Where a content's text or parsed form is: block, offset, length.
type Place = Option<(usize, usize, usize)>;

/// A file of a chart as the pack gives it.
#[derive(Debug, Clone)]
pub(crate) struct PackedFile {
    /// Its path in the archive (`A//P` inside a subchart archive `A`).
    pub(crate) path: String,
    /// Its bytes (a UTF-8 byte-order mark left out); none when only the parsed form is packed
    /// (or was asked for).
    pub(crate) text: Option<FileBytes>,
    /// For a chart's `values.yaml`: the first document, parsed (see [`crate::packed`]); for a
    /// template: its trees (see [`crate::template::ast_pack`]).
    pub(crate) parsed: Option<FileBytes>,
}

/// A pack, its tables read; contents are inflated on demand.
#[derive(Debug)]
pub(crate) struct Pack {
    bytes: &'static [u8],
    blocks: Vec<Block>,
    contents: Vec<(Place, Place)>,
    /// Per content with a text and a parsed form: the text's [`content_hash`].
    hashes: Vec<Option<u64>>,
    /// The contents by [`Pack::hashes`], made the first time a text is looked up.
    by_hash: std::sync::OnceLock<std::collections::HashMap<u64, Vec<usize>>>,
    /// Blocks of [`FILES`] inflated so far (kept: a chart's files may be asked for again).
    inflated: Vec<std::sync::OnceLock<Option<Arc<Vec<u8>>>>>,
    /// The chart versions in it, in store order.
    pub(crate) charts: Vec<PackedChart>,
}

/// Reads a pack's tables.
pub(crate) fn read(bytes: &'static [u8]) -> Result<Pack, String> {
    let rest = bytes.strip_prefix(MAGIC).ok_or("not a chart pack")?;
    let mut r = Reader {
        bytes: rest,
        pos: 0,
    };
    let n_blocks = r.count()?;
    let mut blocks = Vec::with_capacity(n_blocks);
    for _ in 0..n_blocks {
        let kind = r.byte()?;
        let packed = r.num()?;
        let raw = r.num()?;
        blocks.push(Block {
            kind,
            start: 0,
            packed,
            raw,
        });
    }
    let n_contents = r.count()?;
    let mut contents = Vec::with_capacity(n_contents);
    let mut hashes = Vec::with_capacity(n_contents);
    for _ in 0..n_contents {
        let flags = r.byte()?;
        let mut place = |bit: u8| -> Result<Place, String> {
            if flags & bit == 0 {
                return Ok(None);
            }
            Ok(Some((r.num()?, r.num()?, r.num()?)))
        };
        let text = place(1)?;
        let parsed = place(2)?;
        contents.push((text, parsed));
        hashes.push(match flags & 4 {
            0 => None,
            _ => Some(r.hash()?),
        });
    }
    let n_charts = r.count()?;
    let mut charts = Vec::with_capacity(n_charts);
    for _ in 0..n_charts {
        let name = r.string()?;
        let version = r.string()?;
        let digest = r.take(32)?.try_into().map_err(|_| "bad archive digest")?;
        let archive = (digest, r.num()?);
        let list = r.num()?;
        let n = r.count()?;
        let mut used = Vec::with_capacity(n);
        for _ in 0..n {
            used.push(r.num()?);
        }
        charts.push(PackedChart {
            name,
            version,
            archive,
            list,
            blocks: used,
        });
    }
    let mut start = MAGIC.len() + r.pos;
    for b in &mut blocks {
        b.start = start;
        start = start.checked_add(b.packed).ok_or("block out of range")?;
    }
    if start != bytes.len() {
        return Err("the blocks do not fill the pack".into());
    }
    let pack = Pack {
        bytes,
        blocks,
        contents,
        hashes,
        by_hash: std::sync::OnceLock::new(),
        inflated: (0..n_blocks).map(|_| std::sync::OnceLock::new()).collect(),
        charts,
    };
    for c in &pack.charts {
        for &b in c.blocks.iter().chain([&c.list]) {
            pack.blocks.get(b).ok_or("block out of range")?;
        }
    }
    for &(b, offset, len) in pack.contents.iter().flat_map(|(t, p)| t.iter().chain(p)) {
        let block = pack.blocks.get(b).ok_or("content out of range")?;
        if offset.checked_add(len).is_none_or(|end| end > block.raw) {
            return Err("content out of range".into());
        }
    }
    Ok(pack)
}

impl Pack {
    /// The files of chart version `chart` (a position in [`Pack::charts`]) in archive order,
    /// all of them, or with `values_only` those Helm needs for values. Texts are ranges of
    /// their blocks, not copies; texts only `.Files` reads are inflated when first read.
    pub(crate) fn files(
        &'static self,
        chart: usize,
        values_only: bool,
    ) -> Result<Vec<PackedFile>, String> {
        let chart = self.charts.get(chart).ok_or("no such chart")?;
        let list = self.inflate(chart.list)?;
        let wanted: std::collections::BTreeSet<usize> = chart
            .blocks
            .iter()
            .copied()
            .filter(|&b| !values_only || self.blocks[b].kind == VALUES)
            .collect();
        let mut r = Reader {
            bytes: &list,
            pos: 0,
        };
        let mut entries: Vec<(String, Place, Place)> = Vec::new();
        // The blocks to inflate now (all but those of `.Files`).
        let mut now: std::collections::BTreeSet<usize> = std::collections::BTreeSet::new();
        while r.pos < list.len() {
            let path = r.string()?;
            let n = r.num()?;
            let &(text, parsed) = self.contents.get(n).ok_or("content out of range")?;
            if values_only && !is_values_file(&path) {
                continue;
            }
            for (b, _, _) in [text, parsed].into_iter().flatten() {
                if wanted.contains(&b) && self.blocks[b].kind != FILES {
                    now.insert(b);
                }
            }
            entries.push((path, text, parsed));
        }
        let mut blocks: BTreeMap<usize, Arc<Vec<u8>>> = BTreeMap::new();
        for b in now {
            blocks.insert(b, Arc::new(self.inflate(b)?));
        }
        // NOTE: a library chart vendored in several subcharts is one content under several
        // paths: its files share one range of one block (a third of suse-observability
        // 2.10.3's bytes).
        let mut files = Vec::with_capacity(entries.len());
        for (path, text, parsed) in entries {
            if !values_only && text.is_some_and(|(b, _, _)| !wanted.contains(&b)) {
                return Err("content outside the chart's blocks".into());
            }
            let text = match text {
                Some((b, offset, len)) if wanted.contains(&b) => Some(match blocks.get(&b) {
                    Some(block) => FileBytes::text(block, offset, offset + len),
                    None => FileBytes::later(self, b, offset, offset + len),
                }),
                _ => None,
            };
            let parsed = parsed.and_then(|(b, offset, len)| {
                let block = blocks.get(&b)?;
                Some(FileBytes::cut(block, offset, offset + len))
            });
            files.push(PackedFile { path, text, parsed });
        }
        Ok(files)
    }

    /// The parsed form the pack holds for each of `texts` (a chart's templates read from disk)
    /// whose content it holds: found by hash, then compared byte for byte, so that only the
    /// very text a form was made from gets it. One block is inflated at a time.
    pub(crate) fn parsed_for_texts(&self, texts: &[&[u8]]) -> Vec<Option<Arc<[u8]>>> {
        let by_hash = self.by_hash.get_or_init(|| {
            let mut map: std::collections::HashMap<u64, Vec<usize>> = Default::default();
            for (n, hash) in self.hashes.iter().enumerate() {
                if let Some(hash) = hash {
                    map.entry(*hash).or_default().push(n);
                }
            }
            map
        });
        // Candidates (text, content) of the same hash and length, by the block of the text.
        let mut by_text_block: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
        for (i, text) in texts.iter().enumerate() {
            for &n in by_hash.get(&content_hash(text)).into_iter().flatten() {
                if let (Some((b, _, len)), Some(_)) = self.contents[n]
                    && len == text.len()
                {
                    by_text_block.entry(b).or_default().push((i, n));
                }
            }
        }
        let mut found: Vec<Option<usize>> = vec![None; texts.len()];
        for (b, candidates) in by_text_block {
            let Ok(block) = self.inflate(b) else {
                continue;
            };
            for (i, n) in candidates {
                if let Some((_, offset, len)) = self.contents[n].0
                    && found[i].is_none()
                    && block.get(offset..offset + len) == Some(texts[i])
                {
                    found[i] = Some(n);
                }
            }
        }
        let mut by_form_block: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, n) in found.iter().enumerate() {
            if let Some((b, _, _)) = n.and_then(|n| self.contents[n].1) {
                by_form_block.entry(b).or_default().push(i);
            }
        }
        let mut out: Vec<Option<Arc<[u8]>>> = vec![None; texts.len()];
        // The same content under several paths shares one copy of its form.
        let mut forms: BTreeMap<usize, Arc<[u8]>> = BTreeMap::new();
        for (b, indices) in by_form_block {
            let Ok(block) = self.inflate(b) else {
                continue;
            };
            for i in indices {
                let Some(n) = found[i] else {
                    continue;
                };
                if let Some(form) = forms.get(&n) {
                    out[i] = Some(form.clone());
                } else if let Some((_, offset, len)) = self.contents[n].1
                    && let Some(bytes) = block.get(offset..offset + len)
                {
                    let form: Arc<[u8]> = Arc::from(bytes);
                    forms.insert(n, form.clone());
                    out[i] = Some(form);
                }
            }
        }
        out
    }

    /// How long each block is inflated.
    #[cfg(test)]
    pub(crate) fn block_sizes(&self) -> Vec<usize> {
        self.blocks.iter().map(|b| b.raw).collect()
    }

    /// A block's bytes. LZ4, not deflate: every run of a built-in chart opens its blocks
    /// (1.6 MB for stackstate 4.4.0, 3.3 MB for suse-observability 2.10.3), and deflate took
    /// 13 instructions a byte to inflate them (22 M of a 250 M render), LZ4 about two, for a
    /// pack of 3.1 MB instead of 2.0 MB.
    fn inflate(&self, block: usize) -> Result<Vec<u8>, String> {
        let b = &self.blocks[block];
        let input = &self.bytes[b.start..b.start + b.packed];
        // Into room that is not zeroed first: the zeroing was a tenth of the inflating.
        match lz4_flex::block::decompress(input, b.raw) {
            Ok(out) if out.len() == b.raw => Ok(out),
            _ => Err("a block does not inflate to its length".into()),
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.bytes.get(self.pos).ok_or("truncated")?;
        self.pos += 1;
        Ok(b)
    }

    fn num(&mut self) -> Result<usize, String> {
        let mut n = 0usize;
        for shift in (0..usize::BITS).step_by(7) {
            let byte = self.byte()?;
            n |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err("number out of range".into())
    }

    /// A count of items that each take at least a byte.
    fn count(&mut self) -> Result<usize, String> {
        let n = self.num()?;
        (n <= self.bytes.len() - self.pos)
            .then_some(n)
            .ok_or_else(|| "count out of range".into())
    }

    fn hash(&mut self) -> Result<u64, String> {
        let raw = self.take(8)?;
        Ok(u64::from_le_bytes(raw.try_into().map_err(|_| "truncated")?))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).ok_or("truncated")?;
        let raw = self.bytes.get(self.pos..end).ok_or("truncated")?;
        self.pos = end;
        Ok(raw)
    }

    fn string(&mut self) -> Result<String, String> {
        let n = self.count()?;
        let raw = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        String::from_utf8(raw.to_vec()).map_err(|e| e.to_string())
    }
}

impl Blocks for Pack {
    /// A block of [`FILES`], inflated the first time it is asked for and kept.
    fn block(&self, n: usize) -> Option<Arc<Vec<u8>>> {
        self.inflated
            .get(n)?
            .get_or_init(|| self.inflate(n).ok().map(Arc::new))
            .clone()
    }
}

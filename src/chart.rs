//! Chart defaults: a chart's `values.yaml` and its subcharts, recursively.
//!
//! A [`Chart`] comes from a directory, a packaged `.tgz` (`--chart PATH`), the real charts built
//! into the binary (`--chart-version`, see `builtin_charts`), or a bundle of defaults
//! (see `crate::builtin`). For values, only names, versions,
//! dependency conditions and aliases, and default values matter; loading with [`Load::Everything`]
//! also keeps what rendering needs (`content::Content`: metadata, templates, files, schema).

pub(crate) mod builtin_pack;
pub(crate) mod content;
pub(crate) mod defaults_cache;
mod deps;
pub(crate) mod ignore;
pub(crate) mod keys;
pub(crate) mod pack;
pub(crate) mod validate;

use std::cell::Cell;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use crate::file_bytes::FileBytes;
use crate::source::{FileId, SourceFile, Sources};
use crate::value::{Map, Node, Origin, Value};
use crate::yaml::{self, Limits};

/// A chart with its default values and its subcharts.
#[derive(Debug, Clone)]
pub struct Chart {
    /// `name` from Chart.yaml.
    pub(crate) name: String,
    /// `version` from Chart.yaml.
    pub version: String,
    /// The chart's own `values.yaml` (an empty map when it has none): its first document, what
    /// Helm 3 reads.
    pub(crate) values: Node,
    /// What Helm 4 reads of `values.yaml` where it differs from Helm 3: with more than one
    /// document, all of them merged in order (its loader merges every document, as for `-f`
    /// files; documents that are no map are left out); a final block scalar without a line
    /// break after it keeps its final break.
    pub(crate) values_helm4: Option<Box<Node>>,
    /// Subcharts, in Chart.yaml order.
    pub dependencies: Vec<Dependency>,
    /// Declared dependencies no subchart renders under the key of (an alias whose range no
    /// subchart's version is in): Helm keeps them in the chart's metadata and switches them on
    /// or off like the others, and while one stays on, its import step still runs.
    pub(crate) unfilled: Vec<Switch>,
    /// Its defaults merged with its subcharts', filled in by `merge`.
    pub(crate) defaults_cache: defaults_cache::DefaultsCache,
    /// The defaults lint checks keys against, filled in by `lint`.
    pub(crate) lint_defaults: defaults_cache::LintDefaults,
    /// Templates, files and full metadata, when the chart was loaded with [`Load::Everything`].
    pub content: Option<Arc<content::Content>>,
}

/// How much of a chart to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Load {
    /// Metadata, values and subcharts: what decides values.
    #[default]
    Values,
    /// Everything Helm reads: templates, other files (`.Files`), the schema too.
    Everything,
}

/// A subchart as the parent declares it.
#[derive(Debug, Clone)]
pub struct Dependency {
    /// The key its values live under in the parent: the alias, else the chart name.
    pub key: String,
    /// `condition:` paths (comma-separated in Chart.yaml), relative to the parent's values.
    pub conditions: Vec<String>,
    /// `tags:` of the dependency.
    pub tags: Vec<String>,
    /// The subchart itself.
    pub chart: Chart,
    /// When the chart holds only a stand-in for the real subchart (built-in charts, see
    /// `stand_in`): the note the user gets; the render leaves it out.
    pub(crate) stand_in: Option<std::sync::Arc<str>>,
    /// Whether a dependency of Chart.yaml (or requirements.yaml) switches it: the one it was
    /// taken for, or one of its name whose range its version misses. While a declared
    /// dependency stays on, Helm's import step merges the chart's values with its subcharts'
    /// before the user's are coalesced (which is how a null default of a subchart goes); a
    /// subchart that is only under `charts/` does not count.
    pub(crate) declared: bool,
}

/// A declared dependency's name in the parent's values and what switches it.
#[derive(Debug, Clone)]
pub(crate) struct Switch {
    /// Its alias, else its name.
    pub(crate) key: String,
    /// `condition:` paths, relative to the parent's values.
    pub(crate) conditions: Vec<String>,
    /// `tags:`.
    pub(crate) tags: Vec<String>,
}

/// Why a chart could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// File-system or archive trouble.
    #[error("{path}: {message}")]
    Io {
        /// The file or folder.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A Chart.yaml / values.yaml that does not parse or lacks required fields.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A chart Helm's loader refuses (read for rendering), with Helm's message
    /// (`validation: chart.metadata.name is required`, `error unpacking subchart s in x: …`).
    #[error("{path}: {message}")]
    Helm {
        /// The chart.
        path: String,
        /// Helm's message.
        message: String,
    },
}

impl ChartError {
    /// The file or folder at fault (with `:line:col` where there is one).
    pub(crate) fn path(&self) -> &str {
        match self {
            ChartError::Io { path, .. }
            | ChartError::Invalid { path, .. }
            | ChartError::Helm { path, .. } => path,
        }
    }

    /// What is wrong, without the path.
    pub fn message(&self) -> &str {
        match self {
            ChartError::Io { message, .. }
            | ChartError::Invalid { message, .. }
            | ChartError::Helm { message, .. } => message,
        }
    }
}

/// Bounds for reading charts, for the whole chart with all its nested subchart archives.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ArchiveLimits {
    /// Largest total of bytes read: packaged files, then everything decompressed from them.
    pub(crate) max_bytes: u64,
    /// Most archive entries and files.
    pub(crate) max_entries: usize,
    /// Deepest subchart nesting.
    pub(crate) max_depth: usize,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        ArchiveLimits {
            max_bytes: 64 * 1024 * 1024,
            max_entries: 20_000,
            max_depth: 8,
        }
    }
}

/// The most an archive entry's buffer is given up front; a larger file grows it as it reads.
const MAX_ENTRY_RESERVE: u64 = 16 << 20;

/// What is left of the [`ArchiveLimits`] while one chart is read.
///
/// NOTE: shared by every nested archive: per-archive limits alone would let a chart of small
/// archives that each expand to the limit multiply the work at every level of nesting.
#[derive(Debug)]
struct Budget {
    bytes_left: Rc<Cell<u64>>,
    entries_left: usize,
    max_bytes: u64,
    max_entries: usize,
}

impl Budget {
    fn new(limits: &ArchiveLimits) -> Self {
        // The run's byte budget (values files, config) bounds the chart too.
        let max_bytes = limits.max_bytes.min(crate::budget::bytes_left());
        Budget {
            bytes_left: Rc::new(Cell::new(max_bytes.saturating_add(1))),
            entries_left: limits.max_entries,
            max_bytes,
            max_entries: limits.max_entries,
        }
    }

    fn take_entry(&mut self, shown: &str) -> Result<(), ChartError> {
        if self.entries_left == 0 {
            return Err(ChartError::Io {
                path: shown.to_string(),
                message: format!(
                    "the chart has more than {} files and archive entries",
                    self.max_entries
                ),
            });
        }
        self.entries_left -= 1;
        Ok(())
    }

    fn too_big(&self, shown: &str) -> ChartError {
        ChartError::Io {
            path: shown.to_string(),
            message: format!(
                "the chart is larger than {} bytes (uncompressed, subcharts included)",
                self.max_bytes
            ),
        }
    }

    /// Reads all of `reader`, charging the bytes; fails once the budget is spent.
    fn read_all(&self, reader: impl Read, shown: &str) -> Result<Vec<u8>, ChartError> {
        let mut buf = Vec::new();
        let mut counted = Counted {
            inner: reader,
            left: self.bytes_left.clone(),
        };
        counted
            .read_to_end(&mut buf)
            .map_err(|e| self.read_error(shown, &e))?;
        if self.exhausted() {
            return Err(self.too_big(shown));
        }
        Ok(buf)
    }

    /// Charges what was read to the run's budget.
    fn charge_run(&self, shown: &str) -> Result<(), ChartError> {
        let used = (self.max_bytes + 1).saturating_sub(self.bytes_left.get());
        crate::budget::charge_bytes(used).map_err(|message| ChartError::Io {
            path: shown.to_string(),
            message,
        })
    }

    fn exhausted(&self) -> bool {
        self.bytes_left.get() == 0
    }

    fn read_error(&self, shown: &str, e: &std::io::Error) -> ChartError {
        if self.exhausted() {
            return self.too_big(shown);
        }
        ChartError::Io {
            path: shown.to_string(),
            message: io_message(e),
        }
    }
}

/// A reader that stops (reports end of input) once the shared byte budget is spent.
///
/// NOTE: the budget starts one byte above the limit, so that "spent" (0 left) means the input
/// was cut short rather than that it ended exactly at the limit.
struct Counted<R> {
    inner: R,
    left: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.left.get();
        if left == 0 {
            return Ok(0);
        }
        let cap = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..cap])?;
        self.left.set(left - n as u64);
        Ok(n)
    }
}

/// A reader `tar` may seek forward in, by reading: `tar` skips the rest of each entry (its
/// padding at least) into a 32 KiB buffer it zeroes on every skip (`EntriesFields::skip`: 7 %
/// of linting stackstate 4.4.0's `.tgz`); asked to seek, it leaves the skipping here, into one
/// buffer.
struct Skipping<R> {
    inner: R,
    /// Bytes read so far: the position `tar` is told after a seek.
    pos: u64,
    scratch: Vec<u8>,
}

impl<R: Read> Read for Skipping<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: Read> std::io::Seek for Skipping<R> {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        let std::io::SeekFrom::Current(mut left @ 0..) = to else {
            return Err(std::io::Error::other("only forward seeks"));
        };
        if self.scratch.is_empty() {
            self.scratch = vec![0; 8192];
        }
        while left > 0 {
            let want = self
                .scratch
                .len()
                .min(usize::try_from(left).unwrap_or(usize::MAX));
            let n = self.inner.read(&mut self.scratch[..want])?;
            if n == 0 {
                // `tar`'s own words for it.
                return Err(std::io::Error::other("unexpected EOF during skip"));
            }
            self.pos += n as u64;
            left -= n as i64;
        }
        Ok(self.pos)
    }
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// An in-memory file tree: the files of one chart directory or archive that matter.
#[derive(Debug, Default, Clone)]
struct Tree {
    /// (path relative to the chart root with `/` separators, contents); contents are shared
    /// with the subtrees cut from this tree.
    files: Vec<(String, FileBytes)>,
    /// Subchart archives already read (the built-in charts): (path of the archive, its tree
    /// re-rooted at its top folder).
    archives: Vec<(String, Tree)>,
    /// Files already parsed: (path, parsed form). The built-in charts' `values.yaml` files (the
    /// packed first document, see [`crate::packed`]) and templates, and the templates of any
    /// chart whose text is one the built-in charts hold ([`known_parses`]).
    parsed: Vec<(String, FileBytes)>,
    /// Symbolic links met while walking a chart folder, in walk order: (the path under the
    /// folder made absolute, where it leads). Helm logs each one.
    symlinks: Vec<(String, String)>,
}

impl Tree {
    fn get(&self, path: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, b)| &b[..])
    }

    /// The files below `prefix/`, re-rooted.
    fn subtree(&self, prefix: &str) -> Tree {
        let prefix = format!("{prefix}/");
        Tree {
            files: self
                .files
                .iter()
                .filter_map(|(p, b)| p.strip_prefix(&prefix).map(|r| (r.to_string(), b.clone())))
                .collect(),
            archives: self
                .archives
                .iter()
                .filter_map(|(p, t)| p.strip_prefix(&prefix).map(|r| (r.to_string(), t.clone())))
                .collect(),
            parsed: self
                .parsed
                .iter()
                .filter_map(|(p, b)| p.strip_prefix(&prefix).map(|r| (r.to_string(), b.clone())))
                .collect(),
            symlinks: Vec::new(),
        }
    }

    /// Entries directly under `charts/`, in name order as Helm's loader takes them (a
    /// directory's `charts/` walked in lexical order; Go's map keeps that order more often than
    /// any other). For rendering, every entry is a subchart as in Helm (one without Chart.yaml
    /// fails); for values, only folders with a Chart.yaml and archives count.
    fn subcharts(&self, load: Load) -> Vec<Sub> {
        let mut out: Vec<Sub> = Vec::new();
        let read = self.archives.iter().map(|(p, _)| p);
        for p in self.files.iter().map(|(p, _)| p).chain(read) {
            let Some(rest) = p.strip_prefix("charts/") else {
                continue;
            };
            // Helm skips entries of charts/ whose name starts with `_` or `.`, and keeps
            // provenance files among the chart's files.
            if rest.starts_with(['_', '.']) || (load == Load::Everything && p.ends_with(".prov")) {
                continue;
            }
            let name = rest.split_once('/').map_or(rest, |(dir, _)| dir);
            let sub = match (load, rest.split_once('/')) {
                (Load::Everything, _) if name.ends_with(".tgz") => Sub::Archive(name.to_string()),
                (Load::Everything, _) => Sub::Dir(name.to_string()),
                (Load::Values, Some((dir, "Chart.yaml"))) => Sub::Dir(dir.to_string()),
                (Load::Values, None) if rest.ends_with(".tgz") || rest.ends_with(".tar.gz") => {
                    Sub::Archive(rest.to_string())
                }
                _ => continue,
            };
            if !out.iter().any(|s| s.name() == name) {
                out.push(sub);
            }
        }
        out.sort_by(|a, b| a.name().cmp(b.name()));
        out
    }
}

/// An entry of `charts/`.
enum Sub {
    /// A folder.
    Dir(String),
    /// A packaged subchart (`name-1.0.0.tgz`).
    Archive(String),
}

impl Sub {
    fn name(&self) -> &str {
        match self {
            Sub::Dir(n) | Sub::Archive(n) => n,
        }
    }
}

/// Reads a chart from a directory or a packaged `.tgz`.
pub fn load_path(path: &Path, sources: &mut Sources) -> Result<Chart, ChartError> {
    load_path_with(path, sources, Load::Values)
}

/// Reads a chart from a directory or a packaged `.tgz`, as much of it as `load` says.
pub fn load_path_with(path: &Path, sources: &mut Sources, load: Load) -> Result<Chart, ChartError> {
    load_path_for(path, sources, load, crate::helm_build::HelmBuild::V3)
}

/// [`load_path_with`] as the Helm release `build`'s loader reads it, in our words.
pub fn load_path_for(
    path: &Path,
    sources: &mut Sources,
    load: Load,
    build: crate::helm_build::HelmBuild,
) -> Result<Chart, ChartError> {
    load_path_in(path, sources, load, (false, build))
}

/// Reads a chart to render as `helm template` of the Helm release `build` would
/// ([`Load::Everything`]): a chart that Helm's loader refuses fails with [`ChartError::Helm`] in
/// its words, and dependencies are paired by its semver.
pub fn load_path_to_render(
    path: &Path,
    sources: &mut Sources,
    build: crate::helm_build::HelmBuild,
) -> Result<Chart, ChartError> {
    load_path_in(path, sources, Load::Everything, (true, build))
}

fn load_path_in(
    path: &Path,
    sources: &mut Sources,
    load: Load,
    (words, build): (bool, crate::helm_build::HelmBuild),
) -> Result<Chart, ChartError> {
    let limits = ArchiveLimits::default();
    let mut budget = Budget::new(&limits);
    let shown = path.display().to_string();
    let tree = if path.is_dir() {
        if words && build.is_helm4() && !path.join("Chart.yaml").exists() {
            // Helm 4 looks for Chart.yaml before it loads a folder.
            let file = path.join("Chart.yaml").display().to_string();
            return Err(validate::helm_error(
                &shown,
                format!("unable to detect chart at {file}: open {file}: no such file or directory"),
            ));
        }
        read_dir_tree(path, &shown, &mut budget, (limits.max_depth, load, words))?
    } else {
        // A FIFO would block the open and a device never ends: only regular files are read.
        let (file, _) = crate::file::open_regular(path).map_err(|message| ChartError::Io {
            path: shown.clone(),
            message,
        })?;
        let bytes = budget.read_all(file, &shown)?;
        load_archive_tree(&bytes, &shown, &mut budget, load)?
    };
    budget.charge_run(&shown)?;
    let ctx = Ctx {
        limits: &limits,
        load,
        words,
        build,
    };
    from_tree(&tree, &shown, sources, &ctx, &mut budget, 0, true)
}

/// Reads a packaged chart (the bytes of a `.tgz`) under the default limits; `shown` names it
/// in messages.
pub fn load_archive_bytes(
    bytes: &[u8],
    shown: &str,
    sources: &mut Sources,
) -> Result<Chart, ChartError> {
    load_archive_bytes_with(bytes, shown, sources, Load::Values)
}

/// [`load_archive_bytes`], reading as much as `load` says.
pub(crate) fn load_archive_bytes_with(
    bytes: &[u8],
    shown: &str,
    sources: &mut Sources,
    load: Load,
) -> Result<Chart, ChartError> {
    let limits = ArchiveLimits::default();
    let mut budget = Budget::new(&limits);
    let tree = load_archive_tree(bytes, shown, &mut budget, load)?;
    let ctx = Ctx {
        limits: &limits,
        load,
        words: false,
        build: crate::helm_build::HelmBuild::V3,
    };
    from_tree(&tree, shown, sources, &ctx, &mut budget, 0, true)
}

/// Reads a chart given as the files of its archive, in archive order: (path, contents), where
/// `A//P` is the file `P` of the subchart archive `A` (the form of the built-in charts, see
/// [`pack`]). `shown` names it in messages.
pub(crate) fn load_files(
    files: Vec<pack::PackedFile>,
    shown: &str,
    sources: &mut Sources,
    load: Load,
) -> Result<Chart, ChartError> {
    let limits = ArchiveLimits::default();
    let tree = strip_root(files_tree(files, shown, load)?, shown)?;
    let ctx = Ctx {
        limits: &limits,
        load,
        words: false,
        build: crate::helm_build::HelmBuild::V3,
    };
    from_tree(
        &tree,
        shown,
        sources,
        &ctx,
        &mut Budget::new(&limits),
        0,
        true,
    )
}

/// `items` without those whose path a later one has: an archive may hold a path twice
/// (suse-observability 2.10.3 has five), and Helm's loader, reading the entries in order, keeps
/// the last `values.yaml`, `Chart.yaml` or template of a path.
fn keep_last<T>(items: Vec<T>, path: impl Fn(&T) -> &String) -> Vec<T> {
    let last: HashMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (path(item).as_str(), i))
        .collect();
    if last.len() == items.len() {
        return items;
    }
    let kept: Vec<bool> = items
        .iter()
        .enumerate()
        .map(|(i, item)| last.get(path(item).as_str()) == Some(&i))
        .collect();
    drop(last);
    items
        .into_iter()
        .zip(kept)
        .filter_map(|(item, kept)| kept.then_some(item))
        .collect()
}

fn files_tree(files: Vec<pack::PackedFile>, shown: &str, load: Load) -> Result<Tree, ChartError> {
    let mut tree = Tree::default();
    let mut nested: Vec<(String, Vec<pack::PackedFile>)> = Vec::new();
    for mut file in keep_last(files, |f| &f.path) {
        // (memmem: the standard library's search for a two-byte text set up a two-way
        // searcher for each of a chart's thousand paths.)
        let split = memchr::memmem::find(file.path.as_bytes(), b"//")
            .map(|at| (&file.path[..at], &file.path[at + 2..]));
        match split {
            None if wanted(&file.path, load) => {
                if let Some(parsed) = file.parsed {
                    tree.parsed.push((file.path.clone(), parsed));
                }
                if let Some(text) = file.text {
                    tree.files.push((file.path, text));
                }
            }
            None => {}
            Some((archive, inner)) => {
                let archive = archive.to_string();
                file.path = inner.to_string();
                match nested.iter_mut().find(|(a, _)| *a == archive) {
                    Some((_, list)) => list.push(file),
                    None => nested.push((archive, vec![file])),
                }
            }
        }
    }
    for (archive, list) in nested {
        let shown_sub = format!("{shown}/{archive}");
        let sub = strip_root(files_tree(list, &shown_sub, load)?, &shown_sub)?;
        tree.archives.push((archive, sub));
    }
    Ok(tree)
}

/// What stays the same while one chart and its subcharts are read.
struct Ctx<'a> {
    limits: &'a ArchiveLimits,
    load: Load,
    /// Whether a chart Helm's loader refuses fails in Helm's words (`render`), else in ours,
    /// which name the file, line and column.
    words: bool,
    /// The Helm release whose loader this is (Helm 4's words and checks, the semver that pairs
    /// dependencies, the names it takes).
    build: crate::helm_build::HelmBuild,
}

impl Ctx<'_> {
    /// Helm 4's loader (its words, its checks).
    fn helm4(&self) -> bool {
        self.build.is_helm4()
    }
}

fn load_archive_tree(
    bytes: &[u8],
    shown: &str,
    budget: &mut Budget,
    load: Load,
) -> Result<Tree, ChartError> {
    let tree = read_archive(bytes, shown, budget, load)?;
    strip_root(tree, shown)
}

fn read_dir_tree(
    root: &Path,
    shown: &str,
    budget: &mut Budget,
    (max_depth, load, words): (usize, Load, bool),
) -> Result<Tree, ChartError> {
    // Checked first so that a wrong folder (even `/`) fails at once instead of being walked.
    if !root.join("Chart.yaml").is_file() {
        return Err(no_chart_yaml(shown, words));
    }
    let mut tree = Tree::default();
    let mut symlinks = Vec::new();
    let rules = match load {
        Load::Values => ignore::Rules::default(),
        Load::Everything => read_helmignore(root, shown)?,
    };
    let rel_of = |p: &Path| -> String {
        p.strip_prefix(root)
            .unwrap_or(p)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    };
    // For values, Helm reads only the chart's own files and, recursively, `charts/<name>/`:
    // folders at even depths must be `charts`, so nothing else of a large tree is walked. For
    // rendering, every file counts except what `.helmignore` excludes.
    let walker = walkdir::WalkDir::new(root)
        // Helm follows symbolic links when it reads a chart folder (a shared subchart linked
        // into charts/ is common); walkdir reports a loop as an error.
        .follow_links(load == Load::Everything)
        // `filepath.Walk`'s order, names sorted in each folder: the order of a chart's files
        // is the order of its `crds/` in `helm template --include-crds`.
        .sort_by_file_name()
        .max_depth(match load {
            Load::Values => 2 * (max_depth + 1) + 1,
            Load::Everything => 4 * (max_depth + 1) + 16,
        })
        .into_iter()
        .filter_entry(|e| match load {
            Load::Values => {
                !e.file_type().is_dir() || e.depth() % 2 == 0 || e.file_name() == "charts"
            }
            Load::Everything => {
                // Helm logs a link before its .helmignore rules are asked about it; not the
                // chart folder itself, which it walks as `folder/` (the link followed).
                if e.depth() > 0 && e.path_is_symlink() {
                    symlinks.push(symlink_note(e.path()));
                }
                e.depth() == 0 || !rules.ignore(&rel_of(e.path()), e.file_type().is_dir())
            }
        });
    for entry in walker {
        let entry = entry.map_err(|e| ChartError::Io {
            path: e
                .path()
                .map_or_else(|| shown.to_string(), |p| p.display().to_string()),
            message: e.io_error().map_or_else(|| e.to_string(), io_message),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = rel_of(entry.path());
        if !wanted(&rel, load) {
            continue;
        }
        let entry_shown = entry.path().display().to_string();
        budget.take_entry(shown)?;
        let file =
            std::fs::File::open(entry.path()).map_err(|e| budget.read_error(&entry_shown, &e))?;
        let bytes = budget.read_all(file, &entry_shown)?;
        tree.files.push((rel, trim_bom(bytes).into()));
    }
    tree.symlinks = symlinks;
    if load == Load::Everything {
        known_parses(&mut tree, false);
    }
    Ok(tree)
}

/// What Helm's loader logs for a chart: the links its folder walk met (Helm 3's `walk.go`,
/// Helm 4's `level=INFO` line with the paths as attributes), then, for a chart that is not
/// apiVersion v1, each requirements file in the order it reads them (`load.go`; Helm 4's
/// standard logger prints the same text as a `level=INFO` message).
fn load_log(tree: &Tree, api_version: &str, helm4: bool) -> Vec<String> {
    let mut log = Vec::new();
    for (path, resolved) in &tree.symlinks {
        log.push(crate::helm_log::informed(
            "walk.go:75",
            &format!(
                "found symbolic link in path: {path} resolves to {resolved}. Contents of linked file included and used"
            ),
            (
                "found symbolic link in path. Contents of linked file included and used",
                &[("path", path), ("resolved", resolved)],
            ),
            helm4,
        ));
    }
    if api_version != "v1" {
        let notes = [
            (
                "requirements.lock",
                "load.go:138",
                "Warning: Dependency locking is handled in Chart.lock since apiVersion \"v2\". We recommend migrating to Chart.lock.",
            ),
            (
                "requirements.yaml",
                "load.go:120",
                "Warning: Dependencies are handled in Chart.yaml since apiVersion \"v2\". We recommend migrating dependencies to Chart.yaml.",
            ),
        ];
        for (file, place, message) in notes {
            if tree.get(file).is_some() {
                log.push(crate::helm_log::logged(place, message, helm4));
            }
        }
    }
    log
}

/// A link as Helm's walk logs it: the path made absolute (Go's `filepath.Abs` of the chart
/// folder, links in it left alone) and where the links lead (`filepath.EvalSymlinks`).
fn symlink_note(path: &Path) -> (String, String) {
    let shown = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    (shown.display().to_string(), resolved.display().to_string())
}

/// The top folder's `.helmignore` rules plus Helm's default (dot files under `templates/`).
fn read_helmignore(root: &Path, shown: &str) -> Result<ignore::Rules, ChartError> {
    let path = root.join(".helmignore");
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8_lossy(trim_bom(bytes).as_slice()).into_owned(),
        Err(_) => String::new(),
    };
    let mut rules = ignore::Rules::parse(&text).map_err(|message| ChartError::Invalid {
        path: format!("{shown}/.helmignore"),
        message,
    })?;
    rules.add_defaults();
    Ok(rules)
}

/// Helm drops a UTF-8 byte-order mark at the start of every file of a chart.
fn trim_bom(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    bytes
}

/// For values, only metadata, values and packaged subcharts matter; templates are skipped.
fn wanted(rel: &str, load: Load) -> bool {
    if load == Load::Everything {
        return true;
    }
    let name = rel.rsplit('/').next().unwrap_or(rel);
    matches!(name, "Chart.yaml" | "values.yaml" | "requirements.yaml")
        || name.ends_with(".tgz")
        || name.ends_with(".tar.gz")
}

fn read_archive(
    bytes: &[u8],
    shown: &str,
    budget: &mut Budget,
    load: Load,
) -> Result<Tree, ChartError> {
    let bad = |message: String| ChartError::Io {
        path: shown.to_string(),
        message,
    };
    // Every decompressed byte is charged, skipped templates included.
    let gz = Counted {
        inner: flate2::read::GzDecoder::new(bytes),
        left: budget.bytes_left.clone(),
    };
    let mut archive = tar::Archive::new(Skipping {
        inner: gz,
        pos: 0,
        scratch: Vec::new(),
    });
    let mut tree = Tree::default();
    // A library chart vendored in several subcharts is the same bytes under several paths
    // (suse-observability 2.10.3: 1.8 of 4.5 MB): one copy each. SipHash with this run's random
    // keys, as an archive may be made to collide; each content is hashed once, and the table
    // holds only the hashes (a set of the contents hashed every file again as it grew: 4 % of
    // linting stackstate 4.4.0's `.tgz`).
    let keys = std::collections::hash_map::RandomState::new();
    let mut contents: HashMap<u64, Vec<Arc<[u8]>>> = HashMap::new();
    let entries = archive
        .entries_with_seek()
        .map_err(|e| bad(format!("not a chart archive (.tgz): {e}")))?;
    let mut any_entry = false;
    for entry in entries {
        budget.take_entry(shown)?;
        let mut entry = entry.map_err(|e| {
            if budget.exhausted() {
                budget.too_big(shown)
            } else {
                bad(format!("not a chart archive (.tgz): {e}"))
            }
        })?;
        // Helm reads every entry but folders and PAX headers (a link as an empty file).
        let kind = entry.header().entry_type();
        if kind.is_dir() || kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        let name = entry
            .path()
            .map_err(|e| bad(format!("bad entry name: {e}")))?
            .to_string_lossy()
            .into_owned();
        let inside = helm_entry_path(&name).map_err(|message| ChartError::Helm {
            path: shown.to_string(),
            message,
        })?;
        let rel = format!("{ARCHIVE_ROOT}/{inside}");
        any_entry = true;
        if !wanted(&rel, load) {
            continue;
        }
        // One buffer of the size the entry gives (bounded by what is left to read and by a cap a
        // forged header cannot push the allocation past), not one grown by doubling: those
        // copies were 1.7 % of the instructions of `images` with a chart archive (4.4.0 and
        // 2.10.3 packed again, so read by the loader).
        let size = entry
            .size()
            .min(budget.bytes_left.get())
            .min(MAX_ENTRY_RESERVE);
        let mut buf = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        entry.read_to_end(&mut buf).map_err(|e| {
            if budget.exhausted() {
                budget.too_big(shown)
            } else {
                bad(format!("cannot read `{rel}`: {e}"))
            }
        })?;
        let bytes: Arc<[u8]> = trim_bom(buf).into();
        let same_hash = contents
            .entry(std::hash::BuildHasher::hash_one(&keys, &bytes))
            .or_default();
        let bytes = match same_hash.iter().find(|b| **b == bytes) {
            Some(same) => Arc::clone(same),
            None => {
                same_hash.push(Arc::clone(&bytes));
                bytes
            }
        };
        tree.files.push((rel, bytes.into()));
    }
    tree.files = keep_last(std::mem::take(&mut tree.files), |(path, _)| path);
    if budget.exhausted() {
        return Err(budget.too_big(shown));
    }
    if !any_entry {
        return Err(ChartError::Helm {
            path: shown.to_string(),
            message: "no files in chart archive".into(),
        });
    }
    if load == Load::Everything {
        known_parses(&mut tree, true);
    }
    Ok(tree)
}

/// Takes the parsed form of each template whose text a built-in chart holds (a chart read from
/// an archive or a folder is mostly the same texts as a built-in version: the same chart, or a
/// version beside one), so that only new texts are lexed and parsed. The forms are the pack's
/// own, made by the same parser from the same bytes (compared in full); the render checks them
/// against the text again before it uses them.
///
/// `in_folder`: the paths start with the chart's folder (an archive's), else at the chart's root.
fn known_parses(tree: &mut Tree, in_folder: bool) {
    let is_template = match in_folder {
        true => pack::is_template,
        false => pack::is_template_in_chart,
    };
    let templates: Vec<usize> = (0..tree.files.len())
        .filter(|&i| is_template(&tree.files[i].0))
        .collect();
    let texts: Vec<&[u8]> = templates.iter().map(|&i| &tree.files[i].1[..]).collect();
    let forms = builtin_pack::get().parsed_for_texts(&texts);
    for (i, form) in templates.into_iter().zip(forms) {
        if let Some(form) = form {
            tree.parsed.push((tree.files[i].0.clone(), form.into()));
        }
    }
}

/// The folder every entry of an archive is read into: Helm drops the first part of each
/// entry's name, whatever it is (`stackstate/`, `./`, `../`), and reads the rest as the
/// chart's.
const ARCHIVE_ROOT: &str = "chart";

/// Where Helm's archive loader (`loader.LoadArchiveFiles`) puts an entry in the chart, or its
/// refusal: the name's first part dropped (`\\` is the separator when the name holds one),
/// the rest cleaned as Go's `path.Clean` cleans it.
fn helm_entry_path(name: &str) -> Result<String, String> {
    let delimiter = if name.contains('\\') { '\\' } else { '/' };
    let parts: Vec<&str> = name.split(delimiter).collect();
    let rest = parts[1..].join("/");
    if rest.starts_with('/') {
        return Err("chart illegally contains absolute paths".into());
    }
    let n = go_path_clean(&rest);
    if n == "." {
        return Err(format!(
            "chart illegally contains content outside the base directory: {}",
            crate::template::fmt::quote(name)
        ));
    }
    if n.starts_with("..") {
        return Err("chart illegally references parent directory".into());
    }
    let b = n.as_bytes();
    if b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/' {
        return Err("chart contains illegally named files".into());
    }
    if parts[0] == "Chart.yaml" {
        return Err("chart yaml not in base directory".into());
    }
    Ok(n)
}

/// Go's `path.Clean`: `.` parts and doubled slashes dropped, `..` taking the part before it
/// (above the root of a relative path they stay); `.` for nothing.
fn go_path_clean(p: &str) -> String {
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => match out.last() {
                Some(&last) if last != ".." => {
                    out.pop();
                }
                _ if rooted => {}
                _ => out.push(".."),
            },
            other => out.push(other),
        }
    }
    let joined = out.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// A packaged chart holds one top folder (`stackstate/…`); re-root at it.
fn strip_root(tree: Tree, shown: &str) -> Result<Tree, ChartError> {
    let root = tree
        .files
        .iter()
        .filter_map(|(p, _)| p.strip_suffix("/Chart.yaml"))
        .filter(|p| !p.contains('/'))
        .map(str::to_string)
        .next()
        .ok_or_else(|| ChartError::Helm {
            path: shown.to_string(),
            message: "Chart.yaml file is missing".into(),
        })?;
    Ok(tree.subtree(&root))
}

fn from_tree(
    tree: &Tree,
    shown: &str,
    sources: &mut Sources,
    ctx: &Ctx<'_>,
    budget: &mut Budget,
    depth: usize,
    reached: bool,
) -> Result<Chart, ChartError> {
    if depth > ctx.limits.max_depth {
        return Err(ChartError::Invalid {
            path: shown.to_string(),
            message: "subcharts nested too deeply".into(),
        });
    }
    let helm = ctx.load == Load::Everything;
    let words = ctx.words;
    let chart_yaml_path = format!("{shown}/Chart.yaml");
    let Some(meta_bytes) = tree.get("Chart.yaml") else {
        return Err(no_chart_yaml(shown, words));
    };
    let speech = words.then_some(ctx.helm4());
    // Helm 4 first reads the top chart's apiVersion alone (`loader.chartBase`).
    let base = ctx.helm4() && words && depth == 0;
    let mut refuse_v3 = false;
    let meta = if helm {
        let target = match (base, ctx.helm4()) {
            (true, _) => "loader.chartBase",
            (false, true) => "v2.Metadata",
            (false, false) => "chart.Metadata",
        };
        let meta =
            validate::parse_helm_yaml(meta_bytes, ("Chart.yaml", shown, target), sources, speech)?;
        if base {
            refuse_v3 =
                validate::helm4_chart_base(&meta).map_err(|m| validate::helm_error(shown, m))?;
        }
        let error = validate::metadata_error(&meta, ctx.helm4());
        validate::decode_check(error, "Chart.yaml", shown)?;
        meta
    } else {
        parse_yaml(meta_bytes, &chart_yaml_path, sources)?
    };
    // Helm reads the other files in the order of its walk: Chart.lock, requirements.lock,
    // requirements.yaml, values.yaml.
    if helm {
        for lock in ["Chart.lock", "requirements.lock"] {
            if let Some(bytes) = tree.get(lock) {
                let target = if ctx.helm4() { "v2.Lock" } else { "chart.Lock" };
                let node =
                    validate::parse_helm_yaml(bytes, (lock, shown, target), sources, speech)?;
                validate::decode_check(validate::lock_error(&node, ctx.helm4()), lock, shown)?;
            }
        }
    }
    // apiVersion v1 charts declare dependencies in requirements.yaml.
    let reqs = match tree.get("requirements.yaml") {
        Some(bytes) if helm => {
            let file = "requirements.yaml";
            let target = if ctx.helm4() {
                "v2.Metadata"
            } else {
                "chart.Metadata"
            };
            let node = validate::parse_helm_yaml(bytes, (file, shown, target), sources, speech)?;
            validate::decode_check(validate::metadata_error(&node, ctx.helm4()), file, shown)?;
            Some(node)
        }
        Some(bytes) => Some(parse_yaml(
            bytes,
            &format!("{shown}/requirements.yaml"),
            sources,
        )?),
        None => None,
    };
    let name = string_at(&meta, "name");
    let version = string_at(&meta, "version").unwrap_or_default();
    let label_name = name.clone().unwrap_or_default();
    let label: Arc<str> = if depth == 0 {
        format!("{label_name} {version}").into()
    } else {
        format!("{label_name} {version} (subchart)").into()
    };
    let parsed = tree.parsed.iter().find(|(p, _)| p == "values.yaml");
    let mut values_helm4 = None;
    let values = match (parsed, tree.get("values.yaml")) {
        (Some((_, packed)), _) => crate::packed::decode(packed, &Origin::Chart(label.clone()))
            .map_err(|message| ChartError::Invalid {
                path: format!("{shown}/values.yaml"),
                message,
            })?,
        (None, Some(bytes)) => {
            let path = format!("{shown}/values.yaml");
            // What of the file this Helm reads: Helm 3 its first document only (a later one may
            // be broken), Helm 4 every part between `---` lines up to a `...` line in it.
            let parts = ctx.helm4();
            let (mut node, mut all) = if helm {
                let at = ("values.yaml", shown, "map[string]interface {}");
                let first = validate::parse_helm_yaml(bytes, at, sources, speech)?;
                // Helm 4 merges every document (`values_for`); most files have one.
                if bytes.windows(3).any(|w| w == b"---") {
                    (first, parse_documents(bytes, &path, sources, parts)?.1)
                } else {
                    (first, None)
                }
            } else {
                parse_documents(bytes, &path, sources, parts)?
            };
            // Helm 3 reads a values.yaml with go-yaml v2: a block scalar running to the end of
            // a text without a final line break gets no final break (Helm 4's reader, and ours,
            // give it one).
            if all.is_none() && !bytes.ends_with(b"\n") && !bytes.ends_with(b"\r") {
                let mut helm3 = node.clone();
                let text = String::from_utf8_lossy(bytes);
                if crate::template::funcs::helm_yaml::unbreak_final_block_scalar(&mut helm3, &text)
                {
                    all = Some(std::mem::replace(&mut node, helm3));
                }
            }
            relabel(&mut node, &label);
            if let Some(all) = &mut all {
                relabel(all, &label);
            }
            values_helm4 = all.map(Box::new);
            node
        }
        (None, None) => Node::empty_map(Origin::Chart(label.clone())),
    };
    let deps_doc = match &reqs {
        Some(r) if r.get_path(&["dependencies"]).is_some() => r,
        _ => &meta,
    };
    let mut content = match ctx.load {
        Load::Values => None,
        Load::Everything => {
            let mut content = content::Content::from_files(
                &meta,
                reqs.as_ref(),
                tree.files.iter().map(|(p, b)| (p.as_str(), b)),
            );
            content.parsed_templates = tree
                .parsed
                .iter()
                .filter(|(p, _)| p.starts_with("templates/"))
                .cloned()
                .collect();
            content.log = load_log(tree, &content.metadata.api_version, ctx.helm4());
            let null_maintainer = validate::has_null_item(&meta, "maintainers");
            let null_dependency = validate::has_null_item(deps_doc, "dependencies");
            validate::validate(
                &content.metadata,
                (null_maintainer, null_dependency),
                ctx.build,
            )
            .map_err(|e| validate::helm_error(shown, format!("validation: {e}")))?;
            Some(content)
        }
    };
    let name = name.ok_or_else(|| ChartError::Invalid {
        path: chart_yaml_path.clone(),
        message: "Chart.yaml has no `name`".into(),
    })?;
    // Helm's `processDependencyEnabled` runs on a chart whose Chart.yaml lists dependencies
    // (even `[]`) and that it reached: the top chart, and below it only through charts it
    // processed. Below any other chart, nothing is aliased, switched off or renamed.
    let listed = matches!(
        deps_doc.get_path(&["dependencies"]).map(|n| &n.value),
        Some(Value::Seq(_))
    );
    let processed = reached && listed;
    if let Some(content) = &mut content {
        content.metadata.processed = processed;
    }
    let declared = deps::declared_dependencies(deps_doc);
    let mut subcharts: Vec<Chart> = Vec::new();
    let parent = content
        .as_ref()
        .map_or(name.clone(), |c| c.metadata.name.clone());
    // Helm 3.17 added the word "subchart".
    let what = if ctx.build.since((3, 17, 0)) {
        "subchart "
    } else {
        ""
    };
    for sub in tree.subcharts(ctx.load) {
        let wrap = |e: ChartError| match e {
            ChartError::Helm { path, message } => ChartError::Helm {
                path,
                message: format!(
                    "error unpacking {what}{} in {parent}: {message}",
                    sub.name()
                ),
            },
            other => other,
        };
        let (sub_tree, shown_sub) = match &sub {
            Sub::Dir(dir) => (
                tree.subtree(&format!("charts/{dir}")),
                format!("{shown}/charts/{dir}"),
            ),
            Sub::Archive(file) => {
                let at = format!("charts/{file}");
                let shown_sub = format!("{shown}/{at}");
                let sub_tree = match tree.archives.iter().find(|(p, _)| *p == at) {
                    Some((_, read)) => read.clone(),
                    None => {
                        let bytes = tree.get(&at).unwrap_or_default();
                        load_archive_tree(bytes, &shown_sub, budget, ctx.load).map_err(&wrap)?
                    }
                };
                (sub_tree, shown_sub)
            }
        };
        let chart = from_tree(
            &sub_tree,
            &shown_sub,
            sources,
            ctx,
            budget,
            depth + 1,
            processed,
        )
        .map_err(&wrap)?;
        subcharts.push(chart);
    }
    let (dependencies, unfilled) = if processed {
        deps::take_dependencies(&declared, subcharts, ctx.build)
    } else {
        // NOTE: below a chart Helm did not process, the list stays as written, so Helm's
        // import step runs whenever Chart.yaml has one (`[]` too) and merges every subchart.
        let deps = subcharts
            .into_iter()
            .map(|chart| Dependency {
                key: chart.name.clone(),
                conditions: Vec::new(),
                tags: Vec::new(),
                chart,
                stand_in: None,
                declared: listed,
            })
            .collect();
        (deps, Vec::new())
    };
    if refuse_v3 {
        // Helm 4.1.4 loads an apiVersion v3 chart, then refuses to install it.
        return Err(validate::helm_error(
            shown,
            "invalid chart apiVersion".into(),
        ));
    }
    Ok(Chart {
        name,
        version,
        values,
        values_helm4,
        dependencies,
        unfilled,
        defaults_cache: Default::default(),
        lint_defaults: Default::default(),
        content: content.map(Arc::new),
    })
}

/// A chart without Chart.yaml: Helm's words for `render` (`words`), ours otherwise.
fn no_chart_yaml(shown: &str, words: bool) -> ChartError {
    if words {
        return validate::helm_error(shown, "Chart.yaml file is missing".into());
    }
    ChartError::Invalid {
        path: shown.to_string(),
        message: "not a chart: no Chart.yaml".into(),
    }
}

fn string_at(node: &Node, key: &str) -> Option<String> {
    node.get_path(&[key]).and_then(|n| n.value.render())
}

fn parse_yaml(bytes: &[u8], path: &str, sources: &mut Sources) -> Result<Node, ChartError> {
    read_yaml(bytes, path, sources).map_err(|(e, _)| e)
}

/// Why a chart's YAML file could not be read.
enum YamlFail {
    /// The parser refused the text.
    Syntax,
    /// The top level is not a map.
    TopLevel,
    /// Anything else (not UTF-8, a limit hit).
    Other,
}

/// The first document of a chart's YAML file, which must hold a map.
fn read_yaml(
    bytes: &[u8],
    path: &str,
    sources: &mut Sources,
) -> Result<Node, (ChartError, YamlFail)> {
    // (sigs.k8s.io/yaml reads a file's first document, in Helm 3 and 4 alike.)
    read_documents(bytes, path, sources, false).map(|(first, _)| first)
}

/// The first document of a YAML file that must hold a map and, when there are more, all the
/// documents that are maps merged in order.
fn parse_documents(
    bytes: &[u8],
    path: &str,
    sources: &mut Sources,
    parts: bool,
) -> Result<(Node, Option<Node>), ChartError> {
    read_documents(bytes, path, sources, parts).map_err(|(e, _)| e)
}

/// The documents of a YAML file: the first, and all of them merged when there are more.
/// `parts`: Helm 4's reading of a values file, else Helm 3's (see [`crate::values_read`]).
fn read_documents(
    bytes: &[u8],
    path: &str,
    sources: &mut Sources,
    parts: bool,
) -> Result<(Node, Option<Node>), (ChartError, YamlFail)> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        let e = ChartError::Invalid {
            path: path.to_string(),
            message: "not UTF-8 text".into(),
        };
        (e, YamlFail::Other)
    })?;
    let id: FileId = sources.add(SourceFile::new(path, text));
    // go-yaml's reader refuses DEL and other control characters anywhere in the text.
    if let Some((at, problem)) = crate::template::go_bytes::yaml_reader_error_at(text) {
        let (line, col) = sources.get(id).line_col(at);
        let e = ChartError::Invalid {
            path: format!("{path}:{line}:{col}"),
            message: problem.into(),
        };
        return Err((e, YamlFail::Syntax));
    }
    let read = crate::values_read::read(id, path, text, &Limits::default(), parts);
    let file = read.map(|r| r.yaml).map_err(|e| {
        let (line, col) = sources.get(id).line_col(e.span().start);
        let fail = match e {
            yaml::YamlError::Syntax { .. } => YamlFail::Syntax,
            _ => YamlFail::Other,
        };
        let e = ChartError::Invalid {
            path: format!("{path}:{line}:{col}"),
            message: e.user_message(),
        };
        (e, fail)
    })?;
    let mut documents = file.documents.into_iter();
    let first = match documents.next() {
        None => Node::empty_map(Origin::Synthetic),
        Some(n) if matches!(n.value, Value::Null) => Node::empty_map(n.origin),
        Some(n) if n.value.is_map() => n,
        Some(n) => {
            let e = ChartError::Invalid {
                path: path.to_string(),
                message: format!("top level is a {}, not a map", n.value.type_name()),
            };
            return Err((e, YamlFail::TopLevel));
        }
    };
    let rest: Vec<Node> = documents.collect();
    if rest.is_empty() {
        return Ok((first, None));
    }
    let mut all = first.clone();
    if let Value::Map(map) = &mut all.value {
        for doc in rest {
            if let Value::Map(m) = doc.value {
                merge_maps(map, m);
            }
        }
    }
    Ok((first, Some(all)))
}

/// Helm 4's `MergeMaps` of two documents: maps merge deeply, anything else replaces.
fn merge_maps(base: &mut Map, overlay: Map) {
    for (key, node) in overlay {
        match (base.get_mut(&key), node.value) {
            (
                Some(Node {
                    value: Value::Map(b),
                    ..
                }),
                Value::Map(o),
            ) => merge_maps(b, o),
            (_, value) => {
                base.insert(key, Node::new(value, node.origin));
            }
        }
    }
}

/// Marks every node of a chart's values as a chart default.
pub(crate) fn relabel(node: &mut Node, label: &Arc<str>) {
    node.origin = Origin::Chart(label.clone());
    match &mut node.value {
        Value::Map(m) => m.values_mut().for_each(|n| relabel(n, label)),
        Value::Seq(s) => s.iter_mut().for_each(|n| relabel(n, label)),
        _ => {}
    }
}

impl Chart {
    /// The subchart reached by a path of dependency keys.
    pub fn subchart(&self, path: &[&str]) -> Option<&Chart> {
        let mut chart = self;
        for key in path {
            chart = &chart.dependencies.iter().find(|d| d.key == *key)?.chart;
        }
        Some(chart)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    fn archive(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, data) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder
                .append_data(&mut header, name, data.as_slice())
                .unwrap();
        }
        gzip(&builder.into_inner().unwrap())
    }

    fn chart_yaml(name: &str) -> Vec<u8> {
        format!("name: {name}\nversion: 1.0.0\n").into_bytes()
    }

    #[test]
    fn the_skipping_reader_seeks_forward_only_and_counts_what_it_passed() {
        use std::io::{Seek, SeekFrom};
        let data: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
        let mut r = Skipping {
            inner: &data[..],
            pos: 0,
            scratch: Vec::new(),
        };
        let mut buf = [0u8; 3];
        r.read_exact(&mut buf).unwrap();
        assert_eq!(r.seek(SeekFrom::Current(10_000)).unwrap(), 10_003);
        r.read_exact(&mut buf).unwrap();
        assert_eq!(buf, [data[10_003], data[10_004], data[10_005]]);
        assert_eq!(r.stream_position().unwrap(), 10_006);
        assert!(r.seek(SeekFrom::Current(-1)).is_err());
        assert!(r.seek(SeekFrom::Start(0)).is_err());
        let e = r.seek(SeekFrom::Current(10_000)).unwrap_err();
        assert_eq!(e.to_string(), "unexpected EOF during skip");
    }

    #[test]
    fn the_built_in_pack_opens_in_small_blocks() {
        let pack = builtin_pack::get();
        let sizes = pack.block_sizes();
        assert!(sizes.len() > 20, "{} blocks", sizes.len());
        // A block over the bound holds one content alone (none of the built-in charts has one).
        assert!(
            sizes.iter().all(|&n| n <= pack::BLOCK_MAX),
            "largest block: {:?}",
            sizes.iter().max()
        );
    }

    #[test]
    fn templates_a_built_in_chart_holds_come_parsed() {
        let pack = builtin_pack::get();
        let chart = pack
            .charts
            .iter()
            .position(|c| c.name == "stackstate")
            .unwrap();
        let files = pack.files(chart, false).unwrap();
        let known = files
            .iter()
            .find(|f| pack::is_template(&f.path) && f.text.is_some() && f.parsed.is_some())
            .unwrap();
        let text = known.text.clone().unwrap();
        let mut changed = text.to_vec();
        changed.extend_from_slice(b"\n{{/* not in any built-in chart */}}\n");
        // A text one byte off is another text.
        let mut same_length = text.to_vec();
        let last = same_length.len() - 1;
        same_length[last] ^= 1;
        let bytes = archive(&[
            ("c/Chart.yaml".to_string(), chart_yaml("c")),
            ("c/templates/known.yaml".to_string(), text.to_vec()),
            ("c/templates/changed.yaml".to_string(), changed),
            ("c/templates/same-length.yaml".to_string(), same_length),
            // The same text outside templates/ is no template.
            ("c/files/known.yaml".to_string(), text.to_vec()),
        ]);
        let limits = ArchiveLimits::default();
        let mut budget = Budget::new(&limits);
        let tree = read_archive(&bytes, "c.tgz", &mut budget, Load::Everything).unwrap();
        let parsed: Vec<&str> = tree.parsed.iter().map(|(p, _)| p.as_str()).collect();
        // Every entry is read into the one folder Helm reads them into.
        assert_eq!(parsed, [format!("{ARCHIVE_ROOT}/templates/known.yaml")]);
        assert_eq!(tree.parsed[0].1, known.parsed.clone().unwrap());
        let mut budget = Budget::new(&limits);
        let values_only = read_archive(&bytes, "c.tgz", &mut budget, Load::Values).unwrap();
        assert!(values_only.parsed.is_empty());
    }

    #[test]
    fn files_only_dot_files_reads_are_inflated_when_first_read() {
        let pack = builtin_pack::get();
        let chart = pack
            .charts
            .iter()
            .position(|c| c.name == "stackstate" && c.version == "4.4.0")
            .unwrap();
        let files = pack.files(chart, false).unwrap();
        let index = std::fs::read_to_string("data/charts/index/stackstate-4.4.0.txt").unwrap();
        let blob_of = |path: &str| {
            let line = index
                .lines()
                .find(|l| l.ends_with(&format!(" {path}")))
                .unwrap();
            let sha = line.split(' ').next().unwrap();
            std::fs::read(format!("data/charts/blobs/{sha}")).unwrap()
        };
        let file = |path: &str| files.iter().find(|f| f.path == path).unwrap();
        // A script `.Files.Get` reads: not inflated by the load, the archive's bytes once read.
        let script = file("stackstate/scripts/backup-stackgraph.sh");
        let text = script.text.clone().unwrap();
        assert!(!text.is_ready(), "{text:?}");
        assert_eq!(
            &*text,
            &blob_of("stackstate/scripts/backup-stackgraph.sh")[..]
        );
        assert!(text.is_ready());
        // Templates, Chart.yaml and the schema come inflated.
        for path in ["stackstate/templates/_helper.tpl", "stackstate/Chart.yaml"] {
            let text = file(path).text.clone().unwrap();
            assert!(text.is_ready(), "{path}");
            assert_eq!(&*text, &blob_of(path)[..], "{path}");
        }
    }

    #[test]
    fn only_files_that_the_loader_and_templates_leave_wait_for_dot_files() {
        for path in [
            "c/README.md",
            "c/files/config.yaml",
            "c/scripts/backup.sh",
            "c/crds/crd.yaml",
            "c/charts/sub/README.md",
        ] {
            assert!(pack::only_files_read(path), "{path}");
        }
        for path in [
            "c/templates/NOTES.txt",
            "c/charts/sub/templates/_helpers.tpl",
            "c/Chart.yaml",
            "c/values.yaml",
            "c/values.schema.json",
            "c/requirements.lock",
            "c/Chart.lock",
            "c/.helmignore",
        ] {
            assert!(!pack::only_files_read(path), "{path}");
        }
    }

    #[test]
    fn file_texts_cut_from_a_block_lose_a_byte_order_mark() {
        let block = Arc::new(b"\xEF\xBB\xBFa: 1\nb".to_vec());
        assert_eq!(&*FileBytes::text(&block, 0, 8), b"a: 1\n");
        assert_eq!(&*FileBytes::text(&block, 3, 9), b"a: 1\nb");
        // A parsed form is cut as it is.
        assert_eq!(FileBytes::cut(&block, 0, 3).len(), 3);
    }

    #[test]
    fn equal_contents_of_an_archive_are_kept_once() {
        let helpers = b"{{- define \"common.name\" -}}x{{- end -}}".to_vec();
        let bytes = archive(&[
            ("top/Chart.yaml".to_string(), chart_yaml("top")),
            ("top/charts/a/templates/_h.tpl".to_string(), helpers.clone()),
            ("top/charts/b/templates/_h.tpl".to_string(), helpers.clone()),
            (
                "top/charts/c/templates/_h.tpl".to_string(),
                b"other".to_vec(),
            ),
            // The same length as `other`, other bytes.
            (
                "top/charts/d/templates/_h.tpl".to_string(),
                b"otter".to_vec(),
            ),
        ]);
        let limits = ArchiveLimits::default();
        let mut budget = Budget::new(&limits);
        let tree = read_archive(&bytes, "c.tgz", &mut budget, Load::Everything).unwrap();
        let file = |name: &str| {
            let (_, data) = tree.files.iter().find(|(n, _)| n.ends_with(name)).unwrap();
            data.clone()
        };
        let (a, b) = (file("a/templates/_h.tpl"), file("b/templates/_h.tpl"));
        assert_eq!(a.as_ptr(), b.as_ptr(), "one copy");
        assert_eq!(&a[..], &helpers[..]);
        let (c, d) = (file("c/templates/_h.tpl"), file("d/templates/_h.tpl"));
        assert_ne!(c.as_ptr(), d.as_ptr());
        assert_eq!((&c[..], &d[..]), (&b"other"[..], &b"otter"[..]));
    }

    #[test]
    fn nested_archives_share_one_budget() {
        // Four subcharts of 300 KB (uncompressed) each: every archive is under the limit of
        // 1 MB on its own, together they are over it.
        let mut entries = vec![("top/Chart.yaml".to_string(), chart_yaml("top"))];
        for i in 0..4 {
            let sub = archive(&[
                (format!("s{i}/Chart.yaml"), chart_yaml(&format!("s{i}"))),
                (format!("s{i}/values.yaml"), vec![b'#'; 300_000]),
            ]);
            entries.push((format!("top/charts/s{i}-1.0.0.tgz"), sub));
        }
        let bytes = archive(&entries);
        let limits = ArchiveLimits {
            max_bytes: 1_000_000,
            ..ArchiveLimits::default()
        };
        let mut sources = Sources::new();
        let mut budget = Budget::new(&limits);
        let tree = load_archive_tree(&bytes, "c.tgz", &mut budget, Load::Values).unwrap();
        let ctx = Ctx {
            limits: &limits,
            load: Load::Values,
            words: false,
            build: crate::helm_build::HelmBuild::V3,
        };
        let err = from_tree(&tree, "c.tgz", &mut sources, &ctx, &mut budget, 0, true).unwrap_err();
        assert!(err.message().contains("larger than 1000000 bytes"), "{err}");

        // The same chart reads fine under the default limits.
        let chart = load_archive_bytes(&bytes, "c.tgz", &mut Sources::new()).unwrap();
        assert_eq!(chart.dependencies.len(), 4);
    }

    #[test]
    fn a_final_block_scalar_without_a_line_break_is_read_as_each_helm_reads_it() {
        let text = |n: Option<&Node>| match n.map(|n| &n.value) {
            Some(Value::Str(s)) => s.clone(),
            other => panic!("{other:?}"),
        };
        let bytes = archive(&[
            ("top/Chart.yaml".to_string(), chart_yaml("top")),
            (
                "top/values.yaml".to_string(),
                b"b: 1\na: |\n  hello".to_vec(),
            ),
        ]);
        let chart = load_archive_bytes(&bytes, "c.tgz", &mut Sources::new()).unwrap();
        // Helm 3 (go-yaml v2): no final break; Helm 4: one.
        assert_eq!(text(chart.values.get_path(&["a"])), "hello");
        let helm4 = chart.values_helm4.as_deref();
        assert_eq!(text(helm4.and_then(|n| n.get_path(&["a"]))), "hello\n");

        // With the line break, both read the same and nothing is kept twice.
        let bytes = archive(&[
            ("top/Chart.yaml".to_string(), chart_yaml("top")),
            ("top/values.yaml".to_string(), b"a: |\n  hello\n".to_vec()),
        ]);
        let chart = load_archive_bytes(&bytes, "c.tgz", &mut Sources::new()).unwrap();
        assert_eq!(text(chart.values.get_path(&["a"])), "hello\n");
        assert!(chart.values_helm4.is_none());
    }

    #[test]
    fn hidden_and_underscore_subcharts_are_skipped() {
        let sub = |n: &str| archive(&[(format!("{n}/Chart.yaml"), chart_yaml(n))]);
        let bytes = archive(&[
            ("top/Chart.yaml".to_string(), chart_yaml("top")),
            ("top/charts/s-1.tgz".to_string(), sub("s")),
            ("top/charts/_t-1.tgz".to_string(), sub("t")),
            ("top/charts/.u/Chart.yaml".to_string(), chart_yaml("u")),
        ]);
        let chart = load_archive_bytes_with(&bytes, "c.tgz", &mut Sources::new(), Load::Everything)
            .unwrap();
        let keys: Vec<&str> = chart.dependencies.iter().map(|d| d.key.as_str()).collect();
        assert_eq!(keys, ["s"]);
    }

    #[test]
    fn entries_are_counted_across_archives() {
        let sub = archive(&[("s/Chart.yaml".to_string(), chart_yaml("s"))]);
        let bytes = archive(&[
            ("top/Chart.yaml".to_string(), chart_yaml("top")),
            ("top/charts/s-1.tgz".to_string(), sub.clone()),
            ("top/charts/t-1.tgz".to_string(), sub),
        ]);
        let limits = ArchiveLimits {
            max_entries: 4,
            ..ArchiveLimits::default()
        };
        let mut budget = Budget::new(&limits);
        let tree = load_archive_tree(&bytes, "c.tgz", &mut budget, Load::Values).unwrap();
        let ctx = Ctx {
            limits: &limits,
            load: Load::Values,
            words: false,
            build: crate::helm_build::HelmBuild::V3,
        };
        let err = from_tree(
            &tree,
            "c.tgz",
            &mut Sources::new(),
            &ctx,
            &mut budget,
            0,
            true,
        )
        .unwrap_err();
        assert!(err.message().contains("more than 4 files"), "{err}");
    }

    #[test]
    fn the_limit_is_on_decompressed_bytes() {
        let bytes = archive(&[
            ("c/Chart.yaml".to_string(), chart_yaml("c")),
            ("c/values.yaml".to_string(), vec![b'#'; 100_000]),
        ]);
        assert!(bytes.len() < 10_000);
        // tar stops at the first end-of-archive block: the bytes it reads are the limit's.
        for (max_bytes, ok) in [(102_400, true), (100_000, false)] {
            let limits = ArchiveLimits {
                max_bytes,
                ..ArchiveLimits::default()
            };
            let result =
                load_archive_tree(&bytes, "c.tgz", &mut Budget::new(&limits), Load::Values);
            assert_eq!(result.is_ok(), ok, "limit {max_bytes}");
        }
    }
}

//! Chart defaults: a chart's `values.yaml` and its subcharts, recursively.
//!
//! A [`Chart`] comes from a directory, a packaged `.tgz` (`--chart PATH`), or a bundle embedded in
//! the binary (`--chart-version`, see [`crate::builtin`]). Only what decides values matters here:
//! names, versions, dependency conditions and aliases, and default values.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::source::{FileId, SourceFile, Sources};
use crate::value::{Node, Origin, Value};
use crate::yaml::{self, Limits};

/// A chart with its default values and its subcharts.
#[derive(Debug, Clone)]
pub struct Chart {
    /// `name` from Chart.yaml.
    pub name: String,
    /// `version` from Chart.yaml.
    pub version: String,
    /// The chart's own `values.yaml` (an empty map when it has none).
    pub values: Node,
    /// Subcharts, in Chart.yaml order.
    pub dependencies: Vec<Dependency>,
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
}

/// Bounds for reading packaged charts.
#[derive(Debug, Clone, Copy)]
pub struct ArchiveLimits {
    /// Largest total of uncompressed bytes read from one archive.
    pub max_bytes: u64,
    /// Most entries in one archive.
    pub max_entries: usize,
    /// Deepest subchart nesting.
    pub max_depth: usize,
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

/// An in-memory file tree: the files of one chart directory or archive that matter.
#[derive(Debug, Default)]
struct Tree {
    /// (path relative to the chart root with `/` separators, contents)
    files: Vec<(String, Vec<u8>)>,
}

impl Tree {
    fn get(&self, path: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, b)| b.as_slice())
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
        }
    }

    /// Names directly under `charts/`: (directory subcharts, archive subcharts).
    fn subcharts(&self) -> (Vec<String>, Vec<String>) {
        let mut dirs = Vec::new();
        let mut archives = Vec::new();
        for (p, _) in &self.files {
            let Some(rest) = p.strip_prefix("charts/") else {
                continue;
            };
            match rest.split_once('/') {
                Some((dir, "Chart.yaml")) if !dirs.iter().any(|d| d == dir) => {
                    dirs.push(dir.to_string())
                }
                None if rest.ends_with(".tgz") || rest.ends_with(".tar.gz") => {
                    archives.push(rest.to_string())
                }
                _ => {}
            }
        }
        dirs.sort();
        archives.sort();
        (dirs, archives)
    }
}

/// Reads a chart from a directory or a packaged `.tgz`.
pub fn load_path(path: &Path, sources: &mut Sources) -> Result<Chart, ChartError> {
    let limits = ArchiveLimits::default();
    let shown = path.display().to_string();
    let tree = if path.is_dir() {
        read_dir_tree(path, &limits)?
    } else {
        let bytes = std::fs::read(path).map_err(|e| ChartError::Io {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        let tree = read_archive(&bytes, &shown, &limits)?;
        strip_root(tree, &shown)?
    };
    from_tree(&tree, &shown, sources, &limits, 0)
}

fn read_dir_tree(root: &Path, limits: &ArchiveLimits) -> Result<Tree, ChartError> {
    let mut tree = Tree::default();
    let mut total = 0u64;
    for entry in walkdir::WalkDir::new(root).follow_links(false) {
        let entry = entry.map_err(|e| ChartError::Io {
            path: root.display().to_string(),
            message: e.to_string(),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel: PathBuf = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if !wanted(&rel) {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| ChartError::Io {
            path: entry.path().display().to_string(),
            message: e.to_string(),
        })?;
        total += bytes.len() as u64;
        if total > limits.max_bytes || tree.files.len() >= limits.max_entries {
            return Err(ChartError::Io {
                path: root.display().to_string(),
                message: "chart is larger than the limit".into(),
            });
        }
        tree.files.push((rel, bytes));
    }
    Ok(tree)
}

/// Only metadata, values and packaged subcharts decide values; templates are skipped.
fn wanted(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    matches!(name, "Chart.yaml" | "values.yaml" | "requirements.yaml")
        || name.ends_with(".tgz")
        || name.ends_with(".tar.gz")
}

fn read_archive(bytes: &[u8], shown: &str, limits: &ArchiveLimits) -> Result<Tree, ChartError> {
    let bad = |message: String| ChartError::Io {
        path: shown.to_string(),
        message,
    };
    let gz = flate2::read::GzDecoder::new(bytes);
    let mut archive = tar::Archive::new(gz.take(limits.max_bytes + 1));
    let mut tree = Tree::default();
    let mut total = 0u64;
    let entries = archive
        .entries()
        .map_err(|e| bad(format!("not a chart archive (.tgz): {e}")))?;
    for (n, entry) in entries.enumerate() {
        if n >= limits.max_entries {
            return Err(bad(format!(
                "archive has more than {} entries",
                limits.max_entries
            )));
        }
        let mut entry = entry.map_err(|e| bad(format!("not a chart archive (.tgz): {e}")))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = entry
            .path()
            .map_err(|e| bad(format!("bad entry name: {e}")))?
            .to_string_lossy()
            .replace('\\', "/");
        let parts: Vec<&str> = path
            .split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .collect();
        if path.starts_with('/') || parts.contains(&"..") {
            return Err(bad(format!("entry `{path}` points outside the archive")));
        }
        let rel = parts.join("/");
        if !wanted(&rel) {
            continue;
        }
        let mut buf = Vec::new();
        entry
            .read_to_end(&mut buf)
            .map_err(|e| bad(format!("cannot read `{rel}`: {e}")))?;
        total += buf.len() as u64;
        if total > limits.max_bytes {
            return Err(bad(format!(
                "archive is larger than {} bytes uncompressed",
                limits.max_bytes
            )));
        }
        tree.files.push((rel, buf));
    }
    Ok(tree)
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
        .ok_or_else(|| ChartError::Invalid {
            path: shown.to_string(),
            message: "not a chart: no <name>/Chart.yaml in the archive".into(),
        })?;
    Ok(tree.subtree(&root))
}

fn from_tree(
    tree: &Tree,
    shown: &str,
    sources: &mut Sources,
    limits: &ArchiveLimits,
    depth: usize,
) -> Result<Chart, ChartError> {
    if depth > limits.max_depth {
        return Err(ChartError::Invalid {
            path: shown.to_string(),
            message: "subcharts nested too deeply".into(),
        });
    }
    let chart_yaml_path = format!("{shown}/Chart.yaml");
    let meta_bytes = tree.get("Chart.yaml").ok_or_else(|| ChartError::Invalid {
        path: shown.to_string(),
        message: "not a chart: no Chart.yaml".into(),
    })?;
    let meta = parse_yaml(meta_bytes, &chart_yaml_path, sources)?;
    let name = string_at(&meta, "name").ok_or_else(|| ChartError::Invalid {
        path: chart_yaml_path.clone(),
        message: "Chart.yaml has no `name`".into(),
    })?;
    let version = string_at(&meta, "version").unwrap_or_default();
    let label: Arc<str> = if depth == 0 {
        format!("{name} {version}").into()
    } else {
        format!("{name} {version} (subchart)").into()
    };
    let values = match tree.get("values.yaml") {
        Some(bytes) => {
            let mut node = parse_yaml(bytes, &format!("{shown}/values.yaml"), sources)?;
            relabel(&mut node, &label);
            node
        }
        None => Node::empty_map(Origin::Chart(label.clone())),
    };
    // apiVersion v1 charts declare dependencies in requirements.yaml.
    let reqs = match tree.get("requirements.yaml") {
        Some(bytes) => Some(parse_yaml(
            bytes,
            &format!("{shown}/requirements.yaml"),
            sources,
        )?),
        None => None,
    };
    let declared = declared_dependencies(reqs.as_ref().unwrap_or(&meta));
    let mut subcharts: Vec<Chart> = Vec::new();
    let (dirs, archives) = tree.subcharts();
    for dir in dirs {
        let sub = tree.subtree(&format!("charts/{dir}"));
        subcharts.push(from_tree(
            &sub,
            &format!("{shown}/charts/{dir}"),
            sources,
            limits,
            depth + 1,
        )?);
    }
    for file in archives {
        let bytes = tree.get(&format!("charts/{file}")).unwrap_or_default();
        let shown_sub = format!("{shown}/charts/{file}");
        let sub = strip_root(read_archive(bytes, &shown_sub, limits)?, &shown_sub)?;
        subcharts.push(from_tree(&sub, &shown_sub, sources, limits, depth + 1)?);
    }
    let mut dependencies = Vec::new();
    for d in &declared {
        if let Some(sub) = subcharts.iter().find(|c| c.name == d.name) {
            dependencies.push(Dependency {
                key: d.alias.clone().unwrap_or_else(|| d.name.clone()),
                conditions: d.conditions.clone(),
                tags: d.tags.clone(),
                chart: sub.clone(),
            });
        }
    }
    // Subcharts present under charts/ but not declared are still rendered by Helm.
    for sub in subcharts {
        if !declared.iter().any(|d| d.name == sub.name) {
            dependencies.push(Dependency {
                key: sub.name.clone(),
                conditions: Vec::new(),
                tags: Vec::new(),
                chart: sub,
            });
        }
    }
    Ok(Chart {
        name,
        version,
        values,
        dependencies,
    })
}

struct Declared {
    name: String,
    alias: Option<String>,
    conditions: Vec<String>,
    tags: Vec<String>,
}

fn declared_dependencies(meta: &Node) -> Vec<Declared> {
    let Some(Value::Seq(items)) = meta.get_path(&["dependencies"]).map(|n| &n.value) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|d| {
            let name = string_at(d, "name")?;
            let conditions = string_at(d, "condition")
                .map(|c| {
                    c.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            let tags = match d.get_path(&["tags"]).map(|n| &n.value) {
                Some(Value::Seq(t)) => t.iter().filter_map(|n| n.value.render()).collect(),
                _ => Vec::new(),
            };
            Some(Declared {
                name,
                alias: string_at(d, "alias").filter(|a| !a.is_empty()),
                conditions,
                tags,
            })
        })
        .collect()
}

fn string_at(node: &Node, key: &str) -> Option<String> {
    node.get_path(&[key]).and_then(|n| n.value.render())
}

fn parse_yaml(bytes: &[u8], path: &str, sources: &mut Sources) -> Result<Node, ChartError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ChartError::Invalid {
        path: path.to_string(),
        message: "not UTF-8 text".into(),
    })?;
    let id: FileId = sources.add(SourceFile::new(path, text));
    let file = yaml::load(id, text, &Limits::default()).map_err(|e| {
        let (line, col) = sources.get(id).line_col(e.span().start);
        ChartError::Invalid {
            path: format!("{path}:{line}:{col}"),
            message: e.to_string(),
        }
    })?;
    match file.documents.into_iter().next() {
        None => Ok(Node::empty_map(Origin::Synthetic)),
        Some(n) if matches!(n.value, Value::Null) => Ok(Node::empty_map(n.origin)),
        Some(n) if n.value.is_map() => Ok(n),
        Some(n) => Err(ChartError::Invalid {
            path: path.to_string(),
            message: format!("top level is a {}, not a map", n.value.type_name()),
        }),
    }
}

/// Marks every node of a chart's values as a chart default.
pub fn relabel(node: &mut Node, label: &Arc<str>) {
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

//! The images of a rendered release, read from the manifests themselves: every container of
//! every pod spec (any kind with a pod template, CronJob job templates, the manifests a chart
//! embeds in ConfigMaps), with the value every byte of every part came from.
//!
//! Nothing here knows a chart: the reference is the string Kubernetes reads (the YAML scalar as
//! parsed), and its provenance is the engine's — the parsed scalar is mapped back to the bytes of
//! the rendered file (`crate::yaml_scalar`) and those bytes to the segments the engine recorded.

pub(crate) mod parts;
mod plain;
mod walk;

pub(crate) use walk::{may_hold_image, pod_specs};

use std::fmt;
use std::ops::Range;
use std::rc::Rc;

use crate::template::value::{Prov, Seg};

pub(crate) use parts::PartKind;
pub use plain::PlainImages;

/// The object that holds a container.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Object {
    /// The manifest a chart embeds this one in (`ConfigMap`, its name), when it is embedded.
    pub(crate) parent: Option<(String, String)>,
    /// `kind`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
}

impl fmt::Display for Object {
    /// `Kind/name`; an embedded manifest as `ConfigMap/holder>Kind/name`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((kind, name)) = &self.parent {
            write!(f, "{kind}/{name}>")?;
        }
        write!(f, "{}/{}", self.kind, self.name)
    }
}

/// Where some bytes of a part came from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Source {
    /// The bytes, in the reference (the whole part when the mapping is not exact).
    pub(crate) range: Range<usize>,
    /// The value they came from; `None` for text the chart's template wrote itself.
    pub(crate) prov: Option<Rc<Prov>>,
}

/// One part of a reference and its provenance.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Part {
    /// Which part.
    pub(crate) kind: PartKind,
    /// Its bytes in the reference.
    pub(crate) range: Range<usize>,
    /// Whether every byte was traced on its own; when not (an escaped or folded scalar), the
    /// sources are the values anywhere in the scalar, each standing for the whole part.
    pub(crate) exact: bool,
    /// The sources, in reference order.
    pub(crate) sources: Vec<Source>,
    /// The keys the template actions that wrote this part read, in read order (each once): the
    /// keys tried before the one that decided it, and the rest of what those actions used.
    pub(crate) read: Vec<crate::template::value::KeyPath>,
}

/// One container image of the release.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// The reference as Kubernetes reads it.
    pub reference: String,
    /// The object.
    pub object: Object,
    /// The container's name.
    pub container: String,
    /// The rendered template file (`stackstate/templates/api.yaml`).
    pub(crate) template: String,
    /// Registry, repository, tag and digest, those present, in order.
    pub(crate) parts: Vec<Part>,
}

impl Image {
    /// The part of that kind, when the reference has one.
    pub(crate) fn part(&self, kind: PartKind) -> Option<&Part> {
        self.parts.iter().find(|p| p.kind == kind)
    }

    /// The text of a part.
    pub(crate) fn text(&self, part: &Part) -> &str {
        self.reference.get(part.range.clone()).unwrap_or("")
    }
}

/// Every image of the rendered files, in file order then document order.
pub fn images(files: &crate::render::engine::RenderedFiles) -> Vec<Image> {
    use crate::render::manifest::DocEnds;
    let mut out = Vec::new();
    for (name, buf) in &files.files {
        if name.ends_with("NOTES.txt") {
            continue;
        }
        let actions = walk::Actions::new(
            files.printed.get(name).map_or(&[], Vec::as_slice),
            &files.reads,
            files.read_ranges.get(name).cloned().unwrap_or(0..0),
        );
        walk::file(
            name,
            (&buf.text, DocEnds::of(files.templates.build)),
            &buf.segs,
            &actions,
            Some(&files.read_docs),
            &mut out,
        );
    }
    out
}

/// The sources of a part whose decoded bytes are at `ranges` of the file (`exact`: byte for
/// byte from `part.start`; otherwise the whole scalar's span).
fn sources(segs: &[Seg], ranges: &[Range<usize>], part: Range<usize>, exact: bool) -> Vec<Source> {
    let overlapping = |r: &Range<usize>| {
        let (start, end) = (r.start, r.end);
        let first = segs.partition_point(|s| (s.end as usize) <= start);
        segs[first..]
            .iter()
            .take_while(move |s| (s.start as usize) < end)
    };
    if !exact {
        let mut out: Vec<Source> = Vec::new();
        for r in ranges {
            for s in overlapping(r) {
                if !out.iter().any(|o| o.prov.as_ref() == Some(&s.prov)) {
                    out.push(Source {
                        range: part.clone(),
                        prov: Some(s.prov.clone()),
                    });
                }
            }
        }
        return out;
    }
    let mut out: Vec<Source> = Vec::new();
    let mut push = |range: Range<usize>, prov: Option<&Rc<Prov>>| {
        if range.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.range.end == range.start && last.prov.as_ref() == prov => {
                last.range.end = range.end;
            }
            _ => out.push(Source {
                range,
                prov: prov.cloned(),
            }),
        }
    };
    let mut at = part.start;
    for r in ranges {
        let to_ref = |x: usize| at + (x - r.start);
        let mut pos = r.start;
        for s in overlapping(r) {
            let (lo, hi) = ((s.start as usize).max(r.start), (s.end as usize).min(r.end));
            push(to_ref(pos)..to_ref(lo.max(pos)), None);
            push(to_ref(lo.max(pos))..to_ref(hi.max(pos)), Some(&s.prov));
            pos = hi.max(pos);
        }
        push(to_ref(pos)..to_ref(r.end), None);
        at += r.len();
    }
    out
}

/// Whether `needle` (lower case ASCII) occurs in `hay`, ignoring ASCII case: a key's last name
/// against the part names, without a lower-cased copy of each.
pub(crate) fn contains_ascii_nocase(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    // The first byte alone rules out nearly every place before the rest is compared.
    hay.len() >= needle.len()
        && (0..=hay.len() - needle.len()).any(|i| {
            hay[i].to_ascii_lowercase() == first
                && hay[i + 1..i + needle.len()].eq_ignore_ascii_case(rest)
        })
}

#[cfg(test)]
mod tests;

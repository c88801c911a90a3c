//! `images --render` output: plain, table and JSON, with the object, the container and the
//! origin of every part of every image.

use serde_json::{Value as Json, json};

use crate::release::describe_origin;
use crate::render::images::{Image, Part, PartKind, Source};
use crate::source::Sources;
use crate::value::Origin;

/// One release's images, as read from its render.
pub struct RenderedRelease {
    /// The PATH (or the last -f file) the release is named after.
    pub name: String,
    /// Its images, in render order.
    pub images: Vec<Image>,
}

const PARTS: [PartKind; 4] = [
    PartKind::Registry,
    PartKind::Repository,
    PartKind::Tag,
    PartKind::Digest,
];

/// The images sorted as the suite's `images.tsv` is: reference, object, container.
fn sorted(images: &[Image]) -> Vec<&Image> {
    let mut v: Vec<&Image> = images.iter().collect();
    v.sort_by(|a, b| {
        (&a.reference, a.object.to_string(), &a.container).cmp(&(
            &b.reference,
            b.object.to_string(),
            &b.container,
        ))
    });
    v
}

fn distinct(images: &[Image]) -> Vec<&str> {
    let mut v: Vec<&str> = images.iter().map(|i| i.reference.as_str()).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// One distinct reference per line, sorted; releases separated by `# name` lines when several.
pub fn plain(releases: &[RenderedRelease]) -> String {
    let mut out = String::new();
    for r in releases {
        if releases.len() > 1 {
            out.push_str(&format!("# {}\n", r.name));
        }
        for line in distinct(&r.images) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// `key @ file:line:col`, `key @ default`, `key @ --set #N`, or `template` for the chart's
/// own text.
fn source_text(s: &Source, sources: &Sources) -> String {
    match &s.prov {
        Some(p) => {
            let at = match &p.origin {
                Origin::Chart(_) => "default".to_string(),
                o => describe_origin(o, sources),
            };
            format!("{} @ {at}", p.user_path.join("."))
        }
        None => "template".into(),
    }
}

fn part_cell(part: Option<&Part>, sources: &Sources) -> String {
    let Some(part) = part else {
        return "-".into();
    };
    let mut cells: Vec<String> = part
        .sources
        .iter()
        .map(|s| source_text(s, sources))
        .collect();
    cells.dedup();
    let text = if cells.is_empty() {
        "template".to_string()
    } else {
        cells.join(" + ")
    };
    // An escaped or folded scalar: the values named are somewhere in it.
    if part.exact { text } else { format!("~{text}") }
}

/// An aligned table per release.
pub fn table(releases: &[RenderedRelease], chart: &str, sources: &Sources) -> String {
    let mut out = format!(
        "chart: {chart} (origins: file:line:col, `default` = chart default, --set #N, `template` = the chart's text, ~ = somewhere in an escaped scalar)\n"
    );
    for r in releases {
        out.push_str(&format!("\nrelease: {}\n", r.name));
        let with_digest = r.images.iter().any(|i| i.part(PartKind::Digest).is_some());
        let mut header = vec![
            "IMAGE",
            "OBJECT",
            "CONTAINER",
            "REGISTRY",
            "REPOSITORY",
            "TAG",
        ];
        if with_digest {
            header.push("DIGEST");
        }
        let rows: Vec<Vec<String>> = sorted(&r.images)
            .into_iter()
            .map(|img| {
                let mut row = vec![
                    img.reference.clone(),
                    img.object.to_string(),
                    img.container.clone(),
                ];
                for kind in &PARTS[..header.len() - 3] {
                    row.push(part_cell(img.part(*kind), sources));
                }
                row
            })
            .collect();
        let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |cells: &[String]| {
            let mut s = String::new();
            for (c, w) in cells.iter().zip(&widths) {
                s.push_str(c);
                s.extend(std::iter::repeat_n(' ', w - c.chars().count() + 2));
            }
            s.trim_end().to_string() + "\n"
        };
        let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
        out.push_str(&line(&header));
        for row in &rows {
            out.push_str(&line(row));
        }
        out.push_str(&format!(
            "{} images, {} distinct\n",
            r.images.len(),
            distinct(&r.images).len()
        ));
    }
    out
}

fn source_json(img: &Image, s: &Source, sources: &Sources) -> Json {
    let text = img.reference.get(s.range.clone()).unwrap_or("");
    match &s.prov {
        Some(p) => {
            let kind = match &p.origin {
                Origin::Chart(_) => "chart",
                Origin::File { .. } => "file",
                Origin::Set { .. } => "set",
                Origin::Synthetic => "synthetic",
            };
            json!({
                "text": text,
                "key": p.user_path.join("."),
                "origin": describe_origin(&p.origin, sources),
                "source": kind,
            })
        }
        None => json!({"text": text, "key": null, "origin": null, "source": "template"}),
    }
}

fn image_json(img: &Image, sources: &Sources) -> Json {
    let mut parts = serde_json::Map::new();
    for kind in PARTS {
        let value = match img.part(kind) {
            Some(p) => json!({
                "value": img.text(p),
                "exact": p.exact,
                "sources": p.sources.iter().map(|s| source_json(img, s, sources)).collect::<Vec<_>>(),
                "read": p.read.iter().map(|k| k.join(".")).collect::<Vec<_>>(),
            }),
            None => Json::Null,
        };
        parts.insert(kind.name().into(), value);
    }
    json!({
        "reference": img.reference,
        "object": img.object.to_string(),
        "kind": img.object.kind,
        "name": img.object.name,
        "embedded_in": img.object.parent.as_ref().map(|(k, n)| format!("{k}/{n}")),
        "container": img.container,
        "template": img.template,
        "parts": parts,
    })
}

/// Versioned JSON: every image with its object, container and the sources of every part.
pub fn json(releases: &[RenderedRelease], chart: (&str, &str, &str), sources: &Sources) -> String {
    let (name, version, label) = chart;
    let doc = json!({
        "version": 1,
        "tool": {"name": "stackstate-lint", "version": env!("CARGO_PKG_VERSION")},
        "chart": {"name": name, "version": version, "label": label},
        "engine": "render",
        "releases": releases.iter().map(|r| json!({
            "name": r.name,
            "images": sorted(&r.images).into_iter().map(|i| image_json(i, sources)).collect::<Vec<_>>(),
            "distinct": distinct(&r.images),
        })).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

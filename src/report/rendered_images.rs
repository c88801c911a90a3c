//! `images --render` output: plain, table and JSON, with the object, the container and the
//! origin of every part of every image.

use serde_json::{Value as Json, json};

use crate::escape::line;
use crate::release::describe_origin;
use crate::render::images::{Image, PartKind, Source};
use crate::source::Sources;
use crate::value::Origin;

/// One release's images, as read from its render.
pub struct RenderedRelease {
    /// The PATH (or the last -f file) the release is named after.
    pub name: String,
    /// Its images, in render order.
    pub images: Vec<Image>,
    /// The same images as the rules see them (index for index): the key that decided each
    /// part and the component they belong to.
    pub described: Vec<crate::resolve::Image>,
}

const PARTS: [PartKind; 4] = [
    PartKind::Registry,
    PartKind::Repository,
    PartKind::Tag,
    PartKind::Digest,
];

/// The images sorted as the suite's `images.tsv` is: reference, object, container; each with
/// its described twin.
fn sorted(r: &RenderedRelease) -> Vec<(&Image, Option<&crate::resolve::Image>)> {
    let mut v: Vec<(&Image, Option<&crate::resolve::Image>)> = r
        .images
        .iter()
        .enumerate()
        .map(|(i, img)| (img, r.described.get(i)))
        .collect();
    v.sort_by(|(a, _), (b, _)| {
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

/// One distinct reference per line, sorted; with a `# name` line first when the run has
/// several releases.
pub fn plain_release(r: &RenderedRelease, several: bool) -> String {
    let mut out = String::new();
    if several {
        out.push_str(&format!("# {}\n", line(&r.name)));
    }
    for reference in distinct(&r.images) {
        out.push_str(&line(reference));
        out.push('\n');
    }
    out
}

/// `registry: key @ where`; a chart default shows only its key (the header says so), a part
/// no key decides says so.
fn part_cell(label: &str, part: &crate::resolve::Part, sources: &Sources) -> String {
    if part.key.is_empty() {
        return format!("{label}: the template's own text");
    }
    match &part.origin {
        Some(Origin::Chart(_)) => format!("{label}: {}", line(&part.key)),
        Some(o) => format!(
            "{label}: {} @ {}",
            line(&part.key),
            line(&describe_origin(o, sources))
        ),
        None => format!("{label}: {} @ not set", line(&part.key)),
    }
}

/// `cells` joined by `sep` into lines that stay within `width`: the first indented by
/// `indent`, the others by `next` (a cell never breaks; one wider than the room gets a line
/// of its own).
fn wrapped(cells: &[String], (indent, next): (usize, usize), sep: &str, width: usize) -> String {
    let mut out = String::new();
    let mut row = String::new();
    let mut at = indent;
    for c in cells {
        let len = row.chars().count();
        // A line that breaks ends with the separator's mark (`,`): room for it too.
        if len > 0 && at + len + sep.len() + c.chars().count() + sep.trim_end().len() > width {
            out.push_str(&format!("{}{}{}\n", " ".repeat(at), row, sep.trim_end()));
            row.clear();
            at = next;
        }
        if !row.is_empty() {
            row.push_str(sep);
        }
        row.push_str(c);
    }
    if !row.is_empty() {
        out.push_str(&format!("{}{row}\n", " ".repeat(at)));
    }
    out
}

/// How many of the containers pulling one image are named before "and N more".
const CONTAINERS_SHOWN: usize = 3;

/// The first line of the table.
pub fn table_header(chart: &str) -> String {
    format!(
        "chart: {} (a key without `@ place` is a chart default)\n",
        line(chart)
    )
}

/// The table's block of one release: one block per image and the keys that decide it: the
/// reference (with the component the catalogue names, if it knows one), the key behind each
/// part, then the containers that pull it; lines wrap at `width` between cells.
pub fn table_release(r: &RenderedRelease, sources: &Sources, width: usize) -> String {
    let mut out = String::new();
    out.push_str(&format!("\nrelease: {}\n", line(&r.name)));
    // Containers that pull the same reference through the same keys are one block.
    let mut blocks: Vec<(&Image, &crate::resolve::Image, Vec<&Image>)> = Vec::new();
    for (img, described) in sorted(r) {
        let Some(d) = described else { continue };
        let key = |x: &crate::resolve::Image| {
            (
                x.registry.as_ref().map(|p| p.key.clone()),
                x.repository.key.clone(),
                x.tag.key.clone(),
            )
        };
        match blocks
            .iter_mut()
            .find(|(i, o, _)| i.reference == img.reference && key(o) == key(d))
        {
            Some((_, _, pulled)) => pulled.push(img),
            None => blocks.push((img, d, vec![img])),
        }
    }
    for (img, d, pulled) in &blocks {
        let reference = line(&img.reference);
        let known = !d.component.contains(':');
        let name = format!("({})", line(&d.name));
        match known {
            // The component's name goes below a reference it would push past the width.
            true if reference.chars().count() + 2 + name.chars().count() > width => {
                out.push_str(&format!("{reference}\n  {name}\n"))
            }
            true => out.push_str(&format!("{reference}  {name}\n")),
            false => out.push_str(&format!("{reference}\n")),
        }
        let mut parts = vec![match &d.registry {
            Some(p) => part_cell("registry", p, sources),
            None => "registry: in the repository".to_string(),
        }];
        parts.push(part_cell("repository", &d.repository, sources));
        parts.push(part_cell("tag", &d.tag, sources));
        if let Some(digest) = img.part(PartKind::Digest) {
            parts.push(format!("digest: {}", line(img.text(digest))));
        }
        out.push_str(&wrapped(&parts, (2, 2), "  ", width));
        let mut by: Vec<String> = pulled
            .iter()
            .take(CONTAINERS_SHOWN)
            .map(|i| format!("{} ({})", line(&i.object.to_string()), line(&i.container)))
            .collect();
        if pulled.len() > CONTAINERS_SHOWN {
            by.push(format!("and {} more", pulled.len() - CONTAINERS_SHOWN));
        }
        by[0] = format!("pulled by: {}", by[0]);
        out.push_str(&wrapped(&by, (2, 4), ", ", width));
    }
    out.push_str(&format!(
        "{} images, {} distinct\n",
        r.images.len(),
        distinct(&r.images).len()
    ));
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
                "key": crate::key_path::display(&p.user_path),
                "origin": describe_origin(&p.origin, sources),
                "source": kind,
            })
        }
        None => json!({"text": text, "key": null, "origin": null, "source": "template"}),
    }
}

/// One described part as `images` has always given it: the value, the key that decided it and
/// where that key was set.
fn described_part(part: &crate::resolve::Part, sources: &Sources) -> Json {
    let (source, origin) = match &part.origin {
        Some(o @ Origin::Chart(_)) => ("chart", describe_origin(o, sources)),
        Some(o @ Origin::File { .. }) => ("file", describe_origin(o, sources)),
        Some(o @ Origin::Set { .. }) => ("set", describe_origin(o, sources)),
        Some(Origin::Synthetic) | None => ("missing", "not set".to_string()),
    };
    json!({"value": part.text, "key": part.key, "origin": origin, "source": source})
}

fn image_json(img: &Image, described: Option<&crate::resolve::Image>, sources: &Sources) -> Json {
    let mut parts = serde_json::Map::new();
    for kind in PARTS {
        let value = match img.part(kind) {
            Some(p) => json!({
                "value": img.text(p),
                "exact": p.exact,
                "sources": p.sources.iter().map(|s| source_json(img, s, sources)).collect::<Vec<_>>(),
                "read": p.read.iter().map(|k| crate::key_path::display(k)).collect::<Vec<_>>(),
            }),
            None => Json::Null,
        };
        parts.insert(kind.name().into(), value);
    }
    let mut out = json!({
        "reference": img.reference,
        "object": img.object.to_string(),
        "kind": img.object.kind,
        "embedded_in": img.object.parent.as_ref().map(|(k, n)| format!("{k}/{n}")),
        "container": img.container,
        "template": img.template,
        "parts": parts,
    });
    if let (Some(d), Some(map)) = (described, out.as_object_mut()) {
        map.insert("component".into(), json!(d.component));
        map.insert("name".into(), json!(d.name));
        map.insert(
            "registry".into(),
            d.registry
                .as_ref()
                .map(|p| described_part(p, sources))
                .unwrap_or(Json::Null),
        );
        map.insert("repository".into(), described_part(&d.repository, sources));
        map.insert("tag".into(), described_part(&d.tag, sources));
        map.insert("ignores_global_registry".into(), json!(d.ignores_global));
    }
    out
}

/// One release's entry of the JSON document, printed (as it is indented inside the document):
/// every image with its object, container and the sources of every part. A folder's entries
/// wait as text, a tenth of the memory of their JSON values.
pub fn json_release(r: &RenderedRelease, sources: &Sources) -> String {
    let entry = json!({
        "name": r.name,
        "images": sorted(r).into_iter().map(|(i, d)| image_json(i, d, sources)).collect::<Vec<_>>(),
        "distinct": distinct(&r.images),
    });
    printed_entry(&entry)
}

/// An entry of the document's `releases`, printed as `serde_json` prints it there.
fn printed_entry(entry: &Json) -> String {
    let text = serde_json::to_string_pretty(entry).unwrap_or_default();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, l) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("    ");
        out.push_str(l);
    }
    out
}

/// The versioned JSON document around the printed entries of its releases, written to `out`
/// piece by piece (a folder's document is not copied whole once more).
pub fn write_json_doc(
    out: &mut dyn std::io::Write,
    releases: &[String],
    chart: (&str, &str, &str),
    helm: crate::merge::HelmVersion,
) -> std::io::Result<()> {
    let (name, version, label) = chart;
    let helm = match helm.line() {
        crate::merge::HelmLine::V3 => "3",
        crate::merge::HelmLine::V3Legacy => "3.16",
        crate::merge::HelmLine::V4 => "4",
    };
    let doc = json!({
        "version": 1,
        "tool": {"name": "stackstate-lint", "version": env!("CARGO_PKG_VERSION")},
        "chart": {"name": name, "version": version, "label": label},
        "helm": helm,
        "releases": [],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    // Keys print sorted: only `tool` and `version`, whose text is ours, follow `releases`,
    // and no string can hold an unescaped quote.
    const EMPTY: &str = "\"releases\": []";
    match s.rfind(EMPTY) {
        Some(at) if !releases.is_empty() => {
            out.write_all(&s.as_bytes()[..at])?;
            out.write_all(b"\"releases\": [\n")?;
            for (i, r) in releases.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",\n")?;
                }
                out.write_all(r.as_bytes())?;
            }
            out.write_all(b"\n  ]")?;
            out.write_all(&s.as_bytes()[at + EMPTY.len()..])
        }
        _ => out.write_all(s.as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document written piece by piece is the one `serde_json` prints whole.
    #[test]
    fn json_doc_pieces_make_the_whole_document() {
        let entries = [
            json!({"name": "a \"releases\": []", "images": [{"x": [1, {"y": "z"}]}], "distinct": []}),
            json!({"name": "b", "images": [], "distinct": ["r:1"]}),
        ];
        let chart = ("stackstate", "4.4.0", "label \"releases\": []");
        for n in 0..=entries.len() {
            let printed: Vec<String> = entries[..n].iter().map(printed_entry).collect();
            let mut got = Vec::new();
            write_json_doc(&mut got, &printed, chart, crate::merge::HelmVersion::V3).unwrap();
            let whole = json!({
                "version": 1,
                "tool": {"name": "stackstate-lint", "version": env!("CARGO_PKG_VERSION")},
                "chart": {"name": chart.0, "version": chart.1, "label": chart.2},
                "helm": "3",
                "releases": entries[..n],
            });
            let want = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            assert_eq!(String::from_utf8(got).unwrap(), want, "{n} entries");
        }
    }
}

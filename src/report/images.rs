//! `images` output: plain, table and JSON.

use std::io::Write;

use serde_json::{Value as Json, json};

use crate::commands::images::ReleaseImages;
use crate::escape::line;
use crate::inputs::ChosenChart;
use crate::merge::HelmVersion;
use crate::release::describe_origin;
use crate::resolve::{Image, Part};
use crate::source::Sources;
use crate::value::Origin;

/// What stands in for a tag the anomaly-detection subchart picks.
pub const SUBCHART_TAG: &str = "(chosen by the anomaly-detection subchart)";

/// One distinct reference per line, sorted; releases separated by `# name` lines when several.
pub fn plain(releases: &[ReleaseImages], err: &mut dyn Write) -> String {
    let mut out = String::new();
    // (reference, releases it is in): a note said once, however many files share it.
    let mut untagged: Vec<(&str, usize)> = Vec::new();
    for r in releases {
        if releases.len() > 1 {
            out.push_str(&format!("# {}\n", line(&r.name)));
        }
        for reference in r.resolution.distinct() {
            out.push_str(&line(&reference));
            out.push('\n');
        }
        for img in r.resolution.images.iter().filter(|i| !i.tag_known) {
            match untagged
                .iter_mut()
                .find(|(reference, _)| *reference == img.reference)
            {
                Some((_, n)) => *n += 1,
                None => untagged.push((&img.reference, 1)),
            }
        }
    }
    for (reference, n) in untagged {
        let releases = if n > 1 {
            format!(" (in {n} releases)")
        } else {
            String::new()
        };
        let _ = writeln!(
            err,
            "note: {reference} is listed without a tag{releases}: the anomaly-detection subchart (not public) picks it; set `anomaly-detection.image.tag` to pin it"
        );
    }
    out
}

fn origin_text(part: &Part, sources: &Sources) -> String {
    match &part.origin {
        Some(o) => describe_origin(o, sources),
        None => "not set".into(),
    }
}

/// `registry: key @ where`; a chart default shows only its key (the header says so).
fn part_cell(label: &str, part: &Part, sources: &Sources) -> String {
    match &part.origin {
        Some(Origin::Chart(_)) => format!("{label}: {}", line(&part.key)),
        _ => format!(
            "{label}: {} @ {}",
            line(&part.key),
            line(&origin_text(part, sources))
        ),
    }
}

/// Per image, the component and the reference on one line, then the key behind each part on
/// lines indented under the reference and wrapped at `width` between parts (a part never
/// breaks, nor does a reference). When a reference does not fit beside the component, it gets
/// its own line.
pub fn table(
    releases: &[ReleaseImages],
    chosen: &ChosenChart,
    sources: &Sources,
    width: usize,
) -> String {
    let mut out = format!(
        "chart: {} (a key without `@ place` is a chart default)\n",
        line(&chosen.label)
    );
    for r in releases {
        out.push_str(&format!("\nrelease: {}\n", line(&r.name)));
        let images = &r.resolution.images;
        let name_w = images
            .iter()
            .map(|i| i.component.chars().count())
            .max()
            .unwrap_or(0);
        let ref_w = images
            .iter()
            .map(|i| i.reference.chars().count())
            .max()
            .unwrap_or(0);
        let side_by_side = name_w + 2 + ref_w <= width;
        let indent = if side_by_side { name_w + 2 } else { 2 };
        for img in images {
            let (component, reference) = (line(&img.component), line(&img.reference));
            if side_by_side {
                let pad = name_w.saturating_sub(component.chars().count()) + 2;
                out.push_str(&format!("{component}{}{reference}\n", " ".repeat(pad)));
            } else {
                out.push_str(&format!("{component}\n  {reference}\n"));
            }
            let mut parts = Vec::new();
            match &img.registry {
                Some(p) => parts.push(part_cell("registry", p, sources)),
                None => parts.push("registry: in the repository".to_string()),
            }
            parts.push(part_cell("repository", &img.repository, sources));
            parts.push(if img.tag_known {
                part_cell("tag", &img.tag, sources)
            } else {
                format!("tag: {SUBCHART_TAG}")
            });
            let mut row = String::new();
            for p in parts {
                let len = row.chars().count();
                if len > 0 && indent + len + 2 + p.chars().count() > width {
                    out.push_str(&format!("{}{row}\n", " ".repeat(indent)));
                    row.clear();
                }
                if !row.is_empty() {
                    row.push_str("  ");
                }
                row.push_str(&p);
            }
            out.push_str(&format!("{}{row}\n", " ".repeat(indent)));
        }
        out.push_str(&format!(
            "{} images, {} distinct\n",
            images.len(),
            r.resolution.distinct().len()
        ));
    }
    out
}

fn part_json(part: &Part, sources: &Sources) -> Json {
    let source = match &part.origin {
        Some(Origin::Chart(_)) => "chart",
        Some(Origin::File { .. }) => "file",
        Some(Origin::Set { .. }) => "set",
        Some(Origin::Synthetic) | None => "missing",
    };
    json!({
        "value": part.text,
        "key": part.key,
        "origin": origin_text(part, sources),
        "source": source,
    })
}

fn image_json(img: &Image, sources: &Sources) -> Json {
    json!({
        "component": img.component,
        "name": img.name,
        "reference": img.reference,
        "registry": img.registry.as_ref().map(|p| part_json(p, sources)),
        "repository": part_json(&img.repository, sources),
        "tag": if img.tag_known { part_json(&img.tag, sources) } else { Json::Null },
        "tag_known": img.tag_known,
        "ignores_global_registry": img.ignores_global,
    })
}

/// Versioned JSON.
pub fn json(
    releases: &[ReleaseImages],
    chosen: &ChosenChart,
    helm: HelmVersion,
    sources: &Sources,
) -> String {
    let helm = match helm {
        HelmVersion::V3 => "3",
        HelmVersion::V3Legacy => "3.16",
        HelmVersion::V4 => "4",
    };
    let doc = json!({
        "version": 1,
        "tool": {"name": "stackstate-lint", "version": env!("CARGO_PKG_VERSION")},
        "chart": {
            "name": chosen.chart.name,
            "version": chosen.chart.version,
            "label": chosen.label,
        },
        "helm": helm,
        "releases": releases.iter().map(|r| json!({
            "name": r.name,
            "images": r.resolution.images.iter().map(|i| image_json(i, sources)).collect::<Vec<_>>(),
            "distinct": r.resolution.distinct(),
        })).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

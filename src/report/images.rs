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

/// `key @ where`, where the value itself is visible in the IMAGE column.
fn part_cell(part: &Part, sources: &Sources) -> String {
    let at = match &part.origin {
        Some(Origin::Chart(_)) => "default".to_string(),
        _ => origin_text(part, sources),
    };
    format!("{} @ {}", line(&part.key), line(&at))
}

/// An aligned table per release.
pub fn table(releases: &[ReleaseImages], chosen: &ChosenChart, sources: &Sources) -> String {
    let mut out = format!(
        "chart: {} (origins: file:line:col, `default` = chart default, --set #N)\n",
        line(&chosen.label)
    );
    for r in releases {
        out.push_str(&format!("\nrelease: {}\n", line(&r.name)));
        let rows: Vec<[String; 5]> = r
            .resolution
            .images
            .iter()
            .map(|img| {
                let registry = match &img.registry {
                    Some(p) => part_cell(p, sources),
                    None => "(part of the repository)".into(),
                };
                let tag = if img.tag_known {
                    part_cell(&img.tag, sources)
                } else {
                    SUBCHART_TAG.into()
                };
                [
                    line(&img.component).into_owned(),
                    line(&img.reference).into_owned(),
                    registry,
                    part_cell(&img.repository, sources),
                    tag,
                ]
            })
            .collect();
        let header = ["COMPONENT", "IMAGE", "REGISTRY", "REPOSITORY", "TAG"];
        let mut widths = header.map(|h| h.chars().count());
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let row_line = |cells: &[String]| {
            let mut s = String::new();
            for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
                if i + 1 == cells.len() {
                    s.push_str(c);
                } else {
                    s.push_str(c);
                    s.extend(std::iter::repeat_n(' ', w - c.chars().count() + 2));
                }
            }
            s.trim_end().to_string() + "\n"
        };
        out.push_str(&row_line(&header.map(String::from)));
        for row in &rows {
            out.push_str(&row_line(row));
        }
        out.push_str(&format!(
            "{} images, {} distinct\n",
            r.resolution.images.len(),
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

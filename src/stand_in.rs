//! Subcharts the built-in charts hold only as stand-ins (`rules/stand-in-subcharts.yaml`): left
//! out of the render, with a note saying what the real subchart would add.

use std::sync::{Arc, LazyLock};

use crate::chart::Chart;
use crate::value::Value;
use crate::version::{Version, VersionReq};

struct Entry {
    chart: String,
    versions: VersionReq,
    subchart: String,
    pulls: String,
}

static ENTRIES: LazyLock<Vec<Entry>> = LazyLock::new(|| {
    let text = include_str!("../rules/stand-in-subcharts.yaml");
    // The tool's own data, not the user's input: not charged to the run's budget (a folder's
    // first render may run on a thread without one).
    let file = crate::budget::uncharged(|| {
        crate::yaml::load(
            crate::source::FileId(u32::MAX),
            text,
            &crate::yaml::Limits::default(),
        )
    })
    .unwrap_or_else(|e| panic!("rules/stand-in-subcharts.yaml: {e:?}"));
    let Some(Value::Seq(items)) = file.documents.first().map(|d| &d.value) else {
        panic!("rules/stand-in-subcharts.yaml: not a list");
    };
    items
        .iter()
        .map(|item| {
            let field = |k: &str| {
                item.get_path(&[k])
                    .and_then(|n| n.value.render())
                    .unwrap_or_else(|| panic!("rules/stand-in-subcharts.yaml: no `{k}`"))
            };
            Entry {
                chart: field("chart"),
                versions: VersionReq::parse(&field("versions"))
                    .unwrap_or_else(|e| panic!("rules/stand-in-subcharts.yaml: {e}")),
                subchart: field("subchart"),
                pulls: field("pulls"),
            }
        })
        .collect()
});

/// Marks the stand-in subcharts of a built-in chart, with the note the user gets when their
/// values would deploy it.
pub fn mark(chart: &mut Chart) {
    let Some(version) = Version::parse(&chart.version) else {
        return;
    };
    for e in ENTRIES
        .iter()
        .filter(|e| e.chart == chart.name && e.versions.matches(&version))
    {
        if let Some(dep) = chart.dependencies.iter_mut().find(|d| d.key == e.subchart) {
            dep.stand_in = Some(Arc::from(format!(
                "note: the built-in {} {} holds only a stand-in for its `{}` subchart (the real one was published only at helm.stackstate.io), so it is left out: {} is not rendered, listed or checked; give the chart `helm pull` fetches with --chart to include it",
                chart.name, chart.version, e.subchart, e.pulls
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_entry_parses() {
        assert!(super::ENTRIES.len() >= 3);
    }
}

//! The component catalogue (`rules/catalog.yaml`): StackState knowledge the templates do not
//! spell out — what each image is called, and the settings (split mode, `backup.enabled`…)
//! that switch a component on — keyed by chart name and version range. The images themselves,
//! and the keys that decide them, come from the render.

use std::sync::OnceLock;

use crate::packed;
use crate::value::{Node, Origin, Value};
use crate::version::{Version, VersionReq};

/// `rules/catalog.yaml`, as `build.rs` loaded and packed it.
const CATALOG: &[u8] = crate::builtin::packed!("catalog");

/// One condition: any of the alternatives holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// (negated, dotted key) alternatives.
    pub any: Vec<(bool, String)>,
}

/// One image the chart renders.
#[derive(Debug, Clone)]
pub struct Component {
    /// Stable id.
    pub id: String,
    /// Human description.
    pub name: String,
    /// Chart versions it applies to.
    pub versions: VersionReq,
    /// Subchart path the keys are relative to.
    pub chart: Vec<String>,
    /// Conditions that must all hold.
    pub when: Vec<Condition>,
    /// The conditions in words, when the keys alone do not read well.
    pub when_text: Option<String>,
    /// The key the image's repository comes from: how a rendered image is recognised as
    /// this component's.
    pub repository: String,
}

impl Component {
    /// The full dotted key of the block that configures the component: the repository key
    /// up to its `image…` segment (`stackstate.components.api`, `minio`).
    pub fn block(&self) -> String {
        let full = self.full_key(&self.repository);
        let parts: Vec<&str> = full.split('.').collect();
        let end = parts
            .iter()
            .position(|p| p.starts_with("image"))
            .unwrap_or(parts.len() - 1)
            .max(1);
        parts[..end].join(".")
    }

    /// Whether the component renders with `values` (the merged values of its chart): every
    /// condition holds (Go template truthiness).
    pub fn switched_on(&self, values: &crate::value::Map) -> bool {
        self.when.iter().all(|cond| {
            cond.any.iter().any(|(negated, key)| {
                let truthy = crate::value::lookup(values, key).is_some_and(|n| !n.value.is_empty());
                truthy != *negated
            })
        })
    }

    /// The full dotted path of a key of this component (`kafka.image.tag`).
    pub fn full_key(&self, key: &str) -> String {
        if key.starts_with("global.") || self.chart.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.chart.join("."))
        }
    }
}

/// The whole catalogue.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The chart the entries describe (`chart:`).
    pub chart: String,
    /// The versions of it they were checked against (`versions:`).
    pub versions: VersionReq,
    /// `versions:` as written.
    pub versions_text: String,
    /// Every entry, in file order.
    pub components: Vec<Component>,
}

impl Catalog {
    /// The built-in catalogue (parsed once).
    pub fn builtin() -> &'static Catalog {
        static CAT: OnceLock<Catalog> = OnceLock::new();
        CAT.get_or_init(|| {
            packed::decode(CATALOG, &Origin::Synthetic)
                .and_then(from_root)
                .unwrap_or_else(|e| panic!("rules/catalog.yaml: {e}"))
        })
    }

    /// Whether the entries describe chart `name` at version `v`.
    pub fn covers(&self, name: &str, v: &Version) -> bool {
        name == self.chart && self.versions.matches(v)
    }

    /// The entries that apply to chart `name` at version `v`: none for a chart the catalogue
    /// does not describe (entries are keyed by the stackstate chart's versions; another chart's
    /// version number says nothing about them).
    pub fn for_chart<'a>(
        &'a self,
        name: &str,
        v: &'a Version,
    ) -> impl Iterator<Item = &'a Component> + 'a {
        let covered = self.covers(name, v);
        self.components
            .iter()
            .filter(move |c| covered && c.versions.matches(v))
    }
}

fn from_root(root: Node) -> Result<Catalog, String> {
    let Some(Value::Seq(items)) = root.get_path(&["components"]).map(|n| n.value.clone()) else {
        return Err("no `components` list".into());
    };
    let text = |k: &str| root.get_path(&[k]).and_then(|n| n.value.render());
    let chart = text("chart").ok_or("no `chart`")?;
    let versions_text = text("versions").ok_or("no `versions`")?;
    let versions = VersionReq::parse(&versions_text)?;
    items
        .iter()
        .map(component)
        .collect::<Result<_, _>>()
        .map(|components| Catalog {
            chart,
            versions,
            versions_text,
            components,
        })
}

fn component(n: &Node) -> Result<Component, String> {
    let s = |k: &str| n.get_path(&[k]).and_then(|v| v.value.render());
    let list = |k: &str| -> Option<Vec<String>> {
        match &n.get_path(&[k])?.value {
            Value::Seq(items) => Some(items.iter().filter_map(|i| i.value.render()).collect()),
            other => other.render().map(|s| vec![s]),
        }
    };
    let id = s("id").ok_or("component without id")?;
    let when = list("when")
        .unwrap_or_default()
        .iter()
        .map(|c| Condition {
            any: c
                .split('|')
                .map(|alt| match alt.strip_prefix('!') {
                    Some(k) => (true, k.to_string()),
                    None => (false, alt.to_string()),
                })
                .collect(),
        })
        .collect();
    Ok(Component {
        name: s("name").unwrap_or_else(|| id.clone()),
        versions: VersionReq::parse(&s("versions").unwrap_or_default())
            .map_err(|e| format!("{id}: {e}"))?,
        chart: list("chart").unwrap_or_default(),
        when,
        when_text: s("when_text"),
        repository: s("repository").ok_or(format!("{id}: no repository"))?,
        id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::yaml::{self, Limits};

    /// Parses a catalogue text (the library reads the packed form).
    fn parse(text: &str) -> Result<Catalog, String> {
        let file =
            yaml::load(FileId(u32::MAX), text, &Limits::default()).map_err(|e| e.to_string())?;
        from_root(file.documents.into_iter().next().ok_or("empty catalogue")?)
    }

    #[test]
    fn packed_catalog_matches_its_yaml() {
        let text = parse(include_str!("../rules/catalog.yaml")).unwrap();
        let packed = Catalog::builtin();
        assert_eq!(format!("{text:?}"), format!("{packed:?}"));
    }

    #[test]
    fn builtin_catalog_parses_and_covers_every_version() {
        let cat = Catalog::builtin();
        for v in ["4.2.5", "4.3.0", "4.4.0", "4.4.2", "4.5.0"] {
            let v = Version::parse(v).unwrap();
            let ids: Vec<_> = cat
                .for_chart("stackstate", &v)
                .map(|c| c.id.as_str())
                .collect();
            assert!(ids.contains(&"api") && ids.contains(&"minio"), "{v:?}");
            // Exactly one exporter entry per version.
            assert_eq!(
                ids.iter()
                    .filter(|i| **i == "elasticsearchExporter")
                    .count(),
                1
            );
        }
    }
}

//! The image catalogue (`rules/catalog.yaml`): which values decide each image, per chart version.

use std::sync::OnceLock;

use crate::packed;
use crate::source::FileId;
use crate::value::{Node, Origin, Value};
use crate::version::{Version, VersionReq};
use crate::yaml::{self, Limits};

/// `rules/catalog.yaml`, as `build.rs` loaded and packed it.
const CATALOG: &[u8] = crate::builtin::packed!("catalog");

/// How a template prints an image; decides what nulls and numbers turn into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Built with fromYaml/toYaml: a null prints `<no value>`, stripped after quoting.
    ToYaml,
    /// A quoted `"{{ }}"` string: a null prints as nothing.
    Quoted,
    /// bitnami `common.images.image`: `printf "%s/%s:%s"` with `tag | toString`, unquoted.
    Bitnami,
}

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
    /// Registry keys in order (`default` semantics); `None` when the registry is in the repository.
    pub registry: Option<Vec<String>>,
    /// Repository key.
    pub repository: String,
    /// Key appended verbatim to the repository.
    pub suffix: Option<String>,
    /// Tag keys in order.
    pub tag: Vec<String>,
    /// How it is printed.
    pub style: Style,
    /// The tag must be a string.
    pub tag_string: bool,
    /// The tag's default lives in a chart whose values are unknown.
    pub tag_unknown_default: bool,
    /// The template never reads `global.imageRegistry`.
    pub ignores_global: bool,
}

impl Component {
    /// Every key the image is built from (registry keys, repository, suffix, tag keys),
    /// relative to the component's chart.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.registry
            .iter()
            .flatten()
            .chain([&self.repository])
            .chain(self.suffix.iter())
            .chain(self.tag.iter())
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
    /// The chart the model was written for (`chart:`).
    pub chart: String,
    /// The versions of it the model was checked against (`versions:`).
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

    /// Whether the model knows chart `name` at version `v`.
    pub fn covers(&self, name: &str, v: &Version) -> bool {
        name == self.chart && self.versions.matches(v)
    }

    /// The entries that apply to chart `name` at version `v`: none for a chart the model does
    /// not cover (entries are keyed by the stackstate chart's versions; another chart's version
    /// number says nothing about them).
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

    /// What the model covers, for messages: `stackstate >=4.2.5 <4.6.0`.
    pub fn coverage(&self) -> String {
        format!("{} {}", self.chart, self.versions_text)
    }
}

/// Parses a catalogue text.
pub fn parse(text: &str) -> Result<Catalog, String> {
    let file = yaml::load(FileId(u32::MAX), text, &Limits::default()).map_err(|e| e.to_string())?;
    from_root(file.documents.into_iter().next().ok_or("empty catalogue")?)
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
    let flag = |k: &str| matches!(n.get_path(&[k]).map(|v| &v.value), Some(Value::Bool(true)));
    let id = s("id").ok_or("component without id")?;
    let style = match s("style").as_deref() {
        Some("toyaml") => Style::ToYaml,
        Some("quoted") => Style::Quoted,
        Some("bitnami") => Style::Bitnami,
        other => return Err(format!("{id}: unknown style {other:?}")),
    };
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
        registry: list("registry"),
        repository: s("repository").ok_or(format!("{id}: no repository"))?,
        suffix: s("suffix"),
        tag: list("tag").ok_or(format!("{id}: no tag"))?,
        style,
        tag_string: flag("tag_string"),
        tag_unknown_default: flag("tag_unknown_default"),
        ignores_global: flag("ignores_global"),
        id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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

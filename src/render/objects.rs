//! The built-in objects of a template's dot, as Helm 3.17 exposes them: `.Chart` (a struct
//! embedding `chart.Metadata`), `.Capabilities` (Kubernetes and API versions, Helm's build),
//! `.Release` (a map). Under Helm 4.1, `.Capabilities` holds Helm 4.1.4's defaults.

use std::rc::Rc;
use std::sync::Arc;

use super::kube_version::KubeVersion;
use crate::chart::content::Metadata;
use crate::helm_build::{BuildInfo, HelmBuild};
use crate::template::value::Entries;
use crate::template::value::{ElemType, GoStruct, MapData, Object, Value};

/// The Kubernetes version `helm template` 3.17.3 assumes without `--kube-version`.
pub(crate) const DEFAULT_KUBE_VERSION: &str = "v1.32.0";

fn strs(items: &[String]) -> Value {
    Value::typed_list(
        items.iter().map(|s| Value::str(s.as_str())).collect(),
        ElemType::String,
    )
}

/// A `[]string` of Chart.yaml: nil (`null` to `toJson`) when empty, as when the key is absent
/// (`keywords: []` written out is rarer than no `keywords`; the two are not told apart).
fn strs_or_nil(items: &[String]) -> Value {
    if items.is_empty() {
        Value::nil_list(ElemType::String)
    } else {
        strs(items)
    }
}

fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

fn plain_map(entries: Vec<(&str, Value)>) -> Value {
    Value::map(entries.into_iter().map(|(k, v)| (Rc::from(k), v)).collect())
}

/// `.Capabilities.APIVersions`: a `[]string` with the method `Has` (Helm 4's `common`, when
/// `helm4`).
#[derive(Debug, Clone)]
pub(crate) struct VersionSet {
    pub(crate) versions: Vec<String>,
    pub(crate) helm4: bool,
}

impl Object for VersionSet {
    fn type_name(&self) -> &str {
        if self.helm4 {
            "common.VersionSet"
        } else {
            "chartutil.VersionSet"
        }
    }
    fn field(&self, _: &str) -> Option<Value> {
        None
    }
    fn call(
        &self,
        name: &str,
        args: &[Value],
    ) -> Option<Result<Value, crate::template::FuncError>> {
        if name != "Has" {
            return None;
        }
        let has = |v: &crate::template::value::Str| self.versions.iter().any(|x| x == v.as_str());
        Some(crate::template::funcs::args::string(&args[0]).map(|v| Value::bool(has(v))))
    }
    fn arity(&self, name: &str) -> Option<usize> {
        (name == "Has").then_some(1)
    }
    fn fmt_v(&self) -> String {
        go_list(&self.versions)
    }
    fn to_plain(&self) -> Value {
        strs(&self.versions)
    }
    fn underlying(&self) -> Option<Value> {
        Some(strs(&self.versions))
    }
    fn resliced(&self, items: &[Value]) -> Option<Value> {
        let versions = items
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect();
        Some(Value::Object(Rc::new(VersionSet {
            versions,
            helm4: self.helm4,
        })))
    }
}

/// `.Capabilities.HelmVersion` (Helm's `version.BuildInfo` of the release rendering); Helm
/// 4's has one more field.
#[derive(Debug, Clone)]
pub(crate) struct HelmVersion(pub(crate) BuildInfo);

impl HelmVersion {
    /// (Go field, JSON name, value) of each field.
    fn parts(&self) -> Vec<(&'static str, &'static str, &str)> {
        let i = &self.0;
        let mut parts = vec![
            ("Version", "version", i.version.as_str()),
            ("GitCommit", "git_commit", i.git_commit.as_str()),
            ("GitTreeState", "git_tree_state", i.git_tree_state.as_str()),
            ("GoVersion", "go_version", i.go_version.as_str()),
        ];
        if let Some(k) = &i.kube_client_version {
            parts.push(("KubeClientVersion", "kube_client_version", k.as_str()));
        }
        parts
    }
}

impl Object for HelmVersion {
    fn type_name(&self) -> &str {
        "version.BuildInfo"
    }
    fn field(&self, name: &str) -> Option<Value> {
        self.parts()
            .iter()
            .find(|(f, _, _)| *f == name)
            .map(|(_, _, v)| Value::str(*v))
    }
    fn call(&self, _: &str, _: &[Value]) -> Option<Result<Value, crate::template::FuncError>> {
        None
    }
    fn comparison(&self) -> crate::template::value::Comparison {
        let vals: Vec<&str> = self.parts().iter().map(|p| p.2).collect();
        crate::template::value::Comparison::Fields(vals.join("\0"))
    }
    fn go_struct(&self) -> Option<GoStruct> {
        Some(GoStruct {
            type_name: "version.BuildInfo",
            pointer: false,
            stringer: false,
            fields: self
                .parts()
                .iter()
                .map(|(name, _, v)| (*name, Value::str(*v)))
                .collect(),
        })
    }
    fn json_order(&self) -> &'static [&'static str] {
        &[
            "version",
            "git_commit",
            "git_tree_state",
            "go_version",
            "kube_client_version",
        ]
    }
    fn to_plain(&self) -> Value {
        plain_map(
            self.parts()
                .iter()
                .map(|(_, json, v)| (*json, Value::str(*v)))
                .collect(),
        )
    }
}

/// `.Capabilities`.
#[derive(Debug, Clone)]
pub(crate) struct Capabilities {
    /// The Kubernetes version.
    pub(crate) kube: KubeVersion,
    /// The API versions, defaults first, then `--api-versions`.
    pub(crate) api_versions: Vec<String>,
    /// The objects its fields return, made once (charts ask for them thousands of times).
    kube_obj: Rc<KubeVersion>,
    apis_obj: Rc<VersionSet>,
    helm_obj: Rc<HelmVersion>,
    /// Helm 4's `*common.Capabilities`.
    helm4: bool,
}

impl Capabilities {
    /// The capabilities of `helm template` of `build` with `--kube-version` and
    /// `--api-versions` applied: its Kubernetes version, client-go's API versions and its build
    /// information; Helm 4's are also named by Helm 4's package names.
    pub(crate) fn new(
        kube: Option<KubeVersion>,
        extra_api_versions: &[String],
        build: HelmBuild,
    ) -> Capabilities {
        let helm4 = build.is_helm4();
        let default_kube = build.default_kube_version();
        let default_kube = default_kube.as_str();
        let (build_info, mut api_versions) = build.capabilities();
        api_versions.extend(extra_api_versions.iter().cloned());
        let mut kube = match kube {
            Some(k) => k,
            None if helm4 => KubeVersion::parse_helm4(default_kube).unwrap_or_default(),
            None => KubeVersion::parse(default_kube).unwrap_or_default(),
        };
        // The struct's type and `%v` are the Helm's that renders, however it was parsed.
        kube.helm4 = helm4;
        Capabilities {
            kube_obj: Rc::new(kube.clone()),
            helm_obj: Rc::new(HelmVersion(build_info)),
            apis_obj: Rc::new(VersionSet {
                versions: api_versions.clone(),
                helm4,
            }),
            kube,
            api_versions,
            helm4,
        }
    }
}

impl Object for Capabilities {
    fn type_name(&self) -> &str {
        if self.helm4 {
            "*common.Capabilities"
        } else {
            "*chartutil.Capabilities"
        }
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "KubeVersion" => Some(Value::Object(self.kube_obj.clone())),
            "APIVersions" => Some(Value::Object(self.apis_obj.clone())),
            "HelmVersion" => Some(Value::Object(self.helm_obj.clone())),
            // A copy of the struct (a new pointer).
            "Copy" => Some(Value::Object(Rc::new(self.clone()))),
            _ => None,
        }
    }
    fn call(&self, _: &str, _: &[Value]) -> Option<Result<Value, crate::template::FuncError>> {
        None
    }
    fn json_order(&self) -> &'static [&'static str] {
        &["KubeVersion", "APIVersions", "HelmVersion"]
    }
    fn go_struct(&self) -> Option<GoStruct> {
        // A field reached through the struct is a copy to `fmt`: the KubeVersion's `String`
        // (a pointer method) is not found there.
        let kube = self
            .kube_obj
            .passed()
            .unwrap_or(Value::Object(self.kube_obj.clone()));
        Some(GoStruct {
            type_name: if self.helm4 {
                "common.Capabilities"
            } else {
                "chartutil.Capabilities"
            },
            pointer: true,
            stringer: false,
            fields: vec![
                ("KubeVersion", kube),
                ("APIVersions", Value::Object(self.apis_obj.clone())),
                ("HelmVersion", Value::Object(self.helm_obj.clone())),
            ],
        })
    }
    fn to_plain(&self) -> Value {
        // The structs inside stay objects, so each marshals its fields in its own order.
        plain_map(vec![
            ("KubeVersion", Value::Object(self.kube_obj.clone())),
            ("APIVersions", strs(&self.api_versions)),
            ("HelmVersion", Value::Object(self.helm_obj.clone())),
        ])
    }
}

/// `.Chart`: Helm 3's `struct { chart.Metadata; IsRoot bool }`, or the `chart.Metadata` it
/// embeds (`.Chart.Metadata`, a field named after its type).
#[derive(Debug, Clone)]
pub(crate) struct ChartObject {
    /// Chart.yaml.
    pub(crate) meta: Arc<Metadata>,
    /// The name the chart renders under (a dependency's alias replaces the chart's name).
    pub(crate) name: String,
    /// Whether this is the top-level chart; `None` for the embedded `chart.Metadata`.
    pub(crate) is_root: Option<bool>,
}

impl ChartObject {
    fn annotations(&self) -> Value {
        let entries: Entries = self
            .meta
            .annotations
            .iter()
            .map(|(k, v)| (Rc::from(k.as_str()), Value::str(v.as_str())))
            .collect();
        // Without `annotations` in Chart.yaml, Go's map is nil (`toJson` writes `null`).
        Value::Map(Rc::new(std::cell::RefCell::new(MapData::build(|m| {
            m.entries = entries;
            m.elem = ElemType::String;
            m.origin = None;
            m.values_type = None;
            m.nil = !self.meta.annotations_set;
        }))))
    }

    fn maintainers(&self) -> Value {
        super::chart_parts::maintainers(&self.meta)
    }

    fn dependencies(&self) -> Value {
        super::chart_parts::dependencies(&self.meta)
    }
}

impl Object for ChartObject {
    fn type_name(&self) -> &str {
        match self.is_root {
            Some(_) => "struct { chart.Metadata; IsRoot bool }",
            None => "chart.Metadata",
        }
    }
    fn field(&self, name: &str) -> Option<Value> {
        let m = &self.meta;
        let s = |v: &str| Some(Value::str(v));
        match name {
            "Name" => s(&self.name),
            "Home" => s(&m.home),
            "Sources" => Some(strs_or_nil(&m.sources)),
            "Version" => s(&m.version),
            "Description" => s(&m.description),
            "Keywords" => Some(strs_or_nil(&m.keywords)),
            "Maintainers" => Some(self.maintainers()),
            "Icon" => s(&m.icon),
            "APIVersion" => s(&m.api_version),
            "Condition" => s(&m.condition),
            "Tags" => s(&m.tags),
            "AppVersion" => s(&m.app_version),
            "Deprecated" => Some(Value::bool(m.deprecated)),
            "Annotations" => Some(self.annotations()),
            "KubeVersion" => s(&m.kube_version),
            "Dependencies" => Some(self.dependencies()),
            "Type" => s(&m.chart_type),
            "IsRoot" => self.is_root.map(Value::bool),
            // The embedded struct is a field too, named after its type.
            "Metadata" if self.is_root.is_some() => Some(Value::Object(Rc::new(ChartObject {
                is_root: None,
                ..self.clone()
            }))),
            _ => None,
        }
    }
    fn call(&self, _: &str, _: &[Value]) -> Option<Result<Value, crate::template::FuncError>> {
        None
    }
    fn go_struct(&self) -> Option<GoStruct> {
        if let Some(is_root) = self.is_root {
            // The anonymous struct embedding the metadata, a field named after its type.
            let metadata = ChartObject {
                is_root: None,
                ..self.clone()
            };
            return Some(GoStruct {
                type_name: "struct { chart.Metadata; IsRoot bool }",
                pointer: false,
                stringer: false,
                fields: vec![
                    ("Metadata", Value::Object(Rc::new(metadata))),
                    ("IsRoot", Value::bool(is_root)),
                ],
            });
        }
        const FIELDS: &[&str] = &[
            "Name",
            "Home",
            "Sources",
            "Version",
            "Description",
            "Keywords",
            "Maintainers",
            "Icon",
            "APIVersion",
            "Condition",
            "Tags",
            "AppVersion",
            "Deprecated",
            "Annotations",
            "KubeVersion",
            "Dependencies",
            "Type",
        ];
        Some(GoStruct {
            type_name: "chart.Metadata",
            pointer: false,
            stringer: false,
            fields: FIELDS
                .iter()
                .filter_map(|name| Some((*name, self.field(name)?)))
                .collect(),
        })
    }
    fn json_order(&self) -> &'static [&'static str] {
        // chart.Metadata's fields, then the embedding struct's IsRoot.
        const ORDER: &[&str] = &[
            "name",
            "home",
            "sources",
            "version",
            "description",
            "keywords",
            "maintainers",
            "icon",
            "apiVersion",
            "condition",
            "tags",
            "appVersion",
            "deprecated",
            "annotations",
            "kubeVersion",
            "dependencies",
            "type",
            "IsRoot",
        ];
        match self.is_root {
            Some(_) => ORDER,
            None => &ORDER[..ORDER.len() - 1],
        }
    }
    fn to_plain(&self) -> Value {
        let m = &self.meta;
        let mut out: Vec<(&str, Value)> = Vec::new();
        let mut text = |k: &'static str, v: &str| {
            if !v.is_empty() {
                out.push((k, Value::str(v)));
            }
        };
        text("name", &self.name);
        text("home", &m.home);
        text("version", &m.version);
        text("description", &m.description);
        text("icon", &m.icon);
        text("apiVersion", &m.api_version);
        text("condition", &m.condition);
        text("tags", &m.tags);
        text("appVersion", &m.app_version);
        text("kubeVersion", &m.kube_version);
        text("type", &m.chart_type);
        if !m.sources.is_empty() {
            out.push(("sources", strs(&m.sources)));
        }
        if !m.keywords.is_empty() {
            out.push(("keywords", strs(&m.keywords)));
        }
        if m.deprecated {
            out.push(("deprecated", Value::bool(true)));
        }
        if !m.maintainers.is_empty() {
            out.push(("maintainers", self.maintainers()));
        }
        if !m.dependencies.is_empty() {
            out.push(("dependencies", self.dependencies()));
        }
        if !m.annotations.is_empty() {
            out.push(("annotations", self.annotations()));
        }
        if let Some(is_root) = self.is_root {
            out.push(("IsRoot", Value::bool(is_root)));
        }
        plain_map(out)
    }
}

/// `.Release` as `helm template` sets it (`--is-upgrade` swaps the two flags).
pub(crate) fn release(name: &str, namespace: &str, is_upgrade: bool) -> Value {
    plain_map(vec![
        ("Name", Value::str(name)),
        ("Namespace", Value::str(namespace)),
        ("Revision", Value::int(1)),
        ("Service", Value::str("Helm")),
        ("IsUpgrade", Value::bool(is_upgrade)),
        ("IsInstall", Value::bool(!is_upgrade)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_print_like_helm() {
        // `helm template` 3.17.3: {{ .Capabilities.KubeVersion }}, {{ .Capabilities.HelmVersion }}
        let caps = Capabilities::new(None, &[], HelmBuild::V3);
        let kube = caps.field("KubeVersion").unwrap();
        let Value::Object(kube) = kube else { panic!() };
        // An action prints the version (the field's pointer method String); a function given
        // it prints the struct (`quote .Capabilities.KubeVersion`), `.Capabilities` with `&`
        // (an action prints it without: tests/render_probes.rs).
        assert_eq!(kube.print_action().as_deref(), Some("v1.32.0"));
        assert_eq!(kube.fmt_v(), "{v1.32.0 1 32}");
        assert!(caps.fmt_v().starts_with("&{{v1.32.0 1 32} [v1 "));
        assert_eq!(kube.field("Major").unwrap().as_str(), Some("1"));
        assert_eq!(kube.field("Minor").unwrap().as_str(), Some("32"));
        assert_eq!(kube.field("GitVersion").unwrap().as_str(), Some("v1.32.0"));
        assert_eq!(
            HelmVersion(HelmBuild::V3.build_info()).fmt_v(),
            "{v3.17.3 e4da49785aa6e6ee2b86efd5dd9e43400318262b clean go1.23.7}"
        );
        assert_eq!(caps.api_versions.len(), 56);
        let Value::Object(apis) = caps.field("APIVersions").unwrap() else {
            panic!()
        };
        let has = |v: &str| {
            apis.call("Has", &[Value::str(v)])
                .unwrap()
                .unwrap()
                .truthy()
        };
        assert!(has("apps/v1"));
        assert!(has("policy/v1beta1"));
        assert!(!has("monitoring.coreos.com/v1"));
        let more = Capabilities::new(None, &["monitoring.coreos.com/v1".into()], HelmBuild::V3);
        assert!(
            more.api_versions
                .iter()
                .any(|v| v == "monitoring.coreos.com/v1")
        );
    }

    #[test]
    fn chart_prints_like_helm() {
        // {{ .Chart }} of a chart with only apiVersion, name and version.
        let meta = Metadata {
            name: "q".into(),
            version: "0.1.0".into(),
            api_version: "v2".into(),
            ..Metadata::default()
        };
        let c = ChartObject {
            meta: Arc::new(meta),
            name: "q".into(),
            is_root: Some(true),
        };
        assert_eq!(
            c.fmt_v(),
            "{{q  [] 0.1.0  [] []  v2    false map[]  [] } true}"
        );
        assert!(c.field("Nope").is_none());
        assert!(c.field("IsRoot").unwrap().truthy());
    }
}

//! The objects a release defines more than once: two documents that name one Kubernetes object
//! (API group, kind, namespace and name). `helm template` prints both; `helm install` creates
//! the first and fails on the second (`… already exists`), and an upgrade applies both, the
//! later replacing the earlier. Hooks are left out: Helm creates them apart from the release's
//! objects, event by event (a chart may make its pull secret a pre-install hook and an object).

use std::rc::Rc;

use crate::render::Output;
use crate::render::manifest::Manifest;
use crate::template::value::Prov;

/// Kinds of the Kubernetes API (and OpenShift's) whose objects belong to no namespace: a
/// `metadata.namespace` on them names nothing.
const CLUSTER_SCOPED: &[&str] = &[
    "APIService",
    "CSIDriver",
    "CSINode",
    "CertificateSigningRequest",
    "ClusterRole",
    "ClusterRoleBinding",
    "ComponentStatus",
    "CustomResourceDefinition",
    "FlowSchema",
    "IngressClass",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PodSecurityPolicy",
    "PriorityClass",
    "PriorityLevelConfiguration",
    "RuntimeClass",
    "SecurityContextConstraints",
    "StorageClass",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment",
];

/// An object the release's manifests define more than once.
#[derive(Debug, Clone, PartialEq)]
pub struct Repeated {
    /// `Kind/name`.
    pub object: String,
    /// The namespace it lands in (the release's when the manifest names none), `None` for a
    /// cluster-scoped kind.
    pub namespace: Option<String>,
    /// Each definition, in the order Helm installs them.
    pub copies: Vec<Definition>,
}

/// One definition of a repeated object.
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    /// The template that rendered it (`stackstate/charts/kafka/charts/zookeeper/templates/x.yaml`).
    pub template: String,
    /// The values its name was made of (the rest is the template's own text).
    pub name_from: Vec<Rc<Prov>>,
}

impl Definition {
    /// The subchart it belongs to, as the user's values name it (`kafka.zookeeper`); empty for
    /// the top-level chart.
    pub fn subchart(&self) -> Vec<&str> {
        let mut parts = self.template.split('/').skip(1);
        let mut out = Vec::new();
        while parts.next() == Some("charts") {
            match parts.next() {
                Some(name) => out.push(name),
                None => break,
            }
        }
        out
    }
}

/// The objects the release's manifests (hooks aside) define more than once, in install order
/// of their first copy. `namespace` is the release's.
pub fn repeated(output: &Output, namespace: &str) -> Vec<Repeated> {
    let mut seen: crate::fast_hash::FxHashMap<(&str, &str, Option<&str>, &str), usize> =
        Default::default();
    let mut groups: Vec<Vec<&Manifest>> = Vec::new();
    for m in &output.sorted.manifests {
        let id = &m.identity;
        // Kubernetes refuses an object without a name; that is not a clash.
        if id.name.is_empty() || m.kind.is_empty() {
            continue;
        }
        let ns = (!CLUSTER_SCOPED.contains(&m.kind.as_str()))
            .then(|| id.namespace.as_deref().unwrap_or(namespace));
        let key = (id.group(), m.kind.as_str(), ns, id.name.as_str());
        match seen.get(&key) {
            Some(&i) => groups[i].push(m),
            None => {
                seen.insert(key, groups.len());
                groups.push(vec![m]);
            }
        }
    }
    groups
        .into_iter()
        .filter(|g| g.len() > 1)
        .map(|g| {
            let first = g[0];
            Repeated {
                object: format!("{}/{}", first.kind, first.identity.name),
                namespace: (!CLUSTER_SCOPED.contains(&first.kind.as_str())).then(|| {
                    first
                        .identity
                        .namespace
                        .clone()
                        .unwrap_or_else(|| namespace.to_string())
                }),
                copies: g.iter().map(|m| definition(output, m)).collect(),
            }
        })
        .collect()
}

/// A definition, with the values its name's bytes came from.
fn definition(output: &Output, m: &Manifest) -> Definition {
    let mut name_from: Vec<Rc<Prov>> = Vec::new();
    if let (Some(at), Some(buf)) = (&m.identity.name_at, output.files.files.get(&m.path)) {
        let first = buf.segs.partition_point(|s| (s.end as usize) <= at.start);
        for s in buf.segs[first..]
            .iter()
            .take_while(|s| (s.start as usize) < at.end)
        {
            if !name_from.contains(&s.prov) {
                name_from.push(s.prov.clone());
            }
        }
    }
    Definition {
        template: m.path.clone(),
        name_from,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::manifest::Identity;

    #[test]
    fn a_copy_names_its_subchart_as_the_values_do() {
        let copy = |t: &str| Definition {
            template: t.into(),
            name_from: Vec::new(),
        };
        assert_eq!(
            copy("stackstate-k8s/charts/kafka/charts/zookeeper/templates/statefulset.yaml")
                .subchart(),
            ["kafka", "zookeeper"]
        );
        assert!(copy("stackstate/templates/api.yaml").subchart().is_empty());
        // A folder named `charts` in the chart's own templates is no subchart.
        assert!(copy("a/templates/charts/x.yaml").subchart().is_empty());
    }

    #[test]
    fn versions_of_one_api_group_serve_one_object() {
        let group = |v: &str| {
            Identity {
                api_version: v.into(),
                ..Identity::default()
            }
            .group()
            .to_string()
        };
        assert_eq!(group("apps/v1"), "apps");
        assert_eq!(group("policy/v1beta1"), group("policy/v1"));
        assert_eq!(group("v1"), "");
    }
}

//! Image references: registry hosts, public registries, the distribution reference grammar.

use std::sync::OnceLock;

use regex::Regex;

/// Registries anyone can pull from; an air-gapped release must not use them.
pub const PUBLIC_REGISTRIES: &[&str] = &[
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "quay.io",
    "gcr.io",
    "ghcr.io",
    "registry.k8s.io",
    "k8s.gcr.io",
    "public.ecr.aws",
    "mcr.microsoft.com",
    "registry.gitlab.com",
    "docker.elastic.co",
    "nvcr.io",
];

/// Whether the first path component of a reference names a registry host (as Docker decides:
/// it contains a `.` or `:`, or is `localhost`).
pub fn is_host(component: &str) -> bool {
    component.contains('.') || component.contains(':') || component == "localhost"
}

/// Splits a reference into (registry host, rest). No host means Docker Hub.
pub fn split_host(reference: &str) -> (Option<&str>, &str) {
    match reference.split_once('/') {
        Some((first, rest)) if is_host(first) => (Some(first), rest),
        _ => (None, reference),
    }
}

/// The registry a rendered reference is pulled from (`docker.io` when none is named).
pub fn registry_of(reference: &str) -> String {
    split_host(reference)
        .0
        .unwrap_or("docker.io")
        .to_ascii_lowercase()
}

/// Whether a registry host is public (subdomains of gcr.io and friends included).
pub fn is_public(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let host = host.split(':').next().unwrap_or(&host);
    PUBLIC_REGISTRIES
        .iter()
        .any(|p| host == *p || host.ends_with(&format!(".{p}")))
}

/// The distribution reference grammar (docker/distribution `reference.ReferenceRegexp`),
/// lower-case repository, optional tag and digest.
pub fn is_valid_reference(reference: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let alnum = "[a-z0-9]+";
        let sep = "(?:[._]|__|[-]+)";
        let component = format!("{alnum}(?:{sep}{alnum})*");
        let domain_comp = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
        let domain =
            format!(r"(?:{domain_comp}(?:\.{domain_comp})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?");
        let name = format!("(?:{domain}/)?{component}(?:/{component})*");
        let tag = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
        let digest = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
        Regex::new(&format!("^{name}(?::{tag})?(?:@{digest})?$")).expect("valid regex")
    })
    .is_match(reference)
}

/// Whether a reference is pinned by digest.
pub fn has_digest(reference: &str) -> bool {
    reference.contains("@sha256:") || reference.contains("@sha512:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_public_registries() {
        assert_eq!(
            split_host("quay.io/stackstate/minio:x"),
            (Some("quay.io"), "stackstate/minio:x")
        );
        assert_eq!(split_host("justwatch/elasticsearch_exporter:1.1.0").0, None);
        assert_eq!(registry_of("justwatch/x:1"), "docker.io");
        assert!(
            is_public("quay.io") && is_public("eu.gcr.io") && !is_public("registry.example.com")
        );
    }

    #[test]
    fn reference_grammar() {
        assert!(is_valid_reference(
            "quay.io/stackstate/stackstate-server-stable:4.4.0"
        ));
        assert!(is_valid_reference("localhost:5000/a/b:1"));
        assert!(!is_valid_reference("/stackstate/kafka:1"));
        assert!(!is_valid_reference("quay.io/stackstate/kafka:"));
        assert!(!is_valid_reference("Quay.io/Stackstate/kafka:1"));
        assert!(!is_valid_reference("quay.io/stackstate/kafka:<nil>"));
        assert!(!is_valid_reference("https://quay.io/x:1"));
    }
}

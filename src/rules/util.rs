//! Helpers several rules share.

use crate::lint::Context;
use crate::reference;
use crate::resolve::{Image, Part};

/// The private registry the release must pull from, and why: `global.imageRegistry`, else the
/// configured required registry. Without either, nothing says the release is private.
pub fn private_target(cx: &Context) -> Option<(String, &'static str)> {
    if let Some(g) = cx.global_registry() {
        // A public global registry says nothing about a private one.
        let g = as_fixed(&g);
        return (!reference::is_public(&g)).then_some((g, "global.imageRegistry"));
    }
    cx.config
        .required_registry
        .clone()
        .map(|r| (r, "registries.required in the configuration"))
}

/// A registry as SL006's fix writes it (`https://Reg.example/` → `reg.example`): a value the
/// rules build from it (a repository with the host written in) is what the file holds once
/// every fix of the run is applied, and is not built on the malformed text.
pub fn as_fixed(registry: &str) -> String {
    match super::sl006_malformed_registry::diagnose(registry) {
        Some((_, fixed, _)) if !fixed.is_empty() => fixed,
        _ => registry.to_string(),
    }
}

/// The part that decides an image's registry: the registry part, or the repository when the
/// registry is written inside it.
pub fn registry_part(img: &Image) -> &Part {
    img.registry.as_ref().unwrap_or(&img.repository)
}

/// A repository path without its registry host.
pub fn path_without_host(repository: &str) -> &str {
    reference::split_host(repository).1
}

/// `a, b and 3 more`.
pub fn list(items: &[String], max: usize) -> String {
    if items.len() <= max {
        return items.join(", ");
    }
    format!("{} and {} more", items[..max].join(", "), items.len() - max)
}

/// Where the user wrote a part, or the nearest key they did write.
pub fn part_location(cx: &Context, part: &Part) -> Option<crate::source::Span> {
    cx.part_span(part).or_else(|| cx.nearest_written(&part.key))
}

/// The parts of an image that are empty or a printed null, with their names.
pub fn empty_parts(img: &Image) -> Vec<(&'static str, &Part)> {
    let mut parts = Vec::new();
    if let Some(r) = &img.registry
        && (r.text.is_empty() || r.text.contains("(<nil>)"))
    {
        parts.push(("registry", r));
    }
    if img.repository.text.is_empty() {
        parts.push(("repository", &img.repository));
    }
    // A digest alone pins the image: no tag is missing.
    let by_digest =
        img.tag.text.is_empty() && img.tag.key.is_empty() && img.reference.contains('@');
    if (img.tag.text.is_empty() || img.tag.text == "<nil>") && !by_digest {
        parts.push(("tag", &img.tag));
    }
    parts
}

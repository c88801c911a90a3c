//! `images --mirror REGISTRY`: the copy plan to a private registry and the values overrides that
//! make a release pull every image from there.
//!
//! Everything here is a pure function of resolutions. The overrides are checked by resolving the
//! release again with them applied ([`route`] takes that step as a closure), because only the
//! resolver knows which keys still win once `global.imageRegistry` is set.

use std::sync::LazyLock;

use regex::Regex;

use crate::resolve::{Image, RenderFailure, Resolution};
use crate::value::Origin;

/// Rounds of "apply the overrides, resolve again" before giving up. Each round only adds keys no
/// earlier round set (the global registry, then a fallback when a `--set` empties it), so real
/// releases settle in two.
const MAX_ROUNDS: usize = 8;

static HOST: LazyLock<Regex> = LazyLock::new(|| {
    let label = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";
    Regex::new(&format!(
        r"^(?:{label}(?:\.{label})*|\[[0-9A-Fa-f:]+\])(?::[0-9]+)?$"
    ))
    .expect("constant regex")
});
static PATH_COMPONENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$").expect("constant regex")
});
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\w][\w.-]{0,127}$").expect("constant regex"));
static DIGEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$")
        .expect("constant regex")
});
// NOTE: any account id, not just 12 digits: the StackState docs' own example
// (57413481473.dkr.ecr.eu-west-1.amazonaws.com) has 11.
static ECR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[^.]+\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$")
        .expect("constant regex")
});

/// The registry to mirror to: `host[:port][/path]`, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registry {
    text: String,
}

impl Registry {
    /// Validates what the user gave to `--mirror`; the error says what to write instead.
    pub fn parse(text: &str) -> Result<Registry, String> {
        if text.trim().is_empty() {
            return Err("the registry is empty; give a host such as registry.example.com".into());
        }
        if text.chars().any(char::is_whitespace) {
            return Err(format!(
                "`{text}` contains spaces; give the registry host only"
            ));
        }
        if let Some((_, rest)) = text.split_once("://") {
            return Err(format!(
                "`{text}` has a scheme; image references name the registry without one: `{}`",
                rest.trim_end_matches('/')
            ));
        }
        if text.ends_with('/') {
            return Err(format!(
                "`{text}` ends with `/`; the chart adds the `/` itself: `{}`",
                text.trim_end_matches('/')
            ));
        }
        let mut parts = text.split('/');
        let host = parts.next().unwrap_or_default();
        if host.chars().any(|c| c.is_ascii_uppercase()) {
            // Hosts are case-insensitive, but allow-lists, copy plans and caches compare
            // references as text (SL006 refuses the same in a values file).
            return Err(format!(
                "`{text}` has upper case in its host; write it in lower case: `{}`",
                text.replacen(host, &host.to_ascii_lowercase(), 1)
            ));
        }
        if !HOST.is_match(host) {
            return Err(format!(
                "`{host}` is not a registry host (a name or IP address, optionally with :port)"
            ));
        }
        if let Some(bad) = parts.find(|p| !PATH_COMPONENT.is_match(p)) {
            return Err(format!(
                "`{bad}` in `{text}` is not a valid repository path component (lower-case letters, digits, and `.`, `_`, `-` between them)"
            ));
        }
        Ok(Registry { text: text.into() })
    }

    /// The registry as given.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The host part (with port).
    pub fn host(&self) -> &str {
        self.text.split('/').next().unwrap_or(&self.text)
    }

    /// Whether a reference is pulled from this registry.
    pub fn holds(&self, reference: &str) -> bool {
        reference
            .strip_prefix(&self.text)
            .is_some_and(|rest| rest.starts_with('/'))
    }

    /// The AWS region when the registry is Amazon ECR, which does not create repositories on push.
    pub fn ecr_region(&self) -> Option<&str> {
        let host = self.host();
        let host = host.split_once(':').map_or(host, |(h, _)| h);
        ECR.captures(host)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str())
    }

    /// The ECR repository name a destination reference needs (path without host, tag or digest).
    pub fn repository_name<'a>(&self, destination: &'a str) -> &'a str {
        let name = repository_of(destination);
        name.strip_prefix(self.host())
            .and_then(|r| r.strip_prefix('/'))
            .unwrap_or(name)
    }
}

pub use crate::reference::split_host;

/// The reference without tag or digest.
pub fn repository_of(reference: &str) -> &str {
    let name = reference.split_once('@').map_or(reference, |(n, _)| n);
    let slash = name.rfind('/').map_or(0, |i| i + 1);
    match name[slash..].find(':') {
        Some(colon) => &name[..slash + colon],
        None => name,
    }
}

/// Where `copy_images.sh` copies a reference: the same path (source host removed) under `registry`.
pub fn destination(reference: &str, registry: &Registry) -> String {
    let path = split_host(reference).1.trim_start_matches('/');
    format!("{}/{path}", registry.as_str())
}

/// Why a rendered reference cannot be pulled (or copied), if it cannot.
pub fn reference_problem(reference: &str) -> Option<String> {
    if ["<nil>", "<no value>", "%!"]
        .iter()
        .any(|s| reference.contains(s))
    {
        return Some("a null value was printed into it".into());
    }
    let (name, digest) = match reference.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (reference, None),
    };
    let repository = repository_of(name);
    if let Some(tag) = name
        .get(repository.len()..)
        .and_then(|t| t.strip_prefix(':'))
    {
        if tag.is_empty() {
            return Some("the tag is empty".into());
        }
        if !TAG.is_match(tag) {
            return Some(format!("`{tag}` is not a valid tag"));
        }
    }
    if let Some(d) = digest.filter(|d| !DIGEST.is_match(d)) {
        return Some(format!("`{d}` is not a valid digest"));
    }
    if repository.starts_with('/') {
        return Some("the registry is empty".into());
    }
    let (host, path) = split_host(repository);
    if let Some(h) = host.filter(|h| !HOST.is_match(h)) {
        return Some(format!("`{h}` is not a registry host"));
    }
    path.split('/')
        .find(|c| !PATH_COMPONENT.is_match(c))
        .map(|c| format!("`{c}` is not a valid repository name component"))
}

/// Why an override is in the generated values.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// The global registry, read by every image template that reads a registry key.
    Global {
        /// How many images the release has.
        total: usize,
    },
    /// The template reads no global registry: the registry is part of the repository.
    RepositoryHoldsRegistry {
        /// The repository before.
        was: String,
    },
    /// The global registry stays empty (a `--set` outranks the values file), so the template
    /// falls back to this key.
    Fallback,
    /// The template reads no global registry for the image: this key is its registry.
    OwnRegistry,
    /// A switch the chart fails without once its images come from another registry (its
    /// default is `false`; Bitnami's charts refuse images not their own): set to `true`.
    Unlocks,
}

/// One key the generated values set.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// Full dotted values key, from the catalogue.
    pub key: String,
    /// The value to write.
    pub value: String,
    /// Why it is needed.
    pub reason: Reason,
    /// Names of the images it moves.
    pub images: Vec<String>,
}

/// An image the overrides cannot move: a key the values file would set is outranked.
#[derive(Debug, Clone, PartialEq)]
pub struct Blocked {
    /// The component's id.
    pub component: String,
    /// What it still pulls once the overrides are applied.
    pub reference: String,
    /// The key that decides it.
    pub key: String,
    /// What that key would have to be.
    pub wanted: String,
    /// Where the value that wins comes from (a `--set`, in practice).
    pub origin: Option<Origin>,
    /// The image the template printed once the plan set `key`, when that did not put it on the
    /// registry: the key is only a piece of a part (`{{ .account }}.dkr.ecr.…`).
    pub printed: Option<String>,
    /// Where `key` sits, which decides what the plan can do about it.
    pub place: KeyPlace,
    /// For an item of a list or a text: what of the user's value `wanted` replaces there.
    pub replaces: String,
}

/// Where the key that decides a blocked image sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPlace {
    /// A key of its own.
    Own,
    /// An item of a list, which a values file replaces whole.
    ListItem,
    /// Text holding the image among other things (containers as YAML the chart renders with
    /// `tpl`): setting the key would replace all of it.
    Text,
}

/// Whether an image is already pulled from the registry.
fn lands(img: &Image, registry: &Registry) -> bool {
    registry.holds(&img.reference)
}

/// The key (and value) that moves `img` to `registry`, given the keys already overridden;
/// `None` when every key that could move it is overridden already (so something outranks them).
fn key_for(img: &Image, registry: &Registry, have: &[Override]) -> Option<(String, String)> {
    let taken = |k: &str| have.iter().any(|o| o.key == k);
    match &img.registry {
        None => {
            let key = &img.repository.key;
            let path = split_host(&img.repository.text).1.trim_start_matches('/');
            let value = img
                .repository
                .key_value_with(&format!("{}/{path}", registry.as_str()));
            (!key.is_empty() && !taken(key)).then(|| (key.clone(), value))
        }
        Some(part) => {
            // A global registry key the template tried and found empty wins once set, for
            // every image that tries it: `global.imageRegistry` first (the key charts share),
            // then another global one, then the winning key itself (when a global one is
            // outranked or there is none). Each round is checked by resolving again.
            let global = |k: &&String| k.starts_with("global.") && **k != part.key;
            let tried = || part.tried.iter().map(|(k, _)| k);
            // A registry the template wrote itself (`.Values.registry | default
            // "registry.datadoghq.com"`) moves with a registry key it tried and found empty.
            let unset = part
                .tried
                .iter()
                .filter(|(_, set)| !set && part.key.is_empty())
                .map(|(k, _)| k);
            // The shared key is the part's own (the release sets it): it stays the key, before
            // a global key the template read on the way (`dict "image" .Values.global.wait.image`).
            let shared = std::iter::once(&part.key).filter(|k| *k == "global.imageRegistry");
            tried()
                .filter(|k| *k == "global.imageRegistry" && **k != part.key)
                .chain(shared)
                .chain(tried().filter(global))
                .chain(std::iter::once(&part.key))
                .chain(unset)
                .find(|k| !k.is_empty() && !taken(k))
                .map(|k| {
                    // A registry key that holds a path too (`registry: quay.io/org`) keeps it
                    // under the mirror, as every destination keeps its path.
                    let value = match part.text.split_once('/') {
                        Some((_, path)) if *k == part.key && !path.is_empty() => {
                            part.key_value_with(&format!("{}/{path}", registry.as_str()))
                        }
                        _ => registry.as_str().to_string(),
                    };
                    (k.clone(), value)
                })
        }
    }
}

/// One round: the overrides to add for images not yet on `registry`, and the images no new key
/// can move.
fn round(
    res: &Resolution,
    registry: &Registry,
    have: &[Override],
) -> (Vec<Override>, Vec<Blocked>) {
    let mut added: Vec<Override> = Vec::new();
    let mut blocked = Vec::new();
    for img in res.images.iter().filter(|i| !lands(i, registry)) {
        let found = key_for(img, registry, have);
        // The registry or repository part the key decides.
        let part_of = |key: &str| {
            img.registry
                .iter()
                .chain([&img.repository])
                .find(|p| p.key == key)
        };
        if let Some((key, _)) = found.as_ref().filter(|(k, _)| res.in_texts.contains(k)) {
            let part = part_of(key);
            let was = part.map_or(img.reference.as_str(), |p| p.text.as_str());
            blocked.push(Blocked {
                component: img.component.clone(),
                reference: img.reference.clone(),
                key: key.clone(),
                wanted: destination(was, registry),
                origin: part.and_then(|p| p.origin.clone()),
                printed: None,
                place: KeyPlace::Text,
                replaces: was.to_string(),
            });
            continue;
        }
        if let Some((key, value)) = found.as_ref().filter(|(k, _)| res.in_lists.contains(k)) {
            let part = part_of(key);
            // The key may hold the whole reference (`image: busybox:1.36`), tag and all.
            let whole = img.registry.is_none() && img.tag.key == *key;
            let (wanted, replaces) = if whole {
                (destination(&img.reference, registry), img.reference.clone())
            } else {
                (
                    value.clone(),
                    part.map(|p| p.text.clone()).unwrap_or_default(),
                )
            };
            blocked.push(Blocked {
                component: img.component.clone(),
                reference: img.reference.clone(),
                key: key.clone(),
                wanted,
                origin: part.and_then(|p| p.origin.clone()),
                printed: None,
                place: KeyPlace::ListItem,
                replaces,
            });
            continue;
        }
        let Some((key, value)) = found else {
            let (part, wanted) = match &img.registry {
                Some(p) => (p, registry.as_str().to_string()),
                None => (
                    &img.repository,
                    have.iter()
                        .find(|o| o.key == img.repository.key)
                        .map(|o| o.value.clone())
                        .unwrap_or_default(),
                ),
            };
            // The plan set the key, its value won (the part holds it), and the template
            // printed more around it.
            let ours = have.iter().any(|o| o.key == part.key)
                && !wanted.is_empty()
                && part.text.contains(&wanted)
                && part.text != wanted;
            blocked.push(Blocked {
                component: img.component.clone(),
                reference: img.reference.clone(),
                key: part.key.clone(),
                wanted,
                origin: part.origin.clone(),
                printed: ours.then(|| img.reference.clone()),
                place: KeyPlace::Own,
                replaces: String::new(),
            });
            continue;
        };
        if let Some(o) = added.iter_mut().find(|o| o.key == key) {
            if !o.images.contains(&img.name) {
                o.images.push(img.name.clone());
            }
            continue;
        }
        let reason = if img.registry.is_none() {
            Reason::RepositoryHoldsRegistry {
                was: img.repository.key_text().to_string(),
            }
        } else if key.starts_with("global.") {
            Reason::Global {
                total: res.images.len(),
            }
        } else {
            let global = |(k, _): &(String, bool)| k.starts_with("global.");
            if img
                .registry
                .as_ref()
                .is_some_and(|p| p.tried.iter().any(global))
            {
                Reason::Fallback
            } else {
                Reason::OwnRegistry
            }
        };
        added.push(Override {
            key,
            value,
            reason,
            images: vec![img.name.clone()],
        });
    }
    // A global registry set now may reach images whose registry is in their repository too
    // (`default .Values.image.registry .Values.global.imageRegistry` before a repository that
    // names its host): their repositories wait for the release resolved with it, or both
    // would hold the mirror (`mirror/mirror/prometheus/pushgateway`).
    if added
        .iter()
        .any(|o| matches!(o.reason, Reason::Global { .. }))
    {
        added.retain(|o| !matches!(o.reason, Reason::RepositoryHoldsRegistry { .. }));
    }
    (added, blocked)
}

/// The overrides that route a release to `registry`, and the release resolved with them.
#[derive(Debug, Clone)]
pub struct Routing {
    /// Keys to set, in the order found (global first, then catalogue order).
    pub overrides: Vec<Override>,
    /// The release resolved with the overrides applied.
    pub routed: Resolution,
    /// Images still pulled from elsewhere.
    pub blocked: Vec<Blocked>,
}

/// Finds the overrides for `initial`, re-resolving with `resolve` (the release with the overrides
/// as its last values file) until every image lands on `registry` or no key is left to set.
pub fn route<E>(
    initial: &Resolution,
    registry: &Registry,
    mut resolve: impl FnMut(&[Override]) -> Result<Resolution, E>,
) -> Result<Routing, E> {
    let mut overrides: Vec<Override> = Vec::new();
    let mut current = initial.clone();
    for _ in 0..MAX_ROUNDS {
        // Switches the chart now fails without (its default `false`): turned on.
        let unlocks: Vec<Override> = current
            .off_keys
            .iter()
            .filter(|k| !initial.off_keys.contains(k) && !overrides.iter().any(|o| o.key == **k))
            .cloned()
            .map(|key| Override {
                key,
                value: "true".into(),
                reason: Reason::Unlocks,
                images: Vec::new(),
            })
            .collect();
        if !current.failures.is_empty() {
            if unlocks.is_empty() {
                break;
            }
            overrides.extend(unlocks);
            current = resolve(&overrides)?;
            continue;
        }
        let (mut added, mut blocked) = round(&current, registry, &overrides);
        added.extend(unlocks);
        if added.is_empty() {
            // A key that is only a piece of what its template prints moved none of its images:
            // left in, the values would make the release pull an image that exists nowhere.
            let useless = |o: &Override| {
                blocked
                    .iter()
                    .any(|b| b.printed.is_some() && b.key == o.key)
                    && current
                        .images
                        .iter()
                        .filter(|i| o.images.contains(&i.name))
                        .all(|i| !lands(i, registry))
            };
            if overrides.iter().any(useless) {
                overrides.retain(|o| !useless(o));
                current = resolve(&overrides)?;
                for b in &mut blocked {
                    if let Some(i) = current.images.iter().find(|i| i.component == b.component) {
                        b.reference = i.reference.clone();
                    }
                }
            }
            return Ok(Routing {
                overrides,
                routed: unmet(initial, current),
                blocked,
            });
        }
        overrides.extend(added);
        current = resolve(&overrides)?;
    }
    let blocked = current
        .images
        .iter()
        .filter(|i| !lands(i, registry))
        .map(|i| Blocked {
            component: i.component.clone(),
            reference: i.reference.clone(),
            key: i.registry.as_ref().unwrap_or(&i.repository).key.clone(),
            wanted: destination(&i.reference, registry),
            origin: None,
            printed: None,
            place: KeyPlace::Own,
            replaces: String::new(),
        })
        .collect();
    Ok(Routing {
        overrides,
        routed: unmet(initial, current),
        blocked,
    })
}

/// Keys the chart fails without in `routed` (stood in for, or at fault in a failure) that it
/// did not in `initial`: the overrides made the chart want them.
fn wanted_now(initial: &Resolution, routed: &Resolution) -> Vec<String> {
    let wanted = |r: &Resolution| -> Vec<String> {
        r.stood_in
            .iter()
            .cloned()
            .chain(r.failures.iter().map(|f| f.key.clone()))
            .filter(|k| !k.is_empty())
            .collect()
    };
    let before = wanted(initial);
    let mut out: Vec<String> = Vec::new();
    for k in wanted(routed) {
        if !before.contains(&k) && !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

/// `routed` with a failure for each key the chart fails without once the overrides apply that
/// no override sets (the render stood in for it): Helm would not render the release with the
/// plan's values.
fn unmet(initial: &Resolution, mut routed: Resolution) -> Resolution {
    let failing: Vec<String> = routed.failures.iter().map(|f| f.key.clone()).collect();
    for key in wanted_now(initial, &routed) {
        if failing.contains(&key) {
            continue;
        }
        routed.failures.push(RenderFailure {
            kind: crate::resolve::FailureKind::Failed,
            component: "values".into(),
            key: key.clone(),
            null_keys: Vec::new(),
            origin: None,
            message: format!(
                "the chart fails unless `{key}` is set once its images come from another registry; \
                 set it yourself"
            ),
        });
    }
    routed
}

/// What to do with one image.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Copy it.
    Copy,
    /// It is in the registry already.
    Present,
    /// The rendered reference cannot be pulled, so there is nothing to copy.
    InvalidSource {
        /// Why.
        problem: String,
    },
    /// The overrides cannot make the release pull it from the registry (see [`Blocked`]).
    NotRouted,
}

/// One line of the copy plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Copy {
    /// The reference the release pulls now.
    pub source: String,
    /// Where it goes: what the release pulls once the overrides are applied.
    pub destination: String,
    /// Ids of the components using it.
    pub components: Vec<String>,
    /// What to do with it.
    pub status: Status,
}

/// The same container under an object name that changed between the two renders (a test pod
/// named with `randAlphaNum`): the same kind and container, its tag (or repository) from the
/// same key.
fn renamed(img: &Image, routed: &Image) -> bool {
    fn kind_and_container(i: &Image) -> (Option<&str>, &str) {
        let (object, container) = i.component.rsplit_once(':').unwrap_or(("", ""));
        (object.split_once('/').map(|(k, _)| k), container)
    }
    same_keys(img, routed) && kind_and_container(img) == kind_and_container(routed)
}

/// Whether a routed image's tag (or repository) comes from the same key as `img`'s.
fn same_keys(img: &Image, routed: &Image) -> bool {
    let same_key = |a: &str, b: &str| !a.is_empty() && a == b;
    same_key(&img.tag.key, &routed.tag.key) || same_key(&img.repository.key, &routed.repository.key)
}

/// `img` in the routed release: the image of the same container, or, where a pod has two
/// containers of one name (a chart's sidecar list beside its own container), the one whose
/// parts come from the same keys; else the same container under a renamed object.
fn routed_image<'r>(img: &Image, routed: &'r Resolution) -> Option<&'r Image> {
    let mut same = routed
        .images
        .iter()
        .filter(|r| r.component == img.component);
    match (same.next(), same.next()) {
        (Some(only), None) => Some(only),
        (Some(first), Some(second)) => [first, second]
            .into_iter()
            .chain(same)
            .find(|r| same_keys(img, r))
            .or(Some(first)),
        (None, _) => routed.images.iter().find(|r| renamed(img, r)),
    }
}

/// The copy plan: one entry per distinct (source, destination), sorted.
pub fn plan(initial: &Resolution, routing: &Routing, registry: &Registry) -> Vec<Copy> {
    let mut copies: Vec<Copy> = Vec::new();
    for img in &initial.images {
        let routed = routed_image(img, &routing.routed).filter(|r| lands(r, registry));
        let destination = routed.map_or_else(
            || destination(&img.reference, registry),
            |r| r.reference.clone(),
        );
        let status = if lands(img, registry) && img.reference == destination {
            Status::Present
        } else if let Some(problem) = reference_problem(&img.reference) {
            Status::InvalidSource { problem }
        } else if routed.is_none() {
            Status::NotRouted
        } else {
            Status::Copy
        };
        match copies
            .iter_mut()
            .find(|c| c.source == img.reference && c.destination == destination)
        {
            Some(c) => c.components.push(img.component.clone()),
            None => copies.push(Copy {
                source: img.reference.clone(),
                destination,
                components: vec![img.component.clone()],
                status,
            }),
        }
    }
    copies.sort_by(|a, b| (&a.source, &a.destination).cmp(&(&b.source, &b.destination)));
    copies
}

/// The repositories an ECR registry must have before the copies (empty for other registries):
/// every copy the script makes, those the overrides cannot route included (the plan says to
/// write their destination into the list item; a push to a missing repository stopped the
/// script at its first copy).
pub fn ecr_repositories(copies: &[Copy], registry: &Registry) -> Vec<String> {
    if registry.ecr_region().is_none() {
        return Vec::new();
    }
    let mut names: Vec<String> = copies
        .iter()
        .filter(|c| matches!(c.status, Status::Copy | Status::NotRouted))
        .map(|c| registry.repository_name(&c.destination).to_string())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// A release's whole mirror: plan, overrides, and what they cannot fix.
#[derive(Debug, Clone)]
pub struct Mirror {
    /// The copy plan.
    pub copies: Vec<Copy>,
    /// The values overrides.
    pub overrides: Vec<Override>,
    /// Images the overrides cannot move.
    pub blocked: Vec<Blocked>,
    /// Why the release with the overrides would not render (should never happen).
    pub failures: Vec<RenderFailure>,
    /// Repositories to create first (ECR only).
    pub create_repositories: Vec<String>,
    /// The release's own pull secrets that, once the overrides move its images, hold
    /// credentials for none of the registries their pods pull from (found by the caller, which
    /// can render the routed release).
    pub stale_secrets: Vec<crate::lint::pull_secrets::Stale>,
    /// The pull secrets the pods use that the release does not make: they must hold
    /// credentials for the registry, and nothing here can tell whether they do.
    pub outside_secrets: Vec<String>,
    /// Subcharts the values enable that the built-in chart holds only as stand-ins: the real
    /// release deploys them, and their images are in no plan made here (filled by the caller).
    pub left_out: Vec<String>,
}

impl Mirror {
    /// Whether the overrides route every image to the registry: none stays behind, and no
    /// subchart the release deploys was left out of the render.
    pub fn complete(&self) -> bool {
        self.blocked.is_empty() && self.failures.is_empty() && self.left_out.is_empty()
    }
}

/// Plans the mirror of one release: routes it, then lists the copies.
pub fn mirror<E>(
    initial: &Resolution,
    registry: &Registry,
    resolve: impl FnMut(&[Override]) -> Result<Resolution, E>,
) -> Result<Mirror, E> {
    let mut routing = route(initial, registry, resolve)?;
    // What the global key reaches is known once the release is resolved with every override:
    // an image whose template tries the global key before its own chart default landed with it,
    // though the first pass credited that default. Images are counted by name, once each.
    let mut names: Vec<&str> = Vec::new();
    for i in &routing.routed.images {
        if !names.contains(&i.name.as_str()) {
            names.push(&i.name);
        }
    }
    let total = names.len();
    for o in &mut routing.overrides {
        if let Reason::Global { .. } = o.reason {
            let mut reached: Vec<String> = Vec::new();
            for i in &routing.routed.images {
                if i.registry.as_ref().is_some_and(|p| p.key == o.key) && !reached.contains(&i.name)
                {
                    reached.push(i.name.clone());
                }
            }
            if !reached.is_empty() {
                o.images = reached;
                o.reason = Reason::Global { total };
            }
        }
    }
    let copies = plan(initial, &routing, registry);
    let create_repositories = ecr_repositories(&copies, registry);
    Ok(Mirror {
        copies,
        overrides: routing.overrides,
        blocked: routing.blocked,
        failures: routing.routed.failures,
        create_repositories,
        stale_secrets: Vec::new(),
        outside_secrets: Vec::new(),
        left_out: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::Part;

    fn reg(s: &str) -> Registry {
        Registry::parse(s).unwrap()
    }

    fn part(key: &str, text: &str, tried: &[&str]) -> Part {
        Part {
            key: key.into(),
            origin: None,
            value: None,
            text: text.into(),
            tried: tried.iter().map(|k| (k.to_string(), true)).collect(),
        }
    }

    /// An image whose registry comes from `registry_keys` (the winner first non-empty).
    fn image(id: &str, registry: Option<(&str, &str, &[&str])>, repo: (&str, &str)) -> Image {
        let registry = registry.map(|(k, t, tried)| part(k, t, tried));
        let reference = match &registry {
            Some(r) => format!("{}/{}:1", r.text, repo.1),
            None => format!("{}:1", repo.1),
        };
        Image {
            component: id.into(),
            name: id.into(),
            chart: Vec::new(),
            registry,
            repository: part(repo.0, repo.1, &[repo.0]),
            tag: part(&format!("{id}.image.tag"), "1", &[]),
            reference,
            ignores_global: false,
        }
    }

    fn resolution(images: Vec<Image>) -> Resolution {
        Resolution {
            images,
            ..Resolution::default()
        }
    }

    const G: &str = "global.imageRegistry";

    fn kafka(registry_text: &str, winner: &str) -> Image {
        image(
            "kafka",
            Some((winner, registry_text, &[G, "kafka.image.registry"])),
            ("kafka.image.repository", "stackstate/kafka"),
        )
    }

    fn minio(repo: &str) -> Image {
        image("minio", None, ("minio.image.repository", repo))
    }

    #[test]
    fn registry_validation_explains_the_fix() {
        assert!(Registry::parse("registry.example.com").is_ok());
        assert!(Registry::parse("localhost:5000/mirror/sts").is_ok());
        assert!(Registry::parse("10.0.0.1:5000").is_ok());
        let err = |s: &str| Registry::parse(s).unwrap_err();
        assert!(err("https://reg.example.com/").contains("`reg.example.com`"));
        assert!(err("reg.example.com/").contains("ends with `/`"));
        assert!(err("reg example.com").contains("spaces"));
        assert!(err("").contains("empty"));
        assert!(err("reg.example.com/Mirror").contains("`Mirror`"));
        assert!(err("reg.example.com//x").contains("``"));
        assert!(err("Reg.Example.com:5000/Sts").contains("`reg.example.com:5000/Sts`"));
    }

    #[test]
    fn destinations_keep_the_repository_path_like_copy_images() {
        let r = reg("reg.example.com");
        let d = |s: &str| destination(s, &r);
        assert_eq!(
            d("quay.io/stackstate/minio:RELEASE.2021"),
            "reg.example.com/stackstate/minio:RELEASE.2021"
        );
        assert_eq!(
            d("docker.io/bitnami/kafka:x"),
            "reg.example.com/bitnami/kafka:x"
        );
        assert_eq!(
            d("justwatch/elasticsearch_exporter:1.1.0"),
            "reg.example.com/justwatch/elasticsearch_exporter:1.1.0"
        );
        assert_eq!(d("localhost/a/b:1"), "reg.example.com/a/b:1");
        assert_eq!(d("host:5000/a:1"), "reg.example.com/a:1");
        assert_eq!(d("nginx:1"), "reg.example.com/nginx:1");
    }

    #[test]
    fn ecr_hosts_are_recognised() {
        assert_eq!(
            reg("57413481473.dkr.ecr.eu-west-1.amazonaws.com").ecr_region(),
            Some("eu-west-1")
        );
        assert_eq!(
            reg("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/mirror").ecr_region(),
            Some("cn-north-1")
        );
        assert_eq!(reg("registry.example.com").ecr_region(), None);
        assert_eq!(reg("public.ecr.aws").ecr_region(), None);
        let r = reg("1.dkr.ecr.us-east-1.amazonaws.com/mirror");
        assert_eq!(
            r.repository_name("1.dkr.ecr.us-east-1.amazonaws.com/mirror/stackstate/minio:1"),
            "mirror/stackstate/minio"
        );
    }

    #[test]
    fn invalid_references_are_named() {
        assert_eq!(reference_problem("quay.io/stackstate/kafka:2.3.1"), None);
        assert_eq!(
            reference_problem("localhost:5000/a/b@sha256:0123456789abcdef0123456789abcdef"),
            None
        );
        assert_eq!(reference_problem("nginx"), None);
        assert!(reference_problem("minio/minio:").unwrap().contains("empty"));
        assert!(
            reference_problem("/stackstate/kafka:1")
                .unwrap()
                .contains("registry")
        );
        assert!(
            reference_problem("quay.io/stackstate/kafka:<nil>")
                .unwrap()
                .contains("null")
        );
        assert!(
            reference_problem("quay.io/x:2.0210214e+07")
                .unwrap()
                .contains("tag")
        );
        assert!(
            reference_problem("quay.io/Stackstate/x:1")
                .unwrap()
                .contains("Stackstate")
        );
    }

    #[test]
    fn the_global_registry_comes_first_then_the_repositories_that_hold_a_registry() {
        let r = reg("reg.example.com:5000/m");
        let res = resolution(vec![
            kafka("quay.io", "kafka.image.registry"),
            minio("quay.io/stackstate/minio"),
            image(
                "exporter",
                None,
                ("es.exporter.image.repository", "justwatch/es_exporter"),
            ),
        ]);
        let kv = |added: &[Override]| -> Vec<(String, String)> {
            added
                .iter()
                .map(|o| (o.key.clone(), o.value.clone()))
                .collect()
        };
        // The global registry may reach the images whose repository holds a registry too
        // (a chart's `default .image.registry .global.imageRegistry`): they wait a round.
        let (added, blocked) = round(&res, &r, &[]);
        assert!(blocked.is_empty());
        assert_eq!(
            kv(&added),
            [(G.to_string(), "reg.example.com:5000/m".to_string())]
        );
        assert_eq!(added[0].reason, Reason::Global { total: 3 });
        let routed = resolution(vec![
            kafka("reg.example.com:5000/m", G),
            minio("quay.io/stackstate/minio"),
            image(
                "exporter",
                None,
                ("es.exporter.image.repository", "justwatch/es_exporter"),
            ),
        ]);
        let (next, blocked) = round(&routed, &r, &added);
        assert!(blocked.is_empty());
        assert_eq!(
            kv(&next),
            [
                (
                    "minio.image.repository".to_string(),
                    "reg.example.com:5000/m/stackstate/minio".to_string()
                ),
                (
                    "es.exporter.image.repository".to_string(),
                    "reg.example.com:5000/m/justwatch/es_exporter".to_string()
                ),
            ]
        );
    }

    #[test]
    fn images_already_in_the_registry_need_nothing() {
        let r = reg("reg.example.com");
        let res = resolution(vec![
            kafka("reg.example.com", G),
            minio("reg.example.com/stackstate/minio"),
        ]);
        let routing = route(&res, &r, |_| -> Result<Resolution, ()> { unreachable!() }).unwrap();
        assert!(routing.overrides.is_empty() && routing.blocked.is_empty());
        let copies = plan(&res, &routing, &r);
        assert!(copies.iter().all(|c| c.status == Status::Present));
    }

    #[test]
    fn an_outranked_global_registry_falls_back_then_blocks() {
        let r = reg("reg.example.com");
        let initial = resolution(vec![kafka("set.example.com", G)]);
        // The global key is taken by a --set: the file's value never wins.
        let routing = route(&initial, &r, |_| -> Result<Resolution, ()> {
            Ok(initial.clone())
        })
        .unwrap();
        assert_eq!(routing.overrides.len(), 1);
        assert_eq!(routing.blocked.len(), 1);
        assert_eq!(routing.blocked[0].key, G);
        // An empty global registry from a --set: the component's own key is set next.
        let empty = resolution(vec![kafka("quay.io", "kafka.image.registry")]);
        let mut rounds = 0;
        let routing = route(&empty, &r, |ovr| -> Result<Resolution, ()> {
            rounds += 1;
            Ok(if ovr.iter().any(|o| o.key == "kafka.image.registry") {
                resolution(vec![kafka("reg.example.com", "kafka.image.registry")])
            } else {
                empty.clone()
            })
        })
        .unwrap();
        assert_eq!(rounds, 2);
        assert!(routing.blocked.is_empty());
        assert_eq!(routing.overrides[1].key, "kafka.image.registry");
        assert_eq!(routing.overrides[1].reason, Reason::Fallback);
    }

    #[test]
    fn the_plan_follows_the_routed_release_and_flags_what_it_cannot_copy() {
        let r = reg("1.dkr.ecr.eu-west-1.amazonaws.com");
        let mut broken = minio("minio/minio");
        broken.reference = "minio/minio:".into();
        let initial = resolution(vec![broken, kafka("quay.io", G)]);
        let routed = resolution(
            initial
                .images
                .iter()
                .map(|i| Image {
                    reference: destination(&i.reference, &r),
                    ..i.clone()
                })
                .collect(),
        );
        let m = mirror(&initial, &r, |_| -> Result<Resolution, ()> {
            Ok(routed.clone())
        })
        .unwrap();
        let statuses: Vec<_> = m
            .copies
            .iter()
            .map(|c| (&c.source[..], &c.status))
            .collect();
        assert!(matches!(
            statuses[0],
            ("minio/minio:", Status::InvalidSource { .. })
        ));
        assert_eq!(statuses[1], ("quay.io/stackstate/kafka:1", &Status::Copy));
        assert_eq!(m.create_repositories, ["stackstate/kafka"]);
    }

    /// An image the overrides cannot route (a list item's) is still copied by the script, so
    /// its repository is created with the others.
    #[test]
    fn ecr_repositories_cover_the_copies_of_unrouted_images() {
        let r = reg("1.dkr.ecr.eu-west-1.amazonaws.com/sts");
        let copy = |source: &str, destination: &str, status: Status| Copy {
            source: source.into(),
            destination: destination.into(),
            components: vec!["c".into()],
            status,
        };
        let copies = [
            copy(
                "quay.io/stackstate/kafka:1",
                "1.dkr.ecr.eu-west-1.amazonaws.com/sts/stackstate/kafka:1",
                Status::Copy,
            ),
            copy(
                "registry.suse.com/bci/bci-busybox:15.6",
                "1.dkr.ecr.eu-west-1.amazonaws.com/sts/bci/bci-busybox:15.6",
                Status::NotRouted,
            ),
            copy(
                "1.dkr.ecr.eu-west-1.amazonaws.com/sts/stackstate/wait:1",
                "1.dkr.ecr.eu-west-1.amazonaws.com/sts/stackstate/wait:1",
                Status::Present,
            ),
        ];
        assert_eq!(
            ecr_repositories(&copies, &r),
            ["sts/bci/bci-busybox", "sts/stackstate/kafka"]
        );
    }
}

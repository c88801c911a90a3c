//! The images of a rendered release as the image rules see them: one entry per distinct image
//! and deciding keys, each part (registry, repository, tag) with the value that decided it.
//!
//! The render reads images off the manifests, one per container; the rules reason per key the
//! user can change. So containers that pull the same reference through the same keys are one
//! image here (the `wait` init container of ten workloads is one finding, not ten), and the key
//! that decides a part is the value its bytes came from — the user's value when any byte is the
//! user's, else the chart default, else none (text the template wrote itself, which no key moves).

use std::rc::Rc;

use crate::catalog::Catalog;
use crate::release::Release;
use crate::render::images::{self as rendered, PartKind, Source, contains_ascii_nocase};
use crate::resolve::{Image, Part, Resolution};
use crate::template::value::Prov;
use crate::value::Origin;
use crate::version::Version;

/// The images of a render, merged per reference and deciding keys, in render order; named after
/// the built-in catalogue's components where it knows the chart.
pub fn resolution(images: &[rendered::Image], release: &Release) -> Resolution {
    let mut out: Vec<Image> = Vec::new();
    for converted in each(images, release) {
        let same = |o: &Image| {
            o.reference == converted.reference
                && o.repository.key == converted.repository.key
                && o.tag.key == converted.tag.key
                && o.registry.as_ref().map(|p| &p.key)
                    == converted.registry.as_ref().map(|p| &p.key)
        };
        if !out.iter().any(same) {
            out.push(converted);
        }
    }
    let mut in_lists: Vec<String> = Vec::new();
    let mut in_texts: Vec<String> = Vec::new();
    for img in &out {
        for part in img.registry.iter().chain([&img.repository]) {
            if part.key.is_empty() {
                continue;
            }
            if !in_lists.contains(&part.key) && in_list(release, &part.key) {
                in_lists.push(part.key.clone());
            }
            if !in_texts.contains(&part.key) && in_text(release, &part.key) {
                in_texts.push(part.key.clone());
            }
        }
    }
    Resolution {
        images: out,
        in_lists,
        in_texts,
        ..Resolution::default()
    }
}

/// Whether `key`'s value is text that holds more than an image: lines, or a `key: value` pair
/// outside template actions (`extraInitContainers: |` with `- name: …` and `image: …` in it,
/// which the chart renders with `tpl`).
fn in_text(release: &Release, key: &str) -> bool {
    let Some(crate::value::Value::Str(text)) =
        crate::value::lookup(&release.values, key).map(|n| &n.value)
    else {
        return false;
    };
    let text = text.trim();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        literal.push_str(&rest[..open]);
        rest = rest[open..]
            .find("}}")
            .map_or("", |close| &rest[open + close + 2..]);
    }
    literal.push_str(rest);
    text.contains('\n') || literal.contains(": ")
}

/// Whether `key` reaches its value through a list item of the release's values.
fn in_list(release: &Release, key: &str) -> bool {
    use crate::value::Value;
    let path = crate::key_path::KeyPath::parse(key);
    let mut node: Option<&crate::value::Node> = None;
    for (i, k) in path.keys().iter().enumerate() {
        let next = match node.map(|n| &n.value) {
            None if i == 0 => release.values.get(k.as_str()),
            Some(Value::Map(m)) => m.get(k.as_str()),
            Some(Value::Seq(items)) => return k.parse::<usize>().is_ok_and(|n| n < items.len()),
            _ => None,
        };
        let Some(next) = next else {
            return false;
        };
        node = Some(next);
    }
    false
}

/// Every image of a render as the rules see it (one per container, in render order): each part
/// with the key that decided it, named after the built-in catalogue's component where it knows
/// the chart.
pub fn each(images: &[rendered::Image], release: &Release) -> Vec<Image> {
    let version = Version::parse(&release.chart.version).unwrap_or_else(Version::zero);
    let components: Vec<&crate::catalog::Component> = Catalog::builtin()
        .for_chart(&release.chart.name, &version)
        .collect();
    let global =
        match crate::value::lookup(&release.values, "global.imageRegistry").map(|n| &n.value) {
            Some(crate::value::Value::Str(s)) if !s.is_empty() => Some(s.to_ascii_lowercase()),
            _ => None,
        };
    images
        .iter()
        .map(|img| convert(img, release, &components, global.as_deref()))
        .collect()
}

fn convert(
    img: &rendered::Image,
    release: &Release,
    components: &[&crate::catalog::Component],
    global: Option<&str>,
) -> Image {
    let moved = registry_path_moved(img.part(PartKind::Registry), img.part(PartKind::Repository));
    let (registry, repository) = match &moved {
        Some((reg, repo)) => (Some(reg), Some(repo)),
        None => (img.part(PartKind::Registry), img.part(PartKind::Repository)),
    };
    fn deciding(p: Option<&rendered::Part>) -> Option<&Rc<Prov>> {
        p.and_then(|p| decider(&p.sources))
    }
    let same_value = match (deciding(registry), deciding(repository)) {
        (Some(a), Some(b)) => a.user_path == b.user_path,
        // Both the template's text: one part, unless the registry's own text came after a
        // registry key the template tried (`.Values.registry | default "registry.x.com"`).
        (None, None) => registry.is_none_or(|reg| read_like(reg, "registry", release).is_empty()),
        _ => false,
    };
    // A registry written in the same value as the repository (`image: quay.io/x/y`) is part of
    // the repository: the key to change is that one.
    let (registry_part, repo_range) = match (registry, repository) {
        (Some(reg), Some(repo)) if same_value => (None, reg.range.start..repo.range.end),
        (Some(reg), Some(repo)) => (Some(part(img, reg, release)), repo.range.clone()),
        // `/stackstate/x`: the registry printed as nothing.
        (None, Some(repo)) if img.reference.starts_with('/') => (
            Some(unwritten(
                String::new(),
                read_like(repo, "registry", release),
                release,
            )),
            repo.range.start + 1..repo.range.end,
        ),
        (_, Some(repo)) => (None, repo.range.clone()),
        (_, None) => (None, 0..0),
    };
    let mut repository_part = match repository {
        Some(repo) => part(img, repo, release),
        None => empty_part(),
    };
    repository_part.text = img.reference.get(repo_range).unwrap_or("").to_string();
    let tag_part = match (img.part(PartKind::Tag), img.part(PartKind::Digest)) {
        (Some(t), _) => part(img, t, release),
        // A digest alone pins the image: no tag is missing.
        (None, Some(_)) => empty_part(),
        (None, None) => absent_tag(repository, release),
    };
    let component = components
        .iter()
        .find(|c| c.full_key(&c.repository) == repository_part.key);
    let (id, name) = match component {
        Some(c) => (c.id.clone(), c.name.clone()),
        None => (
            format!("{}:{}", img.object, img.container),
            format!("container {} of {}", img.container, img.object),
        ),
    };
    // The registry the reference ends up with did not come from `global.imageRegistry` while
    // it is set, and the user did not choose it either.
    let registry_decider = registry_part.as_ref().unwrap_or(&repository_part);
    let ignores_global = global.is_some_and(|g| {
        crate::reference::registry_of(&img.reference) != g
            && registry_decider.key != "global.imageRegistry"
            && !registry_decider
                .origin
                .as_ref()
                .is_some_and(|o| matches!(o, Origin::File { .. } | Origin::Set { .. }))
    });
    Image {
        component: id,
        name,
        chart: subchart_of(&img.template),
        registry: registry_part,
        repository: repository_part,
        tag: tag_part,
        reference: img.reference.clone(),
        ignores_global,
    }
}

/// A registry value with a path (`global.imageRegistry: mirror.example.com:5000/team`) runs on
/// into the bytes the reference's grammar gives the repository (`team/stackstate/x`): those
/// belong to the registry's value, so the registry part takes them, and the repository starts
/// at the next value (the chart's `stackstate/x`), which decides it. Without this the
/// repository was credited to the registry key and lost its own key and component. `None`:
/// nothing moves (the parts stand as rendered).
fn registry_path_moved(
    registry: Option<&rendered::Part>,
    repository: Option<&rendered::Part>,
) -> Option<(rendered::Part, rendered::Part)> {
    let (reg, repo) = registry.zip(repository)?;
    let from_registry = |s: &Source| {
        s.prov
            .as_ref()
            .zip(reg.sources.last().and_then(|r| r.prov.as_ref()))
            .is_some_and(|(a, b)| a.user_path == b.user_path)
    };
    let moved = repo
        .sources
        .first()
        .filter(|first| reg.exact && repo.exact && from_registry(first))?;
    // The repository starts at the next value; the template's own text between (the `/`)
    // belongs to neither.
    let next = repo.sources[1..]
        .iter()
        .position(|s| s.prov.is_some() && !from_registry(s))?
        + 1;
    let mut reg = reg.clone();
    reg.range.end = moved.range.end;
    reg.sources.push(moved.clone());
    let mut repo = repo.clone();
    repo.range.start = repo.sources[next].range.start;
    repo.sources.drain(..next);
    Some((reg, repo))
}

/// The value that decides a part: the first of the user's, else the first with a provenance.
fn decider(sources: &[Source]) -> Option<&Rc<Prov>> {
    let provs = || sources.iter().filter_map(|s| s.prov.as_ref());
    provs()
        .find(|p| matches!(p.origin, Origin::File { .. } | Origin::Set { .. }))
        .or_else(|| provs().next())
}

fn part(img: &rendered::Image, p: &rendered::Part, release: &Release) -> Part {
    let text = img.text(p).to_string();
    let Some(prov) = decider(&p.sources) else {
        // Text the template wrote itself (`default "quay.io"`): no key decided it, but the
        // keys the template tried first could have.
        let role = match p.kind {
            PartKind::Registry => "registry",
            PartKind::Repository => "repository",
            PartKind::Tag => "tag",
            PartKind::Digest => "digest",
        };
        return unwritten(text, read_like(p, role, release), release);
    };
    let key = crate::key_path::display(&prov.user_path);
    let value =
        crate::value::lookup_path(&release.values, &prov.user_path).map(|n| n.value.clone());
    Part {
        tried: tried(p, &key, release),
        key,
        origin: Some(prov.origin.clone()),
        value,
        text,
    }
}

/// The keys that could have given this part, in the order its template read them: those its
/// template actions read that name the same thing as the deciding key (`…tag` for a tag; a
/// registry key for a registry), with whether each is set. The action that writes an image
/// often writes a whole pod spec, so the other keys it read say nothing about this part.
fn tried(p: &rendered::Part, decider: &str, release: &Release) -> Vec<(String, bool)> {
    let mut out = read_like(p, decider, release);
    if !out.iter().any(|(k, _)| k == decider) {
        out.push((decider.to_string(), true));
    }
    out
}

/// The keys its template read that name the same thing as `decider` (a key, or a part's role
/// such as `registry` when no key decided it; a top-level key of that very name counts).
fn read_like(p: &rendered::Part, decider: &str, release: &Release) -> Vec<(String, bool)> {
    let role = crate::key_path::KeyPath::parse(decider)
        .last()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let decider_registry = role.contains("registry");
    let mut out: Vec<(String, bool)> = Vec::new();
    for path in &p.read {
        let last = path.last().map_or("", |k| &**k);
        // A key the decider's name extends (`repository` before `repositorySuffix`): the
        // template printed both into the part.
        let extended = !last.is_empty()
            && role.len() > last.len()
            && role.is_char_boundary(last.len())
            && role[..last.len()].eq_ignore_ascii_case(last);
        let same = last.eq_ignore_ascii_case(&role)
            || extended
            || (decider_registry && contains_ascii_nocase(last, "registry"));
        if !same {
            continue;
        }
        let k = crate::key_path::display(path);
        if out.iter().any(|(o, _)| *o == k) {
            continue;
        }
        let set = crate::value::lookup_path(&release.values, path).is_some_and(|n| {
            !matches!(&n.value, crate::value::Value::Null)
                && n.value.render().is_none_or(|t| !t.is_empty())
        });
        out.push((k, set));
    }
    out
}

/// A part no value wrote: text of the template's own, or nothing. An empty part is blamed on
/// the key its template tried and found empty (the one the user would set).
fn unwritten(text: String, tried: Vec<(String, bool)>, release: &Release) -> Part {
    // The user's own empty value if they wrote one, else the last key tried (the fallback the
    // template printed), as Go's `default` chains end.
    let unset = || tried.iter().filter(|(_, set)| !set).map(|(k, _)| k);
    let empty = match unset()
        .rfind(|k| user_wrote(k, release))
        .or(unset().next_back())
    {
        Some(k) if text.is_empty() => Some(k.clone()),
        _ => None,
    };
    match empty {
        Some(key) => {
            let node = crate::value::lookup(&release.values, &key);
            Part {
                origin: node.map(|n| n.origin.clone()),
                value: node.map(|n| n.value.clone()),
                key,
                text,
                tried,
            }
        }
        None => Part {
            text,
            tried,
            ..empty_part()
        },
    }
}

/// The tag of a reference that has neither tag nor digest. The runtime pulls `latest`, which is
/// the chart's choice when its template wrote the image without a tag (`image: busybox` in a
/// test pod); when the template read a tag key and found it empty or null, the tag is empty
/// because of that key, and the part is blamed on it as an empty tag is.
fn absent_tag(repository: Option<&rendered::Part>, release: &Release) -> Part {
    let tried: Vec<(String, bool)> = repository
        .map(|r| read_like(r, "tag", release))
        .unwrap_or_default();
    // Only the user's own blank counts: a chart default left empty (`tag: ""` for "the app
    // version") that still yields no tag is the chart's choice, as a literal is.
    if tried.iter().any(|(k, set)| !set && user_wrote(k, release)) {
        return unwritten(String::new(), tried, release);
    }
    Part {
        text: IMPLICIT_TAG.to_string(),
        tried,
        ..empty_part()
    }
}

/// The tag the runtime pulls for a reference that names none.
pub const IMPLICIT_TAG: &str = "latest";

/// Whether the user's files or flags set `key` (to anything, null included).
fn user_wrote(key: &str, release: &Release) -> bool {
    crate::value::lookup(&release.user, key)
        .is_some_and(|n| matches!(n.origin, Origin::File { .. } | Origin::Set { .. }))
}

fn empty_part() -> Part {
    Part {
        key: String::new(),
        origin: None,
        value: None,
        text: String::new(),
        tried: Vec::new(),
    }
}

/// `stackstate/charts/kafka/charts/zookeeper/templates/x.yaml` → `[kafka, zookeeper]`.
fn subchart_of(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut parts = template.split('/').peekable();
    while let Some(p) = parts.next() {
        if p == "charts"
            && let Some(name) = parts.peek()
        {
            out.push(name.to_string());
        }
        if p == "templates" {
            break;
        }
    }
    out
}

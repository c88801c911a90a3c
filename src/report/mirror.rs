//! `images --mirror` output: the copy plan, the values overrides, copy scripts and JSON.

use serde_json::{Value as Json, json};

use crate::cli::MirrorTool;
use crate::escape::sh;
use crate::mirror::{Blocked, Copy, KeyPlace, Mirror, Override, Reason, Registry, Status};
use crate::reference::is_valid_reference;
use crate::release::describe_origin;
use crate::resolve::{Part, Resolution};
use crate::source::Sources;
use crate::value::{Origin, Value};

/// One release's mirror, named as `images` names releases.
pub struct MirrorRelease {
    /// The PATH (or the last -f file) the release is named after.
    pub name: String,
    /// Its plan and overrides.
    pub mirror: Mirror,
}

/// Comments come from values (repository names); keep each on its line.
fn one_line(s: &str) -> String {
    crate::escape::line(s).into_owned()
}

fn quote_yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// The text of a line's flag, if the line needs one.
fn flag(c: &Copy) -> Option<String> {
    match &c.status {
        Status::Copy => None,
        Status::Present => Some("(already there)".into()),
        Status::InvalidSource { problem } => {
            Some(format!("[!] not pullable: {}", one_line(problem)))
        }
        Status::NotRouted => Some("[!] the overrides cannot route it, see the warning".into()),
    }
}

/// Notes under a release's plan (each one line, or a line and an indented list).
fn notes(m: &Mirror, registry: &Registry) -> Vec<String> {
    let mut out = Vec::new();
    for c in &m.copies {
        if let Status::InvalidSource { problem } = &c.status {
            out.push(format!(
                "note: {}: not a pullable image reference ({}); Kubernetes cannot pull it either, so fix the values and plan again",
                one_line(&c.source),
                one_line(problem)
            ));
        }
    }
    if let Some(region) = registry.ecr_region() {
        let mut s = format!(
            "note: {} is Amazon ECR, which does not create repositories on push; create these {} first (`aws ecr create-repository --region {region} --repository-name NAME`; `--format script` does it):",
            registry.host(),
            m.create_repositories.len()
        );
        for r in &m.create_repositories {
            s.push_str("\n  ");
            s.push_str(&one_line(r));
        }
        out.push(s);
    }
    out
}

fn counts(m: &Mirror) -> String {
    let n = |f: fn(&Status) -> bool| m.copies.iter().filter(|c| f(&c.status)).count();
    let copy = n(|s| matches!(s, Status::Copy | Status::NotRouted));
    let mut parts = vec![format!(
        "{copy} image{} to copy",
        if copy == 1 { "" } else { "s" }
    )];
    let present = n(|s| *s == Status::Present);
    if present > 0 {
        parts.push(format!("{present} already there"));
    }
    let flagged = n(|s| matches!(s, Status::InvalidSource { .. }));
    if flagged > 0 {
        parts.push(format!("{flagged} flagged"));
    }
    parts.join(", ")
}

/// The plan for people: aligned `SOURCE -> DESTINATION` lines, flags and notes.
pub fn plan(releases: &[MirrorRelease], chart: &str, registry: &Registry) -> String {
    let mut out = String::new();
    for (i, r) in releases.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let m = &r.mirror;
        out.push_str(&format!(
            "mirror plan: {} ({}) -> {}\n{}\n\n",
            one_line(&r.name),
            one_line(chart),
            registry.as_str(),
            counts(m)
        ));
        let width = m
            .copies
            .iter()
            .map(|c| c.source.chars().count())
            .max()
            .unwrap_or(0);
        for c in &m.copies {
            let pad = width - c.source.chars().count();
            let mut line = format!(
                "{}{} -> {}",
                one_line(&c.source),
                " ".repeat(pad),
                one_line(&c.destination)
            );
            if let Some(f) = flag(c) {
                line.push_str("   ");
                line.push_str(&f);
            }
            out.push_str(&line);
            out.push('\n');
        }
        let notes = notes(m, registry);
        if !notes.is_empty() {
            out.push('\n');
        }
        for n in notes {
            out.push_str(&n);
            out.push('\n');
        }
    }
    out.push_str(
        "\nnext: `--format values` prints the values that make the release pull from there (pass them last with -f); `--format script` prints the copy commands\n",
    );
    out
}

/// `SOURCE -> DESTINATION` for every image to copy, nothing else (notes go to `err`).
pub fn plain(releases: &[MirrorRelease], registry: &Registry) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut notes_out = Vec::new();
    for r in releases {
        if releases.len() > 1 {
            out.push_str(&format!("# {}\n", one_line(&r.name)));
        }
        for c in &r.mirror.copies {
            if matches!(c.status, Status::Copy | Status::NotRouted) {
                out.push_str(&format!(
                    "{} -> {}\n",
                    one_line(&c.source),
                    one_line(&c.destination)
                ));
            }
        }
        notes_out.extend(notes(&r.mirror, registry));
    }
    (out, notes_out)
}

/// An ordered YAML mapping built from dotted keys.
#[derive(Default)]
struct Tree(Vec<(String, Node)>);

enum Node {
    Leaf { value: String, comment: Vec<String> },
    Map(Tree),
}

impl Tree {
    fn insert(&mut self, path: &[&str], value: String, comment: Vec<String>) {
        let Some((first, rest)) = path.split_first() else {
            return;
        };
        let pos = match self.0.iter().position(|(k, _)| k == first) {
            Some(p) => p,
            None => {
                self.0.push(((*first).into(), Node::Map(Tree::default())));
                self.0.len() - 1
            }
        };
        let slot = &mut self.0[pos].1;
        if rest.is_empty() {
            *slot = Node::Leaf { value, comment };
            return;
        }
        // NOTE: a leaf on the way is replaced by a map; catalogue keys never nest that way, and
        // the later (deeper) key is the one the template reads.
        if !matches!(slot, Node::Map(_)) {
            *slot = Node::Map(Tree::default());
        }
        if let Node::Map(t) = slot {
            t.insert(rest, value, comment);
        }
    }

    fn write(&self, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        for (key, node) in &self.0 {
            let key = if key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                key.clone()
            } else {
                quote_yaml(key)
            };
            match node {
                Node::Leaf { value, comment } => {
                    for c in comment {
                        out.push_str(&format!("{pad}# {}\n", one_line(c)));
                    }
                    out.push_str(&format!("{pad}{key}: {value}\n"));
                }
                Node::Map(t) => {
                    out.push_str(&format!("{pad}{key}:\n"));
                    t.write(indent + 2, out);
                }
            }
        }
    }
}

/// `a, b, c` or `a, b and 14 more images`.
fn name_list(names: &[String]) -> String {
    const SHOWN: usize = 3;
    if names.len() <= SHOWN + 1 {
        return one_line(&names.join(", "));
    }
    format!(
        "{} and {} more images",
        one_line(&names[..SHOWN].join(", ")),
        names.len() - SHOWN
    )
}

fn reason_comment(o: &Override, global: &str) -> String {
    let names = name_list(&o.images);
    match &o.reason {
        Reason::Global { total } if o.key == "global.imageRegistry" => format!(
            "Read first by every image template that has a registry key: {} of the release's {total} images.",
            o.images.len()
        ),
        Reason::Global { .. } => format!("{names}: its template reads this registry key first."),
        Reason::RepositoryHoldsRegistry { was } => format!(
            "{names}: the template ignores {global}; the registry is part of this repository (was {}).",
            one_line(was)
        ),
        Reason::Fallback => format!(
            "{names}: {global} stays empty for this release (a --set outranks this file), so the template falls back to this key."
        ),
        Reason::OwnRegistry => {
            format!(
                "{names}: the template reads no global registry for it; this key is its registry."
            )
        }
        Reason::Unlocks => {
            "The chart fails the render with images from another registry unless this is true."
                .into()
        }
    }
}

/// The overrides as YAML, each key under a comment saying why it is needed.
pub fn overrides_yaml(overrides: &[Override]) -> String {
    let global = overrides
        .iter()
        .find(|o| matches!(o.reason, Reason::Global { .. }))
        .map_or("the global registry", |o| o.key.as_str());
    let mut tree = Tree::default();
    for o in overrides {
        let path = crate::key_path::KeyPath::parse(&o.key);
        let path = path.strs();
        // A switch is a YAML boolean; everything else a quoted string.
        let value = match o.reason {
            Reason::Unlocks => o.value.clone(),
            _ => quote_yaml(&o.value),
        };
        tree.insert(&path, value, vec![reason_comment(o, global)]);
    }
    let mut out = String::new();
    tree.write(0, &mut out);
    out
}

/// The values overrides of one release as a whole, commented values file.
pub fn values(name: &str, chart: &str, registry: &Registry, m: &Mirror) -> String {
    let mut out = format!(
        "# Values overrides for {} ({}): pull every image from {}.\n# Generated by `stackstate-lint images --mirror {} --format values`. Pass this file last,\n# after your own values files (helm … -f values.yaml -f THIS_FILE); a --set still outranks it.\n",
        one_line(name),
        one_line(chart),
        registry.as_str(),
        registry.as_str()
    );
    if !m.complete() {
        out.push_str(
            "# INCOMPLETE: some images stay elsewhere whatever this file says; see the warnings.\n",
        );
    }
    if m.overrides.is_empty() {
        let note = if m.complete() {
            format!("every image already pulls from {}", registry.as_str())
        } else {
            "no values key moves the images that stay elsewhere".to_string()
        };
        out.push_str(&format!("# Nothing to override: {note}.\n{{}}\n"));
        return out;
    }
    out.push_str(&overrides_yaml(&m.overrides));
    for path in &m.left_out {
        for line in wrapped(&format!("LEFT OUT: {}.", left_out_text(path)), 98) {
            out.push_str(&format!("# {line}\n"));
        }
    }
    for secret in &m.stale_secrets {
        let text = format!(
            "PULL SECRET: {}.",
            stale_secret_text(secret, registry, None)
        );
        for line in wrapped(&text, 98) {
            out.push_str(&format!("# {line}\n"));
        }
    }
    out
}

/// `text` in lines of at most `width` characters where its words allow.
fn wrapped(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// A POSIX shell script of copy commands (with ECR repositories created first). Every word taken
/// from the input is single-quoted, and a reference outside the image reference grammar refuses
/// the whole script: it would copy something other than what the release pulls.
pub fn script(
    releases: &[MirrorRelease],
    chart: &str,
    registry: &Registry,
    tool: MirrorTool,
) -> Result<String, String> {
    let names: Vec<String> = releases.iter().map(|r| one_line(&r.name)).collect();
    let login = match tool {
        MirrorTool::Skopeo => "skopeo login",
        MirrorTool::Crane => "crane auth login",
    };
    let mut out = format!(
        "#!/bin/sh\n# Copy the images of {} ({}) to {}.\n# Generated by stackstate-lint; log in to both registries first ({login}).\nset -eu\n",
        names.join(", "),
        one_line(chart),
        one_line(registry.as_str())
    );
    let mut repos: Vec<&String> = releases
        .iter()
        .flat_map(|r| &r.mirror.create_repositories)
        .collect();
    repos.sort();
    repos.dedup();
    if let (Some(region), false) = (registry.ecr_region(), repos.is_empty()) {
        let list: Vec<String> = repos.iter().map(|r| sh(r)).collect();
        let region = sh(region);
        out.push_str(&format!(
            "\n# Amazon ECR does not create repositories on push.\nfor repo in {}; do\n  aws ecr describe-repositories --region {region} --repository-names \"$repo\" >/dev/null 2>&1 ||\n    aws ecr create-repository --region {region} --repository-name \"$repo\" >/dev/null\ndone\n",
            list.join(" ")
        ));
    }
    out.push('\n');
    let mut seen: Vec<(&str, &str)> = Vec::new();
    let mut seen_destinations: Vec<(&str, &str)> = Vec::new();
    for (r, c) in releases
        .iter()
        .flat_map(|r| r.mirror.copies.iter().map(move |c| (r, c)))
    {
        if seen.contains(&(c.source.as_str(), c.destination.as_str())) {
            continue;
        }
        seen.push((&c.source, &c.destination));
        let refuse = |what: &str, reference: &str, problem: &str| {
            format!(
                "refusing to write the script: {}: the {what} `{}` is not a valid image reference ({}); fix the values and generate it again",
                one_line(&r.name),
                one_line(reference),
                one_line(problem)
            )
        };
        let line = match &c.status {
            Status::Present => continue,
            Status::InvalidSource { problem } => return Err(refuse("image", &c.source, problem)),
            Status::Copy | Status::NotRouted => {
                if !is_valid_reference(&c.source) {
                    return Err(refuse("image", &c.source, "outside the reference grammar"));
                }
                if !is_valid_reference(&c.destination) {
                    return Err(refuse(
                        "destination",
                        &c.destination,
                        "outside the reference grammar",
                    ));
                }
                let (src, dst) = (Pinned::of(&c.source), Pinned::of(&c.destination));
                let mut line = String::new();
                if let Some((first, _)) = seen_destinations
                    .iter()
                    .find(|(src, dst)| *dst == c.destination && *src != c.source)
                {
                    line.push_str(&format!(
                        "# NOTE: {} is also the copy of {} above: the release pulls both images \
                         from it, and this copy replaces that one.\n",
                        one_line(&c.destination),
                        one_line(first)
                    ));
                }
                seen_destinations.push((&c.source, &c.destination));
                // The destination is named by its tag where it has one (a digest alone names no
                // tag in the mirror); the copy keeps the digest, so `name:tag@digest` pulls.
                line.push_str(&match tool {
                    // skopeo refuses a reference with both a tag and a digest, copies only the
                    // host's platform without --all (a manifest list's digest would change), and
                    // fails rather than change a pinned digest with --preserve-digests.
                    MirrorTool::Skopeo => format!(
                        "skopeo copy --all{} {} {}",
                        if src.digest.is_some() {
                            " --preserve-digests"
                        } else {
                            ""
                        },
                        sh(&format!("docker://{}", src.by_digest())),
                        sh(&format!("docker://{}", dst.by_tag()))
                    ),
                    // crane copies every platform and keeps digests as they are.
                    MirrorTool::Crane => {
                        format!("crane copy {} {}", sh(&c.source), sh(&dst.by_tag()))
                    }
                });
                line
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    Ok(out)
}

/// A reference's name, tag and digest (`name[:tag][@digest]`).
struct Pinned<'r> {
    name: &'r str,
    tag: Option<&'r str>,
    digest: Option<&'r str>,
}

impl<'r> Pinned<'r> {
    fn of(reference: &'r str) -> Pinned<'r> {
        let (named, digest) = match reference.split_once('@') {
            Some((n, d)) => (n, Some(d)),
            None => (reference, None),
        };
        // A `:` after the last `/` starts the tag (one before it is a registry's port).
        let slash = named.rfind('/').map_or(0, |i| i + 1);
        match named[slash..].rfind(':') {
            Some(i) => Pinned {
                name: &named[..slash + i],
                tag: Some(&named[slash + i + 1..]),
                digest,
            },
            None => Pinned {
                name: named,
                tag: None,
                digest,
            },
        }
    }

    /// `name@digest` where there is a digest, else the reference as written.
    fn by_digest(&self) -> String {
        match (self.tag, self.digest) {
            (_, Some(d)) => format!("{}@{d}", self.name),
            (Some(t), None) => format!("{}:{t}", self.name),
            (None, None) => self.name.to_string(),
        }
    }

    /// `name:tag` where there is a tag, else the reference as written.
    fn by_tag(&self) -> String {
        match (self.tag, self.digest) {
            (Some(t), _) => format!("{}:{t}", self.name),
            (None, Some(d)) => format!("{}@{d}", self.name),
            (None, None) => self.name.to_string(),
        }
    }
}

fn status_json(s: &Status) -> (&'static str, Json) {
    match s {
        Status::Copy => ("copy", Json::Null),
        Status::Present => ("present", Json::Null),
        Status::InvalidSource { problem } => ("invalid-source", json!(problem)),
        Status::NotRouted => ("not-routed", Json::Null),
    }
}

fn origin_text(o: Option<&Origin>, sources: &Sources) -> String {
    o.map_or_else(|| "the chart".into(), |o| describe_origin(o, sources))
}

/// Why images stay off the registry, for people: `key` decides all of `refs`.
fn blocked_text(b: &Blocked, refs: &[&str], registry: &Registry, sources: &Sources) -> String {
    let what = match refs {
        [one] => format!("{} stays", one_line(one)),
        [first, ..] => format!("{} images stay (such as {})", refs.len(), one_line(first)),
        [] => "nothing stays".into(),
    };
    match &b.origin {
        Some(o @ Origin::Set { .. }) => format!(
            "`{}` comes from {}, which outranks every values file, so {what} off {}; make it `{}={}` or drop it",
            one_line(&b.key),
            one_line(&describe_origin(o, sources)),
            registry.as_str(),
            one_line(&b.key),
            one_line(&b.wanted)
        ),
        o if b.place == KeyPlace::Text => format!(
            "`{}` ({}) is text the chart renders with the image inside it, so {what} off {}; \
             write `{}` for `{}` in it",
            one_line(&b.key),
            one_line(&origin_text(o.as_ref(), sources)),
            registry.as_str(),
            one_line(&b.wanted),
            one_line(&b.replaces)
        ),
        o if b.place == KeyPlace::ListItem => format!(
            "`{}` ({}) is an item of a list, which a values file replaces whole, so {what} off \
             {}; write `{}` for `{}` there",
            one_line(&b.key),
            one_line(&origin_text(o.as_ref(), sources)),
            registry.as_str(),
            one_line(&b.wanted),
            one_line(&b.replaces)
        ),
        _ if b.key.is_empty() => format!(
            "{what} off {}: the chart's template writes it itself ({}), no values key sets it; \
             have the nodes' container runtime pull its registry from the mirror, or rewrite it \
             with a post-renderer",
            registry.as_str(),
            one_line(&b.component)
        ),
        _ if let Some(printed) = &b.printed => format!(
            "`{}` is only part of the image its template prints: set to `{}`, it gives {}, not \
             an image on {}, so {what} (the plan leaves the key alone); look for a key of the \
             chart that replaces the whole image, or have the nodes' container runtime pull its \
             registry from the mirror",
            one_line(&b.key),
            one_line(&b.wanted),
            one_line(printed),
            registry.as_str()
        ),
        o => format!(
            "`{}` ({}) decides it, and a values file setting it does not move it, so {what} off {}",
            one_line(&b.key),
            one_line(&origin_text(o.as_ref(), sources)),
            registry.as_str()
        ),
    }
}

/// Why one image stays off the registry.
pub fn blocked_message(b: &Blocked, registry: &Registry, sources: &Sources) -> String {
    blocked_text(b, &[&b.reference], registry, sources)
}

/// The warnings of a release whose overrides are incomplete: one per key at fault.
pub fn warnings(m: &Mirror, registry: &Registry, sources: &Sources) -> Vec<String> {
    let mut by_key: Vec<(&Blocked, Vec<&str>)> = Vec::new();
    for b in &m.blocked {
        match by_key.iter_mut().find(|(k, _)| k.key == b.key) {
            Some((_, refs)) => {
                if !refs.contains(&b.reference.as_str()) {
                    refs.push(&b.reference);
                }
            }
            None => by_key.push((b, vec![&b.reference])),
        }
    }
    let mut out: Vec<String> = by_key
        .iter()
        .map(|(b, refs)| blocked_text(b, refs, registry, sources))
        .collect();
    out.extend(
        m.stale_secrets
            .iter()
            .map(|s| stale_secret_text(s, registry, Some(sources))),
    );
    out.extend(m.left_out.iter().map(|path| left_out_text(path)));
    out.extend(m.failures.iter().map(|f| {
        format!(
            "with the mirror overrides Helm would not render the release: `{}`: {}",
            one_line(&f.key),
            one_line(&f.message)
        )
    }));
    out
}

/// A subchart the release deploys that the built-in chart only stands in for, for people.
fn left_out_text(path: &str) -> String {
    format!(
        "these values deploy the `{}` subchart, which the built-in chart holds only as a \
         stand-in: its images are in no plan made here, and the release pulls them from \
         where the real subchart says; switch it off if you do not deploy it, or plan with \
         --chart and the chart `helm pull` fetches",
        one_line(path)
    )
}

/// A pull secret the mirrored release still makes for the old registry, for people: which
/// key to change, and that a list is replaced whole (`sources`: to say where the key is).
fn stale_secret_text(
    s: &crate::lint::pull_secrets::Stale,
    registry: &Registry,
    sources: Option<&Sources>,
) -> String {
    let registries: Vec<String> = s
        .registries
        .iter()
        .map(|r| format!("`{}`", one_line(r)))
        .collect();
    let users = match s.users.len() {
        1 => format!("`{}` pulls", one_line(&s.users[0])),
        n => format!("the {n} workloads that use it pull"),
    };
    let mut text = format!(
        "the pull secret `{}` holds credentials for {} only; with these values {users} from {}, \
         which it does not authenticate",
        one_line(&s.name),
        registries.join(", "),
        registry.host()
    );
    match s.from.first() {
        Some(p) => {
            let key = crate::key_path::display(&p.user_path);
            let at = match (sources, &p.origin) {
                (Some(sources), o @ Origin::File { .. }) => {
                    format!(" ({})", one_line(&describe_origin(o, sources)))
                }
                _ => String::new(),
            };
            text.push_str(&format!(
                ": if the mirror needs credentials, set `{}`{at} to `{}` in your values",
                one_line(&key),
                registry.host()
            ));
            if let Some(list) = crate::lint::pull_secrets::list_holding(&p.user_path) {
                text.push_str(&format!(
                    " (`{}` is a list, which a values file replaces whole: these values leave it \
                     alone)",
                    one_line(&list)
                ));
            }
        }
        None => text.push_str(&format!(
            ": if the mirror needs credentials, give the secret credentials for `{}`",
            registry.host()
        )),
    }
    text
}

/// Tags written as YAML numbers or booleans that Helm prints differently (`tag: 4.10` → `4.1`):
/// the plan copies what Helm would pull, but the user almost surely meant what they wrote.
pub fn retyped_tags(resolution: &Resolution, sources: &Sources) -> Vec<String> {
    let mut by_key: Vec<(&Part, String, Vec<&str>)> = Vec::new();
    for img in &resolution.images {
        let part = &img.tag;
        let (Some(Origin::File { value, .. }), Some(Value::Float(_) | Value::Bool(_))) =
            (&part.origin, &part.value)
        else {
            continue;
        };
        let raw = sources.slice(*value).trim().to_string();
        if raw == part.text || raw.starts_with('*') {
            continue;
        }
        match by_key.iter_mut().find(|(p, _, _)| p.key == part.key) {
            Some((_, _, refs)) => refs.push(&img.reference),
            None => by_key.push((part, raw, vec![&img.reference])),
        }
    }
    by_key
        .into_iter()
        .map(|(part, raw, refs)| {
            let at = part
                .origin
                .as_ref()
                .map(|o| describe_origin(o, sources))
                .unwrap_or_default();
            let what = match refs.as_slice() {
                [one] => one_line(one),
                [first, ..] => format!("{} images such as {}", refs.len(), one_line(first)),
                [] => String::new(),
            };
            let kind = part.value.as_ref().map_or("number", Value::type_name);
            format!(
                "`{}: {raw}` ({at}) is a YAML {kind} that Helm renders as `{}`, so the plan copies {what}, as Helm would pull; if you meant {raw}, quote it (`\"{raw}\"`) and plan again",
                part.key, part.text
            )
        })
        .collect()
}

/// Versioned JSON: the plan and the overrides of every release.
pub fn json(
    releases: &[MirrorRelease],
    chart: (&str, &str, &str),
    registry: &Registry,
    sources: &Sources,
) -> String {
    let doc = json!({
        "version": 1,
        "tool": {"name": "stackstate-lint", "version": env!("CARGO_PKG_VERSION")},
        "chart": {"name": chart.0, "version": chart.1, "label": chart.2},
        "registry": registry.as_str(),
        "ecr_region": registry.ecr_region(),
        "releases": releases.iter().map(|r| {
            let m = &r.mirror;
            json!({
                "name": r.name,
                "complete": m.complete(),
                "copies": m.copies.iter().map(|c| {
                    let (status, note) = status_json(&c.status);
                    json!({
                        "source": c.source,
                        "destination": c.destination,
                        "components": c.components,
                        "status": status,
                        "note": note,
                    })
                }).collect::<Vec<_>>(),
                "create_repositories": m.create_repositories,
                "overrides": m.overrides.iter().map(|o| json!({
                    "key": o.key,
                    "value": o.value,
                    "reason": match o.reason {
                        Reason::Global { .. } => "global-registry",
                        Reason::RepositoryHoldsRegistry { .. } => "registry-in-repository",
                        Reason::Fallback => "global-registry-outranked",
                        Reason::OwnRegistry => "registry-key",
                        Reason::Unlocks => "chart-requires",
                    },
                    "images": o.images,
                })).collect::<Vec<_>>(),
                "values": values(&r.name, chart.2, registry, m),
                "stale_pull_secrets": m.stale_secrets.iter().map(|s| json!({
                    "secret": s.name,
                    "registries": s.registries,
                    "keys": s.from.iter().map(|p| crate::key_path::display(&p.user_path)).collect::<Vec<_>>(),
                    "workloads": s.users,
                    "message": stale_secret_text(s, registry, Some(sources)),
                })).collect::<Vec<_>>(),
                "left_out": m.left_out.iter().map(|path| json!({
                    "subchart": path,
                    "message": left_out_text(path),
                })).collect::<Vec<_>>(),
                "unroutable": m.blocked.iter().map(|b| json!({
                    "component": b.component,
                    "reference": b.reference,
                    "key": b.key,
                    "message": blocked_message(b, registry, sources),
                })).collect::<Vec<_>>(),
            })
        }).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

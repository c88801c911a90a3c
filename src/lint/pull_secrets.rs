//! The image pull secrets a release makes itself (`kubernetes.io/dockerconfigjson` and
//! `kubernetes.io/dockercfg` Secrets among its manifests), and whether the pods that use them
//! pull from a registry they hold credentials for.
//!
//! A chart that makes its pull secret from the values (`pull-secret.credentials[].registry`)
//! names the registry apart from the images' own keys: move the images (a mirror, a new
//! `global.imageRegistry`) and the secret still authenticates the old host. The kubelet then
//! pulls from the new one with no credentials, and every pod fails with `ImagePullBackOff`.
//! Nothing here knows a chart: the Secrets, the pods' `imagePullSecrets` (their own and their
//! service account's) and the images are read off the rendered manifests, and the registry is
//! matched as the kubelet matches it.

use std::rc::Rc;

use crate::release::Release;
use crate::render::Output;
use crate::render::images::{Image, Object};
use crate::render::manifest::Manifest;
use crate::template::value::Prov;
use crate::value::{Node, Value};

/// A pull secret of the release that no pod using it can use: it authenticates none of the
/// registries they pull from.
#[derive(Debug, Clone, PartialEq)]
pub struct Stale {
    /// `metadata.name`.
    pub name: String,
    /// The registries it holds credentials for, as its `auths` name them.
    pub registries: Vec<String>,
    /// The values those names were made of, each once, the user's first.
    pub from: Vec<Rc<Prov>>,
    /// The objects whose pods use it (`StatefulSet/x`), in manifest order.
    pub users: Vec<String>,
    /// The registries those pods pull from, each once, in image order.
    pub pulled: Vec<String>,
}

/// The list a key path runs through (`pull-secret.credentials` of
/// `pull-secret.credentials.0.registry`), which a values file that sets it replaces whole.
pub fn list_holding(path: &[Rc<str>]) -> Option<String> {
    let index = path
        .iter()
        .position(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()))?;
    Some(crate::key_path::display(&path[..index]))
}

/// One pull secret as rendered.
struct Secret<'m> {
    name: String,
    registries: Vec<String>,
    manifest: &'m Manifest,
}

/// The pull secrets of `output` that authenticate none of the registries the pods using them
/// pull from (`images`: the render's containers). Cheap when the release makes no pull secret:
/// no document is read unless one names a Docker config.
pub fn stale(release: &Release, output: &Output, images: &[Image]) -> Vec<Stale> {
    let manifests = installed(output);
    let mut secrets: Vec<Secret> = Vec::new();
    for m in &manifests {
        if m.kind != "Secret"
            || !m.content.contains("dockercfg") && !m.content.contains("dockerconfigjson")
        {
            continue;
        }
        for root in load(&m.content) {
            let name = str_at(&root, &["metadata", "name"]).unwrap_or_default();
            let registries = registries(&root);
            // A hook copy of the same secret (made for the hooks that run before it exists).
            if registries.is_empty() || secrets.iter().any(|s| s.name == name) {
                continue;
            }
            secrets.push(Secret {
                name: name.to_string(),
                registries,
                manifest: m,
            });
        }
    }
    if secrets.is_empty() {
        return Vec::new();
    }
    let users = users(&manifests);
    let mut out = Vec::new();
    for s in secrets {
        let mut objects: Vec<String> = Vec::new();
        let mut pulled: Vec<String> = Vec::new();
        let mut served = false;
        for (object, names) in &users {
            if !names.contains(&s.name) {
                continue;
            }
            let mine = images.iter().filter(|i| i.object == *object);
            let mut any = false;
            for i in mine {
                any = true;
                served |= s.registries.iter().any(|r| authenticates(r, &i.reference));
                let host = crate::reference::registry_of(&i.reference);
                if !pulled.contains(&host) {
                    pulled.push(host);
                }
            }
            let shown = object.to_string();
            if any && !objects.contains(&shown) {
                objects.push(shown);
            }
        }
        if served || objects.is_empty() {
            continue;
        }
        let from = made_of(release, output, s.manifest, &s.registries);
        out.push(Stale {
            name: s.name,
            registries: s.registries,
            from,
            users: objects,
            pulled,
        });
    }
    out
}

/// The pull secrets the release's pods use that it does not make itself (made beforehand, by
/// hand or by another tool), each once, in manifest order.
pub fn made_elsewhere(output: &Output) -> Vec<String> {
    let manifests = installed(output);
    let made: Vec<String> = manifests
        .iter()
        .filter(|m| m.kind == "Secret")
        .flat_map(|m| load(&m.content))
        .filter_map(|root| str_at(&root, &["metadata", "name"]).map(str::to_string))
        .collect();
    let mut out: Vec<String> = Vec::new();
    for (_, names) in users(&manifests) {
        for n in names {
            if !made.contains(&n) && !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// The documents an install creates: objects and hooks, tests aside.
fn installed(output: &Output) -> Vec<&Manifest> {
    output
        .sorted
        .manifests
        .iter()
        .chain(&output.sorted.hooks)
        .filter(|m| !m.is_test)
        .collect()
}

/// The registries a Docker config Secret holds credentials for: the keys of `auths` in
/// `.dockerconfigjson`, or of `.dockercfg` itself, from `data` (base64) or `stringData`.
fn registries(root: &Node) -> Vec<String> {
    let (field, nested) = match str_at(root, &["type"]) {
        Some("kubernetes.io/dockerconfigjson") => (".dockerconfigjson", true),
        Some("kubernetes.io/dockercfg") => (".dockercfg", false),
        _ => return Vec::new(),
    };
    let text = match (
        str_at(root, &["stringData", field]),
        str_at(root, &["data", field]),
    ) {
        (Some(plain), _) => plain.as_bytes().to_vec(),
        (None, Some(encoded)) => {
            match crate::template::funcs::sprig_encoding::base64_decode(encoded.trim().as_bytes()) {
                Ok(bytes) => bytes,
                Err(_) => return Vec::new(),
            }
        }
        (None, None) => return Vec::new(),
    };
    let Ok(serde_json::Value::Object(doc)) = serde_json::from_slice::<serde_json::Value>(&text)
    else {
        return Vec::new();
    };
    if nested {
        match doc.get("auths") {
            Some(serde_json::Value::Object(a)) => a.keys().cloned().collect(),
            _ => Vec::new(),
        }
    } else {
        doc.keys().cloned().collect()
    }
}

/// Per object with pods, the pull secrets they use: the pod spec's `imagePullSecrets` and
/// those of the service account it runs as.
fn users(manifests: &[&Manifest]) -> Vec<(Object, Vec<String>)> {
    let mut accounts: Vec<(String, Vec<String>)> = Vec::new();
    for m in manifests {
        if m.kind == "ServiceAccount" && m.content.contains("imagePullSecrets") {
            for root in load(&m.content) {
                let name = str_at(&root, &["metadata", "name"]).unwrap_or_default();
                let map = root.as_map();
                accounts.push((name.to_string(), map.map(secret_names).unwrap_or_default()));
            }
        }
    }
    let mut out: Vec<(Object, Vec<String>)> = Vec::new();
    for m in manifests {
        let named = m.content.contains("imagePullSecrets");
        if !named && (accounts.is_empty() || !m.content.contains("serviceAccount")) {
            continue;
        }
        for root in load(&m.content) {
            let kind = str_at(&root, &["kind"]).unwrap_or_default();
            let object = Object {
                parent: None,
                kind: kind.to_string(),
                name: str_at(&root, &["metadata", "name"])
                    .unwrap_or_default()
                    .to_string(),
            };
            for spec in crate::render::images::pod_specs(kind, &root) {
                let mut names = secret_names(spec);
                let account = ["serviceAccountName", "serviceAccount"]
                    .iter()
                    .find_map(|k| match spec.get(*k).map(|n| &n.value) {
                        Some(Value::Str(s)) if !s.is_empty() => Some(s.as_str()),
                        _ => None,
                    })
                    .unwrap_or("default");
                if let Some((_, more)) = accounts.iter().find(|(n, _)| n == account) {
                    names.extend(more.iter().cloned());
                }
                match out.iter_mut().find(|(o, _)| *o == object) {
                    Some((_, all)) => all.extend(names),
                    None => out.push((object.clone(), names)),
                }
            }
        }
    }
    out
}

/// The names of a pod spec's (or service account's) `imagePullSecrets`.
fn secret_names(map: &crate::value::Map) -> Vec<String> {
    let Some(Value::Seq(items)) = map.get("imagePullSecrets").map(|n| &n.value) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|i| str_at(i, &["name"]).map(str::to_string))
        .collect()
}

/// The values the secret's registries were made of: what its template read whose value is
/// one of the names. (The engine follows values into the bytes they print, not through
/// `toJson | b64enc`; the read log says which keys the template used.)
fn made_of(
    release: &Release,
    output: &Output,
    manifest: &Manifest,
    registries: &[String],
) -> Vec<Rc<Prov>> {
    let files = &output.files;
    let Some(range) = files.read_ranges.get(&manifest.path) else {
        return Vec::new();
    };
    let mut found: Vec<Rc<Prov>> = Vec::new();
    for read in files.reads.get(range.clone()).unwrap_or(&[]) {
        let path = read.path();
        let Some(node) = crate::value::lookup_through_lists(&release.values, &path) else {
            continue;
        };
        let Value::Str(text) = &node.value else {
            continue;
        };
        if !registries.iter().any(|r| r == text) || found.iter().any(|p| p.user_path == path) {
            continue;
        }
        found.push(Rc::new(Prov {
            path: path.clone(),
            user_path: path,
            origin: node.origin.clone(),
        }));
    }
    // The user's values first: a chart default only fills in where they wrote none.
    found.sort_by_key(|p| matches!(p.origin, crate::value::Origin::Chart(_)));
    found
}

/// Whether a credential for `key` (an `auths` key of a Docker config) is offered for pulling
/// `reference`, as the kubelet decides (`credentialprovider` keyring): the key's scheme and a
/// leading `/v1/` or `/v2/` of its path dropped; the same port; the same number of host labels,
/// each matching as a glob (`*.example.com`); the key's path a prefix of the image's.
pub fn authenticates(key: &str, reference: &str) -> bool {
    let key = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    let (key_host, key_path) = match key.find('/') {
        Some(i) => (&key[..i], &key[i..]),
        None => (key, ""),
    };
    let key_path = match key_path.get(..4) {
        Some("/v1/" | "/v2/") => &key_path[3..],
        _ => key_path,
    };
    let key_path = if key_path == "/" { "" } else { key_path };
    let (image_host, image_path) = image_location(reference);
    let (key_host, image_host) = (docker_hub(key_host), docker_hub(&image_host));
    let (kh, kp) = split_port(key_host);
    let (ih, ip) = split_port(image_host);
    if kp != ip || !image_path.starts_with(key_path) {
        return false;
    }
    let (kl, il): (Vec<&str>, Vec<&str>) = (kh.split('.').collect(), ih.split('.').collect());
    kl.len() == il.len() && kl.iter().zip(&il).all(|(k, i)| glob(k, i))
}

/// The host and `/path` of an image, without tag or digest (`docker.io` for Docker Hub's, whose
/// one-part names are under `library/`).
fn image_location(reference: &str) -> (String, String) {
    let name = reference.split('@').next().unwrap_or(reference);
    let name = match name.rfind(':') {
        Some(i) if !name[i..].contains('/') => &name[..i],
        _ => name,
    };
    match crate::reference::split_host(name) {
        (Some(host), rest) => (host.to_string(), format!("/{rest}")),
        (None, rest) if rest.contains('/') => ("docker.io".into(), format!("/{rest}")),
        (None, rest) => ("docker.io".into(), format!("/library/{rest}")),
    }
}

/// Docker Hub's other names, as one.
fn docker_hub(host: &str) -> &str {
    match host {
        "index.docker.io" | "registry-1.docker.io" => "docker.io",
        other => other,
    }
}

fn split_port(host: &str) -> (&str, &str) {
    match host.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => (h, p),
        _ => (host, ""),
    }
}

/// Go's `filepath.Match` for one host label: `*` any run, `?` one character; other text as is.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // Positions to resume at after the last `*`: linear, so no label can make it slow.
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some(pi);
                mark = ti;
                pi += 1;
            }
            Some(&c) if c == '?' || c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some(s) => {
                    pi = s + 1;
                    mark += 1;
                    ti = mark;
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

fn str_at<'n>(node: &'n Node, path: &[&str]) -> Option<&'n str> {
    match &node.get_path(path)?.value {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

/// The documents of a manifest (one, as the sort split them).
fn load(text: &str) -> Vec<Node> {
    let limits = crate::yaml::Limits {
        max_bytes: usize::MAX,
        ..crate::yaml::Limits::default()
    };
    crate::yaml::load(crate::source::FileId(u32::MAX), text, &limits)
        .map(|f| f.documents)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::authenticates;

    #[test]
    fn credentials_match_registries_as_the_kubelet_matches_them() {
        let yes = [
            ("mirror.corp.example", "mirror.corp.example/stackstate/x:1"),
            (
                "https://mirror.corp.example",
                "mirror.corp.example/a/b@sha256:00",
            ),
            ("https://mirror.corp.example/v2/", "mirror.corp.example/a:1"),
            ("reg.example:5000/sts", "reg.example:5000/sts/x:1"),
            ("*.corp.example", "mirror.corp.example/x:1"),
            ("https://index.docker.io/v1/", "busybox:1"),
            ("docker.io/library", "busybox"),
            ("docker.io", "docker.io/bitnami/x:1"),
        ];
        for (key, image) in yes {
            assert!(authenticates(key, image), "{key} should serve {image}");
        }
        let no = [
            (
                "mirror.corp.example",
                "registry.mirror.example:5000/sts/x:1",
            ),
            ("reg.example:5000", "reg.example/x:1"),
            ("reg.example", "reg.example:5000/x:1"),
            ("reg.example:5000/sts", "reg.example:5000/other/x:1"),
            ("*.example", "mirror.corp.example/x:1"),
            ("quay.io", "busybox:1"),
        ];
        for (key, image) in no {
            assert!(!authenticates(key, image), "{key} should not serve {image}");
        }
    }
}

//! From rendered files to `helm template`'s output (`pkg/releaseutil`, `pkg/action`,
//! `cmd/helm/template.go`): files split into documents, each document's head read as YAML (a
//! document that does not parse fails the release, with Helm's message), hooks told apart,
//! everything sorted by kind in install order, and printed with `# Source:` lines.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::source::FileId;
use crate::value::{Node, Value};
use crate::yaml;

/// Helm 3.17's `releaseutil.InstallOrder`.
pub(crate) const INSTALL_ORDER: &[&str] = &INSTALL_ORDER_V3;

const INSTALL_ORDER_V3: [&str; 36] = [
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
];

/// `InstallOrder` of the Helm release `build`: Helm 4's, or 3.17's without the kinds a Helm 3
/// before it lacked (`SecretList` came with 3.3.0, `IngressClass` with 3.8.1, `PriorityClass`
/// with 3.12.3; Helm 3.0.x also had `ServiceAccount` after `PersistentVolumeClaim`, not kept).
pub(crate) fn install_order(
    build: crate::helm_build::HelmBuild,
) -> std::borrow::Cow<'static, [&'static str]> {
    const ADDED: [(&str, (u8, u8, u16)); 3] = [
        ("SecretList", (3, 3, 0)),
        ("IngressClass", (3, 8, 1)),
        ("PriorityClass", (3, 12, 3)),
    ];
    if build.is_helm4() {
        return std::borrow::Cow::Borrowed(INSTALL_ORDER_V4);
    }
    let lacks = |kind: &&str| {
        ADDED
            .iter()
            .any(|(k, since)| k == kind && !build.since(*since))
    };
    if !INSTALL_ORDER.iter().any(lacks) {
        return std::borrow::Cow::Borrowed(INSTALL_ORDER);
    }
    std::borrow::Cow::Owned(
        INSTALL_ORDER
            .iter()
            .copied()
            .filter(|k| !lacks(k))
            .collect(),
    )
}

/// Helm 4's `InstallOrder`: Helm 3's, then the admission webhooks (Helm 4.1.4's
/// `pkg/release/v1/util/kind_sorter.go`).
pub(crate) const INSTALL_ORDER_V4: &[&str] = &install_order_v4();

const fn install_order_v4() -> [&'static str; 38] {
    let mut out = [""; 38];
    let mut i = 0;
    while i < INSTALL_ORDER_V3.len() {
        out[i] = INSTALL_ORDER_V3[i];
        i += 1;
    }
    out[36] = "MutatingWebhookConfiguration";
    out[37] = "ValidatingWebhookConfiguration";
    out
}

/// Hook events Helm knows (`helm.sh/hook` values); a document naming another is dropped.
pub(crate) const HOOK_EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
    "test-success",
];

/// One document of the output.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Manifest {
    /// The template it came from (`stackstate/templates/x.yaml`).
    pub(crate) path: String,
    /// The document, trimmed.
    pub(crate) content: String,
    /// Its `kind`.
    pub(crate) kind: String,
    /// Where the document starts in its template's output.
    pub(crate) offset: usize,
    /// A hook with the `test` (or `test-success`) event.
    pub(crate) is_test: bool,
    /// Which Kubernetes object it is (empty for CRD files, which Helm does not read).
    pub(crate) identity: Identity,
}

/// What names a document's object in the cluster, as its head reads it: the API group (from
/// `apiVersion`), `kind`, `metadata.namespace` and `metadata.name`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Identity {
    /// `apiVersion`.
    pub(crate) api_version: String,
    /// `metadata.name`.
    pub(crate) name: String,
    /// `metadata.namespace`, when it is written as a scalar.
    pub(crate) namespace: Option<String>,
    /// Where the name's scalar is, in the bytes of the template's output.
    pub(crate) name_at: Option<Range<usize>>,
}

impl Identity {
    /// The API group: `apps` of `apps/v1`, empty for the core group (`v1`). Versions of one
    /// group serve the same objects.
    pub(crate) fn group(&self) -> &str {
        self.api_version
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
    }
}

/// How Helm's `SplitManifests` leaves each document: trimmed at both ends (Helm 3, and Helm 4
/// before 4.2), or at its start only (4.2, helm/helm #31952: the last document of a file keeps
/// its line breaks, so `helm template` prints a blank line after it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DocEnds {
    Trimmed,
    Kept,
}

impl DocEnds {
    pub(crate) fn of(build: crate::helm_build::HelmBuild) -> DocEnds {
        if build.since((4, 2, 0)) {
            DocEnds::Kept
        } else {
            DocEnds::Trimmed
        }
    }
}

/// Helm's `SplitManifests`: documents separated by `---` at a line start (whatever follows on
/// that line), empty ones dropped, each trimmed as `ends` says. The documents are slices of
/// `text`.
pub(crate) fn split_manifests(text: &str, ends: DocEnds) -> Vec<&str> {
    document_ranges(text, ends)
        .into_iter()
        .map(|r| &text[r])
        .collect()
}

/// Where each document of [`split_manifests`] lies in `text`, in order: the image walk traces a
/// document's scalars back to its file's provenance by these offsets.
///
/// Go trims with `unicode.IsSpace` and splits at the regexp `(?:^|\s*\n)---\s*`, whose `\s` is
/// ASCII only. Helm 3 drops a piece that is empty before it is trimmed (one of other white
/// space, a no-break space, stays as an empty document); 4.2 drops one that is empty after.
pub(crate) fn document_ranges(text: &str, ends: DocEnds) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let start = text.len() - text.trim_start_matches(is_go_unicode_space).len();
    let end = match ends {
        DocEnds::Trimmed => text.trim_end_matches(is_go_unicode_space).len().max(start),
        DocEnds::Kept => text.len(),
    };
    let mut out = Vec::new();
    let mut push = |r: Range<usize>| {
        let piece = &text[r.clone()];
        let lead = piece.len() - piece.trim_start_matches(is_go_unicode_space).len();
        match ends {
            DocEnds::Trimmed if !piece.is_empty() => {
                let kept = piece.trim_matches(is_go_unicode_space).len();
                out.push(r.start + lead..r.start + lead + kept);
            }
            DocEnds::Kept if lead < piece.len() => out.push(r.start + lead..r.end),
            _ => {}
        }
    };
    let mut rest = start..end;
    // The regexp's `^` alternative: a leading `---` is a separator with nothing before it.
    if bytes[rest.clone()].starts_with(b"---") {
        rest = skip_space(bytes, rest.start + 3, rest.end)..rest.end;
    }
    loop {
        let Some(nl) = newline_dashes(&text[rest.clone()]).map(|i| rest.start + i) else {
            push(rest);
            break;
        };
        // Leftmost match: the ASCII white space before the separator's newline belongs to it.
        let mut sep = nl;
        while sep > rest.start && is_go_space(bytes[sep - 1]) {
            sep -= 1;
        }
        push(rest.start..sep);
        rest = skip_space(bytes, nl + 4, rest.end)..rest.end;
    }
    out
}

/// The first byte from `at` (up to `end`) that is not Go whitespace.
fn skip_space(bytes: &[u8], mut at: usize, end: usize) -> usize {
    while at < end && is_go_space(bytes[at]) {
        at += 1;
    }
    at
}

/// Go's `\s` in RE2: `[\t\n\f\r ]`.
fn is_go_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// Where the first line after the first one that starts with `---` begins, less one (the
/// offset of `\n---`).
pub(crate) fn newline_dashes(text: &str) -> Option<usize> {
    memchr::memmem::find(text.as_bytes(), b"\n---")
}

/// Documents read, by template and the bytes of its output they span (start, end).
pub(crate) type ReadDocs = BTreeMap<(String, usize, usize), Node>;

/// Sorted output: plain manifests and hooks, each in install order (stable by file and
/// position).
#[derive(Debug, Default)]
pub(crate) struct Sorted {
    /// CRD files printed first (`--include-crds`).
    pub(crate) crds: Vec<Manifest>,
    /// Manifests that are not hooks.
    pub(crate) manifests: Vec<Manifest>,
    /// Hooks.
    pub(crate) hooks: Vec<Manifest>,
    /// The `helm.sh/hook` values of documents left out for an event Helm does not know, which
    /// Helm logs.
    pub(crate) unknown_hooks: Vec<String>,
    /// The documents that may name an image, as read for the sort, by template and bytes of
    /// its output: the image walk reads them from here instead of reading them again.
    pub(crate) read: ReadDocs,
}

/// Helm's `SortManifests` over rendered files (partials and NOTES already removed). An error is
/// Helm's `YAML parse error on PATH: …`.
pub(crate) fn sort_manifests(
    files: &BTreeMap<String, String>,
    order: &[&str],
    ends: DocEnds,
) -> Result<Sorted, String> {
    let mut out = Sorted::default();
    let mut docs: Vec<(&String, &String, &str)> = Vec::new();
    for (path, content) in files {
        let base = path.rsplit('/').next().unwrap_or(path);
        if base.starts_with('_') || content.trim_matches(is_go_unicode_space).is_empty() {
            continue;
        }
        docs.extend(
            split_manifests(content, ends)
                .into_iter()
                .map(|d| (path, content, d)),
        );
    }
    let heads = read_heads(&docs);
    for ((path, content, doc), read) in docs.into_iter().zip(heads) {
        let (head, root) = read.map_err(|e| format!("YAML parse error on {path}: {e}"))?;
        let offset = doc.as_ptr() as usize - content.as_ptr() as usize;
        // Only documents that may name an image come with their tree (see `read_heads`).
        if let Some(root) = root {
            out.read
                .insert((path.clone(), offset, offset + doc.len()), root);
        }
        let identity = Identity {
            name_at: head
                .identity
                .name_at
                .as_ref()
                .map(|r| offset + r.start..offset + r.end),
            ..head.identity.clone()
        };
        let manifest = Manifest {
            path: path.clone(),
            kind: head.kind.clone(),
            content: doc.to_string(),
            offset,
            is_test: false,
            identity,
        };
        match head.hook {
            None => out.manifests.push(manifest),
            Some(events) => {
                let events_text = events.clone();
                let events: Vec<String> = events
                    .split(',')
                    .map(|e| e.trim().to_ascii_lowercase())
                    .collect();
                if events.iter().all(|e| HOOK_EVENTS.contains(&e.as_str())) {
                    let is_test = events.iter().any(|e| e == "test" || e == "test-success");
                    out.hooks.push(Manifest {
                        is_test,
                        ..manifest
                    });
                } else {
                    out.unknown_hooks.push(events_text);
                }
            }
        }
    }
    sort_by_kind(&mut out.manifests, order);
    sort_by_kind(&mut out.hooks, order);
    Ok(out)
}

/// [`read_head`] of every document, in order. On this thread: reading half of them on the
/// other core saved no measurable time of one render (2026-12-03, suse-observability 2.10.3: a
/// few per cent of it, within the noise) and cost 4-6 MiB, the other thread's own heap.
/// Documents that name no image are looked up first among those the thread's last render read
/// ([`HeadCache`]).
fn read_heads(docs: &[(&String, &String, &str)]) -> Vec<Result<(Head, Option<Node>), String>> {
    HEADS.with(|cache| {
        let mut cache = cache.borrow_mut();
        cache.begin_render();
        docs.iter()
            .map(|(_, _, doc)| {
                if crate::render::images::may_hold_image(doc) {
                    read_head(doc)
                } else {
                    cache.head(doc).map(|head| (head, None))
                }
            })
            .collect()
    })
}

thread_local! {
    static HEADS: std::cell::RefCell<HeadCache> = std::cell::RefCell::new(HeadCache::default());
}

/// Text of the documents a [`HeadCache`] keeps, at most, per render.
const MAX_HEAD_BYTES: usize = 4 << 20;

/// The heads of the documents that name no image (whose tree nobody reads after the sort), by
/// text, that this thread's last render and this one read: most documents of the next file of
/// a folder are those of the last one (Services, ConfigMaps, Secrets of chart defaults). A head
/// depends on the text alone. Failures are not kept (they end the render anyway). The first
/// render of a thread keeps nothing: a run of one file copies no text.
#[derive(Debug, Default)]
struct HeadCache {
    renders: u64,
    current: crate::fast_hash::FxHashMap<Box<str>, Head>,
    previous: crate::fast_hash::FxHashMap<Box<str>, Head>,
    bytes: usize,
}

impl HeadCache {
    fn begin_render(&mut self) {
        self.renders += 1;
        self.previous = std::mem::take(&mut self.current);
        self.bytes = 0;
    }

    fn head(&mut self, doc: &str) -> Result<Head, String> {
        if let Some(head) = self.current.get(doc) {
            return Ok(head.clone());
        }
        let (text, head) = match self.previous.remove_entry(doc) {
            Some(hit) => hit,
            None => {
                let head = read_head(doc)?.0;
                if self.renders < 2 || self.bytes + doc.len() > MAX_HEAD_BYTES {
                    return Ok(head);
                }
                (Box::from(doc), head)
            }
        };
        if self.bytes + text.len() <= MAX_HEAD_BYTES {
            self.bytes += text.len();
            self.current.insert(text, head.clone());
        }
        Ok(head)
    }
}

/// Helm's `lessByKind` as a stable sort: known kinds in install order, then unknown kinds
/// alphabetically.
pub(crate) fn sort_by_kind(items: &mut [Manifest], order: &[&str]) {
    let rank = |k: &str| order.iter().position(|x| *x == k);
    items.sort_by(|a, b| match (rank(&a.kind), rank(&b.kind)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.kind.cmp(&b.kind),
    });
}

/// What Helm reads of each document (`SimpleHead`).
#[derive(Debug, Default, Clone)]
struct Head {
    kind: String,
    /// `helm.sh/hook`, when the document has annotations and that one.
    hook: Option<String>,
    /// The object's name and the rest that tells it apart (`name_at` in the document).
    identity: Identity,
}

/// Whether Helm fails to read a document's head (`YAML parse error`).
pub(crate) fn head_fails(doc: &str) -> bool {
    read_head(doc).is_err()
}

/// The loader's bounds for a rendered document: its size is the render's to bound, and a large
/// one (a chart's CRDs run to megabytes) may hold a value for every two bytes; more than that
/// only aliases can make, which the default node limit still bounds.
pub(crate) fn manifest_limits(doc: &str) -> yaml::Limits {
    let default = yaml::Limits::default();
    yaml::Limits {
        max_bytes: usize::MAX,
        max_nodes: default.max_nodes.max(doc.len() / 2),
        ..default
    }
}

/// Reads a document's head as `sigs.k8s.io/yaml` into Helm's `SimpleHead` would: YAML errors
/// and JSON type errors (a non-string `kind`, annotation values that are not strings) fail.
/// Also returns the document read (none when empty), for those who read it next.
fn read_head(doc: &str) -> Result<(Head, Option<Node>), String> {
    use crate::template::funcs::helm_yaml;
    // go-yaml's reader decodes the text before the parser sees it (a name `trunc`ated inside
    // a multibyte character fails here in Helm).
    if let Some(problem) = crate::template::go_bytes::yaml_reader_error(doc) {
        return Err(format!("error converting YAML to JSON: yaml: {problem}"));
    }
    let limits = manifest_limits(doc);
    // sigs.k8s.io/yaml reads the document as `fromYaml` reads its text: go-yaml's words.
    let file = match yaml::load_decoded(FileId(u32::MAX), doc, &limits) {
        Ok(file) => file,
        Err(e) => {
            // go-yaml reads only the first document: an error after its `...` goes unnoticed.
            let end = yaml::first_document_end(doc).filter(|&end| e.span().start >= end);
            match end.map(|end| yaml::load_decoded(FileId(u32::MAX), &doc[..end], &limits)) {
                Some(Ok(file)) => file,
                _ => return Err(helm_yaml::yaml_error(doc, &e)),
            }
        }
    };
    let special_floats = file.special_floats;
    let Some(root) = file.documents.into_iter().next() else {
        return Ok((Head::default(), None));
    };
    if special_floats && let Some(name) = unsupported_float(&root) {
        let words = yaml::UNSUPPORTED_FLOAT;
        return Err(format!("error converting YAML to JSON: {words}{name}"));
    }
    let head = head_of(&root, doc)?;
    Ok((head, Some(root)))
}

/// The first special float (`.inf`, `.nan`) Go's JSON encoder meets in a document read for
/// `SimpleHead` (map keys sorted), by name: sigs.k8s.io/yaml writes one bound for a string
/// field of the head (`apiVersion`, `kind`, `metadata.name`, an annotation) as text, and leaves
/// every other one to the encoder, which refuses it.
fn unsupported_float(root: &Node) -> Option<String> {
    // Each node with whether it is bound for a string, and for the head's fields where it is.
    #[derive(Clone, Copy)]
    enum Place {
        Root,
        Metadata,
        Annotations,
        Elsewhere,
    }
    let mut stack = vec![(root, Place::Root, false)];
    while let Some((node, place, to_string)) = stack.pop() {
        match &node.value {
            Value::Float(f) if !f.is_finite() && !to_string => {
                return Some(crate::value::go_float(*f));
            }
            Value::Map(m) => {
                for (key, child) in m.iter().rev() {
                    let key = key.to_lowercase();
                    let (place, to_string) = match (place, key.as_str()) {
                        (Place::Root, "apiversion" | "kind") => (Place::Elsewhere, true),
                        (Place::Root, "metadata") => (Place::Metadata, false),
                        (Place::Metadata, "name") => (Place::Elsewhere, true),
                        (Place::Metadata, "annotations") => (Place::Annotations, false),
                        (Place::Annotations, _) => (Place::Elsewhere, true),
                        _ => (Place::Elsewhere, false),
                    };
                    stack.push((child, place, to_string));
                }
            }
            Value::Seq(items) => {
                stack.extend(items.iter().rev().map(|n| (n, Place::Elsewhere, false)));
            }
            _ => {}
        }
    }
    None
}

/// The head of a document read.
fn head_of(root: &Node, doc: &str) -> Result<Head, String> {
    let unmarshal = |what: &str, field: &str, want: &str| {
        format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {what} into Go {field} of type {want}"
        )
    };
    let map = match &root.value {
        Value::Null => return Ok(Head::default()),
        Value::Map(m) => m,
        other => {
            return Err(unmarshal(
                other.json_kind(),
                "value",
                "releaseutil.SimpleHead",
            ));
        }
    };
    let mut head = Head::default();
    let mut annotations: Option<BTreeMap<String, String>> = None;
    for (key, node) in fields(map) {
        match key.as_str() {
            "apiversion" => {
                head.identity.api_version =
                    string_field(node, doc, "struct field SimpleHead.apiVersion", &unmarshal)?;
            }
            "kind" => {
                head.kind = string_field(node, doc, "struct field SimpleHead.kind", &unmarshal)?;
            }
            "metadata" => match &node.value {
                Value::Null => {}
                Value::Map(md) => {
                    for (k, n) in fields(md) {
                        match k.as_str() {
                            "name" => {
                                head.identity.name = string_field(
                                    n,
                                    doc,
                                    "struct field .metadata.name",
                                    &unmarshal,
                                )?;
                                head.identity.name_at =
                                    n.origin.value_span().map(|s| s.start..s.end);
                            }
                            // Not Helm's to read (`SimpleHead` has no namespace): never fails.
                            // Empty or null: the release's, as when it is left out.
                            "namespace" => {
                                head.identity.namespace = string_field(n, doc, "", &unmarshal)
                                    .ok()
                                    .filter(|ns| !ns.is_empty());
                            }
                            "annotations" => match &n.value {
                                Value::Null => {}
                                Value::Map(a) => {
                                    let mut got = annotations.take().unwrap_or_default();
                                    for (ak, av) in a {
                                        let v = string_field(
                                            av,
                                            doc,
                                            "struct field .metadata.annotations",
                                            &unmarshal,
                                        )?;
                                        got.insert(ak.clone(), v);
                                    }
                                    annotations = Some(got);
                                }
                                other => {
                                    return Err(unmarshal(
                                        other.json_kind(),
                                        "struct field .metadata.annotations",
                                        "map[string]string",
                                    ));
                                }
                            },
                            _ => {}
                        }
                    }
                }
                other => {
                    return Err(unmarshal(
                        other.json_kind(),
                        "struct field SimpleHead.metadata",
                        "struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }",
                    ));
                }
            },
            _ => {}
        }
    }
    if let Some(a) = annotations
        && !a.is_empty()
    {
        head.hook = a.get("helm.sh/hook").cloned();
    }
    Ok(head)
}

/// A map's entries with keys folded as Go's `encoding/json` matches struct fields
/// (case-insensitively), in the order JSON sees them (sorted).
fn fields(map: &crate::value::Map) -> impl Iterator<Item = (String, &Node)> {
    map.iter().map(|(k, v)| (k.to_lowercase(), v))
}

/// A string field of the head. NOTE: sigs.k8s.io/yaml converts YAML to JSON knowing the target
/// type, and a number or boolean bound for a string becomes a string (`name: 010` is "8"), so
/// only lists and maps fail there.
fn string_field(
    node: &Node,
    doc: &str,
    field: &str,
    unmarshal: &dyn Fn(&str, &str, &str) -> String,
) -> Result<String, String> {
    match &node.value {
        Value::Null => Ok(String::new()),
        Value::Str(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Int(i) => Ok(i.to_string()),
        Value::Float(f) => Ok(number_text(node, doc, *f)),
        other => Err(unmarshal(other.json_kind(), field, "string")),
    }
}

/// sigs.k8s.io/yaml's text for a number go-yaml v2 read: an integer (as go-yaml types the
/// scalar) in decimal, a float as `strconv.FormatFloat(f, 'g', -1, 32)`.
fn number_text(node: &Node, doc: &str, f: f64) -> String {
    let written = node
        .origin
        .value_span()
        .and_then(|s| doc.get(s.start..s.end))
        .unwrap_or("");
    match yaml::go_yaml_integer(written) {
        Some(i) => i.to_string(),
        None => crate::template::fmt::ftoa_bits(f, b'g', -1, 32),
    }
}

/// Prints the release as `helm template` does: every manifest as `---\n# Source: PATH\nDOC\n`,
/// the whole trimmed and ended with a newline, then every hook the same way.
pub(crate) fn print(sorted: &Sorted) -> String {
    print_with(sorted, &|m: &Manifest| {
        std::borrow::Cow::Borrowed(m.content.as_str())
    })
}

/// [`print`] with each document's text given by `text`.
pub(crate) fn print_with(
    sorted: &Sorted,
    text: &dyn Fn(&Manifest) -> std::borrow::Cow<'_, str>,
) -> String {
    let mut manifest = String::new();
    for m in sorted.crds.iter().chain(&sorted.manifests) {
        manifest.push_str("---\n# Source: ");
        manifest.push_str(&m.path);
        manifest.push('\n');
        manifest.push_str(&text(m));
        manifest.push('\n');
    }
    let mut out = String::with_capacity(manifest.len() + 64);
    out.push_str(manifest.trim_matches(is_go_unicode_space));
    out.push('\n');
    for h in &sorted.hooks {
        out.push_str("---\n# Source: ");
        out.push_str(&h.path);
        out.push('\n');
        out.push_str(&text(h));
        out.push('\n');
    }
    out
}

/// Go's `unicode.IsSpace` (what `strings.TrimSpace` trims).
fn is_go_unicode_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\x0B' | '\x0C' | '\r' | ' ' | '\u{85}' | '\u{A0}'
    ) || (c > '\u{FF}' && c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_like_helm() {
        assert_eq!(
            split_manifests("a: 1\n---\nb: 2\n", DocEnds::Trimmed),
            ["a: 1", "b: 2"]
        );
        // Helm 3.17.3: the first separator eats the blank line, the second `---` stays.
        assert_eq!(
            split_manifests("---\na: 1\n---\n\n---\nb: 2", DocEnds::Trimmed),
            ["a: 1", "---\nb: 2"]
        );
        // The separator eats the rest of the line's whitespace only.
        assert_eq!(
            split_manifests("a: 1\n--- # c\nb: 2", DocEnds::Trimmed),
            ["a: 1", "# c\nb: 2"]
        );
        // `----` splits after three dashes.
        assert_eq!(
            split_manifests("a: 1\n----\nb: 2", DocEnds::Trimmed),
            ["a: 1", "-\nb: 2"]
        );
        // Indented dashes do not split.
        assert_eq!(
            split_manifests("a: |\n  ---\n  x", DocEnds::Trimmed),
            ["a: |\n  ---\n  x"]
        );
        assert!(split_manifests("\n\n  \n", DocEnds::Trimmed).is_empty());
        // A comment-only document stays.
        assert_eq!(
            split_manifests("# only\n---\na: 1", DocEnds::Trimmed),
            ["# only", "a: 1"]
        );
        assert_eq!(
            split_manifests("  \n---\n---\n  a: 1  \n\n---   \n\n", DocEnds::Trimmed),
            ["---\n  a: 1"]
        );
        assert!(split_manifests("---", DocEnds::Trimmed).is_empty());
        // Helm 4.2: the last document keeps its end; one of white space only is dropped.
        assert_eq!(
            split_manifests("\n a: 1 \n\n---\n b: 2 \n\n", DocEnds::Kept),
            ["a: 1", "b: 2 \n\n"]
        );
        assert!(split_manifests("a: 1\n---\n\u{a0}\n", DocEnds::Kept) == ["a: 1"]);
        assert_eq!(
            split_manifests("a: 1\n---\n\u{a0}\n---\nb", DocEnds::Trimmed),
            ["a: 1", "", "b"]
        );
        assert!(split_manifests("", DocEnds::Trimmed).is_empty());
    }

    /// A render reads the heads of the documents without images that the thread's last render
    /// read from what that one kept: the same heads, the sort as it was; documents with an
    /// image keep their tree; a failure is read again; what a render did not read is dropped.
    #[test]
    fn heads_of_documents_without_images_are_kept_for_the_next_render() {
        let hook =
            "apiVersion: v1\nkind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install\n";
        let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n";
        let pod = "kind: Pod\nspec:\n  containers:\n  - image: nginx\n";
        let files: BTreeMap<String, String> = [
            ("c/templates/a.yaml", format!("{hook}---\n{service}")),
            ("c/templates/b.yaml", pod.to_string()),
        ]
        .into_iter()
        .map(|(p, c)| (p.to_string(), c))
        .collect();
        let summary = |s: &Sorted| {
            let kinds = |ms: &[Manifest]| -> Vec<(String, String)> {
                ms.iter()
                    .map(|m| (m.kind.clone(), m.content.clone()))
                    .collect()
            };
            (kinds(&s.manifests), kinds(&s.hooks), s.read.len())
        };
        std::thread::spawn(move || {
            let first = sort_manifests(&files, INSTALL_ORDER, DocEnds::Trimmed).unwrap();
            // A thread's first render keeps nothing.
            HEADS.with(|c| assert!(c.borrow().current.is_empty()));
            let second = sort_manifests(&files, INSTALL_ORDER, DocEnds::Trimmed).unwrap();
            HEADS.with(|c| {
                let c = c.borrow();
                assert_eq!(c.current.len(), 2, "the hook and the service, not the pod");
                assert!(c.current.keys().any(|k| k.contains("kind: Service")));
            });
            let third = sort_manifests(&files, INSTALL_ORDER, DocEnds::Trimmed).unwrap();
            assert_eq!(summary(&first), summary(&second));
            assert_eq!(summary(&first), summary(&third));
            assert_eq!(third.hooks.len(), 1);
            assert_eq!(third.read.len(), 1, "the pod's tree, for the image walk");
            // A document larger than a render may keep is read every time.
            let big: BTreeMap<String, String> = [(
                "c/templates/big.yaml".to_string(),
                format!("kind: Secret\ndata: {}\n", "x".repeat(MAX_HEAD_BYTES)),
            )]
            .into();
            for _ in 0..2 {
                let sorted = sort_manifests(&big, INSTALL_ORDER, DocEnds::Trimmed).unwrap();
                assert_eq!(sorted.manifests[0].kind, "Secret");
            }
            HEADS.with(|c| assert!(c.borrow().current.is_empty()));
            // A failing document fails every time and is not kept.
            let broken: BTreeMap<String, String> =
                [("c/templates/x.yaml".to_string(), "kind: [\n".to_string())].into();
            for _ in 0..2 {
                let err = sort_manifests(&broken, INSTALL_ORDER, DocEnds::Trimmed).unwrap_err();
                assert!(
                    err.starts_with("YAML parse error on c/templates/x.yaml:"),
                    "{err}"
                );
            }
            HEADS.with(|c| {
                let c = c.borrow();
                assert!(c.current.is_empty() && c.previous.is_empty(), "{c:?}");
            });
        })
        .join()
        .unwrap();
    }

    /// The documents are read on two threads when a core is spare: the order of the manifests
    /// and the error reported (the first failing document in path order, as Helm's loop) are
    /// those of one thread.
    #[test]
    fn documents_read_on_two_threads_keep_their_order_and_first_error() {
        let files: BTreeMap<String, String> = (0..40)
            .map(|i| {
                let docs: Vec<String> = (0..3)
                    .map(|j| format!("kind: K{i:02}\nmetadata:\n  name: n{j}\ndata: {{a: {j}}}"))
                    .collect();
                (format!("c/templates/t{i:02}.yaml"), docs.join("\n---\n"))
            })
            .collect();
        let sorted = sort_manifests(&files, INSTALL_ORDER, DocEnds::Trimmed).unwrap();
        let got: Vec<(String, String)> = sorted
            .manifests
            .iter()
            .map(|m| (m.path.clone(), m.content.clone()))
            .collect();
        let want: Vec<(String, String)> = files
            .iter()
            .flat_map(|(p, c)| {
                split_manifests(c, DocEnds::Trimmed)
                    .into_iter()
                    .map(|d| (p.clone(), d.into()))
            })
            .collect();
        // Unknown kinds sort by kind, stably: the path order here.
        assert_eq!(got, want);
        let mut broken = files.clone();
        for i in [7, 33] {
            broken.insert(format!("c/templates/t{i:02}.yaml"), "a: [".into());
        }
        let err = sort_manifests(&broken, INSTALL_ORDER, DocEnds::Trimmed).unwrap_err();
        assert!(
            err.starts_with("YAML parse error on c/templates/t07.yaml:"),
            "{err}"
        );
    }

    #[test]
    fn kinds_sort_in_install_order_stably() {
        let m = |k: &str, p: &str| Manifest {
            path: p.into(),
            kind: k.into(),
            ..Manifest::default()
        };
        let mut items = vec![
            m("Deployment", "a"),
            m("Zebra", "b"),
            m("Service", "c"),
            m("Alpha", "d"),
            m("Deployment", "e"),
            m("Namespace", "f"),
        ];
        sort_by_kind(&mut items, INSTALL_ORDER);
        let order: Vec<&str> = items.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(order, ["f", "c", "a", "e", "d", "b"]);
    }

    #[test]
    fn heads_and_hooks() {
        let mut files = BTreeMap::new();
        files.insert(
            "c/templates/a.yaml".to_string(),
            "kind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: test\n---\nkind: ConfigMap\n".to_string(),
        );
        files.insert(
            "c/templates/b.yaml".to_string(),
            "kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: nonsense\n".to_string(),
        );
        let sorted = sort_manifests(&files, INSTALL_ORDER, DocEnds::Trimmed).unwrap();
        assert_eq!(sorted.manifests.len(), 1);
        assert_eq!(sorted.hooks.len(), 1);
        assert_eq!(
            print(&sorted),
            "---\n# Source: c/templates/a.yaml\nkind: ConfigMap\n---\n# Source: c/templates/a.yaml\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: test\n"
        );
    }

    #[test]
    fn heads_name_their_objects() {
        let text = "kind: ConfigMap\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: \"zk\"\n  namespace: ops\n---\nkind: Secret\nmetadata:\n  name: s\n  namespace: {a: 1}\n---\nkind: Service\nmetadata:\n  name: svc\n  namespace:\n";
        let mut files = BTreeMap::new();
        files.insert("c/templates/a.yaml".to_string(), text.to_string());
        let sorted = sort_manifests(&files, INSTALL_ORDER, DocEnds::Trimmed).unwrap();
        let id = |kind: &str| {
            sorted
                .manifests
                .iter()
                .find(|m| m.kind == kind)
                .map(|m| m.identity.clone())
                .unwrap()
        };
        let sts = id("StatefulSet");
        assert_eq!(
            (sts.group(), sts.name.as_str(), sts.namespace.as_deref()),
            ("apps", "zk", Some("ops"))
        );
        // The name's scalar, quotes and all, in the bytes of the template's output.
        assert_eq!(sts.name_at.map(|r| &text[r]), Some("\"zk\""));
        // A namespace that is no string is not Helm's to fail on; an empty one is the release's.
        assert_eq!(id("Secret").namespace, None);
        assert_eq!(id("Service").namespace, None);
        assert_eq!(id("ConfigMap"), Identity::default());
    }

    #[test]
    fn bad_heads_fail_like_helm() {
        for bad in [
            "kind: [a\n",
            "just text",
            "kind: [5]",
            "metadata:\n  annotations:\n    a: {}\n",
            "metadata:\n  name: [a]\n",
            "- a\n- b\n",
        ] {
            let mut files = BTreeMap::new();
            files.insert("c/templates/x.yaml".to_string(), bad.to_string());
            let err = sort_manifests(&files, INSTALL_ORDER, DocEnds::Trimmed).unwrap_err();
            assert!(
                err.starts_with("YAML parse error on c/templates/x.yaml: "),
                "{err}"
            );
        }
        let mut files = BTreeMap::new();
        files.insert(
            "c/templates/x.yaml".to_string(),
            "# only a comment\n".to_string(),
        );
        assert_eq!(
            sort_manifests(&files, INSTALL_ORDER, DocEnds::Trimmed)
                .unwrap()
                .manifests
                .len(),
            1
        );
    }

    #[test]
    fn a_byte_that_is_no_utf8_fails_the_manifest() {
        // Helm 3.17.3, `name: {{ "aéb" | trunc 2 }}`: "YAML parse error on u/templates/a.yaml:
        // error converting YAML to JSON: yaml: incomplete UTF-8 octet sequence".
        let name = crate::template::go_bytes::from_go_bytes(&"aéb".as_bytes()[..2]);
        let mut files = BTreeMap::new();
        files.insert(
            "u/templates/a.yaml".to_string(),
            format!("kind: ConfigMap\nmetadata:\n  name: {name}"),
        );
        assert_eq!(
            sort_manifests(&files, INSTALL_ORDER, DocEnds::Trimmed)
                .err()
                .as_deref(),
            Some(
                "YAML parse error on u/templates/a.yaml: error converting YAML to JSON: yaml: incomplete UTF-8 octet sequence"
            )
        );
    }

    #[test]
    fn a_manifest_that_is_no_yaml_fails_in_go_yamls_words() {
        // Helm 3.17.3 (prometheus-community's prometheus chart printed the first with
        // `verticalAutoscaler.enabled`): libyaml's stale simple key is reported on the line
        // after the key, and a flow sequence left open on its own line.
        assert_go_yaml_errors(&[
            (
                "kind: ConfigMap\nspec:\n  containerPolicies: \n  []\n",
                "line 5: could not find expected ':'",
            ),
            (
                "kind: ConfigMap\nspec:\n  containerPolicies: \n  []\n  b: 1\n",
                "line 5: could not find expected ':'",
            ),
            (
                "kind: ConfigMap\nspec:\n  a: [1\n",
                "line 3: did not find expected ',' or ']'",
            ),
            // A key over lines at the end of the (trimmed) text goes stale on its last
            // line; one on a single line, on the line the stream's end moves to.
            (
                "a: |-\n  x\ny b\n  1.5\n  \n",
                "line 4: could not find expected ':'",
            ),
            ("a: b\n\"x\n y\"\n", "line 3: could not find expected ':'"),
            ("a: b\ny b\n", "line 3: could not find expected ':'"),
            // A quoted scalar in its block's key column, then a flow indicator: libyaml drops
            // the key there (at the scalar's end when it ran over lines); elsewhere the
            // parser wants a key or a `-`.
            (
                "a:\n  b: c\n  \"x\", 1\n",
                "line 3: could not find expected ':'",
            ),
            (
                "a:\n  - 1\n  'x' ]\n",
                "line 3: could not find expected ':'",
            ),
            (
                "x:\n  a:\n    b: 1\n  \"x\"}\n",
                "line 4: could not find expected ':'",
            ),
            (
                "a:\n  b: c\n  \"x\n  y\",\n",
                "line 4: could not find expected ':'",
            ),
            (
                "a: 1\n\"x\":\n  \"y\",\n",
                "line 2: did not find expected key",
            ),
            ("- \"x\",\n", "did not find expected '-' indicator"),
            // An empty key in a flow collection: libyaml's parser wants a node at the `:`
            // (a parser error: its line 0-based); in a block, a key.
            (
                "a: 1\nb: [x, : 1]\n",
                "line 1: did not find expected node content",
            ),
            (
                "a: 1\nb: {x: [1, {: 2}]}\n",
                "line 1: did not find expected node content",
            ),
            ("a: 1\n: 1\n", "line 1: did not find expected key"),
            // A block scalar where a key should be is refused at its header (saphyr marks it
            // where its content starts): two `toYaml` of a string with a line break under one
            // key (template fuzzer of values, suse-observability 2.10.3's tolerations).
            (
                "a:\n  b:\n    |-\n      x\n    |-\n      y\n  c: 1\n",
                "line 4: did not find expected key",
            ),
            (
                "a:\n  b:\n    |-\n      x\n    >+\n\n\n      y\n  c: 1\n",
                "line 4: did not find expected key",
            ),
            (
                "a:\n  |-\n    x\n b: 1\n",
                "line 3: did not find expected key",
            ),
            ("a: |\n  b\n  |\n c\n", "line 3: did not find expected key"),
            (
                "a:\n  - |\n    x\n  |\n    y\n",
                "line 3: did not find expected '-' indicator",
            ),
            // A required key the stream's end finds: go-yaml fails after the last token when
            // the key began on an earlier line, at the stream's end when on the last line
            // (template fuzzer seed 1014998).
            (
                "data:\n  out: |-\n    \n[\n    a",
                "line 5: could not find expected ':'",
            ),
            ("data: 1\n[\n    a", "line 3: could not find expected ':'"),
            (
                "a:\n  b: 1\n  [x,\n   y",
                "line 4: could not find expected ':'",
            ),
            ("a: 1\n[a", "line 3: could not find expected ':'"),
            // A line short of a block scalar's explicit indentation starting a quote that
            // never ends: the scanner fails first (template fuzzer seed 1013955).
            (
                "data:\n  out: |-5\n    \":\n\n",
                "line 3: found unexpected end of stream",
            ),
            (
                "data:\n  out: |-5\n    \"a\" x\n",
                "line 2: did not find expected key",
            ),
            // A block scalar whose blank first line is deeper than the next: libyaml ends it
            // there, skips comment lines, and fails on the next token right of the mapping.
            (
                "d:\n  out: |-\n        \n    #c\n\n    # c\n   z: 1\n",
                "line 6: did not find expected key",
            ),
            (
                "d:\n  - |-\n        \n    #c\n    z\n",
                "line 4: did not find expected '-' indicator",
            ),
            // A quoted scalar in its block's key column, then more tokens on its line (Helm
            // 3.17.3): libyaml scans on (a plain scalar over the deeper lines, to a `: ` or a
            // comment) and drops the key where it stands on a later line.
            (
                "a: 1\n\"x\"v3\n  cont\n  more\nb: 1\n",
                "line 5: could not find expected ':'",
            ),
            (
                "a: 1\n\"x\"v3\n  cont: 1\n",
                "line 3: could not find expected ':'",
            ),
            (
                "a: 1\n\"x\"v3\n# c\n\n  b: 1\n",
                "line 3: could not find expected ':'",
            ),
            (
                "a: 1\n\"x\"v3 # c\n  b\n",
                "line 3: could not find expected ':'",
            ),
            (
                "m:\n  a: 1\n  \"x\"v3\n   c\nb: 1\n",
                "line 5: could not find expected ':'",
            ),
            (
                "a: 1\n'x' !t &a v3\n  c\nb: 1\n",
                "line 4: could not find expected ':'",
            ),
            ("a: 1\n\"x\" *a\n", "line 3: could not find expected ':'"),
            (
                "a: 1\n\"x\"v3\n\tb\n",
                "line 3: found a tab character that violates indentation",
            ),
            ("a: 1\n\"x\"v3: 1\n", "line 1: did not find expected key"),
            // A flow collection as the required key, then a quoted scalar and more collections
            // (template fuzzer seed 1007342, Helm 4.1.4).
            (
                "m:\n  a: 1\n  [x] \"y\"[]\n",
                "line 4: could not find expected ':'",
            ),
            (
                "a: 1\n[x] \"y\" [a,\n b]\n",
                "line 3: could not find expected ':'",
            ),
            (
                "a: 1\n[x] [y]z\n  w\nb: 1\n",
                "line 4: could not find expected ':'",
            ),
            ("a: 1\n[x] \"y\" : z\n", "line 1: did not find expected key"),
        ]);
    }

    /// Each text fails Helm's sort of the manifests with go-yaml's `problem`, as Helm words it.
    #[track_caller]
    fn assert_go_yaml_errors(cases: &[(&str, &str)]) {
        for (doc, problem) in cases {
            assert_eq!(
                one_template_error(doc),
                Some(format!(
                    "YAML parse error on x/templates/t.yaml: error converting YAML to JSON: yaml: {problem}"
                )),
                "{doc:?}"
            );
        }
    }

    /// How Helm's sort of the manifests fails on one template's output (`None`: it does not).
    fn one_template_error(doc: &str) -> Option<String> {
        let mut files = BTreeMap::new();
        files.insert("x/templates/t.yaml".to_string(), doc.to_string());
        sort_manifests(&files, INSTALL_ORDER, DocEnds::Trimmed).err()
    }

    #[test]
    fn after_an_empty_flow_root_go_yaml_reads_one_token_more() {
        // Helm 3.17.3: the root `[]` is read, the token after it scanned, nothing else (the
        // unended quote below is never reached); after a root with an entry it reads on.
        for (doc, problem) in [
            (
                "[][]\n\"",
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type releaseutil.SimpleHead",
            ),
            (
                "[a] [\n\"",
                "error converting YAML to JSON: yaml: line 2: found unexpected end of stream",
            ),
        ] {
            assert_eq!(
                one_template_error(doc),
                Some(format!("YAML parse error on x/templates/t.yaml: {problem}")),
                "{doc:?}"
            );
        }
        // An empty map is a manifest with no kind: Helm renders it.
        assert_eq!(one_template_error("{ } &x\n\""), None);
        // The token may be the `:` saphyr takes for the value of a complex key.
        assert_eq!(one_template_error("{}: 1\n\"q\n"), None);
        assert_eq!(one_template_error("{}:x\n"), None);
    }

    #[test]
    fn a_dash_is_read_as_go_yaml_reads_it() {
        // Helm 3.17.3 and 4.1.4.
        assert_go_yaml_errors(&[
            // A `-` that ends the text where a key is wanted: libyaml marks the `-` (saphyr
            // after it, at the text's end: a line further; template fuzzer seed 1012370).
            ("a: 1\n-\n", "line 1: did not find expected key"),
            ("a:\n  o: x\n-  # c\n", "line 2: did not find expected key"),
            (
                "a:\n  out: |-\n    \n-\n",
                "line 3: did not find expected key",
            ),
            // A `-` before a flow indicator is a plain scalar to go-yaml v2 (seed 1012772).
            (
                "k: [[ [a] map[]] [[3]] -]k1: 1\n",
                "did not find expected ',' or ']'",
            ),
        ]);
    }

    #[test]
    fn a_key_over_lines_after_a_flow_entry_fails_where_its_scalar_starts() {
        // Helm 3.17.3 and 4.1.4: in a flow sequence a plain scalar over lines before a `:` is
        // no key to go-yaml. As an entry of its own it is read, and the `:` after it fails;
        // after a collection or a quoted scalar (no `,` between) the scalar is the token that
        // fails, a line or more above the `:` (template fuzzer seed 1016668: `k1: [[]` then
        // `k2:false` and `k3: `; we said a line further).
        assert_go_yaml_errors(&[
            (
                "a: [[]\n  k2:f\n  k3: 1\n",
                "line 1: did not find expected ',' or ']'",
            ),
            ("a: [[] k2:f\n  k3: 1\n", "did not find expected ',' or ']'"),
            (
                "[[]\n  k2\n  k3: 1\n",
                "line 1: did not find expected ',' or ']'",
            ),
            (
                "a: [[\n  []\n  k2\n  k3: 1]]\n",
                "line 2: did not find expected ',' or ']'",
            ),
            (
                "a: [\"x\"\n  k2\n  k3: 1\n",
                "line 1: did not find expected ',' or ']'",
            ),
            (
                "a: ['x'\n  k2\n  k3: 1\n",
                "line 1: did not find expected ',' or ']'",
            ),
            (
                "a: [[]\n  \"k2\"\n  k3: 1\n",
                "line 1: did not find expected ',' or ']'",
            ),
            (
                "a: [[] \"x\"\n  k2\n  k3: 1\n",
                "did not find expected ',' or ']'",
            ),
            (
                "a: [[]\n\n\n  k2\n  k3: 1\n",
                "line 3: did not find expected ',' or ']'",
            ),
            (
                "a: [[]\n  # c\n  k2\n  k3: 1\n",
                "line 2: did not find expected ',' or ']'",
            ),
            (
                "a: [&x []\n  k2\n  k3: 1\n",
                "line 1: did not find expected ',' or ']'",
            ),
            (
                "a: [b: \"x\"\n  k2\n  k3: 1\n",
                "line 1: did not find expected ',' or ']'",
            ),
            (
                "x:\n  - [[], [\n    []\n    k2\n    k3: 1]]\n",
                "line 3: did not find expected ',' or ']'",
            ),
            // The scalar is an entry: the `:` fails.
            (
                "a: [x\"\n  k2\n  k3: 1\n",
                "line 2: did not find expected ',' or ']'",
            ),
            (
                "a: [[],\n  k2\n  k3: 1\n",
                "line 2: did not find expected ',' or ']'",
            ),
            (
                "a: [b: c\n  k2\n  k3: 1\n",
                "line 2: did not find expected ',' or ']'",
            ),
            (
                "a: [\"x,y\" ,\n  k2\n  k3: 1\n",
                "line 2: did not find expected ',' or ']'",
            ),
        ]);
    }

    #[test]
    fn an_entry_without_its_comma_fails_before_a_dash_in_a_flow() {
        // Helm 3.17.3 and 4.1.4: go-yaml's scanner reads `- ` in a flow collection as a token,
        // so its parser first fails where an entry of an enclosing collection is followed by no
        // `,` (template fuzzer seed 1018453: `[0.5 4 [[- x …`); only then on the `-` itself.
        assert_go_yaml_errors(&[
            ("a: [b [[- x]]]\n", "did not find expected ',' or ']'"),
            ("a: [b [- x]]\n", "did not find expected ',' or ']'"),
            ("a: [b {- x}]\n", "did not find expected ',' or ']'"),
            ("a: {b c [- x]}\n", "did not find expected ',' or '}'"),
            ("a: [\"b\" [- x]]\n", "did not find expected ',' or ']'"),
            ("a: [[b] [- x]]\n", "did not find expected ',' or ']'"),
            (
                "- [b\n  [- x]]\n",
                "line 1: did not find expected ',' or ']'",
            ),
            ("a: [b, [- x]]\n", "did not find expected node content"),
            ("a: [[- x]]\n", "did not find expected node content"),
        ]);
    }

    #[test]
    fn an_empty_flow_collection_where_a_block_wants_a_key_is_refused_there() {
        // Helm 3.17.3: go-yaml v2 drops the possible key the `{` began when its level closes
        // with no key in it, so its parser gets the collection at once and refuses it where
        // a key (or `-`) is wanted, whatever follows on the line (template fuzzer seed
        // 1012162: `]#[[` then `  {},`); as a node followed by `:`, the key its scanner then
        // appends is refused.
        assert_go_yaml_errors(&[
            ("a: 1\n{},\n", "line 1: did not find expected key"),
            ("a: 1\n{}, x\n", "line 1: did not find expected key"),
            ("a: 1\n{}}\n", "line 1: did not find expected key"),
            ("a: 1\n{} @\n", "line 1: did not find expected key"),
            ("a: 1\n{} - x\n", "line 1: did not find expected key"),
            ("a: 1\n{} ? x\n", "line 1: did not find expected key"),
            ("a: 1\n{}\t, x\n", "line 1: did not find expected key"),
            ("a: 1\n[ ] \"q\n", "line 1: did not find expected key"),
            ("a: 1\n{} [\n", "line 1: did not find expected key"),
            ("a: 1\n{ # c\n}\n", "line 1: did not find expected key"),
            ("a: 1\n[\n],\n", "line 1: did not find expected key"),
            ("b:\n  c: 1\n  [],\n", "line 2: did not find expected key"),
            ("a:\n  b: 1\n[], x\n", "line 2: did not find expected key"),
            (
                "a: 1\nb: [x]#[[\n{},\n",
                "line 2: did not find expected key",
            ),
            ("a: 1\n{}: 1\n", "line 1: did not find expected key"),
            ("a: 1\n{ }: 2\n", "line 1: did not find expected key"),
            ("a:\n  {}: 1\nb: 1\n", "line 1: did not find expected key"),
            ("a:\n  []: 1\n  c: 2\n", "line 1: did not find expected key"),
            ("a:\n- {}: 1\n", "line 1: did not find expected key"),
            ("a:\n  b:\n  - []: 1\n", "line 2: did not find expected key"),
            (
                "x:\n  - {}: 1\n",
                "line 1: did not find expected '-' indicator",
            ),
            (
                "a:\n  - x\n  - {}: 1\n",
                "line 2: did not find expected '-' indicator",
            ),
            // A collection with an entry keeps its key: go-yaml's decoder refuses the map key.
            (
                "a:\n  {x: 1}: 1\n",
                "invalid map key: map[interface {}]interface {}{\"x\":1}",
            ),
            ("b: 2\n[1]: 2\n", "invalid map key: []interface {}{1}"),
            // As a node followed by other tokens, it is read and they fail as they do.
            (
                "a:\n- [1]\n- {} @\n",
                "line 3: found character that cannot start any token",
            ),
        ]);
    }

    #[test]
    fn numbers_and_booleans_in_string_fields_are_their_text() {
        // Helm 3.17.3 renders `name: 010` (and `true`, `1.5`), `annotations: {x: 1e3}` and
        // `apiVersion: 1`; `kind: 12345678901` sorts as that unknown kind, after a ConfigMap;
        // `helm.sh/hook: 1` is "skipping unknown hook: \"1\"".
        let mut files = BTreeMap::new();
        files.insert(
            "c/templates/a.yaml".to_string(),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 010\n  annotations:\n    x: 1e3\n---\napiVersion: 1\nkind: 12345678901\nmetadata:\n  name: true\n---\nkind: Secret\nmetadata:\n  name: 1.5\n  annotations:\n    helm.sh/hook: 1\n".to_string(),
        );
        let sorted = sort_manifests(&files, INSTALL_ORDER, DocEnds::Trimmed).unwrap();
        let kinds: Vec<&str> = sorted.manifests.iter().map(|m| m.kind.as_str()).collect();
        assert_eq!(kinds, ["ConfigMap", "12345678901"]);
        assert!(sorted.hooks.is_empty());
        let text = |v: &str| {
            let file = yaml::load(FileId(0), &format!("k: {v}\n"), &yaml::Limits::default());
            let root = file.unwrap().documents.remove(0);
            let node = root.get_path(&["k"]).unwrap().clone();
            string_field(&node, &format!("k: {v}\n"), "f", &|_, _, _| String::new()).unwrap()
        };
        // sigs.k8s.io/yaml: integers in decimal, floats as FormatFloat(f, 'g', -1, 32) (Helm 3.17.3 sorts
        // `kind: 123456789.0` after `kind: "1.23456790"`: it is "1.2345679e+08").
        assert_eq!(text("0x1F"), "31");
        assert_eq!(text("1_000"), "1000");
        assert_eq!(text("1e3"), "1000");
        assert_eq!(text("123456789.0"), "1.2345679e+08");
        assert_eq!(text("18446744073709551615"), "18446744073709551615");
        assert_eq!(text("yes"), "true");
    }
}

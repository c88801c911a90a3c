//! Finding the containers: documents of a rendered file, their pod specs, and the manifests a
//! ConfigMap carries in its data.

use super::{Image, Object, Part, PartKind, parts, sources};
use crate::render::engine::Printed;
use crate::render::manifest::HOOK_EVENTS;
use crate::source::FileId;
use crate::template::value::{KeyPath, Seg};
use crate::template::{AddressSet, Read};
use crate::value::{Map, Node, Origin, Value};
use crate::yaml;
use crate::yaml_scalar::{self as locate, Located};
use std::rc::Rc;

/// The container lists of a pod spec, in the order Kubernetes starts them.
const CONTAINER_LISTS: &[&str] = &["initContainers", "containers", "ephemeralContainers"];

/// One YAML text being read: the text, where it sits in the rendered file, and the file.
struct Text<'a> {
    text: &'a str,
    located: &'a Located,
    template: &'a str,
    segs: &'a [Seg],
    actions: &'a Actions<'a>,
}

/// The actions of a rendered file's template that wrote output, and the engine's read log.
pub(super) struct Actions<'a> {
    printed: &'a [Printed],
    reads: &'a [Read],
    /// The reads of the whole file (a range of `reads`).
    file: std::ops::Range<usize>,
    /// [`Actions::by_file`], computed once: every part whose own actions read nothing asks for
    /// it.
    by_file: std::cell::OnceCell<Vec<Distinct>>,
    /// The distinct reads of each printed action, computed once each: the parts of an image,
    /// and the images of a list, are mostly written by the same few actions.
    by_action: std::cell::RefCell<crate::fast_hash::FxHashMap<usize, Rc<Vec<Distinct>>>>,
}

/// A read of the log whose map and key no earlier read of the same range had, and which part
/// names its key's last name holds ([`part_names`]). A part keeps only the few reads that name
/// it, so their key paths are built then, not for the thousands a file makes.
#[derive(Clone, Copy)]
struct Distinct {
    read: usize,
    names: u8,
}

impl<'a> Actions<'a> {
    /// The actions that printed a file, and the read log (`file`: the file's range of it).
    pub(crate) fn new(
        printed: &'a [Printed],
        reads: &'a [Read],
        file: std::ops::Range<usize>,
    ) -> Self {
        Actions {
            printed,
            reads,
            file,
            by_file: std::cell::OnceCell::new(),
            by_action: Default::default(),
        }
    }

    /// The distinct reads of the actions that wrote any of `ranges` (bytes of the file), in
    /// action and read order.
    fn read_for(&self, ranges: &[std::ops::Range<usize>]) -> Vec<Rc<Vec<Distinct>>> {
        self.printed
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                ranges
                    .iter()
                    .any(|r| p.bytes.start < r.end.max(r.start + 1) && r.start < p.bytes.end)
            })
            .map(|(i, _)| self.of_action(i))
            .collect()
    }

    /// The distinct reads of printed action `i`.
    fn of_action(&self, i: usize) -> Rc<Vec<Distinct>> {
        if let Some(done) = self.by_action.borrow().get(&i) {
            return done.clone();
        }
        let list = Rc::new(self.distinct(self.printed[i].reads.clone()));
        self.by_action.borrow_mut().insert(i, list.clone());
        list
    }

    /// The distinct reads of the whole file.
    fn by_file(&self) -> &[Distinct] {
        self.by_file
            .get_or_init(|| self.distinct(self.file.clone()))
    }

    /// The reads of `range` of the log whose map and key (or value) no earlier one had.
    fn distinct(&self, range: std::ops::Range<usize>) -> Vec<Distinct> {
        let start = range.start;
        let reads = self.reads.get(range).unwrap_or(&[]);
        let mut ids = AddressSet::default();
        // Room for every read at once: growing the set rehashes what it holds each time.
        ids.reserve(reads.len());
        reads
            .iter()
            .enumerate()
            .filter(|(_, read)| ids.insert(read.key.address()))
            .map(|(i, read)| Distinct {
                read: start + i,
                names: read.last_name().map_or(0, part_names),
            })
            .collect()
    }

    /// The key paths of the reads that `keep` (given the read and its part names), in order,
    /// each path once.
    fn paths<'r>(
        &self,
        reads: impl Iterator<Item = &'r Distinct>,
        keep: impl Fn(&Read, u8) -> bool,
    ) -> Vec<KeyPath> {
        let mut out: Vec<KeyPath> = Vec::new();
        let mut seen = crate::fast_hash::FxHashSet::default();
        for d in reads {
            let read = &self.reads[d.read];
            if keep(read, d.names) {
                let path = read.path();
                if seen.insert(path.clone()) {
                    out.push(path);
                }
            }
        }
        out
    }
}

/// The part names (`registry`, `repository`, `tag`, `digest`) that occur in `name`, ignoring
/// ASCII case, as bits in [`PartKind`] order. One pass over the name: a read log holds tens of
/// thousands of key names, and four searches each cost a percent of `images`.
pub(super) fn part_names(name: &str) -> u8 {
    const KINDS: [PartKind; 4] = [
        PartKind::Registry,
        PartKind::Repository,
        PartKind::Tag,
        PartKind::Digest,
    ];
    let b = name.as_bytes();
    let mut bits = 0u8;
    for i in 0..b.len() {
        // Each name starts with its own letter (`r` starts two).
        let candidates: &[usize] = match b[i].to_ascii_lowercase() {
            b'r' => &[0, 1],
            b't' => &[2],
            b'd' => &[3],
            _ => continue,
        };
        for &k in candidates {
            let want = KINDS[k].name().as_bytes();
            if b.len() - i >= want.len()
                && b[i + 1..i + want.len()].eq_ignore_ascii_case(&want[1..])
            {
                bits |= 1 << k;
            }
        }
    }
    bits
}

/// Adds the images of one rendered file (`text` with provenance `segs`).
pub(super) fn file(
    template: &str,
    (text, ends): (&str, crate::render::manifest::DocEnds),
    segs: &[Seg],
    actions: &Actions<'_>,
    read: Option<&crate::render::manifest::ReadDocs>,
    out: &mut Vec<Image>,
) {
    for range in crate::render::manifest::document_ranges(text, ends) {
        let doc = &text[range.clone()];
        if !may_hold_image(doc) {
            continue;
        }
        // The render's sort read most documents already.
        let owned;
        let roots: &[Node] =
            match read.and_then(|r| r.get(&(template.to_string(), range.start, range.end))) {
                Some(root) => std::slice::from_ref(root),
                None => {
                    owned = load(doc);
                    &owned
                }
            };
        let located = Located::identity(range.start, range.len());
        let t = Text {
            text: doc,
            located: &located,
            template,
            segs,
            actions,
        };
        for root in roots {
            if dropped_hook(root) {
                continue;
            }
            manifest(&t, root, None, out);
        }
    }
}

/// Whether a document can name an image at all: a container's `image` key (or a manifest
/// embedded in a string) is spelt out in the text, quoted or not, unless an escape spells it
/// (`"\x69mage"`, which needs a backslash). Most documents (Services, ConfigMaps of settings,
/// RBAC) are skipped without reading their YAML.
pub(crate) fn may_hold_image(doc: &str) -> bool {
    doc.contains("image") || doc.contains('\\')
}

/// Whether a text can hold a container list: every list a pod spec has ([`CONTAINER_LISTS`])
/// is named with `ontainers` in it, unless an escape in a double-quoted key spells it.
pub(super) fn may_hold_containers(text: &str) -> bool {
    text.contains("ontainers") || text.contains('\\')
}

/// The documents of a YAML text; none when it does not parse (Helm would have failed on a
/// manifest; embedded text is the chart's business).
fn load(text: &str) -> Vec<Node> {
    let limits = yaml::Limits {
        max_bytes: usize::MAX,
        ..yaml::Limits::default()
    };
    yaml::load(FileId(u32::MAX), text, &limits)
        .map(|f| f.documents)
        .unwrap_or_default()
}

/// Whether Helm leaves the document out: a hook annotation naming an event it does not know.
fn dropped_hook(root: &Node) -> bool {
    let hook = root
        .get_path(&["metadata", "annotations", "helm.sh/hook"])
        .and_then(|n| str_value(&n.value));
    match hook {
        Some(events) => !events
            .split(',')
            .all(|e| HOOK_EVENTS.contains(&e.trim().to_ascii_lowercase().as_str())),
        None => false,
    }
}

fn str_value(v: &Value) -> Option<&str> {
    match v {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

/// The images of one manifest (a document, or one embedded in a ConfigMap under `parent`).
fn manifest(t: &Text<'_>, root: &Node, parent: Option<&Object>, out: &mut Vec<Image>) {
    let Some(map) = root.as_map() else {
        return;
    };
    let field = |path: &[&str]| {
        root.get_path(path)
            .and_then(|n| str_value(&n.value))
            .unwrap_or("")
            .to_string()
    };
    let object = Object {
        parent: parent.map(|p| (p.kind.clone(), p.name.clone())),
        kind: field(&["kind"]),
        name: field(&["metadata", "name"]),
    };
    for spec in pod_specs(&object.kind, root) {
        for list in CONTAINER_LISTS {
            let Some(Value::Seq(items)) = spec.get(*list).map(|n| &n.value) else {
                continue;
            };
            for item in items {
                if let Some(image) = container(t, item, &object) {
                    out.push(image);
                }
            }
        }
    }
    // Manifests carried as ConfigMap data (the backup and restore jobs), one level deep.
    if parent.is_none() && object.kind == "ConfigMap" {
        let Some(Value::Map(data)) = map.get("data").map(|n| &n.value) else {
            return;
        };
        for node in data.values() {
            // Only a string can carry a manifest, and only one that names an image in a
            // container list matters (most are scripts and settings).
            if !matches!(&node.value, Value::Str(s) if may_hold_image(s) && may_hold_containers(s))
            {
                continue;
            }
            if let Some((text, located)) = scalar(t, node) {
                let inner = Text {
                    text: &text,
                    located: &located,
                    template: t.template,
                    segs: t.segs,
                    actions: t.actions,
                };
                for root in load(&text) {
                    manifest(&inner, &root, Some(&object), out);
                }
            }
        }
    }
}

/// The pod specs of a manifest: a Pod's own, a CronJob's job template's, a PodTemplate's, and
/// `spec.template.spec` of every other kind (Deployment, StatefulSet, DaemonSet, ReplicaSet,
/// Job, ReplicationController and custom kinds that follow the pattern).
pub(crate) fn pod_specs<'n>(kind: &str, root: &'n Node) -> Vec<&'n Map> {
    let path: &[&str] = match kind {
        "Pod" => &["spec"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        "PodTemplate" => &["template", "spec"],
        _ => &["spec", "template", "spec"],
    };
    root.get_path(path)
        .and_then(Node::as_map)
        .into_iter()
        .collect()
}

/// A container's image, when it names one.
fn container(t: &Text<'_>, item: &Node, object: &Object) -> Option<Image> {
    let map = item.as_map()?;
    let (reference, located) = scalar(t, map.get("image")?)?;
    let name = map
        .get("name")
        .and_then(|n| scalar(t, n))
        .map(|(s, _)| s)
        .unwrap_or_default();
    let split = parts::split(&reference);
    // A reference with neither tag nor digest: the keys named `tag` its template read go with
    // the repository, where the lint looks for a tag key that came out empty.
    let untagged = !split
        .iter()
        .any(|(k, _)| matches!(k, PartKind::Tag | PartKind::Digest));
    let parts = split
        .into_iter()
        .map(|(kind, range)| {
            let (ranges, exact) = located.map(range.clone());
            // An empty part (`/repo`, `repo:`) wrote no bytes to attribute: the file's reads are
            // the ones that can hold its keys.
            let from_file = range.is_empty() || reference.starts_with('/');
            let by_action = if from_file {
                Vec::new()
            } else {
                t.actions.read_for(&ranges)
            };
            let by_action = || by_action.iter().flat_map(|l| l.iter());
            let sources = sources(t.segs, &ranges, range.clone(), exact);
            let from_source = |read: &Read| {
                sources
                    .iter()
                    .any(|s| s.prov.as_ref().is_some_and(|p| read.path_is(&p.user_path)))
            };
            // A value read in an action that only kept it in a variable (`$image := …`) and
            // printed later: the action that printed it did not read it, the file did.
            let missed = sources
                .iter()
                .filter_map(|s| s.prov.as_ref())
                .any(|p| !by_action().any(|d| t.actions.reads[d.read].path_is(&p.user_path)));
            // Of those, the keys that name this part (a registry key for the registry…) and the
            // values its bytes came from: what the template tried for it.
            // (`/repo`: the registry printed as nothing, its keys go with the repository.)
            let names: &[&str] = match kind {
                PartKind::Repository if reference.starts_with('/') => &["repository", "registry"],
                _ => &[kind.name()],
            };
            let wanted = names.iter().fold(0, |bits, n| bits | part_names(n));
            let tried = |read: &Read, names: u8| names & wanted != 0 || from_source(read);
            let mut read: Vec<KeyPath> = if from_file || missed || by_action().next().is_none() {
                t.actions.paths(t.actions.by_file().iter(), tried)
            } else {
                t.actions.paths(by_action(), tried)
            };
            // No tag and no digest: the tag keys read by the actions that wrote the repository
            // (never the whole file's: a tag-less literal is the chart's own text).
            if kind == PartKind::Repository && untagged {
                let tag = part_names(PartKind::Tag.name());
                for path in t.actions.paths(by_action(), |_, names| names & tag != 0) {
                    if !read.contains(&path) {
                        read.push(path);
                    }
                }
            }
            Part {
                kind,
                sources,
                range,
                exact,
                read,
            }
        })
        .collect();
    Some(Image {
        reference,
        object: object.clone(),
        container: name,
        template: t.template.to_string(),
        parts,
    })
}

/// A scalar's text as Kubernetes reads it (a string as decoded; another scalar as written) and
/// where its bytes are in the rendered file. `None` for null, a list or a map.
fn scalar(t: &Text<'_>, node: &Node) -> Option<(String, Located)> {
    let Origin::File { value: span, .. } = &node.origin else {
        return None;
    };
    let raw = t.text.get(span.start..span.end);
    let text = match &node.value {
        Value::Str(s) => s.clone(),
        Value::Null | Value::Seq(_) | Value::Map(_) => return None,
        Value::Bool(_) | Value::Int(_) | Value::Float(_) => raw?.to_string(),
    };
    let located = locate::scalar(t.text, span.start..span.end, &text).through(t.located);
    Some((text, located))
}

//! The schema document as jsonschema v6 compiles it: its draft, its anchors, where each `$ref`
//! leads, and the references that make compilation fail before any value is looked at.

use std::collections::{HashMap, HashSet};

use serde_json::Value as J;

/// Where Helm 4 puts the chart's schema; every location in a message starts with it.
pub(super) const URL: &str = "file:///values.schema.json";

/// The JSON-schema drafts jsonschema v6 knows, by the year or number in their name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Draft {
    D4,
    D6,
    D7,
    D2019,
    D2020,
}

/// A parsed schema with what the validator needs to follow references.
pub(super) struct Document<'a> {
    pub(super) root: &'a J,
    pub(super) draft: Draft,
    /// Anchor name → JSON pointer of the schema that declares it.
    anchors: HashMap<String, String>,
    /// A `$schema` naming no draft jsonschema v6 has built in: Helm 4 would load it.
    unknown_metaschema: Option<String>,
}

/// What a `$ref` leads to.
pub(super) enum Target<'a> {
    /// A schema in this document, and its JSON pointer.
    Found(&'a J, String),
    /// A pointer or anchor that is not there: compilation fails with this message.
    Missing(String),
    /// Another document (a URL, a file): not followed.
    Elsewhere,
}

impl<'a> Document<'a> {
    pub(super) fn new(root: &'a J) -> Document<'a> {
        let named = root.get("$schema").and_then(J::as_str);
        let draft = named.map_or(Some(Draft::D2020), draft_of);
        let unknown_metaschema = match (named, draft) {
            (Some(url), None) => Some(url.split('#').next().unwrap_or(url).to_string()),
            _ => None,
        };
        let draft = draft.unwrap_or(Draft::D2020);
        let mut anchors = HashMap::new();
        collect_anchors(root, draft, "", &mut anchors);
        Document {
            root,
            draft,
            anchors,
            unknown_metaschema,
        }
    }

    /// Resolves a `$ref` written in this document.
    pub(super) fn resolve(&self, reference: &str) -> Target<'a> {
        let (base, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if !base.is_empty() && !is_this_document(base) {
            return Target::Elsewhere;
        }
        let Some(fragment) = percent_decode(fragment) else {
            return Target::Elsewhere;
        };
        if fragment.is_empty() || fragment.starts_with('/') {
            return match self.root.pointer(&fragment) {
                Some(target) => Target::Found(target, fragment),
                None => Target::Missing(format!("json-pointer in \"{URL}#{fragment}\" not found")),
            };
        }
        match self.anchors.get(&fragment) {
            Some(ptr) => match self.root.pointer(ptr) {
                Some(target) => Target::Found(target, ptr.clone()),
                None => Target::Elsewhere,
            },
            None => Target::Missing(format!(
                "anchor in \"{URL}#{fragment}\" not found in schema \"{URL}\""
            )),
        }
    }

    /// The first reference that cannot be resolved among the schemas reachable from the root,
    /// as the compiler reports it (it compiles every reachable schema before validating).
    pub(super) fn broken_reference(&self) -> Option<String> {
        if let Some(url) = &self.unknown_metaschema {
            return Some(not_loaded(url));
        }
        let mut seen = HashSet::new();
        let mut queue = vec![(self.root, String::new())];
        while let Some((schema, ptr)) = queue.pop() {
            if !seen.insert(ptr.clone()) {
                continue;
            }
            if let Some(r) = schema.get("$ref").and_then(J::as_str) {
                match self.resolve(r) {
                    Target::Found(target, tptr) => queue.push((target, tptr)),
                    Target::Missing(message) => return Some(message),
                    Target::Elsewhere => {
                        let base = r.split('#').next().unwrap_or(r);
                        // NOTE: Helm 4.1.4 renders with a `urn:` reference (measured; not
                        // followed here either).
                        let urn = base
                            .get(..4)
                            .is_some_and(|s| s.eq_ignore_ascii_case("urn:"));
                        if !base.is_empty() && !is_this_document(base) && !urn {
                            return Some(not_loaded(&resolve_url(base)));
                        }
                    }
                }
            }
            queue.extend(subschemas(schema, &ptr, self.draft));
        }
        None
    }
}

/// Helm 4 reads the file or fetches the URL another document is at, before it checks any
/// value (reading any file the schema names, or the network); we do neither and say so.
fn not_loaded(url: &str) -> String {
    format!(
        "failing loading {}: stackstate-lint does not load schemas from other files or the network",
        crate::template::fmt::quote(url)
    )
}

/// A reference resolved against the schema's own URL (`file:///values.schema.json`) as
/// `url.ResolveReference` resolves it, without its fragment; as written where Go could not
/// parse it.
fn resolve_url(reference: &str) -> String {
    use crate::render::schema::reference::Url;
    match (Url::parse(URL), Url::parse(reference)) {
        (Ok(base), Ok(child)) => base.inherit(&child).without_fragment().to_string(),
        _ => reference.to_string(),
    }
}

/// The draft of a `$schema` URL, as jsonschema v6's `findDraft` knows them (`http` or `https`,
/// with or without an empty fragment); `None` for any other, which it would load.
fn draft_of(url: &str) -> Option<Draft> {
    let url = url
        .strip_suffix("#/")
        .or_else(|| url.strip_suffix('#'))
        .unwrap_or(url);
    let url = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or(url);
    match url {
        "json-schema.org/draft-04/schema" => Some(Draft::D4),
        "json-schema.org/draft-06/schema" => Some(Draft::D6),
        "json-schema.org/draft-07/schema" => Some(Draft::D7),
        "json-schema.org/draft/2019-09/schema" => Some(Draft::D2019),
        "json-schema.org/draft/2020-12/schema" | "json-schema.org/schema" => Some(Draft::D2020),
        _ => None,
    }
}

fn is_this_document(base: &str) -> bool {
    base == URL || base == "values.schema.json" || base == "./values.schema.json"
}

/// `url.PathUnescape`: `%XX` sequences decoded; `None` when one is malformed.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A JSON-pointer token: `~` and `/` escaped.
pub(super) fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The schemas directly under `schema` that the compiler compiles, with their pointers.
pub(super) fn subschemas<'a>(schema: &'a J, ptr: &str, draft: Draft) -> Vec<(&'a J, String)> {
    let Some(s) = schema.as_object() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut one = |key: &str| {
        if let Some(sub) = s.get(key) {
            out.push((sub, format!("{ptr}/{}", escape(key))));
        }
    };
    // Before 2019-09 a `$ref` hides its siblings, except those of later drafts' compile steps.
    let hidden = draft < Draft::D2019 && s.contains_key("$ref");
    if !hidden {
        for key in ["not", "additionalProperties", "additionalItems"] {
            one(key);
        }
        for key in ["unevaluatedItems", "unevaluatedProperties"] {
            if draft >= Draft::D2019 {
                one(key);
            }
        }
        match s.get("items") {
            Some(J::Array(_)) if draft < Draft::D2020 => {}
            Some(_) => one("items"),
            None => {}
        }
    }
    if draft >= Draft::D6 {
        one("contains");
        one("propertyNames");
    }
    if draft >= Draft::D7 {
        one("if");
        one("then");
        one("else");
    }
    let mut lists: Vec<&str> = Vec::new();
    let mut maps: Vec<&str> = Vec::new();
    if !hidden {
        lists.extend(["allOf", "anyOf", "oneOf"]);
        if draft < Draft::D2020 {
            lists.push("items");
        } else {
            lists.push("prefixItems");
        }
        maps.extend(["properties", "patternProperties", "dependencies"]);
        if draft >= Draft::D2019 {
            maps.push("dependentSchemas");
        }
    }
    for key in lists {
        if let Some(J::Array(items)) = s.get(key) {
            for (i, sub) in items.iter().enumerate() {
                out.push((sub, format!("{ptr}/{key}/{i}")));
            }
        }
    }
    for key in maps {
        if let Some(J::Object(m)) = s.get(key) {
            for (name, sub) in m {
                if sub.is_object() || sub.is_boolean() {
                    out.push((sub, format!("{ptr}/{key}/{}", escape(name))));
                }
            }
        }
    }
    out
}

fn collect_anchors(schema: &J, draft: Draft, ptr: &str, out: &mut HashMap<String, String>) {
    let Some(s) = schema.as_object() else { return };
    let declared = if draft >= Draft::D2019 {
        s.get("$anchor").and_then(J::as_str).map(str::to_string)
    } else {
        let id = if draft == Draft::D4 { "id" } else { "$id" };
        s.get(id)
            .and_then(J::as_str)
            .and_then(|id| id.split_once('#'))
            .map(|(_, anchor)| anchor.to_string())
            .filter(|a| !a.is_empty())
    };
    if let Some(name) = declared {
        out.entry(name).or_insert_with(|| ptr.to_string());
    }
    for (sub, sub_ptr) in subschemas(schema, ptr, draft) {
        collect_anchors(sub, draft, &sub_ptr, out);
    }
    // Definitions are compiled only when referenced, but their anchors are known throughout.
    for key in ["$defs", "definitions"] {
        if let Some(J::Object(defs)) = s.get(key) {
            for (name, sub) in defs {
                collect_anchors(sub, draft, &format!("{ptr}/{key}/{}", escape(name)), out);
            }
        }
    }
}

//! A set of named templates sharing one namespace, as Helm builds it: every file of the chart and
//! its subcharts, and every `define` in them.
//!
//! Go's rule for a name defined twice: the later definition replaces the earlier one, unless the
//! later one is empty (only whitespace and comments) and the earlier is not. Helm parses files
//! deepest path first, so a parent chart's `define` wins over a subchart's of the same name.
//! `tpl` parses its text into an overlay that lives only for that call ([`Layered`]).

use std::rc::Rc;

use crate::fast_hash::FxHashMap;
use crate::file_bytes::FileBytes;

use super::Error;
use super::ast::Tree;
use super::parse;
use crate::helm_build::HelmBuild;

/// Named templates.
#[derive(Debug, Default, Clone)]
pub struct Templates {
    trees: FxHashMap<Rc<str>, Rc<Tree>>,
    /// The Helm whose Go and function map parse the templates.
    pub build: HelmBuild,
}

/// What the Go of `build` reads in a template.
pub(crate) fn syntax_of(build: HelmBuild) -> parse::Syntax {
    parse::Syntax {
        break_continue: build.has_break(),
        else_with: build.has_else_with(),
        comment_lines: build.counts_comment_lines(),
    }
}

/// Trees parsed from texts, by text.
type Parsed = FxHashMap<Rc<str>, Vec<super::ast_pack::Body>>;

/// A packed form's trees decoded once: the text they were parsed from, and the trees.
type Decoded = (Rc<str>, Vec<super::ast_pack::Body>);

thread_local! {
    /// The trees decoded from each packed form so far in this thread, for the next file with the
    /// same text (a chart carries the same library chart once per subchart) and the next render
    /// of the chart (a folder of values files renders it once per file): the text, and per tree
    /// its name (`None` for the file's own) and body. Bounded by the built-in charts' templates.
    ///
    /// Keyed by where the packed bytes are (see [`FileBytes::place`]), not by what they say:
    /// every file of the same content is the same bytes of the pack, and hashing each form
    /// whole (and comparing it on a hit) cost a quarter of reading a chart's templates. The
    /// entry keeps its bytes, so that no other bytes take their place while it is there.
    static DECODED: std::cell::RefCell<FxHashMap<(usize, usize), (FileBytes, Decoded)>> =
        Default::default();

    /// The same for texts parsed (a chart from a folder or archive), by text, per Helm build
    /// (each reads templates with its own functions and Go): the text (the trees' source) and
    /// per tree its name (`None` for the file's own) and body. Bounded by the charts this
    /// thread renders.
    static PARSED: std::cell::RefCell<Vec<(HelmBuild, Parsed)>> = Default::default();

    /// The bytes of text `PARSED` holds.
    static PARSED_BYTES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Leaves this thread's decoded and parsed trees allocated for good (the process is ending).
pub(crate) fn forget_thread_caches() {
    DECODED.with(|d| std::mem::forget(std::mem::take(&mut *d.borrow_mut())));
    PARSED.with(|p| std::mem::forget(std::mem::take(&mut *p.borrow_mut())));
}

/// The most text `PARSED` keeps: far above any chart's templates (suse-observability 2.10.3 has
/// about 2 MB), so that only a process parsing ever new texts (a fuzzer, a service) starts over.
const PARSED_MAX_BYTES: usize = if cfg!(test) { 1 << 16 } else { 64 << 20 };

impl Templates {
    /// An empty set.
    pub fn new() -> Templates {
        Templates::default()
    }

    /// Parses `text` as the template `name` and adds it and its `define`s.
    pub fn parse_file(&mut self, name: &str, text: &str) -> Result<(), Error> {
        let build = self.build;
        let file: Rc<str> = Rc::from(name);
        let known = PARSED.with(|p| {
            p.borrow()
                .iter()
                .find(|(b, _)| *b == build)
                .and_then(|(_, parsed)| parsed.get_key_value(text))
                .map(|(source, bodies)| super::ast_pack::trees(bodies, &file, source))
        });
        if let Some(trees) = known {
            trees.into_iter().for_each(|t| self.add(t));
            return Ok(());
        }
        let trees = parse::parse_as(
            name,
            text,
            &|f: &str| super::funcs::exists_for(f, build),
            syntax_of(build),
        )?;
        // NOTE: kept for the next file of the same text only when the file's own tree is the one
        // tree of its name (a `define` of the file's own name would be renamed with it).
        if let [first, ..] = trees.as_slice()
            && trees.iter().filter(|t| *t.name == *name).count() == 1
        {
            let bodies = trees
                .iter()
                .map(|t| ((*t.name != *name).then(|| t.name.clone()), t.root.clone()))
                .collect();
            let source = first.source.clone();
            PARSED.with(|p| {
                let mut p = p.borrow_mut();
                let held = PARSED_BYTES.get() + source.len();
                if held > PARSED_MAX_BYTES {
                    p.clear();
                    PARSED_BYTES.set(source.len());
                } else {
                    PARSED_BYTES.set(held);
                }
                let at = match p.iter().position(|(b, _)| *b == build) {
                    Some(at) => at,
                    None => {
                        p.push((build, Parsed::default()));
                        p.len() - 1
                    }
                };
                p[at].1.insert(source, bodies);
            });
        }
        for tree in trees {
            self.add(tree);
        }
        Ok(())
    }

    /// [`Templates::parse_file`] of a file's bytes, taking the trees from `packed` (see
    /// [`super::ast_pack`]) when they were parsed from its text with today's functions. A text
    /// this thread decoded before (the next file of a folder renders the same templates) is
    /// found by its bytes and taken as it was read then, without checking again that it is
    /// UTF-8; any other is read as Helm reads a file (bytes that are no UTF-8 replaced).
    pub(crate) fn parse_file_bytes(
        &mut self,
        name: &str,
        data: &[u8],
        packed: Option<&FileBytes>,
    ) -> Result<(), Error> {
        // NOTE: packs are parsed as the current Helm 3 reads; an older one reads the text again.
        let packed = packed.filter(|_| self.build.reads_as_current());
        if self.add_decoded(name, data, packed) {
            return Ok(());
        }
        // NOTE: `from_utf8` first: it checks valid text faster than `from_utf8_lossy`.
        let text = std::str::from_utf8(data).map_or_else(
            |_| String::from_utf8_lossy(data),
            std::borrow::Cow::Borrowed,
        );
        self.decode_or_parse(name, &text, packed)
    }

    /// Adds the trees this thread decoded from `packed` before, when their text is `data`;
    /// whether it did.
    fn add_decoded(&mut self, name: &str, data: &[u8], packed: Option<&FileBytes>) -> bool {
        let Some(bytes) = packed else {
            return false;
        };
        let known = DECODED.with(|d| {
            d.borrow()
                .get(&bytes.place())
                .filter(|(_, (source, _))| source.as_bytes() == data)
                .map(|(_, (source, bodies))| {
                    super::ast_pack::trees(bodies, &Rc::from(name), source)
                })
        });
        let Some(trees) = known else {
            return false;
        };
        trees.into_iter().for_each(|t| self.add(t));
        true
    }

    /// A text not decoded before: its trees decoded from `packed` (and kept for the thread)
    /// when they were made from it, else parsed.
    fn decode_or_parse(
        &mut self,
        name: &str,
        text: &str,
        packed: Option<&FileBytes>,
    ) -> Result<(), Error> {
        if let Some(bytes) = packed {
            // NOTE: packs are made with Helm 3's functions, a subset of Helm 4's: a text naming a
            // Helm-4-only one has no pack and is parsed below.
            let source: Rc<str> = Rc::from(text);
            if let Some(bodies) =
                super::ast_pack::decode_bodies(bytes, &source, super::funcs::exists)
            {
                let trees = super::ast_pack::trees(&bodies, &Rc::from(name), &source);
                DECODED.with(|d| {
                    d.borrow_mut()
                        .insert(bytes.place(), (bytes.clone(), (source, bodies)))
                });
                trees.into_iter().for_each(|t| self.add(t));
                return Ok(());
            }
        }
        self.parse_file(name, text)
    }

    /// Adds one tree under its name, following Go's replacement rule.
    pub(crate) fn add(&mut self, tree: Tree) {
        if let Some(old) = self.trees.get(&tree.name)
            && tree.root.is_empty()
            && !old.root.is_empty()
        {
            return;
        }
        self.trees.insert(tree.name.clone(), Rc::new(tree));
    }

    /// The template called `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&Rc<Tree>> {
        self.trees.get(name)
    }
}

/// The chart's set with the overlays of the `tpl` calls in progress, innermost last, each with
/// the file whose templates it hides (before Helm 3.14, `tpl` rendered its text in place of
/// its caller's file, whose `define`s it did not see).
#[derive(Debug)]
pub(crate) struct Layered<'a> {
    base: &'a Templates,
    overlays: Vec<(Templates, Option<Rc<str>>)>,
}

impl<'a> Layered<'a> {
    /// The chart's set alone.
    pub(crate) fn new(base: &'a Templates) -> Layered<'a> {
        Layered {
            base,
            overlays: Vec::new(),
        }
    }

    /// The template called `name`, looking in the innermost overlay first.
    pub(crate) fn get(&self, name: &str) -> Option<Rc<Tree>> {
        self.get_below(self.overlays.len(), name)
    }

    /// The template called `name` in the base and the first `depth` overlays: the topmost
    /// layer's that defines it, unless a layer above that one hides the file it was parsed
    /// from. (A loop, not a recursion: `tpl` inside `tpl` nests a layer per call, as deep as
    /// the engine's depth budget.)
    fn get_below(&self, depth: usize, name: &str) -> Option<Rc<Tree>> {
        let layers = &self.overlays[..depth];
        let top = layers
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, (layer, _))| Some((i + 1, layer.get(name)?.clone())));
        let (at, tree) = match top {
            Some(found) => found,
            None => (0, self.base.get(name).cloned()?),
        };
        let hidden = layers[at..]
            .iter()
            .any(|(_, hidden)| hidden.as_deref() == Some(&*tree.parse_name));
        (!hidden).then_some(tree)
    }

    /// Starts a `tpl` call: a copy of what is visible now that the call's `define`s may extend,
    /// without the templates of the file `hidden` (see [`Layered`]).
    pub(crate) fn push(&mut self, layer: Templates, hidden: Option<Rc<str>>) {
        self.overlays.push((layer, hidden));
    }

    /// How many `tpl` calls are in progress, one inside another.
    pub(crate) fn layers(&self) -> usize {
        self.overlays.len()
    }

    /// Whether a `tpl` call is in progress.
    pub(crate) fn is_layered(&self) -> bool {
        !self.overlays.is_empty()
    }

    /// Ends the innermost `tpl` call.
    pub(crate) fn pop(&mut self) {
        self.overlays.pop();
    }

    /// Applies Go's replacement rule against what is visible, for a tree added by `tpl`.
    pub(crate) fn should_add(&self, tree: &Tree) -> bool {
        match self.get(&tree.name) {
            Some(old) => !tree.root.is_empty() || old.root.is_empty(),
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A thread that parses ever new texts (a fuzzer) keeps a bounded cache.
    #[test]
    fn the_cache_of_parsed_texts_is_bounded() {
        let filler = "x".repeat(1000);
        for i in 0..200 {
            let mut set = Templates::new();
            set.parse_file("t", &format!("{i}{filler}{{{{ .a }}}}"))
                .unwrap();
        }
        assert!(PARSED_BYTES.get() <= PARSED_MAX_BYTES);
        let held: usize = PARSED.with(|p| {
            p.borrow()
                .iter()
                .flat_map(|(_, parsed)| parsed.keys().map(|k| k.len()))
                .sum()
        });
        assert!(held <= PARSED_MAX_BYTES && held > 0, "{held}");
    }

    /// A built-in chart's trees were parsed as today's Helm reads: a set for an older Helm
    /// parses the text as its Go would, and a text parsed for one Helm is not taken for another.
    #[test]
    fn packed_and_parsed_trees_serve_only_the_helm_they_were_read_for() {
        let text = "{{ range list 1 }}{{ break }}{{ end }}";
        let trees = parse::parse("\u{0}file", text, &super::super::funcs::exists).unwrap();
        let packed: FileBytes =
            super::super::ast_pack::encode(text, "\u{0}file", &[], &trees).into();
        let old = HelmBuild::of(3, 9).unwrap();
        for _ in 0..2 {
            let mut set = Templates::new();
            set.build = old;
            let err = set
                .parse_file_bytes("t.yaml", text.as_bytes(), Some(&packed))
                .unwrap_err();
            assert_eq!(
                err.message,
                r#"template: t.yaml:1: function "break" not defined"#
            );
            let mut set = Templates::new();
            set.parse_file_bytes("t.yaml", text.as_bytes(), Some(&packed))
                .unwrap();
            set.parse_file("u.yaml", text).unwrap();
            let mut set = Templates::new();
            set.build = old;
            assert!(set.parse_file("u.yaml", text).is_err());
        }
    }

    /// `text` packed, and a set that read it from its bytes as `one/t.yaml`, then `two/t.yaml`:
    /// the set, the packed form and the two files' trees.
    fn two_files_of(text: &str) -> (Templates, FileBytes, Rc<Tree>, Rc<Tree>) {
        let trees = parse::parse("\u{0}file", text, &super::super::funcs::exists).unwrap();
        let packed: FileBytes =
            super::super::ast_pack::encode(text, "\u{0}file", &[], &trees).into();
        let mut set = Templates::new();
        for name in ["one/t.yaml", "two/t.yaml"] {
            set.parse_file_bytes(name, text.as_bytes(), Some(&packed))
                .unwrap();
        }
        let one = set.get("one/t.yaml").unwrap().clone();
        let two = set.get("two/t.yaml").unwrap().clone();
        (set, packed, one, two)
    }

    /// Bytes decoded before are found by their bytes and share their trees; other bytes with
    /// the same packed form are parsed, bytes that are no UTF-8 as Helm reads them.
    #[test]
    fn file_bytes_decoded_before_are_found_by_their_bytes() {
        let (mut set, packed, one, two) = two_files_of("a{{ define \"e\" }}x{{ .y }}{{ end }}b");
        assert!(Rc::ptr_eq(&one.root, &two.root));
        assert!(Rc::ptr_eq(&one.source, &two.source));
        set.parse_file_bytes("three/t.yaml", b"c\xffd", Some(&packed))
            .unwrap();
        let three = set.get("three/t.yaml").unwrap();
        assert!(!Rc::ptr_eq(&three.root, &one.root));
        assert_eq!(&*three.source, "c\u{fffd}d");
    }

    /// Two files with the same text decode one packed form once: each gets its own name and
    /// parse name (errors name the file), the bodies are shared, and a text that differs from
    /// the packed one is parsed instead.
    #[test]
    fn files_with_the_same_packed_text_share_their_bodies() {
        let (mut set, packed, one, two) = two_files_of("a{{ define \"d\" }}x{{ .y }}{{ end }}b");
        assert_eq!(
            (&*one.parse_name, &*two.parse_name),
            ("one/t.yaml", "two/t.yaml")
        );
        assert!(Rc::ptr_eq(&one.root, &two.root));
        assert_eq!(&*set.get("d").unwrap().parse_name, "two/t.yaml");
        set.parse_file_bytes("three/t.yaml", b"c", Some(&packed))
            .unwrap();
        let three = set.get("three/t.yaml").unwrap();
        assert!(!Rc::ptr_eq(&three.root, &one.root));
        assert_eq!(
            format!("{:?}", three.root.nodes),
            format!(
                "{:?}",
                parse::parse("x", "c", &|_| true).unwrap()[0].root.nodes
            )
        );
    }
}

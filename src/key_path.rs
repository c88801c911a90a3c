//! Keys of the values tree as typed paths: `a.b` is two keys, while an annotation such as
//! `prometheus.io/scrape` is one key that holds dots.
//!
//! The text form, used in messages, JSON, fixes and data files, is Helm's `--set` form: the keys
//! joined with `.`, where a `.` or `\` inside a key is escaped with `\`
//! (`podAnnotations.prometheus\.io/scrape`), so that it reads back as the same path and can be
//! passed to `--set` as it is.

use std::fmt;

/// A path of map keys from the top of a values tree.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyPath(Vec<String>);

impl KeyPath {
    /// The empty path: the values tree itself.
    pub fn root() -> KeyPath {
        KeyPath(Vec::new())
    }

    /// Reads the text form of a key, never the root: empty text is the top-level key `""`
    /// (whose text form is the root's), as in a values file's `"": 1`.
    pub fn parse_key(text: &str) -> KeyPath {
        if text.is_empty() {
            return KeyPath(vec![String::new()]);
        }
        KeyPath::parse(text)
    }

    /// Reads the text form (`a.b`, `a.b\.c`). Empty text is the root; a trailing `\` is kept.
    pub fn parse(text: &str) -> KeyPath {
        if text.is_empty() {
            return KeyPath::root();
        }
        if !text.contains('\\') {
            return KeyPath(text.split('.').map(str::to_string).collect());
        }
        let mut parts = Vec::new();
        let mut part = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => part.push(chars.next().unwrap_or('\\')),
                '.' => parts.push(std::mem::take(&mut part)),
                c => part.push(c),
            }
        }
        parts.push(part);
        KeyPath(parts)
    }

    /// The path of these keys, each taken whole.
    pub fn of<I, S>(keys: I) -> KeyPath
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        KeyPath(keys.into_iter().map(|k| k.as_ref().to_string()).collect())
    }

    /// The keys, outermost first.
    pub fn keys(&self) -> &[String] {
        &self.0
    }

    /// The keys as string slices, for lookups that take `&[&str]`.
    pub fn strs(&self) -> Vec<&str> {
        self.0.iter().map(String::as_str).collect()
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether this is the root.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The innermost key.
    pub fn last(&self) -> Option<&str> {
        self.0.last().map(String::as_str)
    }

    /// This path with one more key.
    pub fn child(&self, key: &str) -> KeyPath {
        let mut keys = self.0.clone();
        keys.push(key.to_string());
        KeyPath(keys)
    }

    /// The first `n` keys.
    pub fn prefix(&self, n: usize) -> KeyPath {
        KeyPath(self.0[..n.min(self.0.len())].to_vec())
    }

    /// The path without its innermost key (the root has none).
    pub fn parent(&self) -> Option<KeyPath> {
        (!self.0.is_empty()).then(|| self.prefix(self.0.len() - 1))
    }

    /// Whether `other` is this path or a path above it.
    pub fn starts_with(&self, other: &KeyPath) -> bool {
        self.0.starts_with(&other.0)
    }

    /// Adds a key at the end.
    pub fn push(&mut self, key: &str) {
        self.0.push(key.to_string());
    }

    /// Removes the innermost key.
    pub fn pop(&mut self) -> Option<String> {
        self.0.pop()
    }
}

/// The text form of a path given as separate keys (a render's read paths).
pub fn display<S: AsRef<str>>(keys: &[S]) -> String {
    // Room for the keys and their dots at once (escapes are rare).
    let len = keys.iter().map(|k| k.as_ref().len() + 1).sum::<usize>();
    let mut out = String::with_capacity(len);
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        push_escaped(&mut out, k.as_ref());
    }
    out
}

/// One key in the text form.
pub fn escape(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    push_escaped(&mut out, key);
    out
}

fn push_escaped(out: &mut String, key: &str) {
    if memchr::memchr2(b'.', b'\\', key.as_bytes()).is_none() {
        out.push_str(key);
        return;
    }
    for c in key.chars() {
        if matches!(c, '.' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&display(&self.0))
    }
}

impl From<&KeyPath> for String {
    fn from(k: &KeyPath) -> String {
        k.to_string()
    }
}

impl From<KeyPath> for String {
    fn from(k: KeyPath) -> String {
        k.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_holding_a_dot_stays_one_key() {
        let k = KeyPath::of(["podAnnotations", "prometheus.io/scrape"]);
        assert_eq!(k.to_string(), r"podAnnotations.prometheus\.io/scrape");
        assert_eq!(KeyPath::parse(&k.to_string()), k);
        assert_eq!(k.len(), 2);
    }

    #[test]
    fn text_form_round_trips_backslashes_and_empty_keys() {
        for keys in [
            vec!["a\\b", "c"],
            vec!["", "x"],
            vec!["a.", ".b"],
            vec!["only"],
        ] {
            let k = KeyPath::of(&keys);
            assert_eq!(KeyPath::parse(&k.to_string()), k, "{keys:?}");
        }
        assert_eq!(KeyPath::parse("a.b.c").keys(), ["a", "b", "c"]);
        assert!(KeyPath::parse("").is_empty());
    }

    #[test]
    fn parents_and_prefixes() {
        let k = KeyPath::parse("a.b.c");
        assert_eq!(k.parent(), Some(KeyPath::parse("a.b")));
        assert!(k.starts_with(&KeyPath::parse("a")));
        assert!(!k.starts_with(&KeyPath::parse("a.c")));
        assert_eq!(k.last(), Some("c"));
        assert_eq!(KeyPath::root().parent(), None);
    }
}

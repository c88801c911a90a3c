//! `.Files.Glob`'s patterns as Helm compiles them: gobwas/glob v0.2.3 with `/` as the one
//! separator. The lexer and parser build a tree; the compiler rewrites it into matchers (parts
//! common to every alternative factored out, runs of wildcards glued into one, the longest
//! fixed-length part made the pivot of a binary tree), and each matcher matches in its own way.
//! The quirks of that decide which files a chart gets, so they are kept: `files/*{` matches
//! nothing, `***` needs a character, and a fixed-length run that ends in an empty alternative
//! (`files/a.txt{`) reads past a name of its length — a Go panic that the template reports as
//! the call's error. A pattern that does not compile matches everything: Helm falls back to
//! `**`. Names and patterns are Go strings: bytes, decoded rune by rune where gobwas ranges over
//! them (a byte that is no UTF-8 is U+FFFD, one byte wide).

// Go's `utf8.DecodeRuneInString`.
use crate::template::go_bytes::{decode_rune as decode, go_bytes};

/// A compiled pattern.
#[derive(Debug, Clone)]
pub(crate) struct Glob {
    matcher: Matcher,
}

/// Why a match stopped: Go's panic (its message) or our step budget.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Stop {
    Panic(String),
    Budget,
}

type Outcome<T> = Result<T, Stop>;

/// Longest pattern compiled, in bytes: gobwas's rewriting tries every run of a pattern's parts
/// against every other, so a longer one is refused (it matches everything, as a pattern that
/// does not compile does).
const MAX_PATTERN: usize = 1024;

/// Matcher steps one name may take (nested wildcards try every split of the name).
const MATCH_STEPS: u64 = 10_000_000;

impl Glob {
    /// Compiles `pattern`; one that does not compile matches every name.
    pub(crate) fn new(pattern: &str) -> Glob {
        let bytes = go_bytes(pattern);
        let matcher = (bytes.len() <= MAX_PATTERN)
            .then(|| parse(&bytes))
            .flatten()
            .map(|tree| compile(&tree))
            .unwrap_or(Matcher::Super);
        Glob { matcher }
    }

    /// Whether `name` matches; a Go panic of gobwas's is the error, in Go's words.
    pub(crate) fn matches(&self, name: &str) -> Result<bool, String> {
        let mut steps = MATCH_STEPS;
        match self.matcher.matches(&go_bytes(name), &mut steps) {
            Ok(m) => Ok(m),
            Err(Stop::Panic(message)) => Err(message),
            // NOTE: Helm would go on for as long as it takes; a name this costly is no match.
            Err(Stop::Budget) => Ok(false),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Runes as Go sees them.

/// Go's `utf8.RuneError`.
const RUNE_ERROR: u32 = 0xFFFD;

/// Go's `for i, r := range s`.
fn runes(s: &[u8]) -> impl Iterator<Item = (usize, u32)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= s.len() {
            return None;
        }
        let (r, w) = decode(&s[at..]);
        let item = (at, r);
        at += w;
        Some(item)
    })
}

/// Go's `utf8.RuneLen` of a decoded rune (`RuneError` takes 3 bytes, whatever it stood for).
fn rune_len(r: u32) -> usize {
    match r {
        0..=0x7F => 1,
        0x80..=0x7FF => 2,
        0x800..=0xFFFF => 3,
        _ => 4,
    }
}

fn rune_count(s: &[u8]) -> usize {
    runes(s).count()
}

/// Go's `strings.IndexRune` (UTF-8 is self-synchronising: walking the runes finds what a byte
/// search for the rune's encoding finds, and `RuneError` matches a byte that is no UTF-8).
fn index_rune(s: &[u8], r: u32) -> Option<usize> {
    if r < 0x80 {
        return memchr::memchr(r as u8, s);
    }
    runes(s).find(|&(_, c)| c == r).map(|(i, _)| i)
}

/// gobwas's `IndexAnyRunes`: the first separator found, tried in order.
fn index_any_runes(s: &[u8], seps: &[u32]) -> Option<usize> {
    seps.iter().find_map(|&r| index_rune(s, r))
}

/// gobwas's `LastIndexAnyRunes` (separators are ASCII here: Helm passes `/`).
fn last_index_any_runes(s: &[u8], seps: &[u32]) -> Option<usize> {
    seps.iter().find_map(|&r| {
        if r < 0x80 {
            memchr::memrchr(r as u8, s)
        } else {
            runes(s).filter(|&(_, c)| c == r).map(|(i, _)| i).last()
        }
    })
}

fn find(s: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(s, needle)
}

fn rfind(s: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::rfind(s, needle)
}

// ---------------------------------------------------------------------------------------------
// Lexer (gobwas's syntax/lexer).

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Eof,
    Error,
    Text(Vec<u8>),
    Any,
    Super,
    Single,
    Not,
    Separator,
    RangeOpen,
    RangeClose,
    RangeLo(u32),
    RangeBetween,
    RangeHi(u32),
    TermsOpen,
    TermsClose,
}

/// gobwas's end of input: rune 0, so a NUL in a pattern ends it.
const EOF: u32 = 0;

struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
    failed: bool,
    tokens: std::collections::VecDeque<Token>,
    terms_level: usize,
    last_rune: u32,
    last_rune_size: usize,
    has_rune: bool,
}

impl<'a> Lexer<'a> {
    fn new(data: &'a [u8]) -> Self {
        Lexer {
            data,
            pos: 0,
            failed: false,
            tokens: Default::default(),
            terms_level: 0,
            last_rune: EOF,
            last_rune_size: 0,
            has_rune: false,
        }
    }

    fn next(&mut self) -> Token {
        loop {
            // An error wins over the tokens already queued.
            if self.failed {
                return Token::Error;
            }
            if let Some(t) = self.tokens.pop_front() {
                return t;
            }
            self.fetch_item();
        }
    }

    fn peek(&mut self) -> (u32, usize) {
        if self.pos >= self.data.len() {
            return (EOF, 0);
        }
        let (r, w) = decode(&self.data[self.pos..]);
        if r == RUNE_ERROR {
            // "could not read rune" (a literal U+FFFD too).
            self.failed = true;
            return (EOF, 0);
        }
        (r, w)
    }

    fn read(&mut self) -> u32 {
        if self.has_rune {
            self.has_rune = false;
            self.pos += self.last_rune_size;
            return self.last_rune;
        }
        let (r, s) = self.peek();
        self.pos += s;
        self.last_rune = r;
        self.last_rune_size = s;
        r
    }

    fn unread(&mut self) {
        if self.has_rune {
            self.failed = true;
            return;
        }
        self.pos -= self.last_rune_size;
        self.has_rune = true;
    }

    fn fetch_item(&mut self) {
        let r = self.read();
        let in_terms = self.terms_level > 0;
        match char::from_u32(r).unwrap_or('\0') {
            _ if r == EOF => self.tokens.push_back(Token::Eof),
            '{' => {
                self.terms_level += 1;
                self.tokens.push_back(Token::TermsOpen);
            }
            ',' if in_terms => self.tokens.push_back(Token::Separator),
            '}' if in_terms => {
                self.tokens.push_back(Token::TermsClose);
                self.terms_level -= 1;
            }
            '[' => {
                self.tokens.push_back(Token::RangeOpen);
                self.fetch_range();
            }
            '?' => self.tokens.push_back(Token::Single),
            '*' => {
                if self.read() == u32::from('*') {
                    self.tokens.push_back(Token::Super);
                } else {
                    self.unread();
                    self.tokens.push_back(Token::Any);
                }
            }
            _ => {
                self.unread();
                let breakers: &[u8] = if in_terms { b"?*[{}," } else { b"?*[{" };
                self.fetch_text(breakers);
            }
        }
    }

    fn fetch_range(&mut self) {
        let (mut want_hi, mut want_close, mut seen_not) = (false, false, false);
        loop {
            let r = self.read();
            if r == EOF {
                // "unexpected end of input"
                self.failed = true;
                return;
            }
            if want_close {
                if r == u32::from(']') {
                    self.tokens.push_back(Token::RangeClose);
                } else {
                    // "expected close range character"
                    self.failed = true;
                }
                return;
            }
            if want_hi {
                self.tokens.push_back(Token::RangeHi(r));
                want_close = true;
                continue;
            }
            if !seen_not && r == u32::from('!') {
                self.tokens.push_back(Token::Not);
                seen_not = true;
                continue;
            }
            let (n, w) = self.peek();
            if n == u32::from('-') {
                self.pos += w;
                self.tokens.push_back(Token::RangeLo(r));
                self.tokens.push_back(Token::RangeBetween);
                want_hi = true;
                continue;
            }
            self.unread();
            self.fetch_text(b"]");
            want_close = true;
        }
    }

    fn fetch_text(&mut self, breakers: &[u8]) {
        let mut data = Vec::new();
        let mut escaped = false;
        loop {
            let r = self.read();
            if r == EOF {
                break;
            }
            if !escaped {
                if r == u32::from('\\') {
                    escaped = true;
                    continue;
                }
                if r < 0x80 && breakers.contains(&(r as u8)) {
                    self.unread();
                    break;
                }
            }
            escaped = false;
            if let Some(c) = char::from_u32(r) {
                data.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            }
        }
        if !data.is_empty() {
            self.tokens.push_back(Token::Text(data));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tree (gobwas's syntax/ast).

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Nothing,
    Pattern(Vec<Node>),
    List { chars: Vec<u32>, not: bool },
    Range { lo: u32, hi: u32, not: bool },
    Text(Vec<u8>),
    Any,
    Super,
    Single,
    AnyOf(Vec<Node>),
}

/// A pattern being read, and the alternatives before it in its `{…}`.
#[derive(Default)]
struct OpenPattern {
    children: Vec<Node>,
    earlier: Vec<Node>,
}

impl OpenPattern {
    /// The `{…}` this pattern ends, as a node of the pattern around it.
    fn close(self) -> Node {
        let mut alternatives = self.earlier;
        alternatives.push(Node::Pattern(self.children));
        Node::AnyOf(alternatives)
    }
}

/// The tree of `pattern`, or `None` where gobwas's parser fails.
fn parse(pattern: &[u8]) -> Option<Node> {
    let mut lexer = Lexer::new(pattern);
    // The root, then one entry per `{` the lexer is inside (its terms level).
    let mut open = vec![OpenPattern::default()];
    loop {
        let node = match lexer.next() {
            Token::Eof => break,
            Token::Error => return None,
            Token::Text(t) => Node::Text(t),
            Token::Any => Node::Any,
            Token::Super => Node::Super,
            Token::Single => Node::Single,
            Token::RangeOpen => parse_range(&mut lexer)?,
            Token::TermsOpen => {
                open.push(OpenPattern::default());
                continue;
            }
            Token::Separator => {
                let top = open.last_mut()?;
                let done = std::mem::take(&mut top.children);
                top.earlier.push(Node::Pattern(done));
                continue;
            }
            Token::TermsClose => {
                let closed = open.pop()?.close();
                open.last_mut()?.children.push(closed);
                continue;
            }
            // "unexpected token"
            _ => return None,
        };
        open.last_mut()?.children.push(node);
    }
    // An alternation left open ends with the pattern.
    while open.len() > 1 {
        let closed = open.pop()?.close();
        open.last_mut()?.children.push(closed);
    }
    open.pop().map(|root| Node::Pattern(root.children))
}

fn parse_range(lexer: &mut Lexer) -> Option<Node> {
    let (mut not, mut lo, mut hi, mut chars) = (false, 0, 0, Vec::new());
    loop {
        match lexer.next() {
            Token::Eof | Token::Error => return None,
            Token::Not => not = true,
            Token::RangeLo(r) => lo = r,
            Token::RangeBetween => {}
            Token::RangeHi(r) => {
                hi = r;
                if hi < lo {
                    return None;
                }
            }
            Token::Text(t) => chars = t,
            Token::RangeClose => {
                let is_range = lo != 0 && hi != 0;
                if is_range != chars.is_empty() {
                    // "could not parse range"
                    return None;
                }
                return Some(if is_range {
                    Node::Range { lo, hi, not }
                } else {
                    Node::List {
                        chars: runes(&chars).map(|(_, r)| r).collect(),
                        not,
                    }
                });
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Matchers (gobwas's match package).

/// The separators Helm compiles with.
const SEPARATORS: &[u32] = &['/' as u32];

#[derive(Debug, Clone, PartialEq)]
enum Matcher {
    Nothing,
    Super,
    Any(Vec<u32>),
    Single(Vec<u32>),
    List {
        list: Vec<u32>,
        not: bool,
    },
    Range {
        lo: u32,
        hi: u32,
        not: bool,
    },
    Text {
        text: Vec<u8>,
        runes: usize,
    },
    Contains {
        needle: Vec<u8>,
        not: bool,
    },
    Prefix(Vec<u8>),
    Suffix(Vec<u8>),
    PrefixSuffix(Vec<u8>, Vec<u8>),
    PrefixAny(Vec<u8>, Vec<u32>),
    SuffixAny(Vec<u8>, Vec<u32>),
    Min(usize),
    Max(usize),
    EveryOf(Vec<Matcher>),
    AnyOf(Vec<Matcher>),
    Row {
        matchers: Vec<Matcher>,
        runes: usize,
    },
    BTree(Box<BTree>),
}

#[derive(Debug, Clone, PartialEq)]
struct BTree {
    value: Matcher,
    left: Option<Matcher>,
    right: Option<Matcher>,
    value_len: i64,
    left_len: i64,
    right_len: i64,
    len: i64,
}

impl BTree {
    fn new(value: Matcher, left: Option<Matcher>, right: Option<Matcher>) -> BTree {
        let value_len = value.len();
        let left_len = left.as_ref().map_or(0, Matcher::len);
        let right_len = right.as_ref().map_or(0, Matcher::len);
        let len = if value_len == -1 || left_len == -1 || right_len == -1 {
            -1
        } else {
            left_len + value_len + right_len
        };
        BTree {
            value,
            left,
            right,
            value_len,
            left_len,
            right_len,
            len,
        }
    }

    fn matches(&self, s: &[u8], steps: &mut u64) -> Outcome<bool> {
        let input_len = s.len() as i64;
        // Rune counts used as byte bounds, as gobwas does.
        let (mut offset, limit) = if self.len != -1 && self.len > input_len {
            (0, 0)
        } else {
            (
                self.left_len.max(0),
                if self.right_len >= 0 {
                    input_len - self.right_len
                } else {
                    input_len
                },
            )
        };
        while offset < limit {
            let (o, l) = (offset as usize, limit as usize);
            let Some((index, segments)) = self.value.index(&s[o..l], steps)? else {
                return Ok(false);
            };
            let at = o + index;
            let left = match &self.left {
                Some(m) => m.matches(&s[..at], steps)?,
                None => at == 0,
            };
            if left {
                for &length in segments.iter().rev() {
                    let r: &[u8] = s.get(at + length..).unwrap_or(&[]);
                    let right = match &self.right {
                        Some(m) => m.matches(r, steps)?,
                        None => r.is_empty(),
                    };
                    if right {
                        return Ok(true);
                    }
                }
            }
            let (_, step) = decode(&s[at..]);
            offset = (at + step) as i64;
        }
        Ok(false)
    }
}

fn spend(steps: &mut u64) -> Outcome<()> {
    *steps = steps.checked_sub(1).ok_or(Stop::Budget)?;
    Ok(())
}

/// Go's message for `s[lo:hi]` past the end of `s`.
fn slice_panic(hi: usize, len: usize) -> Stop {
    Stop::Panic(format!(
        "runtime error: slice bounds out of range [:{hi}] with length {len}"
    ))
}

/// Byte offsets after each rune of `s`, each shifted by `base` (gobwas's segment lists).
fn rune_ends(s: &[u8], base: usize) -> impl Iterator<Item = usize> + '_ {
    runes(s).map(move |(i, r)| base + i + rune_len(r))
}

/// Every rune start of `s`, then its length.
fn every_cut(s: &[u8], base: usize) -> Vec<usize> {
    runes(s)
        .map(|(i, _)| base + i)
        .chain(std::iter::once(base + s.len()))
        .collect()
}

impl Matcher {
    fn text(text: Vec<u8>) -> Matcher {
        let runes = rune_count(&text);
        Matcher::Text { text, runes }
    }

    /// The length in runes every match has, or −1.
    fn len(&self) -> i64 {
        match self {
            Matcher::Nothing => 0,
            Matcher::Single(_) | Matcher::List { .. } | Matcher::Range { .. } => 1,
            Matcher::Text { runes, .. } | Matcher::Row { runes, .. } => *runes as i64,
            Matcher::BTree(b) => b.len,
            Matcher::AnyOf(ms) => {
                let mut l = -1;
                for m in ms {
                    let ml = m.len();
                    if l == -1 {
                        l = ml;
                    } else if ml == -1 || l != ml {
                        return -1;
                    }
                }
                l
            }
            // gobwas adds only while the sum is positive, so any matcher makes it −1.
            Matcher::EveryOf(ms) if ms.is_empty() => 0,
            _ => -1,
        }
    }

    fn matches(&self, s: &[u8], steps: &mut u64) -> Outcome<bool> {
        spend(steps)?;
        Ok(match self {
            Matcher::Nothing => s.is_empty(),
            Matcher::Super => true,
            Matcher::Any(seps) => index_any_runes(s, seps).is_none(),
            Matcher::Single(seps) => {
                let (r, w) = decode(s);
                s.len() <= w && !seps.contains(&r)
            }
            Matcher::List { list, not } => {
                let (r, w) = decode(s);
                s.len() <= w && list.contains(&r) != *not
            }
            Matcher::Range { lo, hi, not } => {
                let (r, w) = decode(s);
                s.len() <= w && (*lo <= r && r <= *hi) != *not
            }
            Matcher::Text { text, .. } => s == &text[..],
            Matcher::Contains { needle, not } => find(s, needle).is_some() != *not,
            Matcher::Prefix(p) => s.starts_with(p),
            Matcher::Suffix(x) => s.ends_with(x),
            Matcher::PrefixSuffix(p, x) => s.starts_with(p) && s.ends_with(x),
            Matcher::PrefixAny(p, seps) => {
                s.starts_with(p) && index_any_runes(&s[p.len()..], seps).is_none()
            }
            Matcher::SuffixAny(x, seps) => {
                s.ends_with(x) && index_any_runes(&s[..s.len() - x.len()], seps).is_none()
            }
            // gobwas counts runes until the limit: an empty name has none, not even zero.
            Matcher::Min(limit) => runes(s).enumerate().any(|(n, _)| n + 1 >= *limit),
            Matcher::Max(limit) => rune_count(s) <= *limit,
            Matcher::EveryOf(ms) => {
                for m in ms {
                    if !m.matches(s, steps)? {
                        return Ok(false);
                    }
                }
                true
            }
            Matcher::AnyOf(ms) => {
                for m in ms {
                    if m.matches(s, steps)? {
                        return Ok(true);
                    }
                }
                false
            }
            Matcher::Row { matchers, runes } => {
                rune_count(s) == *runes && row_matches_all(matchers, s, steps)?
            }
            Matcher::BTree(b) => b.matches(s, steps)?,
        })
    }

    /// gobwas's `Index`: where the first match starts and the lengths it can have.
    fn index(&self, s: &[u8], steps: &mut u64) -> Outcome<Option<(usize, Vec<usize>)>> {
        spend(steps)?;
        Ok(match self {
            Matcher::Nothing => Some((0, vec![0])),
            Matcher::Super => Some((0, every_cut(s, 0))),
            Matcher::Any(seps) => match index_any_runes(s, seps) {
                Some(0) => Some((0, vec![0])),
                Some(found) => Some((0, every_cut(&s[..found], 0))),
                None => Some((0, every_cut(s, 0))),
            },
            Matcher::Single(seps) => runes(s)
                .find(|(_, r)| !seps.contains(r))
                .map(|(i, r)| (i, vec![rune_len(r)])),
            Matcher::List { list, not } => runes(s)
                .find(|(_, r)| *not != list.contains(r))
                .map(|(i, r)| (i, vec![rune_len(r)])),
            Matcher::Range { lo, hi, not } => runes(s)
                .find(|(_, r)| *not != (*lo <= *r && *r <= *hi))
                .map(|(i, r)| (i, vec![rune_len(r)])),
            Matcher::Text { text, .. } => find(s, text).map(|i| (i, vec![text.len()])),
            Matcher::Contains { needle, not } => {
                let idx = find(s, needle);
                if !*not {
                    let Some(idx) = idx else {
                        return Ok(None);
                    };
                    let offset = idx + needle.len();
                    if s.len() <= offset {
                        return Ok(Some((0, vec![offset])));
                    }
                    Some((0, every_cut(&s[offset..], offset)))
                } else {
                    Some((0, every_cut(&s[..idx.unwrap_or(s.len())], 0)))
                }
            }
            Matcher::Prefix(p) => find(s, p).map(|idx| {
                let sub = s.get(idx + p.len()..).unwrap_or(&[]);
                let segments = std::iter::once(p.len()).chain(rune_ends(sub, p.len()));
                (idx, segments.collect())
            }),
            Matcher::PrefixAny(p, seps) => find(s, p).map(|idx| {
                let mut sub = &s[idx + p.len()..];
                if let Some(i) = index_any_runes(sub, seps) {
                    sub = &sub[..i];
                }
                let segments = std::iter::once(p.len()).chain(rune_ends(sub, p.len()));
                (idx, segments.collect())
            }),
            Matcher::PrefixSuffix(p, x) => {
                let Some(prefix_idx) = find(s, p) else {
                    return Ok(None);
                };
                if x.is_empty() {
                    return Ok(Some((prefix_idx, vec![s.len() - prefix_idx])));
                }
                let mut segments = Vec::new();
                let mut sub = &s[prefix_idx..];
                while let Some(suffix_idx) = rfind(sub, x) {
                    segments.push(suffix_idx + x.len());
                    sub = &sub[..suffix_idx];
                }
                segments.reverse();
                (!segments.is_empty()).then_some((prefix_idx, segments))
            }
            Matcher::Suffix(x) => find(s, x).map(|idx| (0, vec![idx + x.len()])),
            Matcher::SuffixAny(x, seps) => find(s, x).map(|idx| {
                let i = last_index_any_runes(&s[..idx], seps).map_or(0, |i| i + 1);
                (i, vec![idx + x.len() - i])
            }),
            Matcher::Min(limit) => {
                if s.len() < *limit {
                    return Ok(None);
                }
                let segments: Vec<usize> = runes(s)
                    .enumerate()
                    .filter(|(n, _)| n + 1 >= *limit)
                    .map(|(_, (i, r))| i + rune_len(r))
                    .collect();
                (!segments.is_empty()).then_some((0, segments))
            }
            Matcher::Max(limit) => {
                let segments = std::iter::once(0).chain(rune_ends(s, 0).take(*limit));
                Some((0, segments.collect()))
            }
            Matcher::EveryOf(ms) => every_of_index(ms, s, steps)?,
            Matcher::AnyOf(ms) => {
                let mut found: Option<(usize, Vec<usize>)> = None;
                for m in ms {
                    let Some((idx, seg)) = m.index(s, steps)? else {
                        continue;
                    };
                    match &mut found {
                        Some((index, segments)) if idx == *index => {
                            *segments = merge_sorted(segments, &seg);
                        }
                        Some((index, _)) if idx > *index => {}
                        _ => found = Some((idx, seg)),
                    }
                }
                found
            }
            Matcher::Row { matchers, runes } => {
                for (i, _) in self::runes(s) {
                    if s.len() - i < *runes {
                        break;
                    }
                    if row_matches_all(matchers, &s[i..], steps)? {
                        return Ok(Some((i, vec![*runes])));
                    }
                }
                None
            }
            // gobwas leaves this to do: a tree never says where it starts.
            Matcher::BTree(_) => None,
        })
    }
}

/// gobwas's `Row.matchAll`: each matcher takes as many runes as its length, cut as if the last
/// one were a byte wide — and a matcher of length 0 at the end of the name cuts one byte past it.
fn row_matches_all(matchers: &[Matcher], s: &[u8], steps: &mut u64) -> Outcome<bool> {
    let mut idx = 0;
    for m in matchers {
        let length = m.len();
        let (mut next, mut i) = (0, 0i64);
        for (at, _) in runes(&s[idx..]) {
            next = at;
            i += 1;
            if i == length {
                break;
            }
        }
        if i < length {
            return Ok(false);
        }
        let end = idx + next + 1;
        let part = s.get(idx..end).ok_or_else(|| slice_panic(end, s.len()))?;
        if !m.matches(part, steps)? {
            return Ok(false);
        }
        idx = end;
    }
    Ok(true)
}

fn every_of_index(
    ms: &[Matcher],
    s: &[u8],
    steps: &mut u64,
) -> Outcome<Option<(usize, Vec<usize>)>> {
    let (mut index, mut offset) = (0usize, 0usize);
    let mut current: Vec<usize> = Vec::new();
    for (i, m) in ms.iter().enumerate() {
        let Some((idx, seg)) = m.index(&s[index..], steps)? else {
            return Ok(None);
        };
        if i == 0 {
            current = seg;
        } else {
            // gobwas keeps a cut where both agree, shifted by how far this match moved.
            let delta = index as i64 - (idx + offset) as i64;
            let next: Vec<usize> = current
                .iter()
                .flat_map(|&ex| seg.iter().filter(move |&&n| ex as i64 + delta == n as i64))
                .copied()
                .collect();
            if next.is_empty() {
                return Ok(None);
            }
            current = next;
        }
        index = idx + offset;
        offset += idx;
    }
    Ok(Some((index, current)))
}

/// gobwas's `appendMerge` of two sorted lists without repeats.
fn merge_sorted(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut x, mut y) = (0, 0);
    while x < a.len() || y < b.len() {
        match (a.get(x), b.get(y)) {
            (Some(&p), Some(&q)) if p == q => {
                out.push(p);
                x += 1;
                y += 1;
            }
            (Some(&p), Some(&q)) if p < q => {
                out.push(p);
                x += 1;
            }
            (_, Some(&q)) => {
                out.push(q);
                y += 1;
            }
            (Some(&p), None) => {
                out.push(p);
                x += 1;
            }
            (None, None) => break,
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Compiler (gobwas's compiler package).

fn compile(tree: &Node) -> Matcher {
    let m = match tree {
        Node::AnyOf(children) => {
            if let Some(n) = minimize_any_of(children) {
                return compile(&n);
            }
            return Matcher::AnyOf(compile_children(children));
        }
        Node::Pattern(children) if children.is_empty() => return Matcher::Nothing,
        Node::Pattern(children) => compile_matchers(minimize_matchers(compile_children(children))),
        Node::Any => Matcher::Any(SEPARATORS.to_vec()),
        Node::Super => Matcher::Super,
        Node::Single => Matcher::Single(SEPARATORS.to_vec()),
        Node::Nothing => Matcher::Nothing,
        Node::List { chars, not } => Matcher::List {
            list: chars.clone(),
            not: *not,
        },
        Node::Range { lo, hi, not } => Matcher::Range {
            lo: *lo,
            hi: *hi,
            not: *not,
        },
        Node::Text(t) => Matcher::text(t.clone()),
    };
    optimize(m)
}

fn compile_children(children: &[Node]) -> Vec<Matcher> {
    children.iter().map(|c| optimize(compile(c))).collect()
}

fn optimize(m: Matcher) -> Matcher {
    match m {
        Matcher::Any(seps) if seps.is_empty() => Matcher::Super,
        Matcher::AnyOf(mut ms) if ms.len() == 1 => ms.remove(0),
        Matcher::List { list, not: false } if list.len() == 1 => {
            let mut text = Vec::new();
            for r in list.iter().filter_map(|&r| char::from_u32(r)) {
                text.extend_from_slice(r.encode_utf8(&mut [0; 4]).as_bytes());
            }
            Matcher::text(text)
        }
        Matcher::BTree(b) => optimize_btree(*b),
        m => m,
    }
}

fn optimize_btree(b: BTree) -> Matcher {
    let left = b.left.map(optimize);
    let right = b.right.map(optimize);
    let Matcher::Text { text, .. } = &b.value else {
        // The lengths stay those the tree was built with.
        return Matcher::BTree(Box::new(BTree { left, right, ..b }));
    };
    let text = text.clone();
    let any_seps = |m: &Option<Matcher>| match m {
        Some(Matcher::Any(seps)) => Some(seps.clone()),
        _ => None,
    };
    match (&left, &right) {
        (None, None) => Matcher::text(text),
        (Some(Matcher::Super), Some(Matcher::Super)) => Matcher::Contains {
            needle: text,
            not: false,
        },
        (Some(Matcher::Super), None) => Matcher::Suffix(text),
        (None, Some(Matcher::Super)) => Matcher::Prefix(text),
        (None, Some(Matcher::Suffix(x))) => Matcher::PrefixSuffix(text, x.clone()),
        (Some(Matcher::Prefix(p)), None) => Matcher::PrefixSuffix(p.clone(), text),
        (Some(_), None) if any_seps(&left).is_some() => {
            Matcher::SuffixAny(text, any_seps(&left).unwrap_or_default())
        }
        (None, Some(_)) if any_seps(&right).is_some() => {
            Matcher::PrefixAny(text, any_seps(&right).unwrap_or_default())
        }
        _ => Matcher::BTree(Box::new(BTree { left, right, ..b })),
    }
}

fn compile_matchers(matchers: Vec<Matcher>) -> Matcher {
    if matchers.len() == 1 {
        return matchers.into_iter().next().unwrap_or(Matcher::Nothing);
    }
    if let Some(m) = glue(&matchers) {
        return m;
    }
    // The last of the longest fixed-length matchers is the pivot.
    let mut pivot: Option<(usize, i64)> = None;
    for (i, m) in matchers.iter().enumerate() {
        let l = m.len();
        if l != -1 && pivot.is_none_or(|(_, max)| l >= max) {
            pivot = Some((i, l));
        }
    }
    let mut matchers = matchers;
    let Some((idx, _)) = pivot else {
        let rest = matchers.split_off(1);
        let first = matchers.pop().unwrap_or(Matcher::Nothing);
        return Matcher::BTree(Box::new(BTree::new(
            first,
            None,
            Some(compile_matchers(rest)),
        )));
    };
    let right = matchers.split_off(idx + 1);
    let value = matchers.pop().unwrap_or(Matcher::Nothing);
    let left = matchers;
    let side = |ms: Vec<Matcher>| (!ms.is_empty()).then(|| compile_matchers(ms));
    Matcher::BTree(Box::new(BTree::new(value, side(left), side(right))))
}

fn glue(matchers: &[Matcher]) -> Option<Matcher> {
    glue_as_every(matchers).or_else(|| glue_as_row(matchers))
}

fn glue_as_row(matchers: &[Matcher]) -> Option<Matcher> {
    if matchers.len() <= 1 {
        return None;
    }
    let mut total = 0usize;
    for m in matchers {
        total += usize::try_from(m.len()).ok()?;
    }
    Some(Matcher::Row {
        matchers: matchers.to_vec(),
        runes: total,
    })
}

fn glue_as_every(matchers: &[Matcher]) -> Option<Matcher> {
    if matchers.len() <= 1 {
        return None;
    }
    let (mut has_any, mut has_super, mut has_single) = (false, false, false);
    let mut min = 0;
    let mut separator: Option<&[u32]> = None;
    for m in matchers {
        let sep: &[u32] = match m {
            Matcher::Super => {
                has_super = true;
                &[]
            }
            Matcher::Any(seps) => {
                has_any = true;
                seps
            }
            Matcher::Single(seps) => {
                has_single = true;
                min += 1;
                seps
            }
            Matcher::List { list, not: true } => {
                has_single = true;
                min += 1;
                list
            }
            _ => return None,
        };
        if *separator.get_or_insert(sep) != sep {
            return None;
        }
    }
    let separator = separator.unwrap_or(&[]);
    if has_super && !has_any && !has_single {
        return Some(Matcher::Super);
    }
    if has_any && !has_super && !has_single {
        return Some(Matcher::Any(separator.to_vec()));
    }
    if (has_any || has_super) && min > 0 && separator.is_empty() {
        return Some(Matcher::Min(min));
    }
    let mut every = Vec::new();
    if min > 0 {
        every.push(Matcher::Min(min));
        if !has_any && !has_super {
            every.push(Matcher::Max(min));
        }
    }
    if !separator.is_empty() {
        let mut needle = Vec::new();
        for c in separator.iter().filter_map(|&r| char::from_u32(r)) {
            needle.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
        every.push(Matcher::Contains { needle, not: true });
    }
    Some(Matcher::EveryOf(every))
}

fn minimize_matchers(matchers: Vec<Matcher>) -> Vec<Matcher> {
    let mut matchers = matchers;
    loop {
        // gobwas glues every run of the list to compare them; only the length of a glued run
        // takes part, so the runs are measured here and the chosen one built once (a row
        // copied for each of a long pattern's runs took seconds). A row's length is a sum of
        // lengths, read off running totals.
        let lens: Vec<i64> = matchers.iter().map(Matcher::len).collect();
        let (mut sums, mut no_length) = (vec![0i64], vec![0usize]);
        for &l in &lens {
            sums.push(sums[sums.len() - 1] + l.max(0));
            no_length.push(no_length[no_length.len() - 1] + usize::from(l == -1));
        }
        let glued_len = |l: usize, r: usize| -> Option<i64> {
            if r - l <= 1 {
                return None;
            }
            if let Some(m) = glue_as_every(&matchers[l..r]) {
                return Some(m.len());
            }
            (no_length[r] == no_length[l]).then(|| sums[r] - sums[l])
        };
        let mut done: Option<(i64, usize, usize)> = None;
        for l in 0..matchers.len() {
            for r in (l + 1..=matchers.len()).rev() {
                let Some(gl) = glued_len(l, r) else {
                    continue;
                };
                let swap = match &done {
                    None => true,
                    Some((cl, dl, dr)) => (*cl > -1 && gl > -1 && gl > *cl) || dr - dl < r - l,
                };
                if swap {
                    done = Some((gl, l, r));
                }
            }
        }
        let Some((glued, left, right)) =
            done.and_then(|(_, l, r)| glue(&matchers[l..r]).map(|g| (g, l, r)))
        else {
            return matchers;
        };
        let before = matchers.len();
        let tail = matchers.split_off(right);
        matchers.truncate(left);
        matchers.push(glued);
        matchers.extend(tail);
        if matchers.len() == before {
            return matchers;
        }
    }
}

/// gobwas's `minimizeTreeAnyOf`: the parts every alternative starts or ends with, taken out.
fn minimize_any_of(children: &[Node]) -> Option<Node> {
    let patterns: Vec<&[Node]> = children
        .iter()
        .map(|c| match c {
            Node::Pattern(ch) => Some(&ch[..]),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let (common_left, common_right) = common_children(&patterns);
    if common_left.is_empty() && common_right.is_empty() {
        return None;
    }
    let mut result = Vec::new();
    if !common_left.is_empty() {
        result.push(Node::Pattern(common_left.clone()));
    }
    let mut any_of: Vec<Node> = Vec::new();
    for child in &patterns {
        let reuse = &child[common_left.len()..child.len() - common_right.len()];
        let node = if reuse.is_empty() {
            Node::Nothing
        } else {
            Node::Pattern(reuse.to_vec())
        };
        if !any_of.contains(&node) {
            any_of.push(node);
        }
    }
    match any_of.len() {
        1 if any_of[0] != Node::Nothing => result.push(any_of.remove(0)),
        n if n > 1 => result.push(Node::AnyOf(any_of)),
        _ => {}
    }
    if !common_right.is_empty() {
        result.push(Node::Pattern(common_right));
    }
    Some(Node::Pattern(result))
}

fn common_children(nodes: &[&[Node]]) -> (Vec<Node>, Vec<Node>) {
    let (mut common_left, mut common_right) = (Vec::new(), Vec::new());
    if nodes.len() <= 1 {
        return (common_left, common_right);
    }
    // The first alternative with the fewest parts.
    let mut idx = 0;
    for (i, n) in nodes.iter().enumerate() {
        if n.len() < nodes[idx].len() {
            idx = i;
        }
    }
    let tree = nodes[idx];
    let tree_len = tree.len();
    let mut right: Vec<Option<Node>> = vec![None; tree_len];
    let mut last_right = tree_len;
    let (mut break_left, mut break_right) = (false, false);
    let mut common_total = 0;
    let (mut i, mut j) = (0usize, tree_len as i64 - 1);
    while common_total < tree_len && j >= 0 && !(break_left && break_right) {
        let ju = j as usize;
        let (tree_left, tree_right) = (&tree[i], &tree[ju]);
        for (k, other) in nodes.iter().enumerate() {
            if break_left && break_right {
                break;
            }
            if k == idx {
                continue;
            }
            let rest_left = &other[i];
            let rest_right = &other[ju + other.len() - tree_len];
            break_left = break_left || tree_left != rest_left;
            // Right parts are sought only while they do not overlap the left ones.
            break_right = break_right || (!break_left && ju <= i);
            break_right = break_right || tree_right != rest_right;
        }
        if !break_left {
            common_total += 1;
            common_left.push(tree_left.clone());
        }
        if !break_right {
            common_total += 1;
            last_right = ju;
            right[ju] = Some(tree_right.clone());
        }
        i += 1;
        j -= 1;
    }
    common_right.extend(right.into_iter().skip(last_right).flatten());
    (common_left, common_right)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, n: &str) -> Result<bool, String> {
        Glob::new(p).matches(n)
    }

    #[test]
    fn patterns_match_like_gobwas_glob_in_helm() {
        // Expectations printed by Helm 3.17.3 (`.Files.Glob` over a test chart) and gobwas' tests.
        let cases = [
            ("files/tls/*.{crt,pem}", "files/tls/a.crt", true),
            ("files/tls/*.{crt,pem}", "files/tls/b.pem", true),
            ("files/tls/*.{crt,pem}", "files/tls/k.jks}", false),
            ("files/tls/*.jks}", "files/tls/k.jks}", true),
            ("files/**", "files/a/b/c.txt", true),
            ("files/*", "files/a/b/c.txt", false),
            ("files/a/?.conf", "files/a/x.conf", true),
            ("*", "Chart.yaml", true),
            ("*", "a/b", false),
            ("[!a]bc", "xbc", true),
            ("[a-c]bc", "bbc", true),
            ("{a,b{c,d}}x", "bdx", true),
            ("a\\*", "a*", true),
            ("a,b", "a,b", true),
        ];
        for (p, n, want) in cases {
            assert_eq!(m(p, n), Ok(want), "{p} {n}");
        }
        // gobwas's lexer (syntax/lexer): a class is one range as written or a list with `\`
        // escapes; an alternation left open closes at the end; a last `\` is dropped.
        let lexed = [
            ("f/[ab-d]", "f/-", true),
            ("f/[ab-d]", "f/c", false),
            ("f/[a\\-c]", "f/-", true),
            ("f/[a\\-c]", "f/]", false),
            ("f/[\\]]", "f/]", true),
            ("f/[]-a]", "f/^", true),
            ("f/{a,b", "f/b", true),
            ("f/{a,b", "f/c", false),
            ("f/a\\", "f/a", true),
        ];
        for (p, n, want) in lexed {
            assert_eq!(m(p, n), Ok(want), "{p} {n}");
        }
        // Malformed: Helm falls back to `**`.
        assert_eq!(m("files/[", "anything/at/all"), Ok(true));
        assert_eq!(m("f/[a-cd]", "zzz"), Ok(true));
        assert_eq!(m("f/[a-]", "zzz"), Ok(true));
        assert_eq!(m("f/\u{FFFD}", "zzz"), Ok(true));
    }

    #[test]
    fn the_compilers_quirks_are_helms() {
        // Each printed by Helm 3.17.3 over files `files/a.txt` and `files/abc`.
        // `*{`: a tree whose pivot is an empty alternative, with no right side: nothing.
        assert_eq!(m("files/*{", "files/a.txt"), Ok(false));
        // `***` is `**` then `*`, a tree that needs a character.
        assert_eq!(m("***", "files/abc"), Ok(true));
        assert_eq!(m("a***", "a"), Ok(false));
        // A row of fixed lengths that ends in an empty alternative reads one byte past a name of
        // its length: Go's panic, the template's error.
        assert_eq!(
            m("files/a.txt{", "files/a.txt"),
            Err("runtime error: slice bounds out of range [:12] with length 11".into())
        );
        assert_eq!(m("files/a.txt{", "files/abc"), Ok(false));
        assert_eq!(
            m("x{", "x"),
            Err("runtime error: slice bounds out of range [:2] with length 1".into())
        );
        // A NUL is gobwas's end of input: it ends the pattern where a token starts, and is
        // dropped inside a text.
        assert_eq!(m("a\0b", "ab"), Ok(true));
        assert_eq!(m("\0b", "b"), Ok(false));
        assert_eq!(m("[\0-b]", "zz"), Ok(true));
    }

    #[test]
    fn hostile_patterns_end() {
        assert_eq!(m(&"{".repeat(1000), "x"), Ok(false));
        assert_eq!(m(&"{".repeat(100_000), "x"), Ok(true));
        assert_eq!(m(&"a".repeat(100_000), "x"), Ok(true));
        assert_eq!(m(&"*a".repeat(200), &"a".repeat(150)), Ok(false));
        assert_eq!(m(&"?*".repeat(500), &"a".repeat(1500)), Ok(true));
        // Every run of a long row is measured, not built (building each took seconds).
        let started = std::time::Instant::now();
        assert_eq!(m(&"?a".repeat(512), "a"), Ok(false));
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}

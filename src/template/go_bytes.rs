//! Go strings are bytes; ours are UTF-8. A Go string can hold bytes that are no UTF-8 (`trunc 63`
//! cutting `é` in half, `b64dec` of binary data), and Helm's behaviour then depends on them: the
//! manifest fails to parse ("incomplete UTF-8 octet sequence"), `quote` prints `"a\xc3"`, `len`
//! counts the byte, `toJson` prints U+FFFD. Such a byte is kept here as one character of a
//! private-use range, [`BASE`] + byte, so every function that sees Go bytes (`len`, `trunc`,
//! `substr`, `%q`, the YAML reader) can treat it as the byte it stands for.
//!
//! NOTE: a text that contains these code points itself (U+10FC80–U+10FCFF, inside the last
//! private-use plane) is read as those bytes too; no chart or values file is expected to.

use std::borrow::Cow;

/// The code point standing for byte 0x80 + n is `BASE + 0x80 + n`.
const BASE: u32 = 0x10_FC00;

/// The byte a character stands for, when it stands for one.
pub(crate) fn raw_byte(c: char) -> Option<u8> {
    let c = c as u32;
    (BASE + 0x80..=BASE + 0xFF)
        .contains(&c)
        .then(|| (c - BASE) as u8)
}

/// Whether `s` holds a byte that is no UTF-8.
pub(crate) fn has_raw(s: &str) -> bool {
    // Every such character is encoded starting with 0xF4 (as is all of plane 16).
    s.as_bytes().contains(&0xF4) && s.chars().any(|c| raw_byte(c).is_some())
}

/// The Go bytes of `s`.
pub(crate) fn go_bytes(s: &str) -> Cow<'_, [u8]> {
    if !has_raw(s) {
        return Cow::Borrowed(s.as_bytes());
    }
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match raw_byte(c) {
            Some(b) => out.push(b),
            None => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
    Cow::Owned(out)
}

/// Go's `utf8.DecodeRune`: the rune at the start of `b` and its width; a byte that is no UTF-8
/// decodes as `(U+FFFD, 1)`, nothing as `(U+FFFD, 0)`.
pub(crate) fn decode_rune(b: &[u8]) -> (u32, usize) {
    let Some(&first) = b.first() else {
        return (0xfffd, 0);
    };
    if first < 0x80 {
        return (u32::from(first), 1);
    }
    let width = match first {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return (0xfffd, 1),
    };
    match b.get(..width).map(std::str::from_utf8) {
        Some(Ok(s)) => (s.chars().next().map_or(0xfffd, u32::from), width),
        _ => (0xfffd, 1),
    }
}

/// Go's `for _, r := range s`: the runes of `s`, a byte that is no UTF-8 read as U+FFFD (so a
/// function that rebuilds its text rune by rune, as `strings.Map` or `[]rune(s)` do, writes
/// U+FFFD for it).
pub(crate) fn runes(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .map(|c| if raw_byte(c).is_some() { '\u{FFFD}' } else { c })
}

/// Go's `len(s)`.
pub(crate) fn go_len(s: &str) -> usize {
    go_bytes(s).len()
}

/// Go's `string(b)`, each byte that is no UTF-8 kept as its character.
pub(crate) fn from_go_bytes(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len());
    for chunk in b.utf8_chunks() {
        out.push_str(chunk.valid());
        for &byte in chunk.invalid() {
            out.push(char::from_u32(BASE + u32::from(byte)).unwrap_or('\u{FFFD}'));
        }
    }
    out
}

/// go-yaml v2's reader error for a text holding bytes that are no UTF-8, or characters YAML
/// does not allow (C0 and C1 controls other than tab, line breaks and NEL; DEL; U+FFFE and
/// U+FFFF). It reads the whole text before parsing, so this comes before any syntax error.
pub(crate) fn yaml_reader_error(s: &str) -> Option<&'static str> {
    if crate::byte_scan::printable_ascii(s.as_bytes(), true) {
        return None;
    }
    // Without a raw byte the text is UTF-8 throughout: only a character can be refused (most
    // texts that get here hold a `…` or an `é`; decoding each character again cost a percent).
    if !has_raw(s) {
        return s
            .chars()
            .any(|c| !yaml_allows(u32::from(c)))
            .then_some("control characters are not allowed");
    }
    let b = go_bytes(s);
    let mut i = 0;
    while i < b.len() {
        let lead = b[i];
        let width = match lead {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => return Some("invalid leading UTF-8 octet"),
        };
        if i + width > b.len() {
            return Some("incomplete UTF-8 octet sequence");
        }
        if b[i + 1..i + width].iter().any(|&t| t & 0xC0 != 0x80) {
            return Some("invalid trailing UTF-8 octet");
        }
        let Ok(text) = std::str::from_utf8(&b[i..i + width]) else {
            return Some("invalid length of a UTF-8 sequence");
        };
        let c = text.chars().next().map_or(0, u32::from);
        if !yaml_allows(c) {
            return Some("control characters are not allowed");
        }
        i += width;
    }
    None
}

/// [`yaml_reader_error`] of a file's text (no raw bytes): where the first character go-yaml's
/// reader refuses is, and its words.
pub(crate) fn yaml_reader_error_at(s: &str) -> Option<(usize, &'static str)> {
    if crate::byte_scan::printable_ascii(s.as_bytes(), true) {
        return None;
    }
    s.char_indices()
        .find(|&(_, c)| !yaml_allows(u32::from(c)))
        .map(|(at, _)| (at, "control characters are not allowed"))
}

/// Whether go-yaml's reader takes the character `c`.
fn yaml_allows(c: u32) -> bool {
    matches!(c, 0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0x85 | 0xA0..=0xD7FF)
        || matches!(c, 0xE000..=0xFFFD | 0x1_0000..=0x10_FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip() {
        let cut = from_go_bytes(&"aéb".as_bytes()[..2]);
        assert_eq!(go_len(&cut), 2);
        assert_eq!(&*go_bytes(&cut), b"a\xc3");
        assert_eq!(from_go_bytes("aé".as_bytes()), "aé");
        assert_eq!(
            yaml_reader_error(&cut),
            Some("incomplete UTF-8 octet sequence")
        );
        let mid = from_go_bytes(&"éb".as_bytes()[1..]);
        assert_eq!(yaml_reader_error(&mid), Some("invalid leading UTF-8 octet"));
        let cut_then_more = format!("{cut}\n");
        assert_eq!(
            yaml_reader_error(&cut_then_more),
            Some("invalid trailing UTF-8 octet")
        );
        assert_eq!(yaml_reader_error("aé"), None);
        // Helm 3.17.3 fails a manifest holding `{{ printf "%c" 127 }}` (or `toJson` of a
        // string with DEL, which encoding/json leaves raw) with this.
        for bad in ["a\u{7f}", "\u{1}", "\u{9f}", "\u{fffe}"] {
            assert_eq!(
                yaml_reader_error(bad),
                Some("control characters are not allowed"),
                "{bad:?}"
            );
        }
        assert_eq!(yaml_reader_error("\t\r\n\u{85}\u{a0}\u{feff}😀"), None);
    }

    /// A text of plain UTF-8 is judged as the same text whose `é` is two raw bytes (which the
    /// byte-by-byte reading takes): every character, each side of every bound.
    #[test]
    fn plain_text_is_judged_as_its_bytes() {
        let raw_e = from_go_bytes(&"é".as_bytes()[..1]) + &from_go_bytes(&"é".as_bytes()[1..]);
        assert!(has_raw(&raw_e));
        for c in (0..0x3_0000u32).step_by(7).chain([
            0x7e, 0x7f, 0x84, 0x85, 0x86, 0x9f, 0xa0, 0xd7ff, 0xe000, 0xfffd, 0xfffe, 0xffff,
            0x1_0000, 0x10_ffff,
        ]) {
            let Some(c) = char::from_u32(c) else {
                continue;
            };
            assert_eq!(
                yaml_reader_error(&format!("é{c}")),
                yaml_reader_error(&format!("{raw_e}{c}")),
                "{c:?}"
            );
        }
    }
}

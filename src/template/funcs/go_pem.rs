//! Go's `encoding/pem.Decode`, which every Sprig crypto function reads its PEM input with: the
//! first block whose BEGIN line starts a line, whose END line names the same type and ends the
//! line, and whose body is valid base64 (spaces and tabs dropped, line breaks skipped). A block
//! that fails any of these is passed over and the search goes on after it, as in Go, so text
//! around the PEM and a broken block before a good one are accepted.

use super::sprig_encoding::base64_decode;

const BEGIN: &[u8] = b"\n-----BEGIN ";
const END: &[u8] = b"\n-----END ";
const DASHES: &[u8] = b"-----";

/// A decoded block: its type (`RSA PRIVATE KEY`) and contents. Go's headers are read past but
/// not kept: no Sprig function looks at them.
pub(super) struct Block {
    pub(super) kind: String,
    pub(super) bytes: Vec<u8>,
}

/// The first block of `data`, or `None` where Go's `Decode` returns a nil block.
pub(super) fn decode(data: &[u8]) -> Option<Block> {
    let mut rest = data;
    loop {
        if let Some(after) = rest.strip_prefix(&BEGIN[1..]) {
            rest = after;
        } else {
            let at = find(rest, BEGIN)?;
            rest = &rest[at + BEGIN.len()..];
        }
        let (type_line, after) = line(rest);
        rest = after;
        let Some(kind) = type_line.strip_suffix(DASHES) else {
            continue;
        };
        let mut headers = false;
        loop {
            if rest.is_empty() {
                return None;
            }
            let (l, next) = line(rest);
            if !l.contains(&b':') {
                break;
            }
            headers = true;
            rest = next;
        }
        let (end, trailer) = if !headers && rest.starts_with(&END[1..]) {
            (0, END.len() - 1)
        } else {
            match find(rest, END) {
                Some(i) => (i, i + END.len()),
                None => continue,
            }
        };
        let trailer = &rest[trailer..];
        let want = kind.len() + DASHES.len();
        if trailer.len() < want
            || !trailer[..want].starts_with(kind)
            || !trailer[..want].ends_with(DASHES)
            || !line(&trailer[want..]).0.is_empty()
        {
            continue;
        }
        let body: Vec<u8> = rest[..end]
            .iter()
            .copied()
            .filter(|b| *b != b' ' && *b != b'\t')
            .collect();
        if let Ok(bytes) = base64_decode(&body) {
            return Some(Block {
                kind: String::from_utf8_lossy(kind).into_owned(),
                bytes,
            });
        }
    }
}

/// Go's `getLine`: the line up to `\n` (or `\r\n`) without trailing spaces and tabs, and what
/// follows the line break.
fn line(data: &[u8]) -> (&[u8], &[u8]) {
    let (mut i, next) = match data.iter().position(|b| *b == b'\n') {
        Some(i) => (i, i + 1),
        None => (data.len(), data.len()),
    };
    if next > i && i > 0 && data[i - 1] == b'\r' {
        i -= 1;
    }
    let mut l = &data[..i];
    while let [head @ .., b' ' | b'\t'] = l {
        l = head;
    }
    (l, &data[next..])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::decode;

    fn kind_and_bytes(text: &str) -> Option<(String, Vec<u8>)> {
        decode(text.as_bytes()).map(|b| (b.kind, b.bytes))
    }

    #[test]
    fn blocks_are_found_as_go_finds_them() {
        let ok = Some(("X".to_string(), b"hi".to_vec()));
        // Text around the block, CR-LF lines, spaces in the body, headers.
        assert_eq!(
            kind_and_bytes("junk\n-----BEGIN X-----\naGk=\n-----END X-----\n"),
            ok
        );
        assert_eq!(
            kind_and_bytes("-----BEGIN X-----\r\na G\tk=\r\n-----END X-----  \r\n"),
            ok
        );
        assert_eq!(
            kind_and_bytes("-----BEGIN X-----\nA: b\n\naGk=\n-----END X-----"),
            ok
        );
        // BEGIN not at a line start, END of another type, text after END: passed over.
        assert_eq!(
            kind_and_bytes("x-----BEGIN X-----\naGk=\n-----END X-----\n"),
            None
        );
        assert_eq!(
            kind_and_bytes("-----BEGIN X-----\naGk=\n-----END Y-----\n"),
            None
        );
        assert_eq!(
            kind_and_bytes("-----BEGIN X-----\naGk=\n-----END X----- z\n"),
            None
        );
        // A broken block, then a good one: the good one.
        assert_eq!(
            kind_and_bytes(
                "-----BEGIN X-----\n!!\n-----END X-----\n-----BEGIN X-----\naGk=\n-----END X-----\n"
            ),
            ok
        );
        // An empty block, its END right after the BEGIN line.
        assert_eq!(
            kind_and_bytes("-----BEGIN X-----\n-----END X-----\n"),
            Some(("X".into(), vec![]))
        );
    }
}

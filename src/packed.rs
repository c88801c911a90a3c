//! A compact binary form of a Helm-typed value tree, for the data built into the binary.
//!
//! `build.rs` loads `rules/charts/*.yaml` and `rules/catalog.yaml` with the same YAML loader
//! as at run time and writes each tree in this form; startup then decodes a few thousand nodes
//! instead of parsing ~75 KB of YAML on every run. The YAML files stay the source of truth.
//!
//! Layout: one tag byte per node, then its payload — lengths and counts as LEB128 varints,
//! numbers as 8 little-endian bytes, strings as UTF-8 — depth-first, map entries in key order.
//! Origins are not stored: every decoded node gets the origin the caller gives.

use crate::value::{Map, Node, Origin, Value};

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const INT: u8 = 3;
const FLOAT: u8 = 4;
const STR: u8 = 5;
const SEQ: u8 = 6;
const MAP: u8 = 7;

/// Appends the packed form of `node` to `out`.
#[allow(
    dead_code,
    reason = "the build script (build.rs) packs with it; the library only decodes (and its tests)"
)]
pub fn encode(node: &Node, out: &mut Vec<u8>) {
    match &node.value {
        Value::Null => out.push(NULL),
        Value::Bool(false) => out.push(FALSE),
        Value::Bool(true) => out.push(TRUE),
        Value::Int(i) => {
            out.push(INT);
            out.extend_from_slice(&i.to_le_bytes());
        }
        Value::Float(f) => {
            out.push(FLOAT);
            out.extend_from_slice(&f.to_bits().to_le_bytes());
        }
        Value::Str(s) => {
            out.push(STR);
            encode_str(s, out);
        }
        Value::Seq(items) => {
            out.push(SEQ);
            encode_len(items.len(), out);
            items.iter().for_each(|n| encode(n, out));
        }
        Value::Map(map) => {
            out.push(MAP);
            encode_len(map.len(), out);
            for (k, v) in map {
                encode_str(k, out);
                encode(v, out);
            }
        }
    }
}

fn encode_str(s: &str, out: &mut Vec<u8>) {
    encode_len(s.len(), out);
    out.extend_from_slice(s.as_bytes());
}

fn encode_len(mut n: usize, out: &mut Vec<u8>) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Decodes a tree written by [`encode`], giving every node `origin`.
pub fn decode(bytes: &[u8], origin: &Origin) -> Result<Node, String> {
    let mut r = Reader {
        bytes,
        pos: 0,
        origin,
    };
    let node = r.node(0)?;
    if r.pos != bytes.len() {
        return Err(format!("{} bytes left over", bytes.len() - r.pos));
    }
    Ok(node)
}

/// Deeper than any tree the YAML loader accepts.
const MAX_DEPTH: usize = 256;

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    origin: &'a Origin,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or("truncated")?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn byte(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn eight(&mut self) -> Result<[u8; 8], String> {
        let mut b = [0; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(b)
    }

    fn len(&mut self) -> Result<usize, String> {
        let mut n = 0usize;
        for shift in (0..usize::BITS).step_by(7) {
            let byte = self.byte()?;
            n |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                // A count can never exceed the bytes left: each element takes at least one.
                return if n <= self.bytes.len() - self.pos {
                    Ok(n)
                } else {
                    Err("length out of range".into())
                };
            }
        }
        Err("length out of range".into())
    }

    fn string(&mut self) -> Result<String, String> {
        let n = self.len()?;
        let raw = self.take(n)?;
        std::str::from_utf8(raw)
            .map(str::to_string)
            .map_err(|e| e.to_string())
    }

    fn node(&mut self, depth: usize) -> Result<Node, String> {
        if depth > MAX_DEPTH {
            return Err("nested too deeply".into());
        }
        let value = match self.byte()? {
            NULL => Value::Null,
            FALSE => Value::Bool(false),
            TRUE => Value::Bool(true),
            INT => Value::Int(i64::from_le_bytes(self.eight()?)),
            FLOAT => Value::Float(f64::from_bits(u64::from_le_bytes(self.eight()?))),
            STR => Value::Str(self.string()?),
            SEQ => {
                let n = self.len()?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.node(depth + 1)?);
                }
                Value::Seq(items)
            }
            MAP => {
                let n = self.len()?;
                let mut entries = Vec::with_capacity(n);
                for _ in 0..n {
                    let key = self.string()?;
                    entries.push((key, self.node(depth + 1)?));
                }
                // Already in key order: BTreeMap builds it in bulk.
                Value::Map(entries.into_iter().collect::<Map>())
            }
            tag => return Err(format!("unknown tag {tag}")),
        };
        Ok(Node::new(value, self.origin.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::yaml::{Limits, load};

    #[test]
    fn round_trip() {
        let text = "a: {b: [1, 2.5, -0, \"x\", null, yes, no, {}, []]}\n\"\": é\nbig: 1e300\n";
        let node = load(FileId(0), text, &Limits::default())
            .unwrap()
            .documents
            .remove(0);
        let mut bytes = Vec::new();
        encode(&node, &mut bytes);
        let back = decode(&bytes, &Origin::Synthetic).unwrap();
        let mut again = Vec::new();
        encode(&back, &mut again);
        assert_eq!(bytes, again);
        assert_eq!(
            back.get_path(&["a", "b"]).map(|n| n.value.type_name()),
            node.get_path(&["a", "b"]).map(|n| n.value.type_name())
        );
        let mut int = Vec::new();
        encode(&Node::new(Value::Int(-7), Origin::Synthetic), &mut int);
        assert_eq!(
            decode(&int, &Origin::Synthetic).unwrap().value,
            Value::Int(-7)
        );
    }

    #[test]
    fn corrupt_input_is_an_error() {
        let mut bytes = Vec::new();
        let node = load(FileId(0), "a: [x, y]\n", &Limits::default())
            .unwrap()
            .documents
            .remove(0);
        encode(&node, &mut bytes);
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut], &Origin::Synthetic).is_err(), "{cut}");
        }
        assert!(decode(&[SEQ, 0xff, 0xff, 0xff, 0xff, 0x0f], &Origin::Synthetic).is_err());
        assert!(decode(&[42], &Origin::Synthetic).is_err());
        assert!(decode(&[SEQ; 1000], &Origin::Synthetic).is_err());
    }
}

//! Sprig's `b64enc`, `b64dec`, `b32enc`, `b32dec`: standard, padded alphabets.
//!
//! Decoding follows Go's `encoding/base64` and `encoding/base32` quantum by quantum, because
//! Sprig returns the decoder's error text as the result (`illegal base64 data at input byte
//! 4`) and a chart may print it. Decoded bytes that are not UTF-8 become U+FFFD here (a Go
//! string would keep them).

use super::super::go_bytes::go_bytes;
use super::super::value::Value;
use super::args::{arity, string};
use super::{Ctx, Func, FuncError};

/// The functions of this family.
pub(crate) const FUNCS: &[(&str, Func)] = &[
    ("b64enc", b64enc),
    ("b64dec", b64dec),
    ("b32enc", b32enc),
    ("b32dec", b32dec),
];

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Standard base64 with padding.
pub(crate) fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(char::from(B64[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn b64_value(c: u8) -> Option<u8> {
    B64.iter().position(|x| *x == c).map(|p| p as u8)
}

/// Go's `base64.StdEncoding.DecodeString`, with its error as `Err(offset)`.
pub(crate) fn base64_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        let mut dbuf = [0u8; 4];
        let mut dlen = 4;
        let mut err = None;
        let mut j = 0;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                // Padding is required: a short final quantum is corrupt.
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            if let Some(v) = b64_value(c) {
                dbuf[j] = v;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(src.len());
                    }
                    if src[si] != b'=' {
                        return Err(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                si += 1;
            }
            if si < src.len() {
                err = Some(si);
            }
            dlen = j;
            break;
        }
        let val = (u32::from(dbuf[0]) << 18)
            | (u32::from(dbuf[1]) << 12)
            | (u32::from(dbuf[2]) << 6)
            | u32::from(dbuf[3]);
        let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
        if let Some(e) = err {
            return Err(e);
        }
        if dlen < 4 {
            return Ok(out);
        }
    }
    Ok(out)
}

/// Standard base32 with padding.
pub(crate) fn base32_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    for c in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..c.len()].copy_from_slice(c);
        let n = buf.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b));
        let chars = (c.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < chars {
                out.push(char::from(B32[(n >> (35 - 5 * i) & 31) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `base32.StdEncoding.DecodeString` (newlines removed first), error as `Err(offset)`.
pub(crate) fn base32_decode(input: &[u8]) -> Result<Vec<u8>, usize> {
    let src: Vec<u8> = input
        .iter()
        .copied()
        .filter(|c| *c != b'\n' && *c != b'\r')
        .collect();
    let olen = src.len();
    let mut rest: &[u8] = &src;
    let mut out = Vec::new();
    let mut end = false;
    while !rest.is_empty() && !end {
        let mut dbuf = [0u8; 8];
        let mut dlen = 8;
        let mut j = 0;
        while j < 8 {
            let Some((&c, tail)) = rest.split_first() else {
                return Err(olen - j);
            };
            rest = tail;
            if c == b'=' && j >= 2 && rest.len() < 8 {
                if rest.len() + j < 7 {
                    return Err(olen);
                }
                for k in 0..7 - j {
                    if rest.len() > k && rest[k] != b'=' {
                        return Err(olen - rest.len() + k - 1);
                    }
                }
                dlen = j;
                end = true;
                if matches!(dlen, 1 | 3 | 6) {
                    return Err(olen - rest.len() - 1);
                }
                break;
            }
            match B32.iter().position(|x| *x == c) {
                Some(v) => dbuf[j] = v as u8,
                None => return Err(olen - rest.len() - 1),
            }
            j += 1;
        }
        let d = dbuf;
        let bytes = [
            (d[0] << 3) | (d[1] >> 2),
            (d[1] << 6) | (d[2] << 1) | (d[3] >> 4),
            (d[3] << 4) | (d[4] >> 1),
            (d[4] << 7) | (d[5] << 2) | (d[6] >> 3),
            (d[6] << 5) | d[7],
        ];
        let n = match dlen {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            2 => 1,
            _ => 0,
        };
        out.extend_from_slice(&bytes[..n]);
    }
    Ok(out)
}

/// Go's `string(bytes)`: bytes that are no UTF-8 stay bytes.
fn text_of(bytes: Vec<u8>) -> Value {
    match String::from_utf8(bytes) {
        Ok(s) => Value::str(s),
        Err(e) => Value::str(super::super::go_bytes::from_go_bytes(e.as_bytes())),
    }
}

fn b64enc(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    Ok(Value::str(base64_encode(&go_bytes(
        string(&a[0])?.as_str(),
    ))))
}

fn b64dec(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    Ok(match base64_decode(string(&a[0])?.as_str().as_bytes()) {
        Ok(b) => text_of(b),
        Err(at) => Value::str(format!("illegal base64 data at input byte {at}")),
    })
}

fn b32enc(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    Ok(Value::str(base32_encode(&go_bytes(
        string(&a[0])?.as_str(),
    ))))
}

fn b32dec(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    Ok(match base32_decode(string(&a[0])?.as_str().as_bytes()) {
        Ok(b) => text_of(b),
        Err(at) => Value::str(format!("illegal base32 data at input byte {at}")),
    })
}

#[cfg(test)]
mod tests {
    use super::super::sprig_testutil::{s, show};

    // Expectations from `helm template` (Helm 3.17.3) and Sprig's strings_test.go.
    #[test]
    fn base64() {
        assert_eq!(show("b64enc", &[s("héllo")]), "aMOpbGxv");
        assert_eq!(show("b64enc", &[s("coffee")]), "Y29mZmVl");
        assert_eq!(show("b64enc", &[s("")]), "");
        assert_eq!(show("b64dec", &[s("Y29mZmVl")]), "coffee");
        assert_eq!(show("b64dec", &[s("YWJj")]), "abc");
        assert_eq!(show("b64dec", &[s("")]), "");
        assert_eq!(show("b64dec", &[s("YQ==")]), "a");
        assert_eq!(show("b64dec", &[s("YWJjZB==")]), "abcd");
        assert_eq!(show("b64dec", &[s("YW\nJj")]), "abc");
        assert_eq!(show("b64dec", &[s("YWJj\r\nZGVm")]), "abcdef");
        let bad = |t: &str| show("b64dec", &[s(t)]);
        assert_eq!(bad("YWJ"), "illegal base64 data at input byte 0");
        assert_eq!(bad("YW=j"), "illegal base64 data at input byte 2");
        assert_eq!(bad("YWJjZA"), "illegal base64 data at input byte 4");
        assert_eq!(bad("YWJjZA==x"), "illegal base64 data at input byte 8");
        assert_eq!(bad("YQ="), "illegal base64 data at input byte 3");
        assert_eq!(bad("Y==="), "illegal base64 data at input byte 1");
    }

    #[test]
    fn base32() {
        assert_eq!(show("b32enc", &[s("abc")]), "MFRGG===");
        assert_eq!(show("b32enc", &[s("coffee")]), "MNXWMZTFMU======");
        assert_eq!(show("b32dec", &[s("MNXWMZTFMU======")]), "coffee");
        assert_eq!(show("b32dec", &[s("MFRGG===")]), "abc");
        assert_eq!(show("b32dec", &[s("MFRG\nGZDF")]), "abcde");
        let bad = |t: &str| show("b32dec", &[s(t)]);
        assert_eq!(bad("MFRGG"), "illegal base32 data at input byte 0");
        assert_eq!(bad("M1"), "illegal base32 data at input byte 1");
        assert_eq!(bad("MFRGG="), "illegal base32 data at input byte 6");
        assert_eq!(bad("MFRGGZ=="), "illegal base32 data at input byte 6");
    }
}

//! Sprig's digests: `sha1sum`, `sha256sum`, `sha512sum` (lower-case hex) and `adler32sum`
//! (decimal), over the string's bytes.
//!
//! SHA-256 and SHA-512 are the `sha2` crate's (`derivePassword` needs it for HMAC); SHA-1 is
//! implemented here from FIPS 180-4. The tests pin them to what Helm prints.

use super::super::go_bytes::go_bytes;
use super::super::value::Value;
use super::args::{arity, string};
use super::{Ctx, Func, FuncError};
use sha2::Digest;

/// The functions of this family.
pub(crate) const FUNCS: &[(&str, Func)] = &[
    ("sha1sum", sha1sum),
    ("sha256sum", sha256sum),
    ("sha512sum", sha512sum),
    ("adler32sum", adler32sum),
];

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Merkle–Damgård padding for a 64-byte block (`len_bytes` = 8) or 128-byte block (16).
fn pad(data: &[u8], block: usize, len_bytes: usize) -> Vec<u8> {
    let mut m = data.to_vec();
    m.push(0x80);
    while m.len() % block != block - len_bytes {
        m.push(0);
    }
    let bits = (data.len() as u128).wrapping_mul(8);
    m.extend_from_slice(&bits.to_be_bytes()[16 - len_bytes..]);
    m
}

/// SHA-1.
pub(crate) fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    for chunk in pad(data, 64, 8).chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, word) in chunk.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            (e, d, c, b, a) = (d, c, b.rotate_left(30), a, t);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (o, x) in out.chunks_exact_mut(4).zip(h) {
        o.copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// SHA-256.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    sha2::Sha256::digest(data).into()
}

/// SHA-512.
pub(crate) fn sha512(data: &[u8]) -> [u8; 64] {
    sha2::Sha512::digest(data).into()
}

/// Adler-32 (`hash/adler32`).
pub(crate) fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for x in chunk {
            a += u32::from(*x);
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16) | a
}

fn input(a: &[Value]) -> Result<&str, FuncError> {
    arity(a, 1)?;
    Ok(string(&a[0])?.as_str())
}

fn sha1sum(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::str(hex(&sha1(&go_bytes(input(a)?)))))
}

fn sha256sum(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::str(hex(&sha256(&go_bytes(input(a)?)))))
}

fn sha512sum(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::str(hex(&sha512(&go_bytes(input(a)?)))))
}

fn adler32sum(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::str(adler32(&go_bytes(input(a)?)).to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::sprig_testutil::{call, s, show};
    use crate::template::value::Value;

    fn rep(n: i64, t: &str) -> Value {
        call("repeat", &[Value::int(n), s(t)]).unwrap()
    }

    // Expectations from `helm template` (Helm 3.17.3).
    #[test]
    fn digests_match_helm() {
        assert_eq!(
            show("sha1sum", &[s("abc")]),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            show("sha256sum", &[s("")]),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            show("sha256sum", &[rep(200, "a")]),
            "c2a908d98f5df987ade41b5fce213067efbcc21ef2240212a41e54b5e7c28ae5"
        );
        assert_eq!(
            show("sha256sum", &[s("héllo\n")]),
            "b95becd154aa095f76c4ca47a5aeb8350d6dfcb838404edfc9dae06628de938d"
        );
        assert_eq!(
            show("sha512sum", &[s("abc")]),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
             2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        );
        assert_eq!(
            show("sha512sum", &[rep(130, "q")]),
            "2fff7ea75da07669f6a78cf73674284f71a625694d8b690effde61b7ab920640\
             087ea87aa546f966b6716dcc03f40af9799d0b0d2acacb5bee2ff99d44cc40bf"
        );
        assert_eq!(
            show("sha1sum", &[rep(100, "xy")]),
            "189277b7220e48b8e350004a708d6a14b7ba406c"
        );
        assert_eq!(show("adler32sum", &[s("Wikipedia")]), "300286872");
        assert_eq!(show("adler32sum", &[rep(10000, "ü")]), "2059498583");
    }
}

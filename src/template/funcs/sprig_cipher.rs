//! Sprig's `encryptAES`, `decryptAES` and `derivePassword` (`crypto.go`, Sprig v3.3).
//!
//! `encryptAES PASSWORD TEXT` is AES-256-CBC with the password's bytes as the key (zero-padded
//! or cut to 32 bytes: no key derivation), PKCS#7 padding, a random IV in front and standard
//! base64 around it all. `decryptAES` undoes it without checking anything: Go's runtime errors
//! (short input, a zero or oversized last padding byte) are Sprig's errors, worded as Go's
//! panics. `derivePassword` is the Master Password algorithm: scrypt (N=32768, r=8, p=2) of the
//! password salted with the user name, then HMAC-SHA256 of the site name and counter picks a
//! template and its characters.
//!
//! The IV comes from the render's generator ([`super::Rng`]), as Sprig's other random output
//! does here; `helm template`'s ciphertext differs on every run anyway.

use aes::Aes256;
use aes::cipher::generic_array::GenericArray;
use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};
use hmac::{Hmac, Mac};

use super::super::value::{IntType, Value};
use super::args::{arity, string};
use super::sprig_encoding::{base64_decode, base64_encode};
use super::{Ctx, Func, FuncError};

/// The functions of this family.
pub const FUNCS: &[(&str, Func)] = &[
    ("encryptAES", encrypt_aes),
    ("decryptAES", decrypt_aes),
    ("derivePassword", derive_password),
];

const BLOCK: usize = 16;

/// The password's bytes in a 32-byte key, as Sprig copies them.
fn cipher(password: &str) -> Aes256 {
    let mut key = [0u8; 32];
    let n = password.len().min(32);
    key[..n].copy_from_slice(&password.as_bytes()[..n]);
    Aes256::new(GenericArray::from_slice(&key))
}

fn encrypt_aes(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let password = string(&a[0])?.as_str();
    let text = string(&a[1])?.as_str();
    if text.is_empty() {
        return Ok(Value::str(""));
    }
    let aes = cipher(password);
    let padding = BLOCK - text.len() % BLOCK;
    let mut out = Vec::with_capacity(BLOCK + text.len() + padding);
    for _ in 0..2 {
        out.extend_from_slice(&ctx.rng.next_u64().to_le_bytes());
    }
    out.extend_from_slice(text.as_bytes());
    out.extend(std::iter::repeat_n(padding as u8, padding));
    // CBC: each block is XORed with the previous ciphertext block (the IV for the first).
    for start in (BLOCK..out.len()).step_by(BLOCK) {
        let (prev, rest) = out.split_at_mut(start);
        let block = &mut rest[..BLOCK];
        for (b, p) in block.iter_mut().zip(&prev[start - BLOCK..]) {
            *b ^= p;
        }
        aes.encrypt_block(GenericArray::from_mut_slice(block));
    }
    Ok(Value::str(base64_encode(&out)))
}

fn decrypt_aes(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let password = string(&a[0])?.as_str();
    let crypt64 = string(&a[1])?.as_str();
    if crypt64.is_empty() {
        return Ok(Value::str(""));
    }
    let crypt = base64_decode(crypt64.as_bytes())
        .map_err(|at| FuncError::call(format!("illegal base64 data at input byte {at}")))?;
    if crypt.len() < BLOCK {
        return Err(FuncError::call(format!(
            "runtime error: slice bounds out of range [:{BLOCK}] with capacity {}",
            crypt.len()
        )));
    }
    let (iv, body) = crypt.split_at(BLOCK);
    if body.len() % BLOCK != 0 {
        return Err(FuncError::call("crypto/cipher: input not full blocks"));
    }
    let aes = cipher(password);
    let mut plain = body.to_vec();
    for (i, block) in plain.chunks_mut(BLOCK).enumerate() {
        aes.decrypt_block(GenericArray::from_mut_slice(block));
        let prev = if i == 0 {
            iv
        } else {
            &body[(i - 1) * BLOCK..i * BLOCK]
        };
        for (b, p) in block.iter_mut().zip(prev) {
            *b ^= p;
        }
    }
    let Some(&last) = plain.last() else {
        return Err(FuncError::call("runtime error: index out of range [-1]"));
    };
    let Some(end) = plain.len().checked_sub(usize::from(last)) else {
        return Err(FuncError::call(format!(
            "runtime error: slice bounds out of range [:{}]",
            plain.len() as i64 - i64::from(last)
        )));
    };
    plain.truncate(end);
    Ok(super::sprig_strings::from_bytes(plain))
}

const MASTER_PASSWORD_SEED: &[u8] = b"com.lyndir.masterpassword";

/// Master Password's templates by password type.
fn templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

/// The characters a template letter stands for.
fn characters(class: u8) -> &'static [u8] {
    match class {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// `derivePassword COUNTER TYPE PASSWORD USER SITE`. COUNTER is a Go `uint32` parameter: a
/// number constant is cut to 32 bits as Go's reflection sets it, a negative one fails.
fn derive_password(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 5)?;
    let counter = match &a[0] {
        Value::Int(n, IntType::Int, _) if *n >= 0 => *n as u32,
        other => return Err(super::args::wrong_type("uint32", other)),
    };
    let kind = string(&a[1])?.as_str();
    let password = string(&a[2])?.as_str();
    let user = string(&a[3])?.as_str();
    let site = string(&a[4])?.as_str();
    let Some(templates) = templates(kind) else {
        return Ok(Value::str(format!("cannot find password template {kind}")));
    };
    let mut salt = MASTER_PASSWORD_SEED.to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    let params = scrypt::Params::new(15, 8, 2, key.len())
        .map_err(|e| FuncError::call(format!("failed to derive password: {e}")))?;
    scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key)
        .map_err(|e| FuncError::call(format!("failed to derive password: {e}")))?;
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&key)
        .map_err(|e| FuncError::call(format!("failed to derive password: {e}")))?;
    mac.update(MASTER_PASSWORD_SEED);
    mac.update(&(site.len() as u32).to_be_bytes());
    mac.update(site.as_bytes());
    mac.update(&counter.to_be_bytes());
    let seed = mac.finalize().into_bytes();
    let template = templates[usize::from(seed[0]) % templates.len()].as_bytes();
    let out: String = template
        .iter()
        .zip(&seed[1..])
        .map(|(&class, &s)| {
            let chars = characters(class);
            char::from(chars[usize::from(s) % chars.len()])
        })
        .collect();
    Ok(Value::str(out))
}

#[cfg(test)]
mod tests {
    use super::super::sprig_testutil::{call, err, i, s, show};

    // Expectations from `helm template` (Helm 3.17.3).
    #[test]
    fn derive_password_matches_helm() {
        for (kind, want) in [
            ("maximum", "pf4zS1LjCg&LjhsZ7T2~"),
            ("long", "ZedaFaxcZaso9*"),
            ("medium", "ZedJuz8$"),
            ("short", "Zed5"),
            ("basic", "pIS54PLs"),
            ("pin", "6685"),
            ("nope", "cannot find password template nope"),
            ("", "cannot find password template "),
        ] {
            let got = show(
                "derivePassword",
                &[i(1), s(kind), s("password"), s("user"), s("example.com")],
            );
            assert_eq!(got, want, "{kind}");
        }
        let args = [i(0), s("long"), s(""), s(""), s("")];
        assert_eq!(show("derivePassword", &args), "Rozi8;WilbQoyu");
        let args = [
            i(4_294_967_295),
            s("maximum"),
            s("pässwörd"),
            s("üser"),
            s("日本.example"),
        ];
        assert_eq!(show("derivePassword", &args), "OEmsDA&gmzVh46ilSw6%");
        // 2^32 is cut to 0 as Go sets a uint32 parameter.
        let args = [i(4_294_967_296), s("long"), s("p"), s("u"), s("s")];
        assert_eq!(show("derivePassword", &args), "WupeHanuFiyi6@");
        let args = [i(-1), s("long"), s("p"), s("u"), s("s")];
        assert_eq!(
            err("derivePassword", &args),
            "wrong type for value; expected uint32; got int"
        );
    }

    #[test]
    fn decrypt_aes_reads_helms_ciphertext() {
        // `encryptAES "secretkey" "plaintext"` as printed by Helm 3.17.3.
        let crypt = s("WbePifsYest3aurfdk/v6FA6fOEet2i9q7y2zPnPTok=");
        assert_eq!(show("decryptAES", &[s("secretkey"), crypt]), "plaintext");
        assert_eq!(show("decryptAES", &[s("k"), s("")]), "");
        assert_eq!(show("encryptAES", &[s("k"), s("")]), "");
    }

    #[test]
    fn encrypt_aes_round_trips() {
        for (key, text) in [
            ("k", "héllo wörld, 16 bytes exactly!!"),
            ("0123456789abcdef0123456789abcdef", "x"),
            ("", "0123456789abcdef"),
        ] {
            let crypt = show("encryptAES", &[s(key), s(text)]);
            // IV + text padded to whole blocks, in base64.
            let blocks = text.len() / 16 + 1;
            assert_eq!(crypt.len(), (16 + 16 * blocks).div_ceil(3) * 4, "{crypt}");
            assert_eq!(show("decryptAES", &[s(key), s(&crypt)]), text);
        }
        // Sprig keeps only the first 32 bytes of the password.
        let crypt = show(
            "encryptAES",
            &[s("0123456789abcdef0123456789abcdefEXTRA"), s("x")],
        );
        let key = s("0123456789abcdef0123456789abcdef");
        assert_eq!(show("decryptAES", &[key, s(&crypt)]), "x");
        // A random IV: the same text encrypts differently.
        let again = show(
            "encryptAES",
            &[s("0123456789abcdef0123456789abcdefEXTRA"), s("x")],
        );
        assert_ne!(crypt, again);
        assert!(call("encryptAES", &[i(1), s("x")]).is_err());
    }

    #[test]
    fn decrypt_aes_errors_are_gos() {
        for (input, want) in [
            ("notbase64!", "illegal base64 data at input byte 9"),
            ("YWJjZA", "illegal base64 data at input byte 4"),
            (
                "YWJj",
                "runtime error: slice bounds out of range [:16] with capacity 3",
            ),
            (
                "YWJj\n",
                "runtime error: slice bounds out of range [:16] with capacity 3",
            ),
            (
                "AAAAAAAAAAAAAAAAAAAAAA==",
                "runtime error: index out of range [-1]",
            ),
            (
                "AAAAAAAAAAAAAAAAAAAAAAAAAA==",
                "crypto/cipher: input not full blocks",
            ),
            (
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                "runtime error: slice bounds out of range [:-19]",
            ),
        ] {
            assert_eq!(err("decryptAES", &[s("k"), s(input)]), want, "{input}");
        }
    }
}

//! Sprig's random and password functions (`crypto.go`, goutils' `CryptoRandom`): `randAlphaNum`,
//! `randAlpha`, `randNumeric`, `randAscii`, `randBytes`, `uuidv4`, `bcrypt`, `htpasswd`.
//!
//! Randomness comes from the render's generator ([`super::Rng`]); the output of `helm
//! template` is random too, so only the shape matters: the same alphabets, lengths and formats.
//! `bcrypt` uses the `bcrypt` crate (the standard implementation; Blowfish's tables are not
//! something to retype) and gives Go's `$2a$10$` hashes.

use super::super::value::Value;
use super::args::{arity, go_int, string};
use super::sprig_encoding::base64_encode;
use super::sprig_strings::MAX_BUILT;
use super::{Ctx, Func, FuncError};

/// The functions of this family.
pub(crate) const FUNCS: &[(&str, Func)] = &[
    ("randAlphaNum", rand_alpha_num),
    ("randAlpha", rand_alpha),
    ("randNumeric", rand_numeric),
    ("randAscii", rand_ascii),
    ("randBytes", rand_bytes),
    ("uuidv4", uuidv4),
    ("bcrypt", bcrypt),
    ("htpasswd", htpasswd),
];

const DIGITS: &str = "0123456789";
const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Go's `DefaultCost`.
const BCRYPT_COST: u32 = 10;

/// COUNT characters drawn uniformly from `alphabet` (goutils draws from a range and rejects
/// what is not wanted, which is uniform over what is kept); a negative COUNT is `""`, as Sprig
/// ignores goutils' error.
fn random_from(ctx: &mut Ctx, a: &[Value], alphabet: &[u8]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let n = go_int(&a[0])?;
    if n <= 0 {
        return Ok(Value::str(""));
    }
    if n as u64 > MAX_BUILT as u64 {
        return Err(FuncError::call(
            "runtime error: makeslice: len out of range",
        ));
    }
    let s: String = (0..n)
        .map(|_| char::from(alphabet[ctx.rng.below(alphabet.len() as u64) as usize]))
        .collect();
    Ok(Value::str(s))
}

fn rand_alpha_num(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    let alphabet = format!("{DIGITS}{LETTERS}");
    random_from(ctx, a, alphabet.as_bytes())
}

fn rand_alpha(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    random_from(ctx, a, LETTERS.as_bytes())
}

fn rand_numeric(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    random_from(ctx, a, DIGITS.as_bytes())
}

/// Printable ASCII, space included (goutils' range 32..127).
fn rand_ascii(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    let printable: Vec<u8> = (32u8..127).collect();
    random_from(ctx, a, &printable)
}

/// `n` random bytes.
pub(crate) fn random_bytes(ctx: &mut Ctx, n: usize) -> Vec<u8> {
    (0..n).map(|_| ctx.rng.next_u64() as u8).collect()
}

/// `randBytes COUNT`: COUNT random bytes, base64-encoded.
fn rand_bytes(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let n = go_int(&a[0])?;
    if n < 0 || n as u64 > MAX_BUILT as u64 {
        return Err(FuncError::call(
            "runtime error: makeslice: len out of range",
        ));
    }
    let bytes = random_bytes(ctx, n as usize);
    Ok(Value::str(base64_encode(&bytes)))
}

/// A random (version 4) UUID, lower-case.
fn uuidv4(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 0)?;
    let mut b = random_bytes(ctx, 16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(Value::str(format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )))
}

/// Sprig's `bcrypt`: a `$2a$10$` hash, or its failure text as the result.
fn bcrypt_text(ctx: &mut Ctx, password: &str) -> String {
    if password.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
            .into();
    }
    if ctx.analysis {
        return stand_in_hash(ctx);
    }
    let mut salt = [0u8; 16];
    salt.copy_from_slice(&random_bytes(ctx, 16));
    match bcrypt::hash_with_salt(password, BCRYPT_COST, salt) {
        Ok(h) => h.format_for_version(bcrypt::Version::TwoA),
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

/// A bcrypt hash in the form Sprig's has (`$2a$10$`, 22 characters of salt and 31 of hash in
/// bcrypt's base-64 alphabet), random, derived from nothing: for renders that are analysed only.
fn stand_in_hash(ctx: &mut Ctx) -> String {
    const ALPHABET: &[u8] = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = format!("$2a${BCRYPT_COST:02}$");
    out.extend((0..53).map(|_| char::from(ALPHABET[ctx.rng.below(64) as usize])));
    out
}

fn bcrypt(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let password = string(&a[0])?.as_str();
    Ok(Value::str(bcrypt_text(ctx, password)))
}

/// `htpasswd USER PASSWORD`: `USER:BCRYPT`, or an error text for a user with a colon.
fn htpasswd(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let user = string(&a[0])?.as_str();
    let password = string(&a[1])?.as_str();
    if user.contains(':') {
        return Ok(Value::str(format!("invalid username: {user}")));
    }
    Ok(Value::str(format!("{user}:{}", bcrypt_text(ctx, password))))
}

#[cfg(test)]
mod tests {
    use super::super::sprig_testutil::{call, i, s, show};

    // Shapes from `helm template` (Helm 3.17.3).
    #[test]
    fn random_strings_have_the_alphabet_and_length() {
        let v = show("randAlphaNum", &[i(64)]);
        assert_eq!(v.len(), 64);
        assert!(v.bytes().all(|b| b.is_ascii_alphanumeric()));
        let v = show("randAlpha", &[i(32)]);
        assert!(v.bytes().all(|b| b.is_ascii_alphabetic()) && v.len() == 32);
        let v = show("randNumeric", &[i(32)]);
        assert!(v.bytes().all(|b| b.is_ascii_digit()) && v.len() == 32);
        let v = show("randAscii", &[i(200)]);
        assert!(v.bytes().all(|b| (32..127).contains(&b)) && v.len() == 200);
        assert_eq!(show("randAlphaNum", &[i(0)]), "");
        assert_eq!(show("randAlpha", &[i(-1)]), "");
        assert_eq!(show("randBytes", &[i(5)]).len(), 8);
    }

    #[test]
    fn uuid_shape() {
        let u = show("uuidv4", &[]);
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn bcrypt_and_htpasswd() {
        let h = show("bcrypt", &[s("secret")]);
        assert_eq!(h.len(), 60);
        assert!(h.starts_with("$2a$10$"));
        assert!(bcrypt::verify("secret", &h).unwrap());
        assert_eq!(
            show("bcrypt", &[call("repeat", &[i(73), s("a")]).unwrap()]),
            "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
        );
        assert_eq!(
            show("htpasswd", &[s("a:b"), s("x")]),
            "invalid username: a:b"
        );
        assert!(show("htpasswd", &[s("u"), s("p")]).starts_with("u:$2a$10$"));
    }

    /// An analysed render's hash has the form of a real one (what charts check with
    /// `regexMatch`), and long passwords still fail as in Sprig.
    #[test]
    fn bcrypt_stand_in_for_analysis() {
        let mut ctx = super::Ctx {
            analysis: true,
            ..super::Ctx::default()
        };
        let f = crate::template::funcs::lookup("bcrypt").unwrap();
        let h = f(&mut ctx, &[s("secret")]).unwrap();
        let h = h.as_str().unwrap();
        let form = regex::Regex::new(r"^\$2a\$10\$[./0-9a-zA-Z]{53}$").unwrap();
        assert!(form.is_match(h), "{h}");
        let long = call("repeat", &[i(73), s("a")]).unwrap();
        assert_eq!(
            f(&mut ctx, &[long]).unwrap().as_str().unwrap(),
            "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
        );
    }
}

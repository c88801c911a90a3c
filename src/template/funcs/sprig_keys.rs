//! The private keys of Sprig's crypto functions, read, written and signed with as Go's crypto
//! packages do: RSA (PKCS #1, or PKCS #8), elliptic-curve keys on P-224, P-256, P-384 and P-521
//! (SEC 1 `EC PRIVATE KEY`, or PKCS #8), Ed25519 and X25519 (PKCS #8), and DSA (Sprig's own
//! `DSA PRIVATE KEY`). Sprig's `genPrivateKey` makes the first four kinds; the `*WithKey`
//! certificate functions and `buildCustomCert` read any of them.

use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::{BigUint, Pkcs1v15Sign, RsaPrivateKey};

use super::go_pem;
use super::sprig_certs::{bit_string, oid, pem, read_tlv, seq, tlv, uint};
use super::sprig_hash::sha256;
use super::{Ctx, FuncError, Rng};

/// A private key as Go holds it after `parsePrivateKeyPEM` or `generatePrivateKey`.
pub(super) enum PrivateKey {
    Rsa(Box<RsaPrivateKey>),
    Ec(EcKey),
    /// The 32-byte seed.
    Ed25519([u8; 32]),
    /// The 32-byte scalar (`*ecdh.PrivateKey`: neither a signer nor a key x509 writes).
    X25519([u8; 32]),
    Dsa(Box<DsaKey>),
}

/// An elliptic-curve key: its curve, its scalar (as many bytes as the curve's order) and its
/// public point, uncompressed.
pub(super) struct EcKey {
    curve: Curve,
    secret: Vec<u8>,
    public: Vec<u8>,
}

/// The NIST curves Go's `crypto/x509` reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Curve {
    P224,
    P256,
    P384,
    P521,
}

/// A DSA key in Sprig's `DSAKeyFormat`.
pub(super) struct DsaKey {
    p: BigUint,
    q: BigUint,
    g: BigUint,
    y: BigUint,
    x: BigUint,
}

/// A public key as `x509.CreateCertificate` writes it: the whole SubjectPublicKeyInfo, and the
/// key's bytes (what the subject key id is the SHA-1 of).
pub(super) struct PublicKey {
    pub(super) info: Vec<u8>,
    pub(super) bits: Vec<u8>,
}

const OID_RSA: &[u64] = &[1, 2, 840, 113549, 1, 1, 1];
const OID_EC: &[u64] = &[1, 2, 840, 10045, 2, 1];
const OID_ED25519: &[u64] = &[1, 3, 101, 112];
const OID_X25519: &[u64] = &[1, 3, 101, 110];

impl Curve {
    fn oid(self) -> &'static [u64] {
        match self {
            Curve::P224 => &[1, 3, 132, 0, 33],
            Curve::P256 => &[1, 2, 840, 10045, 3, 1, 7],
            Curve::P384 => &[1, 3, 132, 0, 34],
            Curve::P521 => &[1, 3, 132, 0, 35],
        }
    }

    fn from_oid_der(der: &[u8]) -> Option<Curve> {
        [Curve::P224, Curve::P256, Curve::P384, Curve::P521]
            .into_iter()
            .find(|c| oid(c.oid()) == der)
    }

    /// Bytes of a scalar (the order's length).
    fn size(self) -> usize {
        match self {
            Curve::P224 => 28,
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// Go's `signingParamsForKey`: the hash follows the curve.
    fn signature_algorithm(self) -> &'static [u64] {
        match self {
            Curve::P224 | Curve::P256 => &[1, 2, 840, 10045, 4, 3, 2],
            Curve::P384 => &[1, 2, 840, 10045, 4, 3, 3],
            Curve::P521 => &[1, 2, 840, 10045, 4, 3, 4],
        }
    }
}

/// The scalar's public point and a signer, per curve; `None` when the scalar is zero or not
/// below the order.
macro_rules! on_curve {
    ($curve:expr, $secret:expr, |$k:ident| $body:expr) => {
        match $curve {
            Curve::P224 => p224::SecretKey::from_slice($secret).ok().map(|$k| $body),
            Curve::P256 => p256::SecretKey::from_slice($secret).ok().map(|$k| $body),
            Curve::P384 => p384::SecretKey::from_slice($secret).ok().map(|$k| $body),
            Curve::P521 => p521::SecretKey::from_slice($secret).ok().map(|$k| $body),
        }
    };
}

impl EcKey {
    fn new(curve: Curve, secret: Vec<u8>) -> Option<EcKey> {
        use p256::elliptic_curve::sec1::ToEncodedPoint;
        let public = on_curve!(curve, &secret, |k| k
            .public_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec())?;
        Some(EcKey {
            curve,
            secret,
            public,
        })
    }

    /// ECDSA over the curve's hash: the DER `ECDSA-Sig-Value`. (P-521's signer takes only a
    /// random source, the others' sign deterministically, RFC 6979.)
    fn sign(&self, rng: &mut Rng, message: &[u8]) -> Option<Vec<u8>> {
        use p256::ecdsa::signature::{RandomizedSigner, Signer};
        // The signature's r and s with the curve crate `$c`, signing as `$sign` says.
        macro_rules! signed {
            ($c:ident, |$key:ident| $sign:expr) => {{
                let $key = $c::ecdsa::SigningKey::from_slice(&self.secret).ok()?;
                let sig: $c::ecdsa::Signature = $sign.ok()?;
                let (r, s) = sig.split_bytes();
                (r.to_vec(), s.to_vec())
            }};
        }
        let (r, s) = match self.curve {
            Curve::P224 => signed!(p224, |key| key.try_sign(message)),
            Curve::P256 => signed!(p256, |key| key.try_sign(message)),
            Curve::P384 => signed!(p384, |key| key.try_sign(message)),
            Curve::P521 => signed!(p521, |key| key.try_sign_with_rng(&mut KeyRng(rng), message)),
        };
        Some(seq(&[uint(&r), uint(&s)]))
    }

    /// `x509.MarshalECPrivateKey`.
    fn sec1(&self) -> Vec<u8> {
        seq(&[
            tlv(0x02, &[1]),
            tlv(0x04, &self.secret),
            tlv(0xa0, &oid(self.curve.oid())),
            tlv(0xa1, &bit_string(0, &self.public)),
        ])
    }
}

/// The render's generator as the `rand_core` source key generation wants.
pub(super) struct KeyRng<'a>(pub(super) &'a mut Rng);

impl rsa::rand_core::RngCore for KeyRng<'_> {
    fn next_u32(&mut self) -> u32 {
        self.0.next_u64() as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let r = self.0.next_u64().to_le_bytes();
            chunk.copy_from_slice(&r[..chunk.len()]);
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

// NOTE: the keys are throwaway test material, as under `helm template`; the marker trait only
// lets the key generators take our generator.
impl rsa::rand_core::CryptoRng for KeyRng<'_> {}

/// An RSA key of `bits` bits: a new one, or in a render that is only analysed the stand-in of
/// that size ([`super::rsa_stand_in`]).
pub(super) fn new_rsa(ctx: &mut Ctx, bits: usize) -> Result<RsaPrivateKey, FuncError> {
    if ctx.analysis
        && let Some(key) = super::rsa_stand_in::key(bits)
    {
        return Ok(key);
    }
    if let Some(key) = super::rsa_primes::new_key(&mut ctx.rng, bits) {
        return Ok(key);
    }
    RsaPrivateKey::new(&mut KeyRng(&mut ctx.rng), bits)
        .map_err(|e| FuncError::call(format!("error generating rsa key: {e}")))
}

/// Domain parameters for the DSA keys `genPrivateKey "dsa"` makes (L = 2048, N = 256, as
/// Sprig asks for; generated once with OpenSSL). Go makes new parameters for every key, which
/// takes it half a second; any valid parameters give a valid key, and the key is throwaway
/// test material as under `helm template`.
const DSA_P: &str = concat!(
    "f29783612b71919a3e9e1bd74b45b4466397f014436ad1dc958bcb08acb733ba2699a7526149b48a",
    "ee9102936065dfd63c8927f34f51dc5edc25b7dc249130bb1dd3432a8fc0c40628b631adaa922b09",
    "f7aff7dc95c44ee04ddad6812aa467ad03c3aaad9a30b9a334f0a0792413eef9e8e7315977ade7ad",
    "a6a5cba0cb96adae7bc0031ca10d9059da074bb406ff9fab92fcaff63cf67e98d063e3fbb52b03da",
    "637ba419f99bf796d598fe931ced66b4284fd62cc98bc0493eb19c202e7bb0e7305d2fb1539601b0",
    "523cc71d46fd65a69781784200f9c456d9ca8985e955f59b5e5c16281c398dd74d1a2d92342984a4",
    "65ca9e4bbf7efaf2a719e1c23b533c29",
);
const DSA_Q: &str = "9849d881a995f1501c2451c8234fc0f3d019763e350ae23a092d50bb4b23827f";
const DSA_G: &str = concat!(
    "b87659438f685009211e2753be2f22463187bb5e8b685ee2c93a7ee41d2b33d7399702ca6426beba",
    "3d6436cf37fe19b31c27d629743ccdfb4682fb0871afd99e4841620d3030ab173025bd5a55803703",
    "14df7524711fb87ab088be50038212aafb2d12d5757dd7fccdf22fc078e1d2a8cff969f511ea4802",
    "f14787018d531ab6aae2a2fe9b66ff536b1aa36e6e014acf512ada18311dce8782bdbf88e9ed9902",
    "a9832bf98634b5223558bac45fd8a0c7c7f3d2185804e3f2a6a04baa38d435e543672e9503faad7a",
    "7eee5e2854ea0897c0f2fb6d3fec8eb80bf15a8d215094ed861a5bb7faede6aecb54e9b1dfabde5a",
    "071da04e493bd6b7bcd20458dc2adf10",
);

impl PrivateKey {
    /// `genPrivateKey TYPE`'s key; `None` for a type Sprig does not know.
    pub(super) fn generate(ctx: &mut Ctx, typ: &str) -> Result<Option<PrivateKey>, FuncError> {
        let key = match typ {
            "" | "rsa" => {
                let bits = if cfg!(test) { 512 } else { 4096 };
                PrivateKey::Rsa(Box::new(new_rsa(ctx, bits)?))
            }
            "ecdsa" => {
                let fail = || FuncError::call("failed to generate private key: ecdsa");
                let secret = p256::SecretKey::random(&mut KeyRng(&mut ctx.rng));
                let key = EcKey::new(Curve::P256, secret.to_bytes().to_vec()).ok_or_else(fail)?;
                PrivateKey::Ec(key)
            }
            "ed25519" => {
                let seed = super::sprig_crypto::random_bytes(ctx, 32);
                let mut s = [0u8; 32];
                s.copy_from_slice(&seed[..32]);
                PrivateKey::Ed25519(s)
            }
            "dsa" => PrivateKey::Dsa(Box::new(new_dsa(ctx))),
            _ => return Ok(None),
        };
        Ok(Some(key))
    }

    /// Sprig's `parsePrivateKeyPEM`, in its words and Go's.
    pub(super) fn parse_pem(text: &str) -> Result<PrivateKey, String> {
        let block = go_pem::decode(text.as_bytes()).ok_or("no PEM data in input")?;
        let (label, der) = (block.kind, block.bytes);
        if label == "PRIVATE KEY" {
            return parse_pkcs8(&der).map_err(|e| format!("decoding PEM as PKCS#8: {e}"));
        }
        let Some(kind) = label.strip_suffix(" PRIVATE KEY") else {
            return Err(format!("no private key data in PEM block of type {label}"));
        };
        match kind {
            "RSA" => RsaPrivateKey::from_pkcs1_der(&der)
                .map(|k| PrivateKey::Rsa(Box::new(k)))
                .map_err(|_| {
                    "parsing RSA private key from PEM: x509: failed to parse RSA private key"
                        .to_string()
                }),
            "EC" => parse_sec1(None, &der)
                .map(PrivateKey::Ec)
                .map_err(|e| format!("parsing EC private key from PEM: {e}")),
            "DSA" => parse_dsa(&der)
                .map(|k| PrivateKey::Dsa(Box::new(k)))
                .ok_or_else(|| {
                    "parsing DSA private key from PEM: asn1: structure error".to_string()
                }),
            _ => Err(format!("invalid private key type {label}")),
        }
    }

    /// Sprig's `pemBlockForKey`: PEM text of the key.
    pub(super) fn to_pem(&self) -> Result<String, String> {
        Ok(match self {
            PrivateKey::Rsa(k) => {
                let der = k.to_pkcs1_der().map_err(|e| e.to_string())?;
                pem("RSA PRIVATE KEY", der.as_bytes())
            }
            PrivateKey::Ec(k) => pem("EC PRIVATE KEY", &k.sec1()),
            PrivateKey::Ed25519(seed) => pem("PRIVATE KEY", &pkcs8_curve25519(OID_ED25519, seed)),
            PrivateKey::X25519(s) => pem("PRIVATE KEY", &pkcs8_curve25519(OID_X25519, s)),
            PrivateKey::Dsa(k) => {
                let der = seq(&[
                    tlv(0x02, &[0]),
                    uint(&k.p.to_bytes_be()),
                    uint(&k.q.to_bytes_be()),
                    uint(&k.g.to_bytes_be()),
                    uint(&k.y.to_bytes_be()),
                    uint(&k.x.to_bytes_be()),
                ]);
                pem("DSA PRIVATE KEY", &der)
            }
        })
    }

    /// Go's `marshalPublicKey` of the key's public half, as a certificate holds it.
    pub(super) fn public(&self) -> Result<PublicKey, String> {
        let (algorithm, bits) = match self {
            PrivateKey::Rsa(k) => {
                let der = k
                    .to_public_key()
                    .to_pkcs1_der()
                    .map_err(|e| e.to_string())?;
                (
                    seq(&[oid(OID_RSA), tlv(0x05, &[])]),
                    der.as_bytes().to_vec(),
                )
            }
            PrivateKey::Ec(k) => (seq(&[oid(OID_EC), oid(k.curve.oid())]), k.public.clone()),
            PrivateKey::Ed25519(seed) => {
                let key = ed25519_dalek::SigningKey::from_bytes(seed);
                (
                    seq(&[oid(OID_ED25519)]),
                    key.verifying_key().to_bytes().to_vec(),
                )
            }
            PrivateKey::X25519(_) => {
                return Err("x509: unsupported public key type: *ecdh.PublicKey".into());
            }
            PrivateKey::Dsa(_) => {
                return Err("x509: unsupported public key type: *dsa.PublicKey".into());
            }
        };
        Ok(PublicKey {
            info: seq(&[algorithm, bit_string(0, &bits)]),
            bits,
        })
    }

    /// The signature AlgorithmIdentifier Go picks for the key (`signingParamsForKey`), or its
    /// error for a key that cannot sign.
    pub(super) fn signature_algorithm(&self) -> Result<Vec<u8>, String> {
        match self {
            PrivateKey::Rsa(_) => Ok(seq(&[oid(&[1, 2, 840, 113549, 1, 1, 11]), tlv(0x05, &[])])),
            PrivateKey::Ec(k) => Ok(seq(&[oid(k.curve.signature_algorithm())])),
            PrivateKey::Ed25519(_) => Ok(seq(&[oid(OID_ED25519)])),
            PrivateKey::X25519(_) | PrivateKey::Dsa(_) => {
                Err("x509: certificate private key does not implement crypto.Signer".into())
            }
        }
    }

    /// A signature of `message` with the algorithm of [`PrivateKey::signature_algorithm`].
    pub(super) fn sign(&self, rng: &mut Rng, message: &[u8]) -> Result<Vec<u8>, String> {
        match self {
            PrivateKey::Rsa(k) => {
                let padding = Pkcs1v15Sign {
                    hash_len: Some(32),
                    prefix: Box::new([
                        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
                        0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
                    ]),
                };
                k.sign(padding, &sha256(message)).map_err(|e| e.to_string())
            }
            PrivateKey::Ec(k) => k
                .sign(rng, message)
                .ok_or_else(|| "x509: signing failed".to_string()),
            PrivateKey::Ed25519(seed) => {
                use ed25519_dalek::Signer;
                let key = ed25519_dalek::SigningKey::from_bytes(seed);
                Ok(key.sign(message).to_bytes().to_vec())
            }
            PrivateKey::X25519(_) | PrivateKey::Dsa(_) => {
                Err("x509: certificate private key does not implement crypto.Signer".into())
            }
        }
    }
}

/// A DSA key under [`DSA_P`], [`DSA_Q`], [`DSA_G`]: x uniform in [1, q-1], y = g^x mod p.
fn new_dsa(ctx: &mut Ctx) -> DsaKey {
    let hex = |s: &str| BigUint::parse_bytes(s.as_bytes(), 16).unwrap_or_default();
    let (p, q, g) = (hex(DSA_P), hex(DSA_Q), hex(DSA_G));
    let one = BigUint::from(1u8);
    let below = if q > one { &q - &one } else { one.clone() };
    // Go's `dsa.GenerateKey`: N+64 random bits reduced modulo q-1, plus one.
    let bytes = super::sprig_crypto::random_bytes(ctx, 40);
    let x = BigUint::from_bytes_be(&bytes) % &below + &one;
    let y = g.modpow(&x, &p);
    DsaKey { p, q, g, y, x }
}

/// PKCS #8 of an Ed25519 or X25519 key: the algorithm, the 32 bytes in an OCTET STRING.
fn pkcs8_curve25519(algorithm: &[u64], key: &[u8; 32]) -> Vec<u8> {
    seq(&[
        tlv(0x02, &[0]),
        seq(&[oid(algorithm)]),
        tlv(0x04, &tlv(0x04, key)),
    ])
}

/// The elements of a DER SEQUENCE (tag, contents), or `None` when it is not one.
fn elements(der: &[u8]) -> Option<Vec<(u8, &[u8])>> {
    let (tag, mut body, _) = read_tlv(der)?;
    if tag != 0x30 {
        return None;
    }
    let mut out = Vec::new();
    while !body.is_empty() {
        let (t, v, rest) = read_tlv(body)?;
        out.push((t, v));
        body = rest;
    }
    Some(out)
}

/// Go's `ParsePKCS8PrivateKey`.
fn parse_pkcs8(der: &[u8]) -> Result<PrivateKey, String> {
    let parts = elements(der).filter(|p| p.len() >= 3 && p[1].0 == 0x30 && p[2].0 == 0x04);
    let Some(parts) = parts else {
        if parse_sec1(None, der).is_ok() {
            return Err(
                "x509: failed to parse private key (use ParseECPrivateKey instead for this key format)"
                    .into(),
            );
        }
        if RsaPrivateKey::from_pkcs1_der(der).is_ok() {
            return Err(
                "x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)"
                    .into(),
            );
        }
        return Err("asn1: structure error: tags don't match".into());
    };
    let (_, algorithm) = parts[1];
    let (_, private) = parts[2];
    let (_, algorithm_oid, params) = read_tlv(algorithm).ok_or("asn1: syntax error")?;
    let algorithm_oid = tlv(0x06, algorithm_oid);
    if algorithm_oid == oid(OID_RSA) {
        return RsaPrivateKey::from_pkcs1_der(private)
            .map(|k| PrivateKey::Rsa(Box::new(k)))
            .map_err(|_| "x509: failed to parse RSA private key embedded in PKCS#8".into());
    }
    if algorithm_oid == oid(OID_EC) {
        let curve = read_tlv(params)
            .filter(|(t, ..)| *t == 0x06)
            .map(|(_, body, _)| tlv(0x06, body));
        return parse_sec1(curve.as_deref(), private)
            .map(PrivateKey::Ec)
            .map_err(|e| format!("x509: failed to parse EC private key embedded in PKCS#8: {e}"));
    }
    if algorithm_oid == oid(OID_ED25519) || algorithm_oid == oid(OID_X25519) {
        let ed = algorithm_oid == oid(OID_ED25519);
        if !params.is_empty() {
            let what = if ed { "Ed25519" } else { "X25519" };
            return Err(format!("x509: invalid {what} private key parameters"));
        }
        let inner = read_tlv(private)
            .filter(|(t, ..)| *t == 0x04)
            .map(|(_, body, _)| body)
            .ok_or_else(|| {
                let what = if ed { "Ed25519" } else { "X25519" };
                format!("x509: invalid {what} private key: asn1: structure error")
            })?;
        let Ok(key) = <[u8; 32]>::try_from(inner) else {
            let what = if ed { "Ed25519" } else { "X25519" };
            return Err(format!(
                "x509: invalid {what} private key length: {}",
                inner.len()
            ));
        };
        return Ok(if ed {
            PrivateKey::Ed25519(key)
        } else {
            PrivateKey::X25519(key)
        });
    }
    Err(format!(
        "x509: PKCS#8 wrapping contained private key with unknown algorithm: {}",
        dotted(&algorithm_oid)
    ))
}

/// An OBJECT IDENTIFIER element in dotted form (Go's `%v` of `asn1.ObjectIdentifier`).
fn dotted(element: &[u8]) -> String {
    let body = read_tlv(element).map_or(&[][..], |(_, b, _)| b);
    let mut arcs: Vec<u64> = Vec::new();
    let mut value = 0u64;
    for &b in body {
        value = (value << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (value / 40).min(2);
                arcs.push(first);
                arcs.push(value - first * 40);
            } else {
                arcs.push(value);
            }
            value = 0;
        }
    }
    arcs.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// Go's `parseECPrivateKey`: the curve from `curve` (an OID element) when given, else from the
/// key; the public point computed from the scalar.
fn parse_sec1(curve: Option<&[u8]>, der: &[u8]) -> Result<EcKey, String> {
    let parts =
        elements(der).ok_or("x509: failed to parse EC private key: asn1: structure error")?;
    let version = match parts.first() {
        Some((0x02, v)) => v.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b)),
        _ => return Err("x509: failed to parse EC private key: asn1: structure error".into()),
    };
    if version != 1 {
        return Err(format!("x509: unknown EC private key version {version}"));
    }
    let secret = match parts.get(1) {
        Some((0x04, s)) => *s,
        _ => return Err("x509: failed to parse EC private key: asn1: structure error".into()),
    };
    let own_curve = parts
        .iter()
        .find(|(t, _)| *t == 0xa0)
        .and_then(|(_, body)| read_tlv(body))
        .map(|(t, body, _)| tlv(t, body));
    let curve = curve
        .map(<[u8]>::to_vec)
        .or(own_curve)
        .and_then(|c| Curve::from_oid_der(&c))
        .ok_or("x509: unknown elliptic curve")?;
    let size = curve.size();
    // Some keys lose their leading zeros and some carry extra ones (Go pads or trims them).
    let trimmed: &[u8] = {
        let lead = secret.len().saturating_sub(size);
        if secret[..lead].iter().any(|b| *b != 0) {
            return Err("x509: invalid private key length".into());
        }
        &secret[lead..]
    };
    let mut padded = vec![0u8; size - trimmed.len()];
    padded.extend_from_slice(trimmed);
    EcKey::new(curve, padded).ok_or_else(|| "x509: invalid elliptic curve private key value".into())
}

/// Sprig's `DSAKeyFormat` (version, p, q, g, y, x).
fn parse_dsa(der: &[u8]) -> Option<DsaKey> {
    let parts = elements(der)?;
    if parts.len() != 6 || parts.iter().any(|(t, _)| *t != 0x02) {
        return None;
    }
    let n = |i: usize| BigUint::from_bytes_be(parts[i].1);
    Some(DsaKey {
        p: n(1),
        q: n(2),
        g: n(3),
        y: n(4),
        x: n(5),
    })
}

//! Sprig's certificate functions (`crypto.go`, Sprig v3.3): `genCA`, `genSelfSignedCert`,
//! `genSignedCert`, their `…WithKey` variants and `genPrivateKey`.
//!
//! Keys are real RSA keys (the `rsa` crate: RustCrypto's, the standard pure-Rust RSA) and the
//! certificates real X.509 v3, laid out as Go's `x509.CreateCertificate` writes them for
//! Sprig's templates: CN-only subject, serial below 2^128, key usage, server and client
//! extended key usage, basic constraints, a SHA-1 subject key id for a CA and the matching
//! authority key id, DNS and IP SANs, SHA-256 with RSA signatures. The DER is written here;
//! there is no ASN.1 crate. Results are `sprig.certificate` objects with `.Cert` and `.Key`.

use std::rc::Rc;

use super::super::value::{ElemType, GoStruct, Object, Value};
use super::args::{arity, go_int, string};
use super::go_pem;
use super::sprig_date::Time;
use super::sprig_encoding::{base64_decode, base64_encode};
use super::sprig_hash::sha1;
use super::sprig_keys::PrivateKey;
use super::{Ctx, Func, FuncError};
use crate::template::value::Entries;

/// The functions of this family.
pub(crate) const FUNCS: &[(&str, Func)] = &[
    ("genCA", gen_ca),
    ("genCAWithKey", gen_ca_with_key),
    ("genSelfSignedCert", gen_self_signed),
    ("genSelfSignedCertWithKey", gen_self_signed_with_key),
    ("genSignedCert", gen_signed),
    ("genSignedCertWithKey", gen_signed_with_key),
    ("genPrivateKey", gen_private_key),
    ("buildCustomCert", build_custom_cert),
];

/// Sprig's key size for certificates (2048; smaller in unit tests, where key generation in a
/// debug build would dominate).
const RSA_BITS: usize = if cfg!(test) { 512 } else { 2048 };

/// Sprig's `certificate`: PEM text of a certificate and its key.
#[derive(Debug)]
pub(crate) struct Certificate {
    cert: String,
    key: String,
}

impl Object for Certificate {
    fn type_name(&self) -> &str {
        "sprig.certificate"
    }

    fn field(&self, name: &str) -> Option<Value> {
        self.go_struct()?.field(name)
    }

    fn comparison(&self) -> crate::template::value::Comparison {
        crate::template::value::Comparison::Fields(format!("{}\0{}", self.cert, self.key))
    }

    fn call(&self, _: &str, _: &[Value]) -> Option<Result<Value, crate::template::FuncError>> {
        None
    }

    fn go_struct(&self) -> Option<GoStruct> {
        Some(GoStruct {
            type_name: "sprig.certificate",
            pointer: false,
            stringer: false,
            fields: vec![
                ("Cert", Value::str(self.cert.as_str())),
                ("Key", Value::str(self.key.as_str())),
            ],
        })
    }

    fn to_plain(&self) -> Value {
        let mut m = Entries::new();
        m.insert("Cert".into(), Value::str(self.cert.as_str()));
        m.insert("Key".into(), Value::str(self.key.as_str()));
        Value::map(m)
    }
}

/// A new RSA key of Sprig's certificate size.
fn new_key(ctx: &mut Ctx) -> Result<PrivateKey, FuncError> {
    Ok(PrivateKey::Rsa(Box::new(super::sprig_keys::new_rsa(
        ctx, RSA_BITS,
    )?)))
}

/// DER: a tag, a length, the contents.
pub(super) fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = body.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(body);
    out
}

pub(super) fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

pub(super) fn oid(arcs: &[u64]) -> Vec<u8> {
    let mut body = Vec::new();
    let first = arcs[0] * 40 + arcs.get(1).copied().unwrap_or(0);
    for arc in std::iter::once(first).chain(arcs.iter().skip(2).copied()) {
        let mut chunk = vec![(arc & 0x7f) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            chunk.push(0x80 | (rest & 0x7f) as u8);
            rest >>= 7;
        }
        body.extend(chunk.into_iter().rev());
    }
    tlv(0x06, &body)
}

/// A non-negative INTEGER from big-endian magnitude bytes.
pub(super) fn uint(mag: &[u8]) -> Vec<u8> {
    let mut b: Vec<u8> = mag.iter().copied().skip_while(|x| *x == 0).collect();
    if b.first().is_none_or(|x| x & 0x80 != 0) {
        b.insert(0, 0);
    }
    tlv(0x02, &b)
}

pub(super) fn bit_string(unused: u8, bytes: &[u8]) -> Vec<u8> {
    let mut body = vec![unused];
    body.extend_from_slice(bytes);
    tlv(0x03, &body)
}

/// A Name with only a common name (Go writes PrintableString when it can).
fn name(cn: &str) -> Vec<u8> {
    if cn.is_empty() {
        return seq(&[]);
    }
    let printable = cn
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || b" '()+,-./:=?*&".contains(&c));
    let value = tlv(if printable { 0x13 } else { 0x0c }, cn.as_bytes());
    seq(&[tlv(0x31, &seq(&[oid(&[2, 5, 4, 3]), value]))])
}

/// UTCTime for 1950–2049, GeneralizedTime otherwise, as Go writes them.
fn time(t: &Time) -> Vec<u8> {
    let year: i64 = t.format("2006").parse().unwrap_or(2000);
    if (1950..2050).contains(&year) {
        tlv(0x17, t.format("060102150405Z").as_bytes())
    } else {
        tlv(0x18, t.format("20060102150405Z").as_bytes())
    }
}

fn extension(id: &[u64], critical: bool, value: Vec<u8>) -> Vec<u8> {
    let mut parts = vec![oid(id)];
    if critical {
        parts.push(tlv(0x01, &[0xff]));
    }
    parts.push(tlv(0x04, &value));
    seq(&parts)
}

/// What a certificate is made from.
struct Template<'a> {
    cn: &'a str,
    ips: Vec<Vec<u8>>,
    dns: Vec<String>,
    days: i64,
    is_ca: bool,
}

/// The issuer of a certificate: its subject Name, key id and key.
struct Issuer<'a> {
    name: Vec<u8>,
    key_id: Option<Vec<u8>>,
    key: &'a PrivateKey,
}

pub(super) fn pem(label: &str, der: &[u8]) -> String {
    let b64 = base64_encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// `x509.CreateCertificate` as Sprig's templates use it, with the key as PEM.
fn create(
    ctx: &mut Ctx,
    t: &Template<'_>,
    key: &PrivateKey,
    issuer: Option<&Issuer<'_>>,
) -> Result<Certificate, FuncError> {
    let fail =
        |e: &dyn std::fmt::Display| FuncError::call(format!("error creating certificate: {e}"));
    // Go asks for a signer first, then writes the public key.
    let signer = issuer.map_or(key, |i| i.key);
    let algorithm = signer.signature_algorithm().map_err(|e| fail(&e))?;
    let public = key.public().map_err(|e| fail(&e))?;
    let subject = name(t.cn);
    let mut serial = [0u8; 16];
    for chunk in serial.chunks_mut(8) {
        chunk.copy_from_slice(&ctx.rng.next_u64().to_be_bytes());
    }
    let now = Time::now();
    let not_after = Time::utc(now.nanos + i128::from(t.days) * 86_400 * 1_000_000_000);
    let (usage, unused) = if t.is_ca { (0xa4, 2) } else { (0xa0, 5) };
    let mut exts = vec![
        extension(&[2, 5, 29, 15], true, bit_string(unused, &[usage])),
        extension(
            &[2, 5, 29, 37],
            false,
            seq(&[
                oid(&[1, 3, 6, 1, 5, 5, 7, 3, 1]),
                oid(&[1, 3, 6, 1, 5, 5, 7, 3, 2]),
            ]),
        ),
        extension(
            &[2, 5, 29, 19],
            true,
            seq(&if t.is_ca {
                vec![tlv(0x01, &[0xff])]
            } else {
                vec![]
            }),
        ),
    ];
    let own_key_id = t.is_ca.then(|| sha1(&public.bits).to_vec());
    if let Some(id) = &own_key_id {
        exts.push(extension(&[2, 5, 29, 14], false, tlv(0x04, id)));
    }
    if let Some(Issuer {
        key_id: Some(id),
        name,
        ..
    }) = issuer
        && *name != subject
    {
        exts.push(extension(&[2, 5, 29, 35], false, seq(&[tlv(0x80, id)])));
    }
    if !t.dns.is_empty() || !t.ips.is_empty() {
        let mut sans: Vec<Vec<u8>> = t.dns.iter().map(|d| tlv(0x82, d.as_bytes())).collect();
        sans.extend(t.ips.iter().map(|ip| tlv(0x87, ip)));
        exts.push(extension(&[2, 5, 29, 17], t.cn.is_empty(), seq(&sans)));
    }
    let issuer_name = issuer.map_or_else(|| subject.clone(), |i| i.name.clone());
    let tbs = seq(&[
        tlv(0xa0, &tlv(0x02, &[2])),
        uint(&serial),
        algorithm.clone(),
        issuer_name,
        seq(&[time(&now), time(&not_after)]),
        subject,
        public.info,
        tlv(0xa3, &seq(&exts)),
    ]);
    let signature = signer.sign(&mut ctx.rng, &tbs).map_err(|e| fail(&e))?;
    let der = seq(&[tbs, algorithm, bit_string(0, &signature)]);
    Ok(Certificate {
        cert: pem("CERTIFICATE", &der),
        key: key.to_pem().map_err(|e| fail(&e))?,
    })
}

/// Sprig's `parsePrivateKeyPEM`, its error after `prefix`.
fn parse_key(text: &str, prefix: &str) -> Result<PrivateKey, FuncError> {
    PrivateKey::parse_pem(text).map_err(|e| FuncError::call(format!("{prefix}: {e}")))
}

/// A DER element: (tag, contents, rest).
pub(super) fn read_tlv(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = b.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |l, x| (l << 8) | usize::from(*x));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// From a certificate's DER: its subject Name (whole element) and subject key id.
fn subject_and_key_id(der: &[u8]) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
    let (_, cert, _) = read_tlv(der)?;
    let (_, tbs, _) = read_tlv(cert)?;
    let mut rest = tbs;
    if rest.first() == Some(&0xa0) {
        rest = read_tlv(rest)?.2;
    }
    // serial, signature algorithm, issuer, validity, then the subject.
    for _ in 0..4 {
        rest = read_tlv(rest)?.2;
    }
    let (_, _, after) = read_tlv(rest)?;
    let subject = rest[..rest.len() - after.len()].to_vec();
    let mut rest = after;
    let mut key_id = None;
    while let Some((tag, body, next)) = read_tlv(rest) {
        if tag == 0xa3 {
            let (_, mut exts, _) = read_tlv(body)?;
            while let Some((_, ext, more)) = read_tlv(exts) {
                let (_, id, mut fields) = read_tlv(ext)?;
                if id == [0x55, 0x1d, 0x0e] {
                    while let Some((t, v, more_fields)) = read_tlv(fields) {
                        if t == 0x04 {
                            key_id = read_tlv(v).map(|(_, k, _)| k.to_vec());
                        }
                        fields = more_fields;
                    }
                }
                exts = more;
            }
        }
        rest = next;
    }
    Some((subject, key_id))
}

fn ca_param(v: &Value) -> Result<(String, String), FuncError> {
    match v {
        Value::Object(o) if o.type_name() == "sprig.certificate" => {
            let get = |f: &str| o.field(f).and_then(|x| x.as_str().map(str::to_string));
            Ok((
                get("Cert").unwrap_or_default(),
                get("Key").unwrap_or_default(),
            ))
        }
        Value::Nil => Err(FuncError::Arg(
            "invalid value; expected sprig.certificate".into(),
        )),
        other => Err(FuncError::Arg(format!(
            "wrong type for value; expected sprig.certificate; got {}",
            other.type_name()
        ))),
    }
}

/// A Go `[]interface {}` parameter (nil is an empty slice).
fn any_list(v: &Value) -> Result<Vec<Value>, FuncError> {
    match v {
        Value::Nil => Ok(Vec::new()),
        Value::List(l) if l.elem == ElemType::Any => Ok(l.items.clone()),
        other => Err(FuncError::Arg(format!(
            "wrong type for value; expected []interface {{}}; got {}",
            other.type_name()
        ))),
    }
}

/// Sprig's `getNetIPs` and `getAlternateDNSStrs`.
fn sans(ips: &Value, dns: &Value) -> Result<(Vec<Vec<u8>>, Vec<String>), FuncError> {
    let mut ip_bytes = Vec::new();
    for ip in any_list(ips)? {
        let Some(text) = ip.as_str() else {
            return Err(FuncError::call(format!(
                "error parsing ip: {} is not a string",
                crate::template::fmt::sprint_v(&ip)
            )));
        };
        match text.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V4(a)) => ip_bytes.push(a.octets().to_vec()),
            Ok(std::net::IpAddr::V6(a)) => ip_bytes.push(match a.to_ipv4_mapped() {
                Some(v4) => v4.octets().to_vec(),
                None => a.octets().to_vec(),
            }),
            Err(_) => return Err(FuncError::call(format!("error parsing ip: {text}"))),
        }
    }
    let mut names = Vec::new();
    for d in any_list(dns)? {
        match d.as_str() {
            Some(s) => names.push(s.to_string()),
            None => {
                return Err(FuncError::call(format!(
                    "error processing alternate dns name: {} is not a string",
                    crate::template::fmt::sprint_v(&d)
                )));
            }
        }
    }
    Ok((ip_bytes, names))
}

fn cert_value(c: Certificate) -> Value {
    Value::Object(Rc::new(c))
}

fn ca(ctx: &mut Ctx, a: &[Value], key: Option<PrivateKey>) -> Result<Value, FuncError> {
    let cn = string(&a[0])?.as_str();
    let days = go_int(&a[1])?;
    let key = match key {
        Some(k) => k,
        None => new_key(ctx)?,
    };
    let t = Template {
        cn,
        ips: Vec::new(),
        dns: Vec::new(),
        days,
        is_ca: true,
    };
    Ok(cert_value(create(ctx, &t, &key, None)?))
}

/// `genCA CN DAYS`.
fn gen_ca(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    ca(ctx, a, None)
}

/// `genCAWithKey CN DAYS KEY`.
fn gen_ca_with_key(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 3)?;
    let key = parse_key(string(&a[2])?.as_str(), "parsing private key")?;
    ca(ctx, a, Some(key))
}

fn self_signed(ctx: &mut Ctx, a: &[Value], key: Option<PrivateKey>) -> Result<Value, FuncError> {
    let cn = string(&a[0])?.as_str();
    let (ips, dns) = sans(&a[1], &a[2])?;
    let days = go_int(&a[3])?;
    let key = match key {
        Some(k) => k,
        None => new_key(ctx)?,
    };
    let t = Template {
        cn,
        ips,
        dns,
        days,
        is_ca: false,
    };
    Ok(cert_value(create(ctx, &t, &key, None)?))
}

/// `genSelfSignedCert CN IPS DNS DAYS`.
fn gen_self_signed(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 4)?;
    self_signed(ctx, a, None)
}

fn gen_self_signed_with_key(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 5)?;
    let key = parse_key(string(&a[4])?.as_str(), "parsing private key")?;
    self_signed(ctx, a, Some(key))
}

fn signed(ctx: &mut Ctx, a: &[Value], key: Option<PrivateKey>) -> Result<Value, FuncError> {
    let cn = string(&a[0])?.as_str();
    let (ips, dns) = sans(&a[1], &a[2])?;
    let days = go_int(&a[3])?;
    let (ca_cert, ca_key) = ca_param(&a[4])?;
    let der = go_pem::decode(ca_cert.as_bytes())
        .ok_or_else(|| FuncError::call("unable to decode certificate"))?
        .bytes;
    let (issuer_name, key_id) = subject_and_key_id(&der).ok_or_else(|| {
        FuncError::call(
            "error parsing certificate: decodedSignerCert.Bytes: x509: malformed certificate",
        )
    })?;
    let signer = parse_key(&ca_key, "error parsing private key")?;
    let key = match key {
        Some(k) => k,
        None => new_key(ctx)?,
    };
    let t = Template {
        cn,
        ips,
        dns,
        days,
        is_ca: false,
    };
    let issuer = Issuer {
        name: issuer_name,
        key_id,
        key: &signer,
    };
    Ok(cert_value(create(ctx, &t, &key, Some(&issuer))?))
}

/// `genSignedCert CN IPS DNS DAYS CA`.
fn gen_signed(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 5)?;
    signed(ctx, a, None)
}

fn gen_signed_with_key(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 6)?;
    let key = parse_key(string(&a[5])?.as_str(), "parsing private key")?;
    signed(ctx, a, Some(key))
}

/// `buildCustomCert CERT_B64 KEY_B64`: a certificate object from base64-encoded PEM, checked
/// as Sprig checks it (the certificate must parse; the key must be one this engine reads).
fn build_custom_cert(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let decode = |v: &Value, what: &str| -> Result<String, FuncError> {
        let bytes = base64_decode(string(v)?.as_str().as_bytes())
            .map_err(|_| FuncError::call(format!("unable to decode base64 {what}")))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    let cert = decode(&a[0], "certificate")?;
    let key = decode(&a[1], "private key")?;
    let der = go_pem::decode(cert.as_bytes())
        .ok_or_else(|| FuncError::call("unable to decode certificate"))?
        .bytes;
    if subject_and_key_id(&der).is_none() {
        return Err(FuncError::call(
            "error parsing certificate: decodedCert.Bytes: x509: malformed certificate",
        ));
    }
    parse_key(&key, "error parsing private key")?;
    Ok(cert_value(Certificate { cert, key }))
}

/// `genPrivateKey TYPE`: an RSA key (4096 bits, as Sprig), a P-256 ECDSA key, an Ed25519 or
/// a DSA key, as PEM.
fn gen_private_key(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let typ = string(&a[0])?.as_str();
    match PrivateKey::generate(ctx, typ)? {
        Some(key) => key
            .to_pem()
            .map(Value::str)
            .map_err(|e| FuncError::call(format!("failed to generate private key: {e}"))),
        None => Ok(Value::str(format!("Unknown type {typ}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::super::go_pem;
    use super::super::sprig_testutil::{call, err, i, l, s};
    use super::subject_and_key_id;
    use crate::template::value::Value;

    fn field(v: &Value, f: &str) -> String {
        let Value::Object(o) = v else {
            panic!("not an object")
        };
        o.field(f)
            .and_then(|x| x.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    #[test]
    fn ca_and_signed_certificate_chain() {
        let ca = call("genCA", &[s("my-ca"), i(365)]).unwrap();
        assert_eq!(ca.type_name(), "sprig.certificate");
        // From `helm template`: a struct value.
        assert_eq!(
            super::super::sprig_testutil::show("kindOf", std::slice::from_ref(&ca)),
            "struct"
        );
        let ca_cert = field(&ca, "Cert");
        assert!(ca_cert.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(field(&ca, "Key").starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
        let block = go_pem::decode(ca_cert.as_bytes()).unwrap();
        assert_eq!(block.kind, "CERTIFICATE");
        let der = block.bytes;
        let (subject, key_id) = subject_and_key_id(&der).unwrap();
        assert!(subject.windows(5).any(|w| w == b"my-ca"));
        assert_eq!(key_id.map(|k| k.len()), Some(20));

        let ips = l(&[s("10.0.0.1"), s("::1")]);
        let dns = l(&[s("a.example"), s("b.example")]);
        let leaf = call("genSignedCert", &[s("leaf"), ips, dns, i(30), ca]).unwrap();
        let der = go_pem::decode(field(&leaf, "Cert").as_bytes())
            .unwrap()
            .bytes;
        let (subject, key_id) = subject_and_key_id(&der).unwrap();
        assert!(subject.windows(4).any(|w| w == b"leaf"));
        assert!(key_id.is_none());
        assert!(der.windows(9).any(|w| w == b"a.example"));
        // The issuer is the CA's subject.
        assert!(der.windows(5).any(|w| w == b"my-ca"));
    }

    #[test]
    fn argument_errors_follow_sprig() {
        assert_eq!(
            err(
                "genSelfSignedCert",
                &[s("x"), l(&[s("nope")]), Value::Nil, i(1)]
            ),
            "error parsing ip: nope"
        );
        assert_eq!(
            err("genSelfSignedCert", &[s("x"), Value::Nil, l(&[i(3)]), i(1)]),
            "error processing alternate dns name: 3 is not a string"
        );
        assert_eq!(
            err(
                "genSignedCert",
                &[s("x"), Value::Nil, Value::Nil, i(1), s("ca")]
            ),
            "wrong type for value; expected sprig.certificate; got string"
        );
        assert_eq!(
            err("buildCustomCert", &[s("!!"), s("")]),
            "unable to decode base64 certificate"
        );
        let b64 = |t: &str| call("b64enc", &[s(t)]).unwrap();
        assert_eq!(
            err("buildCustomCert", &[b64("x"), b64("y")]),
            "unable to decode certificate"
        );
        let ca = call("genCA", &[s("x"), i(1)]).unwrap();
        let cert = b64(&field(&ca, "Cert"));
        assert_eq!(
            err("buildCustomCert", &[cert.clone(), b64("y")]),
            "error parsing private key: no PEM data in input"
        );
        let built = call("buildCustomCert", &[cert, b64(&field(&ca, "Key"))]).unwrap();
        assert_eq!(field(&built, "Cert"), field(&ca, "Cert"));
        let k = call("genPrivateKey", &[s("bogus")]).unwrap();
        assert_eq!(k.as_str(), Some("Unknown type bogus"));
    }
}

//! Stand-in RSA keys for renders that are only analysed (lint, `images`, mirror).
//!
//! Sprig makes a fresh RSA key for every `genCA`, `genSelfSignedCert` and `genSignedCert`
//! (2,048 bits) and `genPrivateKey "rsa"` (4,096 bits). Finding primes is most of a render's
//! time where a chart makes certificates (suse-observability with Kafka TLS and
//! Elasticsearch certificates on: 2.2 s of `images`, more than `helm template` takes), and
//! analysis never shows a key. So those renders take one fixed key of each size, made once with
//! OpenSSL (`openssl genrsa`), as `bcrypt` takes a stand-in hash there; `render` still makes
//! a new key every time, as Helm does.

use std::sync::OnceLock;

use rsa::BigUint;
use rsa::RsaPrivateKey;

const P_2048: &str = concat!(
    "f1fa8d2da42959e885c7656a5a81f65a93450dd2463fdaebbd3795d32f92c78c3ca2a1dde622d3ee",
    "83aea1ba4fa4b6bcac6d70872675181affe5284a02b45a8bfd13d638705dc65596f896e80c9dcb72",
    "1bba78b5ab7ab81fa0ef1ec47af67172ed78313c4242ac24c83329948a5d9b595ddb58d8b1c18353",
    "5fd00b9f52f1d4e9",
);
const Q_2048: &str = concat!(
    "cba48372d6df3caa4ca124a77f7bbf2d5753be35e6c287bcbee412e4d9a8d5fba1ad5d2dea0847ee",
    "640d57dc777d6e236e6cf7245804268c4c142604f6ac80238528a9e8364f960b2e08ce66052be7e4",
    "e28e8696d9d80cdc64cb5664c0cc65c9a02d6665e040cb985a276a37dc98f6bd9c3a6efeddc58184",
    "fe19e28c5cda6d89",
);
const P_4096: &str = concat!(
    "d074cdcf0d1e0b73a3d37ed5905d6b7b3d5fae06c8246953594e9b062cfd49b79989862f0f2de2fb",
    "42a4fa36d53c89732a82ba93bb280865b3118112bba38a088fe571dfc211e22d0e7dac3b0fc29152",
    "ded7ce97dbd89e745870bb906272c025d06596d7a065ff1972dcceed00cc07215a6f0704687dad66",
    "c10a9010e0580619b7503721eea1ec36f66fa86f3d13119261076749b44a6c2c80e5a137e2f8c034",
    "a0d4a4148525a100a48dabb3517d0616ba34be2871fe1c74bc27a91ba7071c70f8a52d88c672b644",
    "ffdb8daf914c0c2c7cf0ac25f513dff00b951d5fa1ae54512b0fdbca42749ac0a0a287c06e446659",
    "f57b8c1f4080a7a13afb2371293a089d",
);
const Q_4096: &str = concat!(
    "c1f385f958016f90e6946dc10ce98efc354f7676df0894fdd5a888f916d7f0ba01e2fbf6f90ed6ed",
    "0af9996a51b83c93285d2bd3a3131cb13583991b4f72bd927dd1d0ab3ed41fea9b93608bc7d74ecf",
    "411d10081e27b999e1b15b46f7e4b7ca5da6a31ab7931a94e5efbdd2e4c4336b8174814c6a4266c1",
    "2e7912e87683e6e4293e1283cc3640b2a929b68b181bff779d3c4c537e48ff1e6c5bc78eef8aafe7",
    "c8f6470de8b3b2809c033805f227e2dad3a00511f84c55755041a1d5d7a878f275901fe8c7afb1a8",
    "0c5092711dee2299abc3286b1c12e98550148c44a8fe9a500cdef4e0890a8b4aa7d389b861ab9135",
    "25dbebffebcb0f1a460e322f82bc3a21",
);

/// The stand-in key of `bits` bits, when there is one.
pub(super) fn key(bits: usize) -> Option<RsaPrivateKey> {
    static KEY_2048: OnceLock<Option<RsaPrivateKey>> = OnceLock::new();
    static KEY_4096: OnceLock<Option<RsaPrivateKey>> = OnceLock::new();
    let (cell, p, q) = match bits {
        2048 => (&KEY_2048, P_2048, Q_2048),
        4096 => (&KEY_4096, P_4096, Q_4096),
        _ => return None,
    };
    cell.get_or_init(|| from_primes(p, q)).clone()
}

fn from_primes(p: &str, q: &str) -> Option<RsaPrivateKey> {
    let p = BigUint::parse_bytes(p.as_bytes(), 16)?;
    let q = BigUint::parse_bytes(q.as_bytes(), 16)?;
    let mut key = RsaPrivateKey::from_p_q(p, q, BigUint::from(65_537u32)).ok()?;
    key.precompute().ok()?;
    Some(key)
}

#[cfg(test)]
mod tests {
    use rsa::traits::PublicKeyParts;

    #[test]
    fn stand_ins_are_valid_keys_of_their_size() {
        for bits in [2048, 4096] {
            let key = super::key(bits).expect("a stand-in");
            assert_eq!(key.n().bits(), bits);
            key.validate().expect("a valid key");
        }
        assert!(super::key(1024).is_none());
    }
}

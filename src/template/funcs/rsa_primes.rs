//! New RSA keys for `genPrivateKey "rsa"` and the certificate functions, made as Go's
//! `crypto/rsa` makes them (two primes of half the size each, the top two bits of each set,
//! e = 65537), but faster: a sieve of the odd primes below 2^16 walks up from each random start
//! before any modular exponentiation, and the Miller–Rabin tests run in Montgomery form on
//! fixed-size limbs. The rsa crate's own search took 1.5–2.5 times Go's time (bitnami etcd's
//! 4,096-bit key: 9 s of render against Helm's 3 s).

use std::sync::OnceLock;

use rsa::{BigUint, RsaPrivateKey};

use super::Rng;

/// Odd primes below this divide candidates out before any exponentiation.
const SIEVE_BOUND: usize = 1 << 16;

/// Miller–Rabin rounds with random bases after the one with base 2 (Go's `ProbablyPrime(20)`
/// does as many; for random candidates of 512 bits and more, each round alone errs with odds
/// below 2^-100, FIPS 186-5 table B.1).
const ROUNDS: usize = 20;

/// How far a search walks up from its random start before it draws a new one.
const MAX_STEP: u32 = 1 << 20;

/// A new key of `bits` bits (at least 128), or `None` when the primes do not make a key (never
/// seen; the caller then asks the rsa crate).
pub(super) fn new_key(rng: &mut Rng, bits: usize) -> Option<RsaPrivateKey> {
    if bits < 128 {
        return None;
    }
    for _ in 0..100 {
        let p = prime(rng, bits / 2);
        let q = prime(rng, bits - bits / 2);
        let (p, q) = (to_big(&p), to_big(&q));
        if p == q {
            continue;
        }
        // Fails when e divides p - 1 or q - 1: Go draws both primes again, as here.
        let Ok(mut key) = RsaPrivateKey::from_primes(vec![p, q], BigUint::from(65_537u32)) else {
            continue;
        };
        if rsa::traits::PublicKeyParts::n(&key).bits() != bits || key.precompute().is_err() {
            continue;
        }
        return Some(key);
    }
    None
}

fn to_big(limbs: &[u64]) -> BigUint {
    let bytes: Vec<u8> = limbs.iter().flat_map(|l| l.to_le_bytes()).collect();
    BigUint::from_bytes_le(&bytes)
}

fn small_primes() -> &'static [u32] {
    static PRIMES: OnceLock<Vec<u32>> = OnceLock::new();
    PRIMES.get_or_init(|| {
        let mut composite = vec![false; SIEVE_BOUND];
        let mut primes = Vec::new();
        for i in 2..SIEVE_BOUND {
            if composite[i] {
                continue;
            }
            if i > 2 {
                primes.push(i as u32);
            }
            for j in (i * i..SIEVE_BOUND).step_by(i) {
                composite[j] = true;
            }
        }
        primes
    })
}

/// `n mod p` for a small `p`, in 32-bit halves so that no step needs 128-bit division.
fn rem_small(n: &[u64], p: u32) -> u32 {
    let p = u64::from(p);
    let mut r = 0u64;
    for &limb in n.iter().rev() {
        r = ((r << 32) | (limb >> 32)) % p;
        r = ((r << 32) | (limb & 0xffff_ffff)) % p;
    }
    r as u32
}

/// A random prime of exactly `bits` bits (at least 64) whose top two bits are set.
fn prime(rng: &mut Rng, bits: usize) -> Vec<u64> {
    let k = bits.div_ceil(64);
    let top = bits - 64 * (k - 1);
    let primes = small_primes();
    loop {
        let mut start: Vec<u64> = (0..k).map(|_| rng.next_u64()).collect();
        if top < 64 {
            start[k - 1] &= (1u64 << top) - 1;
        }
        set_bit(&mut start, bits - 1);
        set_bit(&mut start, bits - 2);
        start[0] |= 1;
        let rems: Vec<u32> = primes.iter().map(|&p| rem_small(&start, p)).collect();
        let mut step = 0u32;
        while step < MAX_STEP {
            // `start` is above every sieving prime, so a zero remainder means a factor.
            let sieved = rems
                .iter()
                .zip(primes)
                .all(|(&r, &p)| !(r + step).is_multiple_of(p));
            if sieved {
                let candidate = add_small(&start, step);
                if bit_len(&candidate) != bits {
                    break;
                }
                if is_probable_prime(&candidate, rng) {
                    return candidate;
                }
            }
            step += 2;
        }
    }
}

fn set_bit(n: &mut [u64], bit: usize) {
    n[bit / 64] |= 1 << (bit % 64);
}

fn bit_len(n: &[u64]) -> usize {
    n.iter()
        .rposition(|&l| l != 0)
        .map_or(0, |i| 64 * i + 64 - n[i].leading_zeros() as usize)
}

fn add_small(n: &[u64], x: u32) -> Vec<u64> {
    let mut out = n.to_vec();
    let mut carry = u64::from(x);
    for limb in &mut out {
        let (sum, over) = limb.overflowing_add(carry);
        *limb = sum;
        carry = u64::from(over);
        if carry == 0 {
            break;
        }
    }
    // A carry out of the top limb leaves a number of another length, which the caller drops.
    out
}

/// Miller–Rabin with base 2, then [`ROUNDS`] random bases.
fn is_probable_prime(n: &[u64], rng: &mut Rng) -> bool {
    let mont = Mont::new(n);
    let mut two = vec![0; n.len()];
    two[0] = 2;
    if !mont.strong_probable_prime(&two) {
        return false;
    }
    let bits = bit_len(n);
    for _ in 0..ROUNDS {
        // Below 2^(bits-1), so below n - 1.
        let mut base: Vec<u64> = (0..n.len()).map(|_| rng.next_u64()).collect();
        for (i, limb) in base.iter_mut().enumerate() {
            let low = 64 * i;
            if low >= bits - 1 {
                *limb = 0;
            } else if bits - 1 - low < 64 {
                *limb &= (1u64 << (bits - 1 - low)) - 1;
            }
        }
        if bit_len(&base) < 2 {
            base[0] = 2;
        }
        if !mont.strong_probable_prime(&base) {
            return false;
        }
    }
    true
}

/// Arithmetic modulo an odd `n` in Montgomery form (R = 2^(64·limbs)).
struct Mont {
    n: Vec<u64>,
    /// -n^-1 mod 2^64.
    n_inv: u64,
    /// R² mod n, to bring a number into Montgomery form.
    r2: Vec<u64>,
    /// 1 and n - 1 in Montgomery form.
    one: Vec<u64>,
    minus_one: Vec<u64>,
}

impl Mont {
    fn new(n: &[u64]) -> Mont {
        let k = n.len();
        let mut inv = 1u64;
        for _ in 0..6 {
            // Newton's step doubles the correct low bits: 1, 2, 4, … 64.
            inv = inv.wrapping_mul(2u64.wrapping_sub(n[0].wrapping_mul(inv)));
        }
        // R mod n, then R² mod n, by doubling 1 with a reduction each time.
        let mut x = vec![0u64; k];
        x[0] = 1;
        for _ in 0..64 * k {
            double_mod(&mut x, n);
        }
        let one = x.clone();
        for _ in 0..64 * k {
            double_mod(&mut x, n);
        }
        let mut minus_one = n.to_vec();
        sub_in_place(&mut minus_one, &one);
        Mont {
            n: n.to_vec(),
            n_inv: inv.wrapping_neg(),
            r2: x,
            one,
            minus_one,
        }
    }

    /// `a·b·R^-1 mod n` for `a, b < n` (coarsely integrated operand scanning).
    fn mul(&self, a: &[u64], b: &[u64], out: &mut [u64], t: &mut [u64]) {
        let k = self.n.len();
        let n = &self.n[..k];
        let a = &a[..k];
        let t = &mut t[..k + 2];
        t.fill(0);
        for &bi in &b[..k] {
            let bi = u128::from(bi);
            let mut carry = 0u128;
            for (tj, &aj) in t[..k].iter_mut().zip(a) {
                let s = u128::from(*tj) + u128::from(aj) * bi + carry;
                *tj = s as u64;
                carry = s >> 64;
            }
            let s = u128::from(t[k]) + carry;
            t[k] = s as u64;
            t[k + 1] = (s >> 64) as u64;

            let m = u128::from(t[0].wrapping_mul(self.n_inv));
            let mut carry = (u128::from(t[0]) + m * u128::from(n[0])) >> 64;
            for j in 1..k {
                let s = u128::from(t[j]) + m * u128::from(n[j]) + carry;
                t[j - 1] = s as u64;
                carry = s >> 64;
            }
            let s = u128::from(t[k]) + carry;
            t[k - 1] = s as u64;
            t[k] = t[k + 1] + (s >> 64) as u64;
        }
        if t[k] != 0 || !less(&t[..k], n) {
            sub_in_place(&mut t[..k], n);
        }
        out[..k].copy_from_slice(&t[..k]);
    }

    /// `base^exp` in Montgomery form, for `base < n` given plainly (fixed 4-bit windows).
    fn pow(&self, base: &[u64], exp: &[u64]) -> Vec<u64> {
        let k = self.n.len();
        let mut t = vec![0u64; k + 2];
        let mut table = vec![self.one.clone()];
        let mut b = vec![0u64; k];
        self.mul(base, &self.r2, &mut b, &mut t);
        for i in 1..16 {
            let mut next = vec![0u64; k];
            self.mul(&table[i - 1], &b, &mut next, &mut t);
            table.push(next);
        }
        let mut acc = self.one.clone();
        let mut tmp = vec![0u64; k];
        let mut started = false;
        for i in (0..exp.len() * 16).rev() {
            let window = ((exp[i / 16] >> (4 * (i % 16))) & 0xf) as usize;
            if started {
                for _ in 0..4 {
                    self.mul(&acc, &acc, &mut tmp, &mut t);
                    std::mem::swap(&mut acc, &mut tmp);
                }
            }
            if window != 0 {
                self.mul(&acc, &table[window], &mut tmp, &mut t);
                std::mem::swap(&mut acc, &mut tmp);
                started = true;
            }
        }
        acc
    }

    /// Whether `n` is a strong probable prime to `base` (`1 < base < n - 1`).
    fn strong_probable_prime(&self, base: &[u64]) -> bool {
        let k = self.n.len();
        // n - 1 = d·2^s with d odd.
        let mut d = self.n.clone();
        d[0] -= 1;
        let s = d
            .iter()
            .position(|&l| l != 0)
            .map_or(0, |i| 64 * i + d[i].trailing_zeros() as usize);
        shift_right(&mut d, s);
        let mut x = self.pow(base, &d);
        if x == self.one || x == self.minus_one {
            return true;
        }
        let mut t = vec![0u64; k + 2];
        let mut tmp = vec![0u64; k];
        for _ in 1..s {
            self.mul(&x, &x, &mut tmp, &mut t);
            std::mem::swap(&mut x, &mut tmp);
            if x == self.minus_one {
                return true;
            }
            if x == self.one {
                return false;
            }
        }
        false
    }
}

fn less(a: &[u64], b: &[u64]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

/// `a -= b`, for `a >= b` (or with the borrow out of the top dropped, for a number that had
/// one more limb).
fn sub_in_place(a: &mut [u64], b: &[u64]) {
    let mut borrow = false;
    for (x, &y) in a.iter_mut().zip(b) {
        let (d1, b1) = x.overflowing_sub(y);
        let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
        *x = d2;
        borrow = b1 || b2;
    }
}

/// `x = 2x mod n`, for `x < n`.
fn double_mod(x: &mut [u64], n: &[u64]) {
    let mut carry = 0u64;
    for limb in x.iter_mut() {
        let next = *limb >> 63;
        *limb = (*limb << 1) | carry;
        carry = next;
    }
    if carry != 0 || !less(x, n) {
        sub_in_place(x, n);
    }
}

fn shift_right(x: &mut [u64], s: usize) {
    let (limbs, bits) = (s / 64, s % 64);
    let k = x.len();
    for i in 0..k {
        let lo = x.get(i + limbs).copied().unwrap_or(0);
        let hi = x.get(i + limbs + 1).copied().unwrap_or(0);
        x[i] = if bits == 0 {
            lo
        } else {
            (lo >> bits) | (hi << (64 - bits))
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::traits::PublicKeyParts;

    fn limbs(n: &BigUint, k: usize) -> Vec<u64> {
        let mut bytes = n.to_bytes_le();
        bytes.resize(8 * k, 0);
        bytes
            .chunks(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
            .collect()
    }

    fn random(rng: &mut Rng, k: usize) -> Vec<u64> {
        (0..k).map(|_| rng.next_u64()).collect()
    }

    #[test]
    fn montgomery_powers_agree_with_bigint() {
        let mut rng = Rng::seeded();
        for k in [1, 2, 3, 8, 16, 33] {
            for _ in 0..5 {
                let mut n = random(&mut rng, k);
                n[0] |= 1;
                n[k - 1] |= 1 << 63;
                let big_n = to_big(&n);
                let base = to_big(&random(&mut rng, k)) % &big_n;
                let exp = random(&mut rng, k.min(4));
                let mont = Mont::new(&n);
                let got = mont.pow(&limbs(&base, k), &exp);
                // Out of Montgomery form: multiply by 1.
                let mut one = vec![0u64; k];
                one[0] = 1;
                let (mut out, mut t) = (vec![0u64; k], vec![0u64; k + 2]);
                mont.mul(&got, &one, &mut out, &mut t);
                let want = base.modpow(&to_big(&exp), &big_n);
                assert_eq!(to_big(&out), want, "k = {k}");
            }
        }
    }

    #[test]
    fn primes_and_composites_are_told_apart() {
        let mut rng = Rng::seeded();
        let mersenne = |p: usize| {
            let k = p.div_ceil(64);
            let mut n = vec![u64::MAX; k];
            if !p.is_multiple_of(64) {
                n[k - 1] = (1u64 << (p % 64)) - 1;
            }
            n
        };
        for p in [61, 89, 107, 127, 521, 607, 1279] {
            assert!(is_probable_prime(&mersenne(p), &mut rng), "2^{p} - 1");
        }
        for p in [67, 101, 257, 1277] {
            assert!(!is_probable_prime(&mersenne(p), &mut rng), "2^{p} - 1");
        }
        // Strong pseudoprimes to base 2, Carmichael numbers, and a product of two primes.
        for n in [
            2047u64,
            3_215_031_751,
            561,
            41_041,
            3_825_123_056_546_413_051,
        ] {
            assert!(!is_probable_prime(&[n], &mut rng), "{n}");
        }
        let product = to_big(&mersenne(89)) * to_big(&mersenne(127));
        assert!(!is_probable_prime(&limbs(&product, 4), &mut rng));
    }

    #[test]
    fn keys_have_their_size_and_are_valid() {
        let mut rng = Rng::seeded();
        for bits in [512, 1024, 2048] {
            let key = new_key(&mut rng, bits).expect("a key");
            assert_eq!(key.n().bits(), bits);
            key.validate().expect("a valid key");
            assert_eq!(key.e(), &BigUint::from(65_537u32));
        }
        assert!(new_key(&mut rng, 64).is_none());
    }

    #[test]
    fn primes_have_the_top_two_bits_set() {
        let mut rng = Rng::seeded();
        for bits in [64, 100, 256, 512] {
            let p = prime(&mut rng, bits);
            assert_eq!(bit_len(&p), bits);
            assert_eq!(p[(bits - 2) / 64] >> ((bits - 2) % 64) & 1, 1);
        }
    }
}

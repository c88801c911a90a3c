//! The function table: Go's builtins, Sprig's functions and Helm's, one file per family.
//!
//! Every function takes the evaluated arguments (number constants already converted as Go does
//! for an `interface{}` parameter: integers to `int`, others to `float64`) and returns a value or
//! a [`FuncError`]. Functions that need the executor (`include`, `tpl`, `and`, `or`, `call`) are
//! not here: the executor handles them itself. `lookup` and other cluster functions return what
//! they return under `helm template`.

use std::sync::OnceLock;

use super::{FuncError, Value};
use crate::helm_build::HelmBuild;

pub(crate) mod args;
pub(crate) mod arity;
pub(crate) mod go;
mod go_pem;
pub(crate) mod go_time;
mod go_time_methods;
pub(crate) mod helm_data;
pub(crate) mod helm_json;
mod helm_toml;
pub(crate) mod helm_yaml;
pub(crate) mod json_decode;
pub(crate) mod params;
mod regex_operands;
mod rsa_primes;
mod rsa_stand_in;
pub(crate) mod sprig_case;
pub(crate) mod sprig_certs;
pub(crate) mod sprig_cipher;
pub(crate) mod sprig_crypto;
pub(crate) mod sprig_date;
pub(crate) mod sprig_date_parse;
pub(crate) mod sprig_defaults;
pub(crate) mod sprig_dicts;
pub(crate) mod sprig_encoding;
pub(crate) mod sprig_hash;
mod sprig_keys;
pub(crate) mod sprig_lists;
pub(crate) mod sprig_math;
pub(crate) mod sprig_paths;
pub(crate) mod sprig_regex;
#[cfg(test)]
mod sprig_robustness;
pub(crate) mod sprig_semver;
pub(crate) mod sprig_strings;
#[cfg(test)]
mod sprig_testutil;
pub(crate) mod sprig_words;
mod sprig_zone;
mod yaml_emit;
mod yaml_read_plain;
mod yaml_resolve;

pub(crate) use helm_yaml::YamlCache;

/// A template function.
pub(crate) type Func = fn(&mut Ctx, &[Value]) -> Result<Value, FuncError>;

/// State a function may use.
#[derive(Debug)]
pub(crate) struct Ctx {
    /// Random bytes for `randAlphaNum`, keys and the like (the system's generator).
    pub(crate) rng: Rng,
    /// The documents `fromYaml` read so far in this render.
    pub(crate) yaml_cache: helm_yaml::YamlCache,
    /// The render is analysed, never printed: `bcrypt` and `htpasswd`, whose output differs on
    /// every run (a random salt), give a hash of the same form without the key derivation
    /// (some 50 ms each at Sprig's cost 10).
    pub(crate) analysis: bool,
    /// `required` given nothing returns [`STAND_IN`] instead of failing, and its message is
    /// kept in `unmet` (lint's stand-ins for values the files leave out; never for `render`).
    pub(crate) stand_in_required: bool,
    /// The messages of the `required` calls that stood in.
    pub(crate) unmet: Vec<String>,
    /// What the Helm of the render was built from (the comparison functions' words, its
    /// semver; Helm 4's TOML library prints floats differently).
    pub(crate) build: HelmBuild,
}

/// What `required` returns for a value the files leave out, under [`Ctx::stand_in_required`].
pub(crate) const STAND_IN: &str = "stackstate-lint-stand-in";

/// The same for a URL (the message names one): charts check that it parses.
pub(crate) const STAND_IN_URL: &str = "https://stackstate-lint-stand-in.example.com";

impl Default for Ctx {
    fn default() -> Self {
        Ctx {
            rng: Rng::seeded(),
            yaml_cache: helm_yaml::YamlCache::default(),
            analysis: false,
            stand_in_required: false,
            unmet: Vec::new(),
            build: HelmBuild::V3,
        }
    }
}

/// Random bytes for Sprig's random functions (`randAlphaNum`, `uuidv4`, salts) and for Go's
/// keys and certificates, from the operating system's generator, as Go's `crypto/rand` gives
/// them to Helm: a rendered password or private key may well be deployed.
#[derive(Debug)]
pub(crate) struct Rng {
    buf: [u8; 256],
    /// Bytes of `buf` already handed out; a full buffer is read on first use.
    used: usize,
    /// Where the system's generator cannot be read (a sandbox forbidding `getrandom`): xorshift
    /// seeded from std's hash keys and the clock, as before 2026-12-04.
    fallback: Option<u64>,
}

impl Rng {
    /// A generator that reads the system's generator when it is first asked.
    pub(crate) fn seeded() -> Rng {
        Rng {
            buf: [0; 256],
            used: 256,
            fallback: None,
        }
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        crate::template::memo::note_impure();
        if self.used + 8 > self.buf.len() {
            self.refill();
        }
        let mut word = [0; 8];
        word.copy_from_slice(&self.buf[self.used..self.used + 8]);
        self.used += 8;
        u64::from_le_bytes(word)
    }

    /// A number in `0..n` (`n > 0`), without the bias of a plain remainder.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        let n = n.max(1);
        let zone = u64::MAX - (u64::MAX - n + 1) % n;
        loop {
            let x = self.next_u64();
            if x <= zone {
                return x % n;
            }
        }
    }

    fn refill(&mut self) {
        use rsa::rand_core::RngCore;
        self.used = 0;
        if self.fallback.is_none() && rsa::rand_core::OsRng.try_fill_bytes(&mut self.buf).is_ok() {
            return;
        }
        let mut x = *self.fallback.get_or_insert_with(clock_seed);
        for chunk in self.buf.chunks_mut(8) {
            // xorshift64*
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            chunk.copy_from_slice(&x.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
        }
        self.fallback = Some(x);
    }
}

fn clock_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    if let Ok(d) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(d.as_nanos());
    }
    h.finish() | 1
}

/// Every function family's table.
fn families() -> &'static [&'static [(&'static str, Func)]] {
    // NOTE: later tables win a name: Go's builtins come first (a FuncMap entry replaces a
    // builtin of the same name, e.g. Sprig's `slice`), Helm's last, as Helm's FuncMap replaces
    // Sprig's functions of the same name.
    &[
        go::FUNCS,
        sprig_strings::FUNCS,
        sprig_words::FUNCS,
        sprig_case::FUNCS,
        sprig_dicts::FUNCS,
        sprig_defaults::FUNCS,
        sprig_lists::FUNCS,
        sprig_math::FUNCS,
        sprig_regex::FUNCS,
        sprig_semver::FUNCS,
        sprig_encoding::FUNCS,
        sprig_hash::FUNCS,
        sprig_paths::FUNCS,
        sprig_date::FUNCS,
        sprig_date_parse::FUNCS,
        sprig_crypto::FUNCS,
        sprig_cipher::FUNCS,
        sprig_certs::FUNCS,
        helm_data::FUNCS,
    ]
}

/// What the executor needs to call a function by name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Callee {
    /// The function, or `None` for one the executor implements itself ([`EXECUTOR_FUNCS`]).
    pub(crate) func: Option<Func>,
    /// Its parameter count ([`arity`]; a unit test holds the table to the map).
    pub(crate) arity: Option<arity::Arity>,
    /// How far it looks into the maps it is handed (for remembered `include`s).
    pub(crate) look: crate::template::memo::Look,
}

/// The function called `name` and its arity, if the engine knows it: one lookup per call.
pub(crate) fn resolve(name: &str) -> Option<Callee> {
    static TABLE: OnceLock<crate::fast_hash::FxHashMap<&'static str, Callee>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            let funcs = families()
                .iter()
                .flat_map(|family| family.iter().map(|&(name, func)| (name, Some(func))));
            let builtins = EXECUTOR_FUNCS.iter().map(|&name| (name, None));
            let mut table: crate::fast_hash::FxHashMap<&'static str, Callee> = funcs
                .chain(builtins)
                .map(|(name, func)| {
                    let look = crate::template::memo::look_of(name);
                    (
                        name,
                        Callee {
                            func,
                            arity: None,
                            look,
                        },
                    )
                })
                .collect();
            for (name, arity) in arity::entries() {
                if let Some(callee) = table.get_mut(name) {
                    callee.arity = Some(arity);
                }
            }
            table
        })
        .get(name)
        .copied()
}

/// The function called `name`, if the engine knows it.
pub(crate) fn lookup(name: &str) -> Option<Func> {
    resolve(name).and_then(|c| c.func)
}

/// Whether `name` is a function of Helm 3 (for the parser's "function not defined" check),
/// counting the ones the executor implements itself.
pub(crate) fn exists(name: &str) -> bool {
    exists_for(name, HelmBuild::V3)
}

/// [`exists`] in the function map of `build` (older Helms lack some, Helm 4 adds `mustToYaml`).
pub(crate) fn exists_for(name: &str, build: HelmBuild) -> bool {
    EXECUTOR_FUNCS.contains(&name) || (lookup(name).is_some() && build.has_function(name))
}

/// Functions the executor implements itself, because they need it.
pub(crate) const EXECUTOR_FUNCS: &[&str] = &["and", "or", "call", "include", "tpl"];

#[cfg(test)]
mod rng_tests {
    use super::Rng;

    #[test]
    fn two_generators_give_different_bytes() {
        let (mut a, mut b) = (Rng::seeded(), Rng::seeded());
        let xs: Vec<u64> = (0..64).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..64).map(|_| b.next_u64()).collect();
        assert_ne!(xs, ys);
        // Past one buffer, the next is read anew.
        assert_ne!(xs[..32], xs[32..]);
    }

    #[test]
    fn below_stays_in_range_and_reaches_every_value() {
        let mut rng = Rng::seeded();
        let mut seen = [0u32; 62];
        for _ in 0..20_000 {
            let x = rng.below(62) as usize;
            seen[x] += 1;
        }
        assert!(seen.iter().all(|&n| n > 200), "{seen:?}");
        assert_eq!(rng.below(1), 0);
        assert_eq!(rng.below(0), 0);
        assert!(rng.below(u64::MAX) < u64::MAX);
    }

    #[test]
    fn without_the_system_generator_the_fallback_still_varies() {
        let mut rng = Rng::seeded();
        rng.fallback = Some(7);
        let xs: Vec<u64> = (0..40).map(|_| rng.next_u64()).collect();
        let mut sorted = xs.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), xs.len());
    }
}

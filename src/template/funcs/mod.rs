//! The function table: Go's builtins, Sprig's functions and Helm's, one file per family.
//!
//! Every function takes the evaluated arguments (number constants already converted as Go does
//! for an `interface{}` parameter: integers to `int`, others to `float64`) and returns a value or
//! a [`FuncError`]. Functions that need the executor (`include`, `tpl`, `and`, `or`, `call`) are
//! not here: the executor handles them itself. `lookup` and other cluster functions return what
//! they return under `helm template`.

use std::sync::OnceLock;

use super::{FuncError, Value};

pub(crate) mod args;
pub(crate) mod go;
mod go_pem;
pub(crate) mod helm_data;
pub(crate) mod helm_json;
mod helm_toml;
pub(crate) mod helm_yaml;
pub(crate) mod json_decode;
mod regex_operands;
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
mod yaml_resolve;

/// A template function.
pub(crate) type Func = fn(&mut Ctx, &[Value]) -> Result<Value, FuncError>;

/// State a function may use.
#[derive(Debug)]
pub(crate) struct Ctx {
    /// A pseudo-random generator for `randAlphaNum` and friends (xorshift, seeded per render).
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
    /// The render is Helm 4's (its TOML library prints floats differently).
    pub(crate) helm4: bool,
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
            helm4: false,
        }
    }
}

/// A small pseudo-random generator; Helm's random functions are not cryptographic either
/// (Sprig uses math/rand for `randAlphaNum`).
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator seeded from the process's hash randomness and the clock.
    pub(crate) fn seeded() -> Rng {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        if let Ok(d) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            h.write_u128(d.as_nanos());
        }
        Rng(h.finish() | 1)
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
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

/// The function called `name`, if the engine knows it.
pub(crate) fn lookup(name: &str) -> Option<Func> {
    static TABLE: OnceLock<crate::fast_hash::FxHashMap<&'static str, Func>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            families()
                .iter()
                .flat_map(|family| family.iter().copied())
                .collect()
        })
        .get(name)
        .copied()
}

/// Whether `name` is a function of Helm 3 (for the parser's "function not defined" check),
/// counting the ones the executor implements itself.
pub(crate) fn exists(name: &str) -> bool {
    exists_for(name, false)
}

/// [`exists`] for Helm 3 or, with `helm4`, Helm 4, whose map adds [`HELM4_ONLY`].
pub(crate) fn exists_for(name: &str, helm4: bool) -> bool {
    EXECUTOR_FUNCS.contains(&name)
        || (lookup(name).is_some() && (helm4 || !HELM4_ONLY.contains(&name)))
}

/// The functions only Helm 4's map has (`pkg/engine/funcs.go` of v4.1.4 against v3.17.3:
/// `mustToJson` is new there too, but Sprig already had one that behaves the same).
pub(crate) const HELM4_ONLY: &[&str] = &["mustToYaml"];

/// Functions the executor implements itself, because they need it.
pub(crate) const EXECUTOR_FUNCS: &[&str] = &["and", "or", "call", "include", "tpl"];

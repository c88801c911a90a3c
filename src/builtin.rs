//! Data `build.rs` packed into the binary (see `src/packed.rs`).

/// The bytes `build.rs` wrote for `rules/<name>.yaml`.
macro_rules! packed {
    ($name:literal) => {
        include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".bin"))
    };
}
pub(crate) use packed;

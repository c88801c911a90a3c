//! The pack of built-in charts the binary embeds (`build.rs` writes it, [`super::pack`] reads
//! it): the built-in charts load from it, and a chart read from disk takes from it the parsed
//! form of each template whose text it holds.

use std::sync::OnceLock;

use super::pack::{self, Pack};

static PACK_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/charts.pack"));

/// The embedded pack, its tables read once.
pub(crate) fn get() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| {
        pack::read(PACK_BYTES).unwrap_or_else(|e| panic!("the built-in chart pack is corrupt: {e}"))
    })
}

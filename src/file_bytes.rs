//! A chart file's bytes, shared by every copy of the chart that holds the file.
//!
//! A file read from a folder or an archive is held whole. A built-in chart's file is a range of
//! a block of the pack, which every file in the block shares: no file is copied out of its
//! block. A file that only `.Files` reads (a README, a dashboard, a config file) sits in blocks
//! of its own, inflated the first time a template asks for one of their files: a render that
//! reads none inflates none (suse-observability 2.10.3 holds 1.1 MB of them).

use std::ops::Deref;
use std::sync::{Arc, OnceLock};

/// Blocks that inflate on demand: the built-in charts' pack.
pub(crate) trait Blocks: Sync + Send {
    /// Block `n` inflated, or none should it not inflate.
    fn block(&self, n: usize) -> Option<Arc<Vec<u8>>>;
}

/// The bytes of one chart file (see the module).
#[derive(Clone)]
pub struct FileBytes(Repr);

#[derive(Clone)]
enum Repr {
    Whole(Arc<[u8]>),
    /// `block[start..end]`.
    Cut {
        block: Arc<Vec<u8>>,
        start: usize,
        end: usize,
    },
    Later(Arc<Later>),
}

/// A range of a pack block not inflated yet.
struct Later {
    blocks: &'static dyn Blocks,
    block: usize,
    start: usize,
    end: usize,
    cut: OnceLock<FileBytes>,
}

impl FileBytes {
    /// `block[start..end]` (the caller checked the range).
    pub(crate) fn cut(block: &Arc<Vec<u8>>, start: usize, end: usize) -> FileBytes {
        FileBytes(Repr::Cut {
            block: Arc::clone(block),
            start,
            end,
        })
    }

    /// A file's text at `block[start..end]`, a UTF-8 byte-order mark left out (Helm's loader
    /// trims it).
    pub(crate) fn text(block: &Arc<Vec<u8>>, start: usize, end: usize) -> FileBytes {
        match block.get(start..end) {
            Some(bytes) if bytes.starts_with(BOM) => FileBytes::cut(block, start + BOM.len(), end),
            _ => FileBytes::cut(block, start, end),
        }
    }

    /// The text at `block[start..end]` of `blocks` (see [`FileBytes::text`]), inflated when
    /// first read; empty should the block not inflate (the pack is the binary's own: its tables
    /// were checked when it was read).
    pub(crate) fn later(
        blocks: &'static dyn Blocks,
        block: usize,
        start: usize,
        end: usize,
    ) -> FileBytes {
        FileBytes(Repr::Later(Arc::new(Later {
            blocks,
            block,
            start,
            end,
            cut: OnceLock::new(),
        })))
    }

    /// Where the bytes are (their address and length): the same for every copy of these
    /// bytes, different from any other bytes alive at the same time.
    pub(crate) fn place(&self) -> (usize, usize) {
        let bytes: &[u8] = self;
        (bytes.as_ptr() as usize, bytes.len())
    }

    /// Whether the bytes are there without inflating anything.
    #[cfg(test)]
    pub(crate) fn is_ready(&self) -> bool {
        match &self.0 {
            Repr::Later(later) => later.cut.get().is_some(),
            _ => true,
        }
    }
}

/// UTF-8's byte-order mark.
const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

impl From<Arc<[u8]>> for FileBytes {
    fn from(bytes: Arc<[u8]>) -> Self {
        FileBytes(Repr::Whole(bytes))
    }
}

impl From<&[u8]> for FileBytes {
    fn from(bytes: &[u8]) -> Self {
        FileBytes(Repr::Whole(bytes.into()))
    }
}

impl From<Vec<u8>> for FileBytes {
    fn from(bytes: Vec<u8>) -> Self {
        FileBytes(Repr::Whole(bytes.into()))
    }
}

impl Deref for FileBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match &self.0 {
            Repr::Whole(bytes) => bytes,
            Repr::Cut { block, start, end } => block.get(*start..*end).unwrap_or_default(),
            Repr::Later(later) => later
                .cut
                .get_or_init(|| match later.blocks.block(later.block) {
                    Some(block) => FileBytes::text(&block, later.start, later.end),
                    None => FileBytes::from(&[][..]),
                }),
        }
    }
}

impl AsRef<[u8]> for FileBytes {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl std::fmt::Debug for FileBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Repr::Later(later) if later.cut.get().is_none() => {
                write!(
                    f,
                    "FileBytes(not inflated, {} bytes)",
                    later.end - later.start
                )
            }
            _ => write!(f, "FileBytes({} bytes)", self.len()),
        }
    }
}

impl PartialEq for FileBytes {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for FileBytes {}

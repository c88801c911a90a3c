// The render allocates many small, short-lived values; mimalloc does that markedly faster than
// the system allocator (measured in bench/render.sh).
#[global_allocator]
static GLOBAL: Mimalloc = Mimalloc;

/// mimalloc, asked for plain blocks where the alignment allows: `mimalloc::MiMalloc` sends every
/// allocation through `mi_malloc_aligned`, whose checks and fallback (a fresh page goes through
/// its generic aligned path) cost about 5 M instructions of a 250 M render. mimalloc's blocks are
/// multiples of 8 bytes from 8-aligned pages, so an alignment up to 8 needs nothing more.
struct Mimalloc;

/// The alignment every mimalloc block has.
const PLAIN_ALIGN: usize = 8;

// SAFETY: the plain calls are taken only for alignments every mimalloc block meets; the rest
// is mimalloc's own allocator.
unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            // SAFETY: the caller gives a non-zero size; mimalloc returns null or a block.
            unsafe { libmimalloc_sys::mi_malloc(layout.size()).cast() }
        } else {
            // SAFETY: as GlobalAlloc::alloc.
            unsafe { mimalloc::MiMalloc.alloc(layout) }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            // SAFETY: as alloc.
            unsafe { libmimalloc_sys::mi_zalloc(layout.size()).cast() }
        } else {
            // SAFETY: as GlobalAlloc::alloc_zeroed.
            unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: every block came from mimalloc, whatever call made it.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            // SAFETY: `ptr` is a mimalloc block; the new one keeps the 8-byte alignment.
            unsafe { libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast() }
        } else {
            // SAFETY: as GlobalAlloc::realloc.
            unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
        }
    }
}

use std::io::IsTerminal;

fn main() {
    let is_tty = std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let code = stackstate_lint::run(std::env::args_os(), is_tty, &mut out, &mut err);
    stackstate_lint::exit(code);
}

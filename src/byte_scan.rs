//! Whole-text byte checks written so the compiler checks a block of bytes per instruction.
//!
//! Every text the YAML reader gets (a `fromYaml` argument, a rendered manifest) is first
//! checked for bytes with rules of their own (controls, non-ASCII); nearly every text has
//! none, so the check runs to the end. A byte-at-a-time `all`/`any` stops at the first hit and
//! so cannot be vectorised: it was 1.5 % of a render's instructions. Here each block of bytes is
//! reduced without branching and only the block's verdict is tested.

/// Bytes looked at before the verdict is tested.
const BLOCK: usize = 64;

/// Whether every byte of `bytes` is printable ASCII (`0x20..=0x7e`), a line feed, or, with
/// `tab_and_cr`, a tab or a carriage return.
pub(crate) fn printable_ascii(bytes: &[u8], tab_and_cr: bool) -> bool {
    let odd = |b: u8| {
        let control = b < 0x20 && b != b'\n' && !(tab_and_cr && (b == b'\t' || b == b'\r'));
        u8::from(control || b >= 0x7f)
    };
    bytes
        .chunks(BLOCK)
        .all(|block| block.iter().fold(0u8, |seen, &b| seen | odd(b)) == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_is_judged() {
        for b in 0..=255u8 {
            let plain = (0x20..0x7f).contains(&b) || b == b'\n';
            let with_tab_cr = plain || b == b'\t' || b == b'\r';
            // The odd byte at every place of a block and past one.
            for at in [0, 1, 63, 64, 65, 130] {
                let mut text = vec![b'a'; 131];
                text[at] = b;
                assert_eq!(printable_ascii(&text, false), plain, "byte {b:#x} at {at}");
                assert_eq!(
                    printable_ascii(&text, true),
                    with_tab_cr,
                    "byte {b:#x} at {at}"
                );
            }
        }
        assert!(printable_ascii(b"", false));
    }
}

//! The chart archive reader (`--chart x.tgz`). The first byte picks the form: odd, the input
//! is the .tgz itself; even, the rest is a tar stream that is gzipped here, so that the
//! fuzzer explores tar entries and chart contents rather than the gzip checksum.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use stackstate_lint::chart;
use stackstate_lint::Sources;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = if mode % 2 == 1 {
        rest.to_vec()
    } else {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        if gz.write_all(rest).is_err() {
            return;
        }
        match gz.finish() {
            Ok(b) => b,
            Err(_) => return,
        }
    };
    let _ = chart::load_archive_bytes(&bytes, "fuzz.tgz", &mut Sources::new());
});

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tgexport_fuzz::text(data));

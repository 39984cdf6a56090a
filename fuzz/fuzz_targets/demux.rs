#![no_main]

// The body is a plain function in src/demux.rs, shared with the stable corpus replay
// (tests/tests/fuzz_corpus.rs).
libfuzzer_sys::fuzz_target!(|data: &[u8]| docker_engine_fuzz::demux::run(data));

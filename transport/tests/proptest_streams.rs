//! Property tests of the two stream decoders: no input panics them, and valid input decodes to
//! the same items however it is cut into chunks.

mod common;

use bytes::Bytes;
use common::{drain_ready, frame};
use docker_engine_transport::{Error, JsonStream, OutputChunk, OutputStream};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Cuts `data` at the given points (taken modulo its length).
fn chunks(data: &[u8], cuts: &[usize]) -> Vec<Result<Bytes, Error>> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (data.len() + 1)).collect();
    points.push(0);
    points.push(data.len());
    points.sort_unstable();
    points.dedup();
    points.windows(2).map(|w| Ok(Bytes::copy_from_slice(&data[w[0]..w[1]]))).collect()
}

fn demux(data: &[u8], cuts: &[usize], max: usize) -> Vec<Result<OutputChunk, Error>> {
    let src = futures_util::stream::iter(chunks(data, cuts));
    drain_ready(OutputStream::multiplexed("Test", src, max))
}

fn json_values(data: &[u8], cuts: &[usize], max: usize) -> Vec<Result<Value, Error>> {
    let src = futures_util::stream::iter(chunks(data, cuts));
    drain_ready(JsonStream::<Value>::new("Test", src, max))
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        // Any text, including quotes, backslashes, braces, newlines and 0x1E.
        any::<String>().prop_map(Value::String),
        "[\\{\\}\\[\\]\"\\\\\r\n\u{1e} a]{0,12}".prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z\"{}]{0,6}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Top-level objects that are not in-band error items.
fn item() -> impl Strategy<Value = Value> {
    prop::collection::btree_map("[a-z]{1,8}", value(), 0..5)
        .prop_map(|m| Value::Object(m.into_iter().filter(|(k, _)| !k.starts_with("error")).collect()))
}

/// A progress-stream item and the in-band error message it must decode to, if it is one. The
/// ordinary ones include items whose bytes hold `"error` (in a string, as a nested key), which
/// the decoder's fast path hands to the careful path, and which must still decode as items.
fn progress_item() -> impl Strategy<Value = (Value, Option<String>)> {
    prop_oneof![
        item().prop_map(|v| (v, None)),
        "[a-z ]{0,8}".prop_map(|s| (json!({"stream": format!("\"error {s}")}), None)),
        "[a-z ]{0,8}".prop_map(|s| (json!({"status": "x", "aux": {"error": s}}), None)),
        "[a-z]{1,8}".prop_map(|m| (json!({"error": m}), Some(m))),
        "[a-z]{1,8}".prop_map(|m| (json!({"errorDetail": {"message": m}, "error": "e"}), Some(m))),
    ]
}

fn separator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["\n", "\r\n", "", "\x1e", "\n\n", "\r\n\r\n", " ", "\x1e\n", "\t"])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn demux_never_panics_on_arbitrary_bytes(
        data in prop::collection::vec(any::<u8>(), 0..2048),
        cuts in prop::collection::vec(any::<usize>(), 0..16),
        max in 0usize..4096,
    ) {
        let items = demux(&data, &cuts, max);
        // At most one error, and it is last.
        let errs = items.iter().filter(|i| i.is_err()).count();
        prop_assert!(errs <= 1);
        if errs == 1 {
            prop_assert!(items.last().unwrap().is_err());
        }
    }

    #[test]
    fn demux_valid_frames_any_chunking(
        frames in prop::collection::vec((0u8..3, prop::collection::vec(any::<u8>(), 0..300)), 0..20),
        cuts in prop::collection::vec(any::<usize>(), 0..32),
    ) {
        let data: Vec<u8> = frames.iter().flat_map(|(s, p)| frame(*s, p)).collect();
        let got: Vec<OutputChunk> = demux(&data, &cuts, 1024).into_iter().map(|r| r.unwrap()).collect();
        let want: Vec<OutputChunk> = frames
            .iter()
            .filter(|(_, p)| !p.is_empty())
            .map(|(s, p)| {
                let b = Bytes::copy_from_slice(p);
                match s { 0 => OutputChunk::StdIn(b), 1 => OutputChunk::StdOut(b), _ => OutputChunk::StdErr(b) }
            })
            .collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn json_never_panics_on_arbitrary_bytes(
        data in prop::collection::vec(any::<u8>(), 0..2048),
        cuts in prop::collection::vec(any::<usize>(), 0..16),
        max in 0usize..4096,
    ) {
        let items = json_values(&data, &cuts, max);
        // Terminal errors are last.
        for (i, item) in items.iter().enumerate() {
            if matches!(item, Err(Error::FrameTooLarge { .. } | Error::UnexpectedEof { .. })) {
                prop_assert_eq!(i, items.len() - 1);
            }
        }
    }

    #[test]
    fn json_never_panics_on_json_like_bytes(
        data in "[\\{\\}\\[\\]\"\\\\:,a1 \r\n\u{1e}]{0,400}",
        cuts in prop::collection::vec(any::<usize>(), 0..16),
    ) {
        let _ = json_values(data.as_bytes(), &cuts, 64);
    }

    #[test]
    fn json_valid_items_any_chunking(
        items in prop::collection::vec((item(), separator()), 0..12),
        lead in separator(),
        cuts in prop::collection::vec(any::<usize>(), 0..32),
    ) {
        let mut data = lead.as_bytes().to_vec();
        for (v, sep) in &items {
            data.extend(serde_json::to_vec(v).unwrap());
            data.extend(sep.as_bytes());
        }
        let got: Vec<Value> = json_values(&data, &cuts, 1 << 20).into_iter().map(|r| r.unwrap()).collect();
        let want: Vec<Value> = items.into_iter().map(|(v, _)| v).collect();
        prop_assert_eq!(got, want);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn json_inband_errors_any_chunking(
        items in prop::collection::vec((progress_item(), separator()), 0..12),
        cuts in prop::collection::vec(any::<usize>(), 0..32),
    ) {
        let mut data = Vec::new();
        for ((v, _), sep) in &items {
            data.extend(serde_json::to_vec(v).unwrap());
            data.extend(sep.as_bytes());
        }
        let got = json_values(&data, &cuts, 1 << 20);
        prop_assert_eq!(got.len(), items.len());
        for (got, ((want, error), _)) in got.iter().zip(&items) {
            match (got, error) {
                (Ok(v), None) => prop_assert_eq!(v, want),
                (Err(Error::Stream { message, .. }), Some(m)) => prop_assert_eq!(message, m),
                (other, _) => prop_assert!(false, "{:?} for {}", other, want),
            }
        }
    }
}

#[test]
fn json_every_single_split_point() {
    let data = b"\x1e{\"status\":\"a\\\"}{\",\"n\":[1,{\"x\":null}]}\r\n\r\n{\"id\":\"\\\\\"}\n{}{\"k\":true}";
    let want = json_values(data, &[], 1024);
    assert_eq!(want.len(), 4);
    assert!(want.iter().all(|r| r.is_ok()));
    let want: Vec<Value> = want.into_iter().map(|r| r.unwrap()).collect();
    for i in 0..=data.len() {
        for j in i..=data.len() {
            let got: Vec<Value> = json_values(data, &[i, j], 1024).into_iter().map(|r| r.unwrap()).collect();
            assert_eq!(got, want, "cut at {i},{j}");
        }
    }
}

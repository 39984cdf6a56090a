//! Part of step 1: how deep flow collections nest, checked before the document is parsed.
//!
//! serde_yaml_ng parses with libyaml, whose scanner looks at every open flow level on every
//! token; a document of `[[[[…` or `{a: {a: …` therefore takes time quadratic in its size
//! (200 KB: seconds to a minute) before serde_yaml_ng's recursion limit refuses it. Here the
//! same scanner reads the tokens once and stops at the first flow collection nested deeper
//! than [`MAX_FLOW_DEPTH`]: no token then costs more than that many steps, so any input is
//! accepted or refused in time linear in its size. The scan uses the parser serde_yaml_ng
//! uses, so it tokenizes exactly as the real parse does: no quoting, comment or block-scalar
//! trick hides a bracket from it, and no bracket in text is counted.

use std::marker::PhantomData;
use std::mem::MaybeUninit;

use unsafe_libyaml as unsafe_yaml;

/// How deep flow collections may nest: serde_yaml_ng's own recursion limit, so a document
/// refused here would fail to parse anyway.
pub const MAX_FLOW_DEPTH: usize = 128;

/// Line and column (from 1) of the first flow collection nested deeper than
/// [`MAX_FLOW_DEPTH`], if any. A scan error ends the check: the parse that follows reports it.
pub fn too_deep(bytes: &[u8]) -> Option<(u64, u64)> {
    let mut scanner = Scanner::new(bytes);
    let mut depth = 0usize;
    while let Some((kind, mark)) = scanner.next_token() {
        match kind {
            unsafe_yaml::YAML_FLOW_SEQUENCE_START_TOKEN | unsafe_yaml::YAML_FLOW_MAPPING_START_TOKEN => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some((mark.line + 1, mark.column + 1));
                }
            }
            unsafe_yaml::YAML_FLOW_SEQUENCE_END_TOKEN | unsafe_yaml::YAML_FLOW_MAPPING_END_TOKEN => {
                depth = depth.saturating_sub(1)
            }
            unsafe_yaml::YAML_STREAM_END_TOKEN => return None,
            _ => {}
        }
    }
    None
}

/// libyaml's scanner over borrowed input. The parser is boxed because libyaml keeps a pointer
/// to it (its read handler's data): it must not move once the input is set.
struct Scanner<'a> {
    parser: Box<MaybeUninit<unsafe_yaml::yaml_parser_t>>,
    input: PhantomData<&'a [u8]>,
}

impl<'a> Scanner<'a> {
    fn new(bytes: &'a [u8]) -> Scanner<'a> {
        let mut parser = Box::new(MaybeUninit::<unsafe_yaml::yaml_parser_t>::uninit());
        let p = parser.as_mut_ptr();
        // SAFETY: `p` points to writable memory for a parser, which `yaml_parser_initialize`
        // fills in (it only allocates its buffers and always succeeds); the input outlives the
        // scanner (`'a`), and the box keeps the parser in place until `drop` deletes it.
        unsafe {
            let _ = unsafe_yaml::yaml_parser_initialize(p);
            unsafe_yaml::yaml_parser_set_encoding(p, unsafe_yaml::YAML_UTF8_ENCODING);
            unsafe_yaml::yaml_parser_set_input_string(p, bytes.as_ptr(), bytes.len() as u64);
        }
        Scanner { parser, input: PhantomData }
    }

    /// The next token's kind and start, or `None` after a scan error.
    fn next_token(&mut self) -> Option<(unsafe_yaml::yaml_token_type_t, unsafe_yaml::yaml_mark_t)> {
        let mut token = MaybeUninit::<unsafe_yaml::yaml_token_t>::uninit();
        // SAFETY: the parser was initialized in `new`; on success `yaml_parser_scan` fills
        // `token`, whose owned data `yaml_token_delete` frees after its kind and mark are read.
        unsafe {
            if unsafe_yaml::yaml_parser_scan(self.parser.as_mut_ptr(), token.as_mut_ptr()).fail {
                return None;
            }
            let token = token.as_mut_ptr();
            let found = ((*token).type_, (*token).start_mark);
            unsafe_yaml::yaml_token_delete(token);
            Some(found)
        }
    }
}

impl Drop for Scanner<'_> {
    fn drop(&mut self) {
        // SAFETY: initialized in `new` and deleted once, here.
        unsafe { unsafe_yaml::yaml_parser_delete(self.parser.as_mut_ptr()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_real_flow_collections() {
        let deep = |open: &str, n: usize| open.repeat(n);
        assert_eq!(too_deep(deep("[", MAX_FLOW_DEPTH).as_bytes()), None);
        assert_eq!(too_deep(deep("[", MAX_FLOW_DEPTH + 1).as_bytes()), Some((1, MAX_FLOW_DEPTH as u64 + 1)));
        assert_eq!(too_deep(deep("{a: ", 200).as_bytes()), Some((1, 4 * MAX_FLOW_DEPTH as u64 + 1)));
        // Brackets in quoted, plain and block scalars and in comments are text.
        let text = format!("a: '{0}'\nb: \"{0}\"\nc: x {0}\nd: |\n  {0}\n# {0}\n", deep("[", 300));
        assert_eq!(too_deep(text.as_bytes()), None);
        // Closed collections do not add up.
        assert_eq!(too_deep(deep("[[]]", 1000).as_bytes()), None);
    }
}

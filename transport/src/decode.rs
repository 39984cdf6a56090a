//! Decoding JSON response bodies and stream items, with errors that say where and why.
//!
//! Rules for a whole (non-stream) response body, the same for every operation:
//!
//! - an empty body (only whitespace) where JSON is expected is [`Error::EmptyBody`], which names
//!   the operation and the status (`204 No Content`, `304 Not Modified`, an empty `200`);
//! - a body of exactly `null` where the type has no `null` (the daemon encodes an empty Go slice
//!   or map as `null`: `ContainerChanges` of an untouched container) decodes as the empty value:
//!   `T` from `[]` (an empty `Vec`), else from `{}` (a struct with every member defaulted, an
//!   empty map); a type that takes neither fails with the original error. `Option<T>` takes
//!   `null` itself and is `None`.

use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::error_text::{escape_controls, excerpt};

/// Decodes a whole response body of an operation answered with `status` (see the module docs).
pub(crate) fn decode_body<T: DeserializeOwned>(operation: &'static str, status: u16, bytes: &[u8]) -> Result<T, Error> {
    if is_blank(bytes) {
        return Err(Error::EmptyBody { operation, status });
    }
    match decode_json(operation, bytes) {
        Ok(v) => Ok(v),
        Err(original) if bytes.trim_ascii() == b"null" => {
            serde_json::from_slice(b"[]").or_else(|_| serde_json::from_slice(b"{}")).map_err(|_| original)
        }
        Err(original) => Err(original),
    }
}

/// Whether a body holds nothing but whitespace.
pub(crate) fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// Decodes one complete JSON document as `T`, with the field path in errors.
///
/// The fast path is plain serde_json; only a failing document is decoded a second time through
/// serde_path_to_error to find the field path (tracking paths on every item costs ~30%).
pub(crate) fn decode_json<T: DeserializeOwned>(operation: &'static str, bytes: &[u8]) -> Result<T, Error> {
    match serde_json::from_slice(bytes) {
        Ok(v) => Ok(v),
        Err(plain) => {
            let mut de = serde_json::Deserializer::from_slice(bytes);
            let err = match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(e) => {
                    // Map keys in the path come from the daemon.
                    let path = escape_controls(&e.path().to_string()).into_owned();
                    decode_error(operation, path, e.into_inner(), bytes)
                }
                // Only trailing data can fail now.
                Ok(_) => decode_error(operation, String::from("."), plain, bytes),
            };
            Err(err)
        }
    }
}

fn decode_error(operation: &'static str, path: String, source: serde_json::Error, bytes: &[u8]) -> Error {
    Error::Decode { operation, path, excerpt: excerpt(bytes), source }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[derive(serde::Deserialize, Default, Debug, PartialEq)]
    struct Info {
        #[serde(default, rename = "Name")]
        name: String,
    }

    #[test]
    fn null_decodes_as_empty() {
        assert_eq!(decode_body::<Vec<u32>>("T", 200, b" null\n").unwrap(), Vec::<u32>::new());
        assert_eq!(decode_body::<Info>("T", 200, b"null").unwrap(), Info::default());
        assert!(decode_body::<HashMap<String, u8>>("T", 200, b"null").unwrap().is_empty());
        assert_eq!(decode_body::<Option<Info>>("T", 200, b"null").unwrap(), None);
        // A type that takes neither keeps the original error.
        let e = decode_body::<u32>("T", 200, b"null").unwrap_err();
        assert!(matches!(e, Error::Decode { .. }), "{e:?}");
    }

    #[test]
    fn empty_bodies_say_so() {
        let e = decode_body::<Info>("ContainerTop", 200, b" \r\n").unwrap_err();
        assert!(matches!(e, Error::EmptyBody { operation: "ContainerTop", status: 200 }));
        assert_eq!(
            e.to_string(),
            "ContainerTop: empty response body where JSON was expected (the daemon answered 200 OK)"
        );
        let e = decode_body::<Info>("X", 304, b"").unwrap_err();
        assert!(e.to_string().contains("304 Not Modified, which has no body"), "{e}");
    }
}

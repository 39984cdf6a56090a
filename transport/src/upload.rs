//! [`Upload`]: a request body that generated endpoints take for tar archives and other raw
//! uploads (build contexts, archive puts, image load/import, plugin create). A stream is sent
//! with chunked transfer encoding and never collected in memory; bytes already in memory are
//! sent with a `Content-Length`. It is a public wrapper around the crate's one request body
//! type (`req_body`).

use std::fmt;
use std::io;

use bytes::Bytes;
use futures_core::Stream;

use crate::req_body::ReqBody;
pub use crate::req_body::UploadStream;

/// A raw request body: bytes already in memory, or a stream of chunks.
pub struct Upload {
    pub(crate) body: ReqBody,
}

impl Upload {
    /// A body streamed chunk by chunk (for example a tar being written while it is sent).
    pub fn stream<S>(stream: S) -> Upload
    where
        S: Stream<Item = Result<Bytes, io::Error>> + Send + 'static,
    {
        Upload { body: ReqBody::stream(stream) }
    }

    /// A body already in memory, sent with a `Content-Length`.
    pub fn bytes(bytes: impl Into<Bytes>) -> Upload {
        Upload { body: ReqBody::Bytes(bytes.into()) }
    }
}

impl From<Bytes> for Upload {
    fn from(bytes: Bytes) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<Vec<u8>> for Upload {
    fn from(bytes: Vec<u8>) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<Upload> for ReqBody {
    fn from(upload: Upload) -> Self {
        upload.body
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Upload::{:?}", self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_stay_bytes_and_streams_stay_streams() {
        let bytes = Upload::from(vec![1u8, 2, 3]);
        assert_eq!(format!("{bytes:?}"), "Upload::Bytes(3 bytes)");
        assert!(matches!(ReqBody::from(bytes), ReqBody::Bytes(b) if b.len() == 3));
        let stream = Upload::stream(futures_util::stream::empty());
        assert_eq!(format!("{stream:?}"), "Upload::Stream");
        assert!(matches!(ReqBody::from(stream), ReqBody::Stream(_)));
    }
}

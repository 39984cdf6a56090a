//! [`Upload`]: a request body that generated endpoints take for tar archives and other raw
//! uploads (build contexts, archive puts, image load/import, plugin create). It is a stream of
//! chunks, sent with chunked transfer encoding and never collected in memory.

use std::fmt;
use std::io;
use std::pin::Pin;

use bytes::Bytes;
use futures_core::Stream;

/// The boxed chunk stream inside an [`Upload`].
pub type UploadStream = Pin<Box<dyn Stream<Item = Result<Bytes, io::Error>> + Send>>;

/// A raw request body: bytes already in memory, or a stream of chunks.
pub struct Upload {
    pub(crate) inner: UploadInner,
}

pub(crate) enum UploadInner {
    Bytes(Bytes),
    Stream(UploadStream),
}

impl Upload {
    /// A body streamed chunk by chunk (for example a tar being written while it is sent).
    pub fn stream<S>(stream: S) -> Upload
    where
        S: Stream<Item = Result<Bytes, io::Error>> + Send + 'static,
    {
        Upload { inner: UploadInner::Stream(Box::pin(stream)) }
    }

    /// A body already in memory, sent with a `Content-Length`.
    pub fn bytes(bytes: impl Into<Bytes>) -> Upload {
        Upload { inner: UploadInner::Bytes(bytes.into()) }
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

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            UploadInner::Bytes(b) => write!(f, "Upload::Bytes({} bytes)", b.len()),
            UploadInner::Stream(_) => f.write_str("Upload::Stream"),
        }
    }
}

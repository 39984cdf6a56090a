//! The one error type of the generator: every problem names the file and the JSON pointer of
//! the node that caused it, so a maintainer can jump straight to the offending spec text.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem found while reading, converting or generating from one spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The spec (or overrides) file the problem is in.
    pub file: PathBuf,
    /// JSON pointer of the offending node (`""` for the whole document).
    pub pointer: String,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl SpecError {
    pub fn new(file: &Path, pointer: &str, message: impl Into<String>) -> Self {
        SpecError { file: file.to_path_buf(), pointer: pointer.to_string(), message: message.into() }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, "{}: at {}: {}", self.file.display(), pointer, self.message)
    }
}

impl std::error::Error for SpecError {}

/// Any failure of a generator run.
#[derive(Debug)]
pub enum Error {
    /// The input spec or overrides are wrong or unsupported.
    Spec(SpecError),
    /// Reading or writing files failed.
    Io { path: PathBuf, source: std::io::Error },
    /// Anything else, already phrased for the user.
    Other(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Spec(e) => e.fmt(f),
            Error::Io { path, source } => write!(f, "{}: {}", path.display(), source),
            Error::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

impl From<SpecError> for Error {
    fn from(e: SpecError) -> Self {
        Error::Spec(e)
    }
}

/// Extends a JSON pointer by one reference token, escaping `~` and `/` (RFC 6901).
pub fn pointer_push(pointer: &str, token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

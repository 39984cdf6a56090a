//! `X-Docker-Container-Path-Stat`: file information returned by `HEAD`/`GET
//! /containers/{id}/archive`. The header is **standard** base64 (not URL-safe) of a JSON object.

use base64::Engine as _;
use http::HeaderMap;

use crate::error::Error;
use crate::json_object::json_object;

/// Name of the header.
pub const PATH_STAT_HEADER: &str = "x-docker-container-path-stat";

/// Stat of a path inside a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathStat {
    /// Base name.
    pub name: String,
    /// Size in bytes.
    pub size: i64,
    /// Go `os.FileMode`: permission bits plus type flags (directory = `1 << 31`,
    /// symlink = `1 << 27`).
    pub mode: u32,
    /// Modification time, RFC 3339 with nanoseconds.
    pub mtime: String,
    /// Target of a symlink, else empty.
    pub link_target: String,
}

// Every member is optional: a missing one is empty or zero.
json_object!(PathStat { name: "name", size: "size", mode: "mode", mtime: "mtime", link_target: "linkTarget" });

impl PathStat {
    /// Go's `os.ModeDir`.
    pub const MODE_DIR: u32 = 1 << 31;
    /// Go's `os.ModeSymlink`.
    pub const MODE_SYMLINK: u32 = 1 << 27;

    /// True for a directory.
    pub fn is_dir(&self) -> bool {
        self.mode & Self::MODE_DIR != 0
    }

    /// True for a symbolic link.
    pub fn is_symlink(&self) -> bool {
        self.mode & Self::MODE_SYMLINK != 0
    }
}

/// Decodes the path-stat header; `Ok(None)` when it is absent.
pub fn decode_path_stat(headers: &HeaderMap) -> Result<Option<PathStat>, Error> {
    const OP: &str = "ContainerArchiveInfo";
    let Some(v) = headers.get(PATH_STAT_HEADER) else {
        return Ok(None);
    };
    let bad = |reason: String| Error::Protocol {
        operation: OP,
        reason: format!("invalid {PATH_STAT_HEADER} header: {reason}"),
    };
    let raw = base64::engine::general_purpose::STANDARD.decode(v.as_bytes()).map_err(|e| bad(e.to_string()))?;
    serde_json::from_slice(&raw).map(Some).map_err(|e| bad(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_standard_base64() {
        let json = r#"{"name":"etc","size":4096,"mode":2147484141,"mtime":"2024-01-01T00:00:00.5Z","linkTarget":""}"#;
        let mut h = HeaderMap::new();
        let v = base64::engine::general_purpose::STANDARD.encode(json);
        h.insert(PATH_STAT_HEADER, v.parse().unwrap());
        let s = decode_path_stat(&h).unwrap().unwrap();
        assert_eq!(s.name, "etc");
        assert!(s.is_dir());
        assert_eq!(s.mode & 0o777, 0o755);
        assert_eq!(decode_path_stat(&HeaderMap::new()).unwrap(), None);
        h.insert(PATH_STAT_HEADER, "!!!".parse().unwrap());
        assert!(decode_path_stat(&h).is_err());
    }
}

//! API versions (`1.41`) and the spec file names that carry them (`v1.41.yaml`).

use std::fmt;
use std::str::FromStr;

/// A Docker Engine API version, ordered numerically (`1.9 < 1.10`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiVersion {
    pub major: u16,
    pub minor: u16,
}

/// The oldest API version this project generates.
pub const MIN_VERSION: ApiVersion = ApiVersion { major: 1, minor: 40 };

impl ApiVersion {
    pub const fn new(major: u16, minor: u16) -> Self {
        ApiVersion { major, minor }
    }

    /// `v1.41.yaml` → `1.41`; anything else → `None`.
    /// The version before this one (`1.52` → `1.51`); `1.0` stays `1.0`.
    pub fn previous(self) -> ApiVersion {
        match (self.major, self.minor) {
            (major, 0) => ApiVersion { major, minor: 0 },
            (major, minor) => ApiVersion { major, minor: minor - 1 },
        }
    }

    pub fn from_spec_file_name(name: &str) -> Option<ApiVersion> {
        name.strip_prefix('v')?.strip_suffix(".yaml")?.parse().ok()
    }

    /// Directory and crate-name fragment: `v1_41`.
    pub fn dir_name(self) -> String {
        format!("v{}_{}", self.major, self.minor)
    }

    /// Crate-name fragment with dashes: `v1-41`.
    pub fn crate_suffix(self) -> String {
        format!("v{}-{}", self.major, self.minor)
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl FromStr for ApiVersion {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let text = text.strip_prefix('v').unwrap_or(text);
        let (major, minor) = text.split_once('.').ok_or_else(|| format!("`{s}` is not an API version like 1.41"))?;
        let number = |part: &str| {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("`{s}` is not an API version like 1.41"));
            }
            part.parse::<u16>().map_err(|_| format!("`{s}` is out of range"))
        };
        Ok(ApiVersion { major: number(major)?, minor: number(minor)? })
    }
}

/// An inclusive range of versions as written in `specs/overrides.yaml`:
/// `"1.52"`, `"1.52-"` (and later), `"-1.51"` (and earlier), `"1.44-1.51"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionRange {
    pub first: Option<ApiVersion>,
    pub last: Option<ApiVersion>,
}

impl VersionRange {
    pub fn contains(self, v: ApiVersion) -> bool {
        self.first.is_none_or(|f| v >= f) && self.last.is_none_or(|l| v <= l)
    }
}

impl FromStr for VersionRange {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let optional = |part: &str| -> Result<Option<ApiVersion>, String> {
            if part.trim().is_empty() {
                Ok(None)
            } else {
                part.parse().map(Some)
            }
        };
        match s.split_once('-') {
            None => {
                let v = s.parse()?;
                Ok(VersionRange { first: Some(v), last: Some(v) })
            }
            Some((a, b)) => Ok(VersionRange { first: optional(a)?, last: optional(b)? }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_orders() {
        let a: ApiVersion = "1.9".parse().unwrap();
        let b: ApiVersion = "v1.10".parse().unwrap();
        assert!(a < b);
        assert!("1.45.0".parse::<ApiVersion>().is_err());
        assert_eq!(ApiVersion::from_spec_file_name("v1.41.yaml"), Some(ApiVersion::new(1, 41)));
        assert_eq!(ApiVersion::from_spec_file_name("v1.41.yml"), None);
    }

    #[test]
    fn ranges() {
        let r: VersionRange = "1.44-1.51".parse().unwrap();
        assert!(r.contains(ApiVersion::new(1, 44)) && r.contains(ApiVersion::new(1, 51)));
        assert!(!r.contains(ApiVersion::new(1, 52)));
        let open: VersionRange = "1.52-".parse().unwrap();
        assert!(open.contains(ApiVersion::new(1, 99)) && !open.contains(ApiVersion::new(1, 51)));
    }
}

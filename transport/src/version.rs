//! Docker Engine API versions (`1.41`, `1.47`, ...).
//!
//! A version is two integers compared numerically, so `1.9 < 1.10`, like the daemon's own
//! comparison. Parsing is strict (`<int>.<int>`) apart from the leniency the Go client allows for
//! user-supplied values: surrounding spaces are trimmed and one leading `v` is stripped.
//!
//! A [`VersionRange`] says in which versions an operation, a parameter or a body member exists;
//! the client checks it against the negotiated version before sending anything.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// An Engine API version such as `1.41`. Ordered numerically (`1.9 < 1.10`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiVersion {
    /// Major part (always `1` so far).
    pub major: u16,
    /// Minor part.
    pub minor: u16,
}

impl ApiVersion {
    /// Builds a version from its two parts.
    pub const fn new(major: u16, minor: u16) -> Self {
        ApiVersion { major, minor }
    }

    /// Parses a version as the daemon sends it in the `Api-Version` header: exactly
    /// `<int>.<int>`, no `v`, no spaces, no third component.
    pub fn parse_strict(s: &str) -> Result<Self, Error> {
        let invalid = |reason: &'static str| Error::InvalidVersion { value: s.to_owned(), reason };
        let (major, minor) = s.split_once('.').ok_or_else(|| invalid("expected <major>.<minor>"))?;
        let parse = |part: &str| -> Result<u16, Error> {
            // `u16::from_str` accepts a leading '+'; the daemon never sends one, so refuse it.
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid("each part must be a decimal integer"));
            }
            part.parse().map_err(|_| invalid("number out of range"))
        };
        Ok(ApiVersion::new(parse(major)?, parse(minor)?))
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Parses user input such as `DOCKER_API_VERSION`: trims spaces, strips one leading `v`, then
/// requires `<int>.<int>`.
impl FromStr for ApiVersion {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let trimmed = s.trim();
        let bare = trimmed.strip_prefix('v').unwrap_or(trimmed);
        ApiVersion::parse_strict(bare).map_err(|e| match e {
            Error::InvalidVersion { reason, .. } => Error::InvalidVersion { value: s.to_owned(), reason },
            other => other,
        })
    }
}

/// The API versions in which an operation, parameter or body member exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VersionRange {
    /// First version that has it; `None`: every version back to the oldest spec the crate was
    /// generated from (and earlier).
    pub since: Option<ApiVersion>,
    /// First version that no longer has it; `None`: still present in the crate's newest version.
    pub until: Option<ApiVersion>,
}

impl VersionRange {
    /// Present in every version.
    pub const ALWAYS: VersionRange = VersionRange { since: None, until: None };

    /// `since <= v < until`, either end open when `None`.
    pub const fn new(since: Option<ApiVersion>, until: Option<ApiVersion>) -> VersionRange {
        VersionRange { since, until }
    }

    /// Whether `v` has it: `since <= v < until`.
    pub fn contains(&self, v: ApiVersion) -> bool {
        self.since.is_none_or(|s| s <= v) && self.until.is_none_or(|u| v < u)
    }
}

/// `every API version`, `API v1.42 and later`, `API versions before v1.52`,
/// `API v1.44 to v1.51` (the last version that has it), `API v1.44 only`.
impl fmt::Display for VersionRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.since, self.until) {
            (None, None) => f.write_str("every API version"),
            (Some(s), None) => write!(f, "API v{s} and later"),
            (None, Some(u)) => write!(f, "API versions before v{u}"),
            (Some(s), Some(u)) if s >= u => write!(f, "no API version (v{s} until v{u})"),
            (Some(s), Some(u)) if u.minor == 0 => write!(f, "API v{s} until v{u}"),
            (Some(s), Some(u)) => {
                let last = ApiVersion::new(u.major, u.minor - 1);
                if last == s {
                    write!(f, "API v{s} only")
                } else {
                    write!(f, "API v{s} to v{last}")
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        assert_eq!("1.41".parse::<ApiVersion>().unwrap(), ApiVersion::new(1, 41));
        assert_eq!(" v1.41 ".parse::<ApiVersion>().unwrap(), ApiVersion::new(1, 41));
        assert_eq!(ApiVersion::new(1, 41).to_string(), "1.41");
    }

    #[test]
    fn strict_rejects_garbage() {
        for bad in ["", "1", "1.", ".1", "1.45.0", "vv1.4", "1.x", "+1.4", "1.-4", "1.99999999"] {
            assert!(bad.parse::<ApiVersion>().is_err(), "{bad:?} accepted");
        }
        assert!(ApiVersion::parse_strict("v1.41").is_err());
        assert!(ApiVersion::parse_strict(" 1.41").is_err());
    }

    #[test]
    fn orders_numerically() {
        assert!(ApiVersion::new(1, 9) < ApiVersion::new(1, 10));
        assert!(ApiVersion::new(1, 99) < ApiVersion::new(2, 0));
    }

    #[test]
    fn range_contains() {
        let v = |m| ApiVersion::new(1, m);
        assert!(VersionRange::ALWAYS.contains(v(0)) && VersionRange::ALWAYS.contains(ApiVersion::new(9, 9)));
        let since = VersionRange::new(Some(v(42)), None);
        assert!(!since.contains(v(41)) && since.contains(v(42)) && since.contains(v(52)));
        let until = VersionRange::new(None, Some(v(44)));
        assert!(until.contains(v(24)) && until.contains(v(43)) && !until.contains(v(44)));
        let both = VersionRange::new(Some(v(44)), Some(v(52)));
        assert!(!both.contains(v(43)) && both.contains(v(44)) && both.contains(v(51)) && !both.contains(v(52)));
        assert!(!VersionRange::new(Some(v(44)), Some(v(44))).contains(v(44)));
    }

    #[test]
    fn range_display() {
        let v = |m| Some(ApiVersion::new(1, m));
        let show = |since, until| VersionRange::new(since, until).to_string();
        assert_eq!(VersionRange::ALWAYS.to_string(), "every API version");
        assert_eq!(show(v(42), None), "API v1.42 and later");
        assert_eq!(show(None, v(52)), "API versions before v1.52");
        assert_eq!(show(v(44), v(52)), "API v1.44 to v1.51");
        assert_eq!(show(v(44), v(45)), "API v1.44 only");
        assert_eq!(show(v(44), Some(ApiVersion::new(2, 0))), "API v1.44 until v2.0");
        assert_eq!(show(v(44), v(44)), "no API version (v1.44 until v1.44)");
    }
}

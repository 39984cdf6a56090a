//! Docker Engine API versions (`1.41`, `1.47`, ...).
//!
//! A version is two integers compared numerically, so `1.9 < 1.10`, like the daemon's own
//! comparison. Parsing is strict (`<int>.<int>`) apart from the leniency the Go client allows for
//! user-supplied values: surrounding spaces are trimmed and one leading `v` is stripped.

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
        let invalid = |reason: &'static str| Error::InvalidVersion {
            value: s.to_owned(),
            reason,
        };
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
            Error::InvalidVersion { reason, .. } => Error::InvalidVersion {
                value: s.to_owned(),
                reason,
            },
            other => other,
        })
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
}

//! The request builder that generated endpoint code fills in.
//!
//! Everything that reaches the URL is percent-encoded here, so no parameter value can change
//! which endpoint is called: path ids may not contain `/` and may not be `.` or `..`, image names
//! may contain `/` only between non-empty, non-dot segments, and `?`, `#`, `%` are always
//! escaped. (The daemon's router decodes `%2F` into `/`, which is why `/` is refused in ids rather
//! than escaped.)
//!
//! Version gates: an [`Operation`] has the version it first appeared in, and generated code
//! records with [`Request::require`] (parameters) and [`Request::require_at`] (body members) every
//! member the request sets that exists only in some API versions. The client checks them all
//! against the negotiated version before sending anything.

use std::borrow::Cow;
use std::fmt;

use base64::Engine as _;
use bytes::Bytes;
use futures_core::Stream;
use http::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use crate::error::Error;
use crate::member_path::MemberPath;
use crate::req_body::ReqBody;
use crate::version::{ApiVersion, VersionRange};

/// What generated code knows statically about one operation.
#[derive(Debug)]
pub struct Operation {
    /// OpenAPI `operationId`, e.g. `ContainerList`. Used in every error message.
    pub id: &'static str,
    /// HTTP method.
    pub method: http::Method,
    /// First API version that has this operation; `None`: every version the crate knows.
    /// Calling it on an older negotiated version fails with [`Error::UnsupportedOperation`]
    /// without sending anything.
    pub since: Option<ApiVersion>,
}

/// A member the request sets that exists only in `range`.
#[derive(Debug)]
pub(crate) struct Requirement {
    /// Parameter name or body member path.
    pub(crate) member: Member,
    pub(crate) range: VersionRange,
    pub(crate) hint: Option<&'static str>,
}

/// The name of a required member: text, or a body member path kept unformatted until an
/// error needs it (most requirements are met and never printed).
#[derive(Debug)]
pub(crate) enum Member {
    Text(Cow<'static, str>),
    Path(crate::member_path::SavedPath),
}

impl Member {
    pub(crate) fn into_text(self) -> Cow<'static, str> {
        match self {
            Member::Text(text) => text,
            Member::Path(path) => Cow::Owned(path.to_string()),
        }
    }
}

impl fmt::Display for Member {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Member::Text(text) => f.write_str(text),
            Member::Path(path) => path.fmt(f),
        }
    }
}

/// Everything except RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) is escaped.
const ESCAPE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Longest path parameter accepted, percent-encoded (ids are 64 characters, names and image
/// references a few hundred at most; the whole request target may not exceed 64 KiB).
const MAX_PATH_PARAM_LEN: usize = 8 * 1024;

/// One HTTP request in the making. Built by generated code, executed by a
/// [`Client`](crate::Client) `send_*` method.
pub struct Request {
    pub(crate) op: &'static Operation,
    /// Percent-encoded path after `/vX.Y`.
    pub(crate) path: String,
    /// The path with parameter names instead of values (`/containers/{id}/json`), for spans.
    pub(crate) template: String,
    /// Encoded query string without the leading `?`.
    pub(crate) query: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: ReqBody,
    /// Version gates of what the request sets, checked in order before sending.
    pub(crate) requirements: Vec<Requirement>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may be credentials (X-Registry-Auth): print names only.
        f.debug_struct("Request")
            .field("operation", &self.op.id)
            .field("method", &self.op.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("requires", &self.requirements.iter().map(|r| r.member.to_string()).collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Request {
    /// Starts a request for `op` with an empty path.
    pub fn new(op: &'static Operation) -> Request {
        Request {
            op,
            path: String::new(),
            template: String::new(),
            query: String::new(),
            headers: HeaderMap::new(),
            body: ReqBody::Empty,
            requirements: Vec::new(),
        }
    }

    /// The operation this request is for.
    pub fn operation(&self) -> &'static Operation {
        self.op
    }

    /// The encoded path and query as they will follow `/vX.Y` on the wire.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }

    /// Records that the request sets `member` (a query/header parameter name such as `signal`,
    /// or a body member path such as `HostConfig.Mounts[].ImageOptions`), which exists only in
    /// `range`. Checked after version negotiation, before anything is sent: a negotiated version
    /// outside `range` fails with [`Error::UnsupportedMember`]. [`VersionRange::ALWAYS`] is
    /// ignored.
    pub fn require(&mut self, member: impl Into<Cow<'static, str>>, range: VersionRange) {
        if range != VersionRange::ALWAYS {
            self.push_requirement(Member::Text(member.into()), range, None);
        }
    }

    /// Same as [`Request::require`], with a hint shown in the error, e.g.
    /// ``"use `reserved-space` (API v1.48 and later) instead"``.
    pub fn require_with_hint(&mut self, member: impl Into<Cow<'static, str>>, range: VersionRange, hint: &'static str) {
        if range != VersionRange::ALWAYS {
            self.push_requirement(Member::Text(member.into()), range, Some(hint));
        }
    }

    /// Same as [`Request::require`] for the body member at `at`. The path's segments are copied
    /// (up to 8 levels, without allocating) and formatted only if the check fails.
    pub fn require_at(&mut self, at: &MemberPath<'_>, range: VersionRange) {
        if range != VersionRange::ALWAYS {
            let member = match crate::member_path::SavedPath::save(at) {
                Some(path) => Member::Path(path),
                None => Member::Text(Cow::Owned(at.to_string())),
            };
            self.push_requirement(member, range, None);
        }
    }

    fn push_requirement(&mut self, member: Member, range: VersionRange, hint: Option<&'static str>) {
        self.requirements.push(Requirement { member, range, hint });
    }

    fn invalid(&self, parameter: &'static str, reason: impl Into<String>) -> Error {
        Error::InvalidParameter { operation: self.op.id, parameter, reason: reason.into() }
    }

    /// Appends a literal piece of the path template, e.g. `"/containers/"`. Taken as is.
    pub fn path(&mut self, literal: &'static str) {
        self.path.push_str(literal);
        self.template.push_str(literal);
    }

    /// The path with parameter names in braces instead of their values
    /// (`/containers/{id}/json`): what logs and spans show.
    pub fn path_template(&self) -> &str {
        &self.template
    }

    fn template_param(&mut self, param: &'static str) {
        self.template.push('{');
        self.template.push_str(param);
        self.template.push('}');
    }

    /// Appends one path segment (a container id or name, a network id, ...). Refuses an empty
    /// value, `.`, `..`, any `/` and a value longer than 8 KiB once encoded; percent-encodes
    /// everything that is not unreserved.
    pub fn path_id(&mut self, param: &'static str, value: &str) -> Result<(), Error> {
        self.check_segment(param, value)?;
        if value.contains('/') {
            return Err(self.invalid(param, "must not contain '/'"));
        }
        self.check_length(param, value)?;
        self.path.extend(utf8_percent_encode(value, ESCAPE));
        self.template_param(param);
        Ok(())
    }

    /// Appends an image or plugin name, where `/` separates repository path components
    /// (`registry:5000/ns/img:tag`). Each segment must be non-empty and not `.` or `..`, and is
    /// percent-encoded on its own, so `?`, `#` and `%` can never escape the path. Longer than
    /// 8 KiB once encoded is refused.
    pub fn path_name(&mut self, param: &'static str, value: &str) -> Result<(), Error> {
        if value.is_empty() {
            return Err(self.invalid(param, "must not be empty"));
        }
        self.check_length(param, value)?;
        for seg in value.split('/') {
            if seg.is_empty() {
                return Err(self.invalid(param, "must not contain empty path segments"));
            }
            self.check_segment(param, seg)?;
        }
        for (i, seg) in value.split('/').enumerate() {
            if i > 0 {
                self.path.push('/');
            }
            self.path.extend(utf8_percent_encode(seg, ESCAPE));
        }
        self.template_param(param);
        Ok(())
    }

    fn check_length(&self, param: &'static str, value: &str) -> Result<(), Error> {
        let encoded: usize = utf8_percent_encode(value, ESCAPE).map(str::len).sum();
        if encoded > MAX_PATH_PARAM_LEN {
            let reason = format!("is {encoded} bytes long once encoded, over the limit of {MAX_PATH_PARAM_LEN}");
            return Err(self.invalid(param, reason));
        }
        Ok(())
    }

    fn check_segment(&self, param: &'static str, seg: &str) -> Result<(), Error> {
        match seg {
            "" => Err(self.invalid(param, "must not be empty")),
            "." | ".." => Err(self.invalid(param, "must not be '.' or '..'")),
            _ => Ok(()),
        }
    }

    fn push_query(&mut self, key: &str, value: &str) {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.extend(utf8_percent_encode(key, ESCAPE));
        self.query.push('=');
        self.query.extend(utf8_percent_encode(value, ESCAPE));
    }

    /// Adds `key=value`.
    pub fn query_str(&mut self, key: &'static str, v: &str) {
        self.push_query(key, v);
    }

    /// Adds `key=true` or `key=false`. The daemon reads booleans either with its lenient
    /// `BoolValue` (anything but `""`, `0`, `no`, `false`, `none` is true) or with Go's
    /// `strconv.ParseBool` (which accepts `true`/`false` but not `yes`), so the words `true` and
    /// `false` are understood by every parameter.
    pub fn query_bool(&mut self, key: &'static str, v: bool) {
        self.push_query(key, if v { "true" } else { "false" });
    }

    /// Adds a signed integer.
    pub fn query_i64(&mut self, key: &'static str, v: i64) {
        self.push_query(key, &v.to_string());
    }

    /// Adds an unsigned integer.
    pub fn query_u64(&mut self, key: &'static str, v: u64) {
        self.push_query(key, &v.to_string());
    }

    /// Adds a number (shortest representation that round-trips, e.g. `1.5`).
    pub fn query_f64(&mut self, key: &'static str, v: f64) {
        self.push_query(key, &v.to_string());
    }

    /// Adds a JSON-encoded value (e.g. `filters`, `buildargs`, `platform` objects).
    pub fn query_json<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), Error> {
        let s = serde_json::to_string(v).map_err(|e| self.invalid(key, format!("cannot encode as JSON: {e}")))?;
        self.push_query(key, &s);
        Ok(())
    }

    /// Adds `key=v` once per value (`t=a&t=b`), as the daemon expects for list parameters.
    pub fn query_multi(&mut self, key: &'static str, values: &[String]) {
        for v in values {
            self.push_query(key, v);
        }
    }

    /// Adds one `key=a,b,c` (nothing when `values` is empty).
    pub fn query_csv(&mut self, key: &'static str, values: &[String]) {
        if !values.is_empty() {
            self.push_query(key, &values.join(","));
        }
    }

    /// Sets a request header. Refuses invalid names and values containing control characters.
    /// The value never appears in errors or `Debug` output.
    pub fn header(&mut self, name: &'static str, value: &str) -> Result<(), Error> {
        let n = HeaderName::from_bytes(name.as_bytes()).map_err(|_| self.invalid(name, "not a valid header name"))?;
        let mut v = HeaderValue::from_str(value)
            .map_err(|_| self.invalid(name, "header value contains forbidden characters"))?;
        v.set_sensitive(true);
        self.headers.insert(n, v);
        Ok(())
    }

    /// Sets `name` to the JSON of `v` in URL-safe base64 **with** padding, the encoding the daemon
    /// decodes for `X-Registry-Auth` and `X-Registry-Config` (standard base64 is silently ignored
    /// by the daemon, which then pulls anonymously).
    pub fn header_base64_json<T: Serialize + ?Sized>(&mut self, name: &'static str, v: &T) -> Result<(), Error> {
        let json = serde_json::to_vec(v).map_err(|e| self.invalid(name, format!("cannot encode as JSON: {e}")))?;
        let b64 = base64::engine::general_purpose::URL_SAFE.encode(json);
        self.header(name, &b64)
    }

    /// Sends `body` as JSON (`Content-Type: application/json`).
    pub fn json_body<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let json = serde_json::to_vec(body).map_err(|e| self.invalid("body", format!("cannot encode as JSON: {e}")))?;
        self.bytes_body("application/json", Bytes::from(json));
        Ok(())
    }

    /// Sends `body` as it comes, with chunked transfer encoding; it is never buffered whole.
    /// An `Err` item aborts the request.
    pub fn stream_body<S>(&mut self, content_type: &'static str, body: S)
    where
        S: Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
    {
        self.set_content_type(content_type);
        self.body = ReqBody::stream(body);
    }

    /// Sends an [`Upload`](crate::Upload): streamed chunked, or with a length when in memory.
    pub fn upload_body(&mut self, content_type: &'static str, body: crate::Upload) {
        self.set_content_type(content_type);
        self.body = body.into();
    }

    /// Sends `body` with a `Content-Length`.
    pub fn bytes_body(&mut self, content_type: &'static str, body: Bytes) {
        self.set_content_type(content_type);
        self.body = body.into();
    }

    fn set_content_type(&mut self, content_type: &'static str) {
        if !content_type.is_empty() {
            // An invalid static content type is a generator bug; send none rather than panic.
            if let Ok(v) = HeaderValue::from_str(content_type) {
                self.headers.insert(CONTENT_TYPE, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Method;

    static OP: Operation = Operation { id: "Test", method: Method::GET, since: Some(ApiVersion::new(1, 24)) };

    #[test]
    fn path_id_escapes_and_refuses() {
        let mut r = Request::new(&OP);
        r.path("/containers/");
        r.path_id("id", "a b?c#d%2Fe").unwrap();
        r.path("/json");
        assert_eq!(r.path, "/containers/a%20b%3Fc%23d%252Fe/json");
        for bad in ["", ".", "..", "a/b", "/", "../images"] {
            assert!(Request::new(&OP).path_id("id", bad).is_err(), "{bad:?}");
        }
        // Dots inside a segment are fine.
        Request::new(&OP).path_id("id", "...").unwrap();
    }

    #[test]
    fn path_name_keeps_slashes_between_segments() {
        let mut r = Request::new(&OP);
        r.path_name("name", "registry:5000/ns/img:tag").unwrap();
        assert_eq!(r.path, "registry%3A5000/ns/img%3Atag");
        for bad in ["", "/a", "a/", "a//b", "a/../b", "./a", "a/.."] {
            assert!(Request::new(&OP).path_name("name", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn query_encoding() {
        let mut r = Request::new(&OP);
        r.query_str("a", "x y&z=1");
        r.query_bool("b", true);
        r.query_multi("t", &["p".into(), "q".into()]);
        r.query_csv("c", &["1".into(), "2".into()]);
        r.query_csv("none", &[]);
        r.query_i64("i", -3);
        r.query_f64("f", 1.5);
        r.query_json("j", &serde_json::json!({"k": ["v"]})).unwrap();
        assert_eq!(r.query, "a=x%20y%26z%3D1&b=true&t=p&t=q&c=1%2C2&i=-3&f=1.5&j=%7B%22k%22%3A%5B%22v%22%5D%7D");
    }

    #[test]
    fn headers_refuse_newlines_and_hide_values() {
        let mut r = Request::new(&OP);
        let e = r.header("X-Registry-Auth", "secret\r\nInjected: 1").unwrap_err();
        assert!(!e.to_string().contains("secret"));
        r.header("X-Registry-Auth", "s3cr3t").unwrap();
        assert!(!format!("{r:?}").contains("s3cr3t"));
        assert!(r.header("Bad Name", "x").is_err());
    }

    #[test]
    fn base64_header_is_url_safe_with_padding() {
        let mut r = Request::new(&OP);
        // "?>" encodes to "Pz4" + padding in standard alphabet; "\u{ff}" gives '/' or '_'.
        r.header_base64_json("X-Registry-Auth", &serde_json::json!({"password": "??>>\u{ff}!"})).unwrap();
        let v = r.headers["x-registry-auth"].to_str().unwrap();
        assert!(!v.contains('+') && !v.contains('/'), "{v}");
        let decoded = base64::engine::general_purpose::URL_SAFE.decode(v).unwrap();
        assert_eq!(decoded, "{\"password\":\"??>>\u{ff}!\"}".as_bytes());
        assert!(v.ends_with("=="), "padding kept: {v}");
    }

    #[test]
    fn requirements_skip_always_and_keep_order() {
        let mut r = Request::new(&OP);
        r.require("all", VersionRange::ALWAYS);
        r.require_at(&MemberPath::Root.field("Name"), VersionRange::ALWAYS);
        assert!(r.requirements.is_empty());
        assert_eq!(r.requirements.capacity(), 0, "no allocation without requirements");

        let since = VersionRange::new(Some(ApiVersion::new(1, 42)), None);
        r.require("signal", since);
        let host_config = MemberPath::Root.field("HostConfig");
        let mounts = host_config.field("Mounts");
        r.require_at(&mounts.item().field("ImageOptions"), since);
        r.require_with_hint(String::from("reserved"), since, "use `x` instead");
        let members: Vec<_> = r.requirements.iter().map(|q| (q.member.to_string(), q.hint)).collect();
        let members: Vec<_> = members.iter().map(|(m, h)| (m.as_str(), *h)).collect();
        assert_eq!(
            members,
            [("signal", None), ("HostConfig.Mounts[].ImageOptions", None), ("reserved", Some("use `x` instead")),]
        );
        assert!(format!("{r:?}").contains("HostConfig.Mounts[].ImageOptions"));
    }
}

//! Text from the daemon made fit for error messages: short, and with control characters
//! escaped.
//!
//! Error messages end up on terminals and in logs, and their text comes from a peer: a daemon,
//! or whatever answers on its socket. Control bytes (ANSI escape sequences, `\r` that rewrites a
//! log line, `\n` that forges one) and Unicode direction overrides are shown escaped
//! (`\x1b`, `\r`, `\u{202e}`), never passed through.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::body::Ending;
use crate::json_object::json_object;
use http::StatusCode;

/// Error bodies are read up to this size (as the Go client does).
pub(crate) const MAX_ERROR_BODY: usize = 1024 * 1024;

/// Whether `c` is shown escaped: C0 and C1 controls, DEL, and the bidirectional overrides and
/// isolates that reorder how a line is displayed.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with control characters escaped: `\n`, `\r`, `\t`, `\x1b` (other ASCII controls),
/// `\u{9b}` (other characters).
pub(crate) fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) && c.is_ascii() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Lossy UTF-8 of daemon bytes, control characters escaped.
pub(crate) fn daemon_text(bytes: &[u8]) -> String {
    escape_controls(&String::from_utf8_lossy(bytes)).into_owned()
}

/// First ~200 bytes of a body, for error messages.
pub(crate) fn excerpt(bytes: &[u8]) -> String {
    const MAX: usize = 200;
    let mut s = daemon_text(&bytes[..bytes.len().min(MAX)]);
    if bytes.len() > MAX {
        s.push('…');
    }
    s
}

/// Turns an error body into a short, useful message: the daemon's JSON `message`, else the text
/// of the body (HTML reduced to its title/text), else the status line. A body cut off by the
/// connection keeps what arrived and says so.
pub(crate) fn error_message(status: StatusCode, content_type: &str, body: &[u8], ending: &Ending) -> String {
    struct Message {
        message: Option<String>,
    }
    json_object!(Message { message: "message" });
    const MAX_TEXT: usize = 1000;
    let reason = status.canonical_reason().unwrap_or("unknown status");
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let mut msg = if text.is_empty() {
        format!("{reason} (empty response body)")
    } else if let Ok(Message { message }) = serde_json::from_slice::<Message>(body) {
        match message.map(|m| m.trim().to_owned()).filter(|m| !m.is_empty()) {
            Some(m) => m,
            None => format!("{reason} (no error message; body: {})", excerpt(body)),
        }
    } else if content_type.contains("html") || text.starts_with('<') {
        format!("{reason}: {}", html_text(text))
    } else {
        text.to_owned()
    };
    if msg.len() > MAX_TEXT {
        let mut cut = MAX_TEXT;
        while !msg.is_char_boundary(cut) {
            cut -= 1;
        }
        msg.truncate(cut);
        msg.push('…');
    }
    let mut msg = escape_controls(&msg).into_owned();
    match ending {
        Ending::Complete => {}
        Ending::OverLimit => msg.push_str(" (error body longer than 1 MiB, truncated)"),
        Ending::Cut(e) => {
            let _ = write!(msg, " (error body cut off: {})", escape_controls(&source_text(e)));
        }
    }
    msg
}

/// The innermost cause of an error, which says what happened to the connection.
fn source_text(e: &crate::Error) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// The `<title>` of an HTML page, else its text without tags, whitespace collapsed.
fn html_text(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    if let (Some(a), Some(b)) = (lower.find("<title>"), lower.find("</title>")) {
        if a + 7 <= b {
            let t = html[a + 7..b].split_whitespace().collect::<Vec<_>>().join(" ");
            if !t.is_empty() {
                return t;
            }
        }
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_messages() {
        let s = StatusCode::NOT_FOUND;
        let done = Ending::Complete;
        assert_eq!(
            error_message(s, "application/json", b"{\"message\":\"No such container: x\"}\n", &done),
            "No such container: x"
        );
        assert_eq!(error_message(s, "text/plain", b"  page not found \n", &done), "page not found");
        assert_eq!(
            error_message(
                StatusCode::BAD_GATEWAY,
                "text/html",
                b"<html><head><title>502 Bad Gateway</title></head><body><h1>x</h1></body></html>",
                &done
            ),
            "Bad Gateway: 502 Bad Gateway"
        );
        assert_eq!(
            error_message(StatusCode::BAD_GATEWAY, "", b"<p>upstream <b>down</b></p>", &done),
            "Bad Gateway: upstream down"
        );
        assert_eq!(error_message(s, "", b"", &done), "Not Found (empty response body)");
        assert!(error_message(s, "application/json", b"{\"message\":\"\"}", &done).contains("no error message"));
        assert!(error_message(s, "", &[b'x'; 5000], &Ending::OverLimit).ends_with("truncated)"));
    }

    #[test]
    fn controls_are_escaped() {
        assert_eq!(escape_controls("plain text: ok"), "plain text: ok");
        assert_eq!(escape_controls("\u{1b}[31mred\r\nforged\tx\u{7f}"), "\\x1b[31mred\\r\\nforged\\tx\\x7f");
        assert_eq!(escape_controls("a\u{9b}b\u{202e}c"), "a\\u{9b}b\\u{202e}c");
        assert_eq!(excerpt(b"\x1b]0;title\x07"), "\\x1b]0;title\\x07");
    }
}

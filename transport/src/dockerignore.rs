//! `.dockerignore` patterns with the Docker CLI's semantics (moby's `patternmatcher` and
//! `ignorefile`), used by [`crate::BuildContext`].
//!
//! - one pattern a line; `#` at the start of a line is a comment; blank lines are skipped;
//!   surrounding space is trimmed; a leading `/` is dropped; each pattern is cleaned like Go's
//!   `filepath.Clean` (`a//b/./c/` → `a/b/c`);
//! - `*` matches any run of characters but `/`, `?` one character but `/`, `[a-z]` / `[^a-z]` a
//!   class, `\` escapes the next character, `**` any number of folders (also none): `**/x`
//!   matches `x` and `a/b/x`, a trailing `**` everything below;
//! - `!pattern` re-includes what an earlier pattern excluded; the last pattern that matches
//!   decides;
//! - a pattern that matches a folder excludes everything in it (a path is matched, then each
//!   of its parent folders).

use std::fmt;
use std::io;

/// Parsed `.dockerignore` patterns, with the Docker CLI's semantics:
///
/// - one pattern a line; `#` at the start of a line is a comment; blank lines are skipped;
///   surrounding space is trimmed; a leading `/` is dropped; patterns are cleaned like Go's
///   `filepath.Clean` (`a//b/./c/` → `a/b/c`);
/// - `*` matches any run of characters but `/`, `?` one character but `/`, `[a-z]` / `[^a-z]` a
///   class, `\` escapes the next character, `**` any number of folders (also none);
/// - `!pattern` re-includes what an earlier pattern excluded; the last pattern that matches
///   decides;
/// - a pattern that matches a folder excludes everything in it.
///
/// ```
/// use docker_engine_transport::DockerIgnore;
/// let ignore = DockerIgnore::parse("**/*.log\n!keep.log\ntarget\n")?;
/// assert!(ignore.is_excluded("a/b/debug.log"));
/// assert!(!ignore.is_excluded("keep.log"));
/// assert!(ignore.is_excluded("target/debug/app"));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct DockerIgnore {
    patterns: Vec<Pattern>,
}

#[derive(Clone, PartialEq, Eq)]
struct Pattern {
    /// The cleaned pattern text (without `!`), as Docker compares it in its folder walk.
    text: String,
    exclusion: bool,
    tokens: Vec<Token>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `?`
    One,
    /// `*`
    Star,
    /// `**` followed by more pattern: any prefix ending in `/`, or nothing.
    Folders,
    /// `**` at the end: anything.
    Rest,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

impl DockerIgnore {
    /// Parses the text of a `.dockerignore` file. An error names the line and what is wrong.
    pub fn parse(text: &str) -> io::Result<DockerIgnore> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut patterns = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') {
                continue;
            }
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let (exclusion, rest) = match line.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, line),
            };
            let pattern = Pattern::new(rest, exclusion)
                .map_err(|e| invalid(format!(".dockerignore line {}: {e}: {line:?}", n + 1)))?;
            patterns.push(pattern);
        }
        Ok(DockerIgnore { patterns })
    }

    /// Adds one pattern (`!` for an exception) after the others.
    pub fn push(&mut self, pattern: &str) -> io::Result<()> {
        let (exclusion, rest) = match pattern.strip_prefix('!') {
            Some(rest) => (true, rest.trim()),
            None => (false, pattern.trim()),
        };
        let parsed = Pattern::new(rest, exclusion).map_err(|e| invalid(format!("{e}: {pattern:?}")))?;
        self.patterns.push(parsed);
        Ok(())
    }

    /// Whether `path` (relative to the context, `/`-separated) is left out: the last pattern
    /// matching it or one of its parent folders decides.
    pub fn is_excluded(&self, path: &str) -> bool {
        let path = clean(path);
        let parents: Vec<&str> = match path.rfind('/') {
            Some(i) => path[..i].split('/').collect(),
            None => Vec::new(),
        };
        let mut excluded = false;
        for pattern in &self.patterns {
            let mut matched = pattern.matches(&path);
            if !matched {
                let mut prefix = String::new();
                for dir in &parents {
                    if !prefix.is_empty() {
                        prefix.push('/');
                    }
                    prefix.push_str(dir);
                    if pattern.matches(&prefix) {
                        matched = true;
                        break;
                    }
                }
            }
            if matched {
                excluded = !pattern.exclusion;
            }
        }
        excluded
    }

    /// Whether an excluded folder must still be walked: Docker does so only when an exception
    /// pattern's text starts with the folder's path (`!logs/keep.txt` for `logs`).
    pub fn may_include_below(&self, dir: &str) -> bool {
        let dir_slash = format!("{}/", clean(dir));
        self.patterns.iter().any(|p| p.exclusion && format!("{}/", p.text).starts_with(&dir_slash))
    }

    /// Whether there are no patterns.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

impl fmt::Debug for DockerIgnore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let texts: Vec<String> =
            self.patterns.iter().map(|p| format!("{}{}", if p.exclusion { "!" } else { "" }, p.text)).collect();
        f.debug_tuple("DockerIgnore").field(&texts).finish()
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

impl Pattern {
    fn new(raw: &str, exclusion: bool) -> Result<Pattern, String> {
        if raw.is_empty() {
            return Err("an exception `!` needs a pattern".into());
        }
        let mut text = clean(raw);
        if text.len() > 1 && text.starts_with('/') {
            text.remove(0);
        }
        let tokens = tokenize(&text)?;
        Ok(Pattern { text, exclusion, tokens })
    }

    fn matches(&self, path: &str) -> bool {
        let chars: Vec<char> = path.chars().collect();
        // The set of positions in `path` reachable after each token: no backtracking, so a
        // pattern of many stars costs (tokens × length²) at worst.
        let mut at = vec![false; chars.len() + 1];
        at[0] = true;
        for token in &self.tokens {
            let mut next = vec![false; chars.len() + 1];
            for i in (0..=chars.len()).filter(|&i| at[i]) {
                step(token, &chars, i, &mut next);
            }
            at = next;
        }
        at[chars.len()]
    }
}

/// Marks in `next` every position token `token` can end at when it starts at `i`.
fn step(token: &Token, s: &[char], i: usize, next: &mut [bool]) {
    let c = s.get(i).copied();
    match token {
        Token::Char(want) if c == Some(*want) => next[i + 1] = true,
        Token::One if c.is_some_and(|c| c != '/') => next[i + 1] = true,
        Token::Class { negated, ranges } => {
            if let Some(c) = c {
                if ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) != *negated {
                    next[i + 1] = true;
                }
            }
        }
        Token::Star => {
            next[i] = true;
            for j in i..s.len() {
                if s[j] == '/' {
                    break;
                }
                next[j + 1] = true;
            }
        }
        Token::Folders => {
            next[i] = true;
            for j in i..s.len() {
                if s[j] == '/' {
                    next[j + 1] = true;
                }
            }
        }
        Token::Rest => next[i..].iter_mut().for_each(|n| *n = true),
        _ => {}
    }
}

fn tokenize(pattern: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                // `**/` is `**`: the slash is part of it.
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                tokens.push(if i == chars.len() { Token::Rest } else { Token::Folders });
                continue;
            }
            '*' => tokens.push(Token::Star),
            '?' => tokens.push(Token::One),
            '\\' => {
                i += 1;
                let c = *chars.get(i).ok_or("the pattern ends in a lone `\\`")?;
                tokens.push(Token::Char(c));
            }
            '[' => {
                let (token, end) = class(&chars, i)?;
                tokens.push(token);
                i = end;
            }
            c => tokens.push(Token::Char(c)),
        }
        i += 1;
    }
    Ok(tokens)
}

/// A `[…]` class starting at `start`; returns it and the index of its `]`.
fn class(chars: &[char], start: usize) -> Result<(Token, usize), String> {
    let mut i = start + 1;
    let negated = chars.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let c = *chars.get(i).ok_or("unclosed `[` in the pattern")?;
        if c == ']' && !first {
            return Ok((Token::Class { negated, ranges }, i));
        }
        first = false;
        let lo = if c == '\\' {
            i += 1;
            *chars.get(i).ok_or("unclosed `[` in the pattern")?
        } else {
            c
        };
        let mut hi = lo;
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|&c| c != ']') {
            hi = chars[i + 2];
            i += 2;
            if hi < lo {
                return Err(format!("the class range `{lo}-{hi}` is reversed"));
            }
        }
        ranges.push((lo, hi));
        i += 1;
    }
}

/// Go's `path.Clean` for `/`-separated paths: no empty or `.` elements, `..` resolved, no
/// trailing slash; `""` becomes `.`.
pub(crate) fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if rooted => {}
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignore(text: &str) -> DockerIgnore {
        DockerIgnore::parse(text).unwrap()
    }

    #[test]
    fn stars_questions_and_classes() {
        let d = ignore("*.log\nbuild?\n[a-c]x\n[^a-c]y\n");
        assert!(d.is_excluded("app.log"));
        assert!(!d.is_excluded("src/app.log"), "`*` does not cross folders");
        assert!(d.is_excluded("build1"));
        assert!(!d.is_excluded("build12"));
        assert!(d.is_excluded("bx") && !d.is_excluded("dx"));
        assert!(d.is_excluded("dy") && !d.is_excluded("ay"));
    }

    #[test]
    fn double_star_matches_any_number_of_folders() {
        let d = ignore("**/*.tmp\nvendor/**\n");
        assert!(d.is_excluded("a.tmp"));
        assert!(d.is_excluded("x/y/z/a.tmp"));
        assert!(d.is_excluded("vendor/lib/x.go"));
        assert!(!d.is_excluded("src/vendor.go"));
        let d = ignore("a/**/b\n");
        assert!(d.is_excluded("a/b") && d.is_excluded("a/x/y/b"));
        assert!(!d.is_excluded("a/xb"));
    }

    #[test]
    fn exceptions_and_last_match_wins() {
        let d = ignore("*.md\n!README.md\nREADME*.md\n");
        assert!(d.is_excluded("CHANGES.md"));
        assert!(d.is_excluded("README.md"), "a later pattern excludes it again");
        let d = ignore("*.md\n!README.md\n");
        assert!(!d.is_excluded("README.md"));
    }

    #[test]
    fn a_folder_pattern_excludes_what_is_inside() {
        let d = ignore("node_modules\n/target/\n");
        assert!(d.is_excluded("node_modules/a/b.js"));
        assert!(d.is_excluded("target/debug/x"));
        assert!(!d.is_excluded("src/target.rs"));
    }

    #[test]
    fn comments_blank_lines_and_cleaning() {
        let d = ignore("\u{feff}# comment\n\n  ./docs//api/  \n !docs/api/keep.txt\n");
        assert_eq!(format!("{d:?}"), r#"DockerIgnore(["docs/api", "!docs/api/keep.txt"])"#);
        assert!(d.is_excluded("docs/api/x.html"));
        assert!(!d.is_excluded("docs/api/keep.txt"));
        assert!(d.may_include_below("docs/api") && d.may_include_below("docs"));
        assert!(!d.may_include_below("src"));
    }

    #[test]
    fn escapes_match_literally() {
        let d = ignore("\\*.txt\n");
        assert!(d.is_excluded("*.txt"));
        assert!(!d.is_excluded("a.txt"));
    }

    #[test]
    fn bad_patterns_name_the_line() {
        let err = DockerIgnore::parse("ok\n!\n").unwrap_err().to_string();
        assert!(err.contains("line 2"), "{err}");
        let err = DockerIgnore::parse("a[bc\n").unwrap_err().to_string();
        assert!(err.contains("line 1") && err.contains("unclosed `[`"), "{err}");
    }

    #[test]
    fn many_stars_stay_fast() {
        let d = ignore(&format!("{}b\n", "*a".repeat(40)));
        let path = "a".repeat(2000);
        assert!(!d.is_excluded(&path));
    }

    #[test]
    fn clean_is_go_path_clean() {
        for (input, want) in
            [("a//b/./c/", "a/b/c"), ("", "."), ("./", "."), ("a/../..", ".."), ("/../a", "/a"), ("x/y/../z", "x/z")]
        {
            assert_eq!(clean(input), want, "{input}");
        }
    }
}

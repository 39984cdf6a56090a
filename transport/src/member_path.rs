//! Where a member sits inside a request body, for the version gates of body members.
//!
//! Generated code walks a request body before sending it and, for each member that exists only
//! in some API versions and is set, calls [`Request::require_at`](crate::Request::require_at)
//! with the member's [`MemberPath`]. The path is a chain of references to the enclosing levels,
//! built on the stack as the walk descends. A member that needs a version check is saved as a
//! [`SavedPath`] — a copy of its segments, no allocation and no formatting — and formatted only
//! if the check fails.

use std::fmt;

/// Where a body member sits, built on the stack while walking a request body.
///
/// Displays as `HostConfig.Mounts[].ImageOptions` (field names joined by `.`, `[]` for an item
/// of an array, `{}` for a value of a map): `NetworkingConfig.EndpointsConfig{}.IPAMConfig`.
#[derive(Debug, Clone, Copy)]
pub enum MemberPath<'a> {
    /// The body itself (displays as nothing).
    Root,
    /// A named field of the parent object.
    Field(&'a MemberPath<'a>, &'static str),
    /// An item of the parent array.
    Item(&'a MemberPath<'a>),
    /// A value of the parent map.
    Value(&'a MemberPath<'a>),
}

impl<'a> MemberPath<'a> {
    /// The field `name` of this object.
    pub fn field(&'a self, name: &'static str) -> MemberPath<'a> {
        MemberPath::Field(self, name)
    }

    /// An item of this array.
    pub fn item(&'a self) -> MemberPath<'a> {
        MemberPath::Item(self)
    }

    /// A value of this map.
    pub fn value(&'a self) -> MemberPath<'a> {
        MemberPath::Value(self)
    }
}

impl fmt::Display for MemberPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MemberPath::Root => Ok(()),
            MemberPath::Field(MemberPath::Root, name) => f.write_str(name),
            MemberPath::Field(parent, name) => write!(f, "{parent}.{name}"),
            MemberPath::Item(parent) => write!(f, "{parent}[]"),
            MemberPath::Value(parent) => write!(f, "{parent}{{}}"),
        }
    }
}

/// One level of a saved path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment {
    Field(&'static str),
    Item,
    Value,
}

/// Deepest path kept without allocating; deeper ones are formatted right away.
const SAVED_DEPTH: usize = 8;

/// A [`MemberPath`] copied out of the walk's stack frames: its segments, root first.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SavedPath {
    segments: [Segment; SAVED_DEPTH],
    len: u8,
}

impl SavedPath {
    /// The path's segments, or `None` when it is deeper than [`SAVED_DEPTH`].
    pub(crate) fn save(at: &MemberPath<'_>) -> Option<SavedPath> {
        let mut reversed = [Segment::Item; SAVED_DEPTH];
        let mut len = 0;
        let mut node = at;
        loop {
            let (segment, parent) = match node {
                MemberPath::Root => break,
                MemberPath::Field(parent, name) => (Segment::Field(name), parent),
                MemberPath::Item(parent) => (Segment::Item, parent),
                MemberPath::Value(parent) => (Segment::Value, parent),
            };
            *reversed.get_mut(len)? = segment;
            len += 1;
            node = parent;
        }
        let mut segments = [Segment::Item; SAVED_DEPTH];
        for (i, segment) in reversed[..len].iter().rev().enumerate() {
            segments[i] = *segment;
        }
        Some(SavedPath { segments, len: len as u8 })
    }
}

impl fmt::Display for SavedPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments[..usize::from(self.len)].iter().enumerate() {
            match segment {
                Segment::Field(name) if i == 0 => f.write_str(name)?,
                Segment::Field(name) => write!(f, ".{name}")?,
                Segment::Item => f.write_str("[]")?,
                Segment::Value => f.write_str("{}")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_the_spec_paths() {
        let root = MemberPath::Root;
        assert_eq!(root.to_string(), "");
        let host_config = root.field("HostConfig");
        assert_eq!(host_config.to_string(), "HostConfig");
        let mounts = host_config.field("Mounts");
        let mount = mounts.item();
        assert_eq!(mount.field("ImageOptions").to_string(), "HostConfig.Mounts[].ImageOptions");

        let networking = root.field("NetworkingConfig");
        let endpoints = networking.field("EndpointsConfig");
        let endpoint = endpoints.value();
        assert_eq!(endpoint.field("IPAMConfig").to_string(), "NetworkingConfig.EndpointsConfig{}.IPAMConfig");

        // Saved copies display the same, and a path deeper than the saved depth is refused.
        let saved = SavedPath::save(&endpoint.field("IPAMConfig")).expect("shallow");
        assert_eq!(saved.to_string(), "NetworkingConfig.EndpointsConfig{}.IPAMConfig");
        let (a, b, c, d, e, f, g, h) = ("A", "B", "C", "D", "E", "F", "G", "H");
        let deep1 = root.field(a);
        let deep2 = deep1.field(b);
        let deep3 = deep2.field(c);
        let deep4 = deep3.field(d);
        let deep5 = deep4.field(e);
        let deep6 = deep5.field(f);
        let deep7 = deep6.field(g);
        let deep8 = deep7.field(h);
        assert_eq!(SavedPath::save(&deep8).expect("8 levels").to_string(), "A.B.C.D.E.F.G.H");
        assert!(SavedPath::save(&deep8.item()).is_none());

        // A body that is itself an array or a map.
        let item = root.item();
        assert_eq!(item.field("Name").to_string(), "[].Name");
        assert_eq!(root.value().to_string(), "{}");
    }

    /// A recursive walker as generated code writes it: each level borrows its parent.
    #[test]
    fn builds_on_the_stack_while_walking() {
        fn walk(v: &serde_json::Value, at: &MemberPath<'_>, out: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(m) => {
                    for (k, v) in m {
                        // Generated code uses static field names; leak-free stand-in for the test.
                        let name: &'static str = match k.as_str() {
                            "A" => "A",
                            "B" => "B",
                            _ => "?",
                        };
                        walk(v, &at.field(name), out);
                    }
                }
                serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, &at.item(), out)),
                _ => out.push(at.to_string()),
            }
        }
        let mut out = Vec::new();
        walk(&serde_json::json!({"A": [{"B": 1}], "B": 2}), &MemberPath::Root, &mut out);
        assert_eq!(out, ["A[].B", "B"]);
    }
}

//! Where a member sits inside a request body, for the version gates of body members.
//!
//! Generated code walks a request body before sending it and, for each member that exists only
//! in some API versions and is set, calls [`Request::require_at`](crate::Request::require_at)
//! with the member's [`MemberPath`]. The path is a chain of references to the enclosing levels,
//! built on the stack as the walk descends, so nothing is allocated unless a member actually
//! needs a version check; only then is the path formatted into a string.

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

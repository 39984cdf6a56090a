//! Hand-written `Deserialize` for the few JSON objects the transport reads itself (config
//! files, credential helper answers, error bodies, in-band stream errors, the path-stat header).
//!
//! [`json_object!`] writes the impl serde's derive would write for a struct whose members all
//! have `#[serde(default)]`: members matched by their JSON name, unknown members skipped, a
//! missing member left at its `Default`, a repeated member an error, and the same
//! `expected struct Name` wording in errors. Only JSON objects are accepted (the derive would
//! also take an array, member by member). Written out so the crate builds without serde's
//! derive proc-macro; `serde_path_to_error` still sees every key, so config errors keep naming
//! the file and the key.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Visitor};

/// Deserializes a member name into its entry of a struct's list of JSON names; `None` for a
/// member the struct does not have.
pub(crate) struct MemberName(pub(crate) &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for MemberName {
    type Value = Option<&'static str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for MemberName {
    type Value = Option<&'static str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().copied().find(|n| *n == v))
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        Ok(self.0.iter().copied().find(|n| n.as_bytes() == v))
    }
}

/// Implements `Deserialize` for a struct from `field: "jsonName"` pairs (every field of the
/// struct, each of a type with `Default` and `Deserialize`).
macro_rules! json_object {
    ($ty:ident { $($field:ident: $key:literal),+ $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                const MEMBERS: &[&str] = &[$($key),+];
                struct ObjectVisitor;
                impl<'de> serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $ty;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($ty)))
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$ty, A::Error> {
                        $(let mut $field = None;)+
                        while let Some(name) = map.next_key_seed($crate::json_object::MemberName(MEMBERS))? {
                            match name {
                                $(Some($key) => {
                                    if $field.is_some() {
                                        return Err(<A::Error as serde::de::Error>::duplicate_field($key));
                                    }
                                    $field = Some(map.next_value()?);
                                })+
                                _ => {
                                    map.next_value::<serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok($ty { $($field: $field.unwrap_or_default()),+ })
                    }
                }
                d.deserialize_struct(stringify!($ty), MEMBERS, ObjectVisitor)
            }
        }
    };
}

pub(crate) use json_object;

#[cfg(test)]
mod tests {
    #[derive(Debug, PartialEq)]
    struct Sample {
        name: String,
        size: Option<i64>,
    }

    json_object!(Sample { name: "Name", size: "Size" });

    fn parse(json: &str) -> Result<Sample, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn members_by_json_name_defaults_and_unknowns() {
        let s = parse(r#"{"Extra":[1,{"a":2}],"Size":7,"Name":"n\u00e9"}"#).unwrap();
        assert_eq!(s, Sample { name: "né".into(), size: Some(7) });
        assert_eq!(parse("{}").unwrap(), Sample { name: String::new(), size: None });
        assert_eq!(parse(r#"{"Size":null}"#).unwrap().size, None);
        // Names are exact: no case folding, as with serde's derive.
        assert_eq!(parse(r#"{"name":"x"}"#).unwrap().name, "");
    }

    /// What serde's derive makes of the same struct (dev-dependencies only).
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Derived {
        #[serde(default, rename = "Name")]
        name: String,
        #[serde(default, rename = "Size")]
        size: Option<i64>,
    }

    #[test]
    fn results_and_errors_match_serde_derive() {
        let inputs = [
            r#"{"Name":"a","Size":1}"#,
            r#"{"Size":-3,"Other":{"Name":1}}"#,
            r#"{"Name":"a","Name":"b"}"#,
            r#"{"Size":"7"}"#,
            r#"{"Name":null}"#,
            r#"{"Name":"a""#,
            r#"{"Name":"a",}"#,
            "3",
            "\"s\"",
            "null",
            "",
        ];
        for json in inputs {
            let ours = parse(json).map(|s| (s.name, s.size)).map_err(|e| e.to_string());
            let derived = serde_json::from_str::<Derived>(json)
                .map(|s| (s.name, s.size))
                .map_err(|e| e.to_string().replace("struct Derived", "struct Sample"));
            assert_eq!(ours, derived, "{json}");
        }
        // The derive would read an array member by member; objects only here.
        assert!(parse(r#"["n", 7]"#).is_err());
    }

    #[test]
    fn paths_of_nested_errors_name_the_member() {
        let de = &mut serde_json::Deserializer::from_str(r#"{"Name":"a","Size":true}"#);
        let e = serde_path_to_error::deserialize::<_, Sample>(de).unwrap_err();
        assert_eq!(e.path().to_string(), "Size");
    }
}

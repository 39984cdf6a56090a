//! Step 5, models: the `Serialize` and `Deserialize` impls of each struct, printed by the
//! generator instead of derived.
//!
//! Why not `#[derive(serde::Serialize, serde::Deserialize)]`: every struct has the same shape
//! (each member `Option<T>`, renamed, defaulted, skipped when `None`), so the general code the
//! derive expands (a field enum with three visitors, a sequence visitor, one `Option` local
//! and a duplicate check per member) is mostly unused, yet it is what a cold build of a models
//! crate spends its time on — and the derive pulls `syn` and `serde_derive` into every
//! user's build. The impls below do exactly what the derive did for these structs:
//!
//! - encoding writes the members that are `Some`, in declaration order, under their wire names;
//! - decoding starts from `Default` (all `None`), sets each member it recognises, skips unknown
//!   members without allocating, and accepts `null` for any member (`Option`'s own rule).
//!
//! One difference, on purpose: a member that appears twice keeps its last value (as
//! `serde_json::Value` and Go's decoder do) instead of failing the whole decode.
//! Member names are looked up in a table sorted by length ([`members_module`]), so no key is
//! ever allocated, even when the input is read from a stream.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::{Field, TypeDef};

/// `impl Serialize` and `impl Deserialize` for a struct with `fields`.
pub fn struct_impls(def: &TypeDef, fields: &[Field]) -> Result<TokenStream, String> {
    let serialize = serialize_impl(def, fields);
    let deserialize = deserialize_impl(def, fields)?;
    Ok(quote!(#serialize #deserialize))
}

fn serialize_impl(def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&def.name);
    let type_name = def.name.as_str();
    let present = fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        quote!(usize::from(self.#field.is_some()))
    });
    let len = if fields.is_empty() { quote!(0) } else { quote!(#(#present)+*) };
    let writes = fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let wire = f.wire_name.as_str();
        quote! {
            if let Some(value) = &self.#field {
                state.serialize_field(#wire, value)?;
            }
        }
    });
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct as _;
                let len = #len;
                let mut state = serializer.serialize_struct(#type_name, len)?;
                #(#writes)*
                state.end()
            }
        }
    }
}

fn deserialize_impl(def: &TypeDef, fields: &[Field]) -> Result<TokenStream, String> {
    let name = ident(&def.name);
    let expecting = format!("an object {}", def.name);
    // The table is sorted by length, then bytes ([`members_module`] searches it so); an arm is
    // the index of its member in the table.
    let mut sorted: Vec<&Field> = fields.iter().collect();
    sorted.sort_by(|a, b| (a.wire_name.len(), &a.wire_name).cmp(&(b.wire_name.len(), &b.wire_name)));
    if let Some(pair) = sorted.windows(2).find(|p| p[0].wire_name == p[1].wire_name) {
        return Err(format!(
            "at {}: two members of {} have the wire name {:?}",
            def.pointer, def.name, pair[0].wire_name
        ));
    }
    let names = sorted.iter().map(|f| f.wire_name.as_str());
    let arms = sorted.iter().enumerate().map(|(index, f)| {
        let field = ident(&f.rust_name);
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        quote!(Some(#index) => out.#field = map.next_value()?,)
    });
    Ok(quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const MEMBERS: crate::members::Members = crate::members::Members(&[#(#names),*]);
                struct Visitor;
                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        let mut out = #name::default();
                        while let Some(member) = map.next_key_seed(MEMBERS)? {
                            match member {
                                #(#arms)*
                                _ => {
                                    map.next_value::<serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok(out)
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }
    })
}

/// `src/members.rs` of a models crate: the one lookup every `Deserialize` impl uses to turn a
/// member name into its index in the struct's sorted table (`None`: a member it ignores).
pub fn members_module() -> TokenStream {
    quote! {
        //! Member names → positions, for the `Deserialize` impls of this crate's structs.

        /// The wire names of one struct's members, sorted by length and then bytes; a
        /// `DeserializeSeed` for a map key that finds the key's position without allocating it.
        #[derive(Clone, Copy)]
        pub(crate) struct Members(pub(crate) &'static [&'static str]);

        impl Members {
            /// Lengths are compared first (integers, no call); only names of the key's length
            /// are compared byte for byte, and there are few of those.
            fn find(self, name: &[u8]) -> Option<usize> {
                let first = self.0.partition_point(|m| m.len() < name.len());
                self.0[first..]
                    .iter()
                    .take_while(|m| m.len() == name.len())
                    .position(|m| m.as_bytes() == name)
                    .map(|i| first + i)
            }
        }

        impl<'de> serde::de::DeserializeSeed<'de> for Members {
            type Value = Option<usize>;
            fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
                // `str`, not bytes (which would skip serde_json's UTF-8 check): error paths
                // (serde_path_to_error) record only member names read as strings.
                deserializer.deserialize_str(self)
            }
        }

        impl serde::de::Visitor<'_> for Members {
            type Value = Option<usize>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Option<usize>, E> {
                Ok(self.find(name.as_bytes()))
            }
            fn visit_bytes<E: serde::de::Error>(self, name: &[u8]) -> Result<Option<usize>, E> {
                Ok(self.find(name))
            }
        }
    }
}

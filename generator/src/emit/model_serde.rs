//! Step 5, models: the `Serialize` and `Deserialize` impls of each struct, written by one
//! `macro_rules!` the generator prints into every models crate (`src/model_serde.rs`) and
//! invoked once per struct with its members.
//!
//! Why not `#[derive(serde::Serialize, serde::Deserialize)]`: every struct has the same shape
//! (each member `Option<T>`, renamed, defaulted, skipped when `None`), so most of the general
//! code the derive expands (a field enum, a sequence visitor, one `Option` local and a
//! duplicate check per member) is never used, yet it is what a cold build of a models crate
//! spent its time on, and the derive pulls `syn` and `serde_derive` into every user's build.
//! Why a macro and not the impls printed out: the printed impls doubled the generated source
//! and regen's time; the invocation is one line per member. The impls do exactly what the
//! derive did for these structs:
//!
//! - encoding writes the members that are `Some`, in declaration order, under their wire names;
//! - decoding starts from `Default` (all `None`), sets each member it recognises, skips unknown
//!   members, and accepts `null` for any member (`Option`'s own rule). Member names are matched
//!   by a `match` on string literals, as the derive's was (the fastest lookup the compiler
//!   makes), without allocating; all of it is generic, so it is compiled where it is used.
//!
//! One difference, on purpose: a member that appears twice keeps its last value (as
//! `serde_json::Value` and Go's decoder do) instead of failing the whole decode.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::ident;
use crate::ir::{Field, TypeDef};

/// `crate::model_serde::model_serde!(Name { 0: field = "Wire", … });` for a struct.
pub fn struct_impls(def: &TypeDef, fields: &[Field]) -> Result<TokenStream, String> {
    let mut wire_names: Vec<&str> = fields.iter().map(|f| f.wire_name.as_str()).collect();
    wire_names.sort_unstable();
    if let Some(pair) = wire_names.windows(2).find(|p| p[0] == p[1]) {
        return Err(format!("at {}: two members of {} have the wire name {:?}", def.pointer, def.name, pair[0]));
    }
    let name = ident(&def.name);
    let members = fields.iter().enumerate().map(|(index, f)| {
        let index = Literal::usize_unsuffixed(index);
        let field = ident(&f.rust_name);
        let wire = f.wire_name.as_str();
        quote!(#index: #field = #wire,)
    });
    Ok(quote! {
        crate::model_serde::model_serde!(#name { #(#members)* });
    })
}

/// `src/model_serde.rs` of a models crate: the macro [`struct_impls`] invokes.
pub fn macro_module() -> TokenStream {
    quote! {
        //! `model_serde!`: the `Serialize` and `Deserialize` impls of this crate's structs
        //! (every member `Option<T>`, under its wire name). The macro is printed from tokens,
        //! so its body reads better in its source, the generator's `emit/model_serde.rs`,
        //! which also says why the impls are not derived.

        /// `model_serde!(Type { index: field = "WireName", … })`; `index` counts members from 0.
        ///
        /// Names the macro introduces start with `__` and paths are absolute, because `macro_rules!`
        /// hygiene covers local variables only: a model named `A`, `Visitor` or `Result` must not
        /// capture them (the hostile-spec test generates such models).
        macro_rules! model_serde {
            ($name:ident { $($index:literal : $field:ident = $wire:literal,)* }) => {
                impl ::serde::Serialize for $name {
                    fn serialize<__S: ::serde::Serializer>(
                        &self,
                        serializer: __S,
                    ) -> ::core::result::Result<__S::Ok, __S::Error> {
                        use ::serde::ser::SerializeStruct as _;
                        let len = 0usize $(+ usize::from(::core::option::Option::is_some(&self.$field)))*;
                        let mut state = serializer.serialize_struct(stringify!($name), len)?;
                        $(
                            if let ::core::option::Option::Some(value) = &self.$field {
                                state.serialize_field($wire, value)?;
                            }
                        )*
                        state.end()
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for $name {
                    fn deserialize<__D: ::serde::Deserializer<'de>>(
                        deserializer: __D,
                    ) -> ::core::result::Result<Self, __D::Error> {
                        /// A member name → its index; `None` for a member this type ignores.
                        struct __Member;
                        impl<'de> ::serde::de::DeserializeSeed<'de> for __Member {
                            type Value = ::core::option::Option<usize>;
                            fn deserialize<__D: ::serde::Deserializer<'de>>(
                                self,
                                deserializer: __D,
                            ) -> ::core::result::Result<::core::option::Option<usize>, __D::Error> {
                                deserializer.deserialize_str(self)
                            }
                        }
                        impl ::serde::de::Visitor<'_> for __Member {
                            type Value = ::core::option::Option<usize>;
                            fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                                f.write_str("a member name")
                            }
                            fn visit_str<__E: ::serde::de::Error>(
                                self,
                                name: &str,
                            ) -> ::core::result::Result<::core::option::Option<usize>, __E> {
                                ::core::result::Result::Ok(match name {
                                    $($wire => ::core::option::Option::Some($index),)*
                                    _ => ::core::option::Option::None,
                                })
                            }
                        }
                        struct __Visitor;
                        impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                            type Value = $name;
                            fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                                f.write_str(concat!("an object ", stringify!($name)))
                            }
                            fn visit_map<__A: ::serde::de::MapAccess<'de>>(
                                self,
                                mut map: __A,
                            ) -> ::core::result::Result<$name, __A::Error> {
                                #[allow(unused_mut)] // a struct without members
                                let mut out = <$name as ::core::default::Default>::default();
                                while let ::core::option::Option::Some(member) = map.next_key_seed(__Member)? {
                                    match member {
                                        $(::core::option::Option::Some($index) => out.$field = map.next_value()?,)*
                                        _ => {
                                            map.next_value::<::serde::de::IgnoredAny>()?;
                                        }
                                    }
                                }
                                ::core::result::Result::Ok(out)
                            }
                        }
                        deserializer.deserialize_map(__Visitor)
                    }
                }
            };
        }
        pub(crate) use model_serde;
    }
}

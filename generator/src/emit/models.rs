//! The models crate of one version: `generated/v1_NN/models`.
//!
//! Rules (the reasons are the peers' failures in `reference/peer-lessons.md`):
//! - every struct field is `Option<T>`, so `null`, absent and unknown fields never fail a decode
//!   (required ones included: daemons send `null` for them);
//! - every field is read and written under its wire name and absent values are not serialized,
//!   by impls the generator prints ([`super::model_serde`]) rather than serde's derive;
//! - every enum is open: an `Other` variant keeps an unknown value and re-encodes it verbatim;
//! - integer enums encode as integers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use super::{crate_allow_attrs, doc_attrs, ident, in_models_module, int_tokens, rust_file, slot_tokens, type_tokens};
use crate::ir::{
    Api, Availability, EnumVariant, Field, IntKind, IntVariant, Slot, TypeDef, TypeKind, TypeName, TypeRef,
};
use crate::version::ApiVersion;

/// Package name of the models crate of a version.
pub fn package_name(api: &Api) -> String {
    format!("docker-engine-models-{}", api.version.crate_suffix())
}

/// All files of the crate, keyed by path relative to the crate directory.
pub fn models_crate(api: &Api) -> Result<BTreeMap<PathBuf, String>, String> {
    let mut files = BTreeMap::new();
    files.insert(PathBuf::from("Cargo.toml"), super::manifest::models_manifest(api));
    files.insert(PathBuf::from("README.md"), super::manifest::models_readme(api));

    if let Some(cycle) = crate::ir::cycles::alias_cycle(&api.types) {
        let at = api.types.get(&cycle[0]).map(|d| d.pointer.clone()).unwrap_or_default();
        return Err(format!("at {at}: type alias refers to itself: {}", cycle.join(" → ")));
    }
    let boxed = crate::ir::cycles::boxed_fields(&api.types);
    let module_of = |name: &str| api.types.get(name).map(|t| t.module.clone());
    let oldest = api.oldest;
    let mut modules: BTreeMap<&str, Vec<&TypeDef>> = BTreeMap::new();
    for def in api.types.values() {
        modules.entry(def.module.as_str()).or_default().push(def);
    }
    for (module, defs) in &modules {
        let items =
            defs.iter().map(|def| type_item(def, &module_of, module, oldest, &boxed)).collect::<Result<Vec<_>, _>>()?;
        let module_doc = api
            .tags
            .iter()
            .find(|(tag, _)| crate::ir::naming::module_name(tag) == *module)
            .map(|(tag, _)| format!(" Types used by the `{tag}` operations."))
            .unwrap_or_else(|| " Types shared by several groups of operations, or by none.".to_string());
        let tokens = quote! {
            #![doc = #module_doc]
            #(#items)*
        };
        files.insert(PathBuf::from(format!("src/{module}.rs")), rust_file(api, tokens)?);
    }

    let (version, file) = (api.version, &api.spec_file);
    let crate_doc = format!(
        " Docker Engine API v{version} models, generated from `{file}`.

 Every type decodes whatever the daemon sends: fields are optional, unknown fields are
 ignored and enums keep values this version does not list.

 The types are grouped in one module per group of operations that uses them (`container`,
 `image`, …; `common` for types several groups share) and all re-exported at the crate root,
 so `models::ContainerSummary` and `models::container::ContainerSummary` are the same type."
    );
    let allows = crate_allow_attrs();
    let mods = modules.keys().map(|m| {
        let id = ident(m);
        quote! { pub mod #id; pub use #id::*; }
    });
    let lib = quote! {
        #![doc = #crate_doc]
        #allows
        #(#mods)*
        mod model_serde;
        /// Decode-and-re-encode by type name, for the project's tests.
        #[cfg(feature = "testing")]
        pub mod testing;
    };
    files.insert(PathBuf::from("src/lib.rs"), rust_file(api, lib)?);
    files.insert(PathBuf::from("src/model_serde.rs"), rust_file(api, super::model_serde::macro_module())?);
    files.insert(PathBuf::from("src/testing.rs"), rust_file(api, testing_module(api, &module_of))?);
    Ok(files)
}

/// Members that carry a secret, by type and wire name: their `Debug` prints `<redacted>` for a
/// value (`None` stays `None`), so credentials never reach a log line through `{:?}` of a model
/// or of the options that hold it (`ImagePushOptions.x_registry_auth`). The JSON is unchanged.
pub const SECRET_MEMBERS: &[(&str, &[&str])] = &[("AuthConfig", &["password", "identitytoken", "registrytoken"])];

/// A `Debug` impl that redacts the [`SECRET_MEMBERS`] of a struct, or `None` when it has none.
fn redacting_debug(def: &TypeDef, fields: &[Field]) -> Option<TokenStream> {
    let secrets = SECRET_MEMBERS.iter().find(|(name, _)| *name == def.name.as_str())?.1;
    let name = ident(&def.name);
    let type_name = def.name.as_str();
    let entries = fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let label = f.rust_name.as_str();
        if secrets.contains(&f.wire_name.as_str()) {
            quote! { .field(#label, &self.#field.as_ref().map(|_| "<redacted>")) }
        } else {
            quote! { .field(#label, &self.#field) }
        }
    });
    Some(quote! {
        #[allow(deprecated)]
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#type_name) #(#entries)* .finish()
            }
        }
    })
}

/// `boxed`: the fields that close a cycle of structs held in place ([`crate::ir::cycles`]).
fn type_item(
    def: &TypeDef,
    module_of: &dyn Fn(&str) -> Option<String>,
    module: &str,
    oldest: ApiVersion,
    boxed: &BTreeSet<(TypeName, String)>,
) -> Result<TokenStream, String> {
    let name = ident(&def.name);
    let docs = doc_attrs(with_availability(def.doc.as_deref(), def.availability, oldest).as_deref());
    let deprecated = deprecated_attr(note(def.deprecated.clone(), def.doc.as_deref()).as_deref());
    let docs = quote!(#docs #deprecated);
    Ok(match &def.kind {
        TypeKind::Struct { fields } => {
            let redacting = redacting_debug(def, fields);
            let tokens = fields.iter().map(|f| {
                let boxed = boxed.contains(&(def.name.clone(), f.rust_name.clone()));
                field_tokens(f, module_of, module, oldest, def.availability, boxed)
            });
            let derive_debug = if redacting.is_some() { quote!() } else { quote!(Debug,) };
            let serde_impls = super::model_serde::struct_impls(def, fields)?;
            quote! {
                #docs
                #[derive(#derive_debug Clone, PartialEq, Default)]
                pub struct #name {
                    #(#tokens)*
                }
                #redacting
                #serde_impls
            }
        }
        TypeKind::Alias { target } => {
            let target = type_tokens(target, &in_models_module(module_of, module));
            quote! {
                #docs
                pub type #name = #target;
            }
        }
        TypeKind::StringEnum { variants, default } => string_enum(def, &docs, variants, default.as_deref(), oldest),
        TypeKind::IntegerEnum { int, variants } => integer_enum(def, &docs, *int, variants),
    })
}

/// `parent` is the struct's own availability: a field's range is said only when it differs.
/// `boxed`: the value is printed `Box<T>` (it holds the struct the field is in).
fn field_tokens(
    field: &Field,
    module_of: &dyn Fn(&str) -> Option<String>,
    module: &str,
    oldest: ApiVersion,
    parent: Availability,
    boxed: bool,
) -> TokenStream {
    let name = ident(&field.rust_name);
    let own = if field.availability == parent { Availability::ALWAYS } else { field.availability };
    let docs = doc_attrs(with_availability(field.facts.description.as_deref(), own, oldest).as_deref());
    let removed = field.availability.until.and(field.availability.doc(oldest));
    let deprecated = deprecated_attr(note(removed, field.facts.description.as_deref()).as_deref());
    let ty = type_tokens(&field.ty, &in_models_module(module_of, module));
    let ty = if boxed { quote!(Box<#ty>) } else { ty };
    quote! {
        #docs
        #deprecated
        pub #name: Option<#ty>,
    }
}

/// A description followed by the item's version range ("Since API v1.44."), when it has one.
pub fn with_availability(description: Option<&str>, availability: Availability, oldest: ApiVersion) -> Option<String> {
    let range = availability.doc(oldest);
    match (description.map(str::trim).filter(|d| !d.is_empty()), range) {
        (Some(d), Some(r)) => Some(format!("{d}\n\n{r}")),
        (d, r) => d.map(str::to_owned).or(r),
    }
}

use crate::lineage::deprecation::attribute_note as note;

/// `#[deprecated(note = "…")]` when `note` is given.
pub fn deprecated_attr(note: Option<&str>) -> TokenStream {
    match note {
        Some(note) => quote!(#[deprecated(note = #note)]),
        None => TokenStream::new(),
    }
}

fn string_enum(
    def: &TypeDef,
    docs: &TokenStream,
    variants: &[EnumVariant],
    default: Option<&str>,
    oldest: ApiVersion,
) -> TokenStream {
    let name = ident(&def.name);
    let default_variant = default.and_then(|d| variants.iter().position(|v| v.value == d));
    let variant_defs = variants.iter().enumerate().map(|(i, v)| {
        let id = ident(&v.rust_name);
        let value = if v.value.is_empty() { "The empty string `\"\"`.".to_string() } else { format!("`{}`", v.value) };
        let own = if v.availability == def.availability { Availability::ALWAYS } else { v.availability };
        let doc = doc_attrs(with_availability(Some(&value), own, oldest).as_deref());
        let deprecated = deprecated_attr(v.availability.until.and(v.availability.doc(oldest)).as_deref());
        let default_attr = (default_variant == Some(i)).then(|| quote!(#[default]));
        quote!(#doc #deprecated #default_attr #id,)
    });
    let derive_default = default_variant.map(|_| quote!(Default,));
    let to_str = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let value = &v.value;
        quote!(#name::#id => #value,)
    });
    let from_str = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let value = &v.value;
        quote!(#value => #name::#id,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #derive_default)]
        pub enum #name {
            #(#variant_defs)*
            /// A value this API version does not list, kept verbatim.
            Other(String),
        }
        impl #name {
            /// The wire text of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    #name::Other(other) => other,
                }
            }
        }
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => #name::Other(other.to_owned()),
                }
            }
        }
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        // `__` names: a model called `S` or `D` must not be captured by the parameters.
        impl serde::Serialize for #name {
            fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                let text = String::deserialize(deserializer)?;
                Ok(Self::from(text.as_str()))
            }
        }
    }
}

fn integer_enum(def: &TypeDef, docs: &TokenStream, int: IntKind, variants: &[IntVariant]) -> TokenStream {
    let name = ident(&def.name);
    let int_ty = int_tokens(int);
    let literal = |value: i64| proc_macro2::Literal::i64_unsuffixed(value);
    let variant_defs = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let doc = format!(" `{}`", v.value);
        quote!(#[doc = #doc] #id,)
    });
    let to_int = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let value = literal(v.value);
        quote!(#name::#id => #value,)
    });
    let from_int = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let value = literal(v.value);
        quote!(#value => #name::#id,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variant_defs)*
            /// A value this API version does not list, kept verbatim.
            Other(#int_ty),
        }
        impl #name {
            /// The wire value.
            pub fn value(self) -> #int_ty {
                match self {
                    #(#to_int)*
                    #name::Other(other) => other,
                }
            }
        }
        impl From<#int_ty> for #name {
            fn from(value: #int_ty) -> Self {
                match value {
                    #(#from_int)*
                    other => #name::Other(other),
                }
            }
        }
        impl serde::Serialize for #name {
            fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                serde::Serialize::serialize(&self.value(), serializer)
            }
        }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                Ok(Self::from(<#int_ty as serde::Deserialize>::deserialize(deserializer)?))
            }
        }
    }
}

/// `testing::roundtrip(rust_type, json)`: decodes `json` as the type spelled `rust_type` (every
/// named type, and every type expression an example of the spec uses) and re-encodes it.
fn testing_module(api: &Api, module_of: &dyn Fn(&str) -> Option<String>) -> TokenStream {
    let mut slots: BTreeSet<Slot> =
        api.types.keys().map(|name| Slot { ty: TypeRef::Named(name.clone()), nullable: false }).collect();
    slots.extend(api.examples.iter().map(|e| e.ty.clone()));
    let arms = slots.iter().map(|slot| {
        let key = slot.rust();
        let ty = slot_tokens(slot, &in_models_module(module_of, "testing"));
        quote!(#key => roundtrip_as::<#ty>(json),)
    });
    quote! {
        //! Decode and re-encode any model by the spelling of its Rust type.

        fn roundtrip_as<T: serde::de::DeserializeOwned + serde::Serialize>(
            json: serde_json::Value,
        ) -> Result<serde_json::Value, serde_json::Error> {
            let decoded: T = serde_json::from_value(json)?;
            serde_json::to_value(&decoded)
        }

        /// Decodes `json` as `rust_type` (as spelled by the generator, e.g. `Vec<String>`) and
        /// encodes the result again; `None` if this crate has no such type.
        pub fn roundtrip(
            rust_type: &str,
            json: serde_json::Value,
        ) -> Option<Result<serde_json::Value, serde_json::Error>> {
            Some(match rust_type {
                #(#arms)*
                _ => return None,
            })
        }
    }
}

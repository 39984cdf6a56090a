//! The `gates` module of an endpoint crate: version gates of request bodies.
//!
//! Prints [`Api::request_gates`] (decided by the lineage stage) as one `Gate` impl per struct
//! type: each gated member that is set records a requirement on the request (checked by the
//! transport after negotiation, before sending), and members whose values hold gated members
//! are walked into. The methods call it; it is public for benchmarks and tools that build
//! requests themselves.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::operation::range_tokens;
use crate::ir::{Api, MemberGate, TypeRef};

/// Whether a body of type `ty` is walked by a gate.
pub fn has_gates(api: &Api, ty: &TypeRef) -> bool {
    let needs: BTreeSet<String> = api.request_gates.keys().cloned().collect();
    crate::lineage::gates::type_has_gates(api, &needs, ty)
}

/// The module's tokens.
pub fn gates_module(api: &Api) -> TokenStream {
    let impls = api.request_gates.iter().map(|(name, members)| {
        let ty = ident(name);
        let checks = members.iter().map(member_check);
        quote! {
            impl Gate for models::#ty {
                fn gate(&self, at: &MemberPath<'_>, req: &mut Request) {
                    #(#checks)*
                }
            }
        }
    });
    quote! {
        //! Version gates of request bodies: which members a request sets that only some API
        //! versions have. Every method that sends a body calls [`Gate::gate`]; the transport
        //! checks the recorded requirements after negotiating, before anything is sent.
        #![allow(unused_imports, unused_variables)]
        use crate::{models, transport, ApiVersion};
        use transport::{MemberPath, Request};

        /// Records on `req` every member of `self` that is set and exists only in some
        /// versions, with its path below `at`.
        pub trait Gate {
            fn gate(&self, at: &MemberPath<'_>, req: &mut Request);
        }

        impl<T: Gate> Gate for Vec<T> {
            fn gate(&self, at: &MemberPath<'_>, req: &mut Request) {
                let at = at.item();
                for item in self {
                    item.gate(&at, req);
                }
            }
        }

        impl<T: Gate> Gate for std::collections::BTreeMap<String, T> {
            fn gate(&self, at: &MemberPath<'_>, req: &mut Request) {
                let at = at.value();
                for value in self.values() {
                    value.gate(&at, req);
                }
            }
        }

        impl<T: Gate> Gate for Option<T> {
            fn gate(&self, at: &MemberPath<'_>, req: &mut Request) {
                if let Some(value) = self {
                    value.gate(at, req);
                }
            }
        }

        #(#impls)*
    }
}

fn member_check(member: &MemberGate) -> TokenStream {
    let field = ident(&member.rust_name);
    let wire = &member.wire_name;
    let require = member.required.map(|range| {
        let range = range_tokens(range);
        quote!(req.require_at(&at.field(#wire), #range);)
    });
    let descend = member.descend.then(|| quote!(value.gate(&at.field(#wire), req);));
    quote! {
        if let Some(value) = &self.#field {
            #require
            #descend
        }
    }
}

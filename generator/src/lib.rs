//! The Docker Engine API code generator.
//!
//! A pipeline of pure steps — [`load`] → [`overrides`] → [`convert`] → [`ir`] → [`emit`] —
//! driven by [`regen`] and written by [`write`]. The IR is the single source of truth for the
//! generated crates and for the reports.

pub mod convert;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod matrix;
pub mod overrides;
pub mod regen;
pub mod version;
pub mod write;

pub use error::{Error, SpecError};
pub use version::ApiVersion;

//! The Docker Engine API code generator.
//!
//! A pipeline of pure steps — [`load`] → [`overrides`] → [`convert`] → [`ir`] (per version) →
//! [`lineage`] (across versions) → [`emit`] per version and [`matrix`] reports — driven by
//! [`regen`] and written by [`write`]. The IR is the single source of truth for the
//! generated crates and for the reports.

pub mod convert;
pub mod emit;
pub mod error;
pub mod ir;
pub mod lineage;
pub mod load;
pub mod matrix;
pub mod openapi3;
pub mod overrides;
pub mod parallel;
pub mod regen;
pub mod version;
pub mod write;

pub use error::{Error, SpecError};
pub use version::ApiVersion;

//! What rules ask about a release: the context, usage of values, printed numbers, the render,
//! required values and suppressions.

pub mod context;
pub mod go_form;
pub mod numbers;
pub mod objects;
pub mod pull_secrets;
pub mod render_images;
pub mod rendered;
pub mod required;
pub mod suppress;
pub mod switches;
pub mod usage;

pub use context::Context;

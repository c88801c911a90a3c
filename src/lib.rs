//! stackstate-lint: lint and policy-check values files of the StackState Helm chart.
//!
//! The library resolves every image a StackState release would pull, exactly as Helm would, and
//! remembers which file, line and key decided each part.

pub mod source;
pub mod value;
pub mod yaml;
pub mod bundle;
pub mod chart;
pub mod emit;
pub mod builtin;
pub mod catalog;
pub mod merge;
pub mod release;
pub mod resolve;
pub mod set;
pub mod version;

//! The subcommands.

pub mod images;
pub mod lint;

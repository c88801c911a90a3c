//! The subcommands.

pub mod images;

//! The subcommands.

pub mod batch;
pub mod fix;
#[cfg(test)]
mod fix_property;
pub mod images;
pub mod images_render;
pub mod lint;
pub mod meta;
pub mod outcome;
mod parallel;
pub mod render;
pub mod upgrade;
pub mod write;

//! Output formats. Only this module writes what users read.

pub mod images;

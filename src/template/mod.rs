//! A Go `text/template` engine with Sprig's and Helm's functions, carrying provenance.
//!
//! `parse` turns a template's text into `ast::Tree`s (the file and every `define` in it);
//! `exec` runs a tree against a [`value::Value`] and writes a [`value::StrBuf`] whose byte ranges
//! know the values they came from, while recording which values keys were read. Behaviour follows
//! Go's `text/template` (the release Helm 3.17 and 4 are built with), Sprig v3 and Helm's
//! `pkg/engine`; error messages are worded like theirs.

pub(crate) mod ast;
pub(crate) mod ast_pack;
pub mod cycles;
pub(crate) mod error;
mod eval;
pub(crate) mod exec;
pub(crate) mod fmt;
pub(crate) mod funcs;
pub(crate) mod go_bytes;
pub(crate) mod helm_errors;
pub(crate) mod lex;
pub(crate) mod literal;
pub(crate) mod memo;
pub(crate) mod parse;
pub(crate) mod print;
pub(crate) mod set;
mod uses;
pub mod value;
pub mod values_bridge;
mod values_methods;

pub(crate) use error::{Error, FuncError};
pub(crate) use exec::{AddressSet, Read, ReadKey, Unpicked};
pub use exec::{Exec, Limits};
pub use set::Templates;
pub(crate) use set::forget_thread_caches;
pub(crate) use value::Value;

#[cfg(test)]
mod tests;

//! A Go `text/template` engine with Sprig's and Helm's functions, carrying provenance.
//!
//! [`parse`] turns a template's text into [`ast::Tree`]s (the file and every `define` in it);
//! [`exec`] runs a tree against a [`value::Value`] and writes a [`value::StrBuf`] whose byte ranges
//! know the values they came from, while recording which values keys were read. Behaviour follows
//! Go's `text/template` (the release Helm 3.17 and 4 are built with), Sprig v3 and Helm's
//! `pkg/engine`; error messages are worded like theirs.

pub mod ast;
pub mod ast_pack;
pub mod error;
mod eval;
pub mod exec;
pub mod fmt;
pub mod funcs;
pub mod lex;
pub mod literal;
pub mod parse;
pub mod print;
pub mod set;
mod uses;
pub mod value;
pub mod values_bridge;

pub use error::{Error, FuncError};
pub use exec::{AddressSet, Exec, Limits, Read, ReadKey};
pub use set::Templates;
pub use value::{Str, StrBuf, Value};

#[cfg(test)]
mod tests;

//! The lexer (Go's `parse/lex.go`). Being written.

//! BurntSushi/toml's lexer (`lex.go`): a state machine that hands the parser one item at a
//! time, run only as far as the parser pulls, so the first error the parser meets is the one
//! Go reports. From v1.6.0 (Helm 3.20, 4.1) it always lexes TOML 1.1: `\e` and `\xHH` escapes,
//! newlines and a trailing comma in inline tables; v1.4.0 and v1.5.0 lex 1.0, v1.5.0 naming
//! other lines in a few errors and spelling "hexadecimal" right.
//!
//! Positions matter only for the line an error names; column data is not kept.

use crate::template::go_bytes::decode_rune;
use std::collections::VecDeque;

use super::super::super::fmt::{quote, quote_rune};

/// What an item is (`itemType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ty {
    Error,
    Eof,
    Text,
    String,
    StringEsc,
    RawString,
    MultilineString,
    RawMultilineString,
    Bool,
    Integer,
    Float,
    Datetime,
    Array,
    ArrayEnd,
    TableStart,
    TableEnd,
    ArrayTableStart,
    ArrayTableEnd,
    KeyStart,
    KeyEnd,
    CommentStart,
    InlineTableStart,
    InlineTableEnd,
}

/// One lexed item: its text, or for [`Ty::Error`] the message; `line` is where Go says it is.
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub(super) ty: Ty,
    pub(super) val: String,
    pub(super) line: i64,
}

/// The states (`stateFn`s) of the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum St {
    Top,
    TopEnd,
    TableStart,
    TableEnd,
    ArrayTableEnd,
    TableNameStart,
    TableNameEnd,
    BareName,
    QuotedName,
    KeyStart,
    KeyNameStart,
    KeyEnd,
    Value,
    ArrayValue,
    ArrayValueEnd,
    ArrayEnd,
    InlineTableValue,
    InlineTableValueEnd,
    InlineTableEnd,
    Str,
    MultilineStr,
    RawStr,
    MultilineRawStr,
    MultilineStrEscape,
    StrEscape,
    HexEscape,
    ShortUnicodeEscape,
    LongUnicodeEscape,
    NumberOrDateStart,
    NumberOrDate,
    Datetime,
    HexInteger,
    OctalInteger,
    BinaryInteger,
    DecimalNumber,
    DecimalNumberStart,
    BaseNumberOrDate,
    Float,
    Bool,
    CommentStart,
    Comment,
}

/// The end of input, as Go's lexer spells it.
const EOF: u32 = 0;
/// `utf8.RuneError`.
const RUNE_ERROR: u32 = 0xFFFD;

/// The lexer (`lexer`).
pub(super) struct Lexer<'a> {
    input: &'a [u8],
    start: usize,
    pos: usize,
    line: i64,
    state: Option<St>,
    items: VecDeque<Item>,
    esc: bool,
    prev_widths: [usize; 4],
    nprev: usize,
    at_eof: bool,
    stack: Vec<St>,
    /// TOML 1.1 (v1.6.0).
    v110: bool,
    /// v1.5.0's error lines and words.
    v150: bool,
}

fn is_whitespace(r: u32) -> bool {
    r == u32::from('\t') || r == u32::from(' ')
}
fn is_nl(r: u32) -> bool {
    r == u32::from('\n') || r == u32::from('\r')
}
fn is_control(r: u32) -> bool {
    !matches!(r, 0x09 | 0x0a | 0x0d) && (r <= 0x1f || r == 0x7f)
}
fn is_digit(r: u32) -> bool {
    (0x30..=0x39).contains(&r)
}
fn is_binary(r: u32) -> bool {
    r == 0x30 || r == 0x31
}
fn is_octal(r: u32) -> bool {
    (0x30..=0x37).contains(&r)
}
pub(super) fn is_hex(r: u32) -> bool {
    is_digit(r) || (0x61..=0x66).contains(&(r | 0x20))
}
fn is_bare_key_char(r: u32) -> bool {
    char::from_u32(r).is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}
fn is_letter(r: u32) -> bool {
    char::from_u32(r).is_some_and(char::is_alphabetic) && r != RUNE_ERROR
}
fn ch(c: char) -> u32 {
    u32::from(c)
}

/// Go's `%q` of a rune.
fn q(r: u32) -> String {
    quote_rune(r)
}

impl<'a> Lexer<'a> {
    /// A lexer as BurntSushi/toml 1.`toml` lexes.
    pub(super) fn new(input: &'a [u8], toml: u8) -> Lexer<'a> {
        Lexer {
            input,
            start: 0,
            pos: 0,
            line: 1,
            state: Some(St::Top),
            items: VecDeque::new(),
            esc: false,
            prev_widths: [0; 4],
            nprev: 0,
            at_eof: false,
            stack: Vec::new(),
            v110: toml >= 6,
            v150: toml >= 5,
        }
    }

    /// The next item (`nextItem`); `Err` for one of Go's panics (a lexer bug).
    pub(super) fn next_item(&mut self) -> Result<Item, String> {
        loop {
            if let Some(item) = self.items.pop_front() {
                return Ok(item);
            }
            let Some(state) = self.state else {
                return Err(
                    "runtime error: invalid memory address or nil pointer dereference".into(),
                );
            };
            self.state = self.step(state)?;
        }
    }

    fn push(&mut self, s: St) {
        self.stack.push(s);
    }

    fn pop(&mut self) -> Result<Option<St>, String> {
        match self.stack.pop() {
            Some(s) => Ok(Some(s)),
            None => Err("BUG in lexer: no states to pop".into()),
        }
    }

    fn current(&self) -> String {
        let b = self.input.get(self.start..self.pos).unwrap_or_default();
        String::from_utf8_lossy(b).into_owned()
    }

    fn emit(&mut self, ty: Ty) {
        if self.start > self.pos {
            let b = self.input.get(self.pos).copied().unwrap_or(0);
            self.error(format!("invalid UTF-8 byte: 0x{b:02x}"));
            return;
        }
        let val = self.current();
        self.items.push_back(Item {
            ty,
            val,
            line: self.line,
        });
        self.start = self.pos;
    }

    fn emit_trim(&mut self, ty: Ty) {
        let val = self.current().trim().to_string();
        self.items.push_back(Item {
            ty,
            val,
            line: self.line,
        });
        self.start = self.pos;
    }

    fn next(&mut self) -> Result<u32, String> {
        if self.at_eof {
            return Err("BUG in lexer: next called after EOF".into());
        }
        if self.pos >= self.input.len() {
            self.at_eof = true;
            return Ok(EOF);
        }
        if self.input[self.pos] == b'\n' {
            self.line += 1;
        }
        self.prev_widths.copy_within(0..3, 1);
        if self.nprev < 4 {
            self.nprev += 1;
        }
        let (r, w) = decode_rune(&self.input[self.pos..]);
        if r == RUNE_ERROR && w == 1 {
            let b = self.input[self.pos];
            self.error(format!("invalid UTF-8 byte: 0x{b:02x}"));
            return Ok(RUNE_ERROR);
        }
        let lone_cr = r == ch('\r') && self.input.get(self.pos + 1) != Some(&b'\n');
        if is_control(r) || lone_cr {
            self.items.push_back(Item {
                ty: Ty::Error,
                val: format!("TOML files cannot contain control characters: '0x{r:02x}'"),
                line: self.line,
            });
            return Ok(RUNE_ERROR);
        }
        self.prev_widths[0] = w;
        self.pos += w;
        Ok(r)
    }

    fn ignore(&mut self) {
        self.start = self.pos;
    }

    fn backup(&mut self) -> Result<(), String> {
        if self.at_eof {
            self.at_eof = false;
            return Ok(());
        }
        if self.nprev < 1 {
            return Err("BUG in lexer: backed up too far".into());
        }
        let w = self.prev_widths[0];
        self.prev_widths.copy_within(1..4, 0);
        self.nprev -= 1;
        self.pos = self.pos.saturating_sub(w);
        if self.input.get(self.pos) == Some(&b'\n') {
            self.line -= 1;
        }
        Ok(())
    }

    fn accept(&mut self, valid: char) -> Result<bool, String> {
        if self.next()? == ch(valid) {
            return Ok(true);
        }
        self.backup()?;
        Ok(false)
    }

    fn peek(&mut self) -> Result<u32, String> {
        let r = self.next()?;
        self.backup()?;
        Ok(r)
    }

    fn skip(&mut self, pred: fn(u32) -> bool) -> Result<(), String> {
        loop {
            let r = self.next()?;
            if !pred(r) {
                self.backup()?;
                self.ignore();
                return Ok(());
            }
        }
    }

    /// `error`: an error item; at the end of input, on the line before (`errorPrevLine`).
    fn error(&mut self, msg: String) -> Option<St> {
        if self.at_eof {
            return self.error_prev_line(msg);
        }
        self.items.push_back(Item {
            ty: Ty::Error,
            val: msg,
            line: self.line,
        });
        None
    }

    fn error_prev_line(&mut self, msg: String) -> Option<St> {
        let line = self.line - 1;
        self.items.push_back(Item {
            ty: Ty::Error,
            val: msg,
            line,
        });
        None
    }

    /// `errorf`: at the end of input v1.4.0 names the line before; v1.5.0 only when the input
    /// ends in a newline.
    fn errorf(&mut self, msg: String) -> Option<St> {
        let mut line = self.line;
        if self.at_eof {
            let after_nl = self.pos >= 1 && self.input.get(self.pos - 1) == Some(&b'\n');
            if !self.v150 || after_nl {
                line -= 1;
            }
        }
        self.items.push_back(Item {
            ty: Ty::Error,
            val: msg,
            line,
        });
        None
    }

    /// Run one state; the state to run next (`None`: stop).
    fn step(&mut self, st: St) -> Result<Option<St>, String> {
        Ok(match st {
            St::Top => self.top()?,
            St::TopEnd => self.top_end()?,
            St::TableStart => {
                if self.peek()? == ch('[') {
                    self.next()?;
                    self.emit(Ty::ArrayTableStart);
                    self.push(St::ArrayTableEnd);
                } else {
                    self.emit(Ty::TableStart);
                    self.push(St::TableEnd);
                }
                Some(St::TableNameStart)
            }
            St::TableEnd => {
                self.emit(Ty::TableEnd);
                Some(St::TopEnd)
            }
            St::ArrayTableEnd => {
                let r = self.next()?;
                if r != ch(']') {
                    return Ok(self.errorf(format!(
                        "expected end of table array name delimiter ']', but got {} instead",
                        q(r)
                    )));
                }
                self.emit(Ty::ArrayTableEnd);
                Some(St::TopEnd)
            }
            St::TableNameStart => {
                self.skip(is_whitespace)?;
                let r = self.peek()?;
                if r == ch(']') || r == EOF {
                    self.errorf("unexpected end of table name (table names cannot be empty)".into())
                } else if r == ch('.') {
                    self.errorf("unexpected table separator (table names cannot be empty)".into())
                } else if r == ch('"') || r == ch('\'') {
                    self.ignore();
                    self.push(St::TableNameEnd);
                    Some(St::QuotedName)
                } else {
                    self.push(St::TableNameEnd);
                    Some(St::BareName)
                }
            }
            St::TableNameEnd => {
                self.skip(is_whitespace)?;
                let r = self.next()?;
                if is_whitespace(r) {
                    Some(St::TableNameEnd)
                } else if r == ch('.') {
                    self.ignore();
                    Some(St::TableNameStart)
                } else if r == ch(']') {
                    self.pop()?
                } else {
                    self.errorf(format!(
                        "expected '.' or ']' to end table name, but got {} instead",
                        q(r)
                    ))
                }
            }
            St::BareName => {
                let r = self.next()?;
                if is_bare_key_char(r) {
                    return Ok(Some(St::BareName));
                }
                self.backup()?;
                self.emit(Ty::Text);
                self.pop()?
            }
            St::QuotedName => {
                let r = self.next()?;
                if r == ch('"') {
                    self.ignore();
                    Some(St::Str)
                } else if r == ch('\'') {
                    self.ignore();
                    Some(St::RawStr)
                } else if is_whitespace(r) {
                    self.ignore();
                    Some(St::Value)
                } else if r == EOF {
                    self.errorf("unexpected EOF; expected value".into())
                } else {
                    self.errorf(format!("expected value but found {} instead", q(r)))
                }
            }
            St::KeyStart => {
                self.skip(is_whitespace)?;
                let r = self.peek()?;
                if r == ch('=') || r == EOF {
                    return Ok(self.errorf("unexpected '=': key name appears blank".into()));
                }
                if r == ch('.') {
                    return Ok(self.errorf("unexpected '.': keys cannot start with a '.'".into()));
                }
                if r == ch('"') || r == ch('\'') {
                    self.ignore();
                }
                self.emit(Ty::KeyStart);
                Some(St::KeyNameStart)
            }
            St::KeyNameStart => {
                self.skip(is_whitespace)?;
                let r = self.peek()?;
                if r == ch('"') || r == ch('\'') {
                    self.ignore();
                    self.push(St::KeyEnd);
                    Some(St::QuotedName)
                } else if r == ch('=') || r == EOF {
                    self.errorf("unexpected '='".into())
                } else if r == ch('.') {
                    self.errorf("unexpected '.'".into())
                } else {
                    self.push(St::KeyEnd);
                    Some(St::BareName)
                }
            }
            St::KeyEnd => self.key_end()?,
            St::Value => self.value()?,
            St::ArrayValue => {
                let r = self.next()?;
                if is_whitespace(r) || is_nl(r) {
                    self.ignore();
                    Some(St::ArrayValue)
                } else if r == ch('#') {
                    self.push(St::ArrayValue);
                    Some(St::CommentStart)
                } else if r == ch(',') {
                    self.errorf("unexpected comma".into())
                } else if r == ch(']') {
                    Some(St::ArrayEnd)
                } else {
                    self.backup()?;
                    self.push(St::ArrayValueEnd);
                    Some(St::Value)
                }
            }
            St::ArrayValueEnd => {
                let r = self.next()?;
                if is_whitespace(r) || is_nl(r) {
                    self.ignore();
                    Some(St::ArrayValueEnd)
                } else if r == ch('#') {
                    self.push(St::ArrayValueEnd);
                    Some(St::CommentStart)
                } else if r == ch(',') {
                    self.ignore();
                    Some(St::ArrayValue)
                } else if r == ch(']') {
                    Some(St::ArrayEnd)
                } else {
                    self.errorf(format!(
                        "expected a comma (',') or array terminator (']'), but got {}",
                        rune_or_eof(r)
                    ))
                }
            }
            St::ArrayEnd => {
                self.ignore();
                self.emit(Ty::ArrayEnd);
                self.pop()?
            }
            St::InlineTableValue => self.inline_table_value()?,
            St::InlineTableValueEnd => self.inline_table_value_end()?,
            St::InlineTableEnd => {
                self.ignore();
                self.emit(Ty::InlineTableEnd);
                self.pop()?
            }
            St::Str => self.string()?,
            St::MultilineStr => self.multiline_string()?,
            St::RawStr => {
                let r = self.next()?;
                if r == EOF {
                    self.errorf("unexpected EOF; expected \"'\"".into())
                } else if is_nl(r) {
                    self.error_prev_line("strings cannot contain newlines".into())
                } else if r == ch('\'') {
                    self.backup()?;
                    self.emit(Ty::RawString);
                    self.next()?;
                    self.ignore();
                    self.pop()?
                } else {
                    Some(St::RawStr)
                }
            }
            St::MultilineRawStr => self.multiline_raw_string()?,
            St::MultilineStrEscape => {
                if is_nl(self.next()?) {
                    return Ok(Some(St::MultilineStr));
                }
                self.backup()?;
                self.push(St::MultilineStr);
                self.string_escape()?
            }
            St::StrEscape => self.string_escape()?,
            St::HexEscape => self.hex_escape(2, 'x', "two")?,
            St::ShortUnicodeEscape => self.hex_escape(4, 'u', "four")?,
            St::LongUnicodeEscape => self.hex_escape(8, 'U', "eight")?,
            St::NumberOrDateStart => {
                let r = self.next()?;
                if r == ch('0') {
                    Some(St::BaseNumberOrDate)
                } else if !self.v110 && !is_digit(r) {
                    self.errorf(format!("expected a digit but got {}", q(r)))
                } else {
                    Some(St::NumberOrDate)
                }
            }
            St::NumberOrDate => {
                let r = self.next()?;
                if is_digit(r) {
                    return Ok(Some(St::NumberOrDate));
                }
                match char::from_u32(r) {
                    Some('-' | ':') => Some(St::Datetime),
                    Some('_') => Some(St::DecimalNumber),
                    Some('.' | 'e' | 'E') => Some(St::Float),
                    _ => self.emit_number(Ty::Integer)?,
                }
            }
            St::Datetime => {
                let r = self.next()?;
                if is_digit(r) {
                    return Ok(Some(St::Datetime));
                }
                match char::from_u32(r) {
                    Some('-' | ':' | 'T' | 't' | ' ' | '.' | 'Z' | 'z' | '+') => Some(St::Datetime),
                    _ => {
                        self.backup()?;
                        self.emit_trim(Ty::Datetime);
                        self.pop()?
                    }
                }
            }
            St::HexInteger => self.base_integer(St::HexInteger, is_hex)?,
            St::OctalInteger => self.base_integer(St::OctalInteger, is_octal)?,
            St::BinaryInteger => self.base_integer(St::BinaryInteger, is_binary)?,
            St::DecimalNumber => {
                let r = self.next()?;
                if is_digit(r) {
                    return Ok(Some(St::DecimalNumber));
                }
                match char::from_u32(r) {
                    Some('.' | 'e' | 'E') => Some(St::Float),
                    Some('_') => Some(St::DecimalNumber),
                    _ => self.emit_number(Ty::Integer)?,
                }
            }
            St::DecimalNumberStart => self.decimal_number_start()?,
            St::BaseNumberOrDate => self.base_number_or_date()?,
            St::Float => {
                let r = self.next()?;
                if is_digit(r) {
                    return Ok(Some(St::Float));
                }
                match char::from_u32(r) {
                    Some('_' | '.' | '-' | '+' | 'e' | 'E') => Some(St::Float),
                    _ => self.emit_number(Ty::Float)?,
                }
            }
            St::Bool => {
                let mut word = String::new();
                loop {
                    let r = self.next()?;
                    if !is_letter(r) {
                        self.backup()?;
                        break;
                    }
                    word.extend(char::from_u32(r));
                }
                if word == "true" || word == "false" {
                    self.emit(Ty::Bool);
                    self.pop()?
                } else {
                    self.errorf(format!("expected value but found {} instead", quote(&word)))
                }
            }
            St::CommentStart => {
                self.ignore();
                self.emit(Ty::CommentStart);
                Some(St::Comment)
            }
            St::Comment => {
                let r = self.next()?;
                if is_nl(r) || r == EOF {
                    self.backup()?;
                    self.emit(Ty::Text);
                    self.pop()?
                } else {
                    Some(St::Comment)
                }
            }
        })
    }

    fn emit_number(&mut self, ty: Ty) -> Result<Option<St>, String> {
        self.backup()?;
        self.emit(ty);
        self.pop()
    }

    fn top(&mut self) -> Result<Option<St>, String> {
        let r = self.next()?;
        if is_whitespace(r) || is_nl(r) {
            self.ignore();
            return Ok(Some(St::Top));
        }
        if r == ch('#') {
            self.push(St::Top);
            return Ok(Some(St::CommentStart));
        }
        if r == ch('[') {
            return Ok(Some(St::TableStart));
        }
        if r == EOF {
            if self.pos > self.start {
                return Ok(self.errorf("unexpected EOF".into()));
            }
            self.emit(Ty::Eof);
            return Ok(None);
        }
        self.backup()?;
        self.push(St::TopEnd);
        Ok(Some(St::KeyStart))
    }

    fn top_end(&mut self) -> Result<Option<St>, String> {
        let r = self.next()?;
        Ok(if r == ch('#') {
            self.push(St::Top);
            Some(St::CommentStart)
        } else if is_whitespace(r) {
            Some(St::TopEnd)
        } else if is_nl(r) {
            self.ignore();
            Some(St::Top)
        } else if r == EOF {
            self.emit(Ty::Eof);
            None
        } else {
            self.errorf(format!(
                "expected a top-level item to end with a newline, comment, or EOF, but got {} instead",
                q(r)
            ))
        })
    }

    fn key_end(&mut self) -> Result<Option<St>, String> {
        self.skip(is_whitespace)?;
        let r = self.next()?;
        Ok(if is_whitespace(r) {
            self.ignore();
            Some(St::KeyEnd)
        } else if r == EOF {
            self.errorf("unexpected EOF; expected key separator '='".into())
        } else if r == ch('.') {
            self.ignore();
            Some(St::KeyNameStart)
        } else if r == ch('=') {
            self.emit(Ty::KeyEnd);
            self.ignore();
            Some(St::Value)
        } else {
            let msg = format!("expected '.' or '=', but got {} instead", q(r));
            if self.v150 && r == ch('\n') {
                self.error_prev_line(msg)
            } else {
                self.errorf(msg)
            }
        })
    }

    fn value(&mut self) -> Result<Option<St>, String> {
        let r = self.next()?;
        if is_whitespace(r) {
            self.ignore();
            return Ok(Some(St::Value));
        }
        if is_digit(r) {
            self.backup()?;
            return Ok(Some(St::NumberOrDateStart));
        }
        if matches!(char::from_u32(r), Some('i' | 'n'))
            && ((self.accept('n')? && self.accept('f')?)
                || (self.accept('a')? && self.accept('n')?))
        {
            self.emit(Ty::Float);
            return self.pop();
        }
        match char::from_u32(r) {
            Some('[') => {
                self.ignore();
                self.emit(Ty::Array);
                return Ok(Some(St::ArrayValue));
            }
            Some('{') => {
                self.ignore();
                self.emit(Ty::InlineTableStart);
                return Ok(Some(St::InlineTableValue));
            }
            Some(qc @ ('"' | '\'')) => {
                if self.accept(qc)? {
                    if self.accept(qc)? {
                        self.ignore();
                        return Ok(Some(if qc == '"' {
                            St::MultilineStr
                        } else {
                            St::MultilineRawStr
                        }));
                    }
                    self.backup()?;
                }
                self.ignore();
                return Ok(Some(if qc == '"' { St::Str } else { St::RawStr }));
            }
            Some('.') => {
                return Ok(self.errorf("floats must start with a digit, not '.'".into()));
            }
            Some('-' | '+') => return Ok(Some(St::DecimalNumberStart)),
            _ => {}
        }
        if is_letter(r) {
            self.backup()?;
            return Ok(Some(St::Bool));
        }
        if r == EOF {
            return Ok(self.errorf("unexpected EOF; expected value".into()));
        }
        let msg = format!("expected value but found {} instead", q(r));
        Ok(if self.v150 && r == ch('\n') {
            self.error_prev_line(msg)
        } else {
            self.errorf(msg)
        })
    }

    fn inline_table_value(&mut self) -> Result<Option<St>, String> {
        let r = self.next()?;
        Ok(if is_whitespace(r) {
            self.ignore();
            Some(St::InlineTableValue)
        } else if is_nl(r) {
            self.inline_newline(St::InlineTableValue)
        } else if r == ch('#') {
            self.push(St::InlineTableValue);
            Some(St::CommentStart)
        } else if r == ch(',') {
            self.errorf("unexpected comma".into())
        } else if r == ch('}') {
            Some(St::InlineTableEnd)
        } else {
            self.backup()?;
            self.push(St::InlineTableValueEnd);
            Some(St::KeyStart)
        })
    }

    /// A newline in an inline table: skipped under TOML 1.1, an error under 1.0.
    fn inline_newline(&mut self, next: St) -> Option<St> {
        if self.v110 {
            self.ignore();
            return Some(next);
        }
        self.error_prev_line("newlines not allowed within inline tables".into())
    }

    fn inline_table_value_end(&mut self) -> Result<Option<St>, String> {
        let r = self.next()?;
        Ok(if is_whitespace(r) {
            self.ignore();
            Some(St::InlineTableValueEnd)
        } else if is_nl(r) {
            self.inline_newline(St::InlineTableValueEnd)
        } else if r == ch('#') {
            self.push(St::InlineTableValueEnd);
            Some(St::CommentStart)
        } else if r == ch(',') {
            self.ignore();
            self.skip(is_whitespace)?;
            if self.peek()? == ch('}') {
                if self.v110 {
                    return Ok(Some(St::InlineTableValueEnd));
                }
                return Ok(self.errorf("trailing comma not allowed in inline tables".into()));
            }
            Some(St::InlineTableValue)
        } else if r == ch('}') {
            Some(St::InlineTableEnd)
        } else {
            self.errorf(format!(
                "expected a comma or an inline table terminator '}}', but got {} instead",
                rune_or_eof(r)
            ))
        })
    }

    fn string(&mut self) -> Result<Option<St>, String> {
        let r = self.next()?;
        Ok(if r == EOF {
            self.errorf("unexpected EOF; expected '\"'".into())
        } else if is_nl(r) {
            self.error_prev_line("strings cannot contain newlines".into())
        } else if r == ch('\\') {
            self.push(St::Str);
            Some(St::StrEscape)
        } else if r == ch('"') {
            self.backup()?;
            if self.esc {
                self.esc = false;
                self.emit(Ty::StringEsc);
            } else {
                self.emit(Ty::String);
            }
            self.next()?;
            self.ignore();
            self.pop()?
        } else {
            Some(St::Str)
        })
    }

    fn multiline_string(&mut self) -> Result<Option<St>, String> {
        let r = self.next()?;
        if r == EOF {
            return Ok(self.errorf("unexpected EOF; expected '\"\"\"'".into()));
        }
        if r == ch('\\') {
            return Ok(Some(St::MultilineStrEscape));
        }
        if r == ch('"') {
            // Six quotes end the string with a quote too many, unless the first is escaped.
            let six = |cur: &str| cur.ends_with(r#"""""""#) && !cur.ends_with(r#"\""""""#);
            let error = r#"unexpected '""""""'"#;
            let state = (St::MultilineStr, Ty::MultilineString);
            return self.multiline_quote('"', state, six, error);
        }
        Ok(Some(St::MultilineStr))
    }

    fn multiline_raw_string(&mut self) -> Result<Option<St>, String> {
        let r = self.next()?;
        if r == EOF {
            return Ok(self.errorf("unexpected EOF; expected \"'''\"".into()));
        }
        if r == ch('\'') {
            let six = |cur: &str| cur.ends_with("'''''");
            let error = "unexpected \"''''''\"";
            let state = (St::MultilineRawStr, Ty::RawMultilineString);
            return self.multiline_quote('\'', state, six, error);
        }
        Ok(Some(St::MultilineRawStr))
    }

    /// After a quote `q` inside a multi-line string (`state`): three in a row end it (as a
    /// `ty` item; a fourth and fifth before them belong to the text), fewer are text.
    fn multiline_quote(
        &mut self,
        q: char,
        (state, ty): (St, Ty),
        six: impl Fn(&str) -> bool,
        error: &str,
    ) -> Result<Option<St>, String> {
        if !self.accept(q)? {
            return Ok(Some(state));
        }
        if !self.accept(q)? {
            self.backup()?;
            return Ok(Some(state));
        }
        if self.peek()? == ch(q) {
            if six(&self.current()) {
                return Ok(self.errorf(error.into()));
            }
            self.backup()?;
            self.backup()?;
            return Ok(Some(state));
        }
        self.backup()?;
        self.backup()?;
        self.backup()?;
        if q == '"' {
            self.esc = false;
        }
        self.emit(ty);
        self.next()?;
        self.next()?;
        self.next()?;
        self.ignore();
        self.pop()
    }

    fn string_escape(&mut self) -> Result<Option<St>, String> {
        self.esc = true;
        let r = self.next()?;
        let escape_error = |r: u32| {
            let c = char::from_u32(r).unwrap_or('\u{FFFD}');
            format!("invalid escape in string '\\{c}'")
        };
        match char::from_u32(r) {
            Some('e' | 'x') if !self.v110 => Ok(self.error(escape_error(r))),
            Some('e' | 'b' | 't' | 'n' | 'f' | 'r' | '"' | ' ' | '\t' | '\\') => self.pop(),
            Some('x') => Ok(Some(St::HexEscape)),
            Some('u') => Ok(Some(St::ShortUnicodeEscape)),
            Some('U') => Ok(Some(St::LongUnicodeEscape)),
            _ => Ok(self.error(escape_error(r))),
        }
    }

    fn hex_escape(&mut self, n: usize, letter: char, count: &str) -> Result<Option<St>, String> {
        for _ in 0..n {
            let r = self.next()?;
            if !is_hex(r) {
                let cur = quote(&self.current());
                return Ok(self.errorf(format!(
                    "expected {count} hexadecimal digits after '\\{letter}', but got {cur} instead"
                )));
            }
        }
        self.pop()
    }

    fn base_integer(&mut self, again: St, digit: fn(u32) -> bool) -> Result<Option<St>, String> {
        let r = self.next()?;
        if digit(r) || r == ch('_') {
            return Ok(Some(again));
        }
        self.emit_number(Ty::Integer)
    }

    fn decimal_number_start(&mut self) -> Result<Option<St>, String> {
        let r = self.next()?;
        match char::from_u32(r) {
            Some(c @ ('i' | 'n')) => {
                let ok = if c == 'i' {
                    self.accept('n')? && self.accept('f')?
                } else {
                    self.accept('a')? && self.accept('n')?
                };
                if !ok {
                    let cur = self.current();
                    return Ok(self.errorf(format!("invalid float: '{cur}'")));
                }
                self.emit(Ty::Float);
                return self.pop();
            }
            Some('0') => {
                let p = self.peek()?;
                if let Some(pc @ ('b' | 'o' | 'x')) = char::from_u32(p) {
                    let cur = self.current();
                    return Ok(self.errorf(format!(
                        "cannot use sign with non-decimal numbers: '{cur}{pc}'"
                    )));
                }
            }
            Some('.') => {
                return Ok(self.errorf("floats must start with a digit, not '.'".into()));
            }
            _ => {}
        }
        if is_digit(r) {
            return Ok(Some(St::DecimalNumber));
        }
        Ok(self.errorf(format!("expected a digit but got {}", q(r))))
    }

    fn base_number_or_date(&mut self) -> Result<Option<St>, String> {
        let r = self.next()?;
        if is_digit(r) {
            return Ok(Some(St::NumberOrDate));
        }
        let (next, valid, what): (St, fn(u32) -> bool, &str) = match char::from_u32(r) {
            Some('_') => return Ok(Some(St::DecimalNumber)),
            Some('.' | 'e' | 'E') => return Ok(Some(St::Float)),
            Some('b') => (St::BinaryInteger, is_binary, "a binary"),
            Some('o') => (St::OctalInteger, is_octal, "an octal"),
            Some('x') if self.v150 => (St::HexInteger, is_hex, "a hexadecimal"),
            Some('x') => (St::HexInteger, is_hex, "a hexidecimal"),
            _ => return self.emit_number(Ty::Integer),
        };
        let p = self.peek()?;
        if !valid(p) {
            // NOTE: Go drops the state this returns and lexes on; the error item is already
            // queued, so the parser stops at it.
            let cur = self.current();
            let pc = char::from_u32(p).unwrap_or('\u{FFFD}');
            let pc = if p == EOF {
                "\0".to_string()
            } else {
                pc.to_string()
            };
            self.errorf(format!("not {what} number: '{cur}{pc}'"));
        }
        Ok(Some(next))
    }
}

/// `runeOrEOF`.
fn rune_or_eof(r: u32) -> String {
    if r == EOF {
        return "end of file".into();
    }
    format!("'{}'", char::from_u32(r).unwrap_or('\u{FFFD}'))
}

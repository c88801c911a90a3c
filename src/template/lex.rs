//! The lexer (Go's `text/template/parse/lex.go`): a small state machine over the template text.
//!
//! It is a faithful port, down to the line counting, because parse errors print the line of the
//! token the parser last read: trim markers (`{{- ` / ` -}}`, the marker needs ASCII whitespace
//! on its inner side), comments (skipped, Go's `ParseComments` mode is never used), newlines
//! inside actions (allowed since Go 1.16), and `break`/`continue` being keywords only when no
//! function of that name exists.

use super::ast::Pos;
use super::literal::{fmt_q, fmt_u};

/// The kind of a token (Go's `itemType`); the order matters: keywords come after `Keyword`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ItemType {
    /// A lexing error; the value is the message.
    Error,
    /// `true` or `false`.
    Bool,
    /// Any other printable ASCII character (`,`, `=`…).
    Char,
    /// A character constant such as `'a'`.
    CharConstant,
    /// A complex constant (`1+2i`).
    Complex,
    /// `=`.
    Assign,
    /// `:=`.
    Declare,
    /// The end of the input.
    Eof,
    /// `.name`.
    Field,
    /// A name not starting with `.` or `$`.
    Identifier,
    /// `{{`.
    LeftDelim,
    /// `(`.
    LeftParen,
    /// A number.
    Number,
    /// `|`.
    Pipe,
    /// A raw string, with its backquotes.
    RawString,
    /// `}}`.
    RightDelim,
    /// `)`.
    RightParen,
    /// A run of spaces, tabs and newlines inside an action.
    Space,
    /// A quoted string, with its quotes.
    String,
    /// Text outside actions.
    Text,
    /// `$` or `$name`.
    Variable,
    /// Delimits the keywords below; never produced.
    Keyword,
    /// `block`.
    Block,
    /// `break`.
    Break,
    /// `continue`.
    Continue,
    /// `.` alone.
    Dot,
    /// `define`.
    Define,
    /// `else`.
    Else,
    /// `end`.
    End,
    /// `if`.
    If,
    /// `nil`.
    Nil,
    /// `range`.
    Range,
    /// `template`.
    Template,
    /// `with`.
    With,
}

/// One token.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item<'a> {
    /// Its kind.
    pub(crate) typ: ItemType,
    /// Byte offset of its start.
    pub(crate) pos: Pos,
    /// Its text (empty for an error: the message is [`Lexer::error`]).
    pub(crate) val: &'a str,
    /// The line it starts on.
    pub(crate) line: usize,
}

impl std::fmt::Display for Item<'_> {
    /// Go's `item.String`, used in "unexpected X in Y" messages (not for errors).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.typ {
            ItemType::Eof => f.write_str("EOF"),
            ItemType::Error => f.write_str("error"),
            t if t > ItemType::Keyword => write!(f, "<{}>", self.val),
            _ if self.val.len() > 10 => {
                let head: String = self.val.chars().take(10).collect();
                write!(f, "{}...", fmt_q(&head))
            }
            _ => f.write_str(&fmt_q(self.val)),
        }
    }
}

fn keyword(word: &str) -> Option<ItemType> {
    Some(match word {
        "." => ItemType::Dot,
        "block" => ItemType::Block,
        "break" => ItemType::Break,
        "continue" => ItemType::Continue,
        "define" => ItemType::Define,
        "else" => ItemType::Else,
        "end" => ItemType::End,
        "if" => ItemType::If,
        "range" => ItemType::Range,
        "nil" => ItemType::Nil,
        "template" => ItemType::Template,
        "with" => ItemType::With,
        _ => return None,
    })
}

const LEFT_DELIM: &str = "{{";
const RIGHT_DELIM: &str = "}}";
const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";
/// The trim marker plus the whitespace beside it.
const TRIM_MARKER_LEN: usize = 2;
const EOF: Option<char> = None;

/// The lexer's states (Go's state functions).
#[derive(Debug, Clone, Copy)]
enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
    Space,
    Identifier,
    Field,
    Variable,
    Char,
    Number,
    Quote,
    RawQuote,
}

/// What a state function does next: move to another state, or hand the pending item over.
enum Step {
    Go(State),
    Emit,
}

/// The scanner; call [`Lexer::next_item`] until it returns `Eof` or `Error`.
#[derive(Debug)]
pub(crate) struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    at_eof: bool,
    paren_depth: usize,
    line: usize,
    start_line: usize,
    item: Option<Item<'a>>,
    error: String,
    inside_action: bool,
    break_ok: bool,
    continue_ok: bool,
    /// Whether a comment's line breaks count (see [`parse::Syntax`](super::parse::Syntax)).
    pub(crate) comment_lines: bool,
}

impl<'a> Lexer<'a> {
    /// A lexer over `input`; `break_ok`/`continue_ok` say whether those words are keywords.
    pub(crate) fn new(input: &'a str, break_ok: bool, continue_ok: bool) -> Lexer<'a> {
        Lexer {
            input,
            pos: 0,
            start: 0,
            at_eof: false,
            paren_depth: 0,
            line: 1,
            start_line: 1,
            item: None,
            error: String::new(),
            inside_action: false,
            break_ok,
            continue_ok,
            comment_lines: true,
        }
    }

    /// The message of the `Error` token, once one was produced.
    pub(crate) fn error(&self) -> &str {
        &self.error
    }

    /// The next token.
    pub(crate) fn next_item(&mut self) -> Item<'a> {
        self.item = None;
        let mut state = if self.inside_action {
            State::InsideAction
        } else {
            State::Text
        };
        while let Step::Go(next) = self.step(state) {
            state = next;
        }
        let eof = Item {
            typ: ItemType::Eof,
            pos: self.pos as Pos,
            val: "EOF",
            line: self.start_line,
        };
        self.item.take().unwrap_or(eof)
    }

    fn step(&mut self, state: State) -> Step {
        match state {
            State::Text => self.lex_text(),
            State::LeftDelim => self.lex_left_delim(),
            State::Comment => self.lex_comment(),
            State::RightDelim => self.lex_right_delim(),
            State::InsideAction => self.lex_inside_action(),
            State::Space => self.lex_space(),
            State::Identifier => self.lex_identifier(),
            State::Field => self.lex_field_or_variable(ItemType::Field),
            State::Variable => self.lex_variable(),
            State::Char => self.lex_quoted(
                '\'',
                "unterminated character constant",
                ItemType::CharConstant,
            ),
            State::Number => self.lex_number(),
            State::Quote => self.lex_quoted('"', "unterminated quoted string", ItemType::String),
            State::RawQuote => self.lex_raw_quote(),
        }
    }

    fn rest(&self) -> &'a str {
        self.input.get(self.pos..).unwrap_or("")
    }

    fn next(&mut self) -> Option<char> {
        if let Some(&b) = self.input.as_bytes().get(self.pos)
            && b.is_ascii()
        {
            self.pos += 1;
            if b == b'\n' {
                self.line += 1;
            }
            return Some(b as char);
        }
        let Some(r) = self.rest().chars().next() else {
            self.at_eof = true;
            return EOF;
        };
        self.pos += r.len_utf8();
        if r == '\n' {
            self.line += 1;
        }
        Some(r)
    }

    fn peek(&mut self) -> Option<char> {
        let r = self.next();
        self.backup();
        r
    }

    fn backup(&mut self) {
        // NOTE: like Go, backing up is a no-op once the end of the input was reached.
        if !self.at_eof && self.pos > 0 {
            if let Some(&b) = self.input.as_bytes().get(self.pos - 1)
                && b.is_ascii()
            {
                self.pos -= 1;
                if b == b'\n' {
                    self.line -= 1;
                }
                return;
            }
            if let Some(r) = self
                .input
                .get(..self.pos)
                .and_then(|s| s.chars().next_back())
            {
                self.pos -= r.len_utf8();
                if r == '\n' {
                    self.line -= 1;
                }
            }
        }
    }

    fn this_item(&mut self, typ: ItemType) -> Item<'a> {
        let val = self.input.get(self.start..self.pos).unwrap_or("");
        let item = Item {
            typ,
            pos: self.start as Pos,
            val,
            line: self.start_line,
        };
        self.start = self.pos;
        self.start_line = self.line;
        item
    }

    fn emit(&mut self, typ: ItemType) -> Step {
        let item = self.this_item(typ);
        self.emit_item(item)
    }

    fn emit_item(&mut self, item: Item<'a>) -> Step {
        self.item = Some(item);
        Step::Emit
    }

    fn count_newlines(&self, from: usize, to: usize) -> usize {
        self.input
            .get(from..to)
            .map_or(0, |s| s.bytes().filter(|&b| b == b'\n').count())
    }

    fn ignore(&mut self) {
        self.line += self.count_newlines(self.start, self.pos);
        self.start = self.pos;
        self.start_line = self.line;
    }

    fn accept(&mut self, valid: &str) -> bool {
        if self.next().is_some_and(|r| valid.contains(r)) {
            return true;
        }
        self.backup();
        false
    }

    fn accept_run(&mut self, valid: &str) {
        while self.next().is_some_and(|r| valid.contains(r)) {}
        self.backup();
    }

    fn errorf(&mut self, msg: String) -> Step {
        self.error = msg;
        self.item = Some(Item {
            typ: ItemType::Error,
            pos: self.start as Pos,
            val: "",
            line: self.start_line,
        });
        self.start = 0;
        self.pos = 0;
        self.input = "";
        Step::Emit
    }

    fn lex_text(&mut self) -> Step {
        if let Some(x) = find_left_delim(self.rest()) {
            if x > 0 {
                self.pos += x;
                let delim_end = self.pos + LEFT_DELIM.len();
                let mut trim = 0;
                if has_left_trim_marker(self.input.get(delim_end..).unwrap_or("")) {
                    trim = right_trim_length(self.input.get(self.start..self.pos).unwrap_or(""));
                }
                self.pos -= trim;
                self.line += self.count_newlines(self.start, self.pos);
                let item = self.this_item(ItemType::Text);
                self.pos += trim;
                self.ignore();
                if !item.val.is_empty() {
                    return self.emit_item(item);
                }
            }
            return Step::Go(State::LeftDelim);
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            self.line += self.count_newlines(self.start, self.pos);
            return self.emit(ItemType::Text);
        }
        self.emit(ItemType::Eof)
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = self.rest();
        if has_right_trim_marker(rest) && rest[TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM) {
            return (true, true);
        }
        (rest.starts_with(RIGHT_DELIM), false)
    }

    fn lex_left_delim(&mut self) -> Step {
        self.pos += LEFT_DELIM.len();
        let trim = has_left_trim_marker(self.rest());
        let after_marker = if trim { TRIM_MARKER_LEN } else { 0 };
        if self.rest()[after_marker..].starts_with(LEFT_COMMENT) {
            self.pos += after_marker;
            self.ignore();
            return Step::Go(State::Comment);
        }
        let item = self.this_item(ItemType::LeftDelim);
        self.inside_action = true;
        self.pos += after_marker;
        self.ignore();
        self.paren_depth = 0;
        self.emit_item(item)
    }

    fn lex_comment(&mut self) -> Step {
        self.pos += LEFT_COMMENT.len();
        let Some(x) = self.rest().find(RIGHT_COMMENT) else {
            return self.errorf("unclosed comment".into());
        };
        self.pos += x + RIGHT_COMMENT.len();
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.errorf("comment ends before closing delimiter".into());
        }
        // Go 1.20 to 1.23's lexer moves past a comment without counting its line breaks
        // (`thisItem`, not `ignore`; golang/go#69526, fixed in 1.24), so a parse error after a
        // comment over lines names a line that many lines too early, as Helm 3.12 to 3.17 show.
        // Errors while executing count from the byte offset and are not affected.
        if self.comment_lines {
            self.line += self.count_newlines(self.start, self.pos);
        }
        self.start = self.pos;
        self.start_line = self.line;
        if trim {
            self.pos += TRIM_MARKER_LEN;
        }
        self.pos += RIGHT_DELIM.len();
        if trim {
            self.pos += left_trim_length(self.rest());
        }
        self.ignore();
        Step::Go(State::Text)
    }

    fn lex_right_delim(&mut self) -> Step {
        let (_, trim) = self.at_right_delim();
        if trim {
            self.pos += TRIM_MARKER_LEN;
            self.ignore();
        }
        self.pos += RIGHT_DELIM.len();
        let item = self.this_item(ItemType::RightDelim);
        if trim {
            self.pos += left_trim_length(self.rest());
            self.ignore();
        }
        self.inside_action = false;
        self.emit_item(item)
    }

    fn lex_inside_action(&mut self) -> Step {
        if self.at_right_delim().0 {
            if self.paren_depth == 0 {
                return Step::Go(State::RightDelim);
            }
            return self.errorf("unclosed left paren".into());
        }
        let Some(r) = self.next() else {
            return self.errorf("unclosed action".into());
        };
        match r {
            _ if is_space(r) => {
                self.backup(); // Put the space back in case we have " -}}".
                Step::Go(State::Space)
            }
            '=' => self.emit(ItemType::Assign),
            ':' => {
                if self.next() != Some('=') {
                    return self.errorf("expected :=".into());
                }
                self.emit(ItemType::Declare)
            }
            '|' => self.emit(ItemType::Pipe),
            '"' => Step::Go(State::Quote),
            '`' => Step::Go(State::RawQuote),
            '$' => Step::Go(State::Variable),
            '\'' => Step::Go(State::Char),
            // `.field`, or `.5`; a `.` at the very end lexes as a (bad) number, as in Go.
            '.' if self
                .rest()
                .as_bytes()
                .first()
                .is_some_and(|b| !b.is_ascii_digit()) =>
            {
                Step::Go(State::Field)
            }
            '.' | '+' | '-' | '0'..='9' => {
                self.backup();
                Step::Go(State::Number)
            }
            _ if is_alphanumeric(r) => {
                self.backup();
                Step::Go(State::Identifier)
            }
            '(' => {
                self.paren_depth += 1;
                self.emit(ItemType::LeftParen)
            }
            ')' => {
                if self.paren_depth == 0 {
                    return self.errorf("unexpected right paren".into());
                }
                self.paren_depth -= 1;
                self.emit(ItemType::RightParen)
            }
            ' '..='~' => self.emit(ItemType::Char),
            _ => self.errorf(format!("unrecognized character in action: {}", fmt_u(r))),
        }
    }

    fn lex_space(&mut self) -> Step {
        let mut spaces = 0;
        while self.peek().is_some_and(is_space) {
            self.next();
            spaces += 1;
        }
        // A trim-marked closing delimiter starts with a space: leave that space to it.
        let from_last_space = self.input.get(self.pos - 1..).unwrap_or("");
        if has_right_trim_marker(from_last_space)
            && from_last_space[TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM)
        {
            self.backup();
            if spaces == 1 {
                return Step::Go(State::RightDelim);
            }
        }
        self.emit(ItemType::Space)
    }

    fn lex_identifier(&mut self) -> Step {
        loop {
            let r = self.next();
            if r.is_some_and(is_alphanumeric) {
                continue;
            }
            self.backup();
            if !self.at_terminator() {
                return self.bad_character(r);
            }
            let word = self.input.get(self.start..self.pos).unwrap_or("");
            let typ = match keyword(word) {
                Some(ItemType::Break) if !self.break_ok => ItemType::Identifier,
                Some(ItemType::Continue) if !self.continue_ok => ItemType::Identifier,
                Some(k) => k,
                None if word.starts_with('.') => ItemType::Field,
                None if word == "true" || word == "false" => ItemType::Bool,
                None => ItemType::Identifier,
            };
            return self.emit(typ);
        }
    }

    fn bad_character(&mut self, r: Option<char>) -> Step {
        let shown = r.map_or_else(|| "U+FFFFFFFFFFFFFFFF".to_string(), fmt_u);
        self.errorf(format!("bad character {shown}"))
    }

    fn lex_variable(&mut self) -> Step {
        if self.at_terminator() {
            return self.emit(ItemType::Variable);
        }
        self.lex_field_or_variable(ItemType::Variable)
    }

    fn lex_field_or_variable(&mut self, typ: ItemType) -> Step {
        if self.at_terminator() {
            return self.emit(if typ == ItemType::Variable {
                ItemType::Variable
            } else {
                ItemType::Dot
            });
        }
        let r = loop {
            let r = self.next();
            if !r.is_some_and(is_alphanumeric) {
                self.backup();
                break r;
            }
        };
        if !self.at_terminator() {
            return self.bad_character(r);
        }
        self.emit(typ)
    }

    /// Whether the next character may follow an identifier (Go's `atTerminator`).
    fn at_terminator(&mut self) -> bool {
        match self.peek() {
            None => true,
            Some(r) if is_space(r) => true,
            Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            Some(_) => self.rest().starts_with(RIGHT_DELIM),
        }
    }

    /// A quoted string or character constant; the opening quote has been read.
    fn lex_quoted(&mut self, quote: char, unterminated: &str, typ: ItemType) -> Step {
        loop {
            match self.next() {
                Some('\\') => {
                    if matches!(self.next(), None | Some('\n')) {
                        return self.errorf(unterminated.into());
                    }
                }
                None | Some('\n') => return self.errorf(unterminated.into()),
                Some(r) if r == quote => return self.emit(typ),
                Some(_) => {}
            }
        }
    }

    fn lex_raw_quote(&mut self) -> Step {
        loop {
            match self.next() {
                None => return self.errorf("unterminated raw quoted string".into()),
                Some('`') => return self.emit(ItemType::RawString),
                Some(_) => {}
            }
        }
    }

    fn lex_number(&mut self) -> Step {
        if !self.scan_number() {
            return self.bad_number();
        }
        if matches!(self.peek(), Some('+' | '-')) {
            // Complex: 1+2i. No spaces, must end in 'i'.
            if !self.scan_number() || !self.input[..self.pos].ends_with('i') {
                return self.bad_number();
            }
            return self.emit(ItemType::Complex);
        }
        self.emit(ItemType::Number)
    }

    fn bad_number(&mut self) -> Step {
        let text = self.input.get(self.start..self.pos).unwrap_or("");
        let msg = format!("bad number syntax: {}", fmt_q(text));
        self.errorf(msg)
    }

    /// Go's deliberately loose number scanner; the parser validates the text.
    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            // A leading 0 does not mean octal in floats.
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 10 + 1 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 16 + 6 + 1 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if self.peek().is_some_and(is_alphanumeric) {
            self.next();
            return false;
        }
        true
    }
}

/// Where `{{` first occurs in `s` (a byte search for `{` is much faster than a substring search
/// for these short texts).
fn find_left_delim(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s.get(from..)?.find('{') {
        let at = from + i;
        if b.get(at + 1) == Some(&b'{') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Go's `isSpace` inside actions: space, tab, CR and LF.
fn is_space(r: char) -> bool {
    matches!(r, ' ' | '\t' | '\r' | '\n')
}

/// Go's `isAlphaNumeric`: `_`, a letter or a decimal digit.
// NOTE: Rust's `is_alphabetic` is a slightly wider class than Go's `unicode.IsLetter` (it adds
// letter numbers and some combining marks); only exotic non-ASCII names could tell them apart.
fn is_alphanumeric(r: char) -> bool {
    if r.is_ascii() {
        return r == '_' || r.is_ascii_alphanumeric();
    }
    r.is_alphabetic() || is_unicode_digit(r)
}

/// Unicode decimal digits (`Nd`) outside ASCII: they come in aligned runs of ten.
fn is_unicode_digit(r: char) -> bool {
    r.is_numeric() && r.to_digit(10).is_none() && {
        // Nd characters have a numeric value 0–9 and sit in blocks of ten starting at a zero.
        const ZEROS: &[u32] = &[
            0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
            0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
            0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50,
            0xABF0, 0xFF10,
        ];
        let c = r as u32;
        ZEROS.iter().any(|&z| (z..z + 10).contains(&c))
    }
}

fn has_left_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1] as char)
}

fn has_right_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0] as char) && b[1] == b'-'
}

fn right_trim_length(s: &str) -> usize {
    s.len() - s.trim_end_matches([' ', '\t', '\r', '\n']).len()
}

fn left_trim_length(s: &str) -> usize {
    s.len() - s.trim_start_matches([' ', '\t', '\r', '\n']).len()
}

#[cfg(test)]
mod tests;

//! Loaded source texts and byte spans into them.
//!
//! Every value that came from a file remembers a [`Span`]: the file it came from and a byte range.
//! Spans stay byte ranges until something is shown to the user; [`SourceFile::line_col`] turns an
//! offset into a 1-based line and column only then.

use std::collections::HashMap;
use std::sync::Arc;

/// Index of a file in a [`Sources`] set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range `[start, end)` in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// The file the range belongs to.
    pub file: FileId,
    /// First byte (inclusive).
    pub start: usize,
    /// Last byte (exclusive).
    pub end: usize,
}

impl Span {
    /// A span covering `start..end` of `file`.
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span { file, start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no byte (a blank YAML value, for instance).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One loaded text: a values file, stdin, or a `--set` argument.
#[derive(Debug)]
pub struct SourceFile {
    /// The name as the user gave it (a path, `-`, or the `--stdin-filename`).
    pub name: String,
    /// The full text.
    pub text: Arc<str>,
    line_starts: Vec<usize>,
    /// Whether every character is one byte, so a column is counted without walking the line
    /// (thousands of findings along a values file written on one line walked it each time).
    ascii: bool,
}

impl SourceFile {
    /// Wraps `text` under `name` and indexes its lines.
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let ascii = text.is_ascii();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
            ascii,
        }
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts.partition_point(|&s| s <= offset)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset) - 1;
        let start = self.line_starts[line];
        if self.ascii {
            return (line + 1, offset - start + 1);
        }
        let before = self.text.get(start..offset);
        let col = before.map_or(offset - start, |s| s.chars().count());
        // A byte order mark is no column an editor shows.
        let bom = usize::from(start == 0 && before.is_some_and(|s| s.starts_with('\u{feff}')));
        (line + 1, col - bom + 1)
    }

    /// Byte offset where 1-based `line` starts (the end of the text past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The text of the 1-based line `line`, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_start(line);
        let end = self.line_start(line + 1).min(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// The set of texts one run has loaded.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
    /// The ids of the files of each name.
    by_name: HashMap<String, Vec<FileId>>,
}

impl Sources {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text and returns its id; a text added before under the same name keeps its id.
    ///
    /// NOTE: a `-f` file is loaded again for every PATH of a run; one copy per PATH made memory
    /// grow with the number of PATHs times the file's size, past every budget.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        let same = self.by_name.get(&file.name).and_then(|ids| {
            ids.iter()
                .copied()
                .find(|id| self.files[id.0 as usize].text == file.text)
        });
        if let Some(id) = same {
            return id;
        }
        let id = FileId(self.files.len() as u32);
        self.by_name.entry(file.name.clone()).or_default().push(id);
        self.files.push(file);
        id
    }

    /// The file behind `id`.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// `name:line:col` of the start of a span.
    pub fn describe(&self, span: Span) -> String {
        let file = self.get(span.file);
        let (line, col) = file.line_col(span.start);
        format!("{}:{line}:{col}", file.name)
    }

    /// The text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        self.get(span.file)
            .text
            .get(span.start..span.end)
            .unwrap_or("")
    }

    /// Iterates over all files with their ids.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::new("v.yaml", "a: 1\nbé: x\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(5), (2, 1));
        // "x" sits after "bé: " = 4 characters, 5 bytes.
        assert_eq!(f.line_col(10), (2, 5));
        assert_eq!(f.line_text(2), "bé: x");
    }

    #[test]
    fn a_text_added_again_under_its_name_is_stored_once() {
        let mut sources = Sources::new();
        let a = sources.add(SourceFile::new("v.yaml", "a: 1\n"));
        let other = sources.add(SourceFile::new("w.yaml", "a: 1\n"));
        let changed = sources.add(SourceFile::new("v.yaml", "a: 2\n"));
        assert_eq!(sources.add(SourceFile::new("v.yaml", "a: 1\n")), a);
        assert_eq!(sources.add(SourceFile::new("v.yaml", "a: 2\n")), changed);
        assert!(a != other && a != changed && other != changed);
        assert_eq!(sources.iter().count(), 3);
    }
}

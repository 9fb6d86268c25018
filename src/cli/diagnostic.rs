//! Errors and warnings shown the way rustc shows them: what went wrong, then where (for
//! errors, the offending line of the file with a caret under the place).

use std::io::BufRead;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use tgexport::{Error, Position, Warning};

/// The error as printed on standard error.
pub fn render(error: &Error) -> String {
    if let Error::InFile { path, source } = error
        && let Some(Position { line, column, .. }) = source.position()
        && let Some(text) = read_line(path, line)
    {
        let at = byte_index(&text, column);
        let path = path.display().to_string();
        let report = [Level::ERROR.primary_title(source.to_string()).element(
            Snippet::source(text.as_str())
                .line_start(line as usize)
                .path(path.as_str())
                .annotation(
                    AnnotationKind::Primary
                        .span(at..next_boundary(&text, at))
                        .label(label(source)),
                ),
        )];
        return renderer().render(&report);
    }
    renderer().render(&[Group::with_title(
        Level::ERROR.primary_title(error.to_string()),
    )])
}

fn renderer() -> Renderer {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
}

fn label(error: &Error) -> &'static str {
    match error {
        Error::InvalidUtf8 { .. } => "not UTF-8",
        _ => "here",
    }
}

/// Line `line` (1-based) of the file, with bytes that are not UTF-8 replaced.
fn read_line(path: &Path, line: u64) -> Option<String> {
    let file = std::fs::File::open(path).ok()?;
    let bytes = std::io::BufReader::new(file)
        .split(b'\n')
        .nth(usize::try_from(line).ok()?.checked_sub(1)?)?
        .ok()?;
    let text = String::from_utf8_lossy(&bytes);
    Some(text.trim_end_matches('\r').to_owned())
}

/// The byte index of 1-based character `column` in `text`, or its end. The text before
/// an invalid byte is valid, so lossy decoding does not move the column.
fn byte_index(text: &str, column: u64) -> usize {
    let before = usize::try_from(column)
        .unwrap_or(usize::MAX)
        .saturating_sub(1);
    text.char_indices()
        .nth(before)
        .map_or(text.len(), |(at, _)| at)
}

fn next_boundary(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(at, |c| at + c.len_utf8())
}

/// Warnings shown in full in one run; the rest are only counted, so that a flood (a
/// page of unknown markup on every message) does not bury the output.
const SHOWN: usize = 20;

/// What a run has said on standard error so far: warnings (the first [`SHOWN`] in full)
/// and errors, closed by a count of the warnings.
#[derive(Debug, Default)]
pub struct Diagnostics {
    warnings: usize,
    errors: usize,
}

impl Diagnostics {
    /// Prints the warnings of `input` (a file or folder; `None` for standard input).
    pub fn warn(&mut self, input: Option<&Path>, warnings: &[Warning]) {
        let show = &warnings[..warnings.len().min(SHOWN.saturating_sub(self.warnings))];
        self.warnings += warnings.len();
        if show.is_empty() {
            return;
        }
        let offsets: Vec<u64> = show
            .iter()
            .filter(|w| w.line.is_none())
            .filter_map(|w| w.offset)
            .collect();
        let positions = match input {
            Some(path) if path.is_file() && !offsets.is_empty() => positions(path, &offsets),
            _ => Vec::new(),
        };
        let mut out = String::new();
        for warning in show {
            let file = warning
                .file
                .as_deref()
                .map(str::to_owned)
                .or_else(|| input.map(|p| p.display().to_string()))
                .unwrap_or_else(|| "<stdin>".to_owned());
            let mut origin = Origin::path(file.as_str());
            if let Some(line) = warning.line {
                origin = origin.line(line as usize);
                if let Some(column) = warning.column {
                    origin = origin.char_column(column as usize);
                }
            } else if let Some(&(_, line, column)) = warning
                .offset
                .and_then(|o| positions.iter().find(|(at, ..)| *at == o))
            {
                origin = origin.line(line).char_column(column);
            }
            let report = [Level::WARNING
                .primary_title(warning.message.as_str())
                .element(origin)];
            out.push_str(&renderer().render(&report));
            out.push('\n');
        }
        eprint!("{out}");
    }

    /// Prints `error`.
    pub fn error(&mut self, error: &Error) {
        self.errors += 1;
        eprintln!("{}", render(error));
    }

    /// Warnings so far.
    pub fn warnings(&self) -> usize {
        self.warnings
    }

    /// Errors so far.
    pub fn errors(&self) -> usize {
        self.errors
    }

    /// Prints how many warnings were not shown and how many there were in all.
    pub fn finish(&self) {
        let mut titles = Vec::new();
        if self.warnings > SHOWN {
            let more = self.warnings - SHOWN;
            titles.push(format!(
                "{more} more warning{} not shown (`--to json` lists them all)",
                plural(more)
            ));
        }
        if self.warnings > 0 {
            titles.push(format!(
                "{} warning{} emitted",
                self.warnings,
                plural(self.warnings)
            ));
        }
        for title in titles {
            let report = [Group::with_title(Level::WARNING.primary_title(title))];
            eprintln!("{}", renderer().render(&report));
        }
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// For each byte offset of `offsets`, its 1-based line and character column in the file
/// at `path`, found in one pass; offsets past the end (or a file that cannot be read)
/// get none.
fn positions(path: &Path, offsets: &[u64]) -> Vec<(u64, usize, usize)> {
    let mut wanted: Vec<u64> = offsets.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    let Ok(file) = std::fs::File::open(path) else {
        return Vec::new();
    };
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut found = Vec::with_capacity(wanted.len());
    let (mut at, mut line, mut column) = (0u64, 1usize, 1usize);
    let mut next = wanted.into_iter().peekable();
    while let Ok(chunk) = reader.fill_buf()
        && !chunk.is_empty()
    {
        let len = chunk.len();
        for &byte in chunk {
            while next.peek() == Some(&at) {
                found.push((at, line, column));
                next.next();
            }
            if next.peek().is_none() {
                return found;
            }
            if byte == b'\n' {
                (line, column) = (line + 1, 1);
            } else if byte & 0xC0 != 0x80 {
                column += 1;
            }
            at += 1;
        }
        reader.consume(len);
    }
    // An offset at the very end of the file (where a cut-off export stops).
    if next.peek() == Some(&at) {
        found.push((at, line, column));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters_in_one_pass() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input.json");
        std::fs::write(&path, "ab\nпривет x\n").unwrap();
        // `x` is after six two-byte letters and a space: byte 3 + 13, character 8; the
        // end of the file (byte 18) is where a cut-off export stops; past it, nothing.
        let found = positions(&path, &[16, 0, 99, 3, 18]);
        assert_eq!(found, [(0, 1, 1), (3, 2, 1), (16, 2, 8), (18, 3, 1)]);
    }
}

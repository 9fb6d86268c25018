//! Errors shown the way rustc shows them: what went wrong, then the offending line of the
//! file with a caret under the place.

use std::io::BufRead;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use tgexport::{Error, Position};

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

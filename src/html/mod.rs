//! What the two HTML readers share: streaming a page as blocks ([`stream`]), a small
//! tree per block ([`dom`]), formatted text with entities ([`rich`]), and the rule for
//! markup a reader does not know.
//!
//! Unknown markup is never dropped: an element a reader has no rule for is kept in the
//! message's `extra.html` list (element, line, text) and reported as a [`Warning`] that
//! names the file, line and element; its text, inside a message text, stays in the text.

pub(crate) mod dom;
pub(crate) mod rich;
pub(crate) mod stream;

use dom::Node;
use serde_json::{Value, json};

use crate::{Message, Warning};

/// Where a reader is, for warnings: the file (when reading a folder) and what it found.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    file: Option<String>,
    warnings: Vec<Warning>,
}

impl Diagnostics {
    /// Warnings from now on name `file`.
    pub(crate) fn set_file(&mut self, file: Option<String>) {
        self.file = file;
    }

    pub(crate) fn warn(&mut self, line: u32, message: impl Into<String>) {
        self.warnings
            .push(Warning::in_file(self.file.clone(), line, message));
    }

    /// Warns when the page ended inside `block`, whose content is kept as far as it goes.
    pub(crate) fn note_cut_off(&mut self, block: &dom::Fragment) {
        if block.is_cut_off() {
            let root = block.root();
            self.warn(
                root.line(),
                format!(
                    "the page ends inside {}; kept what it holds",
                    root.describe()
                ),
            );
        }
    }

    pub(crate) fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Keeps `node`, which no rule of the reader knows, in `message.extra.html`.
    pub(crate) fn keep_unknown(&mut self, message: &mut Message, node: Node<'_>, inside: &str) {
        self.keep(message, unknown(node), node.line(), inside);
    }

    /// Records elements a text walk kept as plain text.
    pub(crate) fn keep_unknown_inline(&mut self, message: &mut Message, unknown: &[(String, u32)]) {
        for (element, line) in unknown {
            let value = json!({ "element": element, "line": line });
            self.keep(message, value, *line, "a text");
        }
    }

    fn keep(&mut self, message: &mut Message, value: Value, line: u32, inside: &str) {
        let element = value["element"].as_str().unwrap_or_default().to_owned();
        self.warn(
            line,
            format!("unknown element {element} in {inside}; kept in the message's extra.html"),
        );
        let list = message
            .extra
            .entry("html")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = list {
            list.push(value);
        }
    }
}

/// An unknown element as kept: its name and classes, line and visible text.
pub(crate) fn unknown(node: Node<'_>) -> Value {
    json!({ "element": node.describe(), "line": node.line(), "text": node.label() })
}

/// `https://maps.google.com/maps?q=55.75,37.61&ll=…` → (55.75, 37.61): both formats link
/// map points this way. Only a point on Earth counts (`q=NaN,inf` parses as numbers);
/// the link itself is kept by the callers either way.
pub(crate) fn map_point(url: &str) -> Option<(f64, f64)> {
    let (_, query) = url.split_once("q=")?;
    let (latitude, longitude) = query.split('&').next()?.split_once(',')?;
    let (latitude, longitude): (f64, f64) = (latitude.parse().ok()?, longitude.parse().ok()?);
    ((-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude))
        .then_some((latitude, longitude))
}

/// A play time as shown, `01:48`, `0:27` or `1:02:03`, in seconds.
pub(crate) fn duration(text: &str) -> Option<u32> {
    text.split(':').try_fold(0u32, |total, part| {
        total.checked_mul(60)?.checked_add(part.parse().ok()?)
    })
}

/// The first element of `html` and what it holds, for tests.
#[cfg(test)]
pub(crate) fn fragment(html: &str) -> dom::Fragment {
    stream::Blocks::new(html.as_bytes(), |_, parent| parent.is_none())
        .next()
        .expect("the input has an element")
        .expect("the input is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_with_and_without_hours() {
        assert_eq!(duration("01:48"), Some(108));
        assert_eq!(duration("0:27"), Some(27));
        assert_eq!(duration("1:02:03"), Some(3723));
        assert_eq!(duration("soon"), None);
    }

    #[test]
    fn map_links_give_coordinates() {
        assert_eq!(
            map_point("https://maps.google.com/maps?q=55.7558,37.6173&ll=55.7558,37.6173&z=16"),
            Some((55.7558, 37.6173))
        );
        assert_eq!(map_point("https://example.org/"), None);
        for off_earth in ["q=NaN,1", "q=1,inf", "q=-inf,0", "q=91,0", "q=0,180.5"] {
            assert_eq!(
                map_point(&format!("https://maps.google.com/maps?{off_earth}")),
                None
            );
        }
    }
}

//! Link labels whose URL a plain-text copy loses: the whole paragraph is the label.

/// Labels channels put on links, which a copy keeps without their URL.
const LINK_LABELS: &[&str] = &[
    "Learn more",
    "Read more",
    "Read in full",
    "Read the full text",
    "More details",
    "Full text",
    "Подробнее",
    "Читать далее",
    "Читать полностью",
    "Полный текст",
    "Узнать больше",
];

/// Whether `text` (a paragraph after its marker) is a link label such as `Learn more`.
///
/// ```
/// assert!(tgexport::analysis::is_link_label("Learn more"));
/// assert!(!tgexport::analysis::is_link_label("Learn more about it"));
/// ```
pub fn is_link_label(text: &str) -> bool {
    LINK_LABELS.contains(&undecorated(text).trim_start())
}

/// Whether `line` ends the way a link label does: a cheap test that most paragraphs fail,
/// before their leading emoji are split off to test the whole label.
pub(crate) fn may_end_in_label(line: &str) -> bool {
    let line = undecorated(line).as_bytes();
    // The last byte first: most lines end unlike every label, with no call to `memcmp`.
    LINK_LABELS
        .iter()
        .any(|label| label.as_bytes().last() == line.last() && line.ends_with(label.as_bytes()))
}

/// `text` without the arrows and dots that decorate labels.
fn undecorated(text: &str) -> &str {
    text.trim_end_matches([' ', '…', '.', '>', '→', '»'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_with_trailing_decoration() {
        for label in ["Learn more", "Read more…", "Подробнее →", "Читать далее >>"]
        {
            assert!(is_link_label(label), "{label}");
        }
        assert!(!is_link_label("learn"));
        assert!(!is_link_label(""));
    }

    #[test]
    fn only_lines_ending_in_a_label_may_be_one() {
        assert!(may_end_in_label("📎 Подробнее →"));
        assert!(may_end_in_label("So much to Learn more"));
        assert!(!may_end_in_label("Learn more about it"));
    }
}

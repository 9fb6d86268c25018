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
    let text = text
        .trim_end_matches([' ', '…', '.', '>', '→', '»'])
        .trim_start();
    LINK_LABELS.contains(&text)
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
}

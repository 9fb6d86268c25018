//! Emoji: which grapheme clusters are emoji, their names, flag countries, and keycap folding.

use unicode_segmentation::UnicodeSegmentation;

use crate::EmojiInfo;

const VS16: char = '\u{FE0F}';
const KEYCAP: char = '\u{20E3}';

/// The catalogue entry of one grapheme cluster, if it is an emoji. Text-presentation
/// forms written without VS16 (`ℹ`, `✍`) are looked up with it, except for ASCII and
/// Latin-1 symbols (`#`, `©`), which are emoji only when VS16 or a keycap says so.
fn lookup(grapheme: &str) -> Option<&'static emojis::Emoji> {
    let first = grapheme.chars().next()?;
    if first < '\u{2000}' && !grapheme.contains([VS16, KEYCAP]) {
        return None;
    }
    emojis::get(grapheme).or_else(|| {
        if first < '\u{2000}' || grapheme.ends_with(VS16) {
            return None;
        }
        // On the stack: emoji graphemes are short, and this runs for every marker.
        let mut buffer = [0; 64];
        let with_vs16 = buffer.get_mut(..grapheme.len() + VS16.len_utf8())?;
        let (text, vs16) = with_vs16.split_at_mut(grapheme.len());
        text.copy_from_slice(grapheme.as_bytes());
        VS16.encode_utf8(vs16);
        emojis::get(std::str::from_utf8(with_vs16).ok()?)
    })
}

/// Whether `grapheme` is an emoji: a catalogued one, or a pictograph newer than the catalogue.
pub fn is_emoji(grapheme: &str) -> bool {
    emoji_entry(grapheme).is_some()
}

/// `Some` for an emoji, with its catalogue entry when it has one.
fn emoji_entry(grapheme: &str) -> Option<Option<&'static emojis::Emoji>> {
    match lookup(grapheme) {
        Some(entry) => Some(Some(entry)),
        None => grapheme
            .chars()
            .next()
            .is_some_and(|c| matches!(c, '\u{1F000}'..='\u{1FAFF}'))
            .then_some(None),
    }
}

/// Name and country of one emoji grapheme cluster.
///
/// ```
/// let flag = tgexport::analysis::emoji_info("🇷🇺");
/// assert_eq!(flag.name.as_deref(), Some("flag: Russia"));
/// assert_eq!(flag.country.as_deref(), Some("RU"));
/// ```
pub fn emoji_info(grapheme: &str) -> EmojiInfo {
    EmojiInfo {
        emoji: grapheme.to_owned(),
        name: emoji_name(grapheme).map(str::to_owned),
        country: flag_country(grapheme),
    }
}

/// The CLDR short name of one emoji grapheme cluster (`📆` → `tear-off calendar`).
pub fn emoji_name(grapheme: &str) -> Option<&'static str> {
    lookup(grapheme).map(emojis::Emoji::name)
}

/// The ISO 3166 code spelled by a pair of regional indicator symbols (`🇷🇺` → `RU`).
pub fn flag_country(grapheme: &str) -> Option<String> {
    let letters: Option<String> = grapheme
        .chars()
        .map(|c| match c {
            '\u{1F1E6}'..='\u{1F1FF}' => char::from_u32(u32::from(c) - 0x1F1E6 + u32::from('A')),
            _ => None,
        })
        .collect();
    letters.filter(|code| code.len() == 2)
}

/// Splits the emoji that lead `line` (one or several grapheme clusters) from the rest.
/// Returns the emoji and the rest, or `None` when the line does not start with an emoji.
pub fn split_leading(line: &str) -> Option<(&str, &str)> {
    split_leading_with(line, |_| {})
}

/// [`split_leading`], also giving `each` the catalogue entry of every leading emoji (when
/// it has one), so that callers do not look them up again.
pub(crate) fn split_leading_with(
    line: &str,
    mut each: impl FnMut(Option<&'static emojis::Emoji>),
) -> Option<(&str, &str)> {
    let mut chars = line.chars();
    let first = chars.next()?;
    // Fast path: emoji live in the symbol blocks from U+2000 and the planes' pictographs;
    // a letter of any script, or an ASCII or Latin-1 sign without VS16 or a keycap
    // (`#️⃣`, `©️`) after it, starts no emoji.
    let symbol = matches!(first, '\u{2000}'..='\u{33FF}' | '\u{1F000}'..='\u{1FFFF}');
    let keycap_or_vs16 = first < '\u{2000}' && matches!(chars.next(), Some(VS16 | KEYCAP));
    if !symbol && !keycap_or_vs16 {
        return None;
    }
    // Most markers are one symbol, maybe with VS16, then a space or a Latin letter: no
    // rule of grapheme clusters joins those to the symbol, and neither starts an emoji,
    // so the marker is known without segmenting the line.
    if symbol {
        let vs16 = if chars.as_str().starts_with(VS16) {
            VS16.len_utf8()
        } else {
            0
        };
        let single = first.len_utf8() + vs16;
        let next = line.as_bytes().get(single);
        if next.is_none_or(|&b| b == b' ' || b.is_ascii_alphabetic()) {
            let entry = emoji_entry(&line[..single])?;
            each(entry);
            return Some(line.split_at(single));
        }
    }
    let mut end = 0;
    for (at, grapheme) in line.grapheme_indices(true) {
        let Some(entry) = emoji_entry(grapheme) else {
            break;
        };
        each(entry);
        end = at + grapheme.len();
    }
    (end > 0).then(|| line.split_at(end))
}

/// Splits the emoji that end `text` (and the white space around them) from the rest:
/// `Russian MFA 🇷🇺` → (`Russian MFA`, ` 🇷🇺`).
pub fn split_trailing(text: &str) -> (&str, &str) {
    let mut start = text.len();
    let mut any_emoji = false;
    for (at, grapheme) in text.grapheme_indices(true).rev() {
        if is_emoji(grapheme) {
            any_emoji = true;
        } else if !grapheme.chars().all(char::is_whitespace) {
            break;
        }
        start = at;
    }
    if !any_emoji {
        return (text, "");
    }
    let kept = text[..start].trim_end();
    text.split_at(kept.len())
}

/// The emoji grapheme clusters of `text`, in order.
pub fn emoji_in(text: &str) -> impl Iterator<Item = &str> {
    text.graphemes(true).filter(|g| is_emoji(g))
}

/// Replaces keycap emoji by their plain character: `7️⃣8️⃣` → `78`, `🔟` → `10`.
///
/// ```
/// assert_eq!(tgexport::analysis::fold_keycaps("7️⃣8️⃣ years"), "78 years");
/// ```
pub fn fold_keycaps(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1F51F}' => out.push_str("10"),
            '0'..='9' | '#' | '*' => {
                out.push(c);
                let mut lookahead = chars.clone();
                lookahead.next_if_eq(&VS16);
                if lookahead.next_if_eq(&KEYCAP).is_some() {
                    chars = lookahead;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_emoji_of_every_kind() {
        for (line, emoji, rest) in [
            ("📆 On September 7", "📆", " On September 7"),
            ("ℹ️The Soviet", "ℹ️", "The Soviet"),
            ("ℹ The Soviet", "ℹ", " The Soviet"),
            ("🕯🌟 Memory", "🕯🌟", " Memory"),
            ("7️⃣8️⃣ years", "7️⃣8️⃣", " years"),
            ("🇷🇺 Russia", "🇷🇺", " Russia"),
            ("👨‍👩‍👧 family", "👨‍👩‍👧", " family"),
            ("👍🏽ok", "👍🏽", "ok"),
            ("✍️", "✍️", ""),
            ("㊗️ 祝贺", "㊗️", " 祝贺"),
            ("🀄 麻将", "🀄", " 麻将"),
        ] {
            assert_eq!(split_leading(line), Some((emoji, rest)), "{line}");
        }
    }

    #[test]
    fn text_starts_are_not_emoji() {
        for line in [
            "#Victory78",
            "7 years",
            "© 2024",
            "Forwarded",
            "Привет",
            "目录",
            "한국어",
            "",
            " 📆",
        ] {
            assert_eq!(split_leading(line), None, "{line}");
        }
    }

    #[test]
    fn trailing_emoji_split_off_names() {
        assert_eq!(split_trailing("Russian MFA 🇷🇺"), ("Russian MFA", " 🇷🇺"));
        assert_eq!(split_trailing("MFA 🇷🇺🇧🇾 "), ("MFA", " 🇷🇺🇧🇾 "));
        assert_eq!(split_trailing("Plain name"), ("Plain name", ""));
    }

    #[test]
    fn keycaps_fold_to_digits() {
        assert_eq!(
            fold_keycaps("7️⃣8️⃣ years, 🔟 days, #️⃣ 5\u{20E3}"),
            "78 years, 10 days, # 5"
        );
        assert_eq!(fold_keycaps("plain 78"), "plain 78");
    }

    #[test]
    fn names_and_countries() {
        assert_eq!(emoji_info("📆").name.as_deref(), Some("tear-off calendar"));
        assert_eq!(emoji_info("📆").country, None);
        assert_eq!(flag_country("🇺🇸").as_deref(), Some("US"));
        assert_eq!(flag_country("📆"), None);
    }

    proptest::proptest! {
        #[test]
        fn markers_found_without_segmenting_are_those_segmenting_finds(
            first in proptest::sample::select(vec!["📌", "✍", "ℹ", "🇷", "👍", "\u{200D}", "⃣", "★"]),
            rest in proptest::collection::vec(
                proptest::sample::select(vec![
                    "\u{FE0F}", " ", "a", "Я", "7", "#", "\u{20E3}", "\u{200D}", "❤", "🇺",
                    "🏽", "📌", "\n",
                ]),
                0..6,
            ),
        ) {
            let line = format!("{first}{}", rest.concat());
            let end: usize = line
                .graphemes(true)
                .take_while(|g| is_emoji(g))
                .map(str::len)
                .sum();
            let segmented = (end > 0).then(|| line.split_at(end));
            proptest::prop_assert_eq!(split_leading(&line), segmented);
        }
    }
}

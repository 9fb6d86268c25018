//! Hashtags, mentions and URLs written in text, in any script.

use memchr::memchr3_iter;
use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take_while1},
    character::complete::char,
    combinator::{recognize, verify},
    sequence::preceded,
};

use crate::EntityKind;

/// Whether `c` can continue a hashtag: letters and digits of every script, `_`, and
/// combining marks (which scripts such as Devanagari need inside words).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || c == '_'
        || matches!(c, '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{0591}'..='\u{05C7}'
            | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0900}'..='\u{0DFF}'
            | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{FE20}'..='\u{FE2F}')
}

/// A hashtag: `#` and word characters, at least one of them not a digit (`#Victory78`,
/// `#ПодвигБытьДипломатом`; not `#1`).
pub fn hashtag(input: &str) -> IResult<&str, &str> {
    recognize(preceded(
        char('#'),
        verify(take_while1(is_word_char), |body: &str| {
            !body.chars().all(|c| c.is_ascii_digit())
        }),
    ))
    .parse(input)
}

/// A mention: `@` and a Telegram username (4–32 ASCII letters, digits and `_`, starting
/// with a letter).
pub fn mention(input: &str) -> IResult<&str, &str> {
    recognize(preceded(
        char('@'),
        verify(
            take_while1(|c: char| c.is_ascii_alphanumeric() || c == '_'),
            |name: &str| {
                (4..=32).contains(&name.len())
                    && name.starts_with(|c: char| c.is_ascii_alphabetic())
            },
        ),
    ))
    .parse(input)
}

/// A URL: `http://`, `https://`, `www.` or `t.me/` and everything up to white space,
/// without trailing punctuation (closing brackets are kept when the URL opened them).
pub fn url(input: &str) -> IResult<&str, &str> {
    let (_, whole) = recognize(preceded(
        alt((
            tag("https://"),
            tag("http://"),
            tag("www."),
            tag("t.me/"),
            tag("telegram.me/"),
        )),
        take_while1(|c: char| !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | '«' | '»')),
    ))
    .parse(input)?;
    let end = url_end(whole);
    Ok((&input[end..], &input[..end]))
}

/// Length of `candidate` once trailing punctuation that belongs to the sentence is dropped.
fn url_end(candidate: &str) -> usize {
    let mut url = candidate;
    while let Some(last) = url.chars().next_back() {
        let keep = match last {
            ')' => url.matches('(').count() >= url.matches(')').count(),
            ']' => url.matches('[').count() >= url.matches(']').count(),
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '’' | '”' | '…' | '}' => false,
            _ => true,
        };
        if keep {
            break;
        }
        url = &url[..url.len() - last.len_utf8()];
    }
    url.len()
}

/// One span found by [`scan`]: its kind and byte range in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Hashtag, mention or link.
    pub kind: EntityKind,
    /// Byte range in the scanned text.
    pub range: std::ops::Range<usize>,
}

/// Finds every hashtag, mention and URL in `text`, in order, without overlaps.
///
/// ```
/// use tgexport::analysis::scan;
/// let spans = scan("Read @MFARussia: https://mid.ru/en #Victory78.");
/// let found: Vec<_> = spans.iter().map(|s| &"Read @MFARussia: https://mid.ru/en #Victory78."[s.range.clone()]).collect();
/// assert_eq!(found, ["@MFARussia", "https://mid.ru/en", "#Victory78"]);
/// ```
pub fn scan(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut resume = 0;
    // Every construct is found from a marker byte: `#`, `@`, or a `.`, which every URL
    // contains (in its host); from a `.` we look back for where the URL would start.
    for at in memchr3_iter(b'#', b'@', b'.', text.as_bytes()) {
        if at < resume {
            continue;
        }
        let found = match text.as_bytes()[at] {
            b'#' if starts_word(text, at) => hashtag(&text[at..])
                .ok()
                .map(|(rest, _)| (EntityKind::Hashtag, at, rest)),
            b'@' if starts_word(text, at) => mention(&text[at..])
                .ok()
                .map(|(rest, _)| (EntityKind::Mention, at, rest)),
            b'.' => url_start(text, at, resume).and_then(|start| {
                url(&text[start..])
                    .ok()
                    .map(|(rest, _)| (EntityKind::Link, start, rest))
            }),
            _ => None,
        };
        if let Some((kind, start, rest)) = found {
            let end = text.len() - rest.len();
            if end > at {
                spans.push(Span {
                    kind,
                    range: start..end,
                });
                resume = end;
            }
        }
    }
    spans
}

/// Whether a construct may start at `at`: at the beginning or after a non-word character.
fn starts_word(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !is_word_char(c) && c != '#' && c != '@')
}

/// Where a URL containing the `.` at `dot` would start: the first URL prefix in the
/// white-space-delimited word around it, not before `floor`.
fn url_start(text: &str, dot: usize, floor: usize) -> Option<usize> {
    let word_start = text[floor..dot]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(floor, |(i, c)| floor + i + c.len_utf8());
    let word_end = text[dot..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| dot + i);
    let word = &text[word_start..word_end];
    // Most dots end sentences; only words with a slash or `www.` can hold a URL.
    if !word.contains('/') && !word.contains("www.") {
        return None;
    }
    ["https://", "http://", "www.", "t.me/", "telegram.me/"]
        .into_iter()
        .filter_map(|prefix| word.find(prefix))
        .map(|i| word_start + i)
        .filter(|&start| start <= dot && starts_url(text, start))
        .min()
}

/// Whether a URL may start at `at`: not glued to a preceding word or domain.
fn starts_url(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric() && c != '.' && c != '/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, &str)> {
        scan(text)
            .into_iter()
            .map(|s| (s.kind.to_string(), &text[s.range]))
            .collect()
    }

    fn expect<'a>(pairs: &[(&str, &'a str)]) -> Vec<(String, &'a str)> {
        pairs.iter().map(|&(k, t)| (k.to_owned(), t)).collect()
    }

    #[test]
    fn hashtags_in_any_script() {
        assert_eq!(hashtag("#Victory78 x"), Ok((" x", "#Victory78")));
        assert_eq!(
            hashtag("#ПодвигБытьДипломатом."),
            Ok((".", "#ПодвигБытьДипломатом"))
        );
        assert_eq!(hashtag("#报道 "), Ok((" ", "#报道")));
        assert_eq!(hashtag("#snake_case"), Ok(("", "#snake_case")));
        assert!(hashtag("#1").is_err());
        assert!(hashtag("# tag").is_err());
    }

    #[test]
    fn mentions_are_usernames() {
        assert_eq!(mention("@MFARussia,"), Ok((",", "@MFARussia")));
        assert!(mention("@abc").is_err());
        assert!(mention("@1abcd").is_err());
    }

    #[test]
    fn urls_drop_sentence_punctuation() {
        assert_eq!(url("https://mid.ru/en."), Ok((".", "https://mid.ru/en")));
        assert_eq!(
            url("https://en.wikipedia.org/wiki/Elbe_(river)), x"),
            Ok(("), x", "https://en.wikipedia.org/wiki/Elbe_(river)"))
        );
        assert_eq!(url("t.me/MFARussia!"), Ok(("!", "t.me/MFARussia")));
        assert_eq!(url("www.kremlin.ru"), Ok(("", "www.kremlin.ru")));
        assert!(url("https:// x").is_err());
    }

    #[test]
    fn scan_finds_each_kind_once_in_order() {
        assert_eq!(
            found(
                "See t.me/MFARussia and https://mid.ru/#anchor, @MFARussia #Победа80 #WeWereAllies"
            ),
            expect(&[
                ("link", "t.me/MFARussia"),
                ("link", "https://mid.ru/#anchor"),
                ("mention", "@MFARussia"),
                ("hashtag", "#Победа80"),
                ("hashtag", "#WeWereAllies"),
            ])
        );
    }

    #[test]
    fn scan_skips_emails_and_mid_word_marks() {
        assert_eq!(
            found("mail info@mid.ru or C#sharp or a#b. End."),
            expect(&[])
        );
        assert_eq!(
            found("(www.example.com/path)"),
            expect(&[("link", "www.example.com/path")])
        );
        assert_eq!(
            found("https://a.b/c.d."),
            expect(&[("link", "https://a.b/c.d")])
        );
    }
}

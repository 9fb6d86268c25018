//! Hashtags, mentions and URLs written in text, in any script.

use memchr::memchr3_iter;
use nom::{
    IResult, Parser,
    bytes::complete::take_while1,
    character::complete::char,
    combinator::{recognize, verify},
    sequence::preceded,
};

use crate::EntityKind;

/// Whether `c` can continue a hashtag: letters and digits of every script, `_`, and
/// combining marks (which scripts such as Devanagari need inside words).
fn is_word_char(c: char) -> bool {
    // Cyrillic and CJK letters first: the general lookup is a search of Unicode's tables,
    // and hashtags of the channels this reads are mostly in these scripts.
    matches!(c, 'А'..='я' | 'Ё' | 'ё' | '\u{4E00}'..='\u{9FFF}')
        || c.is_alphanumeric()
        || c == '_'
        || matches!(c, '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{0591}'..='\u{05C7}'
            | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0900}'..='\u{0DFF}'
            | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{FE20}'..='\u{FE2F}')
}

/// A hashtag: `#` and word characters, at least one of them not a digit (`#Victory78`,
/// `#ПодвигБытьДипломатом`; not `#1`).
pub(crate) fn hashtag(input: &str) -> IResult<&str, &str> {
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
pub(crate) fn mention(input: &str) -> IResult<&str, &str> {
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
pub(crate) fn url(input: &str) -> IResult<&str, &str> {
    let (_, whole) = recognize(preceded(
        url_prefix,
        take_while1(|c: char| !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | '«' | '»')),
    ))
    .parse(input)?;
    let end = url_end(whole);
    Ok((&input[end..], &input[..end]))
}

/// What a URL written in text starts with.
const URL_PREFIXES: [&str; 5] = ["https://", "http://", "www.", "t.me/", "telegram.me/"];

/// One of the [`URL_PREFIXES`].
fn url_prefix(input: &str) -> IResult<&str, &str> {
    URL_PREFIXES
        .iter()
        .find_map(|prefix| input.strip_prefix(prefix).map(|rest| (rest, *prefix)))
        .ok_or_else(|| nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Tag)))
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
    let hints = url_hints(text.as_bytes());
    // Every construct is found from a marker byte: `#`, `@`, or a `.`, which every URL
    // contains (in its host); from a `.` we look back for where the URL would start. A
    // text without hints has no URL: its dots (every sentence's) are not searched for.
    let dot = if hints.is_empty() { b'#' } else { b'.' };
    for at in memchr3_iter(b'#', b'@', dot, text.as_bytes()) {
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
            b'.' => url_start(text, at, resume, &hints).and_then(|start| {
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

/// Where the slashes and `www.` of `bytes` are, in order: only a word with one of them
/// can hold a URL, and most texts have few.
fn url_hints(bytes: &[u8]) -> Vec<usize> {
    let mut hints: Vec<usize> = memchr::memchr_iter(b'/', bytes).collect();
    static WWW: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("www."));
    hints.extend(WWW.find_iter(bytes));
    hints.sort_unstable();
    hints
}

/// Where a URL containing the `.` at `dot` would start: the first URL prefix in the
/// white-space-delimited word around it, not before `floor`. `hints` are the
/// [`url_hints`] of `text`.
fn url_start(text: &str, dot: usize, floor: usize, hints: &[usize]) -> Option<usize> {
    let word_end = text[dot..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| dot + i);
    // Most dots end sentences, in words without a hint: rule them out before looking
    // for where the word starts.
    let next = hints.partition_point(|&hint| hint < dot);
    let hint_after = hints.get(next).is_some_and(|&hint| hint < word_end);
    let hint_before = next > 0
        && hints[next - 1] >= floor
        && !text[hints[next - 1]..dot]
            .chars()
            .rev()
            .any(char::is_whitespace);
    if !hint_after && !hint_before {
        return None;
    }
    let word_start = text[floor..dot]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(floor, |(i, c)| floor + i + c.len_utf8());
    // The first place of each prefix in the word; each starts with `h`, `w` or `t`.
    let word = &text.as_bytes()[word_start..word_end];
    let mut first = [None; URL_PREFIXES.len()];
    for at in memchr3_iter(b'h', b'w', b't', word) {
        for (prefix, first) in URL_PREFIXES.iter().zip(&mut first) {
            if first.is_none() && word[at..].starts_with(prefix.as_bytes()) {
                *first = Some(at);
            }
        }
    }
    first
        .into_iter()
        .flatten()
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

    #[test]
    fn urls_are_found_from_hints_on_either_side_of_a_dot() {
        // The slash after the dot, before it, or only `www.`: each word is a URL; the
        // sentence dots around them are not.
        assert_eq!(
            found("Go to example.org/a. Or https://localhost/x.y. Or www.kremlin.ru. Done."),
            expect(&[
                ("link", "https://localhost/x.y"),
                ("link", "www.kremlin.ru"),
            ])
        );
        assert_eq!(url_hints(b"a/b www. c/"), [1, 4, 10]);
        // A prefix glued to a word does not start a URL, its later twin does not either.
        assert_eq!(found("xhttps://a.b/https://c.d"), expect(&[]));
    }

    /// The plain search `url_start` shortens: every prefix looked for in the whole word.
    fn url_start_plain(text: &str, dot: usize, floor: usize) -> Option<usize> {
        let word_start = text[floor..dot]
            .rfind(char::is_whitespace)
            .map_or(floor, |i| {
                floor + i + text[floor + i..].chars().next().unwrap().len_utf8()
            });
        let word_end = text[dot..]
            .find(char::is_whitespace)
            .map_or(text.len(), |i| dot + i);
        let word = &text[word_start..word_end];
        URL_PREFIXES
            .iter()
            .filter_map(|prefix| word.find(prefix))
            .map(|i| word_start + i)
            .filter(|&start| start <= dot && starts_url(text, start))
            .min()
    }

    proptest::proptest! {
        #[test]
        fn url_starts_are_those_of_the_plain_search(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    ".", "/", "www", "w", "https://", "http:", "t.me/", "telegram.me/", "me",
                    "x", " ", "\u{a0}", "ы", "#", "a.b",
                ]),
                0..16,
            ),
            floor_at in 0usize..64,
        ) {
            let text = pieces.concat();
            let hints = url_hints(text.as_bytes());
            for (dot, _) in text.match_indices('.') {
                let floor = (0..=floor_at.min(dot)).rev().find(|&i| text.is_char_boundary(i)).unwrap();
                proptest::prop_assert_eq!(
                    url_start(&text, dot, floor, &hints),
                    url_start_plain(&text, dot, floor),
                    "dot at {} in {:?}", dot, text
                );
            }
        }
    }

    #[test]
    fn the_script_fast_path_agrees_with_unicode() {
        let fast = ('А'..='я').chain(['Ё', 'ё']).chain('\u{4E00}'..='\u{9FFF}');
        for c in fast {
            assert!(c.is_alphanumeric(), "{c:?}");
        }
    }
}

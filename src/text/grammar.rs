//! The line grammar of a plain-text channel copy: one nom parser per construct.
//!
//! Each parser takes a whole line (without its line ending) and succeeds only if the whole
//! line is that construct; what no parser accepts is a paragraph.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take_while_m_n},
    character::complete::{alpha1, char, space0, space1},
    combinator::{all_consuming, map, map_res, opt, rest, value, verify},
    multi::separated_list1,
    sequence::{preceded, terminated},
};

use crate::MediaKind;
use crate::analysis::{self, ENGLISH_MONTHS, count, hashtag, split_leading};

/// No line longer than this (in bytes) is a placeholder, button, clock, footer or day
/// separator, so longer lines skip those parsers.
pub const LONGEST_SHORT_CONSTRUCT: usize = 64;

/// The error of a parser that checks a whole line itself.
fn reject(line: &str) -> nom::Err<nom::error::Error<&str>> {
    nom::Err::Error(nom::error::Error::new(line, nom::error::ErrorKind::Verify))
}

/// `Russian MFA – Telegram`: the page title a copy starts with; yields the name.
pub fn page_title(line: &str) -> IResult<&str, &str> {
    all_consuming(map(
        verify(rest, |l: &str| {
            l.ends_with(" – Telegram") && l.len() > " – Telegram".len()
        }),
        |l: &str| &l[..l.len() - " – Telegram".len()],
    ))
    .parse(line)
}

/// `1.15K subscribers`, `1 file`: a channel counter; yields the count and its label.
pub fn counter(line: &str) -> IResult<&str, (u64, &str)> {
    all_consuming((
        terminated(count, char(' ')),
        verify(alpha1, |label: &str| {
            matches!(
                label,
                "subscriber"
                    | "subscribers"
                    | "member"
                    | "members"
                    | "photo"
                    | "photos"
                    | "video"
                    | "videos"
                    | "file"
                    | "files"
                    | "link"
                    | "links"
                    | "online"
            )
        }),
    ))
    .parse(line)
}

/// The button that ends a channel header: `Download Telegram` on t.me itself; `Join Channel`
/// where a mirror of t.me rewrote it, and `加入频道` on a mirror's Chinese page. A page
/// saved re-indented and copied may put a space before it.
pub fn download_telegram(line: &str) -> IResult<&str, ()> {
    value(
        (),
        all_consuming(preceded(
            space0,
            alt((
                tag("Download Telegram"),
                tag("Join Channel"),
                tag("加入频道"),
            )),
        )),
    )
    .parse(line)
}

/// `Download`: the link in the top bar of a t.me page, the first line of a copy of a page
/// saved without its style sheet.
pub fn top_bar(line: &str) -> IResult<&str, ()> {
    value((), all_consuming(tag("Download"))).parse(line)
}

/// `to view and join the conversation`: the line a page without its style sheet shows
/// under the header's `Download Telegram`.
pub fn join_prompt(line: &str) -> IResult<&str, ()> {
    value((), all_consuming(tag("to view and join the conversation"))).parse(line)
}

/// `No posts found`: what the page of a channel without posts shows in their place.
pub fn no_posts(line: &str) -> IResult<&str, ()> {
    value((), all_consuming(tag("No posts found"))).parse(line)
}

/// Counter labels of pages in other languages, each with the English label it stands for.
const COUNTER_LABELS: [(&str, &str); 40] = [
    ("подписчик", "subscribers"),
    ("подписчика", "subscribers"),
    ("подписчиков", "subscribers"),
    ("фото", "photos"),
    ("видео", "videos"),
    ("файл", "files"),
    ("файла", "files"),
    ("файлов", "files"),
    ("ссылка", "links"),
    ("ссылки", "links"),
    ("ссылок", "links"),
    ("підписник", "subscribers"),
    ("підписники", "subscribers"),
    ("підписників", "subscribers"),
    ("посилання", "links"),
    ("файли", "files"),
    ("файлів", "files"),
    ("suscriptor", "subscribers"),
    ("suscriptores", "subscribers"),
    ("fotos", "photos"),
    ("vídeos", "videos"),
    ("archivos", "files"),
    ("enlaces", "links"),
    ("Abonnent", "subscribers"),
    ("Abonnenten", "subscribers"),
    ("Videos", "videos"),
    ("Dateien", "files"),
    ("Links", "links"),
    ("abonnés", "subscribers"),
    ("liens", "links"),
    ("fichiers", "files"),
    ("vidéos", "videos"),
    ("مشترک", "subscribers"),
    ("عکس", "photos"),
    ("ویدیو", "videos"),
    ("مشترك", "subscribers"),
    ("مشتركين", "subscribers"),
    ("订阅者", "subscribers"),
    ("照片", "photos"),
    ("视频", "videos"),
];

/// `1.15K подписчиков`, `3 Dateien`: a counter of a page in another language (a count and a
/// label of one or two words in any script); yields the count and the English label when
/// the label is known, else the label as written. The assembler only takes these inside a
/// header that its closing button confirms.
pub fn localized_counter(line: &str) -> IResult<&str, (u64, &str)> {
    let label = verify(rest, |label: &str| {
        (1..=32).contains(&label.len())
            && label.split(' ').count() <= 2
            && label.chars().all(|c| c.is_alphabetic() || c == ' ')
            && !label.starts_with(' ')
            && !label.ends_with(' ')
    });
    map(
        all_consuming((terminated(count, char(' ')), label)),
        |(n, label)| {
            let english = COUNTER_LABELS
                .iter()
                .find(|(local, _)| *local == label)
                .map_or(label, |(_, english)| english);
            (n, english)
        },
    )
    .parse(line)
}

/// `@MFARussia` alone on a line: the channel's username; yields it without `@`.
pub fn username_line(line: &str) -> IResult<&str, &str> {
    all_consuming(preceded(
        char('@'),
        verify(
            nom::bytes::complete::take_while1(|c: char| c.is_ascii_alphanumeric() || c == '_'),
            |name: &str| name.len() >= 4,
        ),
    ))
    .parse(line)
}

/// `Forwarded from Russian MFA 🇷🇺`; yields what follows `Forwarded from `.
pub fn forward_header(line: &str) -> IResult<&str, &str> {
    preceded(
        tag("Forwarded from "),
        verify(rest, |name: &str| !name.trim().is_empty()),
    )
    .parse(line)
}

/// The sentences a browser shows instead of media it cannot play, each a whole line
/// (compared whole, which mostly compares lengths: this runs on every short line).
pub fn media_placeholder(line: &str) -> IResult<&str, MediaKind> {
    [
        MediaKind::NotSupported,
        MediaKind::TooBig,
        MediaKind::OpenInTelegram,
    ]
    .into_iter()
    .find(|kind| kind.placeholder() == Some(line))
    .map(|kind| (&line[line.len()..], kind))
    .ok_or_else(|| nom::Err::Error(nom::error::Error::new(line, nom::error::ErrorKind::Tag)))
}

/// `VIEW IN TELEGRAM`, the button under a placeholder.
pub fn view_in_telegram(line: &str) -> IResult<&str, ()> {
    value((), all_consuming(tag("VIEW IN TELEGRAM"))).parse(line)
}

fn two_digits(input: &str) -> IResult<&str, u32> {
    map_res(
        take_while_m_n(2, 2, |c: char| c.is_ascii_digit()),
        str::parse,
    )
    .parse(input)
}

/// `0:12`, `12:05`, `1:02:03`: a clock reading, as a media duration or a post's time.
/// Only the canonical form is accepted (`0:12`, not `00:12` or `75:00`), so the line
/// renders back exactly from its seconds. Yields the fields.
pub fn clock(line: &str) -> IResult<&str, (u32, u32, Option<u32>)> {
    verify(
        all_consuming((
            map_res(
                take_while_m_n(1, 3, |c: char| c.is_ascii_digit()),
                str::parse::<u32>,
            ),
            preceded(char(':'), verify(two_digits, |&m| m < 60)),
            opt(preceded(char(':'), verify(two_digits, |&s| s < 60))),
        )),
        |&fields| format_duration(clock_seconds(fields)) == line,
    )
    .parse(line)
}

/// Seconds of a clock reading taken as a duration (`1:02:03` → 3723).
pub fn clock_seconds((first, second, third): (u32, u32, Option<u32>)) -> u32 {
    match third {
        None => first * 60 + second,
        Some(third) => first * 3600 + second * 60 + third,
    }
}

/// Renders a duration the way [`clock`] accepts it.
pub fn format_duration(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// What one footer line says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FooterParts {
    /// A view count, with or without `views`.
    pub views: Option<u64>,
    /// Whether the count stood alone, without `views`.
    pub bare_count: bool,
    /// Whether `edited` was written.
    pub edited: bool,
    /// The time of day, as written.
    pub time: Option<String>,
}

/// `214.4K views`, `214.4K`, `edited`, `10:20`, `edited 10:20`, `1.2K views edited 10:20`:
/// a post's footer, as space-separated parts; or a [`glued_footer`].
pub fn footer_line(line: &str) -> IResult<&str, FooterParts> {
    // Every part starts with a digit or `edited`: most short paragraphs fail here.
    if !line.starts_with(|c: char| c.is_ascii_digit() || c == 'e') {
        return Err(nom::Err::Error(nom::error::Error::new(
            line,
            nom::error::ErrorKind::Alt,
        )));
    }
    spaced_footer(line).or_else(|_| glued_footer(line))
}

/// The parts of a footer each set apart by spaces, in any order.
fn spaced_footer(line: &str) -> IResult<&str, FooterParts> {
    #[derive(Clone)]
    enum Part<'a> {
        Views(u64, bool),
        Edited,
        Time(&'a str),
    }
    let views = map(
        (
            count,
            opt(preceded(char(' '), alt((tag("views"), tag("view"))))),
        ),
        |(n, word)| Part::Views(n, word.is_none()),
    );
    let time = map(
        verify(
            nom::bytes::complete::take_while1(|c: char| c.is_ascii_digit() || c == ':'),
            |t: &str| time_of_day(t).is_ok(),
        ),
        Part::Time,
    );
    let (rest, parts) = all_consuming(separated_list1(
        space1,
        alt((time, views, value(Part::Edited, tag("edited")))),
    ))
    .parse(line)?;
    let mut footer = FooterParts::default();
    for part in parts {
        match part {
            Part::Views(n, bare) => {
                footer.views = Some(n);
                footer.bare_count = bare;
            }
            Part::Edited => footer.edited = true,
            Part::Time(t) => footer.time = Some(t.to_owned()),
        }
    }
    Ok((rest, footer))
}

/// `1.2K views10:20`, `980 viewsedited  11:05`: a footer as a copy of a page without its
/// style sheet glues it: views, maybe `edited`, then the time, with no or odd spaces.
pub fn glued_footer(line: &str) -> IResult<&str, FooterParts> {
    let views = terminated(count, (char(' '), alt((tag("views"), tag("view")))));
    let edited = map(opt(terminated(tag("edited"), space0)), |e| e.is_some());
    let time = verify(rest, |t: &str| time_of_day(t).is_ok());
    map(
        all_consuming((views, space0, edited, time)),
        |(views, _, edited, time)| FooterParts {
            views: Some(views),
            bare_count: false,
            edited,
            time: Some(time.to_owned()),
        },
    )
    .parse(line)
}

/// `10:20`, `9:05`: a time of day.
pub fn time_of_day(line: &str) -> IResult<&str, (u32, u32)> {
    all_consuming((
        verify(
            map_res(
                take_while_m_n(1, 2, |c: char| c.is_ascii_digit()),
                str::parse::<u32>,
            ),
            |&h| h < 24,
        ),
        preceded(char(':'), verify(two_digits, |&m| m < 60)),
    ))
    .parse(line)
}

/// `November 16` or `November 16, 2023`: a day separator between posts.
pub fn day_separator(line: &str) -> IResult<&str, &str> {
    let month = verify(alpha1, |m: &str| ENGLISH_MONTHS.contains(&m));
    let day = verify(
        map_res(
            take_while_m_n(1, 2, |c: char| c.is_ascii_digit()),
            str::parse::<u32>,
        ),
        |&d| (1..=31).contains(&d),
    );
    let year = preceded(
        tag(", "),
        take_while_m_n(4, 4, |c: char| c.is_ascii_digit()),
    );
    all_consuming(nom::combinator::recognize((
        month,
        char(' '),
        day,
        opt(year),
    )))
    .parse(line)
}

/// `On 6 March, Ghana…`, `September 15 marks…`, `12 мая в Москве…`: a line that opens with
/// a day and month, with or without a year (after `On`/`В` maybe), the way dated posts of a
/// channel open.
pub fn dated_lead(line: &str) -> IResult<&str, &str> {
    let date = alt((
        map(analysis::date, |(text, _, _)| text),
        map(analysis::month_day, |(text, _, _)| text),
    ));
    terminated(
        preceded(opt(alt((tag("On "), tag("В "), tag("в ")))), date),
        verify(rest, |after: &str| {
            after.is_empty() || after.starts_with([' ', ','])
        }),
    )
    .parse(line)
}

/// `#WeWereAllies #Victory78`: a line of hashtags only, as posts end with.
pub fn hashtag_line(line: &str) -> IResult<&str, ()> {
    let mut words = line.split_whitespace().peekable();
    let all = words.peek().is_some() && words.all(|w| hashtag(w).is_ok_and(|(r, _)| r.is_empty()));
    if all {
        Ok((&line[line.len()..], ()))
    } else {
        Err(reject(line))
    }
}

/// One reaction of a reaction line: its emoji (`None` when the picture did not copy, as
/// for custom emoji and paid stars) and its count.
pub type ReactionCount<'a> = (Option<&'a str>, u64);

/// `👍48👏3🥰1`, `7👍5🙏2`, `❤🔥6`: the reactions under a post, written together, each an
/// emoji and its count; a count with no emoji before it may come first (its picture did
/// not copy). A bare count alone is left to the assembler, which knows its neighbours.
pub fn reactions_line(line: &str) -> IResult<&str, Vec<ReactionCount<'_>>> {
    // Every reaction line ends with a count and has no space: most paragraphs fail here.
    if !line.ends_with(|c: char| c.is_ascii_digit() || matches!(c, 'K' | 'M')) || line.contains(' ')
    {
        return Err(reject(line));
    }
    let emoji = verify(
        nom::bytes::complete::take_till1(|c: char| c.is_ascii_digit()),
        |run: &str| split_leading(run).is_some_and(|(_, rest)| rest.is_empty()),
    );
    let (rest, (lost, shown)) =
        all_consuming((opt(count), nom::multi::many1((map(emoji, Some), count)))).parse(line)?;
    let mut reactions = Vec::with_capacity(shown.len() + 1);
    reactions.extend(lost.map(|n| (None, n)));
    reactions.extend(shown);
    Ok((rest, reactions))
}

/// `6.2 MB`, `845.3 KB`, `1 GB`: the size a copy shows under a file's name; yields the
/// number and unit as written.
pub fn file_size(line: &str) -> IResult<&str, &str> {
    all_consuming(nom::combinator::recognize((
        nom::character::complete::digit1,
        opt(preceded(char('.'), nom::character::complete::digit1)),
        char(' '),
        alt((tag("B"), tag("KB"), tag("MB"), tag("GB"), tag("TB"))),
    )))
    .parse(line)
}

/// `Microservices_in_practice.pdf`: a file name alone on a line (no space at either end, an
/// extension of one to five letters or digits); yields it.
pub fn file_name(line: &str) -> IResult<&str, &str> {
    let plausible = line.len() <= 255
        && line.trim() == line
        && line.rsplit_once('.').is_some_and(|(stem, ext)| {
            !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.bytes().all(|b| b.is_ascii_alphanumeric())
                && ext.bytes().any(|b| b.is_ascii_alphabetic())
        });
    if plausible {
        Ok((&line[line.len()..], line))
    } else {
        Err(reject(line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_constructs_fit_the_length_bound() {
        for kind in [
            MediaKind::NotSupported,
            MediaKind::TooBig,
            MediaKind::OpenInTelegram,
        ] {
            assert!(kind.placeholder().unwrap().len() <= LONGEST_SHORT_CONSTRUCT);
        }
        for longest_footer in ["999.9K views edited 23:59", "999.9K viewsedited  23:59"] {
            assert!(
                footer_line(longest_footer).is_ok()
                    && longest_footer.len() <= LONGEST_SHORT_CONSTRUCT
            );
        }
        assert!("September 30, 2025".len() <= LONGEST_SHORT_CONSTRUCT);
    }

    #[test]
    fn page_title_yields_name() {
        assert_eq!(
            page_title("Russian MFA – Telegram"),
            Ok(("", "Russian MFA"))
        );
        assert!(page_title(" – Telegram").is_err());
        assert!(page_title("Telegram").is_err());
    }

    #[test]
    fn counters_singular_and_plural() {
        assert_eq!(
            counter("1.15K subscribers"),
            Ok(("", (1150, "subscribers")))
        );
        assert_eq!(counter("1 file"), Ok(("", (1, "file"))));
        assert_eq!(counter("1.97K links"), Ok(("", (1970, "links"))));
        assert!(counter("7 years").is_err());
        assert!(counter("359 videos more").is_err());
    }

    #[test]
    fn localized_counters() {
        assert_eq!(
            localized_counter("1.15K подписчиков"),
            Ok(("", (1150, "subscribers")))
        );
        assert_eq!(localized_counter("3 Dateien"), Ok(("", (3, "files"))));
        assert_eq!(
            localized_counter("12 订阅者"),
            Ok(("", (12, "subscribers")))
        );
        assert_eq!(
            localized_counter("7 фотографий"),
            Ok(("", (7, "фотографий")))
        );
        for line in [
            "2024 was a year",
            "12",
            "5 km2",
            "3 files ",
            "1.2K three word label",
        ] {
            assert!(localized_counter(line).is_err(), "{line}");
        }
    }

    #[test]
    fn header_lines() {
        assert!(download_telegram("Join Channel").is_ok() && download_telegram("加入频道").is_ok());
        assert!(download_telegram("Download Telegram").is_ok());
        assert!(download_telegram("Download Telegram now").is_err());
        assert_eq!(username_line("@MFARussia"), Ok(("", "MFARussia")));
        assert!(username_line("@MFARussia said").is_err());
    }

    #[test]
    fn forward_headers() {
        assert_eq!(
            forward_header("Forwarded from Russian MFA 🇷🇺"),
            Ok(("", "Russian MFA 🇷🇺"))
        );
        assert!(forward_header("Forwarded from ").is_err());
        assert!(forward_header("Forwarded fromX").is_err());
    }

    #[test]
    fn placeholders_and_button() {
        assert_eq!(
            media_placeholder("Media is too big"),
            Ok(("", MediaKind::TooBig))
        );
        assert_eq!(
            media_placeholder("Please open Telegram to view this post"),
            Ok(("", MediaKind::OpenInTelegram))
        );
        assert_eq!(
            media_placeholder("This media is not supported in your browser"),
            Ok(("", MediaKind::NotSupported))
        );
        assert!(media_placeholder("Media is too big!").is_err());
        assert!(view_in_telegram("VIEW IN TELEGRAM").is_ok());
        assert!(view_in_telegram("View in Telegram").is_err());
    }

    #[test]
    fn clocks_are_canonical() {
        assert_eq!(clock("0:12").map(|(_, c)| clock_seconds(c)), Ok(12));
        assert_eq!(clock("1:02:03").map(|(_, c)| clock_seconds(c)), Ok(3723));
        assert!(clock("00:12").is_err());
        assert!(clock("0:60").is_err());
        assert_eq!(format_duration(12), "0:12");
        assert_eq!(format_duration(3723), "1:02:03");
    }

    #[test]
    fn footer_lines() {
        let views = footer_line("214.4K views").unwrap().1;
        assert_eq!((views.views, views.bare_count), (Some(214_400), false));
        let all = footer_line("1.2K edited 10:20").unwrap().1;
        assert_eq!(
            (all.views, all.bare_count, all.edited, all.time.as_deref()),
            (Some(1200), true, true, Some("10:20"))
        );
        assert!(footer_line("edited").unwrap().1.edited);
        assert!(footer_line("edited by me").is_err());
        assert!(footer_line("25:00").is_err());
    }

    #[test]
    fn glued_footers() {
        let glued = footer_line("1.2K views10:20").unwrap().1;
        assert_eq!(
            (glued.views, glued.edited, glued.time.as_deref()),
            (Some(1200), false, Some("10:20"))
        );
        let edited = glued_footer("980 viewsedited  11:05").unwrap().1;
        assert_eq!(
            (
                edited.views,
                edited.bare_count,
                edited.edited,
                edited.time.as_deref()
            ),
            (Some(980), false, true, Some("11:05"))
        );
        assert!(glued_footer("1 view9:05").is_ok());
        for line in [
            "1.2K10:20",
            "1.2K views",
            "1.2K views10:20 ",
            "views10:20",
            "1.2K views25:00",
            "1.2K viewsedited",
        ] {
            assert!(glued_footer(line).is_err(), "{line}");
        }
    }

    #[test]
    fn page_chrome() {
        assert!(top_bar("Download").is_ok() && top_bar("Download Telegram").is_err());
        assert!(join_prompt("to view and join the conversation").is_ok());
        assert!(join_prompt("to view and join").is_err());
        assert!(no_posts("No posts found").is_ok() && no_posts("No posts found.").is_err());
        assert!(download_telegram(" Download Telegram").is_ok());
    }

    #[test]
    fn day_separators() {
        assert_eq!(day_separator("November 16"), Ok(("", "November 16")));
        assert_eq!(day_separator("May 9, 2024"), Ok(("", "May 9, 2024")));
        assert!(day_separator("Smarch 16").is_err());
        assert!(day_separator("November 16 was").is_err());
    }

    #[test]
    fn reaction_lines() {
        assert_eq!(
            reactions_line("👍48👏3🥰1").unwrap().1,
            [(Some("👍"), 48), (Some("👏"), 3), (Some("🥰"), 1)]
        );
        assert_eq!(
            reactions_line("7👍5🙏2").unwrap().1,
            [(None, 7), (Some("👍"), 5), (Some("🙏"), 2)]
        );
        assert_eq!(reactions_line("❤🔥6").unwrap().1, [(Some("❤🔥"), 6)]);
        assert_eq!(reactions_line("👍1.2K").unwrap().1, [(Some("👍"), 1200)]);
        // A bare count, words, spaces, keycaps and text between are not reaction lines.
        for line in [
            "15",
            "👍 48",
            "👍48 likes",
            "Top10",
            "1️⃣",
            "👍48a",
            "🔥🔥",
            "2024👍",
        ] {
            assert!(reactions_line(line).is_err(), "{line}");
        }
        assert_eq!(reactions_line("2024👍1").unwrap().1.len(), 2);
    }

    #[test]
    fn documents() {
        assert_eq!(file_size("6.2 MB"), Ok(("", "6.2 MB")));
        assert!(file_size("845 KB").is_ok() && file_size("1.1 GB").is_ok());
        assert!(file_size("6.2 mb").is_err() && file_size("6.2MB").is_err());
        assert_eq!(
            file_name("Microservices_in_practice.pdf"),
            Ok(("", "Microservices_in_practice.pdf"))
        );
        assert!(file_name("report 2024.docx").is_ok());
        for line in [
            "Read more.",
            "v1.2",
            ".pdf",
            "file.",
            "Hello world",
            " a.pdf",
            "a.toolong",
        ] {
            assert!(file_name(line).is_err(), "{line}");
        }
    }

    #[test]
    fn dated_leads() {
        for line in [
            "On 6 March, Ghana celebrates its Independence Day",
            "On September 15, Honduras marks its national holiday",
            "12 мая в Москве",
            "В 1945 году",
            "May 9",
        ] {
            assert_eq!(dated_lead(line).is_ok(), line != "В 1945 году", "{line}");
        }
        assert!(dated_lead("Mayday 9").is_err());
        assert!(dated_lead("On 6 Marches").is_err());
        assert!(dated_lead("On 32 March").is_err());
    }

    #[test]
    fn hashtag_lines() {
        assert!(hashtag_line("#RussiaCambodia #RussiaHelps").is_ok());
        assert!(hashtag_line("#IWD2024").is_ok());
        assert!(hashtag_line("#tag and words").is_err());
        assert!(hashtag_line("").is_err());
        assert!(hashtag_line("#1").is_err());
    }
}

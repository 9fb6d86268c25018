//! A `Reader` is `Send`: opened on one thread, read on another, for every format, with
//! what it reads unchanged.

use tgexport::{Export, Reader};

/// Fails to compile if `Reader` stops being `Send`.
const _: fn() = || {
    fn send<T: Send>() {}
    send::<Reader<'static>>();
    send::<Reader<'_>>();
};

/// One input of every format the fixtures hold (an HTML export folder included).
const INPUTS: &[&str] = &[
    "testdata/text/mfa_forwards.txt",
    "testdata/text/footerless_posts.txt",
    "testdata/tdesktop_json/2024_channel.json",
    "testdata/tdesktop_json/account.json",
    "testdata/tdesktop_html/channel.html",
    "testdata/tdesktop_html/folder",
    "testdata/tme_html/page.html",
];

fn here(path: &str) -> Export {
    tgexport::parse_path(path).unwrap()
}

#[test]
fn a_reader_opened_here_reads_the_same_on_another_thread() {
    for path in INPUTS {
        let reader = tgexport::read_path(path, None).unwrap();
        let there = std::thread::spawn(move || reader.into_export().unwrap())
            .join()
            .unwrap();
        assert_eq!(there, here(path), "{path}");
        assert!(!there.messages.is_empty(), "{path}");
    }
}

#[test]
fn a_reader_over_borrowed_bytes_moves_to_a_scoped_thread() {
    for path in INPUTS.iter().filter(|path| !path.ends_with("folder")) {
        let bytes = std::fs::read(path).unwrap();
        let expected = here(path);
        // A tiny buffer (too small to detect the format in): an HTML page is fed to its
        // parser in many chunks.
        let input = std::io::BufReader::with_capacity(7, &bytes[..]);
        let reader = tgexport::read_as(input, expected.format).unwrap();
        let there = std::thread::scope(|scope| {
            scope
                .spawn(move || reader.into_export().unwrap())
                .join()
                .unwrap()
        });
        assert_eq!(there, expected, "{path}");
    }
}

#[test]
fn adjusting_closures_travel_with_the_reader() {
    let reader = tgexport::read_path("testdata/tme_html/page.html", None)
        .unwrap()
        .adjust(|message| message.source = Some("moved".to_owned()))
        .retain(|message| message.id.is_some_and(|id| id % 2 == 0));
    let there = std::thread::spawn(move || reader.map(Result::unwrap).collect::<Vec<_>>())
        .join()
        .unwrap();
    let expected = here("testdata/tme_html/page.html").messages;
    let expected: Vec<_> = expected
        .into_iter()
        .filter(|m| m.id.is_some_and(|id| id % 2 == 0))
        .collect();
    assert!(!there.is_empty());
    assert_eq!(there.len(), expected.len());
    assert!(there.iter().all(|m| m.source.as_deref() == Some("moved")));
}

#[test]
fn an_html_reader_dropped_early_lets_its_parser_go() {
    let page = std::fs::read("testdata/tme_html/page.html").unwrap();
    let big: Vec<u8> = std::iter::repeat_n(&page[..], 200)
        .flatten()
        .copied()
        .collect();
    for _ in 0..20 {
        let input = std::io::BufReader::with_capacity(64, &big[..]);
        let mut reader = tgexport::read_as(input, tgexport::Format::TmeHtml).unwrap();
        assert!(reader.next().unwrap().is_ok());
        // Dropping must neither hang nor panic, whatever the parser is doing.
    }
}

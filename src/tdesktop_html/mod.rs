//! Telegram Desktop's HTML export: a folder of pages `messages.html`, `messages2.html`,
//! … (1000 messages each), read page by page, in numeric order, as one export.
//!
//! Each `div.message` block becomes a message: `default` ones are posts, `service` ones
//! with a positive id are service messages (their sentence is parsed into an action),
//! those with a negative id are date separators and are skipped. Sender and forward
//! source that `joined` blocks leave out are carried over from the block before, across
//! pages too. Markup the reader does not know is kept in the message's `extra.html` and
//! reported in the export's warnings with file and line.
//!
//! What the HTML does not show stays empty: edit dates, peer ids, the date of service
//! messages, the id of a message replied to in another chat, exact file sizes.

mod media;
mod message;
mod service;

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use message::Builder;

use crate::detect::{Detected, SNIFF_LEN, detect};
use crate::error::{Error, Result};
use crate::html::dom::Element;
use crate::html::stream::Blocks;
use crate::source::{Local, MessageSource, Reader};
use crate::{Export, Format, Message, Warning};

/// Parses one page held in memory.
///
/// ```
/// let page = r#"<div class="page_wrap"><div class="history">
/// <div class="message default clearfix" id="message7"><div class="body">
/// <div class="pull_right date details" title="14.05.2021 23:28:11 UTC+03:00">23:28</div>
/// <div class="from_name">Reading Room</div>
/// <div class="text">New shelf <a href="" onclick="return ShowHashtag(&quot;books&quot;)">#books</a></div>
/// </div></div></div></div>"#;
/// let export = tgexport::tdesktop_html::parse(page)?;
/// let message = &export.messages[0];
/// assert_eq!(message.id, Some(7));
/// assert_eq!(message.date.unwrap().to_string(), "2021-05-14T23:28:11+03:00");
/// assert_eq!(message.hashtags, ["#books"]);
/// # Ok::<(), tgexport::Error>(())
/// ```
pub fn parse(input: &str) -> Result<Export> {
    reader(input.as_bytes())?.into_export()
}

/// Reads one page, or any stream of one, message by message.
///
/// The page is parsed on a thread of its own, fed with `input`'s bytes as the messages
/// are read (html5ever's tokenizer cannot move between threads; the reader can).
pub fn reader<'a, R: BufRead + Send + 'a>(input: R) -> Result<Reader<'a>> {
    crate::source::fed(input, |input| {
        let page = Page {
            path: None,
            blocks: Blocks::new(Box::new(input), is_block),
        };
        Pages::start(Box::new(std::iter::once(Ok(page))))
    })
}

/// Reads an export folder message by message, one page at a time, so memory stays
/// bounded by the largest message however many pages there are. The pages are read and
/// parsed on a thread of its own.
pub fn open(folder: &Path) -> Result<Reader<'static>> {
    let files = page_files(folder)?;
    crate::source::on_worker(move || {
        let pages = files.into_iter().map(|path| {
            let file = File::open(&path).map_err(|e| Error::from(e).with_path(&path))?;
            Ok(Page {
                blocks: Blocks::new(Box::new(BufReader::with_capacity(1 << 16, file)), is_block),
                path: Some(path),
            })
        });
        Pages::start(Box::new(pages))
    })
}

/// The pages of an export folder in reading order: `messages.html`, `messages2.html`, …
pub fn page_files(folder: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(folder).map_err(|e| Error::from(e).with_path(folder))?;
    let mut pages = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::from(e).with_path(folder))?.path();
        if let Some(number) = page_number(&path) {
            pages.push((number, path));
        }
    }
    if pages.is_empty() {
        return Err(Error::NotAnExport {
            found: format!("{}: a folder without messages.html", folder.display()),
        });
    }
    pages.sort();
    Ok(pages.into_iter().map(|(_, path)| path).collect())
}

/// The export folder `path` stands for: `path` itself when it is a folder with pages,
/// or the folder of a page (`messages.html`, `messagesN.html`) that looks like a
/// Telegram Desktop page. `None` for anything else.
pub fn export_folder(path: &Path) -> Result<Option<PathBuf>> {
    if path.is_dir() {
        return Ok(Some(path.to_owned()));
    }
    if page_number(path).is_none() {
        return Ok(None);
    }
    let mut start = Vec::with_capacity(SNIFF_LEN);
    File::open(path)
        .and_then(|file| file.take(SNIFF_LEN as u64).read_to_end(&mut start))
        .map_err(|e| Error::from(e).with_path(path))?;
    let is_page = detect(&start) == Detected::Export(Format::TdesktopHtml);
    Ok(is_page.then(|| {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_owned()
    }))
}

/// 1 for `messages.html`, N for `messagesN.html`.
fn page_number(path: &Path) -> Option<u32> {
    let name = path.file_name()?.to_str()?;
    let digits = name.strip_prefix("messages")?.strip_suffix(".html")?;
    if digits.is_empty() {
        Some(1)
    } else if digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

/// The blocks of a page: the header, and every element directly inside the history.
fn is_block(element: &Element, parent: Option<&Element>) -> bool {
    element.has_class("page_header") || parent.is_some_and(|p| p.has_class("history"))
}

struct Page {
    path: Option<PathBuf>,
    blocks: Blocks<Box<dyn BufRead>>,
}

/// The messages of one or more pages, read as they are needed.
struct Pages {
    upcoming: Box<dyn Iterator<Item = Result<Page>>>,
    current: Option<Page>,
    /// Blocks of the current page so far, to tell a page from other HTML.
    blocks_seen: usize,
    builder: Builder,
    /// The first message, read ahead so the chat title is known before it.
    first: Option<Result<Message>>,
}

impl Pages {
    fn start(upcoming: Box<dyn Iterator<Item = Result<Page>>>) -> Result<Local> {
        let mut pages = Pages {
            upcoming,
            current: None,
            blocks_seen: 0,
            builder: Builder::default(),
            first: None,
        };
        match pages.next() {
            Some(Err(err)) => return Err(err),
            first => pages.first = first,
        }
        let channel = pages.builder.take_channel();
        Ok(Local::new(Format::TdesktopHtml, channel, Box::new(pages)))
    }

    /// Names the current page in `err`.
    fn locate(&self, err: Error) -> Error {
        match self.current.as_ref().and_then(|page| page.path.as_ref()) {
            Some(path) => err.with_path(path),
            None => err,
        }
    }
}

impl Iterator for Pages {
    type Item = Result<Message>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(first) = self.first.take() {
            return Some(first);
        }
        loop {
            let Some(page) = &mut self.current else {
                let page = match self.upcoming.next()? {
                    Ok(page) => page,
                    Err(err) => return Some(Err(err)),
                };
                let name = page.path.as_ref().map(|p| p.display().to_string());
                self.builder.diagnostics.set_file(name);
                self.current = Some(page);
                self.blocks_seen = 0;
                continue;
            };
            match page.blocks.next() {
                Some(Ok(block)) => {
                    self.blocks_seen += 1;
                    if let Some(message) = self.builder.read(&block) {
                        return Some(Ok(message));
                    }
                }
                Some(Err(err)) => return Some(Err(self.locate(err))),
                None if self.blocks_seen == 0 => {
                    let err = Error::NotAnExport {
                        found: "HTML without Telegram Desktop's div.page_header or div.history"
                            .to_owned(),
                    };
                    return Some(Err(self.locate(err)));
                }
                None => self.current = None,
            }
        }
    }
}

impl MessageSource for Pages {
    fn warnings(&self) -> Vec<Warning> {
        self.builder.diagnostics.warnings().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_order_pages() {
        assert_eq!(page_number(Path::new("x/messages.html")), Some(1));
        assert_eq!(page_number(Path::new("messages12.html")), Some(12));
        assert_eq!(page_number(Path::new("messages_old.html")), None);
        assert_eq!(page_number(Path::new("result.json")), None);
    }

    #[test]
    fn html_that_is_no_page_is_an_error() {
        let err = parse("<html><body><p>hello</p></body></html>").unwrap_err();
        assert!(err.to_string().contains("div.history"), "{err}");
    }
}

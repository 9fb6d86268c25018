//! t.me/s web previews saved as HTML: a channel page (`t.me/s/NAME`: the channel header
//! and a run of posts) or a single embedded post (`t.me/NAME/123?embed=1`).
//!
//! Each post becomes a message with its id (`data-post`), date with offset, views,
//! signature, `edited` mark (in `footer`), forward source and link, quoted reply, text
//! with entities, reactions, buttons and media. Players keep what they are (`video_file`,
//! `voice_message`…) and record the browser placeholder inside them in
//! `Media::placeholder`; a placeholder standing alone is the media's kind. A page is read
//! up to its channel header before its first post is handed out (the header may follow
//! the posts, and pages hold a few dozen); past [`READ_AHEAD`] posts without one, posts
//! stream, so a page of any size is read in bounded memory. A page that says `No posts
//! found` is a channel without posts: no messages, and nothing to warn about.

mod channel;
mod media;
mod post;

use std::io::BufRead;

use crate::error::{Error, Result};
use crate::html::Diagnostics;
use crate::html::dom::Element;
use crate::html::stream::Blocks;
use crate::source::{Chunks, Local, MessageSource, Reader};
use crate::{Channel, Export, Format, Message, Warning};

/// Parses a saved page held in memory.
///
/// ```
/// let page = r#"<div class="tgme_widget_message_wrap"><div class="tgme_widget_message" data-post="bench/12">
/// <div class="tgme_widget_message_bubble">
/// <div class="tgme_widget_message_text">Hello <a href="?q=%23bench">#bench</a></div>
/// <div class="tgme_widget_message_footer"><span class="tgme_widget_message_views">214.4K</span>
/// <span class="tgme_widget_message_meta"><a class="tgme_widget_message_date"><time datetime="2023-11-16T10:20:00+00:00">10:20</time></a></span></div>
/// </div></div></div>"#;
/// let export = tgexport::tme_html::parse(page)?;
/// let post = &export.messages[0];
/// assert_eq!((post.id, post.views), (Some(12), Some(214_400)));
/// assert_eq!(post.hashtags, ["#bench"]);
/// assert_eq!(export.channel.unwrap().username.as_deref(), Some("bench"));
/// # Ok::<(), tgexport::Error>(())
/// ```
pub fn parse(input: &str) -> Result<Export> {
    reader(input.as_bytes())?.into_export()
}

/// Posts read before the first is handed out while no channel header was seen.
pub const READ_AHEAD: usize = 1024;

/// Reads a saved page; its messages are then handed out one by one.
///
/// The page is parsed on a thread of its own, fed with `input`'s bytes as the messages
/// are read (html5ever's tokenizer cannot move between threads; the reader can).
pub fn reader<'a, R: BufRead + Send + 'a>(input: R) -> Result<Reader<'a>> {
    crate::source::fed(input, open)
}

/// Reads a page up to its first post and channel header, on the thread that reads it all.
fn open(input: Chunks) -> Result<Local> {
    let mut page = Page {
        blocks: Blocks::new(input, is_block),
        ahead: std::collections::VecDeque::new(),
        channel: None,
        username: None,
        diagnostics: Diagnostics::default(),
        index: 0,
        failed: false,
        no_posts: false,
    };
    while page.channel.is_none() && page.ahead.len() < READ_AHEAD {
        match page.read_block() {
            Some(Ok(Some(message))) => page.ahead.push_back(message),
            Some(Ok(None)) => {}
            Some(Err(err)) => return Err(err),
            None => break,
        }
    }
    if page.channel.is_none() && page.ahead.is_empty() && !page.no_posts {
        return Err(Error::NotAnExport {
            found: "HTML without t.me posts (div.tgme_widget_message) or channel header".to_owned(),
        });
    }
    let channel = page.channel();
    Ok(Local::new(Format::TmeHtml, channel, Box::new(page)))
}

/// A page being read: posts read ahead, then the rest as they come.
struct Page<R> {
    blocks: Blocks<R>,
    ahead: std::collections::VecDeque<Message>,
    channel: Option<Channel>,
    /// The channel named by the first post's `data-post`, for pages without a header.
    username: Option<String>,
    diagnostics: Diagnostics,
    index: usize,
    failed: bool,
    /// Whether the page said `No posts found` (`div.tme_no_messages_found`).
    no_posts: bool,
}

impl<R: BufRead> Page<R> {
    /// The next block: a post (`Some(Ok(Some(…)))`) or the channel header, kept.
    fn read_block(&mut self) -> Option<Result<Option<Message>>> {
        let block = match self.blocks.next()? {
            Ok(block) => block,
            Err(err) => return Some(Err(err)),
        };
        let root = block.root();
        self.diagnostics.note_cut_off(&block);
        if root.has_class("tgme_channel_info") {
            self.channel = Some(channel::read(root));
            return Some(Ok(None));
        }
        let found = post::find(root);
        if found.is_none() && root.find_class("tme_no_messages_found").is_some() {
            // A channel without posts says so where the posts would be.
            self.no_posts = true;
            return Some(Ok(None));
        }
        if self.username.is_none() {
            self.username = found
                .and_then(post::address)
                .map(|(name, _)| name.to_owned());
        }
        let message = post::read(root, self.index, &mut self.diagnostics);
        self.index += 1;
        Some(Ok(Some(message)))
    }
}

impl<R: BufRead> Iterator for Page<R> {
    type Item = Result<Message>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(message) = self.ahead.pop_front() {
            return Some(Ok(message));
        }
        while !self.failed {
            match self.read_block()? {
                Ok(Some(message)) => return Some(Ok(message)),
                Ok(None) => {}
                Err(err) => {
                    self.failed = true;
                    return Some(Err(err));
                }
            }
        }
        None
    }
}

impl<R: BufRead> MessageSource for Page<R> {
    fn warnings(&self) -> Vec<Warning> {
        self.diagnostics.warnings().to_vec()
    }

    /// Until the header is read, a later one may still name the channel.
    fn channel_settled(&self) -> bool {
        self.channel.is_some()
    }

    /// The header, or without one the channel the posts name in `data-post`.
    fn channel(&self) -> Option<Channel> {
        self.channel.clone().or_else(|| {
            self.username.clone().map(|username| Channel {
                username: Some(username),
                ..Channel::default()
            })
        })
    }
}

/// The blocks of a page: the channel header and each post, wrapped or not.
fn is_block(element: &Element, _parent: Option<&Element>) -> bool {
    element.has_class("tgme_channel_info")
        || element.has_class("tgme_widget_message_wrap")
        || (element.has_class("tgme_widget_message") && element.attr("data-post").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(id: usize) -> String {
        format!(
            r#"<div class="tgme_widget_message_wrap"><div class="tgme_widget_message" data-post="bench/{id}"><div class="tgme_widget_message_text">Post {id}</div></div></div>"#
        )
    }

    #[test]
    fn a_page_longer_than_the_read_ahead_streams_and_finds_a_late_header() {
        let posts: String = (1..=READ_AHEAD + 5).map(post).collect();
        let header = r#"<div class="tgme_channel_info"><div class="tgme_channel_info_header_title"><span>Bench</span></div></div>"#;
        let page = format!("<html><body>{posts}{header}</body></html>");
        let reader = reader(page.as_bytes()).unwrap();
        // Only the posts name the channel when the first is handed out.
        assert_eq!(reader.channel().and_then(|c| c.title.clone()), None);
        let export = reader.into_export().unwrap();
        assert_eq!(export.messages.len(), READ_AHEAD + 5);
        assert_eq!(
            export.messages[READ_AHEAD + 4].id,
            Some(READ_AHEAD as i64 + 5)
        );
        assert_eq!(export.channel.unwrap().title.as_deref(), Some("Bench"));
    }

    #[test]
    fn a_header_after_a_few_posts_is_known_before_the_first_is_handed_out() {
        let page = format!(
            r#"{}{}<div class="tgme_channel_info"><div class="tgme_channel_info_header_title"><span>Bench</span></div></div>"#,
            post(1),
            post(2)
        );
        let reader = reader(page.as_bytes()).unwrap();
        assert_eq!(
            reader.channel().and_then(|c| c.title.clone()).as_deref(),
            Some("Bench")
        );
        assert_eq!(reader.count(), 2);
    }
}

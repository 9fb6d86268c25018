//! t.me/s web previews saved as HTML: a channel page (`t.me/s/NAME`: the channel header
//! and a run of posts) or a single embedded post (`t.me/NAME/123?embed=1`).
//!
//! Each post becomes a message with its id (`data-post`), date with offset, views,
//! signature, `edited` mark (in `footer`), forward source and link, quoted reply, text
//! with entities, reactions, buttons and media. Players keep what they are (`video_file`,
//! `voice_message`…) and record the browser placeholder inside them in
//! `Media::placeholder`; a placeholder standing alone is the media's kind. A page is
//! read whole: pages hold a few dozen posts, and the channel header may follow them.

mod channel;
mod media;
mod post;

use std::io::BufRead;

use crate::error::{Error, Result};
use crate::html::Diagnostics;
use crate::html::dom::Element;
use crate::html::stream::Blocks;
use crate::{Channel, Export, Format, Reader};

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
    read_page(input.as_bytes())
}

/// Reads a saved page; its messages are then handed out one by one.
pub fn reader<'a, R: BufRead + 'a>(input: R) -> Result<Reader<'a>> {
    read_page(input).map(crate::Reader::from_export)
}

fn read_page<R: BufRead>(input: R) -> Result<Export> {
    let mut export = Export::new(Format::TmeHtml);
    let mut diagnostics = Diagnostics::default();
    let mut username = None;
    for block in Blocks::new(input, is_block) {
        let block = block?;
        let root = block.root();
        if block.is_cut_off() {
            diagnostics.warn(
                root.line(),
                format!(
                    "the page ends inside {}; kept what it holds",
                    root.describe()
                ),
            );
        }
        if root.has_class("tgme_channel_info") {
            export.channel = Some(channel::read(root));
        } else {
            if username.is_none() {
                username = post::find(root)
                    .and_then(post::address)
                    .map(|(name, _)| name.to_owned());
            }
            let index = export.messages.len();
            export
                .messages
                .push(post::read(root, index, &mut diagnostics));
        }
    }
    if export.channel.is_none() && export.messages.is_empty() {
        return Err(Error::NotAnExport {
            found: "HTML without t.me posts (div.tgme_widget_message) or channel header".to_owned(),
        });
    }
    if export.channel.is_none() {
        // Without a header, posts still name their channel in `data-post`.
        export.channel = username.map(|username| Channel {
            username: Some(username),
            ..Channel::default()
        });
    }
    export.warnings = diagnostics.warnings().to_vec();
    Ok(export)
}

/// The blocks of a page: the channel header and each post, wrapped or not.
fn is_block(element: &Element, _parent: Option<&Element>) -> bool {
    element.has_class("tgme_channel_info")
        || element.has_class("tgme_widget_message_wrap")
        || (element.has_class("tgme_widget_message") && element.attr("data-post").is_some())
}

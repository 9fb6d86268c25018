//! The channel header of a t.me/s page (`div.tgme_channel_info`).

use super::post::inline;
use crate::html::dom::Node;
use crate::html::rich::rich_text;
use crate::{Channel, Counters, analysis};

/// Title, `@username`, counters (`1.15K subscribers`) and description.
pub(super) fn read(info: Node<'_>) -> Channel {
    let label = |class: &str| info.find_class(class).map(|n| n.label());
    let mut counters = Counters::default();
    for counter in info
        .descendants()
        .filter(|n| n.has_class("tgme_channel_info_counter"))
    {
        let value = counter.find_class("counter_value").map(|v| v.label());
        let label = counter.find_class("counter_type").map(|t| t.label());
        if let (Some(value), Some(label)) = (value, label)
            && let Ok(("", count)) = analysis::count(&value)
        {
            counters.set(&label, count);
        }
    }
    let description = info
        .find_class("tgme_channel_info_description")
        .map(|d| rich_text(d, &inline).text.trim().to_owned())
        .filter(|d| !d.is_empty());
    Channel {
        title: label("tgme_channel_info_header_title"),
        username: label("tgme_channel_info_header_username")
            .map(|name| name.trim_start_matches('@').to_owned()),
        description,
        counters,
        ..Channel::default()
    }
}

//! The channel header of a t.me/s page (`div.tgme_channel_info`).

use super::post::inline;
use crate::html::dom::Node;
use crate::html::rich::{Layout, rich_text};
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
        .map(|d| rich_text(d, Layout::Browser, &inline).text)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_with_abbreviations_and_unknown_labels() {
        let info = crate::html::fragment(concat!(
            r#"<div class="tgme_channel_info"><div class="tgme_channel_info_counters">"#,
            r#"<div class="tgme_channel_info_counter"><span class="counter_value">214.4K</span> <span class="counter_type">subscribers</span></div>"#,
            r#"<div class="tgme_channel_info_counter"><span class="counter_value">1</span> <span class="counter_type">file</span></div>"#,
            r#"<div class="tgme_channel_info_counter"><span class="counter_value">2.5M</span> <span class="counter_type">audio files</span></div>"#,
            r#"<div class="tgme_channel_info_counter"><span class="counter_value">many</span> <span class="counter_type">links</span></div>"#,
            "</div></div>"
        ));
        let counters = read(info.root()).counters;
        assert_eq!(counters.subscribers, Some(214_400));
        assert_eq!(counters.files, Some(1));
        assert_eq!(counters.other["audio files"], 2_500_000);
        assert_eq!(
            counters.links, None,
            "a count that is no number is left out"
        );
    }
}

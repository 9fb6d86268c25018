//! Formatted text: an element's content as a message text with entities whose offsets
//! count code points.

use std::borrow::Cow;

use super::dom::Node;
use crate::{Entity, EntityKind};

/// What an element inside a text is.
#[derive(Debug)]
pub(crate) enum Markup {
    /// Its text is one entity; `text`, `offset` and `length` are filled in by the walk.
    Entity(Entity),
    /// Its text belongs to the message with no entity of its own.
    Plain,
    /// Its text belongs to the message, and the elements inside it add no entities
    /// (an emoji drawn as `<i class="emoji"><b>👍</b></i>`).
    Flat,
    /// A line break.
    LineBreak,
}

impl Markup {
    pub(crate) fn entity(kind: EntityKind) -> Self {
        Self::Entity(Entity::new(kind, "", 0))
    }
}

/// A message text and its entities, plus the elements no rule knew (their text is kept).
#[derive(Debug, Default)]
pub(crate) struct RichText {
    pub(crate) text: String,
    pub(crate) entities: Vec<Entity>,
    /// `(element, line)` of each element kept as plain text for want of a rule.
    pub(crate) unknown: Vec<(String, u32)>,
}

/// The text inside `root`. `classify` decides elements first (links, spoilers and
/// custom emoji differ by format); the formatting tags every format shares are known
/// here. Raw line breaks and the indentation after them are markup layout — both
/// formats write line breaks as `<br>` — except inside `<pre>`.
pub(crate) fn rich_text(root: Node<'_>, classify: &dyn Fn(Node<'_>) -> Option<Markup>) -> RichText {
    let mut walk = Walk {
        out: RichText::default(),
        chars: 0,
        classify,
    };
    walk.children(root, false);
    walk.out
}

struct Walk<'c> {
    out: RichText,
    /// Code points in `out.text`, kept so offsets need no recount.
    chars: usize,
    classify: &'c dyn Fn(Node<'_>) -> Option<Markup>,
}

impl Walk<'_> {
    fn children(&mut self, parent: Node<'_>, in_pre: bool) {
        for child in parent.children() {
            match child.as_text() {
                Some(text) if in_pre => self.push(text),
                Some(text) => self.push(&without_layout(text)),
                None => self.element(child, in_pre),
            }
        }
    }

    fn push(&mut self, text: &str) {
        self.chars += text.chars().count();
        self.out.text.push_str(text);
    }

    fn element(&mut self, node: Node<'_>, in_pre: bool) {
        let markup = (self.classify)(node).or_else(|| standard(node, in_pre));
        match markup {
            Some(Markup::LineBreak) => self.push("\n"),
            Some(Markup::Plain) => self.children(node, in_pre),
            Some(Markup::Flat) => self.push(&without_layout(&node.text())),
            Some(Markup::Entity(mut entity)) => {
                let (start_byte, start) = (self.out.text.len(), self.chars);
                let at = self.out.entities.len();
                let pre = entity.kind == EntityKind::Pre;
                if pre {
                    entity.language = language(node);
                }
                self.children(node, in_pre || pre);
                if self.chars > start {
                    entity.text = self.out.text[start_byte..].to_owned();
                    entity.offset = start;
                    entity.length = self.chars - start;
                    // An outer entity goes before those nested in it.
                    self.out.entities.insert(at, entity);
                }
            }
            None => {
                let element = node.element().expect("only elements are classified");
                self.out.unknown.push((element.describe(), element.line()));
                self.children(node, in_pre);
            }
        }
    }
}

/// The formatting tags both HTML formats write.
fn standard(node: Node<'_>, in_pre: bool) -> Option<Markup> {
    let element = node.element()?;
    let kind = match element.name() {
        "br" => return Some(Markup::LineBreak),
        // A code block's language rides on an inner `<code>`, which adds no entity.
        "code" if in_pre => return Some(Markup::Plain),
        "b" | "strong" => EntityKind::Bold,
        "i" | "em" => EntityKind::Italic,
        "u" | "ins" => EntityKind::Underline,
        "s" | "strike" | "del" => EntityKind::Strikethrough,
        "code" => EntityKind::Code,
        "pre" => EntityKind::Pre,
        "blockquote" => {
            let mut entity = Entity::new(EntityKind::Blockquote, "", 0);
            let expandable =
                element.attr("expandable").is_some() || element.has_class("expandable");
            entity.collapsed = expandable.then_some(true);
            return Some(Markup::Entity(entity));
        }
        _ => return None,
    };
    Some(Markup::entity(kind))
}

/// `language-rust` on a `<pre>` or the `<code>` inside it.
fn language(pre: Node<'_>) -> Option<String> {
    std::iter::once(pre)
        .chain(pre.elements().filter(|e| e.is("code")))
        .filter_map(|node| node.element())
        .flat_map(|element| element.classes())
        .find_map(|class| class.strip_prefix("language-"))
        .map(str::to_owned)
}

/// `text` without raw line breaks and the indentation that follows them.
pub(crate) fn without_layout(text: &str) -> Cow<'_, str> {
    if !text.contains('\n') {
        return Cow::Borrowed(text);
    }
    let mut kept = String::with_capacity(text.len());
    let mut pieces = text.split('\n');
    kept.push_str(pieces.next().unwrap_or_default());
    for piece in pieces {
        kept.push_str(piece.trim_start_matches([' ', '\t']));
    }
    Cow::Owned(kept)
}

#[cfg(test)]
mod tests {
    use super::super::fragment;
    use super::*;

    fn links_are_text_links(node: Node<'_>) -> Option<Markup> {
        node.is("a").then(|| {
            let mut entity = Entity::new(EntityKind::TextLink, "", 0);
            entity.href = node.attr("href").map(str::to_owned);
            Markup::Entity(entity)
        })
    }

    #[test]
    fn offsets_and_lengths_count_code_points() {
        let block = fragment(
            "<div>\n🇷🇺 <strong>Ура</strong><br><a href=\"https://x.org\">дальше <em>здесь</em></a>\n   </div>",
        );
        let rich = rich_text(block.root(), &links_are_text_links);
        assert_eq!(rich.text, "🇷🇺 Ура\nдальше здесь");
        let spans: Vec<_> = rich
            .entities
            .iter()
            .map(|e| (e.kind.as_str(), e.text.as_str(), e.offset, e.length))
            .collect();
        assert_eq!(
            spans,
            [
                ("bold", "Ура", 3, 3),
                ("text_link", "дальше здесь", 7, 12),
                ("italic", "здесь", 14, 5),
            ]
        );
        assert_eq!(rich.entities[1].href.as_deref(), Some("https://x.org"));
    }

    #[test]
    fn pre_keeps_raw_line_breaks_and_its_language() {
        let block =
            fragment("<div><pre><code class=\"language-sh\">ls\n  -l</code></pre>\n  x</div>");
        let rich = rich_text(block.root(), &|_| None);
        assert_eq!(rich.text, "ls\n  -lx");
        assert_eq!(rich.entities.len(), 1);
        assert_eq!(rich.entities[0].language.as_deref(), Some("sh"));
    }

    #[test]
    fn unknown_elements_keep_their_text_and_are_reported() {
        let block = fragment("<div>a<marquee>b</marquee><u></u></div>");
        let rich = rich_text(block.root(), &|_| None);
        assert_eq!(rich.text, "ab");
        assert!(rich.entities.is_empty(), "empty spans make no entity");
        assert_eq!(rich.unknown, [("marquee".to_owned(), 1)]);
    }
}

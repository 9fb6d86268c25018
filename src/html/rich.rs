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

/// How the source's white space becomes text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// As a browser lays it out (t.me pages): outside `<pre>` each run of spaces, tabs
    /// and newlines is one space, none at the start or end of a line; lines break at
    /// `<br>` only. A page saved re-indented reads as the page saved on one line.
    Browser,
    /// As Telegram Desktop writes it: the text on one source line, its spaces meant;
    /// only raw line breaks and the indentation after them are layout.
    Source,
}

/// A message text and its entities, plus the elements no rule knew (their text is kept).
#[derive(Debug, Default)]
pub(crate) struct RichText {
    pub(crate) text: String,
    pub(crate) entities: Vec<Entity>,
    /// `(element, line)` of each element kept as plain text for want of a rule.
    pub(crate) unknown: Vec<(String, u32)>,
}

/// The text inside `root`, laid out by `layout`. `classify` decides elements first
/// (links, spoilers and custom emoji differ by format); the formatting tags every
/// format shares are known here.
pub(crate) fn rich_text(
    root: Node<'_>,
    layout: Layout,
    classify: &dyn Fn(Node<'_>) -> Option<Markup>,
) -> RichText {
    let mut walk = Walk {
        out: RichText::default(),
        chars: 0,
        layout,
        space: Space::LineStart,
        classify,
    };
    walk.children(root, false);
    walk.out
}

/// White space seen in browser layout and not yet written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Space {
    /// At the start of the text or of a line: white space here is dropped.
    LineStart,
    /// Inside a line, no white space pending.
    None,
    /// White space seen: one space, written only if more text follows on this line.
    Pending,
}

struct Walk<'c> {
    out: RichText,
    /// Code points in `out.text`, kept so offsets need no recount.
    chars: usize,
    layout: Layout,
    space: Space,
    classify: &'c dyn Fn(Node<'_>) -> Option<Markup>,
}

impl Walk<'_> {
    fn children(&mut self, parent: Node<'_>, in_pre: bool) {
        for child in parent.children() {
            match child.as_text() {
                Some(text) => self.text(text, in_pre),
                None => self.element(child, in_pre),
            }
        }
    }

    /// Source text, laid out unless it is inside `<pre>`.
    fn text(&mut self, text: &str, in_pre: bool) {
        match self.layout {
            _ if in_pre => {
                self.flush_space();
                self.push(text);
                self.space = Space::None;
            }
            Layout::Source => self.push(&without_layout(text)),
            Layout::Browser => {
                for (i, word) in text.split(is_html_space).enumerate() {
                    // White space stood before every piece but the first.
                    if i > 0 && self.space == Space::None {
                        self.space = Space::Pending;
                    }
                    if !word.is_empty() {
                        self.flush_space();
                        self.push(word);
                        self.space = Space::None;
                    }
                }
            }
        }
    }

    /// Writes the one space a run of white space left, now that text follows it.
    fn flush_space(&mut self) {
        if self.space == Space::Pending {
            self.push(" ");
        }
    }

    fn push(&mut self, text: &str) {
        self.chars += text.chars().count();
        self.out.text.push_str(text);
    }

    fn element(&mut self, node: Node<'_>, in_pre: bool) {
        let markup = (self.classify)(node).or_else(|| standard(node, in_pre));
        match markup {
            Some(Markup::LineBreak) => {
                // White space before a line break is not shown, nor after it.
                self.push("\n");
                self.space = Space::LineStart;
            }
            Some(Markup::Plain) => self.children(node, in_pre),
            Some(Markup::Flat) => self.text(&node.text(), in_pre),
            Some(Markup::Entity(mut entity)) => {
                // A space pending as the element opens is written before it, outside.
                let space_before = self.space == Space::Pending;
                let (start_byte, start) = (self.out.text.len(), self.chars);
                let at = self.out.entities.len();
                let pre = entity.kind == EntityKind::Pre;
                if pre {
                    entity.language = language(node);
                }
                self.children(node, in_pre || pre);
                let (start_byte, start) =
                    if space_before && self.out.text[start_byte..].starts_with(' ') {
                        (start_byte + 1, start + 1)
                    } else {
                        (start_byte, start)
                    };
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

/// The white space HTML collapses: not the no-break space, which is text.
fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
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
fn without_layout(text: &str) -> Cow<'_, str> {
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
        let rich = rich_text(block.root(), Layout::Source, &links_are_text_links);
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

    fn browser(html: &str) -> RichText {
        rich_text(
            fragment(html).root(),
            Layout::Browser,
            &links_are_text_links,
        )
    }

    fn spans(rich: &RichText) -> Vec<(&str, usize, usize)> {
        rich.entities
            .iter()
            .map(|e| (e.text.as_str(), e.offset, e.length))
            .collect()
    }

    #[test]
    fn browser_layout_is_the_same_on_one_line_and_re_indented() {
        let one_line = browser(
            "<div>Над <b>городом</b> — <a href=\"https://x.org\">огни</a><br/>второй  ряд</div>",
        );
        let re_indented = browser(concat!(
            "<div>\n    Над\n    <b>\n      городом\n    </b>\n    —\n",
            "    <a href=\"https://x.org\">\n огни\n </a>\n    <br/>\n",
            "    второй\t\tряд\n  </div>"
        ));
        assert_eq!(one_line.text, "Над городом — огни\nвторой ряд");
        assert_eq!(re_indented.text, one_line.text);
        assert_eq!(spans(&one_line), [("городом", 4, 7), ("огни", 14, 4)]);
        assert_eq!(spans(&re_indented), spans(&one_line));
    }

    #[test]
    fn browser_layout_drops_white_space_at_line_ends_and_keeps_no_break_spaces() {
        let rich = browser("<div> a \n<br> \u{a0}b <b> c </b> <br><br>  </div>");
        assert_eq!(rich.text, "a\n\u{a0}b c\n\n");
        assert_eq!(spans(&rich), [("c", 5, 1)]);
        let glued = browser("<div>over the\n            city</div>");
        assert_eq!(glued.text, "over the city");
    }

    /// A piece of a text: a word, plain or inside an element, or a line break.
    fn piece() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let word = "[a-zé🙂]{1,5}";
        prop_oneof![
            4 => word.prop_map(|w| w.to_string()),
            1 => word.prop_map(|w| format!("<b>{w}</b>")),
            1 => (word, word).prop_map(|(a, b)| format!("<a href=\"https://x.org\">{a} {b}</a>")),
            1 => Just("<br/>".to_owned()),
        ]
    }

    /// White space a formatter may put where the page has some: spaces, tabs, newlines.
    fn white_space() -> impl proptest::strategy::Strategy<Value = String> {
        "[ \t\n]{1,3} {0,12}"
    }

    proptest::proptest! {
        /// The page saved on one line and the same page re-indented read alike: more
        /// white space where there is some already, and around line breaks and the
        /// ends of the block, changes nothing.
        #[test]
        fn re_indenting_changes_nothing(
            pieces in proptest::collection::vec((piece(), proptest::bool::ANY), 1..12),
            spaces in proptest::collection::vec(white_space(), 40),
        ) {
            let mut spaces = spaces.into_iter().cycle();
            let mut one_line = String::new();
            let mut re_indented = spaces.next().unwrap();
            for (piece, spaced) in &pieces {
                let br = piece == "<br/>";
                one_line.push_str(piece);
                re_indented.push_str(piece);
                if *spaced || br {
                    one_line.push(' ');
                    re_indented.push_str(&spaces.next().unwrap());
                }
            }
            re_indented.push_str(&spaces.next().unwrap());
            let one_line = browser(&format!("<div>{one_line}</div>"));
            let re_indented = browser(&format!("<div>{re_indented}</div>"));
            proptest::prop_assert_eq!(&re_indented.text, &one_line.text);
            proptest::prop_assert_eq!(spans(&re_indented), spans(&one_line));
            for line in one_line.text.split('\n') {
                proptest::prop_assert!(!line.starts_with(' ') && !line.ends_with(' '));
                proptest::prop_assert!(!line.contains("  "));
            }
            for entity in &one_line.entities {
                let shown: String = one_line.text.chars().skip(entity.offset).take(entity.length).collect();
                proptest::prop_assert_eq!(&shown, &entity.text);
            }
        }
    }

    #[test]
    fn browser_layout_keeps_pre_as_written() {
        let rich = browser("<div>run\n <pre>ls\n  -l</pre>\n done</div>");
        assert_eq!(rich.text, "run ls\n  -l done");
        assert_eq!(spans(&rich), [("ls\n  -l", 4, 7)]);
    }

    #[test]
    fn pre_keeps_raw_line_breaks_and_its_language() {
        let block =
            fragment("<div><pre><code class=\"language-sh\">ls\n  -l</code></pre>\n  x</div>");
        let rich = rich_text(block.root(), Layout::Source, &|_| None);
        assert_eq!(rich.text, "ls\n  -lx");
        assert_eq!(rich.entities.len(), 1);
        assert_eq!(rich.entities[0].language.as_deref(), Some("sh"));
    }

    #[test]
    fn unknown_elements_keep_their_text_and_are_reported() {
        let block = fragment("<div>a<marquee>b</marquee><u></u></div>");
        let rich = rich_text(block.root(), Layout::Source, &|_| None);
        assert_eq!(rich.text, "ab");
        assert!(rich.entities.is_empty(), "empty spans make no entity");
        assert_eq!(rich.unknown, [("marquee".to_owned(), 1)]);
    }
}

//! A small read-only tree for one block of a page, with the source line of every element.

use html5ever::LocalName;
use html5ever::tendril::StrTendril;

/// An element as written: name, attributes and the line its start tag ended on.
///
/// Attribute values and text stay html5ever tendrils, which share the input buffers
/// instead of copying them.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    name: LocalName,
    attrs: Vec<(LocalName, StrTendril)>,
    line: u32,
}

impl Element {
    pub(crate) fn new(name: LocalName, attrs: Vec<(LocalName, StrTendril)>, line: u32) -> Self {
        Self { name, attrs, line }
    }

    /// The tag name, lower case.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// 1-based line of the start tag.
    pub(crate) fn line(&self) -> u32 {
        self.line
    }

    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(key, _)| &**key == name)
            .map(|(_, value)| &**value)
    }

    pub(crate) fn classes(&self) -> impl Iterator<Item = &str> {
        self.attr("class").unwrap_or("").split_ascii_whitespace()
    }

    pub(crate) fn has_class(&self, class: &str) -> bool {
        self.classes().any(|c| c == class)
    }

    /// `div.media.media_file`: how messages about this element name it.
    pub(crate) fn describe(&self) -> String {
        let mut text = self.name.to_string();
        for class in self.classes() {
            text.push('.');
            text.push_str(class);
        }
        text
    }
}

#[derive(Debug)]
enum Content {
    Element(Element),
    Text(StrTendril),
}

#[derive(Debug)]
struct Slot {
    content: Content,
    parent: Option<usize>,
    first_child: Option<usize>,
    last_child: Option<usize>,
    next_sibling: Option<usize>,
}

/// One element and everything inside it; the element is the root.
#[derive(Debug)]
pub(crate) struct Fragment {
    slots: Vec<Slot>,
    complete: bool,
}

impl Fragment {
    pub(crate) fn new(root: Element) -> Self {
        Self {
            slots: vec![Slot {
                content: Content::Element(root),
                parent: None,
                first_child: None,
                last_child: None,
                next_sibling: None,
            }],
            complete: true,
        }
    }

    pub(crate) fn root(&self) -> Node<'_> {
        self.node(0)
    }

    pub(crate) fn node(&self, index: usize) -> Node<'_> {
        Node {
            fragment: self,
            index,
        }
    }

    /// Whether the input ended before the root element was closed.
    pub(crate) fn is_cut_off(&self) -> bool {
        !self.complete
    }

    pub(crate) fn mark_cut_off(&mut self) {
        self.complete = false;
    }

    /// Appends an element under `parent`; returns its index.
    pub(crate) fn push_element(&mut self, parent: usize, element: Element) -> usize {
        self.push(parent, Content::Element(element))
    }

    /// Appends text under `parent`, joining it to a text node that ends the parent.
    pub(crate) fn push_text(&mut self, parent: usize, text: StrTendril) {
        if let Some(last) = self.slots[parent].last_child
            && let Content::Text(existing) = &mut self.slots[last].content
        {
            existing.push_tendril(&text);
            return;
        }
        self.push(parent, Content::Text(text));
    }

    fn push(&mut self, parent: usize, content: Content) -> usize {
        let index = self.slots.len();
        self.slots.push(Slot {
            content,
            parent: Some(parent),
            first_child: None,
            last_child: None,
            next_sibling: None,
        });
        match self.slots[parent].last_child.replace(index) {
            Some(previous) => self.slots[previous].next_sibling = Some(index),
            None => self.slots[parent].first_child = Some(index),
        }
        index
    }
}

/// A node of a [`Fragment`]: an element or a run of text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node<'a> {
    fragment: &'a Fragment,
    index: usize,
}

impl<'a> Node<'a> {
    fn slot(&self) -> &'a Slot {
        &self.fragment.slots[self.index]
    }

    fn at(&self, index: Option<usize>) -> Option<Node<'a>> {
        index.map(|index| Node {
            fragment: self.fragment,
            index,
        })
    }

    pub(crate) fn element(&self) -> Option<&'a Element> {
        match &self.slot().content {
            Content::Element(element) => Some(element),
            Content::Text(_) => None,
        }
    }

    pub(crate) fn as_text(&self) -> Option<&'a str> {
        match &self.slot().content {
            Content::Text(text) => Some(text),
            Content::Element(_) => None,
        }
    }

    pub(crate) fn has_class(&self, class: &str) -> bool {
        self.element().is_some_and(|e| e.has_class(class))
    }

    pub(crate) fn is(&self, name: &str) -> bool {
        self.element().is_some_and(|e| e.name() == name)
    }

    pub(crate) fn attr(&self, name: &str) -> Option<&'a str> {
        self.element().and_then(|e| e.attr(name))
    }

    /// Line of the element, or of the nearest element around a text node (0 if none).
    pub(crate) fn line(&self) -> u32 {
        self.element().map_or(0, Element::line)
    }

    pub(crate) fn children(&self) -> impl Iterator<Item = Node<'a>> + use<'a> {
        let first = self.at(self.slot().first_child);
        std::iter::successors(first, |node| node.at(node.slot().next_sibling))
    }

    /// The child elements, skipping text.
    pub(crate) fn elements(&self) -> impl Iterator<Item = Node<'a>> + use<'a> {
        self.children().filter(|child| child.element().is_some())
    }

    /// Every node inside this one, depth first, in document order.
    pub(crate) fn descendants(&self) -> impl Iterator<Item = Node<'a>> + use<'a> {
        let root = self.index;
        let first = self.at(self.slot().first_child);
        std::iter::successors(first, move |node| {
            // Down to the first child, else on to the next sibling of this node or of
            // the nearest ancestor that has one, without leaving the root.
            if let Some(child) = node.slot().first_child {
                return node.at(Some(child));
            }
            let mut at = *node;
            loop {
                if let Some(sibling) = at.slot().next_sibling {
                    return at.at(Some(sibling));
                }
                match at.slot().parent {
                    Some(parent) if parent != root => at = at.at(Some(parent))?,
                    _ => return None,
                }
            }
        })
    }

    /// The first element inside this one (not this one) with class `class`.
    pub(crate) fn find_class(&self, class: &str) -> Option<Node<'a>> {
        self.descendants().find(|node| node.has_class(class))
    }

    /// The first element inside this one named `name`.
    pub(crate) fn find_tag(&self, name: &str) -> Option<Node<'a>> {
        self.descendants().find(|node| node.is(name))
    }

    /// All text inside, as written (entities decoded, no tags).
    pub(crate) fn text(&self) -> String {
        let mut text = String::new();
        if let Some(own) = self.as_text() {
            text.push_str(own);
        }
        self.descendants()
            .filter_map(|node| node.as_text())
            .for_each(|piece| text.push_str(piece));
        text
    }

    /// Like [`label`](Self::label), for the text directly inside this element only, not
    /// inside its child elements.
    pub(crate) fn own_label(&self) -> String {
        let own: String = self.children().filter_map(|c| c.as_text()).collect();
        fold_white_space(&own)
    }

    /// The text with runs of white space (including line breaks) folded to one space and
    /// the ends trimmed: what a browser shows for a label.
    pub(crate) fn label(&self) -> String {
        fold_white_space(&self.text())
    }

    /// `div.media_wrap.clearfix`, or `text` for a text node.
    pub(crate) fn describe(&self) -> String {
        self.element()
            .map_or_else(|| "text".to_owned(), Element::describe)
    }
}

fn fold_white_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(name: &str, class: &str, line: u32) -> Element {
        Element::new(
            LocalName::from(name),
            vec![(LocalName::from("class"), StrTendril::from_slice(class))],
            line,
        )
    }

    #[test]
    fn builds_and_walks_in_document_order() {
        let mut fragment = Fragment::new(element("div", "message default", 1));
        let body = fragment.push_element(0, element("div", "body", 2));
        fragment.push_text(body, "a".into());
        fragment.push_text(body, "b".into());
        let inner = fragment.push_element(body, element("span", "x", 3));
        fragment.push_text(inner, "c".into());
        fragment.push_text(body, "d".into());
        let root = fragment.root();
        assert!(root.has_class("default"));
        assert_eq!(root.text(), "abcd");
        assert_eq!(root.find_class("x").unwrap().line(), 3);
        let order: Vec<String> = root.descendants().map(|n| n.describe()).collect();
        assert_eq!(order, ["div.body", "text", "span.x", "text", "text"]);
        assert_eq!(root.elements().count(), 1);
    }

    #[test]
    fn labels_fold_white_space() {
        let mut fragment = Fragment::new(element("div", "title", 1));
        fragment.push_text(0, "\n  Some\u{a0}name \n ".into());
        assert_eq!(fragment.root().label(), "Some name");
    }
}

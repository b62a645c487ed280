//! A small XML tree reader for tests: parses what the server emits so tests assert on structure, not strings.
//!
//! Text and attribute values are read the way an XML processor sees them:
//! entity and character references are resolved, end-of-lines in text are
//! normalised, and attribute values get XML attribute-value normalisation.
//! Comments, processing instructions and the document type are ignored.

// Each test binary that includes this module uses only some of the helpers.
#![allow(dead_code)]

use std::collections::BTreeMap;

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::reader::Reader;

/// One parsed XML element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Element name as written, prefix included.
    pub name: String,
    /// Attributes by name, values unescaped and normalised.
    pub attrs: BTreeMap<String, String>,
    /// This element's own text nodes (CDATA included), unescaped and
    /// concatenated; text of child elements is not included.
    pub text: String,
    /// Child elements in document order.
    pub children: Vec<Element>,
}

impl Element {
    /// Parses a whole document and returns its root element.
    ///
    /// # Panics
    ///
    /// On malformed XML (including unclosed or mismatched tags, unknown
    /// entities and non-whitespace text outside the root), when there is no
    /// root element, or when there is more than one.
    pub fn parse(xml: &str) -> Element {
        let mut reader = Reader::from_str(xml);
        let mut version = XmlVersion::Implicit1_0;
        let mut tree = Tree::default();
        loop {
            let event = reader.read_event().unwrap_or_else(|e| {
                let at = reader.error_position();
                panic!("malformed XML at byte {at}: {e}\n{xml}")
            });
            match event {
                Event::Decl(decl) => {
                    version = decl
                        .xml_version()
                        .unwrap_or_else(|e| panic!("bad XML declaration: {e}\n{xml}"));
                }
                Event::Start(start) => tree.open.push(Element::from_start(&start, version, xml)),
                Event::Empty(start) => tree.close(Element::from_start(&start, version, xml), xml),
                Event::End(_) => {
                    let element = tree.open.pop().unwrap_or_else(|| {
                        panic!("malformed XML: end tag without start tag\n{xml}")
                    });
                    tree.close(element, xml);
                }
                Event::Text(text) => tree.push_text(&text.xml_content(version), xml),
                Event::CData(cdata) => tree.push_text(&cdata.xml_content(version), xml),
                Event::GeneralRef(reference) => tree.push_text(&resolve(&reference, xml), xml),
                Event::Eof => break,
                Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
        if let Some(unclosed) = tree.open.last() {
            panic!("malformed XML: <{}> is never closed\n{xml}", unclosed.name);
        }
        tree.root
            .unwrap_or_else(|| panic!("malformed XML: no root element\n{xml}"))
    }

    /// The value of attribute `name`, if present.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }

    /// The first child element called `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }

    /// The child elements called `name`, in document order.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |child| child.name == name)
    }

    /// Every descendant element called `name` (the element itself excluded),
    /// depth-first in document order.
    pub fn find_all(&self, name: &str) -> Vec<&Element> {
        let mut found = Vec::new();
        for child in &self.children {
            if child.name == name {
                found.push(child);
            }
            found.extend(child.find_all(name));
        }
        found
    }

    /// The text of this element and all its descendants in document order,
    /// each element's text trimmed, empty ones skipped, joined by single spaces.
    pub fn all_text(&self) -> String {
        let mut pieces = Vec::new();
        self.collect_text(&mut pieces);
        pieces.join(" ")
    }

    fn collect_text<'a>(&'a self, pieces: &mut Vec<&'a str>) {
        let own = self.text.trim();
        if !own.is_empty() {
            pieces.push(own);
        }
        for child in &self.children {
            child.collect_text(pieces);
        }
    }

    fn from_start(start: &BytesStart<'_>, version: XmlVersion, xml: &str) -> Element {
        let attrs = start
            .attributes()
            .map(|attr| {
                let attr = attr.unwrap_or_else(|e| panic!("malformed attribute: {e}\n{xml}"));
                let value = attr
                    .normalized_value(version)
                    .unwrap_or_else(|e| panic!("bad attribute value: {e}\n{xml}"));
                (attr.key.into_inner().to_owned(), value.into_owned())
            })
            .collect();
        Element {
            name: start.name().into_inner().to_owned(),
            attrs,
            text: String::new(),
            children: Vec::new(),
        }
    }
}

/// Elements being built: the chain of open elements and the finished root.
#[derive(Default)]
struct Tree {
    open: Vec<Element>,
    root: Option<Element>,
}

impl Tree {
    /// Attaches a finished element to its parent, or makes it the root.
    fn close(&mut self, element: Element, xml: &str) {
        if let Some(parent) = self.open.last_mut() {
            parent.children.push(element);
        } else if self.root.is_none() {
            self.root = Some(element);
        } else {
            panic!(
                "malformed XML: second root element <{}>\n{xml}",
                element.name
            );
        }
    }

    fn push_text(&mut self, text: &str, xml: &str) {
        match self.open.last_mut() {
            Some(parent) => parent.text.push_str(text),
            None if text.trim().is_empty() => {}
            None => panic!("malformed XML: text {text:?} outside the root element\n{xml}"),
        }
    }
}

/// The text a character or predefined entity reference stands for.
fn resolve(reference: &BytesRef<'_>, xml: &str) -> String {
    match reference.resolve_char_ref() {
        Ok(Some(c)) => c.to_string(),
        Ok(None) => resolve_predefined_entity(reference)
            .unwrap_or_else(|| panic!("unknown entity &{};\n{xml}", &**reference))
            .to_owned(),
        Err(e) => panic!("bad character reference: {e}\n{xml}"),
    }
}

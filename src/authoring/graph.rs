//! A flow as a picture: its nodes, the keys and events on the edges between them, and the
//! categories and queues callers end up in, as Mermaid or Graphviz DOT text.

use std::fmt::Write;

use crate::flow::model::{Flow, NodeKind};

/// What a box in the picture stands for; each kind is drawn its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A node of the flow.
    Node,
    /// A triage category.
    Category,
    /// A live queue, where callers wait for an operator.
    Queue,
    /// The end of the call or a transfer out of it.
    Exit,
}

/// One box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vertex {
    /// Unique within the graph; safe in both output formats.
    pub id: String,
    /// What the box says: ids, as staff write them in the file.
    pub label: String,
    /// The name staff read elsewhere (a node's or category's title), for a tooltip; empty
    /// for boxes that have none.
    pub title: String,
    /// How it is drawn.
    pub shape: Shape,
}

/// One arrow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// From this vertex id.
    pub from: String,
    /// To this vertex id.
    pub to: String,
    /// The key or event that takes the caller along it; empty when there is no choice.
    pub label: String,
}

/// The whole picture.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graph {
    /// Boxes, flow nodes first in file-id order, then categories, queues and exits.
    pub vertices: Vec<Vertex>,
    /// Arrows.
    pub edges: Vec<Edge>,
}

impl Graph {
    fn vertex(&mut self, id: String, label: String, shape: Shape) -> String {
        if !self.vertices.iter().any(|v| v.id == id) {
            self.vertices.push(Vertex {
                id: id.clone(),
                label,
                title: String::new(),
                shape,
            });
        }
        id
    }

    /// Gives the vertex `id` the title `title`.
    fn title(&mut self, id: &str, title: &str) {
        if let Some(v) = self.vertices.iter_mut().find(|v| v.id == id) {
            v.title = title.to_string();
        }
    }

    fn edge(&mut self, from: &str, to: &str, label: &str) {
        self.edges.push(Edge {
            from: from.to_string(),
            to: to.to_string(),
            label: label.to_string(),
        });
    }
}

/// The flow's graph.
pub fn build(flow: &Flow) -> Graph {
    let mut graph = Graph::default();
    for node in flow.nodes.values() {
        let label = format!("{}\n{}", node.id, kind_name(&node.kind));
        let id = graph.vertex(node_id(&node.id), label, Shape::Node);
        graph.title(&id, &node.title);
    }
    for node in flow.nodes.values() {
        let from = node_id(&node.id);
        for (to, label) in exits(&node.kind) {
            graph.edge(&from, &node_id(to), &with_words(&node.kind, label));
        }
        if let NodeKind::Menu(menu) = &node.kind
            && let Some(key) = &menu.repeat_key
        {
            graph.edge(&from, &from, &format!("{key} repeats"));
        }
        add_special_exits(&mut graph, flow, &from, &node.kind);
    }
    graph
}

/// A menu key's edge label with the words that choose it, when the menu listens for speech.
fn with_words(kind: &NodeKind, label: String) -> String {
    let NodeKind::Menu(menu) = kind else {
        return label;
    };
    let chosen = menu
        .options
        .iter()
        .find(|(key, _)| label == **key || label == format!("{key} or silence"));
    match chosen {
        Some((_, choice)) if menu.speech.is_some() && !choice.say.is_empty() => {
            let words: Vec<&str> = choice.say.values().flatten().map(String::as_str).collect();
            format!("{label} or say: {}", words.join(", "))
        }
        _ => label,
    }
}

fn node_id(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("n_{safe}")
}

/// What a node does, in a word or two.
pub fn kind_name(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Message { .. } => "message",
        NodeKind::Menu(_) => "menu",
        NodeKind::CollectPhone(_) => "phone number",
        NodeKind::Record { .. } => "recording",
        NodeKind::Triage { .. } => "triage",
        NodeKind::Callback { .. } => "callback request",
        NodeKind::Transfer { .. } => "transfer",
        NodeKind::Hangup { .. } => "hang up",
    }
}

/// The node-to-node edges of one node, labelled with what takes the caller along them.
pub fn exits(kind: &NodeKind) -> Vec<(&str, String)> {
    match kind {
        NodeKind::Message { next, .. }
        | NodeKind::Record { next, .. }
        | NodeKind::Callback { next, .. } => vec![(next.as_str(), String::new())],
        NodeKind::Menu(menu) => {
            let mut out: Vec<(&str, String)> = menu
                .options
                .iter()
                .map(|(key, choice)| {
                    let silence = menu.default_key.as_deref() == Some(key.as_str());
                    let label = if silence {
                        format!("{key} or silence")
                    } else {
                        key.clone()
                    };
                    (choice.goto.as_str(), label)
                })
                .collect();
            for (key, choice) in &menu.options {
                if let Some(withheld) = &choice.if_withheld {
                    out.push((withheld.as_str(), format!("{key}, number withheld")));
                }
            }
            let tries = format!("{} failed tries", menu.max_attempts);
            out.push((menu.after_max_attempts.as_str(), tries));
            out
        }
        NodeKind::CollectPhone(c) => vec![
            (c.next.as_str(), "number confirmed".to_string()),
            (
                c.after_max_attempts.as_str(),
                format!("{} failed tries", c.max_attempts),
            ),
        ],
        NodeKind::Transfer { next, .. } => vec![(next.as_str(), "transfer ended".to_string())],
        NodeKind::Triage { .. } | NodeKind::Hangup { .. } => Vec::new(),
    }
}

/// Edges into categories, queues and exits, which are not nodes of the file.
fn add_special_exits(graph: &mut Graph, flow: &Flow, from: &str, kind: &NodeKind) {
    match kind {
        NodeKind::Triage { category, .. } => {
            let category_id = format!("c_{}", node_id(category));
            graph.vertex(
                category_id.clone(),
                format!("category\n{category}"),
                Shape::Category,
            );
            graph.edge(from, &category_id, "");
            let Some(c) = flow.categories.get(category) else {
                return;
            };
            graph.title(&category_id, &c.title);
            let queue = graph.vertex(
                format!("q_{}", node_id(&c.queue)),
                format!("queue {}\n(priority {})", c.queue, c.priority),
                Shape::Queue,
            );
            graph.edge(&category_id, &queue, "open");
            let closed = if c.open_requires_staff {
                "closed or nobody available"
            } else {
                "closed"
            };
            graph.edge(&category_id, &node_id(&c.when_closed), closed);
            graph.edge(&queue, &node_id(&c.when_closed), "no one answers");
        }
        NodeKind::Transfer { number, .. } => {
            let out = graph.vertex(
                format!("x_{}", node_id(number)),
                format!("transfer to\n{number}"),
                Shape::Exit,
            );
            graph.edge(from, &out, "");
        }
        NodeKind::Hangup { .. } => {
            let end = graph.vertex("x_end".into(), "end of call".into(), Shape::Exit);
            graph.edge(from, &end, "");
        }
        _ => {}
    }
}

/// Mermaid flowchart text, for Markdown viewers and the browser.
pub fn mermaid(graph: &Graph) -> String {
    let mut out = String::from("flowchart TD\n");
    for v in &graph.vertices {
        let label = mermaid_text(&v.label);
        let (open, close) = match v.shape {
            Shape::Node => ("[\"", "\"]"),
            Shape::Category => ("{{\"", "\"}}"),
            Shape::Queue => ("([\"", "\"])"),
            Shape::Exit => ("((\"", "\"))"),
        };
        // Writing to a String cannot fail.
        let _ = writeln!(out, "    {}{open}{label}{close}", v.id);
    }
    for e in &graph.edges {
        let _ = match e.label.is_empty() {
            true => writeln!(out, "    {} --> {}", e.from, e.to),
            false => writeln!(
                out,
                "    {} -->|\"{}\"| {}",
                e.from,
                mermaid_text(&e.label),
                e.to
            ),
        };
    }
    out.push_str("    classDef category fill:#fff4d6,stroke:#b7791f\n");
    out.push_str("    classDef queue fill:#e6f4ea,stroke:#2f855a\n");
    for (class, shape) in [("category", Shape::Category), ("queue", Shape::Queue)] {
        let ids: Vec<&str> = graph
            .vertices
            .iter()
            .filter(|v| v.shape == shape)
            .map(|v| v.id.as_str())
            .collect();
        if !ids.is_empty() {
            let _ = writeln!(out, "    class {} {class}", ids.join(","));
        }
    }
    out
}

/// Mermaid takes HTML entities inside quoted labels; line breaks become `<br/>`.
fn mermaid_text(text: &str) -> String {
    text.replace('&', "#amp;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
        .replace('\n', "<br/>")
}

/// Graphviz DOT text, for `dot -Tsvg`.
pub fn dot(graph: &Graph, name: &str) -> String {
    let mut out = format!(
        "digraph \"{}\" {{\n    rankdir=TB;\n    node [fontname=\"Helvetica\"];\n",
        dot_text(name)
    );
    for v in &graph.vertices {
        let style = match v.shape {
            Shape::Node => "shape=box",
            Shape::Category => "shape=hexagon, style=filled, fillcolor=\"#fff4d6\"",
            Shape::Queue => "shape=box, style=\"rounded,filled\", fillcolor=\"#e6f4ea\"",
            Shape::Exit => "shape=ellipse",
        };
        let _ = writeln!(
            out,
            "    \"{}\" [label=\"{}\", {style}];",
            v.id,
            dot_text(&v.label)
        );
    }
    for e in &graph.edges {
        let _ = writeln!(
            out,
            "    \"{}\" -> \"{}\" [label=\"{}\"];",
            e.from,
            e.to,
            dot_text(&e.label)
        );
    }
    out.push_str("}\n");
    out
}

fn dot_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> std::sync::Arc<Flow> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/call_flows");
        let flows =
            crate::catalog::files::load_dir(std::path::Path::new(path)).expect("flows load");
        flows.default_flow().clone()
    }

    #[test]
    fn every_menu_key_and_every_category_is_in_the_picture() {
        let flow = reference();
        let graph = build(&flow);
        let from_menu: Vec<&str> = graph
            .edges
            .iter()
            .filter(|e| e.from == "n_main_menu")
            .map(|e| e.label.as_str())
            .collect();
        // The main menu listens for speech, so each key's edge also names its words.
        for key in ["0", "1", "2", "3", "4", "5"] {
            let prefix = format!("{key} or say: ");
            assert!(
                from_menu.iter().any(|l| l.starts_with(&prefix)),
                "{key} missing from {from_menu:?}"
            );
        }
        assert!(from_menu.contains(&"3 failed tries"), "{from_menu:?}");
        assert!(
            from_menu
                .iter()
                .any(|l| l.starts_with("2 or say: ") && l.contains("especialista")),
            "{from_menu:?}"
        );
        for category in flow.categories.keys() {
            let id = format!("c_n_{category}");
            assert!(
                graph
                    .vertices
                    .iter()
                    .any(|v| v.id == id && v.shape == Shape::Category),
                "{category}"
            );
        }
        let dangling: Vec<&Edge> = graph
            .edges
            .iter()
            .filter(|e| !graph.vertices.iter().any(|v| v.id == e.to))
            .collect();
        assert!(dangling.is_empty(), "edges to nowhere: {dangling:?}");
    }

    #[test]
    fn both_formats_escape_labels() {
        let mut graph = Graph::default();
        graph.vertex("a".into(), "say \"hi\" & <go>".into(), Shape::Node);
        graph.vertex("b".into(), "two\nlines".into(), Shape::Exit);
        graph.edge("a", "b", "1");
        let m = mermaid(&graph);
        assert!(
            m.contains("a[\"say #quot;hi#quot; #amp; #lt;go#gt;\"]"),
            "{m}"
        );
        assert!(
            m.contains("b((\"two<br/>lines\"))") && m.contains("a -->|\"1\"| b"),
            "{m}"
        );
        let d = dot(&graph, "x");
        assert!(
            d.contains("label=\"say \\\"hi\\\" & <go>\"") && d.contains("two\\nlines"),
            "{d}"
        );
    }
}

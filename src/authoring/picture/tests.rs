use super::*;
use crate::authoring::graph::{Edge, Vertex};

/// The widest the reference flow may be drawn: the console's frame at a laptop's width.
const FRAME_WIDTH: f64 = 1080.0;

fn reference() -> (Graph, String) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/call_flows");
    let flows = crate::catalog::files::load_dir(std::path::Path::new(path)).expect("flows load");
    let flow = flows.default_flow();
    (
        super::super::graph::build(flow),
        format!("n_{}", flow.start),
    )
}

/// Pairs of rectangles that overlap, described.
fn overlapping<'a>(rects: impl Iterator<Item = (String, &'a Rect)>) -> Vec<String> {
    let all: Vec<(String, &Rect)> = rects.collect();
    let mut found = Vec::new();
    for (i, (a, ra)) in all.iter().enumerate() {
        for (b, rb) in &all[i + 1..] {
            if ra.overlaps(rb) {
                found.push(format!("{a} and {b}"));
            }
        }
    }
    found
}

fn graph(vertices: &[&str], edges: &[(&str, &str, &str)]) -> Graph {
    Graph {
        vertices: vertices
            .iter()
            .map(|id| Vertex {
                id: id.to_string(),
                label: format!("{id}\nmenu"),
                title: String::new(),
                shape: Shape::Node,
            })
            .collect(),
        edges: edges
            .iter()
            .map(|(from, to, label)| Edge {
                from: from.to_string(),
                to: to.to_string(),
                label: label.to_string(),
            })
            .collect(),
    }
}

#[test]
fn the_reference_flow_has_no_overlapping_boxes_or_labels_and_fits_its_frame() {
    let (graph, start) = reference();
    let layout = lay_out(&graph, &start);
    let boxes = layout
        .boxes
        .iter()
        .map(|b| (format!("box {:?}", b.lines), &b.rect));
    assert_eq!(overlapping(boxes.clone()), Vec::<String>::new());
    let labels = layout
        .arrows
        .iter()
        .filter_map(|a| a.label.as_ref())
        .map(|l| (format!("label {:?}", l.lines), &l.rect));
    assert_eq!(overlapping(labels.clone()), Vec::<String>::new());
    assert_eq!(
        overlapping(boxes.chain(labels)),
        Vec::<String>::new(),
        "no label lies on a box"
    );
    assert!(
        layout.width <= FRAME_WIDTH,
        "{} wide, more than {FRAME_WIDTH}",
        layout.width
    );
    let inside = |r: &Rect| r.x >= 0.0 && r.y >= 0.0 && r.x + r.w <= layout.width;
    assert!(layout.boxes.iter().all(|b| inside(&b.rect)));
    assert!(
        layout
            .label_boxes()
            .all(|r| inside(r) && r.y + r.h <= layout.height)
    );
}

#[test]
fn the_reference_flow_draws_every_box_once_with_the_start_alone_at_the_top() {
    let (graph, start) = reference();
    let layout = lay_out(&graph, &start);
    assert_eq!(layout.boxes.len(), graph.vertices.len());
    let top = layout
        .boxes
        .iter()
        .map(|b| b.rect.y)
        .fold(f64::MAX, f64::min);
    let at_top: Vec<&Placed> = layout.boxes.iter().filter(|b| b.rect.y == top).collect();
    assert_eq!(at_top.len(), 1);
    assert_eq!(at_top[0].lines[0], start.trim_start_matches("n_"));
    let picture = render(&layout);
    assert!(
        !picture.contains("style="),
        "no inline styles: the console's policy forbids them"
    );
    assert!(picture.contains(&format!("viewBox=\"0 0 {} ", layout.width)));
    parses_as_xml(&picture);
}

#[test]
fn a_retry_leads_back_up_dashed_and_a_repeat_loops_beside_its_box() {
    let g = graph(
        &["offer", "number", "saved"],
        &[
            ("offer", "number", "2"),
            ("number", "saved", "number confirmed"),
            ("number", "offer", "3 failed tries"),
            ("offer", "offer", "9 repeats"),
        ],
    );
    let layout = lay_out(&g, "offer");
    let back: Vec<&Arrow> = layout.arrows.iter().filter(|a| a.back).collect();
    assert_eq!(back.len(), 1);
    assert_eq!(
        back[0].label.as_ref().map(|l| l.full.as_str()),
        Some("3 failed tries")
    );
    let looped: Vec<&Arrow> = layout.arrows.iter().filter(|a| a.to_itself).collect();
    assert_eq!(looped.len(), 1);
    let picture = render(&layout);
    assert_eq!(picture.matches("stroke-dasharray").count(), 1);
    assert!(picture.contains("<title>9 repeats</title>"));
    let rects: Vec<(String, &Rect)> = layout
        .boxes
        .iter()
        .map(|b| ("box".to_string(), &b.rect))
        .chain(layout.label_boxes().map(|r| ("label".to_string(), r)))
        .collect();
    assert_eq!(overlapping(rects.into_iter()), Vec::<String>::new());
}

#[test]
fn arrows_between_the_same_boxes_share_one_label_and_text_is_escaped() {
    let g = graph(
        &["when", "record"],
        &[
            ("when", "record", "1"),
            ("when", "record", "2"),
            ("when", "record", "<3> & more"),
        ],
    );
    let layout = lay_out(&g, "when");
    assert_eq!(layout.arrows.len(), 1);
    let label = layout.arrows[0].label.as_ref().expect("a label");
    assert_eq!(label.lines, ["1, 2, <3> & more"]);
    let picture = render(&layout);
    assert!(picture.contains("1, 2, &lt;3&gt; &amp; more"));
    parses_as_xml(&picture);
}

#[test]
fn an_empty_graph_is_still_a_picture() {
    let picture = svg(&Graph::default(), "nowhere");
    parses_as_xml(&picture);
}

fn parses_as_xml(svg: &str) {
    let mut reader = quick_xml::Reader::from_str(svg);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not XML at {}: {e}\n{svg}", reader.buffer_position()),
        }
    }
}

#[test]
fn boxes_say_ids_as_the_file_writes_them_and_name_the_step_when_pointed_at() {
    let (graph, start) = reference();
    let picture = render(&lay_out(&graph, &start));
    let main_menu = "<g><title>Main menu</title><rect";
    assert!(picture.contains(main_menu), "{picture}");
    assert!(picture.contains(">main_menu</text>"));
    assert!(picture.contains("<title>Victim assistance</title>"));
    assert!(
        !picture.contains("<g><title></title>"),
        "boxes without a name have no tooltip"
    );
}

use std::collections::BTreeMap;

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::bars::{self, Bars, Row};
use super::columns::{self, Column, Columns};
use super::*;

/// An element of a drawn chart: its name, attributes and text.
#[derive(Debug)]
struct Element {
    name: String,
    attributes: BTreeMap<String, String>,
    text: String,
}

impl Element {
    fn number(&self, name: &str) -> f64 {
        self.attributes[name].parse().expect("a number")
    }

    fn has_class(&self, class: &str) -> bool {
        self.attributes
            .get("class")
            .is_some_and(|c| c.split(' ').any(|c| c == class))
    }

    /// A text's box, measured as the charts measure it.
    fn text_box(&self) -> Rect {
        let w = canvas::text_width(&self.text);
        let x = self.number("x");
        let left = match self.attributes["text-anchor"].as_str() {
            "middle" => x - w / 2.0,
            "end" => x - w,
            _ => x,
        };
        Rect {
            x: left,
            y: self.number("y") - FONT,
            w,
            h: FONT + 3.0,
        }
    }
}

/// Parses a chart as XML (failing the test if it is not) into its elements, in order.
fn parse(svg: &str) -> Vec<Element> {
    let mut reader = Reader::from_str(svg);
    let mut out: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let text = |out: &mut Vec<Element>, open: &[usize], piece: &str| {
        if let Some(&i) = open.last() {
            out[i].text.push_str(piece);
        }
    };
    loop {
        match reader.read_event().expect("the chart is XML") {
            Event::Eof => break,
            Event::Start(e) => {
                out.push(element(&e));
                open.push(out.len() - 1);
            }
            Event::Empty(e) => out.push(element(&e)),
            Event::End(_) => {
                open.pop().expect("a start tag for each end tag");
            }
            Event::Text(t) => {
                let piece = t.xml_content(XmlVersion::Implicit1_0);
                text(&mut out, &open, &piece);
            }
            Event::GeneralRef(r) => {
                let piece = resolve_predefined_entity(&r).expect("a known entity");
                text(&mut out, &open, piece);
            }
            _ => {}
        }
    }
    assert!(open.is_empty(), "every element is closed");
    out
}

fn element(start: &BytesStart<'_>) -> Element {
    let attributes = start
        .attributes()
        .map(|a| {
            let a = a.expect("an attribute");
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .expect("a value");
            (a.key.into_inner().to_owned(), value.into_owned())
        })
        .collect();
    Element {
        name: start.name().into_inner().to_owned(),
        attributes,
        text: String::new(),
    }
}

fn caption() -> Caption {
    Caption {
        id: "chart-test".into(),
        title: "Calls per day".into(),
        desc: "Calls per day & category".into(),
    }
}

fn days(values: &[&[u64]]) -> Columns {
    Columns {
        caption: caption(),
        series: vec!["Victim assistance".into(), "Operator <general>".into()],
        columns: values
            .iter()
            .enumerate()
            .map(|(i, v)| Column {
                label: format!("{} Nov", i + 1),
                values: v.to_vec(),
            })
            .collect(),
        noun: "calls".into(),
        empty: "No calls in this period.".into(),
    }
}

/// Asserts that no two texts of a chart overlap and that each lies within its width.
fn texts_apart_and_inside(elements: &[Element]) {
    let texts: Vec<Rect> = elements
        .iter()
        .filter(|e| e.name == "text")
        .map(Element::text_box)
        .collect();
    assert_eq!(overlaps(&texts), Vec::new());
    let inside = |t: &Rect| t.x >= 0.0 && t.x + t.w <= WIDTH + 0.1;
    assert!(texts.iter().all(inside), "{texts:?}");
}

fn overlaps(boxes: &[Rect]) -> Vec<(Rect, Rect)> {
    let mut found = Vec::new();
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let apart =
                a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
            if !apart {
                found.push((*a, *b));
            }
        }
    }
    found
}

#[test]
fn column_segments_are_as_tall_as_their_values_and_named_in_the_legend() {
    let svg = columns::draw(&days(&[&[2, 1], &[4, 0]]));
    let elements = parse(&svg);
    let svg_element = &elements[0];
    assert_eq!(svg_element.attributes["role"], "img");
    assert_eq!(
        svg_element.attributes["viewBox"].split(' ').nth(2),
        Some("440")
    );
    let title = elements
        .iter()
        .find(|e| e.name == "title")
        .expect("a title");
    assert_eq!(title.text, "Calls per day");
    let segments: Vec<&Element> = elements.iter().filter(|e| e.has_class("segment")).collect();
    assert_eq!(segments.len(), 3, "no segment for a zero");
    let heights: Vec<f64> = segments.iter().map(|s| s.number("height")).collect();
    assert!((heights[0] - 2.0 * heights[1]).abs() < 0.2, "{heights:?}");
    assert!((heights[2] - 4.0 * heights[1]).abs() < 0.2, "{heights:?}");
    assert!(segments[0].has_class("s0") && segments[1].has_class("s1"));
    let tip = &elements
        .iter()
        .find(|e| e.text.contains("Operator <general>: 1 calls on 1 Nov"));
    assert!(
        tip.is_some(),
        "the tooltip names the series, unescaped once parsed"
    );
    let legend: Vec<&str> = elements
        .iter()
        .filter(|e| e.has_class("legend"))
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(legend, ["Victim assistance", "Operator <general>"]);
    let totals: Vec<&str> = (elements.iter().filter(|e| e.has_class("total")))
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(totals, ["3", "4"]);
}

#[test]
fn a_month_of_columns_thins_its_labels_so_that_no_text_overlaps() {
    let month: Vec<[u64; 2]> = (0..31).map(|d| [d % 7, 3]).collect();
    let refs: Vec<&[u64]> = month.iter().map(|v| &v[..]).collect();
    let mut chart = days(&refs);
    chart.series = (0..9)
        .map(|i| format!("A category with a long name {i}"))
        .collect();
    for column in &mut chart.columns {
        column.values = (0..9).map(|i| i % 3).collect();
    }
    let elements = parse(&columns::draw(&chart));
    texts_apart_and_inside(&elements);
    let labels = elements
        .iter()
        .filter(|e| e.has_class("tick") && e.text.ends_with("Nov"));
    let shown = labels.count();
    assert!((4..31).contains(&shown), "{shown} day labels");
    let swatches = elements.iter().filter(|e| e.has_class("swatch"));
    assert!(swatches.clone().any(|s| s.has_class("s0")) && swatches.count() == 9);
}

#[test]
fn no_data_draws_a_chart_that_says_so() {
    for svg in [columns::draw(&days(&[])), columns::draw(&days(&[&[0, 0]]))] {
        let elements = parse(&svg);
        assert_eq!(elements[0].attributes["role"], "img");
        let desc = elements
            .iter()
            .find(|e| e.name == "desc")
            .expect("a description");
        assert_eq!(desc.text, "No calls in this period.");
        assert!(
            elements
                .iter()
                .any(|e| e.text == "No calls in this period.")
        );
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }
    let nothing = bars::draw(&waits(Vec::new()));
    assert!(parse(&nothing).iter().any(|e| e.text == "Nobody waited."));
}

fn waits(rows: Vec<Row>) -> Bars {
    Bars {
        caption: caption(),
        kind: "waits",
        unit: Unit::Seconds,
        inner: "Median".into(),
        outer: "90 % within".into(),
        rows,
        empty: "Nobody waited.".into(),
    }
}

fn row(name: &str, inner: f64, outer: f64) -> Row {
    Row {
        name: name.into(),
        inner,
        outer,
        note: format!("median {inner} s · 90 % within {outer} s"),
    }
}

#[test]
fn bars_are_as_long_as_their_values_on_a_round_axis() {
    let chart = waits(vec![
        row("General", 60.0, 240.0),
        row("Records", 120.0, 120.0),
    ]);
    let elements = parse(&bars::draw(&chart));
    let widths = |class: &str| -> Vec<f64> {
        let parts = elements
            .iter()
            .filter(|e| e.name == "rect" && e.has_class(class));
        parts.map(|e| e.number("width")).collect()
    };
    let (inner, outer) = (widths("inner"), widths("outer"));
    // The legend's swatches come first.
    assert!(
        (inner[1] * 4.0 - outer[1]).abs() < 0.2,
        "{inner:?} {outer:?}"
    );
    assert!((inner[2] - outer[2]).abs() < 0.1 && (inner[2] - 2.0 * inner[1]).abs() < 0.2);
    let ticks: Vec<&str> = (elements.iter().filter(|e| e.has_class("tick")))
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(ticks, ["0 s", "1 min", "2 min", "3 min", "4 min"]);
}

#[test]
fn a_long_name_puts_its_numbers_on_a_line_of_their_own() {
    let long = "Information about the enforcement and removal process";
    let chart = waits(vec![row(long, 3000.0, 90000.0), row("General", 5.0, 9.0)]);
    texts_apart_and_inside(&parse(&bars::draw(&chart)));
}

#[test]
fn axes_step_in_round_numbers_and_durations_read_as_people_say_them() {
    let ticks = |max, unit| -> Vec<String> {
        Axis::to(max, unit)
            .ticks()
            .into_iter()
            .map(|(_, l)| l)
            .collect()
    };
    assert_eq!(ticks(7.0, Unit::Count), ["0", "2", "4", "6", "8"]);
    assert_eq!(ticks(0.0, Unit::Count), ["0", "1"]);
    assert_eq!(ticks(1200.0, Unit::Count).len(), 4);
    assert_eq!(
        ticks(45.0, Unit::Seconds),
        ["0 s", "10 s", "20 s", "30 s", "40 s", "50 s"]
    );
    assert_eq!(ticks(4.0 * 3600.0, Unit::Seconds)[1], "1 h");
    assert_eq!(label(129_600.0, Unit::Seconds), "1 d 12 h");
    assert_eq!(label(90.0, Unit::Seconds), "1 min 30 s");
    assert!(Axis::to(5_000_000.0, Unit::Seconds).steps <= 5);
}

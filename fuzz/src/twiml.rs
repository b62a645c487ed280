//! The `twiml` target: any document the TwiML types can hold is rendered, parsed back as XML
//! 1.0, and compared with what was built. Every text and attribute must read back as written,
//! less the characters XML 1.0 cannot carry (which `twiml::render` documents it drops), after
//! the end-of-line and attribute-value normalisation any conforming parser applies.

use std::borrow::Cow;

use arbitrary::{Arbitrary, Unstructured};
use hotline::twiml::{
    Dial, DialTarget, Enqueue, Gather, GatherInput, Hints, Pause, Play, Prompt, Recognition,
    Record, Redirect, Reject, RejectReason, Response, Say, SpeechModel, Verb,
};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

/// Runs one input. Panics only on a bug.
pub fn run(data: &[u8]) {
    let Ok(doc) = Doc::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let response = Response::new(doc.0.into_iter().map(Verb::from).collect());
    let xml = response.render();
    let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    assert!(xml.starts_with(declaration), "{xml}");
    assert!(
        xml.chars().all(is_xml_char),
        "a character XML forbids: {xml:?}"
    );
    let parsed = parse(&xml);
    let expected = element(
        "Response",
        Vec::new(),
        response.verbs.iter().map(verb).collect(),
    );
    assert_eq!(parsed, expected, "{xml}");
}

/// Whether `c` matches XML 1.0's `Char` production, written out again here so that the
/// renderer's own filter is checked rather than trusted.
fn is_xml_char(c: char) -> bool {
    matches!(u32::from(c), 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// What a parser may read back of `s`.
fn carried(s: &str) -> String {
    s.chars().filter(|&c| is_xml_char(c)).collect()
}

/// An element as read back: its name, attributes in order, text, children, and whether it
/// was written as an empty element (`<Pause/>`).
#[derive(Debug, PartialEq, Eq)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Node>,
    empty: bool,
}

fn element(name: &str, attrs: Vec<(&str, Option<String>)>, children: Vec<Node>) -> Node {
    Node {
        name: name.to_string(),
        attrs: attrs
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_string(), carried(&v?))))
            .collect(),
        text: String::new(),
        children,
        empty: false,
    }
}

/// An element with text and no children.
fn leaf(name: &str, attrs: Vec<(&str, Option<String>)>, text: &str) -> Node {
    let mut node = element(name, attrs, Vec::new());
    node.text = carried(text);
    node
}

/// An element written as an empty element.
fn bare(name: &str, attrs: Vec<(&str, Option<String>)>) -> Node {
    let mut node = element(name, attrs, Vec::new());
    node.empty = true;
    node
}

/// The element `v` must read back as.
fn verb(v: &Verb) -> Node {
    match v {
        Verb::Say(say) => say_node(say),
        Verb::Play(play) => leaf("Play", vec![], &play.url),
        Verb::Pause(pause) => pause_node(pause),
        Verb::Gather(g) => gather_node(g),
        Verb::Record(r) => record_node(r),
        Verb::Enqueue(e) => {
            let attrs = vec![
                ("action", e.action.clone()),
                ("waitUrl", e.wait_url.clone()),
            ];
            leaf("Enqueue", attrs, &e.queue)
        }
        Verb::Leave => bare("Leave", vec![]),
        Verb::Dial(d) => dial_node(d),
        Verb::Redirect(r) => leaf("Redirect", vec![], &r.url),
        Verb::Hangup => bare("Hangup", vec![]),
        Verb::Reject(r) => bare("Reject", vec![("reason", Some(r.reason.as_str().into()))]),
    }
}

fn say_node(say: &Say) -> Node {
    let attrs = vec![
        ("voice", say.voice.clone()),
        ("language", say.language.clone()),
    ];
    leaf("Say", attrs, &say.text)
}

fn pause_node(pause: &Pause) -> Node {
    bare("Pause", vec![("length", Some(pause.seconds.to_string()))])
}

fn prompt(p: &Prompt) -> Node {
    match p {
        Prompt::Say(say) => say_node(say),
        Prompt::Play(play) => leaf("Play", vec![], &play.url),
        Prompt::Pause(pause) => pause_node(pause),
    }
}

fn gather_node(g: &Gather) -> Node {
    let speech = g.recognition.as_ref();
    let attrs = vec![
        ("action", Some(g.action.clone())),
        ("input", Some(g.input.as_str().to_string())),
        ("timeout", Some(g.timeout_seconds.to_string())),
        ("numDigits", g.num_digits.map(|n| n.to_string())),
        ("finishOnKey", g.finish_on_key.clone()),
        ("language", g.language.clone()),
        (
            "hints",
            speech
                .map(|r| r.hints.attribute().to_string())
                .filter(|h| !h.is_empty()),
        ),
        (
            "speechTimeout",
            speech.map(|r| r.speech_timeout_seconds.to_string()),
        ),
        ("speechModel", speech.map(|r| r.model.as_str().to_string())),
        (
            "actionOnEmptyResult",
            speech.map(|r| r.action_on_empty_result.to_string()),
        ),
    ];
    element("Gather", attrs, g.prompts.iter().map(prompt).collect())
}

fn record_node(r: &Record) -> Node {
    let attrs = vec![
        ("action", Some(r.action.clone())),
        ("maxLength", Some(r.max_length_seconds.to_string())),
        ("timeout", Some(r.timeout_seconds.to_string())),
        ("finishOnKey", Some(r.finish_on_key.clone())),
        ("playBeep", Some(r.play_beep.to_string())),
    ];
    bare("Record", attrs)
}

fn dial_node(d: &Dial) -> Node {
    let attrs = vec![
        ("action", d.action.clone()),
        ("timeout", d.timeout_seconds.map(|n| n.to_string())),
        ("callerId", d.caller_id.clone()),
    ];
    let target = match &d.target {
        DialTarget::Number(n) => leaf("Number", vec![], n),
        DialTarget::ScreenedNumber {
            number,
            url,
            status_callback,
        } => {
            let events = status_callback
                .as_ref()
                .map(|_| "initiated ringing answered completed".to_string());
            let attrs = vec![
                ("url", Some(url.clone())),
                ("statusCallback", status_callback.clone()),
                ("statusCallbackEvent", events),
            ];
            leaf("Number", attrs, number)
        }
        DialTarget::Queue { name, url } => leaf("Queue", vec![("url", url.clone())], name),
    };
    element("Dial", attrs, vec![target])
}

/// Reads `xml` back as a tree the way a conforming XML 1.0 parser would; panics on anything
/// that is not well-formed.
fn parse(xml: &str) -> Node {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut open: Vec<Node> = Vec::new();
    let mut root = None;
    loop {
        let event = reader.read_event().unwrap_or_else(|e| panic!("{e}: {xml}"));
        match event {
            Event::Decl(_) => assert!(open.is_empty() && root.is_none(), "{xml}"),
            Event::Start(e) => open.push(start(&e, xml)),
            Event::Empty(e) => {
                let mut node = start(&e, xml);
                node.empty = true;
                close(&mut open, &mut root, node, xml);
            }
            Event::End(_) => {
                let node = open
                    .pop()
                    .unwrap_or_else(|| panic!("an end tag too many: {xml}"));
                close(&mut open, &mut root, node, xml);
            }
            Event::Text(t) => text_of(&mut open, xml).push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Cow::Owned(c.to_string()),
                    Ok(None) => quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                        .map(Cow::Borrowed)
                        .unwrap_or_else(|| panic!("an unknown entity: {xml}")),
                    Err(e) => panic!("{e}: {xml}"),
                };
                assert!(
                    c.chars().all(is_xml_char),
                    "a reference to a forbidden character: {xml}"
                );
                text_of(&mut open, xml).push_str(&c);
            }
            Event::Eof => break,
            other => panic!("{other:?} in {xml}"),
        }
    }
    assert!(open.is_empty(), "unclosed elements: {xml}");
    root.unwrap_or_else(|| panic!("no root element: {xml}"))
}

fn start(e: &BytesStart<'_>, xml: &str) -> Node {
    let attrs = e
        .attributes()
        .map(|a| {
            let a = a.unwrap_or_else(|err| panic!("{err}: {xml}"));
            let value = a
                .normalized_value(XmlVersion::Explicit1_0)
                .unwrap_or_else(|err| panic!("{err}: {xml}"));
            (a.key.as_ref().to_string(), value.into_owned())
        })
        .collect();
    Node {
        name: e.name().as_ref().to_string(),
        attrs,
        text: String::new(),
        children: Vec::new(),
        empty: false,
    }
}

fn text_of<'a>(open: &'a mut [Node], xml: &str) -> &'a mut String {
    &mut open
        .last_mut()
        .unwrap_or_else(|| panic!("text outside the root: {xml}"))
        .text
}

fn close(open: &mut [Node], root: &mut Option<Node>, node: Node, xml: &str) {
    match open.last_mut() {
        Some(parent) => parent.children.push(node),
        None => {
            assert!(root.is_none(), "a second root element: {xml}");
            *root = Some(node);
        }
    }
}

/// A document as the fuzzer builds it.
#[derive(Debug, Arbitrary)]
struct Doc(Vec<AnyVerb>);

#[derive(Debug, Arbitrary)]
enum AnyVerb {
    Say(AnySay),
    Play(String),
    Pause(u32),
    Gather(AnyGather),
    Record(String, u32, u32, String, bool),
    Enqueue(String, Option<String>, Option<String>),
    Leave,
    Dial(AnyDial),
    Redirect(String),
    Hangup,
    Reject(bool),
}

#[derive(Debug, Arbitrary)]
struct AnySay(String, Option<String>, Option<String>);

#[derive(Debug, Arbitrary)]
enum AnyPrompt {
    Say(AnySay),
    Play(String),
    Pause(u32),
}

#[derive(Debug, Arbitrary)]
struct AnyGather {
    action: String,
    input: u8,
    timeout: u32,
    num_digits: Option<u32>,
    finish_on_key: Option<String>,
    language: Option<String>,
    /// Hints, the speech timeout and whether an empty answer is posted.
    recognition: Option<(Vec<String>, u32, bool)>,
    prompts: Vec<AnyPrompt>,
}

#[derive(Debug, Arbitrary)]
struct AnyDial {
    /// A number, or a queue's name and URL.
    target: Result<String, (String, Option<String>)>,
    action: Option<String>,
    timeout: Option<u32>,
    caller_id: Option<String>,
}

impl From<AnySay> for Say {
    fn from(AnySay(text, voice, language): AnySay) -> Say {
        Say {
            text,
            voice,
            language,
        }
    }
}

impl From<AnyPrompt> for Prompt {
    fn from(p: AnyPrompt) -> Prompt {
        match p {
            AnyPrompt::Say(s) => Prompt::Say(s.into()),
            AnyPrompt::Play(url) => Prompt::Play(Play::new(url)),
            AnyPrompt::Pause(seconds) => Prompt::Pause(Pause { seconds }),
        }
    }
}

impl From<AnyGather> for Gather {
    fn from(g: AnyGather) -> Gather {
        let inputs = [
            GatherInput::Dtmf,
            GatherInput::Speech,
            GatherInput::DtmfSpeech,
        ];
        Gather {
            action: g.action,
            input: inputs[usize::from(g.input) % inputs.len()],
            timeout_seconds: g.timeout,
            num_digits: g.num_digits,
            finish_on_key: g.finish_on_key,
            language: g.language,
            recognition: g.recognition.map(|(hints, timeout, empty)| Recognition {
                hints: Hints::new(hints.iter().map(String::as_str)),
                speech_timeout_seconds: timeout,
                model: SpeechModel::PhoneCall,
                action_on_empty_result: empty,
            }),
            prompts: g.prompts.into_iter().map(Prompt::from).collect(),
        }
    }
}

impl From<AnyDial> for Dial {
    fn from(d: AnyDial) -> Dial {
        Dial {
            target: match d.target {
                Ok(n) => DialTarget::Number(n),
                Err((name, url)) => DialTarget::Queue { name, url },
            },
            action: d.action,
            timeout_seconds: d.timeout,
            caller_id: d.caller_id,
        }
    }
}

impl From<AnyVerb> for Verb {
    fn from(v: AnyVerb) -> Verb {
        match v {
            AnyVerb::Say(s) => Verb::Say(s.into()),
            AnyVerb::Play(url) => Verb::Play(Play::new(url)),
            AnyVerb::Pause(seconds) => Verb::Pause(Pause { seconds }),
            AnyVerb::Gather(g) => Verb::Gather(g.into()),
            AnyVerb::Record(
                action,
                max_length_seconds,
                timeout_seconds,
                finish_on_key,
                play_beep,
            ) => Verb::Record(Record {
                action,
                max_length_seconds,
                timeout_seconds,
                finish_on_key,
                play_beep,
            }),
            AnyVerb::Enqueue(queue, action, wait_url) => Verb::Enqueue(Enqueue {
                queue,
                action,
                wait_url,
            }),
            AnyVerb::Leave => Verb::Leave,
            AnyVerb::Dial(d) => Verb::Dial(d.into()),
            AnyVerb::Redirect(url) => Verb::Redirect(Redirect::new(url)),
            AnyVerb::Hangup => Verb::Hangup,
            AnyVerb::Reject(busy) => Verb::Reject(Reject {
                reason: if busy {
                    RejectReason::Busy
                } else {
                    RejectReason::Rejected
                },
            }),
        }
    }
}

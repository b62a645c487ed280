//! Tests of the renderer: exact output per verb, escaping, stripping, and the round trip
//! through an XML reader for any text.

use std::collections::BTreeMap;

use proptest::prelude::*;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::*;
use crate::twiml::{GatherInput, Hints, Recognition, RejectReason, SpeechModel};

const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// The full document expected for a response whose verbs render as `inner`.
fn document(inner: &str) -> String {
    format!("{DECL}<Response>{inner}</Response>")
}

fn rendered(verbs: Vec<Verb>) -> String {
    Response::new(verbs).render()
}

/// The only `<Say>` of `xml` as read back by quick-xml's reader:
/// its attributes and its text, both unescaped.
fn read_single_say(xml: &str) -> (BTreeMap<String, String>, String) {
    let mut reader = Reader::from_str(xml);
    let mut says = Vec::new();
    let mut inside_say = false;
    loop {
        match reader.read_event().expect("rendered XML parses") {
            Event::Start(e) if e.name().as_ref() == "Say" => {
                says.push((attributes(&e), String::new()));
                inside_say = true;
            }
            Event::Empty(e) if e.name().as_ref() == "Say" => {
                says.push((attributes(&e), String::new()));
            }
            Event::End(e) if e.name().as_ref() == "Say" => inside_say = false,
            Event::Text(t) if inside_say => {
                says.last_mut().expect("inside a Say").1 += &t.xml10_content();
            }
            Event::GeneralRef(r) if inside_say => {
                let resolved = match r.resolve_char_ref().expect("valid char ref") {
                    Some(c) => c.to_string(),
                    None => resolve_predefined_entity(&r)
                        .expect("predefined entity")
                        .to_owned(),
                };
                says.last_mut().expect("inside a Say").1 += &resolved;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(says.len(), 1, "expected exactly one <Say> in {xml:?}");
    says.remove(0)
}

fn attributes(e: &BytesStart<'_>) -> BTreeMap<String, String> {
    e.attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            let value = a
                .normalized_value(XmlVersion::Explicit1_0)
                .expect("attribute value unescapes");
            (a.key.into_inner().to_owned(), value.into_owned())
        })
        .collect()
}

#[test]
fn an_empty_response_renders_as_declaration_and_empty_response_element() {
    assert_eq!(rendered(vec![]), document(""));
    assert!(rendered(vec![]).starts_with("<?xml"));
}

#[test]
fn say_renders_voice_and_language_and_omits_them_when_absent() {
    let say = Say::with_voice("Hello", "Polly.Joanna", "en-US");
    assert_eq!(
        rendered(vec![Verb::Say(say), Verb::Say(Say::new("Bye"))]),
        document(r#"<Say voice="Polly.Joanna" language="en-US">Hello</Say><Say>Bye</Say>"#)
    );
}

#[test]
fn play_pause_redirect_leave_and_hangup_render_as_expected() {
    let verbs = vec![
        Verb::Play(Play::new("https://cdn.example.com/hold.mp3")),
        Verb::Pause(Pause { seconds: 2 }),
        Verb::Redirect(Redirect::new("/ivr/start")),
        Verb::Leave,
        Verb::Hangup,
    ];
    assert_eq!(
        rendered(verbs),
        document(concat!(
            "<Play>https://cdn.example.com/hold.mp3</Play>",
            r#"<Pause length="2"/>"#,
            "<Redirect>/ivr/start</Redirect>",
            "<Leave/>",
            "<Hangup/>",
        ))
    );
}

#[test]
fn gather_renders_its_attributes_and_nested_say_and_pause() {
    let gather = Gather {
        num_digits: Some(1),
        finish_on_key: Some(String::new()),
        language: Some("en-GB".to_owned()),
        ..Gather::new(
            "/ivr/menu?step=1&lang=en",
            GatherInput::DtmfSpeech,
            vec![
                Prompt::Say(Say::new("Press 1 for sales.")),
                Prompt::Pause(Pause { seconds: 1 }),
                Prompt::Play(Play::new("/audio/tone.wav")),
            ],
        )
    };
    assert_eq!(
        rendered(vec![Verb::Gather(gather)]),
        document(concat!(
            r#"<Gather action="/ivr/menu?step=1&amp;lang=en" input="dtmf speech" "#,
            r#"timeout="5" numDigits="1" finishOnKey="" language="en-GB">"#,
            "<Say>Press 1 for sales.</Say>",
            r#"<Pause length="1"/>"#,
            "<Play>/audio/tone.wav</Play>",
            "</Gather>",
        ))
    );
}

#[test]
fn a_gather_that_listens_for_speech_names_its_hints_timeout_model_and_empty_answers() {
    let gather = Gather {
        language: Some("es-US".to_owned()),
        recognition: Some(Recognition {
            hints: Hints::new(["especialista", "víctima", "abogado"]),
            speech_timeout_seconds: 2,
            model: SpeechModel::PhoneCall,
            action_on_empty_result: true,
        }),
        ..Gather::new("/g", GatherInput::DtmfSpeech, vec![])
    };
    assert_eq!(
        rendered(vec![Verb::Gather(gather)]),
        document(concat!(
            r#"<Gather action="/g" input="dtmf speech" timeout="5" language="es-US" "#,
            r#"hints="especialista,víctima,abogado" speechTimeout="2" speechModel="phone_call" "#,
            r#"actionOnEmptyResult="true"></Gather>"#,
        ))
    );
}

#[test]
fn gather_input_kinds_render_as_twilio_spells_them() {
    for (input, expected) in [
        (GatherInput::Dtmf, "dtmf"),
        (GatherInput::Speech, "speech"),
        (GatherInput::DtmfSpeech, "dtmf speech"),
    ] {
        let xml = rendered(vec![Verb::Gather(Gather::new("/a", input, vec![]))]);
        let inner = format!(r#"<Gather action="/a" input="{expected}" timeout="5"></Gather>"#);
        assert_eq!(xml, document(&inner));
    }
}

#[test]
fn record_renders_all_attributes_with_play_beep_as_a_boolean() {
    let record = Record {
        max_length_seconds: 120,
        play_beep: false,
        finish_on_key: "#".to_owned(),
        ..Record::new("/voicemail")
    };
    assert_eq!(
        rendered(vec![Verb::Record(record), Verb::Record(Record::new("/r"))]),
        document(concat!(
            r##"<Record action="/voicemail" maxLength="120" timeout="5" finishOnKey="#" playBeep="false"/>"##,
            r#"<Record action="/r" maxLength="3600" timeout="5" finishOnKey="1234567890*#" playBeep="true"/>"#,
        ))
    );
}

#[test]
fn enqueue_renders_the_queue_name_as_text() {
    let enqueue = Enqueue {
        action: Some("/queue/left".to_owned()),
        wait_url: Some("/queue/hold".to_owned()),
        ..Enqueue::new("triage")
    };
    assert_eq!(
        rendered(vec![
            Verb::Enqueue(enqueue),
            Verb::Enqueue(Enqueue::new("plain"))
        ]),
        document(concat!(
            r#"<Enqueue action="/queue/left" waitUrl="/queue/hold">triage</Enqueue>"#,
            "<Enqueue>plain</Enqueue>",
        ))
    );
}

#[test]
fn dial_nests_a_number_or_a_queue() {
    let to_number = Dial {
        action: Some("/dial/done".to_owned()),
        timeout_seconds: Some(20),
        caller_id: Some("+15550001111".to_owned()),
        ..Dial::new(DialTarget::Number("+15551234567".to_owned()))
    };
    let to_queue = Dial::new(DialTarget::Queue {
        name: "triage".to_owned(),
        url: None,
    });
    let with_whisper = Dial::new(DialTarget::Queue {
        name: "general".to_owned(),
        url: Some("/whisper?a=1&b=2".to_owned()),
    });
    assert_eq!(
        rendered(vec![
            Verb::Dial(to_number),
            Verb::Dial(to_queue),
            Verb::Dial(with_whisper)
        ]),
        document(concat!(
            r#"<Dial action="/dial/done" timeout="20" callerId="+15550001111">"#,
            "<Number>+15551234567</Number></Dial>",
            "<Dial><Queue>triage</Queue></Dial>",
            r#"<Dial><Queue url="/whisper?a=1&amp;b=2">general</Queue></Dial>"#,
        ))
    );
}

#[test]
fn reject_renders_its_reason() {
    let verbs = vec![
        Verb::Reject(Reject {
            reason: RejectReason::Rejected,
        }),
        Verb::Reject(Reject {
            reason: RejectReason::Busy,
        }),
    ];
    assert_eq!(
        rendered(verbs),
        document(r#"<Reject reason="rejected"/><Reject reason="busy"/>"#)
    );
}

#[test]
fn markup_characters_in_text_and_attributes_are_escaped_and_parse_back() {
    let nasty = r#"Tom & Jerry's "<show>" ]]>"#;
    let xml = rendered(vec![Verb::Say(Say::with_voice(nasty, nasty, "en"))]);
    let escaped = "Tom &amp; Jerry&apos;s &quot;&lt;show&gt;&quot; ]]&gt;";
    assert_eq!(
        xml,
        document(&format!(
            r#"<Say voice="{escaped}" language="en">{escaped}</Say>"#
        ))
    );
    let (attrs, text) = read_single_say(&xml);
    assert_eq!(text, nasty);
    assert_eq!(attrs["voice"], nasty);
}

#[test]
fn whitespace_in_text_and_attributes_survives_a_parse_exactly() {
    let spaced = "a\tb\nc\rd\r\ne";
    let xml = rendered(vec![Verb::Say(Say::with_voice(spaced, spaced, "en"))]);
    assert!(xml.contains(r#"voice="a&#9;b&#10;c&#13;d&#13;&#10;e""#));
    assert!(xml.contains(">a\tb\nc&#13;d&#13;\ne</Say>"));
    let (attrs, text) = read_single_say(&xml);
    assert_eq!(text, spaced);
    assert_eq!(attrs["voice"], spaced);
}

#[test]
fn control_characters_are_stripped_from_text_and_attributes() {
    let dirty = "a\u{0}b\u{8}c\u{B}d\u{C}e\u{E}f\u{1F}g\u{FFFE}h\u{FFFF}i";
    let xml = rendered(vec![Verb::Say(Say::with_voice(dirty, dirty, "en"))]);
    assert_eq!(
        xml,
        document(r#"<Say voice="abcdefghi" language="en">abcdefghi</Say>"#)
    );
}

#[test]
fn xml_safe_borrows_clean_input_and_keeps_tab_newline_and_carriage_return() {
    let clean = "Hello\t\r\n<&> \u{7F}\u{85}\u{D7FF}\u{E000}\u{FFFD}\u{10000}\u{10FFFF}";
    assert!(matches!(xml_safe(clean), Cow::Borrowed(s) if s == clean));
    assert!(matches!(xml_safe(""), Cow::Borrowed("")));
    assert_eq!(xml_safe("\u{1}x\u{FFFF}"), "x");
}

#[test]
fn a_realistic_menu_response_matches_its_snapshot() {
    let menu = Response::new(vec![
        Verb::Say(Say::with_voice(
            "Thank you for calling the hotline. Calls may be recorded.",
            "Polly.Amy",
            "en-GB",
        )),
        Verb::Gather(Gather {
            num_digits: Some(1),
            language: Some("en-GB".to_owned()),
            ..Gather::new(
                "https://hotline.example.org/twilio/menu?node=main&attempt=1&lang=en-GB",
                GatherInput::DtmfSpeech,
                vec![
                    Prompt::Say(Say::with_voice(
                        "For urgent help, press 1. To request a callback, press 2.",
                        "Polly.Amy",
                        "en-GB",
                    )),
                    Prompt::Pause(Pause { seconds: 1 }),
                ],
            )
        }),
        Verb::Redirect(Redirect::new(
            "https://hotline.example.org/twilio/menu?node=main&attempt=2&lang=en-GB",
        )),
    ]);
    insta::assert_snapshot!(menu.render());
}

/// Strings rich in what XML treats specially: markup, whitespace,
/// forbidden controls and non-characters, mixed with arbitrary chars.
fn tricky_string() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '<', '>', '&', '\'', '"', ';', '#', ']', '\t', '\n', '\r', ' ', '\u{0}', '\u{8}', '\u{B}',
        '\u{C}', '\u{1F}', '\u{7F}', '\u{85}', '\u{2028}', '\u{FFFE}', '\u{FFFF}',
    ]);
    prop::collection::vec(prop_oneof![special, any::<char>()], 0..48)
        .prop_map(|chars| chars.into_iter().collect())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), tricky_string()]
}

proptest! {
    #[test]
    fn any_say_text_parses_back_as_its_xml_safe_form(s in any_text()) {
        let xml = rendered(vec![Verb::Say(Say::new(s.as_str()))]);
        prop_assert!(xml.starts_with(DECL));
        prop_assert!(xml.chars().all(is_xml_char));
        let (attrs, text) = read_single_say(&xml);
        prop_assert!(attrs.is_empty());
        prop_assert_eq!(text, xml_safe(&s));
    }

    #[test]
    fn any_say_voice_parses_back_as_its_xml_safe_form(s in any_text()) {
        let xml = rendered(vec![Verb::Say(Say::with_voice("Hi", s.as_str(), "en"))]);
        prop_assert!(xml.chars().all(is_xml_char));
        let (attrs, text) = read_single_say(&xml);
        prop_assert_eq!(text, "Hi");
        prop_assert_eq!(attrs["voice"].as_str(), xml_safe(&s));
    }
}

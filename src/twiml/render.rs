//! Renders typed TwiML to XML with quick-xml; escaping and stripping of characters XML forbids happen here and nowhere else.
//!
//! Every text node and attribute value goes through [`xml_safe`] first and is
//! then escaped by quick-xml: `BytesText::new` escapes `< > & ' "` and `\r`,
//! and `(&str, &str)` attributes additionally escape `\t` and `\n`, so a
//! conforming parser reads back exactly the `xml_safe` form of the input
//! (no end-of-line or attribute-whitespace normalisation applies).
//!
//! Elements that can carry content (`Response`, `Say`, `Play`, `Gather`,
//! `Enqueue`, `Dial`, `Redirect`) always get a start and an end tag, even when
//! empty; the others (`Pause`, `Record`, `Leave`, `Hangup`, `Reject`) are
//! written as empty elements. The output is compact: no indentation.

use std::borrow::Cow;
use std::io;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::{ElementWriter, Writer};

use super::{
    Dial, DialTarget, Enqueue, Gather, Pause, Play, Prompt, Record, Redirect, Reject, Response,
    Say, Verb,
};

type XmlWriter = Writer<Vec<u8>>;

/// Renders `response` as a complete TwiML document: the XML declaration
/// `<?xml version="1.0" encoding="UTF-8"?>` followed by `<Response>`.
pub fn render(response: &Response) -> String {
    // Most answers are one or two kilobytes; starting there avoids regrowing the buffer.
    let mut writer = Writer::new(Vec::with_capacity(2048));
    write_document(&mut writer, response)
        // quick-xml's writer only fails when the underlying `io::Write` does,
        // and `io::Write for Vec<u8>` never returns an error.
        .expect("writing XML into a Vec<u8> cannot fail");
    String::from_utf8(writer.into_inner())
        // Every byte comes from a `&str` (names, values, text, and quick-xml's
        // ASCII markup and escapes), so the buffer is valid UTF-8.
        .expect("XML built only from &str is valid UTF-8")
}

/// Removes the characters XML 1.0 forbids: U+0000–U+0008, U+000B, U+000C,
/// U+000E–U+001F, U+FFFE and U+FFFF (surrogates cannot occur in a `str`).
/// Tab, line feed and carriage return are kept. Borrows when nothing is removed.
pub fn xml_safe(s: &str) -> Cow<'_, str> {
    if s.chars().all(is_xml_char) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| is_xml_char(c)).collect())
    }
}

/// Whether `c` matches XML 1.0's `Char` production.
fn is_xml_char(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}'
    )
}

fn write_document(w: &mut XmlWriter, response: &Response) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("Response").write_inner_content(|w| {
        for verb in &response.verbs {
            write_verb(w, verb)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn write_verb(w: &mut XmlWriter, verb: &Verb) -> io::Result<()> {
    match verb {
        Verb::Say(say) => write_say(w, say),
        Verb::Play(play) => write_play(w, play),
        Verb::Pause(pause) => write_pause(w, pause),
        Verb::Gather(gather) => write_gather(w, gather),
        Verb::Record(record) => write_record(w, record),
        Verb::Enqueue(enqueue) => write_enqueue(w, enqueue),
        Verb::Leave => empty(element(w, "Leave", &[])),
        Verb::Dial(dial) => write_dial(w, dial),
        Verb::Redirect(redirect) => write_redirect(w, redirect),
        Verb::Hangup => empty(element(w, "Hangup", &[])),
        Verb::Reject(reject) => write_reject(w, reject),
    }
}

/// Starts element `name` with the attributes whose value is `Some`, in order.
fn element<'w>(
    w: &'w mut XmlWriter,
    name: &'static str,
    attrs: &[(&str, Option<&str>)],
) -> ElementWriter<'w, Vec<u8>> {
    attrs
        .iter()
        .filter_map(|&(key, value)| Some((key, value?)))
        .fold(w.create_element(name), |el, (key, value)| {
            el.with_attribute((key, xml_safe(value).as_ref()))
        })
}

/// Finishes `el` with `text` as its only content.
fn text(el: ElementWriter<'_, Vec<u8>>, text: &str) -> io::Result<()> {
    el.write_text_content(BytesText::new(&xml_safe(text)))?;
    Ok(())
}

/// Finishes `el` as an empty element.
fn empty(el: ElementWriter<'_, Vec<u8>>) -> io::Result<()> {
    el.write_empty()?;
    Ok(())
}

fn write_say(w: &mut XmlWriter, say: &Say) -> io::Result<()> {
    let attrs = [
        ("voice", say.voice.as_deref()),
        ("language", say.language.as_deref()),
    ];
    text(element(w, "Say", &attrs), &say.text)
}

fn write_play(w: &mut XmlWriter, play: &Play) -> io::Result<()> {
    text(element(w, "Play", &[]), &play.url)
}

fn write_pause(w: &mut XmlWriter, pause: &Pause) -> io::Result<()> {
    let length = pause.seconds.to_string();
    empty(element(w, "Pause", &[("length", Some(&length))]))
}

fn write_prompt(w: &mut XmlWriter, prompt: &Prompt) -> io::Result<()> {
    match prompt {
        Prompt::Say(say) => write_say(w, say),
        Prompt::Play(play) => write_play(w, play),
        Prompt::Pause(pause) => write_pause(w, pause),
    }
}

fn write_gather(w: &mut XmlWriter, gather: &Gather) -> io::Result<()> {
    let timeout = gather.timeout_seconds.to_string();
    let num_digits = gather.num_digits.map(|n| n.to_string());
    let speech = gather.recognition.as_ref();
    let hints = speech
        .map(|s| s.hints.attribute())
        .filter(|h| !h.is_empty());
    let speech_timeout = speech.map(|s| s.speech_timeout_seconds.to_string());
    let attrs = [
        ("action", Some(gather.action.as_str())),
        ("input", Some(gather.input.as_str())),
        ("timeout", Some(timeout.as_str())),
        ("numDigits", num_digits.as_deref()),
        ("finishOnKey", gather.finish_on_key.as_deref()),
        ("language", gather.language.as_deref()),
        ("hints", hints),
        ("speechTimeout", speech_timeout.as_deref()),
        ("speechModel", speech.map(|s| s.model.as_str())),
        (
            "actionOnEmptyResult",
            speech.map(|s| {
                if s.action_on_empty_result {
                    "true"
                } else {
                    "false"
                }
            }),
        ),
    ];
    element(w, "Gather", &attrs).write_inner_content(|w| {
        for prompt in &gather.prompts {
            write_prompt(w, prompt)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn write_record(w: &mut XmlWriter, record: &Record) -> io::Result<()> {
    let max_length = record.max_length_seconds.to_string();
    let timeout = record.timeout_seconds.to_string();
    let attrs = [
        ("action", Some(record.action.as_str())),
        ("maxLength", Some(max_length.as_str())),
        ("timeout", Some(timeout.as_str())),
        ("finishOnKey", Some(record.finish_on_key.as_str())),
        (
            "playBeep",
            Some(if record.play_beep { "true" } else { "false" }),
        ),
    ];
    empty(element(w, "Record", &attrs))
}

fn write_enqueue(w: &mut XmlWriter, enqueue: &Enqueue) -> io::Result<()> {
    let attrs = [
        ("action", enqueue.action.as_deref()),
        ("waitUrl", enqueue.wait_url.as_deref()),
    ];
    text(element(w, "Enqueue", &attrs), &enqueue.queue)
}

fn write_dial(w: &mut XmlWriter, dial: &Dial) -> io::Result<()> {
    let timeout = dial.timeout_seconds.map(|n| n.to_string());
    let attrs = [
        ("action", dial.action.as_deref()),
        ("timeout", timeout.as_deref()),
        ("callerId", dial.caller_id.as_deref()),
    ];
    element(w, "Dial", &attrs).write_inner_content(|w| match &dial.target {
        DialTarget::Number(number) => text(element(w, "Number", &[]), number),
        DialTarget::ScreenedNumber {
            number,
            url,
            status_callback,
        } => {
            let events = status_callback
                .as_ref()
                .map(|_| "initiated ringing answered completed");
            let attrs = [
                ("url", Some(url.as_str())),
                ("statusCallback", status_callback.as_deref()),
                ("statusCallbackEvent", events),
            ];
            text(element(w, "Number", &attrs), number)
        }
        DialTarget::Queue { name, url } => {
            text(element(w, "Queue", &[("url", url.as_deref())]), name)
        }
    })?;
    Ok(())
}

fn write_redirect(w: &mut XmlWriter, redirect: &Redirect) -> io::Result<()> {
    text(element(w, "Redirect", &[]), &redirect.url)
}

fn write_reject(w: &mut XmlWriter, reject: &Reject) -> io::Result<()> {
    empty(element(
        w,
        "Reject",
        &[("reason", Some(reject.reason.as_str()))],
    ))
}

#[cfg(test)]
mod tests;

//! Cue payloads: markup removal and speaker detection, shared by the
//! WebVTT and SRT parsers.

use super::{ParseOptions, Segment, TimeOffset};

/// A timed cue as read from the file, before speaker detection.
#[derive(Debug)]
pub(crate) struct RawCue<'a> {
    pub start: TimeOffset,
    pub end: TimeOffset,
    pub lines: Vec<&'a str>,
}

/// Turns cues into speaker segments. A cue may yield several segments when
/// its lines carry different speakers (`<v A>` on one line, `<v B>` on the
/// next).
pub(crate) fn cues_to_segments(cues: &[RawCue<'_>], options: &ParseOptions) -> Vec<Segment> {
    let prefixes = options.speaker_prefixes && prefixes_are_speakers(cues);
    let mut segments = Vec::new();
    for cue in cues {
        let mut current: Option<Segment> = None;
        for line in &cue.lines {
            for (speaker, text) in line_speakers(line, prefixes) {
                if text.is_empty() {
                    continue;
                }
                match (&mut current, speaker) {
                    (Some(seg), None) => push_text(&mut seg.text, &text),
                    (Some(seg), Some(name)) if seg.speaker.as_deref() == Some(name.as_str()) => {
                        push_text(&mut seg.text, &text)
                    }
                    (_, speaker) => {
                        segments.extend(current.take());
                        current = Some(Segment {
                            speaker,
                            start: cue.start,
                            end: cue.end,
                            text,
                        });
                    }
                }
            }
        }
        segments.extend(current);
    }
    segments
}

fn push_text(buf: &mut String, text: &str) {
    if !buf.is_empty() {
        buf.push(' ');
    }
    buf.push_str(text);
}

/// The speakers and clean text of one payload line: each `<v Name>` voice
/// span starts a piece (one line may hold several); without voice tags,
/// and when the file uses them, a `Name: ` prefix names the speaker.
fn line_speakers(line: &str, prefixes: bool) -> Vec<(Option<String>, String)> {
    let starts: Vec<usize> = line
        .match_indices("<v")
        .map(|(i, _)| i)
        .filter(|i| voice_tag(&line[*i..]).is_some())
        .collect();
    if starts.is_empty() {
        let text = clean(line);
        if prefixes && let Some((name, rest)) = name_prefix(&text) {
            return vec![(Some(name.to_owned()), rest.to_owned())];
        }
        return vec![(None, text)];
    }
    let mut pieces = vec![(None, clean(&line[..starts[0]]))];
    for (n, start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(line.len());
        let span = &line[*start..end];
        pieces.push((voice_tag(span), clean(span)));
    }
    pieces
}

/// `Name: text` prefixes are only taken as speakers when most cues have one
/// (Zoom and Meet exports label every cue), so that a plain caption like
/// "Quick question: how..." in an unlabelled file keeps its text.
fn prefixes_are_speakers(cues: &[RawCue<'_>]) -> bool {
    let candidates: Vec<bool> = cues
        .iter()
        .filter_map(|c| c.lines.first())
        .filter(|l| voice_tag(l).is_none())
        .map(|l| name_prefix(&clean(l)).is_some())
        .collect();
    let labelled = candidates.iter().filter(|b| **b).count();
    !candidates.is_empty() && labelled * 2 >= candidates.len()
}

/// The annotation of the first `<v Name>` / `<v.class Name>` span.
pub(crate) fn voice_tag(line: &str) -> Option<String> {
    let mut rest = line;
    while let Some(i) = rest.find("<v") {
        let after = &rest[i + 2..];
        let close = after.find('>')?;
        let inner = &after[..close];
        if inner.starts_with([' ', '\t', '.']) {
            // Classes (`.loud`) come first, the annotation after whitespace.
            let name = inner
                .trim_start_matches(|c: char| c != ' ' && c != '\t')
                .trim();
            let name = decode_entities(name);
            return (!name.is_empty()).then_some(name);
        }
        rest = after;
    }
    None
}

/// A `Name: ` prefix that looks like a person's name: at most five words
/// and 64 characters, no sentence punctuation, not a bare number or URL.
fn name_prefix(text: &str) -> Option<(&str, &str)> {
    let i = text.find(": ")?;
    let (name, rest) = (text[..i].trim(), text[i + 2..].trim());
    let plausible = !name.is_empty()
        && !rest.is_empty()
        && name.chars().count() <= 64
        && name.split_whitespace().count() <= 5
        && !name.contains(['?', '!', ';', '"', ':', '<', '>', '{', '}'])
        && name.chars().any(char::is_alphabetic)
        && !name.starts_with("http");
    plausible.then_some((name, rest))
}

/// Removes tags (`<v ...>`, `</v>`, `<i>`, `<c.x>`, `<00:01.000>`,
/// `<font ...>`), ASS overrides like `{\an8}`, decodes the common entities
/// and collapses whitespace. An unclosed `<` is kept as text.
pub(crate) fn clean(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find(['<', '{']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let (open, close) = if tail.starts_with('<') {
            ('<', '>')
        } else {
            ('{', '}')
        };
        let is_markup = open == '<' || tail[1..].starts_with('\\');
        match tail.find(close) {
            Some(end) if is_markup => rest = &tail[end + 1..],
            _ => {
                out.push(open);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    decode_entities(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&lrm;", "")
        .replace("&rlm;", "")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voice_tags() {
        assert_eq!(
            voice_tag("<v Roger Bingham>We are here").as_deref(),
            Some("Roger Bingham")
        );
        assert_eq!(voice_tag("<v.loud.x Esme>Hi</v>").as_deref(), Some("Esme"));
        assert_eq!(voice_tag("<v>anonymous"), None);
        assert_eq!(voice_tag("<i>no voice</i>"), None);
        assert_eq!(voice_tag("<v Ana"), None);
        assert_eq!(
            voice_tag("<v Tom &amp; Jerry>x").as_deref(),
            Some("Tom & Jerry")
        );
    }

    #[test]
    fn cleaning() {
        assert_eq!(clean("<v Ana>Hello <i>there</i></v>"), "Hello there");
        assert_eq!(clean("{\\an8}<font color=\"red\">Top</font>"), "Top");
        assert_eq!(clean("a < b and {c}"), "a < b and {c}");
        assert_eq!(clean("R&amp;D &lt;3"), "R&D <3");
        assert_eq!(clean("<00:00:01.000>word  <c>next</c>"), "word next");
    }

    #[test]
    fn name_prefixes() {
        assert_eq!(
            name_prefix("Samson Zhang: gotcha gotcha"),
            Some(("Samson Zhang", "gotcha gotcha"))
        );
        assert_eq!(
            name_prefix("Doe, Jane (she/her): hi"),
            Some(("Doe, Jane (she/her)", "hi"))
        );
        assert_eq!(name_prefix("What is it? I mean: this"), None);
        assert_eq!(name_prefix("10: 30"), None);
        assert_eq!(name_prefix("one two three four five six: x"), None);
        assert_eq!(name_prefix("Ana:"), None);
    }
}

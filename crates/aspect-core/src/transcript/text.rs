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
    let voices: Vec<(usize, String)> = voice_tags(line)
        .into_iter()
        .filter_map(|(i, name)| Some((i, name?)))
        .collect();
    let Some((first, _)) = voices.first() else {
        let text = clean(line);
        if prefixes && let Some((name, rest)) = name_prefix(&text) {
            return vec![(Some(name.to_owned()), rest.to_owned())];
        }
        return vec![(None, text)];
    };
    let mut pieces = vec![(None, clean(&line[..*first]))];
    for (n, (start, name)) in voices.iter().enumerate() {
        let end = voices.get(n + 1).map_or(line.len(), |(next, _)| *next);
        pieces.push((Some(name.clone()), clean(&line[*start..end])));
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
    voice_tags(line)
        .into_iter()
        .next()
        .and_then(|(_, name)| name)
}

/// Every voice start tag in `line`: its position and its annotation
/// (`None` for `<v>`-like tags without a name). Tags whose name is not `v`
/// (`<vx>`) are skipped. One pass: a tag runs to the first `>` after it, and
/// a `<v` inside a tag is part of that tag (W3C WebVTT §6.4, start tag
/// annotation state), so no text is scanned twice.
fn voice_tags(line: &str) -> Vec<(usize, Option<String>)> {
    let mut out = Vec::new();
    let mut consumed = 0;
    for (i, _) in line.match_indices("<v") {
        if i < consumed {
            continue;
        }
        let Some(close) = line[i..].find('>').map(|c| i + c) else {
            break;
        };
        consumed = close + 1;
        let inner = &line[i + 2..close];
        if inner.starts_with([' ', '\t', '.']) {
            // Classes (`.loud`) come first, the annotation after whitespace.
            let name = inner
                .trim_start_matches(|c: char| c != ' ' && c != '\t')
                .trim();
            let name = decode_entities(name);
            out.push((i, (!name.is_empty()).then_some(name)));
        }
    }
    out
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

/// Plain text of a cue payload line, following the WebVTT cue text
/// tokenizer (W3C WebVTT §6.4 "WebVTT cue text parsing rules"): tags such as
/// `<v Name>`, `<c.loud>`, `<i>`, `<b>`, `<u>`, `<lang en>`, `<ruby>` and
/// timestamp tags `<00:01.000>` are removed and their content kept, except
/// ruby text (`<rt>…</rt>`), which is a reading aid and not speech; character
/// references (`&amp;`, `&lt;`, `&gt;`, `&nbsp;`, `&lrm;`, `&rlm;`, other
/// common named ones, `&#39;`, `&#x2014;`) are decoded. SRT's ASS overrides
/// like `{\an8}` are removed too, and whitespace is collapsed.
///
/// Two deliberate departures from the spec tokenizer, because transcript
/// text matters more than markup: a `<` that does not start a tag (not
/// followed by a letter, `/` or digit, or never closed on the line) is kept
/// as text where the spec would swallow the rest of the cue; and
/// directional marks, U+FFFD (from NULs, §6.1 step 1) and control
/// characters are dropped, since a note has no use for them.
pub(crate) fn clean(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_ruby_text = false;
    // Past the last `>` (or `}`) no tag (or override) can close, so the
    // search for one is skipped there: this keeps the pass linear on a line
    // full of unclosed `<`.
    let last_gt = line.rfind('>');
    let last_brace = line.rfind('}');
    let mut i = 0;
    while let Some(c) = line[i..].chars().next() {
        let tail = &line[i..];
        if c == '<'
            && last_gt.is_some_and(|g| g > i)
            && let Some((tag, len)) = tag_at(tail)
        {
            match (tag.closing, tag.name) {
                (false, "rt") => in_ruby_text = true,
                (true, "rt" | "ruby") => in_ruby_text = false,
                _ => {}
            }
            i += len;
            continue;
        }
        if c == '{'
            && last_brace.is_some_and(|b| b > i)
            && tail[1..].starts_with('\\')
            && let Some(end) = tail.find('}')
        {
            i += end + 1;
            continue;
        }
        let (decoded, len) = match c {
            '&' => entity_at(tail).unwrap_or((c, 1)),
            _ => (c, c.len_utf8()),
        };
        if !in_ruby_text && !is_dropped(decoded) {
            out.push(decoded);
        }
        i += len;
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Invisible or meaningless characters for a note's text.
fn is_dropped(c: char) -> bool {
    matches!(c, '\u{FFFD}' | '\u{200E}' | '\u{200F}') || (c.is_control() && !c.is_whitespace())
}

struct Tag<'a> {
    closing: bool,
    name: &'a str,
}

/// A tag at the start of `tail` (which starts with `<`) and its length: a
/// start tag `<name.class annotation>`, an end tag `</name>` or a timestamp
/// tag `<00:01.000>` (§6.4 tag, start tag, end tag and timestamp states).
fn tag_at(tail: &str) -> Option<(Tag<'_>, usize)> {
    let next = tail[1..].chars().next()?;
    if !(next.is_ascii_alphanumeric() || next == '/') {
        return None;
    }
    let close = tail.find('>')?;
    let inner = &tail[1..close];
    let (closing, body) = match inner.strip_prefix('/') {
        Some(body) => (true, body),
        None => (false, inner),
    };
    let name_end = body
        .find(|c: char| c == '.' || c.is_whitespace())
        .unwrap_or(body.len());
    Some((
        Tag {
            closing,
            name: &body[..name_end],
        },
        close + 1,
    ))
}

/// Decodes the character references in `text` (voice annotations).
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        let (decoded, len) = match c {
            '&' => entity_at(&text[i..]).unwrap_or((c, 1)),
            _ => (c, c.len_utf8()),
        };
        if !is_dropped(decoded) {
            out.push(decoded);
        }
        i += len;
    }
    out
}

/// A character reference at the start of `tail` (which starts with `&`):
/// numeric (`&#233;`, `&#xE9;`) or one of the named references transcripts
/// use. WebVTT defers to HTML's table (§6.4 "HTML character reference in
/// data state"); unknown names stay literal text, as HTML does. Invalid code
/// points become U+FFFD, as in HTML.
fn entity_at(tail: &str) -> Option<(char, usize)> {
    // The longest reference this table knows is short; stop looking early
    // so that a lone `&` in a long line costs nothing.
    let semi = tail
        .char_indices()
        .take(34)
        .find(|(_, c)| *c == ';')
        .map(|(i, _)| i)?;
    let name = &tail[1..semi];
    let decoded = match name.strip_prefix('#') {
        Some(number) => {
            let value = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse::<u32>().ok()?,
            };
            char::from_u32(value)
                .filter(|c| *c != '\0')
                .unwrap_or('\u{FFFD}')
        }
        None => named_entity(name)?,
    };
    Some((decoded, semi + 1))
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "nbsp" => '\u{A0}',
        "lrm" => '\u{200E}',
        "rlm" => '\u{200F}',
        "quot" => '"',
        "apos" => '\'',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "euro" => '€',
        "pound" => '£',
        "deg" => '°',
        "eacute" => 'é',
        "egrave" => 'è',
        "aacute" => 'á',
        "iacute" => 'í',
        "oacute" => 'ó',
        "uacute" => 'ú',
        "ntilde" => 'ñ',
        "ccedil" => 'ç',
        "uuml" => 'ü',
        "ouml" => 'ö',
        "auml" => 'ä',
        "szlig" => 'ß',
        _ => return None,
    })
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
    fn spec_tags_and_entities() {
        // W3C WebVTT §6.4: every tag kind is markup; ruby text is dropped.
        assert_eq!(
            clean("<c.yellow.bg_blue>Hi</c> <i>it's</i> <b>me</b>, <u>Ana</u>"),
            "Hi it's me, Ana"
        );
        assert_eq!(
            clean("<lang ja>日本<ruby>語<rt>ご</rt></ruby></lang>"),
            "日本語"
        );
        assert_eq!(clean("Ana<00:00:01.500> here"), "Ana here");
        assert_eq!(
            clean("Tom&nbsp;&amp;&nbsp;Jerry &lrm;&rlm;&#39;s &#x2014; &#233;t&eacute;"),
            "Tom & Jerry 's — été"
        );
        // Unknown or unterminated references stay literal, as in HTML.
        assert_eq!(clean("AT&T &bogus; &#xZZ;"), "AT&T &bogus; &#xZZ;");
        // NUL (already U+FFFD per §6.1) and control characters vanish.
        assert_eq!(clean("a\u{FFFD}b\u{0}c\u{7}d"), "abcd");
        // A `<` that starts no tag is text, unlike the spec tokenizer.
        assert_eq!(clean("x < 3 and y <= 4"), "x < 3 and y <= 4");
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

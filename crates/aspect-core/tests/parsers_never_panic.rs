//! Property tests: no input, however broken, makes a parser panic.

use aspect_interview_core::{ParseOptions, Transcript, TranscriptFormat};
use proptest::prelude::*;

const FORMATS: [TranscriptFormat; 13] = [
    TranscriptFormat::WebVtt,
    TranscriptFormat::Srt,
    TranscriptFormat::Deepgram,
    TranscriptFormat::AssemblyAi,
    TranscriptFormat::Segments,
    TranscriptFormat::MeetEntries,
    TranscriptFormat::AwsTranscribe,
    TranscriptFormat::GoogleStt,
    TranscriptFormat::IbmWatson,
    TranscriptFormat::WhisperVerbose,
    TranscriptFormat::RevAi,
    TranscriptFormat::Sbv,
    TranscriptFormat::ZoomText,
];

fn parse_everything(text: &str) {
    let _ = Transcript::parse(text);
    for format in FORMATS {
        let _ = Transcript::parse_with(text, Some(format), &ParseOptions::default());
    }
}

/// Pieces real transcripts are made of, so random documents get past the
/// header checks and into the cue, timestamp and JSON code.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("WEBVTT\n".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\u{feff}".to_owned()),
        Just(" --> ".to_owned()),
        Just("NOTE ".to_owned()),
        Just("<v ".to_owned()),
        Just("</v>".to_owned()),
        Just(">".to_owned()),
        Just(": ".to_owned()),
        Just("{\\an8}".to_owned()),
        Just("&amp;".to_owned()),
        Just("{\"results\":{\"utterances\":[".to_owned()),
        Just("{\"utterances\":[{\"start\":".to_owned()),
        Just("{\"segments\":[{\"speaker\":".to_owned()),
        Just("{\"transcriptEntries\":[{\"startTime\":\"2026-11-20T15:00:00Z\"".to_owned()),
        Just("{\"results\":{\"items\":[{\"type\":\"punctuation\",\"start_time\":\"".to_owned()),
        Just("{\"results\":[{\"alternatives\":[{\"words\":[{\"startTime\":\"".to_owned()),
        Just("s\",\"endTime\":\"".to_owned()),
        Just("\",\"speakerTag\":".to_owned()),
        Just("{\"startOffset\":{\"seconds\":\"".to_owned()),
        Just(
            "{\"result_index\":0,\"results\":[{\"alternatives\":[{\"timestamps\":[[\"w\","
                .to_owned()
        ),
        Just("\"speaker_labels\":[{\"from\":".to_owned()),
        Just("{\"monologues\":[{\"speaker\":1,\"elements\":[{\"type\":\"text\",\"ts\":".to_owned()),
        Just("{\"task\":\"transcribe\",\"segments\":[{\"seek\":0,\"start\":".to_owned()),
        Just("[Ana Souza] 14:02:".to_owned()),
        Just("0:00:01.000,0:00:".to_owned()),
        Just("&#x".to_owned()),
        Just("&#".to_owned()),
        Just(";".to_owned()),
        Just("<rt>".to_owned()),
        Just("<ruby>".to_owned()),
        Just("STYLE\n".to_owned()),
        Just("...\n".to_owned()),
        Just("\u{0}".to_owned()),
        Just(",".to_owned()),
        Just("]}".to_owned()),
        Just("-".to_owned()),
        "[0-9]{1,12}".prop_map(|s| s),
        "[0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?([.,][0-9]{0,5})?".prop_map(|s| s),
        "\\PC{0,12}".prop_map(|s| s),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Transcript::parse_bytes(&bytes);
        parse_everything(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn transcript_shaped_text_never_panics(parts in proptest::collection::vec(fragment(), 0..40)) {
        parse_everything(&parts.concat());
    }

    #[test]
    fn email_normalization_never_panics(raw in "\\PC{0,40}", plus in any::<bool>()) {
        use aspect_interview_core::matching::EmailNormalization;
        let mut rules = EmailNormalization::default().with_dots_ignored_for(["gmail.com"]);
        if plus {
            rules = rules.with_plus_tags_stripped();
        }
        if let Some(email) = rules.normalize(&raw) {
            // Normalizing is idempotent.
            prop_assert_eq!(rules.normalize(email.as_str()), Some(email.clone()));
        }
    }

    #[test]
    fn utterances_are_well_formed(parts in proptest::collection::vec(fragment(), 0..40)) {
        let text = parts.concat();
        let lines = text.lines().count().max(1);
        if let Ok(t) = Transcript::parse(&text) {
            for (i, u) in t.utterances.iter().enumerate() {
                prop_assert_eq!(u.id.0 as usize, i + 1);
                prop_assert!(u.end >= u.start);
                prop_assert!(!u.text.trim().is_empty());
            }
            // Warnings point into the input.
            for w in t.warnings() {
                if let Some(line) = w.line() {
                    prop_assert!((1..=lines + 1).contains(&line), "{} of {}", line, lines);
                }
            }
        }
    }
}

//! Issue 9 §3: format detection names the right vendor, and the new
//! formats parse. The fixtures `google_stt.json`, `ibm_watson.json`,
//! `rev_ai.json`, `whisper_verbose.json`, `youtube.sbv` and
//! `zoom_transcript.txt` were written for these tests, in the shapes the
//! vendors document (cited in `src/transcript/cloud_json.rs`, `sbv.rs` and
//! `zoom_text.rs`). Before the fix Google and Watson files were detected as
//! Deepgram and failed with a Deepgram error, the Zoom text export was
//! taken for JSON, and SBV was not recognised.

use aspect_interview_core::{Error, Transcript, TranscriptFormat};

fn turns(t: &Transcript) -> Vec<(Option<&str>, i64, i64, &str)> {
    t.utterances
        .iter()
        .map(|u| {
            (
                u.speaker.as_deref(),
                u.start.millis(),
                u.end.millis(),
                u.text.as_str(),
            )
        })
        .collect()
}

#[test]
fn detection_names_each_format() {
    let cases: [(&str, TranscriptFormat); 13] = [
        (
            include_str!("fixtures/google_stt.json"),
            TranscriptFormat::GoogleStt,
        ),
        (
            include_str!("fixtures/ibm_watson.json"),
            TranscriptFormat::IbmWatson,
        ),
        (
            include_str!("fixtures/rev_ai.json"),
            TranscriptFormat::RevAi,
        ),
        (
            include_str!("fixtures/whisper_verbose.json"),
            TranscriptFormat::WhisperVerbose,
        ),
        (include_str!("fixtures/youtube.sbv"), TranscriptFormat::Sbv),
        (
            include_str!("fixtures/zoom_transcript.txt"),
            TranscriptFormat::ZoomText,
        ),
        (
            include_str!("fixtures/openai_diarized.json"),
            TranscriptFormat::Segments,
        ),
        (
            include_str!("fixtures/mistral_segments.json"),
            TranscriptFormat::Segments,
        ),
        (
            include_str!("fixtures/deepgram.json"),
            TranscriptFormat::Deepgram,
        ),
        (
            include_str!("fixtures/aws_transcribe.json"),
            TranscriptFormat::AwsTranscribe,
        ),
        (
            include_str!("fixtures/assemblyai.json"),
            TranscriptFormat::AssemblyAi,
        ),
        (
            include_str!("fixtures/interview.srt"),
            TranscriptFormat::Srt,
        ),
        (
            include_str!("fixtures/interview_zoom.vtt"),
            TranscriptFormat::WebVtt,
        ),
    ];
    for (input, want) in cases {
        let got = TranscriptFormat::detect(input).unwrap();
        assert_eq!(got, want, "{}", want.display_name());
        assert_eq!(Transcript::parse(input).unwrap().format, want);
    }
    assert_eq!(TranscriptFormat::GoogleStt.as_str(), "google_stt");
    assert_eq!(
        TranscriptFormat::GoogleStt.display_name(),
        "Google Speech-to-Text"
    );
    assert_eq!(
        "rev_ai".parse::<TranscriptFormat>().unwrap(),
        TranscriptFormat::RevAi
    );
}

#[test]
fn google_speech_to_text_diarized_words() {
    let t = Transcript::parse(include_str!("fixtures/google_stt.json")).unwrap();
    // Only the final result's speaker-tagged words are used; the earlier
    // results repeat the same speech without speakers.
    assert_eq!(
        turns(&t),
        vec![
            (
                Some("Speaker 1"),
                400,
                2_100,
                "Tell me about your last project."
            ),
            (
                Some("Speaker 2"),
                2_600,
                4_600,
                "We migrated billing to Kafka."
            ),
        ]
    );
}

#[test]
fn google_speech_to_text_v2_operation_and_undiarized_results() {
    // v2 batch results inside a long-running operation: `startOffset`,
    // `speakerLabel`, durations as `{seconds, nanos}` or strings.
    let v2 = r#"{"name":"operations/1","done":true,"response":{"results":[{"alternatives":[{"transcript":"hi there","words":[
        {"startOffset":{"seconds":"1","nanos":200000000},"endOffset":"1.500s","word":"hi","speakerLabel":"1"},
        {"startOffset":"1.500s","endOffset":"1.900s","word":"there","speakerLabel":"1"},
        {"startOffset":"2.400s","endOffset":"2.800s","word":"hello","speakerLabel":"2"}]}]}]}}"#;
    let t = Transcript::parse(v2).unwrap();
    assert_eq!(t.format, TranscriptFormat::GoogleStt);
    assert_eq!(
        turns(&t),
        vec![
            (Some("Speaker 1"), 1_200, 1_900, "hi there"),
            (Some("Speaker 2"), 2_400, 2_800, "hello"),
        ]
    );
    // Without diarization or word offsets: one turn per result, timed by
    // `resultEndTime`; a result without alternatives is reported.
    let plain = r#"{"results":[{"alternatives":[{"transcript":"First answer."}],"resultEndTime":"4.200s"},
        {"alternatives":[]},{"alternatives":[{"transcript":"Second answer."}],"resultEndTime":"9s"}]}"#;
    let t = Transcript::parse(plain).unwrap();
    assert_eq!(
        turns(&t),
        vec![
            (None, 0, 4_200, "First answer."),
            (None, 4_200, 9_000, "Second answer.")
        ]
    );
    assert_eq!(t.warnings().len(), 1);
    assert_eq!(
        t.warnings()[0].to_string(),
        "`results[1]`: result without alternatives skipped"
    );
}

#[test]
fn ibm_watson_speaker_labels_by_word_start() {
    let t = Transcript::parse(include_str!("fixtures/ibm_watson.json")).unwrap();
    assert_eq!(
        turns(&t),
        vec![
            (Some("Speaker 0"), 500, 1_900, "how do you handle on call"),
            (Some("Speaker 1"), 2_400, 3_500, "we rotate weekly"),
        ]
    );
}

#[test]
fn watson_hesitations_and_google_words_without_offsets() {
    let watson = r#"{"result_index":0,"results":[{"final":true,"alternatives":[{"transcript":"so %HESITATION yes ",
        "timestamps":[["so",0.1,0.3],["%HESITATION",0.3,0.9],["yes",0.9,1.2]]}]}]}"#;
    let t = Transcript::parse(watson).unwrap();
    assert_eq!(t.format, TranscriptFormat::IbmWatson);
    assert_eq!(turns(&t), vec![(None, 100, 1_200, "so yes")]);
    // Diarization without `enable_word_time_offsets`: kept, with a warning.
    let google = r#"{"results":[{"alternatives":[{"transcript":"hi","words":[{"word":"hi","speakerTag":1},{"word":"yo","speakerTag":2}]}]}]}"#;
    let t = Transcript::parse(google).unwrap();
    assert_eq!(
        turns(&t),
        vec![
            (Some("Speaker 1"), 0, 0, "hi"),
            (Some("Speaker 2"), 0, 0, "yo")
        ]
    );
    assert_eq!(t.warnings().len(), 1);
}

#[test]
fn rev_ai_monologues() {
    let t = Transcript::parse(include_str!("fixtures/rev_ai.json")).unwrap();
    assert_eq!(
        turns(&t),
        vec![
            (Some("Speaker 0"), 300, 900, "Why Rust?"),
            (
                Some("Lucia Fernández"),
                1_400,
                3_100,
                "Memory safety, mostly."
            ),
        ]
    );
}

#[test]
fn whisper_verbose_json_without_speakers() {
    let t = Transcript::parse(include_str!("fixtures/whisper_verbose.json")).unwrap();
    assert_eq!(
        turns(&t),
        vec![
            (None, 0, 3_200, "What does your ideal team look like?"),
            (None, 3_600, 8_200, "Small, senior, and close to customers."),
        ]
    );
}

#[test]
fn youtube_sbv_with_a_bad_timing_line() {
    let t = Transcript::parse(include_str!("fixtures/youtube.sbv")).unwrap();
    assert_eq!(
        turns(&t),
        vec![
            (Some("Ana Souza"), 500, 3_000, "Thanks for coming in today."),
            (
                Some("Marcus Lee"),
                3_400,
                7_900,
                "Glad to be here. I've been following your team's work."
            ),
            (
                Some("Ana Souza"),
                8_200,
                11_000,
                "Let's start with your background."
            ),
        ]
    );
    assert_eq!(t.warnings().len(), 1);
    assert_eq!(t.warnings()[0].line(), Some(8));
}

#[test]
fn zoom_text_export_is_not_json() {
    let t = Transcript::parse(include_str!("fixtures/zoom_transcript.txt")).unwrap();
    assert_eq!(
        turns(&t),
        vec![
            (
                Some("Priya Raman"),
                0,
                4_000,
                "Hi Jordan, can you hear me okay?"
            ),
            (
                Some("Jordan Ellis"),
                4_000,
                10_000,
                "Yes, loud and clear. Thanks for having me."
            ),
            (
                Some("Priya Raman"),
                10_000,
                10_000,
                "Great. Let's begin with your current role."
            ),
        ]
    );
    // A 12-hour clock parses too; text that is neither says so.
    let t = Transcript::parse("[Ana] 11:59:59 AM\nhello\n[Bo] 12:00:04 PM\nhi\n").unwrap();
    assert_eq!(t.format, TranscriptFormat::ZoomText);
    assert_eq!(t.utterances[1].start.millis(), 5_000);
    let err = Transcript::parse("[Ana] sometime\nhello\n").unwrap_err();
    assert!(err.to_string().contains("Zoom `[Name] hh:mm:ss`"), "{err}");
    // A meeting that runs past midnight keeps counting forward.
    let t = Transcript::parse("[A] 23:59:58\nlate\n[B] 00:00:03\nearly\n").unwrap();
    assert_eq!(t.utterances[1].start.millis(), 5_000);
}

#[test]
fn errors_name_the_format_and_position() {
    let err = Transcript::parse(
        r#"{"results":[{"alternatives":[{"words":[{"startTime":"soon","endTime":"1s","word":"x","speakerTag":1}]}]}]}"#,
    )
    .unwrap_err();
    match err {
        Error::Json { format, path, .. } => {
            assert_eq!(format, "Google Speech-to-Text");
            assert_eq!(path, "results[0].alternatives[0].words[0].startTime");
        }
        other => panic!("expected a JSON error, got {other:?}"),
    }
    let err = Transcript::parse(
        r#"{"results":[{"final":true,"alternatives":[{"timestamps":[["x","soon",1.0]]}]}]}"#,
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::Json { format: "IBM Watson", path, .. } if path.starts_with("results[0].alternatives[0].timestamps[0]")),
        "{err}"
    );
    let err = Transcript::parse(
        r#"{"monologues":[{"elements":[{"type":"text","value":"x","ts":"soon"}]}]}"#,
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::Json { format: "Rev.ai", path, .. } if path == "monologues[0].elements[0].ts"),
        "{err}"
    );
    // JSON syntax errors carry the line and column.
    let err = Transcript::parse("{\"monologues\": [\n  {\"speaker\": 0,,}\n]}").unwrap_err();
    match err {
        Error::Parse {
            format,
            line,
            message,
        } => {
            assert_eq!((format, line), ("JSON", 2));
            assert!(message.contains("column"), "{message}");
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

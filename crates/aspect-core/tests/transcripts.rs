//! Every transcript format from realistic samples, plus malformed input.

use aspect_interview_core::{Error, ParseOptions, Transcript, TranscriptFormat, UtteranceId};

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
fn zoom_vtt_merges_split_turns() {
    let t = Transcript::parse(include_str!("fixtures/interview_zoom.vtt")).unwrap();
    assert_eq!(t.format, TranscriptFormat::WebVtt);
    assert_eq!(t.speakers(), ["Priya Raman", "Jordan Ellis"]);
    // Cues 3+4 (Priya) and 5+6+7 (Jordan) are one turn each.
    let third = &t.utterances[2];
    assert_eq!(third.speaker.as_deref(), Some("Priya Raman"));
    assert!(
        third
            .text
            .starts_with("Great. Thanks for making time today.")
    );
    assert!(
        third
            .text
            .ends_with("walking me through your current role?")
    );
    assert_eq!((third.start.millis(), third.end.millis()), (6_500, 17_400));
    let fourth = &t.utterances[3];
    assert_eq!(fourth.speaker.as_deref(), Some("Jordan Ellis"));
    assert!(fourth.text.contains("Northwind Freight"));
    assert!(fourth.text.ends_with("team of four engineers."));
    // Speakers alternate after merging, and ids are 1-based positions.
    for pair in t.utterances.windows(2) {
        assert_ne!(pair[0].speaker, pair[1].speaker);
    }
    for (i, u) in t.utterances.iter().enumerate() {
        assert_eq!(u.id, UtteranceId(i as u32 + 1));
        assert_eq!(t.utterance(u.id), Some(u));
    }
    assert_eq!(t.utterance(UtteranceId(0)), None);
    assert_eq!(t.duration().millis(), 225_300 - 1_200);
}

#[test]
fn teams_vtt_with_bom_notes_short_timestamps_and_overlap() {
    let t = Transcript::parse_bytes(include_bytes!("fixtures/teams.vtt")).unwrap();
    assert_eq!(
        turns(&t),
        vec![
            (
                Some("Ana Souza"),
                0,
                6_450,
                "Okay, I think the recording has started. So, welcome Marcus. Can you tell me a bit about yourself?"
            ),
            (
                Some("Marcus Lee"),
                6_210,
                21_500,
                "Sure. I've been a data engineer for six years, mostly building batch pipelines in Spark and dbt for retail analytics."
            ),
            (
                Some("Ana Souza"),
                21_800,
                27_300,
                "What made you interested in this role?"
            ),
            (
                Some("Marcus Lee"),
                27_700,
                36_950,
                "I want to move closer to real-time systems & product work."
            ),
        ]
    );
}

#[test]
fn teams_crlf_and_negative_offsets() {
    let input = "WEBVTT\r\n\r\n-0:0:1.500 --> 0:0:2.0\r\n<v Ana>joined late\r\n\r\n0:0:2.0 --> 0:0:3.0\r\n<v Bo>hello\r\n";
    let t = Transcript::parse(input).unwrap();
    assert_eq!(
        turns(&t),
        vec![
            (Some("Ana"), -1_500, 2_000, "joined late"),
            (Some("Bo"), 2_000, 3_000, "hello")
        ]
    );
}

#[test]
fn teams_metadata_vtt_payloads() {
    let input = r#"WEBVTT

00:00:00.000 --> 00:00:04.100
{"startDateTime":"2026-11-20T15:00:00.000Z","endDateTime":"2026-11-20T15:00:04.100Z","speakerName":"Ana Souza","spokenText":"Shall we get started?","spokenLanguage":"en-us"}

00:00:04.500 --> 00:00:06.000
{"startDateTime":"2026-11-20T15:00:04.500Z","endDateTime":"2026-11-20T15:00:06.000Z","speakerName":"Marcus Lee","spokenText":"Yes, ready.","spokenLanguage":"en-us"}
"#;
    let t = Transcript::from_vtt(input).unwrap();
    assert_eq!(
        turns(&t),
        vec![
            (Some("Ana Souza"), 0, 4_100, "Shall we get started?"),
            (Some("Marcus Lee"), 4_500, 6_000, "Yes, ready.")
        ]
    );
}

#[test]
fn w3c_voice_classes_style_region_and_mixed_voices() {
    let t = Transcript::parse(include_str!("fixtures/w3c_style.vtt")).unwrap();
    assert_eq!(
        turns(&t),
        vec![
            (
                Some("Nora Quinn"),
                0,
                4_000,
                "Where do you see the biggest risk in this design?"
            ),
            (
                Some("Sam Ortiz"),
                4_500,
                9_000,
                "The single queue. If it backs up, everything downstream stalls."
            ),
            (Some("Nora Quinn"), 9_000, 12_000, "Agreed."),
            (
                Some("Sam Ortiz"),
                9_000,
                12_000,
                "So I'd split it by tenant."
            ),
            (None, 12_500, 15_000, "[laughter] Okay, next topic."),
        ]
    );
}

#[test]
fn plain_vtt_keeps_colon_text_without_speakers() {
    let t = Transcript::parse(include_str!("fixtures/plain.vtt")).unwrap();
    assert_eq!(t.utterances.len(), 3, "speakerless cues are not merged");
    assert!(t.utterances.iter().all(|u| u.speaker.is_none()));
    assert_eq!(t.utterances[0].text, "Quick question: is this on?");
}

#[test]
fn speaker_prefixes_can_be_turned_off() {
    let mut options = ParseOptions::default();
    options.speaker_prefixes = false;
    let t = Transcript::parse_with(
        include_str!("fixtures/interview_zoom.vtt"),
        Some(TranscriptFormat::WebVtt),
        &options,
    )
    .unwrap();
    assert!(t.utterances.iter().all(|u| u.speaker.is_none()));
    assert!(t.utterances[0].text.starts_with("Priya Raman: Hi Jordan"));
}

#[test]
fn srt_with_coordinates_tags_and_crlf() {
    let crlf = include_str!("fixtures/interview.srt").replace('\n', "\r\n");
    for input in [include_str!("fixtures/interview.srt").to_owned(), crlf] {
        let t = Transcript::parse(&input).unwrap();
        assert_eq!(t.format, TranscriptFormat::Srt);
        assert_eq!(
            turns(&t),
            vec![
                (
                    Some("Kenji Watanabe"),
                    1_000,
                    4_200,
                    "Thanks for joining. Could you describe a project you're proud of?"
                ),
                (
                    Some("Lucia Fernández"),
                    4_800,
                    13_000,
                    "Yes. I rebuilt the checkout flow for a grocery delivery app and cut failed payments by a third."
                ),
                (
                    Some("Kenji Watanabe"),
                    13_400,
                    16_000,
                    "How did you measure that?"
                ),
                (
                    Some("Lucia Fernández"),
                    16_300,
                    21_000,
                    "We compared payment error rates for four weeks before and after the launch."
                ),
            ]
        );
    }
}

#[test]
fn srt_text_after_blank_line_continues_cue() {
    let input = "1\n00:00:01,000 --> 00:00:02,000\nfirst line\n\nstray second line\n\n2\n00:00:03,000 --> 00:00:04,000\nnext\n";
    let t = Transcript::from_srt(input).unwrap();
    assert_eq!(t.utterances[0].text, "first line stray second line");
    assert_eq!(t.utterances[1].text, "next");
}

#[test]
fn deepgram_utterances() {
    let t = Transcript::parse(include_str!("fixtures/deepgram.json")).unwrap();
    assert_eq!(t.format, TranscriptFormat::Deepgram);
    assert_eq!(
        turns(&t),
        vec![
            (
                Some("Speaker 0"),
                480,
                3_900,
                "What drew you to platform engineering?"
            ),
            (
                Some("Speaker 1"),
                4_400,
                14_200,
                "I like building tools that other engineers depend on every day. At my last job I ran the internal developer portal."
            ),
        ]
    );
}

#[test]
fn deepgram_words_without_utterances() {
    let t = Transcript::parse(include_str!("fixtures/deepgram_words.json")).unwrap();
    assert_eq!(
        turns(&t),
        vec![
            (Some("Speaker 0"), 100, 900, "Any questions?"),
            (Some("Speaker 1"), 1_500, 2_200, "No, thanks.")
        ]
    );
}

#[test]
fn assemblyai_utterances_in_milliseconds() {
    let t = Transcript::parse(include_str!("fixtures/assemblyai.json")).unwrap();
    assert_eq!(t.format, TranscriptFormat::AssemblyAi);
    assert_eq!(
        turns(&t),
        vec![
            (
                Some("Speaker A"),
                240,
                3_520,
                "Walk me through how you debug a flaky test."
            ),
            (
                Some("Speaker B"),
                4_010,
                9_870,
                "First I try to reproduce it in a loop, then I look for shared state between tests."
            ),
        ]
    );
}

#[test]
fn openai_and_mistral_segments() {
    let t = Transcript::parse(include_str!("fixtures/openai_diarized.json")).unwrap();
    assert_eq!(t.format, TranscriptFormat::Segments);
    assert_eq!(t.speakers(), ["A", "B"]);
    assert_eq!(t.utterances[1].start.millis(), 3_900);
    let t = Transcript::parse(include_str!("fixtures/mistral_segments.json")).unwrap();
    assert_eq!(t.speakers(), ["speaker_1", "speaker_2"]);
    assert_eq!(
        t.utterances[0].text,
        "Tell me about a time you missed a deadline."
    );
}

#[test]
fn aws_transcribe_string_times_and_segment_speakers() {
    let t = Transcript::parse(include_str!("fixtures/aws_transcribe.json")).unwrap();
    assert_eq!(t.format, TranscriptFormat::AwsTranscribe);
    assert_eq!(
        turns(&t),
        vec![
            (Some("spk_0"), 540, 2_100, "Why did you choose Spark?"),
            (Some("spk_1"), 2_400, 4_870, "Mostly because familiarity.")
        ]
    );
    let err = Transcript::parse(
        r#"{"results":{"items":[{"start_time":"soon","end_time":"1.0","alternatives":[{"content":"x"}],"type":"pronunciation"}]}}"#,
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::Json { ref path, .. } if path == "results.items[0].start_time"),
        "{err}"
    );
}

#[test]
fn speakers_can_be_renamed() {
    let mut t = Transcript::parse(include_str!("fixtures/meet_entries.json")).unwrap();
    t.map_speakers(|s| s.ends_with("/p-candidate").then(|| "Lena Park".to_owned()));
    assert_eq!(t.utterances[1].speaker.as_deref(), Some("Lena Park"));
    assert!(
        t.utterances[0]
            .speaker
            .as_deref()
            .unwrap()
            .ends_with("/p-interviewer")
    );
}

#[test]
fn leading_blank_lines_before_webvtt_header() {
    let t = Transcript::from_vtt("\n\n  \nWEBVTT\n\n00:01.000 --> 00:02.000\n<v A>hi\n").unwrap();
    assert_eq!(t.utterances[0].text, "hi");
    let err = Transcript::from_vtt("\n\nnot vtt\n").unwrap_err();
    assert!(matches!(err, Error::Parse { line: 3, .. }), "{err}");
}

#[test]
fn google_meet_entries_relative_to_first_entry() {
    let t = Transcript::parse(include_str!("fixtures/meet_entries.json")).unwrap();
    assert_eq!(t.format, TranscriptFormat::MeetEntries);
    assert_eq!(
        t.started_at.unwrap().to_rfc3339(),
        "2026-11-20T15:00:05.250+00:00"
    );
    assert_eq!(
        turns(&t),
        vec![
            (
                Some("conferenceRecords/abc-defg-hij/participants/p-interviewer"),
                0,
                2_750,
                "What's your experience with Terraform?"
            ),
            (
                Some("conferenceRecords/abc-defg-hij/participants/p-candidate"),
                3_450,
                7_850,
                "I've managed our AWS accounts with it for three years."
            ),
        ]
    );
}

fn parse_error(input: &str) -> (usize, String) {
    match Transcript::parse(input) {
        Err(Error::Parse { line, message, .. }) => (line, message),
        other => panic!("expected a parse error, got {other:?}"),
    }
}

/// (line, reason) of each warning.
fn warned(t: &Transcript) -> Vec<(usize, &str)> {
    t.warnings()
        .iter()
        .map(|w| (w.line().expect("a line position"), w.reason.as_str()))
        .collect()
}

#[test]
fn malformed_vtt_cues_are_skipped_with_line_numbers() {
    // Before issue 9 each of these failed the whole file; the W3C WebVTT
    // parser algorithm (§6.1) skips the bad block and carries on.
    let t =
        Transcript::parse("WEBVTT\n\n00:00.000 --> 00:01.000\nok\n\n00:01.000 --> later\nbad\n")
            .unwrap();
    assert_eq!(t.utterances.len(), 1);
    assert_eq!(t.utterances[0].text, "ok");
    let warnings = warned(&t);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].0, 6);
    assert!(
        warnings[0].1.contains("end timestamp `later`"),
        "{warnings:?}"
    );

    let t = Transcript::parse("WEBVTT\n\nhello\nworld\nagain\n").unwrap();
    assert!(t.utterances.is_empty());
    assert_eq!(warned(&t)[0].0, 3);
    assert!(warned(&t)[0].1.contains("cue timing"), "{:?}", t.warnings());

    // Without the header it is not WebVTT at all.
    let err = Transcript::from_vtt("00:00.000 --> 00:01.000\nno header\n").unwrap_err();
    assert!(matches!(err, Error::Parse { line: 1, .. }), "{err}");
    assert!(err.to_string().contains("WEBVTT"));
}

#[test]
fn malformed_srt_cues_are_skipped_with_line_numbers() {
    let t = Transcript::from_srt("1\n00:00:01,000 --> 00:00:02,000\nhi\n\n2\nnot a timing line\n")
        .unwrap();
    assert_eq!(t.utterances.len(), 1);
    assert_eq!(t.utterances[0].text, "hi");
    assert_eq!(warned(&t)[0].0, 5);
    assert!(
        warned(&t)[0].1.contains("start --> end"),
        "{:?}",
        t.warnings()
    );
    let t = Transcript::from_srt("garbage first\n\n").unwrap();
    assert!(t.utterances.is_empty());
    assert_eq!(warned(&t)[0].0, 1);
}

#[test]
fn malformed_json_reports_line_or_path() {
    let (line, _) = parse_error("{\n  \"results\": {\n    \"utterances\": [1,\n");
    assert!(line >= 3, "line {line}");
    let err =
        Transcript::parse(r#"{"utterances":[{"speaker":"A","start":"soon","end":5,"text":"x"}]}"#)
            .unwrap_err();
    match err {
        Error::Json { path, .. } => assert_eq!(path, "utterances[0].start"),
        other => panic!("expected a JSON error, got {other:?}"),
    }
    let err = Transcript::parse(
        r#"{"results":{"utterances":[{"start":1e300,"end":2,"transcript":"x"}]}}"#,
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::Json { ref path, .. } if path == "results.utterances[0].start"),
        "{err}"
    );
    let err = Transcript::parse(r#"{"something":"else"}"#).unwrap_err();
    assert!(err.to_string().contains("Deepgram"), "{err}");
}

#[test]
fn empty_documents_give_empty_transcripts() {
    assert!(Transcript::parse("WEBVTT\n").unwrap().utterances.is_empty());
    assert!(
        Transcript::parse(r#"{"transcriptEntries":[]}"#)
            .unwrap()
            .utterances
            .is_empty()
    );
    assert_eq!(Transcript::parse("WEBVTT").unwrap().duration().millis(), 0);
}

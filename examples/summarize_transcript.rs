//! Turns a transcript (a `.vtt` file; SRT and speech-to-text JSON work too)
//! into an interview summary with smart Q&A, then renders the Lever and
//! Greenhouse notes an integration would post.
//!
//! ```text
//! cargo run --example summarize_transcript                      # bundled sample
//! cargo run --example summarize_transcript -- path/to/call.vtt
//! ```
//!
//! Offline by default (the deterministic extractive summarizer). With
//! `OPENAI_BASE_URL` set (plus `OPENAI_API_KEY` and optionally
//! `OPENAI_MODEL`), the OpenAI-compatible chat-completions backend is used
//! instead, e.g. `OPENAI_BASE_URL=http://127.0.0.1:11434/v1 OPENAI_MODEL=llama3.1`
//! for a local Ollama.

use std::path::PathBuf;

use aspect_interview_core::{
    ExtractiveSummarizer, Meeting, NoteInput, NoteLimits, OpenAiConfig, OpenAiSummarizer,
    Summarizer, SummaryRequest, Transcript, find_meeting_marker, render_greenhouse_note,
    render_lever_note,
};
use chrono::Utc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data/sample_interview.vtt")
        });
    let transcript = Transcript::parse_bytes(&std::fs::read(&path)?)?;
    eprintln!(
        "parsed {} utterances from {} ({} format), speakers: {}",
        transcript.utterances.len(),
        path.display(),
        transcript.format,
        transcript.speakers().join(", ")
    );

    // A real integration gets the meeting (and its participants) from the
    // calendar; here the file name stands in for the title.
    let title = path
        .file_stem()
        .map(|s| s.to_string_lossy().replace(['_', '-'], " "))
        .unwrap_or_else(|| "Interview".into());
    let meeting = Meeting::new("example-meeting-1", title, Utc::now());

    let summarizer: Box<dyn Summarizer> = match OpenAiConfig::from_env()? {
        Some(config) => Box::new(OpenAiSummarizer::new(config)?),
        None => Box::new(ExtractiveSummarizer::default()),
    };
    eprintln!("summarizing with {}", summarizer.name());
    // Without participants, the speaker who answers the questions is taken
    // as the candidate and everyone else as an interviewer (a panel); with
    // fewer than two speaker labels, questions and answers are told apart
    // from the text (`notes.role_source` says how roles were established).
    let request = SummaryRequest::new(&transcript);
    let notes = summarizer.summarize(&request).await?;

    println!(
        "== Summary (JSON)\n{}\n",
        serde_json::to_string_pretty(&notes)?
    );

    let input = NoteInput::new(&meeting, &notes)
        .recording_url("https://app.aspect.example/recordings/example-meeting-1")
        .full_summary_url("https://app.aspect.example/meetings/example-meeting-1");
    let lever = render_lever_note(&input, &NoteLimits::lever())?;
    println!(
        "== Lever note ({} characters)\n{}\n",
        lever.char_count(),
        lever.text
    );
    let greenhouse = render_greenhouse_note(&input, &NoteLimits::greenhouse())?;
    println!(
        "== Greenhouse note ({} characters)\n{}\n",
        greenhouse.char_count(),
        greenhouse.text
    );

    // What the engine does before posting: look for its marker in the
    // notes already on the candidate.
    let marker = find_meeting_marker(&greenhouse.text);
    match marker {
        Some(id) => println!("== The Greenhouse note carries the marker of meeting {id}."),
        None => println!("== The Greenhouse note carries no meeting marker."),
    }
    Ok(())
}

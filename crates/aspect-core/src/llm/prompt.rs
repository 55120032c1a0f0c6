//! Prompts and map-reduce chunking.

use crate::meeting::ParticipantRole;
use crate::summary::SummaryRequest;
use crate::transcript::Utterance;

/// The rules every call carries. The guardrail sentences follow the peer
/// practice of no recommendation and no trait inference (research notes
/// §1.3 [S13]) unless the request allows them.
pub(crate) fn system_prompt(request: &SummaryRequest<'_>) -> String {
    let mut rules = vec![
        "You summarize job-interview transcripts for recruiters.",
        "Respond only with JSON matching the provided schema.",
        "Every key point, strength, concern and follow-up must cite the ids of the utterances it is based on (the number after # in each transcript line); never cite an id that is not in the input.",
        "qa lists the interviewer's substantive interview questions in order (skip greetings and logistics), with question_utterance_id and the answer's utterance ids; answer_summary says briefly what the candidate answered.",
        "Strengths and concerns report what the candidate said or demonstrated, not opinions about the person.",
    ];
    if !request.guardrails.allow_recommendation {
        rules.push(
            "Do not make any hiring recommendation or decision, and do not rate the candidate.",
        );
    }
    if !request.guardrails.allow_trait_inference {
        rules.push("Do not infer personal traits, characteristics, demographics or culture fit.");
    }
    rules.join("\n")
}

/// One transcript line per utterance: `#12 [01:02] Name (interviewer): text`.
pub(crate) fn transcript_line(request: &SummaryRequest<'_>, u: &Utterance) -> String {
    let speaker = u.speaker.as_deref().unwrap_or("Unknown speaker");
    let role = match request.roles.role_of(u.speaker.as_deref()) {
        ParticipantRole::Interviewer => " (interviewer)",
        ParticipantRole::Candidate => " (candidate)",
        _ => "",
    };
    format!(
        "{} [{}] {}{}: {}",
        u.id,
        u.start.clock(),
        speaker,
        role,
        u.text
    )
}

/// The user message for one chunk (`part` is 1-based).
pub(crate) fn chunk_prompt(
    request: &SummaryRequest<'_>,
    lines: &[String],
    part: usize,
    parts: usize,
) -> String {
    let title = request
        .meeting_title
        .as_deref()
        .map(|t| format!("Meeting: {t}\n"))
        .unwrap_or_default();
    let scope = if parts > 1 {
        format!("This is part {part} of {parts} of the transcript; summarize only this part.\n")
    } else {
        String::new()
    };
    format!(
        "{title}{scope}Summarize this interview transcript as JSON.\n\nTranscript:\n{}",
        lines.join("\n")
    )
}

/// The user message that merges partial summaries (the reduce step).
pub(crate) fn reduce_prompt(request: &SummaryRequest<'_>, partials_json: &str) -> String {
    let title = request
        .meeting_title
        .as_deref()
        .map(|t| format!("Meeting: {t}\n"))
        .unwrap_or_default();
    format!(
        "{title}Merge these partial JSON summaries of consecutive parts of one interview into a \
         single JSON summary with the same schema. Keep the utterance ids the partial summaries \
         cite, remove duplicates, keep questions in order.\n\nPartial summaries:\n{partials_json}"
    )
}

/// Splits transcript lines into chunks of at most `budget` characters
/// (a line longer than the budget gets a chunk of its own).
pub(crate) fn chunk_lines(lines: Vec<String>, budget: usize) -> Vec<Vec<String>> {
    let mut chunks: Vec<Vec<String>> = Vec::new();
    let mut size = 0;
    for line in lines {
        let len = line.chars().count() + 1;
        match chunks.last_mut() {
            Some(chunk) if size + len <= budget => {
                chunk.push(line);
                size += len;
            }
            _ => {
                chunks.push(vec![line]);
                size = len;
            }
        }
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::Guardrails;
    use crate::transcript::Transcript;

    #[test]
    fn guardrails_shape_the_system_prompt() {
        let t =
            Transcript::parse("WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>Why this role?\n").unwrap();
        let strict = system_prompt(&SummaryRequest::new(&t));
        assert!(strict.contains("Do not make any hiring recommendation"));
        assert!(strict.contains("Do not infer personal traits"));
        let open = Guardrails {
            allow_recommendation: true,
            allow_trait_inference: true,
        };
        let relaxed = system_prompt(&SummaryRequest::new(&t).with_guardrails(open));
        assert!(!relaxed.contains("hiring recommendation"));
        assert!(!relaxed.contains("personal traits"));
        assert!(relaxed.contains("cite the ids"));
    }

    #[test]
    fn chunking_respects_budget() {
        let lines: Vec<String> = ["aaaa", "bbbb", "cccc", "dddddddddddd", "e"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let chunks = chunk_lines(lines, 10);
        assert_eq!(
            chunks,
            vec![
                vec!["aaaa".to_string(), "bbbb".to_string()],
                vec!["cccc".to_string()],
                vec!["dddddddddddd".to_string()],
                vec!["e".to_string()]
            ]
        );
        assert!(chunk_lines(Vec::new(), 10).is_empty());
    }
}

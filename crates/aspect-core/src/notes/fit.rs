//! Fitting a whole interview into the note limit.
//!
//! A long interview (a 3-hour loop has hundreds of Q&A pairs) must not
//! lose its tail to a cut: the note lists every question, merges repeated
//! ones, and when space is short it compacts progressively, cheapest loss
//! first — answers shortened with an ellipsis, then the summary lists
//! reduced to their most informative points (ranked first, with a count of
//! what is left out), then answers dropped, then questions shortened. Only
//! when even that does not fit is the tail cut, and the notice says how
//! many questions are shown. Every compaction is announced in the note.

use crate::error::Error;
use crate::summary::{Citation, CitedPoint, InterviewNotes};
use crate::terms::words;
use crate::transcript::TimeOffset;

use super::{NoteInput, RenderedNote, Style, chars, cites, cut_lines, join};

/// The note's content, cleaned, before layout.
pub(super) struct Model {
    overview: Option<String>,
    lists: Vec<List>,
    questions: Vec<Question>,
}

struct List {
    title: &'static str,
    items: Vec<Item>,
}

struct Item {
    text: String,
    citations: Vec<Citation>,
    informativeness: usize,
}

/// One distinct question (repeats merged) and its answers.
struct Question {
    times: Vec<TimeOffset>,
    asker: Option<String>,
    text: String,
    answers: Vec<Answer>,
}

struct Answer {
    who: Option<String>,
    text: String,
    citations: Vec<Citation>,
}

impl Model {
    pub(super) fn build(notes: &InterviewNotes, clean: &dyn Fn(&str) -> String) -> Self {
        let summary = &notes.summary;
        let overview = Some(clean(&summary.overview)).filter(|o| !o.is_empty());
        let lists = [
            ("Key points:", &summary.key_points),
            ("Strengths (in the candidate's words):", &summary.strengths),
            ("Concerns:", &summary.concerns),
            ("Follow-ups:", &summary.follow_ups),
        ]
        .into_iter()
        .filter(|(_, points)| !points.is_empty())
        .map(|(title, points)| List {
            title,
            items: points.iter().map(|p| item(p, clean)).collect(),
        })
        .collect();
        Model {
            overview,
            lists,
            questions: merge_questions(notes, clean),
        }
    }
}

fn item(point: &CitedPoint, clean: &dyn Fn(&str) -> String) -> Item {
    let text = clean(&point.text);
    Item {
        informativeness: informativeness(&text),
        text,
        citations: point.citations.clone(),
    }
}

/// Distinct substantial words (long runs of scripts without spaces count
/// more), plus a bonus for figures: numbers are what a reader looks for.
fn informativeness(text: &str) -> usize {
    let mut seen = words(text);
    seen.sort();
    seen.dedup();
    let content: usize = seen.iter().map(|w| (w.chars().count() / 4).min(3)).sum();
    content
        + if text.chars().any(|c| c.is_ascii_digit()) {
            3
        } else {
            0
        }
}

/// One entry per distinct question (same words, ignoring case, accents
/// and punctuation), at its first asking; the answers of every asking
/// are kept, each once.
fn merge_questions(notes: &InterviewNotes, clean: &dyn Fn(&str) -> String) -> Vec<Question> {
    let mut keys: Vec<Vec<String>> = Vec::new();
    let mut out: Vec<Question> = Vec::new();
    for pair in &notes.qa {
        let key = words(&pair.question);
        let at = match keys.iter().position(|k| *k == key && !key.is_empty()) {
            Some(at) => at,
            None => {
                keys.push(key);
                out.push(Question {
                    times: Vec::new(),
                    asker: pair.asked_by.as_deref().map(clean),
                    text: clean(&pair.question),
                    answers: Vec::new(),
                });
                out.len() - 1
            }
        };
        let question = &mut out[at];
        if !question.times.contains(&pair.asked_at) {
            question.times.push(pair.asked_at);
        }
        let answer = Answer {
            who: pair.answered_by.as_deref().map(clean),
            text: clean(&pair.answer_summary),
            citations: pair.answer_citations.clone(),
        };
        let repeat = question
            .answers
            .iter()
            .any(|a| a.text == answer.text && a.who == answer.who);
        if !repeat {
            question.answers.push(answer);
        }
    }
    out
}

/// How hard a layout compacts; `None` is "as is".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Caps {
    overview: Option<usize>,
    point: Option<usize>,
    per_list: Option<usize>,
    /// `Some(0)`: answers left out.
    answer: Option<usize>,
    question: Option<usize>,
    cites: CiteMode,
    asker: bool,
    times: bool,
    /// Compacted layout: points ranked, repeated times folded.
    compact: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CiteMode {
    All,
    First,
    Omitted,
}

const AS_IS: Caps = Caps {
    overview: None,
    point: None,
    per_list: None,
    answer: None,
    question: None,
    cites: CiteMode::All,
    asker: true,
    times: true,
    compact: false,
};

/// The compaction steps, loosest first; each keeps the previous ones.
fn ladder() -> Vec<Caps> {
    let mut out = vec![AS_IS];
    let mut c = Caps {
        compact: true,
        ..AS_IS
    };
    // 1. Answers shorten first: the full summary keeps them whole.
    for a in [240, 200, 160, 130, 100, 80, 65] {
        c.answer = Some(a);
        if a <= 130 {
            c.cites = CiteMode::First;
        }
        out.push(c);
    }
    // 2. The lists keep their most informative points.
    for (n, p, o) in [(6, 200, 500), (4, 140, 300), (3, 100, 200)] {
        (c.per_list, c.point, c.overview) = (Some(n), Some(p), Some(o));
        out.push(c);
    }
    // 3. Answers shrink to nothing.
    for a in [50, 40, 30, 20, 0] {
        c.answer = Some(a);
        if a <= 30 {
            c.cites = CiteMode::Omitted;
        }
        out.push(c);
    }
    // 4. Questions shorten (askers are in the header already).
    c.asker = false;
    for (q, n, p, o) in [
        (120, 2, 80, 150),
        (90, 2, 80, 150),
        (70, 1, 60, 120),
        (55, 1, 60, 120),
        (45, 1, 50, 100),
        (36, 1, 50, 100),
        (28, 1, 40, 80),
    ] {
        (c.question, c.per_list, c.point, c.overview) = (Some(q), Some(n), Some(p), Some(o));
        out.push(c);
    }
    // 5. Hundreds of questions: numbers without times, the gist of each.
    c.times = false;
    for q in [28, 24, 20] {
        c.question = Some(q);
        out.push(c);
    }
    out
}

/// Lays the note out within `limit`: as is when it fits, else the first
/// compaction step that fits, else the tightest step cut with a notice.
pub(super) fn fit(
    model: &Model,
    header: &str,
    footer: &str,
    input: &NoteInput<'_>,
    limit: usize,
    style: &Style,
) -> Result<RenderedNote, Error> {
    let layout = |caps: &Caps| -> Option<String> {
        let body = model.body(caps, style);
        let body = if caps.compact {
            format!("{body}\n{}", shortened_notice(caps, input))
        } else {
            body
        };
        let text = join(style, header, &body, footer);
        (chars(&text) <= limit).then_some(text)
    };
    let steps = ladder();
    let Some(caps) = steps.iter().find(|caps| layout(caps).is_some()) else {
        let tightest = steps.last().copied().unwrap_or(AS_IS);
        return cut(model, &tightest, header, footer, input, limit, style);
    };
    let caps = relax(*caps, |c| layout(c).is_some());
    let text = layout(&caps).unwrap_or_default();
    Ok(RenderedNote {
        text,
        truncated: caps.compact,
    })
}

/// Gives back what the first fitting step took needlessly (a long overview
/// should not cost every answer its length): each cap, most valuable
/// first, is loosened as far as the note still fits.
fn relax(mut caps: Caps, fits: impl Fn(&Caps) -> bool) -> Caps {
    if !caps.compact {
        return caps;
    }
    const LENGTHS: &[Option<usize>] = &[
        None,
        Some(500),
        Some(400),
        Some(300),
        Some(240),
        Some(200),
        Some(160),
        Some(130),
        Some(100),
        Some(80),
        Some(65),
        Some(50),
        Some(40),
        Some(30),
    ];
    const POINTS: &[Option<usize>] = &[None, Some(8), Some(6), Some(5), Some(4), Some(3), Some(2)];
    type Field = fn(&mut Caps) -> &mut Option<usize>;
    let fields: [(Field, &[Option<usize>]); 5] = [
        (|c| &mut c.question, LENGTHS),
        (|c| &mut c.answer, LENGTHS),
        (|c| &mut c.point, LENGTHS),
        (|c| &mut c.per_list, POINTS),
        (|c| &mut c.overview, LENGTHS),
    ];
    let looser = |a: Option<usize>, b: Option<usize>| match (a, b) {
        (None, Some(_)) => true,
        (Some(x), Some(y)) => x > y,
        _ => false,
    };
    for (field, values) in fields {
        let mut current = caps;
        let now = *field(&mut current);
        let relaxed = values
            .iter()
            .filter(|v| looser(**v, now))
            .map(|v| {
                let mut c = caps;
                *field(&mut c) = *v;
                c
            })
            .find(|c| fits(c));
        if let Some(relaxed) = relaxed {
            caps = relaxed;
        }
    }
    let flags: [fn(&mut Caps); 3] = [
        |c| c.times = true,
        |c| c.asker = true,
        |c| c.cites = CiteMode::All,
    ];
    for flag in flags {
        let mut c = caps;
        flag(&mut c);
        if fits(&c) {
            caps = c;
        }
    }
    caps
}

fn cut(
    model: &Model,
    caps: &Caps,
    header: &str,
    footer: &str,
    input: &NoteInput<'_>,
    limit: usize,
    style: &Style,
) -> Result<RenderedNote, Error> {
    let total = model.questions.len();
    let fixed = chars(&join(style, header, "", footer));
    // The notice's longest form (shown = total) sizes the budget.
    let longest = cut_notice(total, total, input);
    let budget = limit
        .checked_sub(fixed + chars(&longest) + 1)
        .ok_or_else(|| {
            Error::Config(format!(
                "a note limit of {limit} characters cannot hold the header and marker ({} characters)",
                fixed + chars(&longest) + 1
            ))
        })?;
    let body = cut_lines(&model.body(caps, style), budget);
    let shown = body.lines().filter(|l| is_question_line(l)).count();
    let notice = cut_notice(shown, total, input);
    let body = if body.is_empty() {
        notice
    } else {
        format!("{body}\n{notice}")
    };
    Ok(RenderedNote {
        text: join(style, header, &body, footer),
        truncated: true,
    })
}

fn is_question_line(line: &str) -> bool {
    line.strip_prefix('Q')
        .and_then(|rest| rest.split_once(' '))
        .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn where_full(input: &NoteInput<'_>) -> String {
    match input.full_summary_url {
        Some(url) => format!(". Full summary: {url}]"),
        None => "; the full summary is in Aspect.]".to_owned(),
    }
}

fn shortened_notice(caps: &Caps, input: &NoteInput<'_>) -> String {
    let answers = if caps.answer == Some(0) {
        "answers are left out"
    } else {
        "long answers are shortened"
    };
    let points = if caps.per_list.is_some() {
        ", the most informative points come first"
    } else {
        ""
    };
    format!(
        "[Shortened to fit the ATS note limit: every question is listed, {answers}{points}{}",
        where_full(input)
    )
}

fn cut_notice(shown: usize, total: usize, input: &NoteInput<'_>) -> String {
    let what = if total == 0 {
        "Truncated to fit the ATS note limit".to_owned()
    } else {
        format!("Truncated to fit the ATS note limit: {shown} of {total} questions shown")
    };
    format!("[{what}{}", where_full(input))
}

impl Model {
    fn body(&self, caps: &Caps, style: &Style) -> String {
        let mut sections: Vec<Vec<String>> = Vec::new();
        if let Some(overview) = &self.overview {
            sections.push(vec!["Overview:".into(), shorten(overview, caps.overview)]);
        }
        for list in &self.lists {
            sections.push(list.lines(caps));
        }
        if !self.questions.is_empty() {
            let mut lines = vec!["Questions & answers:".to_owned()];
            for (n, q) in self.questions.iter().enumerate() {
                q.lines(n + 1, caps, &mut lines);
            }
            sections.push(lines);
        }
        let mut out: Vec<String> = Vec::new();
        for section in sections {
            if !out.is_empty()
                && let Some(gap) = style.section_gap
            {
                out.push(gap.to_owned());
            }
            out.extend(section);
        }
        out.join("\n")
    }
}

impl List {
    fn lines(&self, caps: &Caps) -> Vec<String> {
        let mut order: Vec<&Item> = self.items.iter().collect();
        if caps.compact {
            // Stable: equally informative points keep their order.
            order.sort_by_key(|i| std::cmp::Reverse(i.informativeness));
        }
        let keep = caps.per_list.unwrap_or(order.len()).min(order.len());
        let mut lines = vec![self.title.to_owned()];
        for item in &order[..keep] {
            lines.push(format!(
                "- {}{}",
                shorten(&item.text, caps.point),
                citation_list(&item.citations, caps.cites)
            ));
        }
        if keep < order.len() {
            lines.push(format!(
                "- (+{} more in the full summary)",
                order.len() - keep
            ));
        }
        lines
    }
}

impl Question {
    fn lines(&self, n: usize, caps: &Caps, out: &mut Vec<String>) {
        let times = match (self.times.as_slice(), caps.compact) {
            ([first, _, ..], true) => format!("{} ×{}", first.clock(), self.times.len()),
            (times, _) => times
                .iter()
                .map(|t| t.clock())
                .collect::<Vec<_>>()
                .join(", "),
        };
        let asker = match (&self.asker, caps.asker) {
            (Some(a), true) => format!(" {a}:"),
            _ => String::new(),
        };
        let times = if caps.times {
            format!(" [{times}]")
        } else {
            String::new()
        };
        out.push(format!(
            "Q{n}{times}{asker} {}",
            shorten(&self.text, caps.question)
        ));
        if caps.answer == Some(0) {
            return;
        }
        for answer in &self.answers {
            let who = answer
                .who
                .as_deref()
                .map(|a| format!(" ({a})"))
                .unwrap_or_default();
            out.push(format!(
                "A{who}: {}{}",
                shorten(&answer.text, caps.answer),
                citation_list(&answer.citations, caps.cites)
            ));
        }
    }
}

fn citation_list(citations: &[Citation], mode: CiteMode) -> String {
    match (mode, citations) {
        (CiteMode::Omitted, _) | (_, []) => String::new(),
        (CiteMode::All, all) => cites(all),
        (CiteMode::First, [only]) => cites(std::slice::from_ref(only)),
        (CiteMode::First, [first, rest @ ..]) => {
            let one = cites(std::slice::from_ref(first));
            format!("{} +{}]", one.trim_end_matches(']'), rest.len())
        }
    }
}

/// At most `cap` characters: cut on a word boundary when one is near, with
/// an ellipsis.
pub(super) fn shorten(text: &str, cap: Option<usize>) -> String {
    let Some(cap) = cap else {
        return text.to_owned();
    };
    if chars(text) <= cap {
        return text.to_owned();
    }
    if cap == 0 {
        return String::new();
    }
    let head: String = text.chars().take(cap - 1).collect();
    // A word boundary in the last third keeps words whole; further back,
    // a hard cut keeps more (and scripts without spaces have none).
    let head = match head.rfind(' ') {
        Some(at) if chars(&head[..at]) * 3 >= (cap - 1) * 2 => &head[..at],
        _ => head.as_str(),
    };
    format!("{}…", head.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_cuts_on_words_with_an_ellipsis() {
        assert_eq!(shorten("short", Some(10)), "short");
        assert_eq!(shorten("one two three four", Some(16)), "one two three…");
        assert_eq!(
            shorten("one two three four", Some(12)),
            "one two thr…",
            "a boundary far back is not worth it"
        );
        assert_eq!(shorten("abcdefghij", Some(5)), "abcd…");
        assert_eq!(shorten("日本語のテキスト", Some(4)), "日本語…");
        assert_eq!(shorten("anything", Some(0)), "");
        assert_eq!(shorten("anything", None), "anything");
    }

    #[test]
    fn figures_and_rare_words_are_informative() {
        assert!(
            informativeness("We cut p99 latency from 800ms to 120ms on ingestion")
                > informativeness("Yes, that is right, I think so too")
        );
    }

    #[test]
    fn ladder_only_tightens() {
        let steps = ladder();
        for pair in steps.windows(2) {
            let tighter = |a: Option<usize>, b: Option<usize>| match (a, b) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(x), Some(y)) => y <= x,
            };
            let (a, b) = (pair[0], pair[1]);
            assert!(tighter(a.answer, b.answer) && tighter(a.question, b.question));
            assert!(tighter(a.per_list, b.per_list) && tighter(a.overview, b.overview));
            assert!(tighter(a.point, b.point));
        }
    }

    #[test]
    fn question_lines_are_recognised() {
        assert!(is_question_line("Q12 [00:01] How?"));
        assert!(!is_question_line("Questions & answers:"));
        assert!(is_question_line("Q3 How?"));
        assert!(!is_question_line("Q [00:01]"));
    }
}

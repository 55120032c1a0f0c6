//! Runs the extractive summarizer over the annotated evaluation set in
//! `eval/` and holds it to the targets of issue 9 §5: question-detection
//! precision and recall of at least 0.9. `cargo bench -p
//! aspect-interview-core --bench eval` prints the same figures per case.

#[path = "../eval/harness.rs"]
mod harness;

use aspect_interview_core::ExtractiveSummarizer;
use harness::{Evidence, Score};

#[test]
fn extractive_summarizer_meets_the_evaluation_targets() {
    let cases = harness::load_all().expect("evaluation set loads");
    let summarizer = ExtractiveSummarizer::default();
    let mut total = Score::default();
    let mut report = vec![harness::header()];
    for case in &cases {
        let notes = summarizer.summarize_now(&case.request());
        let score = harness::score(case, &notes, Evidence::Summary);
        report.push(harness::row(&case.name, &score));
        for miss in harness::misses(case, &notes, Evidence::Summary) {
            report.push(format!("  {miss}"));
        }
        total.add(&score);
    }
    report.push(harness::row("total", &total));
    let report = report.join("\n");
    println!("{report}");
    let kinds: Vec<&str> = cases.iter().map(|c| c.case.kind.as_str()).collect();
    for kind in [
        "panel",
        "unlabelled",
        "one_speaker",
        "long",
        "spanish",
        "japanese",
        "teams",
        "zoom_noisy",
    ] {
        assert!(kinds.contains(&kind), "the set has a {kind} case");
    }
    assert!(total.precision() >= 0.9, "precision below 0.9\n{report}");
    assert!(total.recall() >= 0.9, "recall below 0.9\n{report}");
    assert!(
        total.answer_accuracy().is_some_and(|a| a >= 0.8),
        "answer accuracy below 0.8\n{report}"
    );
    assert_eq!(
        total.language_right, total.cases,
        "language detection\n{report}"
    );
}

//! Prints question-detection precision and recall and answer-span
//! accuracy on the annotated evaluation set in `eval/`, per case and in
//! total, for the extractive summarizer and — when `OPENAI_BASE_URL` is
//! set (with `OPENAI_MODEL`, `OPENAI_API_KEY` as for `OpenAiConfig::from_env`)
//! — for the LLM backend too.
//!
//! ```text
//! cargo bench -p aspect-interview-core --bench eval
//! ```
//!
//! Add `-- --verbose` to list every extra question, missed question and
//! wrong answer.

#[path = "../eval/harness.rs"]
mod harness;

use std::process::ExitCode;
use std::time::Instant;

use aspect_interview_core::{
    ExtractiveSummarizer, InterviewNotes, OpenAiConfig, OpenAiSummarizer, Summarizer,
};
use harness::{Evidence, Loaded, Score};

fn main() -> ExitCode {
    let verbose = std::env::args().any(|a| a == "--verbose" || a == "-v");
    let cases = match harness::load_all() {
        Ok(cases) => cases,
        Err(e) => {
            eprintln!("cannot load the evaluation set: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "evaluation set: {} transcripts in {}\n",
        cases.len(),
        harness::eval_dir().display()
    );

    let extractive = ExtractiveSummarizer::default();
    let started = Instant::now();
    let total = run("extractive", &cases, Evidence::Summary, verbose, |case| {
        Ok(extractive.summarize_now(&case.request()))
    });
    println!("({} ms)\n", started.elapsed().as_millis());
    let mut ok = total.precision() >= 0.9 && total.recall() >= 0.9;

    match OpenAiConfig::from_env() {
        Ok(None) => println!("LLM backend: skipped (OPENAI_BASE_URL is not set)"),
        Err(e) => {
            eprintln!("LLM backend: bad configuration: {e}");
            ok = false;
        }
        Ok(Some(config)) => match llm(config, &cases, verbose) {
            Ok(()) => {}
            Err(e) => {
                eprintln!("LLM backend: {e}");
                ok = false;
            }
        },
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn llm(config: OpenAiConfig, cases: &[Loaded], verbose: bool) -> Result<(), String> {
    let summarizer = OpenAiSummarizer::new(config).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let name = summarizer.name();
    let started = Instant::now();
    // The model paraphrases answers, so its answers are judged by the
    // utterances it cites.
    run(&name, cases, Evidence::Citations, verbose, |case| {
        runtime
            .block_on(summarizer.summarize(&case.request()))
            .map_err(|e| e.to_string())
    });
    println!("({} ms)", started.elapsed().as_millis());
    Ok(())
}

fn run(
    name: &str,
    cases: &[Loaded],
    evidence: Evidence,
    verbose: bool,
    mut summarize: impl FnMut(&Loaded) -> Result<InterviewNotes, String>,
) -> Score {
    println!("== {name}");
    println!("{}", harness::header());
    let mut total = Score::default();
    for case in cases {
        match summarize(case) {
            Ok(notes) => {
                let score = harness::score(case, &notes, evidence);
                println!("{}", harness::row(&case.name, &score));
                if verbose {
                    for miss in harness::misses(case, &notes, evidence) {
                        println!("    {miss}");
                    }
                }
                total.add(&score);
            }
            Err(e) => {
                // A failed case counts as nothing detected.
                println!("{:<16} failed: {e}", case.name);
                total.add(&Score {
                    gold: case.case.qa.len(),
                    cases: 1,
                    ..Score::default()
                });
            }
        }
    }
    println!("{}", harness::row("total", &total));
    if total.language_reported == 0 {
        println!("language: not reported by this summarizer");
    } else {
        println!(
            "language detected correctly in {}/{} transcripts",
            total.language_right, total.cases
        );
    }
    total
}

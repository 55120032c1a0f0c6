//! Building the summarizer's HTTP client never touches rustls's
//! process-wide provider, so the application's own clients are unaffected.
#![cfg(feature = "openai")]

use aspect_interview_core::{OpenAiConfig, OpenAiSummarizer};

#[test]
fn the_summarizer_installs_no_process_wide_tls_provider() {
    let config = OpenAiConfig::new("https://llm.example.com/v1", "model").unwrap();
    OpenAiSummarizer::new(config).unwrap();
    assert!(
        rustls::crypto::CryptoProvider::get_default().is_none(),
        "a process-wide provider was installed"
    );
}

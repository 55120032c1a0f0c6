//! Interview-intelligence core: meetings, transcript parsing (WebVTT, SRT, STT JSON), summaries, smart Q&A, candidate matching and ATS note rendering.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

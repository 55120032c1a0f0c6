//! Process logging: JSON lines, or plain text with colour codes only on a
//! terminal, so log collectors never see escape sequences.

use std::io::IsTerminal;
use std::sync::Arc;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use super::config::LogFormat;
use super::metrics::Metrics;

/// Whether `format` means JSON here (`Auto`: JSON unless stdout is a terminal).
pub fn wants_json(format: LogFormat, stdout_is_terminal: bool) -> bool {
    match format {
        LogFormat::Json => true,
        LogFormat::Text => false,
        LogFormat::Auto => !stdout_is_terminal,
    }
}

/// Installs the process-wide `tracing` subscriber: `filter` (a `tracing`
/// filter such as `info,aspect_sync_engine=debug`), the format, and the
/// metrics layer when `metrics` is given. Fails when a subscriber is
/// already installed or the filter is invalid.
pub fn init_logging(
    format: LogFormat,
    filter: &str,
    metrics: Option<&Arc<Metrics>>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let filter = EnvFilter::try_new(filter)?;
    let terminal = std::io::stdout().is_terminal();
    let layer = metrics.map(|m| m.layer());
    let registry = tracing_subscriber::registry().with(filter).with(layer);
    if wants_json(format, terminal) {
        registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_current_span(true),
            )
            .try_init()?;
    } else {
        registry
            .with(tracing_subscriber::fmt::layer().with_ansi(terminal))
            .try_init()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_means_json_off_a_terminal() {
        assert!(wants_json(LogFormat::Auto, false));
        assert!(!wants_json(LogFormat::Auto, true));
        assert!(wants_json(LogFormat::Json, true));
        assert!(!wants_json(LogFormat::Text, false));
    }
}

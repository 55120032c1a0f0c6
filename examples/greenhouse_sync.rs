//! Sync jobs and candidates from Greenhouse Harvest v3, with progress.
//!
//! ```sh
//! # Offline, against the crate's built-in fake Harvest v3 server:
//! cargo run --example greenhouse_sync
//!
//! # Against Greenhouse (read-only; needs a Site Admin user id as the `sub`):
//! GREENHOUSE_CLIENT_ID=... GREENHOUSE_CLIENT_SECRET=... GREENHOUSE_USER_ID=4080 \
//!   [GREENHOUSE_UPDATED_SINCE=2026-01-01T00:00:00Z] cargo run --example greenhouse_sync
//! ```

use std::error::Error;
use std::io::{IsTerminal, Write};

use chrono::{DateTime, Utc};
use greenhouse_harvest::testing::{FakeGreenhouse, NewCandidate};
use greenhouse_harvest::{DateFilter, HarvestClient, ListQuery};

/// Follows the cursor to the last page, printing progress after each page: one line
/// redrawn in place on a terminal, one plain line per page otherwise (logs, pipes), so
/// the progress never runs together.
/// (A macro rather than a generic function so the example needs no `serde` import.)
macro_rules! drain {
    ($label:expr, $client:expr, $first:expr) => {{
        let client: &HarvestClient = $client;
        let mut all = Vec::new();
        let mut page = Some($first);
        let mut pages = 0;
        let live = std::io::stdout().is_terminal();
        while let Some(current) = page {
            pages += 1;
            let next = client.next_page(&current).await?;
            all.extend(current.items);
            let budget = client.rate_limit_status().await;
            let line = format!(
                "Read {} {} from {pages} page(s); {} of {} requests left in this rate-limit window.",
                all.len(),
                $label,
                budget.remaining.map_or("an unknown number".into(), |r| r.to_string()),
                budget.limit.map_or("an unknown limit".into(), |l| l.to_string()),
            );
            if live {
                // `\x1b[K` clears what a longer previous line left behind.
                print!("\r{line}\x1b[K");
                std::io::stdout().flush()?;
            } else {
                println!("{line}");
            }
            page = next;
        }
        if live {
            println!();
        }
        all
    }};
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());

    // With credentials, talk to Greenhouse; without, start the local fake.
    let (client, _fake) = match (
        env("GREENHOUSE_CLIENT_ID"),
        env("GREENHOUSE_CLIENT_SECRET"),
        env("GREENHOUSE_USER_ID"),
    ) {
        (Some(id), Some(secret), Some(user)) => {
            let user_id: u64 = user
                .parse()
                .map_err(|_| "GREENHOUSE_USER_ID must be a number")?;
            let client = HarvestClient::builder()
                .client_credentials(id, secret, Some(user_id))
                .build()?;
            (client, None)
        }
        _ => {
            println!(
                "GREENHOUSE_CLIENT_ID, GREENHOUSE_CLIENT_SECRET and GREENHOUSE_USER_ID are not all set, so this syncs from a local fake Greenhouse server."
            );
            let fake = FakeGreenhouse::start().await;
            for i in 0..40 {
                fake.add_candidate(NewCandidate::new(
                    &format!("Sample Candidate {i}"),
                    format!("sample{i}@example.com"),
                ));
            }
            println!(
                "The fake Greenhouse server is listening at {}.",
                fake.base_url()
            );
            (fake.client(), Some(fake))
        }
    };

    let mut candidates_query = ListQuery::new().per_page(25);
    if let Some(since) = env("GREENHOUSE_UPDATED_SINCE") {
        let since: DateTime<Utc> = since
            .parse()
            .map_err(|_| "GREENHOUSE_UPDATED_SINCE must be RFC 3339")?;
        candidates_query = candidates_query.updated_at(DateFilter::gte(since));
    }

    let first = client.list_jobs(&ListQuery::new().per_page(100)).await?;
    let jobs = drain!("jobs", &client, first);
    let first = client.list_candidates(&candidates_query).await?;
    let candidates = drain!("candidates", &client, first);

    println!(
        "\nSynced {} jobs and {} candidates. The first few:",
        jobs.len(),
        candidates.len()
    );
    for job in jobs.iter().take(5) {
        println!(
            "  Job {}: {}",
            job.id,
            job.name.as_deref().unwrap_or("(no name)")
        );
    }
    for c in candidates.iter().take(5) {
        let email = c
            .email_addresses
            .iter()
            .find_map(|e| e.value.as_deref())
            .unwrap_or("no e-mail address");
        println!("  Candidate {}: {}, {}", c.id, c.full_name(), email);
    }
    Ok(())
}

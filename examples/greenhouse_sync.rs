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
use std::io::Write;

use chrono::{DateTime, Utc};
use greenhouse_harvest::testing::FakeGreenhouse;
use greenhouse_harvest::{DateFilter, HarvestClient, ListQuery};

/// Follows the cursor to the last page, printing progress after each page.
/// (A macro rather than a generic function so the example needs no `serde` import.)
macro_rules! drain {
    ($label:expr, $client:expr, $first:expr) => {{
        let client: &HarvestClient = $client;
        let mut all = Vec::new();
        let mut page = Some($first);
        let mut pages = 0;
        while let Some(current) = page {
            pages += 1;
            let next = client.next_page(&current).await?;
            all.extend(current.items);
            let budget = client.rate_limit_status().await;
            print!(
                "\r{:<11} {:>6} records, {pages:>3} pages  (rate limit: {} of {} left)",
                $label,
                all.len(),
                budget.remaining.map_or("?".into(), |r| r.to_string()),
                budget.limit.map_or("?".into(), |l| l.to_string()),
            );
            std::io::stdout().flush()?;
            page = next;
        }
        println!();
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
                "GREENHOUSE_CLIENT_ID/SECRET/USER_ID not set: syncing from a local fake Harvest v3 server."
            );
            let fake = FakeGreenhouse::start().await;
            for i in 0..40 {
                fake.add_candidate(
                    "Sample",
                    &format!("Candidate {i}"),
                    &[&format!("sample{i}@example.com")],
                );
            }
            println!("fake Greenhouse at {}", fake.base_url());
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
        "\nsynced {} jobs and {} candidates",
        jobs.len(),
        candidates.len()
    );
    for job in jobs.iter().take(5) {
        println!(
            "  job {:>8}  {}",
            job.id,
            job.name.as_deref().unwrap_or("(unnamed)")
        );
    }
    for c in candidates.iter().take(5) {
        let email = c
            .email_addresses
            .iter()
            .find_map(|e| e.value.as_deref())
            .unwrap_or("-");
        println!("  candidate {:>8}  {:<28} {}", c.id, c.full_name(), email);
    }
    Ok(())
}

//! Post a note (e.g. an interview summary) on the Greenhouse candidate with a given e-mail.
//!
//! ```sh
//! # Offline, against the crate's built-in fake Harvest v3 server:
//! cargo run --example greenhouse_post_note -- ada.lovelace@example.com "Great interview."
//!
//! # Against Greenhouse (this really posts a note, attributed to GREENHOUSE_USER_ID;
//! # the credentials need the harvest:candidates:list and harvest:notes:create scopes):
//! GREENHOUSE_CLIENT_ID=... GREENHOUSE_CLIENT_SECRET=... GREENHOUSE_USER_ID=4080 \
//!   cargo run --example greenhouse_post_note -- candidate@example.com "Interview summary: ..."
//! ```

use std::error::Error;

use greenhouse_harvest::testing::FakeGreenhouse;
use greenhouse_harvest::{HarvestClient, NewNote, NoteVisibility, Visibility};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let mut args = std::env::args().skip(1);
    let email = args.next();
    let body = args
        .next()
        .unwrap_or_else(|| "Interview summary: posted by the greenhouse_post_note example.".into());

    let (client, fake, email) = match (
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
            let email =
                email.ok_or("usage: greenhouse_post_note <candidate e-mail> [note text]")?;
            (client, None, email)
        }
        _ => {
            println!(
                "GREENHOUSE_CLIENT_ID, GREENHOUSE_CLIENT_SECRET and GREENHOUSE_USER_ID are not all set, so the note goes to a local fake Greenhouse server."
            );
            let fake = FakeGreenhouse::start().await;
            let client = fake.client();
            (
                client,
                Some(fake),
                email.unwrap_or_else(|| "ada.lovelace@example.com".into()),
            )
        }
    };

    let candidates = client.find_candidates_by_email(&email).await?;
    let candidate = match candidates.as_slice() {
        [] => return Err(format!("no candidate has the e-mail {email}").into()),
        [one] => one,
        [first, ..] => {
            println!(
                "{} candidates share {email}; using the most recent one (id {}).",
                candidates.len(),
                first.id
            );
            first
        }
    };
    println!(
        "Found candidate {}, {} (id {}).",
        candidate.full_name(),
        email,
        candidate.id
    );

    // Not retried on 5xx/timeouts: if this fails with an unknown outcome, check
    // the candidate's notes before posting again.
    let note = client
        .create_note(&NewNote::new(candidate.id, body, Visibility::Private))
        .await?;
    println!(
        "Posted note {}: {}, {}.",
        note.id,
        visibility_phrase(note.visibility.as_ref()),
        match note.user_id {
            Some(user) => format!("written as user {user}"),
            None => "with no author reported".to_owned(),
        }
    );

    if let Some(fake) = fake {
        for posted in fake.notes() {
            println!(
                "The fake server stored note {} on candidate {}: \"{}\"",
                posted.id, posted.candidate_id, posted.body
            );
        }
    }
    Ok(())
}

/// Greenhouse's read-side visibility in words (the API answers `privately_visible` for a
/// note written as `private`, research notes §3.6).
fn visibility_phrase(visibility: Option<&NoteVisibility>) -> &'static str {
    match visibility {
        Some(NoteVisibility::PubliclyVisible) => "visible to everyone on the candidate's profile",
        Some(NoteVisibility::PrivatelyVisible) => {
            "visible only to users allowed to see private notes"
        }
        Some(NoteVisibility::AdminOnlyVisible) => "visible to admins only",
        _ => "with a visibility Greenhouse did not report",
    }
}

//! Find a candidate's Lever opportunities by e-mail and add a note to each active one.
//!
//! ```sh
//! # Offline, against the crate's built-in fake Lever server:
//! cargo run --example lever_post_note
//!
//! # Against Lever (this really posts a note!):
//! LEVER_API_KEY=... LEVER_CANDIDATE_EMAIL=candidate@example.com \
//!   [LEVER_AUTHOR_EMAIL=recruiter@example.com] [LEVER_BASE_URL=https://api.sandbox.lever.co/v1] \
//!   cargo run --example lever_post_note
//! ```

use std::error::Error;

use lever_client::testing::{FakeLever, SEED_CANDIDATE_EMAIL, SEED_USER_EMAIL};
use lever_client::{LeverClient, NewNote};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());

    // With a key, talk to Lever; without one, start the local fake and use its seed data.
    let (client, fake, candidate, author) = match env("LEVER_API_KEY") {
        Some(key) => {
            let mut builder = LeverClient::builder().api_key(key);
            if let Some(url) = env("LEVER_BASE_URL") {
                builder = builder.base_url(url);
            }
            let candidate = env("LEVER_CANDIDATE_EMAIL")
                .ok_or("set LEVER_CANDIDATE_EMAIL to the candidate's e-mail")?;
            (builder.build()?, None, candidate, env("LEVER_AUTHOR_EMAIL"))
        }
        None => {
            println!("LEVER_API_KEY is not set: running against a local fake Lever server.");
            let fake = FakeLever::start().await;
            println!("The fake Lever server is listening at {}.", fake.base_url());
            let client = fake.client();
            (
                client,
                Some(fake),
                SEED_CANDIDATE_EMAIL.to_owned(),
                Some(SEED_USER_EMAIL.to_owned()),
            )
        }
    };

    post_summary(&client, &candidate, author.as_deref()).await?;

    if let Some(fake) = fake {
        println!("\nWhat the fake Lever received:");
        for note in fake.notes() {
            println!(
                "  On opportunity {}, {}, {}, {}:\n    {}",
                note.opportunity_id,
                match &note.perform_as {
                    Some(user) => format!("posted on behalf of user {user}"),
                    None => "posted as the API key's own user".to_owned(),
                },
                if note.secret {
                    "visible only to users allowed to see secret notes"
                } else {
                    "visible to everyone with access to the opportunity"
                },
                if note.notify_followers {
                    "followers notified"
                } else {
                    "followers not notified"
                },
                note.value.replace('\n', "\n    ")
            );
        }
    }
    Ok(())
}

/// The job itself, identical for the real API and the fake.
async fn post_summary(
    client: &LeverClient,
    candidate_email: &str,
    author_email: Option<&str>,
) -> Result<(), lever_client::Error> {
    let opportunities = client.opportunities_by_email(candidate_email).await?;
    println!(
        "{} opportunit{} for {candidate_email}",
        opportunities.len(),
        if opportunities.len() == 1 { "y" } else { "ies" }
    );

    let author = match author_email {
        Some(email) => client.user_by_email(email).await?,
        None => None,
    };
    if let Some(user) = &author {
        println!(
            "posting as {} ({})",
            user.name.as_deref().unwrap_or("?"),
            user.id
        );
    }

    for opp in opportunities.iter().filter(|o| !o.is_archived()) {
        let mut note = NewNote::new(
            "Interview summary (posted by lever-client example)\n\n\
             - Strong system-design answers\n- Asked about on-call expectations",
        )
        .notify_followers(true);
        if let Some(user) = &author {
            note = note.perform_as(&user.id);
        }
        let created = client.add_note(&opp.id, &note).await?;
        println!(
            "added note {} to {} ({})",
            created.note_id,
            opp.name.as_deref().unwrap_or("?"),
            opp.id
        );
    }
    for opp in opportunities.iter().filter(|o| o.is_archived()) {
        println!("skipped archived opportunity {}", opp.id);
    }
    Ok(())
}

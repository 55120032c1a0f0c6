//! Verify a Lever webhook delivery and print the typed event.
//!
//! ```sh
//! # A self-made delivery signed with a demo token:
//! cargo run --example lever_webhook_verify
//!
//! # A saved delivery body (the raw bytes Lever POSTed), checked with your webhook's token:
//! LEVER_WEBHOOK_SIGNATURE_TOKEN=... cargo run --example lever_webhook_verify -- body.json
//! ```

use std::error::Error;

use chrono::Utc;
use lever_client::webhooks::{WebhookEvent, WebhookVerifier, signed_delivery};
use serde_json::json;

fn main() -> Result<(), Box<dyn Error>> {
    let (token, body) = match std::env::args().nth(1) {
        Some(file) => {
            let token = std::env::var("LEVER_WEBHOOK_SIGNATURE_TOKEN")
                .map_err(|_| "set LEVER_WEBHOOK_SIGNATURE_TOKEN to verify a saved delivery")?;
            (token, std::fs::read(file)?)
        }
        None => {
            let token = "demo-signature-token".to_owned();
            let data = json!({
                "opportunityId": "3410c8b9-5c31-4bab-b7e9-9f710206d647",
                "candidateId": "3410c8b9-5c31-4bab-b7e9-9f710206d647",
                "contactId": "05c248f9-ccb1-435f-bab5-0ec608aec263",
                "toStageId": "7c2690d8-6308-4ed9-ae2a-cbfe7db26593",
                "fromStageId": "992f01a9-ee19-41d2-ae79-1040701b195c"
            });
            let body = signed_delivery(&token, "candidateStageChange", data, Utc::now());
            println!("delivery: {}", String::from_utf8_lossy(&body));
            (token, body)
        }
    };

    let verifier = WebhookVerifier::new(token.as_str()).with_replay_protection();
    let delivery = verifier.verify(&body)?;
    println!(
        "verified {} (token {}, triggered {})",
        delivery.event.name(),
        delivery.token,
        delivery.triggered_at
    );
    match &delivery.event {
        WebhookEvent::CandidateStageChange(hint) => println!(
            "The candidate moved from stage {} to stage {} (a hint: re-fetch to confirm).",
            hint.from_stage_id.as_deref().unwrap_or("(not given)"),
            hint.to_stage_id.as_deref().unwrap_or("(not given)")
        ),
        WebhookEvent::Unknown { event, data } => println!("unhandled event {event}: {data}"),
        other => println!(
            "A {} event arrived; this example only describes stage changes.",
            other.name()
        ),
    }
    if let Some(opp) = delivery.event.opportunity_id() {
        println!("data is unsigned: re-fetch opportunity {opp} from the API before acting");
    }

    // The same body again is a replay.
    match verifier.verify(&body) {
        Err(e) => println!("second delivery rejected: {e}"),
        Ok(_) => println!("second delivery accepted (unexpected)"),
    }
    Ok(())
}

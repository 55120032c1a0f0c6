//! Connection resets injected by the fake: the client sees a transport error, a note POST is
//! not retried once sent, and a reset after the write leaves the note stored (unknown outcome).

use lever_client::testing::{Failure, FakeLever, NewCandidate};
use lever_client::{Error, NewNote, RetryPolicy};

const NOTE_POSTS: &str = "POST /opportunities/:id/notes";

fn is_reset(err: &Error) -> bool {
    // The connection was established and the request sent: not a connect error, and retryable
    // only for idempotent requests. The cause is a TCP reset (RST), not an orderly close.
    let mut chain = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(err);
    while let Some(e) = source {
        chain += &format!("{e} / ");
        source = e.source();
    }
    matches!(err, Error::Transport { .. })
        && !err.is_connect()
        && err.is_retryable()
        && chain.to_lowercase().contains("reset")
}

#[tokio::test]
async fn a_reset_after_the_note_was_applied_is_an_error_and_the_note_exists_once() {
    let fake = FakeLever::start().await;
    let opp = fake.add_candidate(NewCandidate::new("Tim Berners-Lee", "tim@example.com"));
    fake.fail_next_note_posts(1, Failure::ResetAfterApplied);
    let err = fake
        .client()
        .add_note(&opp, &NewNote::new("applied, then reset"))
        .await
        .unwrap_err();
    assert!(is_reset(&err), "{err:?}");
    assert_eq!(fake.request_count(NOTE_POSTS), 1, "not retried once sent");
    let notes = fake.notes_for(&opp);
    assert_eq!(
        notes.len(),
        1,
        "the fake applied the write: outcome unknown"
    );
    assert_eq!(notes[0].value, "applied, then reset");
}

#[tokio::test]
async fn a_reset_before_the_note_was_applied_is_an_error_and_nothing_is_stored() {
    let fake = FakeLever::start().await;
    let opp = fake.add_candidate(NewCandidate::new("Tim Berners-Lee", "tim@example.com"));
    fake.fail_next_note_posts(1, Failure::ResetBeforeApplied);
    let client = fake.client();
    let err = client
        .add_note(&opp, &NewNote::new("never applied"))
        .await
        .unwrap_err();
    assert!(is_reset(&err), "{err:?}");
    assert_eq!(fake.request_count(NOTE_POSTS), 1, "not retried once sent");
    assert!(fake.notes_for(&opp).is_empty());
    // The same client carries on over a new connection.
    client.add_note(&opp, &NewNote::new("next")).await.unwrap();
    assert_eq!(fake.notes_for(&opp).len(), 1);
}

#[tokio::test]
async fn gets_see_resets_as_transport_errors_and_retry_them() {
    let fake = FakeLever::start().await;
    for failure in [Failure::ResetBeforeApplied, Failure::ResetAfterApplied] {
        fake.fail_next(1, failure.clone());
        let once = fake
            .client_builder()
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let err = once.stages_page(None).await.unwrap_err();
        assert!(is_reset(&err), "{failure:?}: {err:?}");
    }
    let before = fake.request_count("GET /stages");
    fake.fail_next(2, Failure::ResetBeforeApplied);
    let stages = fake.client().stages_page(None).await.unwrap();
    assert!(!stages.data.is_empty());
    assert_eq!(
        fake.request_count("GET /stages") - before,
        3,
        "two resets, then the answer"
    );
}

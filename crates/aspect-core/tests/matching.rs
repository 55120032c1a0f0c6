//! Participant ↔ candidate matching edge cases.

use std::collections::HashMap;

use aspect_interview_core::matching::{
    CandidateDirectory, CandidateIndex, EmailNormalization, ExclusionReason, MatchConfig,
    NormalizedEmail, UnmatchedReason, lookup_addresses, match_meeting, match_participants,
};
use aspect_interview_core::{Meeting, Participant, ParticipantRole};
use chrono::{TimeZone, Utc};

fn index() -> CandidateIndex {
    let mut index = CandidateIndex::new(EmailNormalization::default());
    assert!(index.insert("cand-jordan", "Jordan.Ellis@Gmail.com"));
    assert!(index.insert("cand-sam", "sam@example.org"));
    // Two candidate records share an address: a duplicate in the ATS.
    assert!(index.insert("cand-lee-1", "lee@example.net"));
    assert!(index.insert("cand-lee-2", "lee@example.net"));
    assert!(index.insert("cand-internal", "casey@acme.com"));
    assert!(!index.insert("cand-broken", "not an address"));
    index
}

fn p(email: &str, role: ParticipantRole) -> Participant {
    Participant::new(email, role)
}

#[test]
fn matches_excludes_and_reports() {
    let meeting = Meeting::new(
        "m-1",
        "Panel interview",
        Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap(),
    );
    let mut meeting = meeting
        .with_participant(p("priya@acme.com", ParticipantRole::Unknown))
        .with_participant(p("bo@contractor.io", ParticipantRole::Interviewer))
        .with_participant(p(" jordan.ellis@gmail.com ", ParticipantRole::Unknown))
        .with_participant(p("JORDAN.ELLIS@GMAIL.COM", ParticipantRole::Unknown))
        .with_participant(p("sam@EXAMPLE.org", ParticipantRole::Unknown))
        .with_participant(p("lee@example.net", ParticipantRole::Unknown))
        .with_participant(p("stranger@example.com", ParticipantRole::Unknown))
        .with_participant(Participant {
            email: None,
            display_name: Some("Dial-in user".into()),
            role: ParticipantRole::Unknown,
        })
        .with_participant(p("garbage", ParticipantRole::Unknown))
        .with_participant(p("organizer@partner.com", ParticipantRole::Unknown));
    meeting.organizer = Some("Organizer@Partner.com".into());

    let report = match_meeting(
        &meeting,
        &index(),
        &MatchConfig::with_internal_domains(["acme.com"]),
    );

    let matched: Vec<_> = report.candidates().cloned().collect();
    assert_eq!(
        matched,
        ["cand-jordan", "cand-sam"],
        "several candidates per meeting"
    );
    assert_eq!(report.matched[0].email.as_str(), "jordan.ellis@gmail.com");

    assert!(report.has_ambiguity());
    assert_eq!(report.ambiguous.len(), 1);
    assert_eq!(report.ambiguous[0].candidates, ["cand-lee-1", "cand-lee-2"]);

    let excluded: Vec<_> = report
        .excluded
        .iter()
        .map(|(p, r)| (p.email.clone().unwrap(), r.clone()))
        .collect();
    assert_eq!(
        excluded,
        vec![
            (
                "priya@acme.com".into(),
                ExclusionReason::InternalDomain("acme.com".into())
            ),
            ("bo@contractor.io".into(), ExclusionReason::Interviewer),
            ("organizer@partner.com".into(), ExclusionReason::Organizer),
        ]
    );
    let unmatched: Vec<_> = report.unmatched.iter().map(|(_, r)| r.clone()).collect();
    assert_eq!(
        unmatched,
        vec![
            UnmatchedReason::NotFound,
            UnmatchedReason::NoEmail,
            UnmatchedReason::InvalidEmail
        ]
    );
}

#[test]
fn explicit_candidate_on_internal_domain_is_matched() {
    let participants = [p("casey@acme.com", ParticipantRole::Candidate)];
    let report = match_participants(
        &participants,
        None,
        &index(),
        &MatchConfig::with_internal_domains(["acme.com"]),
    );
    assert_eq!(report.candidates().collect::<Vec<_>>(), ["cand-internal"]);
}

#[test]
fn interviewer_matching_a_candidate_address_is_still_excluded() {
    let participants = [p("sam@example.org", ParticipantRole::Interviewer)];
    let report = match_participants(&participants, None, &index(), &MatchConfig::default());
    assert!(report.matched.is_empty());
    assert_eq!(report.excluded[0].1, ExclusionReason::Interviewer);
}

#[test]
fn plus_addresses_match_only_when_enabled() {
    let participants = [p("sam+interviews@example.org", ParticipantRole::Unknown)];
    let strict = match_participants(&participants, None, &index(), &MatchConfig::default());
    assert_eq!(strict.unmatched[0].1, UnmatchedReason::NotFound);

    let rules = EmailNormalization::default().with_plus_tags_stripped();
    let mut idx = CandidateIndex::new(rules.clone());
    idx.insert("cand-sam", "sam@example.org");
    let lenient = match_participants(
        &participants,
        None,
        &idx,
        &MatchConfig::default().normalization(rules),
    );
    assert_eq!(lenient.candidates().collect::<Vec<_>>(), ["cand-sam"]);
}

/// The engine plugs in its own index with its own candidate type.
struct EngineIndex;

#[derive(Debug, Clone, PartialEq)]
struct Key {
    ats: &'static str,
    id: u64,
}

impl CandidateDirectory for EngineIndex {
    type Candidate = Key;

    fn candidates_with_email(&self, email: &NormalizedEmail) -> Vec<Key> {
        match email.as_str() {
            // The same candidate returned twice is not an ambiguity.
            "dup@xn--bcher-kva.example" => vec![
                Key {
                    ats: "greenhouse",
                    id: 7,
                },
                Key {
                    ats: "greenhouse",
                    id: 7,
                },
            ],
            _ => Vec::new(),
        }
    }
}

#[test]
fn custom_directory_with_idn_and_duplicate_rows() {
    let participants = [p("DUP@Bücher.example", ParticipantRole::Unknown)];
    let report = match_participants(&participants, None, &EngineIndex, &MatchConfig::default());
    assert!(report.ambiguous.is_empty());
    assert_eq!(
        report.matched[0].candidate,
        Key {
            ats: "greenhouse",
            id: 7
        }
    );
}

#[test]
fn two_phase_matching_for_async_stores() {
    let mut meeting = Meeting::new(
        "m-3",
        "Interview",
        Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap(),
    )
    .with_participant(p("ana@acme.com", ParticipantRole::Unknown))
    .with_participant(p("Jordan.Ellis@gmail.com", ParticipantRole::Unknown))
    .with_participant(p("jordan.ellis@gmail.com", ParticipantRole::Unknown))
    .with_participant(p("boss@partner.com", ParticipantRole::Unknown))
    .with_participant(p("iv@contractor.io", ParticipantRole::Interviewer))
    .with_participant(p("nobody", ParticipantRole::Unknown));
    meeting.organizer = Some("boss@partner.com".into());
    let config = MatchConfig::with_internal_domains(["acme.com"]);

    let addresses = lookup_addresses(&meeting, &config);
    let plain: Vec<&str> = addresses.iter().map(NormalizedEmail::as_str).collect();
    assert_eq!(plain, ["jordan.ellis@gmail.com"]);

    // The caller fetches those (asynchronously) and matches on the results.
    let fetched: HashMap<NormalizedEmail, Vec<u64>> =
        addresses.into_iter().map(|e| (e, vec![4242])).collect();
    let report = match_meeting(&meeting, &fetched, &config);
    assert_eq!(report.candidates().copied().collect::<Vec<_>>(), [4242]);
}

mod permutations {
    use aspect_interview_core::matching::{CandidateIndex, MatchConfig, match_participants};
    use aspect_interview_core::{Participant, ParticipantRole};
    use proptest::prelude::*;

    /// (address, role) entries drawn from a small pool so that the same
    /// person often appears several times with different roles.
    fn entries() -> impl Strategy<Value = Vec<(usize, u8, bool)>> {
        prop::collection::vec((0usize..5, 0u8..3, any::<bool>()), 1..9)
    }

    const PEOPLE: [&str; 5] = [
        "ana@example.com",
        "priya@example.com",
        "bo@acme.com",
        "jo@example.org",
        "lee@example.net",
    ];

    fn participants(entries: &[(usize, u8, bool)]) -> Vec<Participant> {
        entries
            .iter()
            .map(|&(who, role, upper)| {
                let email = if upper {
                    PEOPLE[who].to_uppercase()
                } else {
                    PEOPLE[who].to_owned()
                };
                let role = match role {
                    0 => ParticipantRole::Interviewer,
                    1 => ParticipantRole::Candidate,
                    _ => ParticipantRole::Unknown,
                };
                Participant::new(email, role)
            })
            .collect()
    }

    fn targets(participants: &[Participant]) -> Vec<String> {
        let mut index = CandidateIndex::default();
        for (i, email) in PEOPLE.iter().enumerate() {
            index.insert(format!("c{i}"), email);
        }
        let config = MatchConfig::with_internal_domains(["acme.com"]);
        let mut ids: Vec<String> = match_participants(participants, None, &index, &config)
            .candidates()
            .cloned()
            .collect();
        ids.sort();
        ids
    }

    proptest! {
        /// Any order and any casing of the same participant entries gives
        /// the same targets, and an address with an interviewer entry is
        /// never a target.
        #[test]
        fn order_and_case_never_change_the_targets(
            entries in entries(),
            seed in any::<u64>(),
        ) {
            let list = participants(&entries);
            let expected = targets(&list);
            let mut shuffled = entries.clone();
            // A deterministic shuffle driven by the seed.
            let n = shuffled.len();
            let mut state = seed;
            for i in (1..n).rev() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                shuffled.swap(i, (state >> 33) as usize % (i + 1));
            }
            for e in &mut shuffled {
                e.2 = !e.2;
            }
            prop_assert_eq!(&targets(&participants(&shuffled)), &expected);
            for &(who, role, _) in &entries {
                if role == 0 {
                    let id = format!("c{}", who);
                    prop_assert!(!expected.contains(&id));
                }
            }
        }
    }
}

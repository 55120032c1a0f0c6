//! Matching meeting participants to ATS candidates by e-mail.
//!
//! The rule peers use (research notes §1.1, §1.5, §5 item 4): a participant
//! whose e-mail equals a candidate's is that candidate, except for
//! interviewers and people on the customer's own domains. This module
//! normalizes addresses, excludes the hiring side, looks every remaining
//! address up in a [`CandidateDirectory`] (the engine's candidate index, or
//! the in-memory [`CandidateIndex`]) and reports, for each participant, a
//! match, an ambiguity (several candidates share the address — reported,
//! never guessed), or why there is none.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::meeting::{Meeting, Participant, ParticipantRole};

/// An e-mail address in canonical form: trimmed, local part case-folded
/// (NFC), domain converted to lowercase ASCII (IDNA/UTS #46), so that
/// `Ana@Bücher.example` and `ana@xn--bcher-kva.example` are equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NormalizedEmail(String);

impl NormalizedEmail {
    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Everything before the last `@`.
    pub fn local_part(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(l, _)| l)
    }

    /// The ASCII domain.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }

    /// Whether the domain is `domain` or one of its subdomains (`domain` is
    /// normalized the same way first).
    pub fn is_in_domain(&self, domain: &str) -> bool {
        let Some(domain) = normalize_domain(domain) else {
            return false;
        };
        let own = self.domain();
        own == domain
            || own
                .strip_suffix(domain.as_str())
                .is_some_and(|prefix| prefix.ends_with('.'))
    }
}

impl std::fmt::Display for NormalizedEmail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Optional provider-specific rules. Both are off by default because they
/// are wrong for most domains: `a.b@acme.com` and `ab@acme.com` can be
/// different people.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmailNormalization {
    /// Drop a `+tag` from the local part (`ana+jobs@x.com` → `ana@x.com`).
    #[serde(default)]
    pub strip_plus_tags: bool,
    /// Domains on which dots in the local part are ignored (Gmail's rule;
    /// see [`EmailNormalization::GMAIL_DOMAINS`]). Empty: dots always count.
    #[serde(default)]
    pub ignore_dots_for_domains: Vec<String>,
}

impl EmailNormalization {
    /// Gmail's domains, for [`EmailNormalization::ignore_dots_for_domains`].
    pub const GMAIL_DOMAINS: [&'static str; 2] = ["gmail.com", "googlemail.com"];

    /// Enables plus-tag stripping (builder style).
    pub fn with_plus_tags_stripped(mut self) -> Self {
        self.strip_plus_tags = true;
        self
    }

    /// Ignores local-part dots on these domains (builder style).
    pub fn with_dots_ignored_for<I, S>(mut self, domains: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.ignore_dots_for_domains
            .extend(domains.into_iter().map(Into::into));
        self
    }

    /// Normalizes an address; `None` when it is not one (no `@`, empty
    /// local part or domain, whitespace inside, invalid domain). Accepts
    /// `Name <addr>` and `mailto:addr` forms.
    pub fn normalize(&self, raw: &str) -> Option<NormalizedEmail> {
        let mut addr = raw.trim();
        if let (Some(open), true) = (addr.rfind('<'), addr.ends_with('>')) {
            addr = addr[open + 1..addr.len() - 1].trim();
        }
        if let Some(prefix) = addr.get(..7)
            && prefix.eq_ignore_ascii_case("mailto:")
        {
            addr = &addr[7..];
        }
        let (local, domain) = addr.rsplit_once('@')?;
        if local.is_empty() || local.chars().any(char::is_whitespace) {
            return None;
        }
        let domain = normalize_domain(domain)?;
        let mut local: String = local.nfc().flat_map(char::to_lowercase).collect();
        if self.strip_plus_tags
            && let Some(i) = local.find('+')
            && i > 0
        {
            local.truncate(i);
        }
        let dots_ignored = self
            .ignore_dots_for_domains
            .iter()
            .filter_map(|d| normalize_domain(d))
            .any(|d| d == domain);
        if dots_ignored {
            local.retain(|c| c != '.');
        }
        (!local.is_empty()).then(|| NormalizedEmail(format!("{local}@{domain}")))
    }
}

/// Normalizes with the default rules (no plus or dot rules).
pub fn normalize_email(raw: &str) -> Option<NormalizedEmail> {
    EmailNormalization::default().normalize(raw)
}

/// Lowercase ASCII form of a domain (UTS #46), without a trailing dot.
/// Accepts the forms people type in a settings field: `acme.com`,
/// `ACME.com`, `@acme.com`, `*.acme.com`, `Bücher.example`.
fn normalize_domain(domain: &str) -> Option<String> {
    let domain = domain.trim();
    let domain = domain.strip_prefix('@').unwrap_or(domain);
    let domain = domain.strip_prefix("*.").unwrap_or(domain);
    let domain = domain.trim_end_matches('.');
    if domain.is_empty() || domain.chars().any(char::is_whitespace) {
        return None;
    }
    let ascii = idna::domain_to_ascii(domain).ok()?;
    // UTS #46 without STD3 rules lets a few odd mappings through (U+00B8
    // becomes a space plus a mark); a mail domain is letters, digits,
    // hyphens and dots only (underscore tolerated for internal hosts).
    let ldh = ascii
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
    (ldh && !ascii.is_empty() && !ascii.starts_with('.') && !ascii.contains("..")).then_some(ascii)
}

/// Where candidates are looked up: the engine's candidate index, or the
/// in-memory [`CandidateIndex`].
pub trait CandidateDirectory {
    /// Whatever identifies a candidate to the caller (an ATS id, a key
    /// struct...).
    type Candidate: Clone + PartialEq;

    /// Every candidate with this (normalized) address; several means the
    /// address is ambiguous.
    fn candidates_with_email(&self, email: &NormalizedEmail) -> Vec<Self::Candidate>;
}

/// A simple in-memory directory from normalized e-mail to candidate ids.
#[derive(Debug, Clone, Default)]
pub struct CandidateIndex {
    normalization: EmailNormalization,
    by_email: HashMap<NormalizedEmail, Vec<String>>,
}

impl CandidateIndex {
    /// An empty index that normalizes addresses with `normalization` (use
    /// the same rules as the [`MatchConfig`]).
    pub fn new(normalization: EmailNormalization) -> Self {
        CandidateIndex {
            normalization,
            by_email: HashMap::new(),
        }
    }

    /// Records that `candidate_id` has address `email`; returns false (and
    /// records nothing) when the address is not valid.
    pub fn insert(&mut self, candidate_id: impl Into<String>, email: &str) -> bool {
        let Some(email) = self.normalization.normalize(email) else {
            return false;
        };
        let ids = self.by_email.entry(email).or_default();
        let id = candidate_id.into();
        if !ids.contains(&id) {
            ids.push(id);
        }
        true
    }
}

impl CandidateDirectory for CandidateIndex {
    type Candidate = String;

    fn candidates_with_email(&self, email: &NormalizedEmail) -> Vec<String> {
        self.by_email.get(email).cloned().unwrap_or_default()
    }
}

/// How matching treats the hiring side and addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MatchConfig {
    /// The customer's own domains; participants on them (or their
    /// subdomains) are interviewers unless explicitly marked as candidates
    /// (internal applicants).
    #[serde(default)]
    pub internal_domains: Vec<String>,
    /// Address normalization rules.
    #[serde(default)]
    pub normalization: EmailNormalization,
}

impl MatchConfig {
    /// Configuration with these internal domains and default normalization.
    pub fn with_internal_domains<I, S>(domains: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        MatchConfig {
            internal_domains: domains.into_iter().map(Into::into).collect(),
            normalization: EmailNormalization::default(),
        }
    }

    /// Sets the normalization rules (builder style).
    pub fn normalization(mut self, normalization: EmailNormalization) -> Self {
        self.normalization = normalization;
        self
    }

    /// Checks every internal domain: `acme.com`, `ACME.com`, `@acme.com`,
    /// `*.acme.com` and IDN forms are fine; an entry that is not a domain
    /// (an address, a URL, empty) is an [`Error::Config`](crate::Error::Config)
    /// naming it, because such an entry would otherwise exclude nobody and
    /// let employees be matched as candidates.
    pub fn validate(&self) -> Result<(), crate::Error> {
        for entry in self
            .internal_domains
            .iter()
            .chain(&self.normalization.ignore_dots_for_domains)
        {
            let local_part = entry.trim().find('@').is_some_and(|i| i > 0);
            if local_part || normalize_domain(entry).is_none_or(|d| !d.contains('.')) {
                return Err(crate::Error::Config(format!(
                    "`{entry}` is not an e-mail domain (expected e.g. `acme.com`)"
                )));
            }
        }
        Ok(())
    }
}

/// A participant matched to exactly one candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateMatch<C> {
    /// The participant as given.
    pub participant: Participant,
    /// Their normalized address.
    pub email: NormalizedEmail,
    /// The candidate.
    pub candidate: C,
}

/// A participant whose address belongs to several candidates.
#[derive(Debug, Clone, PartialEq)]
pub struct AmbiguousMatch<C> {
    /// The participant as given.
    pub participant: Participant,
    /// Their normalized address.
    pub email: NormalizedEmail,
    /// Every candidate with that address.
    pub candidates: Vec<C>,
}

/// Why a participant was not considered a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExclusionReason {
    /// Marked as an interviewer.
    Interviewer,
    /// The meeting's organizer.
    Organizer,
    /// On one of the customer's domains (the configured domain).
    InternalDomain(String),
}

/// Why a possible candidate found no match.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnmatchedReason {
    /// The participant has no e-mail address.
    NoEmail,
    /// The address is not a valid e-mail address.
    InvalidEmail,
    /// No candidate has this address.
    NotFound,
}

/// The outcome of matching one meeting's participants.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchReport<C> {
    /// Participants matched to exactly one candidate (one entry per
    /// candidate: a candidate present under two addresses appears once).
    pub matched: Vec<CandidateMatch<C>>,
    /// Participants whose address several candidates share.
    pub ambiguous: Vec<AmbiguousMatch<C>>,
    /// Possible candidates without a match.
    pub unmatched: Vec<(Participant, UnmatchedReason)>,
    /// Participants on the hiring side.
    pub excluded: Vec<(Participant, ExclusionReason)>,
}

impl<C> MatchReport<C> {
    /// The matched candidates.
    pub fn candidates(&self) -> impl Iterator<Item = &C> {
        self.matched.iter().map(|m| &m.candidate)
    }

    /// Whether some participant needs a human decision.
    pub fn has_ambiguity(&self) -> bool {
        !self.ambiguous.is_empty()
    }
}

/// Matches a meeting's participants (the organizer counts as hiring side).
pub fn match_meeting<D: CandidateDirectory + ?Sized>(
    meeting: &Meeting,
    directory: &D,
    config: &MatchConfig,
) -> MatchReport<D::Candidate> {
    match_participants(
        &meeting.participants,
        meeting.organizer.as_deref(),
        directory,
        config,
    )
}

/// The normalized addresses [`match_meeting`] would look up: participants
/// with a valid address that are not excluded (interviewer, organizer,
/// internal domain), each once. For an asynchronous candidate store: fetch
/// these first, put the results in a [`CandidateDirectory`], then match.
pub fn lookup_addresses(meeting: &Meeting, config: &MatchConfig) -> Vec<NormalizedEmail> {
    let people = People::of(&meeting.participants, meeting.organizer.as_deref(), config);
    people
        .addresses
        .into_iter()
        .filter(|a| a.exclusion.is_none())
        .map(|a| a.email)
        .collect()
}

/// One distinct address of a meeting and the verdict over *every*
/// participant entry that carries it.
struct Address<'p> {
    email: NormalizedEmail,
    /// The entry reported for this address: the first one with the
    /// strongest role (interviewer, then candidate, then the first seen).
    participant: &'p Participant,
    /// Position of the first entry with this address (for reporting order).
    first: usize,
    exclusion: Option<ExclusionReason>,
}

/// A meeting's participants grouped by normalized address, so that a person
/// listed twice (once as attendee, once as interviewer, in any case or
/// order) is judged once, on all their entries.
struct People<'p> {
    addresses: Vec<Address<'p>>,
    /// Entries without a usable address, with their positions.
    unusable: Vec<(usize, &'p Participant, UnmatchedReason)>,
}

impl<'p> People<'p> {
    fn of(participants: &'p [Participant], organizer: Option<&str>, config: &MatchConfig) -> Self {
        let organizer = organizer.and_then(|o| config.normalization.normalize(o));
        let mut grouped: Vec<(NormalizedEmail, usize, Vec<&'p Participant>)> = Vec::new();
        let mut unusable = Vec::new();
        for (at, participant) in participants.iter().enumerate() {
            let raw = participant
                .email
                .as_deref()
                .filter(|e| !e.trim().is_empty());
            match raw.map(|e| config.normalization.normalize(e)) {
                None => unusable.push((at, participant, UnmatchedReason::NoEmail)),
                Some(None) => unusable.push((at, participant, UnmatchedReason::InvalidEmail)),
                Some(Some(email)) => match grouped.iter_mut().find(|(e, _, _)| *e == email) {
                    Some((_, _, entries)) => entries.push(participant),
                    None => grouped.push((email, at, vec![participant])),
                },
            }
        }
        let addresses = grouped
            .into_iter()
            .map(|(email, first, entries)| {
                let exclusion = exclusion(&entries, &email, organizer.as_ref(), config);
                let participant = representative(&entries);
                Address {
                    email,
                    participant,
                    first,
                    exclusion,
                }
            })
            .collect();
        People {
            addresses,
            unusable,
        }
    }
}

/// The entry that speaks for an address: an interviewer entry if any, else
/// a candidate entry, else the first.
fn representative<'p>(entries: &[&'p Participant]) -> &'p Participant {
    let with = |role: ParticipantRole| entries.iter().find(|p| p.role == role).copied();
    with(ParticipantRole::Interviewer)
        .or_else(|| with(ParticipantRole::Candidate))
        .unwrap_or(entries[0])
}

impl<C: Clone + PartialEq> CandidateDirectory for HashMap<NormalizedEmail, Vec<C>> {
    type Candidate = C;

    fn candidates_with_email(&self, email: &NormalizedEmail) -> Vec<C> {
        self.get(email).cloned().unwrap_or_default()
    }
}

/// Matches participants to candidates. An address listed several times is
/// judged once, over all its entries: if any entry marks it as an
/// interviewer it is excluded, whatever order or case the entries come in.
pub fn match_participants<D: CandidateDirectory + ?Sized>(
    participants: &[Participant],
    organizer: Option<&str>,
    directory: &D,
    config: &MatchConfig,
) -> MatchReport<D::Candidate> {
    let people = People::of(participants, organizer, config);
    let mut report = MatchReport {
        matched: Vec::new(),
        ambiguous: Vec::new(),
        unmatched: Vec::new(),
        excluded: Vec::new(),
    };
    // Report in the order entries were given: each address at its first
    // entry, judged over all of them.
    for item in people.in_order() {
        let (participant, email, exclusion) = match item {
            Either::Unusable(participant, reason) => {
                exclude_or(&mut report, participant, reason);
                continue;
            }
            Either::Address(a) => (a.participant, a.email.clone(), a.exclusion.clone()),
        };
        if let Some(reason) = exclusion {
            report.excluded.push((participant.clone(), reason));
            continue;
        }
        let mut candidates = directory.candidates_with_email(&email);
        dedup(&mut candidates);
        match candidates.len() {
            0 => report
                .unmatched
                .push((participant.clone(), UnmatchedReason::NotFound)),
            1 => {
                let candidate = candidates.remove(0);
                if !report.matched.iter().any(|m| m.candidate == candidate) {
                    report.matched.push(CandidateMatch {
                        participant: participant.clone(),
                        email,
                        candidate,
                    });
                }
            }
            _ => report.ambiguous.push(AmbiguousMatch {
                participant: participant.clone(),
                email,
                candidates,
            }),
        }
    }
    report
}

/// One step of [`People::in_order`].
enum Either<'a, 'p> {
    Unusable(&'p Participant, UnmatchedReason),
    Address(&'a Address<'p>),
}

impl<'p> People<'p> {
    /// Unusable entries and distinct addresses, in the order their first
    /// entry was given.
    fn in_order<'a>(&'a self) -> Vec<Either<'a, 'p>> {
        let mut out: Vec<(usize, Either<'a, 'p>)> = self
            .unusable
            .iter()
            .map(|(at, p, reason)| (*at, Either::Unusable(p, reason.clone())))
            .chain(self.addresses.iter().map(|a| (a.first, Either::Address(a))))
            .collect();
        out.sort_by_key(|(at, _)| *at);
        out.into_iter().map(|(_, item)| item).collect()
    }
}

/// A participant without a usable address is still excluded when marked
/// as an interviewer; otherwise it is unmatched for `reason`.
fn exclude_or<C>(report: &mut MatchReport<C>, participant: &Participant, reason: UnmatchedReason) {
    if participant.role == ParticipantRole::Interviewer {
        report
            .excluded
            .push((participant.clone(), ExclusionReason::Interviewer));
    } else {
        report.unmatched.push((participant.clone(), reason));
    }
}

/// The hiring-side verdict over every entry of one address. An interviewer
/// entry always wins (a wrong "candidate" label must not put a note on an
/// employee); an explicit candidate entry is kept even on an internal
/// domain or as the organizer (internal applicants interview too, and a
/// candidate may send the invitation).
fn exclusion(
    entries: &[&Participant],
    email: &NormalizedEmail,
    organizer: Option<&NormalizedEmail>,
    config: &MatchConfig,
) -> Option<ExclusionReason> {
    if entries
        .iter()
        .any(|p| p.role == ParticipantRole::Interviewer)
    {
        return Some(ExclusionReason::Interviewer);
    }
    if entries.iter().any(|p| p.role == ParticipantRole::Candidate) {
        return None;
    }
    if organizer == Some(email) {
        return Some(ExclusionReason::Organizer);
    }
    config
        .internal_domains
        .iter()
        .find(|d| email.is_in_domain(d))
        .map(|d| ExclusionReason::InternalDomain(d.clone()))
}

fn dedup<C: PartialEq>(items: &mut Vec<C>) {
    let mut out: Vec<C> = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    *items = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(raw: &str) -> Option<String> {
        normalize_email(raw).map(|e| e.0)
    }

    #[test]
    fn normalization_basics() {
        assert_eq!(
            n("  Ana.Souza@Example.COM "),
            Some("ana.souza@example.com".into())
        );
        assert_eq!(
            n("Ana Souza <ana@example.com>"),
            Some("ana@example.com".into())
        );
        assert_eq!(n("mailto:ana@example.com"), Some("ana@example.com".into()));
        assert_eq!(n("ana@example.com."), Some("ana@example.com".into()));
        assert_eq!(
            n("ana+jobs@example.com"),
            Some("ana+jobs@example.com".into())
        );
        for bad in [
            "",
            "ana",
            "@example.com",
            "ana@",
            "an a@example.com",
            "ana@exa mple.com",
            "ana@a..b",
        ] {
            assert_eq!(n(bad), None, "{bad}");
        }
    }

    #[test]
    fn idn_domains_are_comparable() {
        assert_eq!(
            n("jörg@Bücher.example"),
            Some("jörg@xn--bcher-kva.example".into())
        );
        assert_eq!(n("jörg@xn--bcher-kva.example"), n("JÖRG@BÜCHER.EXAMPLE"));
        // Full-width characters map to ASCII under UTS #46.
        assert_eq!(n("a@ｅｘａｍｐｌｅ.com"), Some("a@example.com".into()));
    }

    #[test]
    fn plus_and_dot_rules_are_opt_in() {
        let rules = EmailNormalization::default()
            .with_plus_tags_stripped()
            .with_dots_ignored_for(EmailNormalization::GMAIL_DOMAINS);
        let n = |raw: &str| rules.normalize(raw).map(|e| e.0);
        assert_eq!(
            n("Jo.Ellis+jobs@gmail.com"),
            Some("joellis@gmail.com".into())
        );
        assert_eq!(
            n("jo.ellis+jobs@acme.com"),
            Some("jo.ellis@acme.com".into())
        );
        assert_eq!(n("+only@acme.com"), Some("+only@acme.com".into()));
    }

    #[test]
    fn subdomains_are_internal() {
        let e = normalize_email("ana@eu.acme.com").unwrap();
        assert!(e.is_in_domain("acme.com"));
        assert!(e.is_in_domain("ACME.com."));
        assert!(!e.is_in_domain("me.com"));
        assert!(
            !normalize_email("ana@notacme.com")
                .unwrap()
                .is_in_domain("acme.com")
        );
        assert_eq!(e.local_part(), "ana");
        assert_eq!(e.domain(), "eu.acme.com");
    }
}

#[cfg(test)]
mod exclusion_tests {
    use super::*;
    use crate::meeting::ParticipantRole::{Candidate, Interviewer, Unknown};

    fn p(email: &str, role: ParticipantRole) -> Participant {
        Participant::new(email, role)
    }

    fn index() -> CandidateIndex {
        let mut index = CandidateIndex::default();
        index.insert("c-ana", "ana@example.com");
        index.insert("c-priya", "priya@example.com");
        index
    }

    #[test]
    fn an_address_listed_as_attendee_then_interviewer_is_excluded() {
        let config = MatchConfig::default();
        let participants = vec![
            p("Priya@Example.com", Unknown),
            p("ana@example.com", Unknown),
            p("priya@example.com", Interviewer),
        ];
        let report = match_participants(&participants, None, &index(), &config);
        let matched: Vec<_> = report.candidates().cloned().collect();
        assert_eq!(matched, vec!["c-ana".to_owned()]);
        assert_eq!(report.excluded.len(), 1);
        assert_eq!(report.excluded[0].0.role, Interviewer);
        let meeting = crate::Meeting::new("m", "t", chrono::Utc::now());
        let mut meeting = meeting;
        meeting.participants = participants;
        let lookups: Vec<_> = lookup_addresses(&meeting, &config)
            .into_iter()
            .map(|e| e.as_str().to_owned())
            .collect();
        assert_eq!(lookups, vec!["ana@example.com".to_owned()]);
    }

    #[test]
    fn an_interviewer_entry_beats_a_candidate_label_for_the_same_address() {
        let participants = vec![
            p("priya@example.com", Candidate),
            p("PRIYA@example.com", Interviewer),
        ];
        let report = match_participants(&participants, None, &index(), &MatchConfig::default());
        assert!(report.matched.is_empty());
    }

    #[test]
    fn internal_domains_accept_the_forms_people_type() {
        for entry in [
            "acme.com",
            "ACME.com",
            "@acme.com",
            "*.acme.com",
            "acme.com.",
        ] {
            let config = MatchConfig::with_internal_domains([entry]);
            config.validate().unwrap();
            let mut index = CandidateIndex::default();
            index.insert("employee", "bo@acme.com");
            let report = match_participants(&[p("bo@ACME.com", Unknown)], None, &index, &config);
            assert!(report.matched.is_empty(), "{entry}");
            assert_eq!(report.excluded.len(), 1, "{entry}");
        }
        let idn = MatchConfig::with_internal_domains(["Bücher.example"]);
        idn.validate().unwrap();
        let mut index = CandidateIndex::default();
        index.insert("employee", "jo@xn--bcher-kva.example");
        let report = match_participants(&[p("jo@bücher.example", Unknown)], None, &index, &idn);
        assert!(report.matched.is_empty());
    }

    #[test]
    fn an_internal_domain_that_is_not_a_domain_is_a_configuration_error() {
        for bad in ["bo@acme.com", "https://acme.com/", "", "acme", "acme com"] {
            let err = MatchConfig::with_internal_domains([bad])
                .validate()
                .unwrap_err();
            assert!(
                err.to_string().contains("not an e-mail domain"),
                "{bad}: {err}"
            );
        }
    }
}

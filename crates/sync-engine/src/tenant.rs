//! Tenants (customers) and the ATS they connect.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// A customer of the platform. Every row the engine stores is keyed by tenant,
/// and no query crosses tenants.
///
/// Tenant ids appear in webhook URLs (`/webhooks/lever/{tenant}`), so they are
/// restricted to 1–64 ASCII letters, digits, `-` and `_`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TenantId(String);

impl TenantId {
    /// Validates and wraps a tenant id.
    pub fn new(id: impl Into<String>) -> Result<Self, Error> {
        let id = id.into();
        let valid = !id.is_empty()
            && id.len() <= 64
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if valid {
            Ok(Self(id))
        } else {
            Err(Error::InvalidTenant(id.chars().take(80).collect()))
        }
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for TenantId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::new(s)
    }
}

impl TryFrom<String> for TenantId {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Error> {
        Self::new(s)
    }
}

impl From<TenantId> for String {
    fn from(t: TenantId) -> String {
        t.0
    }
}

/// The applicant-tracking systems the engine posts to.
///
/// This enum is the engine's own vocabulary (never parsed from an ATS payload),
/// so it is exhaustive on purpose: a new ATS is a new integration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ats {
    /// Lever (lever.co).
    Lever,
    /// Greenhouse Recruiting (Harvest API).
    Greenhouse,
}

impl Ats {
    /// Lower-case name used in storage and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Ats::Lever => "lever",
            Ats::Greenhouse => "greenhouse",
        }
    }
}

impl fmt::Display for Ats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Ats {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "lever" => Ok(Ats::Lever),
            "greenhouse" => Ok(Ats::Greenhouse),
            other => Err(Error::Corrupt(format!("unknown ATS `{other}`"))),
        }
    }
}

/// What to do with a note for a candidate who is archived, rejected or hired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArchivedPolicy {
    /// Post the note anyway (the interview happened; the record should show it).
    #[default]
    Post,
    /// Skip the candidate and report it in the posting plan.
    Skip,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_ids_are_validated() {
        assert!(TenantId::new("acme-corp_1").is_ok());
        assert!(TenantId::new("").is_err());
        assert!(TenantId::new("a/b").is_err());
        assert!(TenantId::new("x".repeat(65)).is_err());
        let err = TenantId::new("../etc").unwrap_err().to_string();
        assert!(err.contains("../etc"), "{err}");
    }

    #[test]
    fn ats_round_trips_through_strings() {
        for ats in [Ats::Lever, Ats::Greenhouse] {
            assert_eq!(ats.as_str().parse::<Ats>().unwrap(), ats);
        }
        assert!("workday".parse::<Ats>().is_err());
    }
}

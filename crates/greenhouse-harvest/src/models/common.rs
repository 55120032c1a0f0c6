//! Pieces shared by the v3 models: forward-compatible string enums, the v3
//! timestamp format, typed contact values and custom fields.

use serde::{Deserialize, Serialize};

/// Declares a `#[non_exhaustive]` string enum whose unknown values are kept in
/// `Unknown(String)` instead of failing deserialization (a new Greenhouse value
/// must never break a sync).
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the crate does not know, kept verbatim.
            Unknown(String),
        }

        impl $name {
            /// The value as Greenhouse spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(s) => s.as_str(),
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $wire => $name::$variant, )+
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Ok($name::from(s.as_str()))
            }
        }
    };
}
pub(crate) use string_enum;

/// Harvest v3 date-times: "ISO 8601 UTC e.g. `2024-12-15T03:55:00.000Z`"
/// (harvestdocs.greenhouse.io/docs/standardizations). Parsing accepts any
/// RFC 3339 offset; writing uses the exact millisecond `Z` form.
pub mod timestamp {
    use chrono::{DateTime, SecondsFormat, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    /// Formats a timestamp the way Harvest v3 writes them.
    pub fn format(t: &DateTime<Utc>) -> String {
        t.to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    /// Serde `with` helper for `DateTime<Utc>`.
    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(t))
    }

    /// Serde `with` helper for `DateTime<Utc>`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let s = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(serde::de::Error::custom)
    }

    /// The same for `Option<DateTime<Utc>>` (absent or `null` → `None`).
    pub mod option {
        use super::*;

        /// Serde `with` helper.
        pub fn serialize<S: Serializer>(
            t: &Option<DateTime<Utc>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => super::serialize(t, s),
                None => s.serialize_none(),
            }
        }

        /// Serde `with` helper.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            let s: Option<String> = Option::deserialize(d)?;
            match s.as_deref() {
                None | Some("") => Ok(None),
                Some(s) => DateTime::parse_from_rfc3339(s)
                    .map(|t| Some(t.with_timezone(&Utc)))
                    .map_err(serde::de::Error::custom),
            }
        }
    }
}

/// Serde `deserialize_with` helper for list and map fields: Greenhouse
/// sends `null` where a list or map is empty ("`office_ids`: empty array or
/// null", Harvest v3 reference for jobs; issue 10 lists `custom_fields`,
/// `tags`, `email_addresses`, `prospective_job_ids` and user `emails` seen as
/// `null`), so `null` reads as the empty value. Pair it with `default` so an
/// absent field reads the same way.
pub(crate) fn null_as_empty<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Serde `deserialize_with` helper for a location sent either as a string
/// or as `{"name": …}` (Greenhouse uses both shapes, research notes §3.4 and
/// the `office_deleted` webhook example).
pub(crate) fn location_name<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Object(o)) => {
            o.get("name").and_then(|n| n.as_str()).map(str::to_owned)
        }
        _ => None,
    })
}

string_enum! {
    /// `email_addresses[].type` (Harvest: personal | work | other).
    pub enum EmailType {
        /// `personal`
        Personal => "personal",
        /// `work`
        Work => "work",
        /// `other`
        Other => "other",
    }
}

/// One e-mail address of a candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmailAddress {
    /// The address; `None` when Greenhouse sends `"value": null` (seen on
    /// imported candidates) or leaves it out.
    #[serde(default)]
    pub value: Option<String>,
    /// Its kind; absent on some records.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<EmailType>,
}

/// A typed contact value (phone number, address, website).
///
/// The type vocabularies differ per list (phone: home|work|mobile|skype|other,
/// website: personal|company|portfolio|blog|other) and are kept as strings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypedValue {
    /// The value; `None` when sent as `null` or left out.
    #[serde(default)]
    pub value: Option<String>,
    /// Its kind as Greenhouse spells it, when present.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A custom field value: `{name, type, value}` keyed by the field's key.
/// `value` varies with `type` (string, bool, number, `{unit, min_value, max_value}`, array).
///
/// Greenhouse adds keys beside these three on some field types (e.g.
/// `compensation_type`, `frequency`, `rationale` on currency-range fields);
/// they are kept in [`extra`](Self::extra) and written back on serialisation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CustomField {
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Field type, e.g. `short_text`, `single_select`, `currency_range`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The value, shaped by `type`.
    #[serde(default)]
    pub value: serde_json::Value,
    /// Every other key of the field object, verbatim.
    #[serde(flatten)]
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
}

/// Custom fields keyed by their key. Kept as raw JSON values because v3
/// resources and webhooks do not agree on one shape (research notes §4.3).
pub type CustomFields = std::collections::BTreeMap<String, serde_json::Value>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_email_type_is_kept() {
        let e: EmailAddress = serde_json::from_str(r#"{"value":"a@b.c","type":"alias"}"#).unwrap();
        assert_eq!(e.kind, Some(EmailType::Unknown("alias".into())));
        assert_eq!(e.kind.as_ref().unwrap().as_str(), "alias");
        assert_eq!(serde_json::to_string(&e.kind).unwrap(), r#""alias""#);
        let e: EmailAddress = serde_json::from_str(r#"{"value":"a@b.c","type":"work"}"#).unwrap();
        assert_eq!(e.kind, Some(EmailType::Work));
    }

    #[test]
    fn timestamps_use_the_v3_wire_format() {
        let t = chrono::DateTime::parse_from_rfc3339("2024-12-15T03:55:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(timestamp::format(&t), "2024-12-15T03:55:00.000Z");
    }
}

//! Shared building blocks of the models: timestamps, "id or object" fields and open enums.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A Lever timestamp. On the wire it is an integer of milliseconds since the Unix epoch
/// (research note §5; LD examples sometimes quote it as a string, which is accepted too).
pub type Timestamp = DateTime<Utc>;

/// Converts milliseconds since the epoch into a [`Timestamp`].
pub fn from_millis(ms: i64) -> Option<Timestamp> {
    Utc.timestamp_millis_opt(ms).single()
}

/// Serde helpers for `Option<Timestamp>` in Lever's millisecond format.
pub(crate) mod opt_millis {
    use super::*;

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(i64),
        Float(f64),
        Text(String),
    }

    pub(crate) fn serialize<S: Serializer>(v: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(t) => s.serialize_i64(t.timestamp_millis()),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Timestamp>, D::Error> {
        use serde::de::Error;
        let ms = match Option::<Raw>::deserialize(d)? {
            None => return Ok(None),
            Some(Raw::Int(ms)) => ms,
            Some(Raw::Float(f)) => f as i64,
            Some(Raw::Text(s)) if s.trim().is_empty() => return Ok(None),
            Some(Raw::Text(s)) => s
                .trim()
                .parse::<i64>()
                .map_err(|_| D::Error::custom(format!("expected milliseconds, got {s:?}")))?,
        };
        from_millis(ms)
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("timestamp out of range: {ms}")))
    }
}

/// Deserializes `null` as the type's default (Lever sends `null` for some empty lists).
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Something with a Lever id.
pub trait HasId {
    /// The object's id.
    fn id(&self) -> &str;
}

/// A field that holds an id, or the full object when the request used `expand`
/// (LD "Customizing the Response"; research note §2.5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Expandable<T> {
    /// Only the id (the default).
    Id(String),
    /// The expanded object.
    Object(Box<T>),
}

impl<T: HasId> Expandable<T> {
    /// The id, whether or not the field was expanded.
    pub fn id(&self) -> &str {
        match self {
            Self::Id(id) => id,
            Self::Object(o) => o.id(),
        }
    }
}

impl<T> Expandable<T> {
    /// The expanded object, if the field was expanded.
    pub fn object(&self) -> Option<&T> {
        match self {
            Self::Id(_) => None,
            Self::Object(o) => Some(o),
        }
    }
}

/// Defines an open string enum: known values plus `Unknown(String)` keeping any new value,
/// so a value Lever adds later never breaks deserialization.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version of the crate does not know; the wire text is kept.
            Unknown(String),
        }

        impl $name {
            /// The value as Lever writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Unknown(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($wire => Self::$variant,)+
                    other => Self::Unknown(other.to_owned()),
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
                Ok(Self::from(s.as_str()))
            }
        }
    };
}
pub(crate) use open_enum;

/// Unknown JSON fields, kept so nothing Lever adds is lost.
pub type Extra = serde_json::Map<String, serde_json::Value>;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct T {
        #[serde(default, with = "opt_millis")]
        at: Option<Timestamp>,
    }

    #[test]
    fn millis_accept_number_string_and_null() {
        let a: T = serde_json::from_str(r#"{"at":1431454330072}"#).unwrap();
        assert_eq!(a.at.unwrap().timestamp_millis(), 1431454330072);
        let b: T = serde_json::from_str(r#"{"at":"1468953420000"}"#).unwrap();
        assert_eq!(b.at.unwrap().timestamp_millis(), 1468953420000);
        let c: T = serde_json::from_str(r#"{"at":null}"#).unwrap();
        assert!(c.at.is_none());
        let d: T = serde_json::from_str(r#"{}"#).unwrap();
        assert!(d.at.is_none());
        assert!(serde_json::from_str::<T>(r#"{"at":"yesterday"}"#).is_err());
    }
}

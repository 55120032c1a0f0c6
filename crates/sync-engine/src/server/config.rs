//! The server's configuration: a TOML file, then environment variables
//! (which override the file). Secrets are never read from the TOML file
//! itself, which tends to be checked in or shared: each comes from its
//! environment variable or from a file named by `<secret>_file` (the way
//! container platforms mount secrets), and [`Secret`]'s `Debug` redacts it.
//!
//! | TOML key | environment variable | meaning | default |
//! |---|---|---|---|
//! | `listen` | `ASPECT_LISTEN` | address to listen on | `127.0.0.1:8080` |
//! | `public_url` | `ASPECT_PUBLIC_URL` | URL the ATSs and browsers reach this server at (webhook endpoints, OAuth redirect) | `http://{listen}` |
//! | `database_url` | `ASPECT_DATABASE_URL` | the store (the binary opens it): a `postgres://` URL, `sqlite://path` or a path | `aspect-engine.sqlite3` |
//! | `log_format` | `ASPECT_LOG_FORMAT` | `json`, `text` or `auto` (JSON unless stdout is a terminal) | `auto` |
//! | `log_filter` | `ASPECT_LOG` | a `tracing` filter | `info` |
//! | `shutdown_grace_secs` | `ASPECT_SHUTDOWN_GRACE_SECS` | how long shutdown waits for requests and posts in flight | `30` |
//! | `worker_every_secs` | `ASPECT_WORKER_EVERY_SECS` | background pass interval at the latest | `2` |
//! | `admin_token_file` | `ASPECT_ADMIN_TOKEN` (the token itself) or `ASPECT_ADMIN_TOKEN_FILE` | bearer token of the admin API and settings page | required |

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// A secret string: its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the code that must use it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// JSON lines when stdout is not a terminal, else plain text.
    #[default]
    Auto,
    /// One JSON object per line.
    Json,
    /// Plain text (colour codes only on a terminal).
    Text,
}

/// Why a configuration could not be loaded. Never carries a secret value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The TOML file is malformed or has an unknown key.
    #[error("invalid configuration file {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong (from the TOML parser).
        message: String,
    },
    /// A value (from the file or the environment) is invalid.
    #[error("invalid {name}: {message}")]
    Invalid {
        /// The key or variable.
        name: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A secret was written into the TOML file instead of the environment
    /// or a secret file.
    #[error(
        "`{0}` must not be in the configuration file: set it in the environment or name a file with `{0}_file`"
    )]
    SecretInFile(&'static str),
    /// A required value is missing.
    #[error("missing {0}")]
    Missing(&'static str),
}

/// The server's configuration (see the module docs for every key).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServerConfig {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// The URL this server is reached at, without a trailing slash.
    pub public_url: String,
    /// Where the store lives (the binary opens it).
    pub database_url: String,
    /// Log format.
    pub log_format: LogFormat,
    /// Log filter.
    pub log_filter: String,
    /// How long shutdown waits for in-flight requests and posts.
    pub shutdown_grace: Duration,
    /// How often background passes run at the latest.
    pub worker_every: Duration,
    /// The admin bearer token.
    pub admin_token: Secret,
}

impl ServerConfig {
    /// A configuration with the defaults and this admin token (tests and
    /// platforms that configure the server in code).
    pub fn new(admin_token: Secret) -> Self {
        let listen: SocketAddr = ([127, 0, 0, 1], 8080).into();
        Self {
            listen,
            public_url: format!("http://{listen}"),
            database_url: "aspect-engine.sqlite3".into(),
            log_format: LogFormat::Auto,
            log_filter: "info".into(),
            shutdown_grace: Duration::from_secs(30),
            worker_every: Duration::from_secs(2),
            admin_token,
        }
    }

    /// Sets the public URL (a trailing slash is dropped).
    pub fn with_public_url(mut self, url: impl Into<String>) -> Self {
        self.public_url = url.into().trim_end_matches('/').to_owned();
        self
    }

    /// Sets the shutdown grace period.
    pub fn with_shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = grace;
        self
    }

    /// Sets the background pass interval.
    pub fn with_worker_every(mut self, every: Duration) -> Self {
        self.worker_every = every;
        self
    }

    /// Loads the optional TOML `file`, then applies the process's
    /// environment variables over it.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        Self::load_from(file, |name| std::env::var(name).ok())
    }

    /// Like [`ServerConfig::load`], with the environment given as a lookup
    /// function (tests pass a map).
    pub fn load_from(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let raw = match file {
            Some(path) => parse_file(path)?,
            None => FileConfig::default(),
        };
        let listen_text = env("ASPECT_LISTEN").or(raw.listen);
        let listen = match listen_text {
            Some(text) => text.parse().map_err(|e| ConfigError::Invalid {
                name: "listen",
                message: format!("`{text}`: {e}"),
            })?,
            None => ([127, 0, 0, 1], 8080).into(),
        };
        let public_url = env("ASPECT_PUBLIC_URL")
            .or(raw.public_url)
            .unwrap_or_else(|| format!("http://{listen}"));
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                name: "public_url",
                message: "must start with http:// or https://".into(),
            });
        }
        let log_format = match env("ASPECT_LOG_FORMAT") {
            Some(text) => match text.as_str() {
                "json" => LogFormat::Json,
                "text" => LogFormat::Text,
                "auto" => LogFormat::Auto,
                other => {
                    return Err(ConfigError::Invalid {
                        name: "ASPECT_LOG_FORMAT",
                        message: format!("`{other}` is not json, text or auto"),
                    });
                }
            },
            None => raw.log_format.unwrap_or_default(),
        };
        let secs = |name: &'static str, file: Option<u64>, default: u64| match env(name) {
            Some(text) => text.parse::<u64>().map_err(|e| ConfigError::Invalid {
                name,
                message: format!("`{text}`: {e}"),
            }),
            None => Ok(file.unwrap_or(default)),
        };
        let admin_token = secret(
            "admin_token",
            env("ASPECT_ADMIN_TOKEN"),
            env("ASPECT_ADMIN_TOKEN_FILE")
                .map(PathBuf::from)
                .or(raw.admin_token_file),
        )?
        .ok_or(ConfigError::Missing(
            "admin token (ASPECT_ADMIN_TOKEN or ASPECT_ADMIN_TOKEN_FILE)",
        ))?;
        if admin_token.expose().len() < 16 {
            return Err(ConfigError::Invalid {
                name: "admin token",
                message: "must be at least 16 characters".into(),
            });
        }
        Ok(Self {
            listen,
            public_url: public_url.trim_end_matches('/').to_owned(),
            database_url: env("ASPECT_DATABASE_URL")
                .or(raw.database_url)
                .unwrap_or_else(|| "aspect-engine.sqlite3".into()),
            log_format,
            log_filter: env("ASPECT_LOG")
                .or(raw.log_filter)
                .unwrap_or_else(|| "info".into()),
            shutdown_grace: Duration::from_secs(secs(
                "ASPECT_SHUTDOWN_GRACE_SECS",
                raw.shutdown_grace_secs,
                30,
            )?),
            worker_every: Duration::from_secs(
                secs("ASPECT_WORKER_EVERY_SECS", raw.worker_every_secs, 2)?.max(1),
            ),
            admin_token,
        })
    }
}

/// The TOML file's keys. Unknown keys are refused so a typo is not
/// silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    public_url: Option<String>,
    database_url: Option<String>,
    log_format: Option<LogFormat>,
    log_filter: Option<String>,
    shutdown_grace_secs: Option<u64>,
    worker_every_secs: Option<u64>,
    admin_token_file: Option<PathBuf>,
}

/// Secret keys refused in the file (with a message naming the safe way).
const SECRET_KEYS: &[&str] = &["admin_token"];

fn parse_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    // Look for secrets before the typed parse, whose error would otherwise
    // only say "unknown field".
    if let Ok(table) = text.parse::<toml::Table>()
        && let Some(key) = SECRET_KEYS.iter().find(|k| table.contains_key(**k))
    {
        return Err(ConfigError::SecretInFile(key));
    }
    toml::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.to_owned(),
        // The parser's message quotes the offending line; no secret can be
        // there (secrets are refused above), so it is safe to show.
        message: e.message().to_owned(),
    })
}

/// A secret from its variable, else from the file a path names (trailing
/// newline dropped).
fn secret(
    name: &'static str,
    value: Option<String>,
    file: Option<PathBuf>,
) -> Result<Option<Secret>, ConfigError> {
    if let Some(value) = value {
        return Ok(Some(Secret::new(value.trim().to_owned())));
    }
    let Some(path) = file else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::Invalid {
        name,
        message: format!("cannot read the secret file {}: {e}", path.display()),
    })?;
    Ok(Some(Secret::new(text.trim().to_owned())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const TOKEN: &str = "an-admin-token-long-enough";

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn the_environment_overrides_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.toml");
        std::fs::write(
            &path,
            "listen = \"0.0.0.0:9000\"\nlog_format = \"text\"\nshutdown_grace_secs = 5\n",
        )
        .unwrap();
        let config = ServerConfig::load_from(
            Some(&path),
            env(&[
                ("ASPECT_ADMIN_TOKEN", TOKEN),
                ("ASPECT_LISTEN", "127.0.0.1:7000"),
            ]),
        )
        .unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:7000");
        assert_eq!(config.log_format, LogFormat::Text);
        assert_eq!(config.shutdown_grace, Duration::from_secs(5));
        assert_eq!(config.public_url, "http://127.0.0.1:7000");
    }

    #[test]
    fn secrets_come_from_the_environment_or_a_file_never_the_toml() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.toml");
        std::fs::write(&path, format!("admin_token = \"{TOKEN}\"\n")).unwrap();
        let err = ServerConfig::load_from(Some(&path), env(&[])).unwrap_err();
        assert!(
            matches!(err, ConfigError::SecretInFile("admin_token")),
            "{err}"
        );
        assert!(!err.to_string().contains(TOKEN));

        let secret_file = dir.path().join("token");
        std::fs::write(&secret_file, format!("{TOKEN}\n")).unwrap();
        std::fs::write(
            &path,
            format!(
                "admin_token_file = {:?}\n",
                secret_file.display().to_string()
            ),
        )
        .unwrap();
        let config = ServerConfig::load_from(Some(&path), env(&[])).unwrap();
        assert_eq!(config.admin_token.expose(), TOKEN);
        let shown = format!("{config:?}");
        assert!(!shown.contains(TOKEN), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }

    #[test]
    fn bad_values_are_clear_errors() {
        assert!(matches!(
            ServerConfig::load_from(None, env(&[])),
            Err(ConfigError::Missing(_))
        ));
        let err = ServerConfig::load_from(
            None,
            env(&[("ASPECT_ADMIN_TOKEN", TOKEN), ("ASPECT_LISTEN", "nowhere")]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("listen"), "{err}");
        let err =
            ServerConfig::load_from(None, env(&[("ASPECT_ADMIN_TOKEN", "short")])).unwrap_err();
        assert!(err.to_string().contains("16"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.toml");
        std::fs::write(&path, "lisen = \"x\"\n").unwrap();
        let err = ServerConfig::load_from(Some(&path), env(&[("ASPECT_ADMIN_TOKEN", TOKEN)]))
            .unwrap_err();
        assert!(err.to_string().contains("lisen"), "{err}");
    }
}

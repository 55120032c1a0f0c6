//! The fake's OAuth authorization server: codes, rotating refresh tokens, bearer checks
//! (LD "OAuth" steps 3–5; error shape as Auth0, which serves Lever's sandbox — research note §1.2).

use std::collections::{HashMap, HashSet};

use serde_json::json;
use wiremock::ResponseTemplate;

use super::wire::{now_ms, random_hex};

/// Registered app and live tokens.
pub(super) struct OAuthServer {
    pub(super) client_id: String,
    pub(super) client_secret: String,
    codes: HashSet<String>,
    /// Access token → expiry (ms since epoch).
    access: HashMap<String, i64>,
    refresh: HashSet<String>,
}

/// A freshly issued pair.
pub(super) struct Issued {
    pub(super) access: String,
    pub(super) refresh: String,
    pub(super) expires_in: i64,
}

impl OAuthServer {
    pub(super) fn new() -> Self {
        Self {
            client_id: format!("fake-client-{}", random_hex(8)),
            client_secret: random_hex(32),
            codes: HashSet::new(),
            access: HashMap::new(),
            refresh: HashSet::new(),
        }
    }

    pub(super) fn new_code(&mut self) -> String {
        let code = random_hex(24);
        self.codes.insert(code.clone());
        code
    }

    pub(super) fn issue(&mut self, expires_in: i64) -> Issued {
        let access = format!("eyJfake.{}", random_hex(40));
        let refresh = format!("v1.{}", random_hex(40));
        self.access
            .insert(access.clone(), now_ms() + expires_in * 1000);
        self.refresh.insert(refresh.clone());
        Issued {
            access,
            refresh,
            expires_in,
        }
    }

    pub(super) fn accepts_bearer(&self, token: &str) -> bool {
        self.access.get(token).is_some_and(|exp| *exp > now_ms())
    }

    /// Every access token stops working now (refresh tokens stay valid).
    pub(super) fn expire_access_tokens(&mut self) {
        self.access.clear();
    }

    /// "Revoke Access": every token of the app dies.
    pub(super) fn revoke_all(&mut self) {
        self.access.clear();
        self.refresh.clear();
        self.codes.clear();
    }

    /// `POST /oauth/token` with a form body.
    pub(super) fn token(&mut self, body: &[u8]) -> ResponseTemplate {
        let form: HashMap<String, String> =
            url::form_urlencoded::parse(body).into_owned().collect();
        let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
        if field("client_id") != self.client_id || field("client_secret") != self.client_secret {
            return oauth_error(401, "access_denied", "Unauthorized");
        }
        let granted = match field("grant_type") {
            "authorization_code" => self.codes.remove(field("code")),
            // Refresh tokens rotate: the old one dies with this use (LD "OAuth" step 5).
            "refresh_token" => self.refresh.remove(field("refresh_token")),
            _ => return oauth_error(400, "unsupported_grant_type", "Unsupported grant type"),
        };
        if !granted {
            return oauth_error(403, "invalid_grant", "Unknown or invalid refresh token.");
        }
        let issued = self.issue(3600);
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": issued.access, "refresh_token": issued.refresh,
            "token_type": "Bearer", "scope": "offline_access opportunities:read:admin notes:write:admin",
            "expires_in": issued.expires_in,
        }))
    }
}

fn oauth_error(status: u16, error: &str, description: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({"error": error, "error_description": description}))
}

//! The fake's OAuth authorization server: the consent page, codes, rotating refresh tokens,
//! bearer checks (LD "OAuth" steps 1–5; error shape as Auth0, which serves Lever's sandbox —
//! research note §1.2).
//!
//! `GET /oauth/authorize` answers an HTML consent page listing the requested scopes with
//! "Accept" and "Deny" buttons (a form that posts back to `/oauth/authorize`); accepting
//! redirects to `redirect_uri?code=…&state=…` with a fresh one-time code, denying to
//! `redirect_uri?error=access_denied&state=…`, so a whole consent flow runs offline (a test or
//! a headless browser follows it like a customer would).

use std::collections::{HashMap, HashSet};

use serde_json::json;
use wiremock::{Request, ResponseTemplate};

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

    /// `GET /oauth/authorize` (the consent page) or `POST /oauth/authorize` (the decision).
    pub(super) fn authorize(&mut self, req: &Request) -> ResponseTemplate {
        let fields: HashMap<String, String> = if req.method.as_str() == "POST" {
            url::form_urlencoded::parse(&req.body)
                .into_owned()
                .collect()
        } else {
            req.url.query_pairs().into_owned().collect()
        };
        let field = |k: &str| fields.get(k).map(String::as_str).unwrap_or_default();
        if field("client_id") != self.client_id {
            return page(
                400,
                "Unknown application",
                "<p>The client id is not registered.</p>",
            );
        }
        if field("response_type") != "code" {
            return page(
                400,
                "Unsupported request",
                "<p>Only <code>response_type=code</code> is supported.</p>",
            );
        }
        let Ok(mut redirect) = url::Url::parse(field("redirect_uri")) else {
            return page(
                400,
                "Bad redirect",
                "<p>The redirect URI is missing or invalid.</p>",
            );
        };
        if !matches!(redirect.scheme(), "http" | "https") {
            return page(
                400,
                "Bad redirect",
                "<p>The redirect URI must be http or https.</p>",
            );
        }
        if req.method.as_str() != "POST" {
            return consent_page(&fields);
        }
        {
            let mut query = redirect.query_pairs_mut();
            if field("decision") == "accept" {
                query.append_pair("code", &self.new_code());
            } else {
                query.append_pair("error", "access_denied");
            }
            query.append_pair("state", field("state"));
        }
        ResponseTemplate::new(302).insert_header("Location", redirect.as_str())
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

/// The consent page: the app, the requested scopes, and a form posting the decision back.
fn consent_page(fields: &HashMap<String, String>) -> ResponseTemplate {
    let field = |k: &str| fields.get(k).map(String::as_str).unwrap_or_default();
    let scopes: String = field("scope")
        .split_whitespace()
        .map(|s| format!("<li>{}</li>", escape(s)))
        .collect();
    let hidden: String = [
        "client_id",
        "redirect_uri",
        "response_type",
        "state",
        "scope",
        "audience",
    ]
    .iter()
    .map(|k| {
        format!(
            r#"<input type="hidden" name="{k}" value="{}">"#,
            escape(field(k))
        )
    })
    .collect();
    let body = format!(
        r#"<p>The application <strong>{client}</strong> asks for these permissions:</p>
<ul id="scopes">{scopes}</ul>
<form method="post" action="/oauth/authorize">{hidden}
<button type="submit" id="accept" name="decision" value="accept">Accept</button>
<button type="submit" id="deny" name="decision" value="deny">Deny</button>
</form>"#,
        client = escape(field("client_id")),
    );
    page(200, "Authorize application", &body)
}

fn page(status: u16, title: &str, body: &str) -> ResponseTemplate {
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title} - Fake Lever</title></head>\
         <body><h1>{title}</h1>{body}</body></html>"
    );
    ResponseTemplate::new(status).set_body_raw(html, "text/html; charset=utf-8")
}

/// HTML-escapes text for element content and quoted attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl super::FakeLever {
    /// The fake's consent page, `…/oauth/authorize`: point an app's authorize endpoint here.
    pub fn authorize_url(&self) -> String {
        format!("{}/oauth/authorize", self.server.uri())
    }

    /// The fake's token endpoint, `…/oauth/token`.
    pub fn token_url(&self) -> String {
        format!("{}/oauth/token", self.server.uri())
    }

    /// The client id of the fake's registered OAuth app.
    pub fn oauth_client_id(&self) -> String {
        self.state().oauth.client_id.clone()
    }

    /// The client secret of the fake's registered OAuth app (a test value).
    pub fn oauth_client_secret(&self) -> String {
        self.state().oauth.client_secret.clone()
    }

    /// The customer clicks "Revoke Access" on the app in Lever: every OAuth token and code of
    /// the app dies (API calls with them answer 401, refreshing answers `invalid_grant`), while
    /// API keys keep working and a new consent connects again.
    pub fn revoke_oauth_access(&self) {
        self.state().oauth.revoke_all();
    }

    /// How many refresh tokens are live (each use rotates one away, so a chain has one).
    pub fn live_refresh_tokens(&self) -> usize {
        self.state().oauth.refresh.len()
    }
}

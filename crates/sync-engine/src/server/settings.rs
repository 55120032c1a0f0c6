//! The integrations settings page: server-rendered HTML with a little
//! inline CSS and JavaScript, no front-end build step.
//!
//! ## Session and CSRF
//! The admin signs in at `/settings/login` with the admin token; the answer
//! sets an `HttpOnly; SameSite=Strict` cookie holding a value *derived* from
//! the token (rotating the token ends every session). Chosen over signed
//! links, which end up in browser history and referrer headers. Every POST
//! also carries a CSRF token (a hidden form field, or the `x-csrf-token`
//! header for the page's `fetch`), derived from the admin token too and
//! compared in constant time. `SameSite=Strict` alone would already stop
//! cross-site posts in current browsers; the token covers older ones.
//!
//! The Lever OAuth callback answers a small page that navigates to the
//! settings page itself: a `SameSite=Strict` cookie is not sent on a
//! redirect chain that started on Lever's site, but is on a navigation
//! started by our own page.
//!
//! | route | what |
//! |---|---|
//! | `GET/POST /settings/login` | the sign-in form |
//! | `GET /settings/{tenant}` | the Lever and Greenhouse cards |
//! | `GET /settings/{tenant}/status.json` | the status the page polls during a Sync |
//! | `POST /settings/{tenant}/lever/connect` | Lever toggle: redirects to Lever's consent page |
//! | `POST /settings/{tenant}/greenhouse` | Greenhouse Update: saves the credentials |
//! | `POST /settings/{tenant}/{ats}/sync` | starts a Sync (202) |
//! | `POST /settings/{tenant}/{ats}/disconnect` | disconnects |
//! | `GET /oauth/lever/callback` | completes Lever's consent |

use std::sync::Arc;

use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;

use super::admin::{self, ConnectGreenhouse};
use super::{ServerState, auth};
use crate::connection::{AtsStatus, ConnectionState, GreenhouseSetup, TenantStatus};
use crate::tenant::{Ats, TenantId};

pub(crate) fn router() -> Router<Arc<ServerState>> {
    Router::new()
        .route("/settings/login", get(login_page).post(login))
        .route("/settings/{tenant}", get(page))
        .route("/settings/{tenant}/status.json", get(status_json))
        .route("/settings/{tenant}/lever/connect", post(lever_connect))
        .route("/settings/{tenant}/greenhouse", post(greenhouse_update))
        .route("/settings/{tenant}/{ats}/sync", post(sync))
        .route("/settings/{tenant}/{ats}/disconnect", post(disconnect))
        .route(crate::connection::LEVER_CALLBACK_PATH, get(lever_callback))
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

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;color:#222}\
.card{border:1px solid #ccc;border-radius:8px;padding:1rem 1.5rem;margin:1rem 0}\
.state{font-weight:bold}.active{color:#187a2f}.inactive{color:#b3261e}.never{color:#666}\
progress{width:100%}label{display:block;margin:.4rem 0}input[type=text],input[type=password],input[type=email]{width:100%}\
code{background:#f3f3f3;padding:.1rem .3rem;word-break:break-all}.error{color:#b3261e}";

fn layout(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>{}</title>\
         <meta name=viewport content=\"width=device-width\"><style>{STYLE}</style></head><body>{body}</body></html>",
        escape(title)
    ))
}

fn signed_in(state: &ServerState, headers: &HeaderMap) -> bool {
    auth::has_session(headers, &state.config.admin_token)
}

fn csrf_ok(state: &ServerState, headers: &HeaderMap, field: Option<&str>) -> bool {
    let expected = auth::csrf_value(&state.config.admin_token);
    let given = field.or_else(|| headers.get("x-csrf-token").and_then(|v| v.to_str().ok()));
    given.is_some_and(|g| auth::same_secret(g, &expected))
}

/// A refusal for a POST without a session or CSRF token.
fn forbidden() -> Response {
    (StatusCode::FORBIDDEN, "sign in again").into_response()
}

fn to_login(next: &str) -> Response {
    let next: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
    Redirect::to(&format!("/settings/login?next={next}")).into_response()
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

/// Only the settings pages themselves are valid places to go after sign-in.
fn safe_next(next: Option<&str>) -> String {
    next.filter(|n| n.starts_with("/settings/") && !n.contains("//") && !n.contains('\\'))
        .unwrap_or("/settings/login")
        .to_owned()
}

async fn login_page(Query(next): Query<Next>) -> Html<String> {
    login_form(&safe_next(next.next.as_deref()), None)
}

fn login_form(next: &str, error: Option<&str>) -> Html<String> {
    let error = error
        .map(|e| format!("<p class=error>{}</p>", escape(e)))
        .unwrap_or_default();
    layout(
        "Sign in",
        &format!(
            "<h1>Integrations</h1>{error}<form method=post action=/settings/login>\
             <input type=hidden name=next value=\"{}\">\
             <label>Admin token <input type=password name=token id=token autocomplete=off></label>\
             <button type=submit id=sign-in>Sign in</button></form>",
            escape(next)
        ),
    )
}

#[derive(Deserialize)]
struct Login {
    token: String,
    next: Option<String>,
}

async fn login(State(state): State<Arc<ServerState>>, Form(form): Form<Login>) -> Response {
    let next = safe_next(form.next.as_deref());
    if !auth::same_secret(form.token.trim(), state.config.admin_token.expose()) {
        return (
            StatusCode::UNAUTHORIZED,
            login_form(&next, Some("That token is not valid.")),
        )
            .into_response();
    }
    let secure = if state.config.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800{secure}",
        auth::SESSION_COOKIE,
        auth::session_value(&state.config.admin_token)
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response()
}

fn state_badge(status: &AtsStatus) -> String {
    match &status.state {
        ConnectionState::Active => {
            "<span class=\"state active\" data-state=active>Active</span>".into()
        }
        ConnectionState::Inactive { reason } => format!(
            "<span class=\"state inactive\" data-state=inactive>Inactive</span> <span class=reason>{}</span>",
            escape(reason)
        ),
        ConnectionState::NeverConnected => {
            "<span class=\"state never\" data-state=never>Not connected</span>".into()
        }
    }
}

fn sync_block(tenant: &TenantId, status: &AtsStatus, csrf: &str) -> String {
    let ats = status.ats;
    let (percent, text) = match &status.last_sync {
        Some(s) if s.running => (
            s.percent(),
            format!("Syncing {}…", s.resource.clone().unwrap_or_default()),
        ),
        Some(s) => match &s.error {
            Some(e) => (s.percent(), format!("Sync failed: {e}")),
            None => (100, format!("Sync complete: {} items", s.items)),
        },
        None => (0, "Never synced".into()),
    };
    format!(
        "<p><button type=button id={ats}-sync onclick=\"startSync('{ats}')\">Sync</button> \
         <progress id={ats}-progress max=100 value={percent}></progress> \
         <span id={ats}-sync-text>{}</span></p>\
         <form method=post action=\"/settings/{tenant}/{ats}/disconnect\">\
         <input type=hidden name=csrf value=\"{csrf}\"><button type=submit id={ats}-disconnect>Disconnect</button></form>",
        escape(&text)
    )
}

fn lever_card(tenant: &TenantId, status: &AtsStatus, csrf: &str) -> String {
    let connected = status.state != ConnectionState::NeverConnected;
    let toggle = format!(
        "<form method=post action=\"/settings/{tenant}/lever/connect\">\
         <input type=hidden name=csrf value=\"{csrf}\">\
         <label><input type=checkbox id=lever-toggle {} onchange=\"this.form.submit()\"> Connect Lever</label></form>",
        if connected { "checked disabled" } else { "" }
    );
    let extra = if connected {
        sync_block(tenant, status, csrf)
    } else {
        String::new()
    };
    format!(
        "<section class=card id=lever><h2>Lever</h2><p id=lever-state>{}</p>{toggle}{extra}{}</section>",
        state_badge(status),
        webhook_hints(status)
    )
}

fn webhook_hints(status: &AtsStatus) -> String {
    if status.webhooks_to_create.is_empty() {
        return String::new();
    }
    let items: String = status
        .webhooks_to_create
        .iter()
        .map(|h| format!("<li>{}</li>", escape(&format!("{h:?}"))))
        .collect();
    format!("<details><summary>Webhooks not received yet</summary><ul>{items}</ul></details>")
}

fn greenhouse_card(
    tenant: &TenantId,
    status: &AtsStatus,
    setup: Option<&GreenhouseSetup>,
    csrf: &str,
    error: Option<&str>,
) -> String {
    let error = error
        .map(|e| format!("<p class=error id=greenhouse-error>{}</p>", escape(e)))
        .unwrap_or_default();
    let form = format!(
        "<form method=post action=\"/settings/{tenant}/greenhouse\">\
         <input type=hidden name=csrf value=\"{csrf}\">\
         <label>Harvest client ID <input type=text name=client_id id=gh-client-id autocomplete=off></label>\
         <label>Harvest client secret <input type=password name=client_secret id=gh-client-secret autocomplete=off></label>\
         <label>Your Greenhouse e-mail <input type=email name=admin_email id=gh-admin-email></label>\
         <button type=submit id=greenhouse-update>Update</button></form>"
    );
    let connected = status.state != ConnectionState::NeverConnected;
    let setup = setup
        .map(|s| {
            format!(
                "<p>Webhook endpoint URL: <code id=gh-endpoint>{}</code></p>\
                 <p>Secret key: <code id=gh-secret>{}</code></p>",
                escape(&s.endpoint_url),
                escape(&s.webhook_secret)
            )
        })
        .unwrap_or_default();
    let extra = if connected {
        sync_block(tenant, status, csrf)
    } else {
        String::new()
    };
    format!(
        "<section class=card id=greenhouse><h2>Greenhouse</h2><p id=greenhouse-state>{}</p>{error}{form}{setup}{extra}{}</section>",
        state_badge(status),
        webhook_hints(status)
    )
}

/// Polls the status while a Sync runs and fills the progress bar.
const SCRIPT: &str = r#"<script>
const csrf = document.body.dataset.csrf, tenant = document.body.dataset.tenant;
async function poll(ats) {
  for (;;) {
    const r = await fetch(`/settings/${tenant}/status.json`, {credentials: 'same-origin'});
    if (!r.ok) return;
    const s = (await r.json())[ats], sync = s.last_sync;
    const bar = document.getElementById(`${ats}-progress`), text = document.getElementById(`${ats}-sync-text`);
    if (sync) {
      bar.value = sync.running ? Math.floor(100 * sync.resources_done / Math.max(1, sync.resources_total)) : 100;
      text.textContent = sync.running ? `Syncing ${sync.resource || ''}… ${sync.items} items`
        : (sync.error ? `Sync failed: ${sync.error}` : `Sync complete: ${sync.items} items`);
      if (!sync.running) { location.reload(); return; }
    }
    await new Promise(ok => setTimeout(ok, 300));
  }
}
async function startSync(ats) {
  document.getElementById(`${ats}-sync-text`).textContent = 'Starting…';
  const r = await fetch(`/settings/${tenant}/${ats}/sync`, {method: 'POST', headers: {'x-csrf-token': csrf}, credentials: 'same-origin'});
  if (r.status !== 202) { document.getElementById(`${ats}-sync-text`).textContent = 'Sync could not start: ' + await r.text(); return; }
  poll(ats);
}
</script>"#;

fn render_page(
    tenant: &TenantId,
    status: &TenantStatus,
    setup: Option<&GreenhouseSetup>,
    csrf: &str,
    error: Option<&str>,
) -> Html<String> {
    layout(
        &format!("Integrations – {tenant}"),
        &format!(
            "<h1>Integrations</h1>{}{}{SCRIPT}",
            lever_card(tenant, &status.lever, csrf),
            greenhouse_card(tenant, &status.greenhouse, setup, csrf, error)
        ),
    )
    .0
    .replacen(
        "<body>",
        &format!("<body data-csrf=\"{csrf}\" data-tenant=\"{tenant}\">"),
        1,
    )
    .into()
}

async fn show(state: &ServerState, tenant: &TenantId, error: Option<&str>) -> Response {
    let status = match state.connections.status(tenant).await {
        Ok(status) => status,
        Err(e) => return admin::ApiError::from(e).into_response(),
    };
    let setup = match state.connections.greenhouse_setup(tenant).await {
        Ok(setup) => setup,
        Err(e) => return admin::ApiError::from(e).into_response(),
    };
    let csrf = auth::csrf_value(&state.config.admin_token);
    render_page(tenant, &status, setup.as_ref(), &csrf, error).into_response()
}

fn tenant_of(raw: &str) -> Option<TenantId> {
    TenantId::new(raw).ok()
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "no such page").into_response()
}

async fn page(
    State(state): State<Arc<ServerState>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !signed_in(&state, &headers) {
        return to_login(&format!("/settings/{tenant}"));
    }
    match tenant_of(&tenant) {
        Some(id) => show(&state, &id, None).await,
        None => not_found(),
    }
}

async fn status_json(
    State(state): State<Arc<ServerState>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !signed_in(&state, &headers) {
        return forbidden();
    }
    let Some(id) = tenant_of(&tenant) else {
        return not_found();
    };
    match state.connections.status(&id).await {
        Ok(status) => Json(status).into_response(),
        Err(e) => admin::ApiError::from(e).into_response(),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn lever_connect(
    State(state): State<Arc<ServerState>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !signed_in(&state, &headers) || !csrf_ok(&state, &headers, form.csrf.as_deref()) {
        return forbidden();
    }
    let Some(id) = tenant_of(&tenant) else {
        return not_found();
    };
    match state.connections.start_lever(&id).await {
        Ok(url) => Redirect::to(url.as_str()).into_response(),
        Err(e) => show(&state, &id, Some(&e.to_string())).await,
    }
}

#[derive(Deserialize)]
struct GreenhouseForm {
    csrf: Option<String>,
    client_id: String,
    client_secret: String,
    admin_email: String,
}

async fn greenhouse_update(
    State(state): State<Arc<ServerState>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    Form(form): Form<GreenhouseForm>,
) -> Response {
    if !signed_in(&state, &headers) || !csrf_ok(&state, &headers, form.csrf.as_deref()) {
        return forbidden();
    }
    let Some(id) = tenant_of(&tenant) else {
        return not_found();
    };
    let body = ConnectGreenhouse {
        client_id: form.client_id,
        client_secret: form.client_secret,
        admin_email: form.admin_email,
    };
    match admin::greenhouse_connect(&state, &id, body).await {
        // Post/redirect/get: a reload does not resubmit the credentials.
        Ok(_) => Redirect::to(&format!("/settings/{id}")).into_response(),
        Err(e) => show(&state, &id, Some(&e.message())).await,
    }
}

async fn sync(
    State(state): State<Arc<ServerState>>,
    Path((tenant, ats)): Path<(String, String)>,
    request: Request,
) -> Response {
    let headers = request.headers();
    if !signed_in(&state, headers) || !csrf_ok(&state, headers, None) {
        return forbidden();
    }
    let (Ok(id), Ok(ats)) = (TenantId::new(tenant), ats.parse::<Ats>()) else {
        return not_found();
    };
    match admin::start_sync(&state, &id, ats).await {
        Ok(()) => (StatusCode::ACCEPTED, "started").into_response(),
        Err(e) => e.into_response(),
    }
}

async fn disconnect(
    State(state): State<Arc<ServerState>>,
    Path((tenant, ats)): Path<(String, String)>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !signed_in(&state, &headers) || !csrf_ok(&state, &headers, form.csrf.as_deref()) {
        return forbidden();
    }
    let (Ok(id), Ok(ats)) = (TenantId::new(tenant), ats.parse::<Ats>()) else {
        return not_found();
    };
    match state.connections.disconnect(&id, ats).await {
        Ok(_) => Redirect::to(&format!("/settings/{id}")).into_response(),
        Err(e) => show(&state, &id, Some(&e.to_string())).await,
    }
}

#[derive(Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Lever redirects here after the consent page. The single-use `state`
/// authenticates the call (it is bound to the tenant), so no session is
/// needed; the answer navigates to the settings page.
async fn lever_callback(
    State(state): State<Arc<ServerState>>,
    Query(callback): Query<Callback>,
) -> Response {
    let (Some(code), Some(oauth_state)) = (callback.code, callback.state.clone()) else {
        // A denied consent: the state is spent so it cannot be replayed.
        if let Some(oauth_state) = &callback.state
            && let Err(e) = state.connections.abandon_lever(oauth_state).await
        {
            tracing::info!(error = %e, "denied Lever consent with an unknown state");
        }
        let why = callback
            .error_description
            .or(callback.error)
            .unwrap_or_else(|| "the authorization was not completed".into());
        return (
            StatusCode::BAD_REQUEST,
            layout(
                "Lever",
                &format!(
                    "<h1>Lever was not connected</h1><p class=error>{}</p>",
                    escape(&why)
                ),
            ),
        )
            .into_response();
    };
    match state.connections.complete_lever(&oauth_state, &code).await {
        Ok(tenant) => {
            let to = format!("/settings/{tenant}");
            layout(
                "Lever connected",
                &format!(
                    "<meta http-equiv=refresh content=\"0;url={to}\">\
                     <p>Lever is connected. <a href=\"{to}\">Back to the settings</a></p>"
                ),
            )
            .into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "Lever authorization not completed");
            (
                StatusCode::BAD_REQUEST,
                layout(
                    "Lever",
                    &format!(
                        "<h1>Lever was not connected</h1><p class=error>{}</p>",
                        escape(&e.to_string())
                    ),
                ),
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_next_stays_on_the_settings_pages() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(safe_next(Some("/settings/acme")), "/settings/acme");
        assert_eq!(safe_next(Some("https://evil.example/")), "/settings/login");
        assert_eq!(
            safe_next(Some("/settings//evil.example")),
            "/settings/login"
        );
        assert_eq!(safe_next(None), "/settings/login");
    }
}

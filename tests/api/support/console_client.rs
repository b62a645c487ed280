//! A console user over plain HTTP: signs in with a password, keeps the session cookie, and
//! posts forms with the CSRF token the pages carry. Redirects are not followed, so tests see
//! them.

use hotline::operators::Role;
use hotline::operators::credentials::hash_password;
use hotline::store::OperatorChange;
use reqwest::header::{COOKIE, HeaderMap, LOCATION, SET_COOKIE};
use reqwest::{Response, StatusCode};

use crate::staff::{Staff, add_staff};
use crate::support::helpers::TestApp;

/// Every console user's password in the tests.
pub const PASSWORD: &str = "correct horse battery";

/// Adds an operator with a console password; their API token too.
pub async fn add_console_user(app: &TestApp, name: &str, role: Role, categories: &[&str]) -> Staff {
    let staff = add_staff(app, name, role, categories).await;
    let hash = hash_password(PASSWORD).expect("hash");
    app.store
        .update_operator(name, &OperatorChange::Password(hash))
        .await
        .expect("password set");
    staff
}

/// A client that does not follow redirects.
pub fn client() -> reqwest::Client {
    crate::support::client_builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Posts the sign-in form.
pub async fn post_sign_in(app: &TestApp, name: &str, password: &str) -> Response {
    client()
        .post(format!("{}/operator/sign-in", app.base))
        .form(&[("name", name), ("password", password)])
        .send()
        .await
        .expect("sign-in sent")
}

/// A signed-in console user.
pub struct Console {
    pub base: String,
    pub cookie: String,
    pub client: reqwest::Client,
}

impl Console {
    /// Signs `name` in with the tests' password.
    pub async fn sign_in(app: &TestApp, name: &str) -> Console {
        let response = post_sign_in(app, name, PASSWORD).await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "sign-in of {name}"
        );
        assert_eq!(location(response.headers()), "/operator");
        Console {
            base: app.base.clone(),
            cookie: session_cookie(response.headers()),
            client: client(),
        }
    }

    /// GETs a console path; the status and the body.
    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let response = self.get_raw(path).await;
        let status = response.status();
        (status, response.text().await.expect("body"))
    }

    /// GETs a console path.
    pub async fn get_raw(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.base))
            .header(COOKIE, &self.cookie)
            .send()
            .await
            .expect("request sent")
    }

    /// Posts a form as is.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header(COOKIE, &self.cookie)
            .form(form)
            .send()
            .await
            .expect("request sent")
    }

    /// Posts a form with the CSRF token of the page at `page`.
    pub async fn submit(&self, page: &str, path: &str, fields: &[(&str, &str)]) -> Response {
        let (status, html) = self.get(page).await;
        assert_eq!(status, StatusCode::OK, "{page}: {html}");
        let csrf = csrf_of(&html);
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        self.post(path, &form).await
    }
}

/// The `hotline_session=…` pair a sign-in set.
pub fn session_cookie(headers: &HeaderMap) -> String {
    let set = headers[SET_COOKIE].to_str().expect("ascii");
    let pair = set.split(';').next().expect("a pair");
    assert!(pair.starts_with("hotline_session=hs_"), "{set}");
    pair.to_string()
}

/// Where a redirect goes.
pub fn location(headers: &HeaderMap) -> &str {
    headers
        .get(LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
}

/// The CSRF token in a page's forms.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a form with a csrf field") + marker.len();
    let end = html[start..].find('"').expect("end of the value");
    html[start..start + end].to_string()
}

/// A cheap check that a page's structure closes what it opens: a template that forgets a
/// closing tag shows up here before it shows up in a browser.
pub fn assert_balanced(html: &str) {
    for tag in [
        "html", "head", "body", "header", "nav", "main", "section", "table", "thead", "tbody",
        "tr", "form", "fieldset", "dl", "ul", "ol", "p", "a", "strong", "label", "textarea",
    ] {
        let opened =
            html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
        let closed = html.matches(&format!("</{tag}>")).count();
        assert_eq!(
            opened, closed,
            "<{tag}> opened {opened} times, closed {closed}: {html}"
        );
    }
}

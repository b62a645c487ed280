//! Who is calling the API: the operator behind the bearer token.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use super::error::ApiError;
use crate::http::state::AppState;
use crate::operators::Operator;
use crate::operators::credentials::digest;

/// The operator a request acts for.
pub struct ApiOperator(pub Operator);

impl FromRequestParts<AppState> for ApiOperator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .ok_or_else(ApiError::unauthorized)?;
        let operator = app
            .store
            .operator_by_token(&digest(token))
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        app.desk.saw_activity(&operator).await;
        Ok(ApiOperator(operator))
    }
}

//! Errors of the operator API as JSON with a stable code: `{"error": {"code", "message"}}`.
//! Internal detail is logged, never sent.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::desk::DeskError;
use crate::store::StoreError;

/// An API error response.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    /// No usable bearer token.
    pub fn unauthorized() -> ApiError {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            code: "unauthorized",
            message:
                "send `Authorization: Bearer <token>` with a token from `hotline operators token`"
                    .into(),
        }
    }

    /// Input that makes no sense.
    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid",
            message: message.into(),
        }
    }

    /// The stable code, for tests and logs.
    pub fn code(&self) -> &'static str {
        self.code
    }
}

impl From<DeskError> for ApiError {
    fn from(error: DeskError) -> Self {
        let (status, code) = match &error {
            DeskError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            DeskError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            DeskError::Conflict { code, .. } => (StatusCode::CONFLICT, *code),
            DeskError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            DeskError::Store(inner) => return ApiError::from_store(inner),
        };
        ApiError {
            status,
            code,
            message: error.to_string(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        ApiError::from(DeskError::from(error))
    }
}

impl ApiError {
    fn from_store(error: &StoreError) -> ApiError {
        tracing::error!(%error, "operator API: storage failed");
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "unavailable",
            message: "the database is unavailable; try again in a moment".into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": { "code": self.code, "message": self.message }
        });
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            let challenge = header::HeaderValue::from_static("Bearer");
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, challenge);
        }
        response
    }
}

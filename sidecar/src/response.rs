//! The success half of the response envelope.

use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// `{"success": true, "data": T}`, the body of every successful API response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiResponse<T> {
    /// Always `true`.
    pub success: bool,
    /// The payload.
    pub data: T,
}

impl<T> ApiResponse<T> {
    /// Wrap a payload.
    pub fn ok(data: T) -> Self {
        Self {
            success: true,
            data,
        }
    }
}

impl<T: Serialize> IntoResponse for ApiResponse<T> {
    fn into_response(self) -> Response {
        axum::Json(self).into_response()
    }
}

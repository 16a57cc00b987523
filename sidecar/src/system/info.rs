//! `GET /api/v1/system/info`: which build is running (version, commit, build time, compiler,
//! platform).

use serde::Serialize;
use utoipa::ToSchema;

use crate::response::ApiResponse;

/// What build of the server is running, and where.
#[derive(Debug, Serialize, ToSchema)]
pub struct SystemInfo {
    /// Server version.
    #[schema(example = "0.1.0")]
    pub version: String,
    /// Commit the server was built from (`unknown` outside a git checkout).
    pub git_sha: String,
    /// Build time, RFC 3339 UTC.
    pub build_time: String,
    /// Compiler that built it.
    pub rustc: String,
    /// Operating system (`linux`, `macos`, `windows`).
    pub os: String,
    /// CPU architecture (`x86_64`, `aarch64`).
    pub arch: String,
}

impl SystemInfo {
    /// The running build's facts, fixed at compile time.
    pub fn current() -> Self {
        let build_time = env!("RPMA_BUILD_EPOCH")
            .parse::<i64>()
            .ok()
            .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
            .map_or_else(
                || "unknown".to_owned(),
                |t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            );
        Self {
            version: env!("CARGO_PKG_VERSION").into(),
            git_sha: env!("RPMA_GIT_SHA").into(),
            build_time,
            rustc: env!("RPMA_RUSTC_VERSION").into(),
            os: std::env::consts::OS.into(),
            arch: std::env::consts::ARCH.into(),
        }
    }
}

/// Describe the running build: version, commit, build time, compiler, platform.
#[utoipa::path(
    get,
    path = "/system/info",
    tag = "system",
    responses((status = 200, description = "Build and platform facts", body = ApiResponse<SystemInfo>))
)]
pub async fn get_system_info() -> ApiResponse<SystemInfo> {
    ApiResponse::ok(SystemInfo::current())
}

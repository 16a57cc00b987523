//! The OpenAPI document and the offline API reference page.

use axum::response::IntoResponse;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

use crate::error::ErrorEnvelope;
use crate::state::AppState;

/// Where the document is served.
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";
/// Where the interactive reference is served.
pub const DOCS_PATH: &str = "/api/v1/docs";

/// Name of the bearer scheme that authenticated routes declare.
pub const BEARER: &str = "bearer";
/// Name of the scheme of the event stream's single-use ticket in the query (`ticket`, from
/// `POST /events/ticket`), for clients such as `EventSource` that cannot set a header.
pub const STREAM_TICKET: &str = "stream_ticket";

/// Top-level facts of the document; paths come from the routers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "RPMA API",
        description = "REST API of the RPMA sidecar. Every body is an envelope: \
            `{\"success\":true,\"data\":...}` or `{\"success\":false,\"error\":{\"code\",\"message\",\"details\"}}`. \
            Every text input is capped by its `maxLength`, and no text may contain U+0000 (NUL): \
            either is a `VALIDATION_ERROR` naming the field."
    ),
    components(schemas(
        ErrorEnvelope,
        crate::live::EventKind,
        crate::tasks::TaskSort,
        rpma_shell_protocol::DesktopRequest
    )),
    modifiers(&BearerScheme),
    tags(
        (name = "system", description = "Health, build facts and the API document"),
        (name = "auth", description = "Sign-in, tokens, 2FA, first-run bootstrap and sign-up"),
        (name = "users", description = "Accounts, roles, bans and passwords"),
        (name = "security", description = "Sessions and the security event log"),
        (name = "settings", description = "Application settings"),
        (name = "desktop", description = "The desktop window and notifications, through the shell"),
        (name = "clients", description = "Workshop clients"),
        (name = "tasks", description = "Workshop tasks: list, workflow, assignment, notes, stats, CSV"),
        (name = "interventions", description = "The job done on a task, step by step: start, steps, photos, approval, pause, finalise"),
        (name = "materials", description = "Stock: the catalogue, categories, suppliers, the stock ledger and stats"),
        (name = "quotes", description = "Quotes: lines, totals in cents, the status machine, the PDF, conversion into a task"),
        (name = "calendar", description = "Calendar events, conflicts and task scheduling"),
        (name = "ops", description = "Plant operations (BPM-OS): runbooks, stages, gates, exceptions, lines, OEE, inventory, compliance and the hash-chained log"),
        (name = "events", description = "Live domain events (Server-Sent Events)"),
    )
)]
struct ApiDoc;

/// Declares the `bearer` JWT scheme used by authenticated routes.
struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("JWT")
            .build();
        components.add_security_scheme(BEARER, SecurityScheme::Http(scheme));
        let query = ApiKey::Query(ApiKeyValue::new("ticket"));
        components.add_security_scheme(STREAM_TICKET, SecurityScheme::ApiKey(query));
    }
}

/// An area's routes, each tagged `tag` and behind the bearer token: an area whose every route
/// needs a signed-in caller says so once, here, rather than on each `#[utoipa::path]`. The
/// handlers still check it themselves (their `Authorized<..>` extractors); this is the document.
pub fn signed_in(mut router: OpenApiRouter<AppState>, tag: &str) -> OpenApiRouter<AppState> {
    use utoipa::openapi::security::SecurityRequirement;
    for item in router.get_openapi_mut().paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            operation.tags = Some(vec![tag.to_owned()]);
            // An operation that names its own schemes (another way to send the token) keeps them.
            if operation.security.is_none() {
                let bearer = SecurityRequirement::new(BEARER, Vec::<String>::new());
                operation.security = Some(vec![bearer]);
            }
        }
    }
    router
}

/// The OpenAPI document of this server.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "system",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json", body = Object))
)]
pub async fn get_openapi() -> impl IntoResponse {
    // Built on demand: it is fetched rarely (by the docs page and tools) and costs about 12 ms
    // of CPU (see `routing::routes`), less than keeping its 345 kB for the life of the server.
    axum::Json(document())
}

/// The API's routes under `/api/v1` and their document.
pub fn api() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let v1 = OpenApiRouter::new()
        .merge(crate::system::router())
        .merge(crate::auth::router())
        .merge(signed_in(crate::auth::signed_in_router(), "auth"))
        .merge(signed_in(crate::users::router(), "users"))
        .merge(signed_in(crate::security::router(), "security"))
        .merge(signed_in(crate::settings::router(), "settings"))
        .merge(signed_in(crate::desktop::router(), "desktop"))
        .merge(signed_in(crate::clients::router(), "clients"))
        .merge(signed_in(crate::tasks::router(), "tasks"))
        .merge(signed_in(crate::interventions::router(), "interventions"))
        .merge(signed_in(crate::materials::router(), "materials"))
        .merge(signed_in(crate::quotes::router(), "quotes"))
        .merge(signed_in(crate::calendar::router(), "calendar"))
        .merge(signed_in(crate::live::router(), "events"))
        .nest("/ops", signed_in(crate::ops::router(), "ops"))
        .routes(crate::routing::routes!(get_openapi));
    let (router, mut document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .split_for_parts();
    add_default_error_response(&mut document);
    (router, document)
}

/// The API's routes as [`api`] builds them, with a skeleton of the document (each path and its
/// methods, no operation's detail and no schema): what the server serves. Building them skips
/// what only the document needs (see [`crate::routing::routes`]): 3.4 ms instead of 12.
pub fn routes_only() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    crate::routing::without_document(api)
}

/// The OpenAPI document, as `make openapi` writes it to `openapi/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    api().1
}

/// Declare the error envelope where every operation can produce it: `default` (timeout,
/// internal error, bad input caught by an extractor) everywhere, and 401 / 403 on operations
/// that need a bearer token.
fn add_default_error_response(document: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let envelope = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorEnvelope")))
                    .build(),
            )
            .build()
    };
    let default = envelope("Any other failure, as the error envelope; `error.code` says which");
    let unauthorized =
        envelope("`AUTH_ERROR`: missing, invalid or expired token, or ended session");
    let forbidden = envelope("`AUTHORIZATION_ERROR`: the caller's role may not do this");
    for item in document.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
            let responses = &mut operation.responses.responses;
            if secured {
                responses
                    .entry("401".into())
                    .or_insert_with(|| unauthorized.clone().into());
                responses
                    .entry("403".into())
                    .or_insert_with(|| forbidden.clone().into());
            }
            responses
                .entry("default".into())
                .or_insert_with(|| default.clone().into());
        }
    }
}

/// Swagger UI from assets compiled into the binary; no network needed.
pub fn docs() -> SwaggerUi {
    let config = SwaggerConfig::new([OPENAPI_PATH])
        .validator_url("none")
        .try_it_out_enabled(true);
    SwaggerUi::new(DOCS_PATH).config(config)
}

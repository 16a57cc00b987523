//! How an area declares its routes: [`routes!`], which routes each handler where its
//! `#[utoipa::path]` says and describes it for the OpenAPI document, unless the routers are
//! being built for the server alone ([`without_document`]).

std::thread_local! {
    /// Whether [`routes!`] declares its operations in full (see [`without_document`]).
    static DOCUMENTING: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Whether the routers being built on this thread describe their operations for the document.
#[doc(hidden)]
pub fn documenting() -> bool {
    DOCUMENTING.get()
}

/// `utoipa_axum::routes!`, which every area declares its routes with, except that while
/// [`without_document`] builds the routers it skips what only the document needs: each
/// operation's description and the schemas of its bodies, which `utoipa_axum::routes!` builds
/// again for every route (the task's schema for each route that returns a task, the error
/// envelope's 119 times). Each handler is still routed at the path and methods of its
/// `#[utoipa::path]`, read as `utoipa_axum::routes!` reads them, so the server and the document
/// cannot disagree on a route (`tests/system.rs` compares them).
///
/// Measured (release, 2 cores, each built 5 times in a loop): `openapi::api`, the routers with
/// their document, takes 8.5 ms with glibc's malloc and 12 ms with the sidecar's jemalloc for
/// 67 operations, on the path of every start-up; `openapi::routes_only` takes 1.2 ms with glibc
/// and 3.4 ms with jemalloc.
macro_rules! routes {
    ( $( $( $part:ident )::+ ),+ $(,)? ) => {
        if $crate::routing::documenting() {
            utoipa_axum::routes!( $( $( $part )::+ ),+ )
        } else {
            #[allow(unused_imports)]
            use utoipa_axum::PathItemExt as _;
            let mut paths = utoipa::openapi::path::Paths::new();
            let mut method_router = axum::routing::MethodRouter::new();
            $(
                let path: String = utoipa_axum::routes!( @path [path()] of $( $part )::+ );
                let methods: Vec<utoipa::openapi::HttpMethod> =
                    utoipa_axum::routes!( @path [methods()] of $( $part )::+ );
                method_router = methods.iter().fold(method_router, |router, method| {
                    router.on(method.to_method_filter(), $( $part )::+)
                });
                paths.add_path_operation(&path, methods, utoipa::openapi::path::Operation::new());
            )+
            (Vec::new(), paths, method_router)
        }
    };
}
pub(crate) use routes;

/// Run `build` (which builds routers) with every [`routes!`] on this thread routing its handlers
/// without describing them: the server's routes, without the document's cost.
pub fn without_document<T>(build: impl FnOnce() -> T) -> T {
    /// Puts the default back however `build` ends.
    struct Restore;
    impl Drop for Restore {
        fn drop(&mut self) {
            DOCUMENTING.set(true);
        }
    }
    DOCUMENTING.set(false);
    let _restore = Restore;
    build()
}

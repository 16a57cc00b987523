//! How one message of `GET /api/v1/events` looks on the wire, for the OpenAPI document: in
//! OpenAPI 3.1 the schema of a `text/event-stream` response describes each event as a client
//! parses it (`event`, `id`, `data`), so clients and API testers can check every message,
//! the opening `ready` one included.

use std::borrow::Cow;

use utoipa::openapi::schema::{Object, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use crate::live::{DomainEvent, EventKind};

/// One Server-Sent Event of the stream: `ready` first (data `{}`), then a domain event per
/// message (`event: <kind>`, `id: <seq>`, `data: <DomainEvent JSON>`), or `lagged` (data: how
/// many events were missed).
pub struct StreamMessage;

fn message(event: RefOr<Schema>, data: impl Into<RefOr<Schema>>, with_id: bool) -> ObjectBuilder {
    let mut object = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("event", event)
        .required("event")
        .property("data", data)
        .required("data");
    if with_id {
        let id = ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some("^[0-9]+$"));
        object = object.property("id", id).required("id");
    }
    object
}

fn named(event: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some([event]))
        .into()
}

fn json_data(schema: RefOr<Schema>) -> Object {
    let mut data = ObjectBuilder::new()
        .schema_type(Type::String)
        .content_media_type("application/json")
        .build();
    data.content_schema = Some(Box::new(schema));
    data
}

impl PartialSchema for StreamMessage {
    fn schema() -> RefOr<Schema> {
        let empty = ObjectBuilder::new()
            .schema_type(Type::Object)
            .max_properties(Some(0))
            .into();
        let ready = message(named("ready"), json_data(empty), false)
            .description(Some("Sent once, when the stream opens."));
        let lagged = message(
            named("lagged"),
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^[0-9]+$")),
            false,
        )
        .description(Some("The client fell behind by this many events: refetch."));
        let event = message(
            Ref::from_schema_name(EventKind::name()).into(),
            json_data(Ref::from_schema_name(DomainEvent::name()).into()),
            true,
        )
        .description(Some("A domain event."));
        OneOfBuilder::new()
            .item(ready)
            .item(lagged)
            .item(event)
            .into()
    }
}

impl ToSchema for StreamMessage {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("StreamMessage")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((EventKind::name().into(), EventKind::schema()));
        schemas.push((DomainEvent::name().into(), DomainEvent::schema()));
        EventKind::schemas(schemas);
        DomainEvent::schemas(schemas);
    }
}

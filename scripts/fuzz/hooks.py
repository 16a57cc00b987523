"""Schemathesis hooks of `make test-fuzz`: sign in as the admin that run.py made.

A fuzzed call may end the admin's session (`POST /auth/logout`, a revoked session, a password
change). Schemathesis then gets a 401, drops the cached token and calls `get` again, so the run
goes on signed in instead of testing the rest of the API with a dead token.
"""

import json
import os
import re

import jsonschema_rs
import requests
import schemathesis

BASE = os.environ["RPMA_FUZZ_BASE"]


# The access token lasts 2 h; the run takes minutes, so only a 401 (a session ended by a fuzzed
# call) makes the provider sign in again.
@schemathesis.auth(refresh_interval=3600, retry_on=[401])
class AdminToken:
    # Admins run.py made; one locked out by fuzzed wrong passwords (`RATE_LIMITED`) gives way to
    # the next.
    accounts = json.loads(os.environ["RPMA_FUZZ_ACCOUNTS"])

    def get(self, case, context):
        while True:
            email, password = self.accounts[0]
            response = requests.post(
                f"{BASE}/api/v1/auth/login",
                json={"email": email, "password": password},
                timeout=30,
            )
            if response.status_code == 429 and len(self.accounts) > 1:
                self.accounts.pop(0)
                continue
            response.raise_for_status()
            return response.json()["data"]["access_token"]

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


# Rules the server checks that a JSON Schema cannot state: they compare two fields, look at
# stored rows (an id must name a live row, a password must be the account's), or depend on the
# entity's state. A request that breaks only these may be refused with `VALIDATION_ERROR`
# although the document allows it; every other rule is in the document, so any other 400 on
# schema-valid data fails the run. Keys: operation; values: field → the rule.
RULES_BEYOND_THE_SCHEMA = {
    "GET /api/v1/tasks": {"to": "not before `from`"},
    "GET /api/v1/tasks/export.csv": {"to": "not before `from`"},
    "GET /api/v1/tasks/stats": {"to": "not before `from`"},
    "GET /api/v1/tasks/availability": {
        "start": "given together with `end`",
        "end": "given together with `start`, and after it",
    },
    "POST /api/v1/tasks": {
        "client_id": "a live client",
        "technician_id": "an active technician",
        "end_time": "after `start_time`, and given with it",
        "start_time": "given with `end_time`",
        "status": "a status a new task may start in",
    },
    "PATCH /api/v1/tasks/{id}": {
        "client_id": "a live client",
        "technician_id": "an active technician",
        "end_time": "after `start_time`, and given with it",
        "start_time": "given with `end_time`",
    },
    "POST /api/v1/tasks/{id}/transition": {
        "reason": "required by some moves",
        "to": "a move the task's fields allow (`assigned` needs a technician)",
    },
    "POST /api/v1/tasks/{id}/delay": {"scheduled_date": "differs from the current day"},
    "POST /api/v1/tasks/{id}/assign": {"technician_id": "an active technician"},
    "POST /api/v1/tasks/import": {"header": "the CSV's columns", "body": "the CSV's rows"},
    "POST /api/v1/calendar/events": {
        "end_datetime": "after `start_datetime`",
        "task_id": "a live task",
        "client_id": "a live client",
        "technician_id": "an active technician",
        "participants": "existing users",
    },
    "PATCH /api/v1/calendar/events/{id}": {
        "end_datetime": "after `start_datetime`",
        "task_id": "a live task",
        "client_id": "a live client",
        "technician_id": "an active technician",
        "participants": "existing users",
    },
    "POST /api/v1/interventions": {"photo_minimums": "0-20 photos, at most the step's limit"},
    "POST /api/v1/interventions/{id}/finalize": {
        "customer_signature.svg_data": "a drawing: well-formed SVG holding a shape",
        "customer_signature.signatory": "not blank",
    },
    "PUT /api/v1/interventions/{id}/steps/{step_id}": {
        "collected_data": "shaped by the step's type",
        "measurements": "named in 1-100 characters",
    },
    "POST /api/v1/interventions/{id}/steps/{step_id}/advance": {
        "collected_data": "shaped by the step's type",
        "measurements": "named in 1-100 characters",
    },
    "POST /api/v1/interventions/{id}/steps/{step_id}/reject": {"rejection_reason": "not blank"},
    "POST /api/v1/interventions/{id}/steps/{step_id}/photos": {"photo": "a JPEG, PNG or WebP image in a well-formed form"},
    "POST /api/v1/calendar/conflicts": {"end": "after `start`", "technician_id": "a technician"},
    "POST /api/v1/calendar/schedule-task": {
        # A whole-minute pattern on top of `format: date-time` leaves the generator too few
        # strings to find; the rule stays in the field's description.
        "start": "a whole minute",
        "end": "a whole minute, after `start`, on the same UTC day",
        "technician_id": "an active technician",
        "task_id": "a live task",
    },
    "GET /api/v1/calendar/events": {"to": "after `from`"},
    "POST /api/v1/clients": {"company_name": "required for business clients"},
    "PATCH /api/v1/clients/{id}": {"company_name": "required for business clients"},
    "GET /api/v1/materials/stats": {"from": "not after `to`"},
    "POST /api/v1/materials": {
        "category_id": "an existing category",
        "supplier_id": "an existing supplier",
        "minimum_stock": "at most three decimals",
        "maximum_stock": "at most three decimals, at least `minimum_stock`",
        "reorder_point": "at most three decimals",
        "initial_stock": "at most three decimals",
        "expiry_date": "a real day",
    },
    "PATCH /api/v1/materials/{id}": {
        "category_id": "an existing category",
        "supplier_id": "an existing supplier",
        "minimum_stock": "at most three decimals",
        "maximum_stock": "at most three decimals, at least `minimum_stock`",
        "reorder_point": "at most three decimals",
        "initial_stock": "only for a new material",
        "expiry_date": "a real day",
    },
    "POST /api/v1/materials/{id}/stock": {
        "quantity": "more than 0 but for an adjustment or a transfer; at most three decimals",
        "notes": "required for an adjustment or waste",
        "to_location": "required for a transfer, and only for one",
    },
    "POST /api/v1/materials/categories": {"parent_id": "an existing category, not below itself"},
    "PATCH /api/v1/materials/categories/{id}": {"parent_id": "an existing category, not below itself"},
    "POST /api/v1/interventions/{id}/consumption": {
        "quantity_used": "used + waste more than 0; at most three decimals",
        "waste_quantity": "at most three decimals",
        "waste_reason": "required with waste",
        "step_id": "a step of this intervention",
    },
    "POST /api/v1/quotes": {
        "vehicle_year": "1900-2100",
        "client_id": "a live client",
        "task_id": "a live task",
        "valid_until": "a real day, not in the past",
        "discount_type": "required with a discount_value",
        "discount_value": "at most 10000 for a percentage",
        "label": "a line's label, or its material_id",
        "qty": "a line's quantity: at most three decimals",
        "tax_rate": "a line's rate: at most two decimals",
        "unit_price": "discount lines not above the other lines",
        "material_id": "a live material",
    },
    "PATCH /api/v1/quotes/{id}": {
        "vehicle_year": "1900-2100",
        "client_id": "a live client",
        "task_id": "a live task",
        "valid_until": "a real day, not in the past",
        "items": "only on create",
        "discount_type": "required with a discount_value",
        "discount_value": "at most 10000 for a percentage",
        "unit_price": "discount lines not above the other lines",
    },
    "POST /api/v1/quotes/{id}/items": {
        "label": "its label, or its material_id",
        "qty": "at most three decimals",
        "tax_rate": "at most two decimals",
        "unit_price": "discount lines not above the other lines",
        "material_id": "a live material",
        "items": "at most 200 lines",
    },
    "PATCH /api/v1/quotes/{id}/items/{item_id}": {
        "qty": "at most three decimals",
        "tax_rate": "at most two decimals",
        "unit_price": "discount lines not above the other lines",
        "material_id": "a live material",
    },
    "PUT /api/v1/quotes/{id}/items/order": {"item_ids": "each line of the quote exactly once"},
    "POST /api/v1/quotes/{id}/status": {"items": "a quote with lines, to be sent"},
    "POST /api/v1/quotes/{id}/convert": {
        "vehicle_plate": "the task's: from the quote",
        "vehicle_model": "the task's: from the quote or the request",
        "ppf_zones": "the task's: from the quote, at least one",
        "scheduled_date": "a real day",
        "start_time": "given with `end_time`",
        "end_time": "after `start_time`, and given with it",
        "technician_id": "an active technician",
    },
    "GET /api/v1/ops/lines/{lineId}/oee": {"from": "before `to`, at most 366 days before"},
    "PUT /api/v1/ops/lines/{lineId}/stations/{stationId}": {
        "blockedReason": "given, not blank, exactly when the state is `Blocked`",
    },
    "POST /api/v1/ops/lines/{lineId}/telemetry": {
        "intervals[].end": "after `start`, at most a day after",
        "intervals[].plannedMs": "at most the interval's length",
        "intervals[].runMs": "at most `plannedMs`",
        "intervals[].goodCount": "at most `totalCount`",
    },
    "POST /api/v1/ops/exceptions": {
        "type": "not blank",
        "owner": "not blank",
        "description": "not blank",
        "stageId": "a stage of `runbookId`",
    },
    "POST /api/v1/ops/exceptions/{id}/transition": {"note": "required to resolve"},
    "PUT /api/v1/ops/inventory/items/{id}": {"exceptionRef": "an existing exception"},
    "POST /api/v1/ops/runbooks/{runbookId}/stages/{stageId}/gate": {"evidence": "required to lock"},
    "POST /api/v1/window": {"value": "only with `fullscreen` (optional) and `set_always_on_top` (required)"},
    "POST /api/v1/auth/2fa/confirm": {"code": "the authenticator's current code"},
    "POST /api/v1/auth/2fa/disable": {"password": "the account's password"},
    "POST /api/v1/auth/2fa/backup-codes": {"password": "the account's password"},
    "PUT /api/v1/me/password": {
        "current_password": "the account's password",
        "new_password": "differs from the current one",
    },
}

ACCEPTED = ("2", "3")
# Refusals that say nothing about the data's shape: no session, no right, no such row, a
# conflict with stored rows, a rate limit, or a documented 503 (no desktop shell).
NOT_ABOUT_THE_DATA = {401, 403, 404, 409, 429, 503}


DOCUMENT = json.load(open(os.path.join(os.path.dirname(__file__), "..", "..", "openapi", "openapi.json")))
_validators = {}


def _body_validator(label):
    """A validator of the operation's JSON body, with the document's components to resolve."""
    if label not in _validators:
        method, path = label.split(" ", 1)
        body = DOCUMENT["paths"][path][method.lower()].get("requestBody", {})
        schema = body.get("content", {}).get("application/json", {}).get("schema")
        _validators[label] = (
            None
            if schema is None
            else jsonschema_rs.validator_for(
                {**schema, "components": DOCUMENT["components"]}, validate_formats=True
            )
        )
    return _validators[label]


def _within_the_document(case, label):
    """Whether the body really satisfies the document. The generator approximates `\\p{..}`
    classes with Latin ranges that hold a few letters of the other case, so a body it calls
    valid may not be; such a body says nothing about the server."""
    validator = _body_validator(label)
    if validator is None or case.body is None or not isinstance(case.body, (dict, list)):
        return True
    try:
        return validator.is_valid(case.body)
    except ValueError:
        return True


@schemathesis.check
def valid_data_accepted(ctx, response, case):
    """Schema-valid data is accepted, unless it breaks only a rule the schema cannot state."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    status = response.status_code
    if str(status)[0] in ACCEPTED or status in NOT_ABOUT_THE_DATA:
        return None
    label = f"{case.operation.method.upper()} {case.operation.path}"
    if status == 400:
        try:
            error = response.json()["error"]
        except (ValueError, KeyError, TypeError):
            error = {}
        # `intervals[3].runMs` is the rule of `intervals[].runMs`.
        fields = {re.sub(r"\[\d+\]", "[]", f) for f in (error.get("details") or {}).keys()}
        beyond = RULES_BEYOND_THE_SCHEMA.get(label, {})
        if error.get("code") == "VALIDATION_ERROR" and fields and fields <= set(beyond):
            return None
        if not _within_the_document(case, label):
            return None
    raise AssertionError(
        f"schema-valid request refused with {status}: {response.text[:500]}"
    )

import { ApiError, errorMessage } from "@/api/errors";
import { FormLevelError } from "@/components/field";
import type { Booking } from "./api";

function isBooking(value: unknown): value is Booking {
  if (typeof value !== "object" || value === null) return false;
  const b = value as Record<string, unknown>;
  return typeof b.title === "string" && typeof b.start === "string" && typeof b.end === "string";
}

/** The bookings a `409 CONFLICT` names in `details.conflicts` (none for other errors). */
export function bookingConflicts(error: unknown): Booking[] {
  if (!(error instanceof ApiError) || error.code !== "CONFLICT") return [];
  const conflicts = error.details?.conflicts;
  return Array.isArray(conflicts) ? conflicts.filter(isBooking) : [];
}

const timeFormat: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" };

function span(booking: Booking): string {
  const start = new Date(booking.start);
  const end = new Date(booking.end);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return `${booking.start} – ${booking.end}`;
  const sameDay = start.toDateString() === end.toDateString();
  return `${start.toLocaleString(undefined, timeFormat)} – ${sameDay ? end.toLocaleTimeString(undefined, { timeStyle: "short" }) : end.toLocaleString(undefined, timeFormat)}`;
}

/**
 * A failed request's form-level line (what no field in `shown` carries, see `FormLevelError`), and
 * when the technician is booked, the bookings in the way.
 */
export function RequestError({ error, shown = [] }: { error: unknown; shown?: readonly string[] }) {
  if (!error) return null;
  const conflicts = bookingConflicts(error);
  if (conflicts.length === 0) return <FormLevelError error={error} shown={shown} />;
  return (
    <div className="form-error booking-conflicts" role="alert">
      <p>{errorMessage(error)}</p>
      <p>Already booked:</p>
      <ul>
        {conflicts.map((c) => (
          <li key={`${c.kind}-${c.id}`}>
            <strong>{c.title}</strong> <span className="badge">{c.kind === "event" ? "calendar event" : "task"}</span> {span(c)}
          </li>
        ))}
      </ul>
    </div>
  );
}

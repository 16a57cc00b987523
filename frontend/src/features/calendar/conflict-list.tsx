import type { Booking } from "./api";
import { formatSlot } from "./format";

/** The bookings that stand in the way of a slot. */
export function ConflictList({ conflicts, intro = "The technician is already booked then:" }: { conflicts: Booking[]; intro?: string }) {
  if (conflicts.length === 0) return null;
  return (
    <div className="cal-conflicts" data-testid="conflicts" role="alert">
      <strong>{intro}</strong>
      <ul>
        {conflicts.map((booking) => (
          <li key={`${booking.kind}-${booking.id}`}>
            <span className="cal-conflict-title">{booking.title}</span>{" "}
            <span className="cal-conflict-time">{formatSlot(new Date(booking.start), new Date(booking.end))}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

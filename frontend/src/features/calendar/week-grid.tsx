import type { CSSProperties } from "react";
import type { CalendarEvent } from "./api";
import { formatDay, formatHour, formatLongDay, formatTime } from "./format";
import { addDays, dayBox, layoutLanes, localDateString, overlaps, visibleHours } from "./week";

interface Timed {
  event: CalendarEvent;
  start: Date;
  end: Date;
}

function EventButton({
  item,
  who,
  selected,
  onSelect,
  style,
  compact,
}: {
  item: Timed;
  who: string | undefined;
  selected: boolean;
  onSelect: (id: string) => void;
  style?: CSSProperties;
  compact?: boolean;
}) {
  const { event, start, end } = item;
  const when = event.all_day ? "All day" : `${formatTime(start)}–${formatTime(end)}`;
  return (
    <button
      type="button"
      className={`cal-event type-${event.event_type} status-${event.status}${selected ? " selected" : ""}${compact ? " compact" : ""}`}
      data-testid="calendar-event"
      style={style}
      aria-pressed={selected}
      title={`${event.title} · ${when}${who ? ` · ${who}` : ""}`}
      onClick={() => onSelect(event.id)}
    >
      <span className="cal-event-title">{event.title}</span>
      <span className="cal-event-time">{when}</span>
      {who && <span className="cal-event-who">{who}</span>}
    </button>
  );
}

/**
 * Monday-to-Sunday columns, hour rows (07:00–20:00, wider when an event needs it), events placed
 * by their local start and end; overlapping events share their column side by side.
 */
export function WeekGrid({
  days,
  events,
  names,
  selectedId,
  onSelect,
  now,
}: {
  days: Date[];
  events: CalendarEvent[];
  names: Map<string, string>;
  selectedId: string | null;
  onSelect: (id: string) => void;
  now: Date;
}) {
  const items: Timed[] = events.map((event) => ({ event, start: new Date(event.start_datetime), end: new Date(event.end_datetime) }));
  const timed = items.filter((item) => !item.event.all_day);
  const allDay = items.filter((item) => item.event.all_day);
  const hours = visibleHours(timed, days);
  const rows = hours.end - hours.start;
  const today = localDateString(now);
  const who = (event: CalendarEvent) => (event.technician_id ? names.get(event.technician_id) ?? "Technician" : undefined);

  const nowMinutes = now.getHours() * 60 + now.getMinutes();
  const nowTop = ((nowMinutes - hours.start * 60) / (rows * 60)) * 100;

  return (
    <div className="cal-week" data-testid="calendar-week" style={{ "--cal-rows": rows } as CSSProperties}>
      <div className="cal-head" aria-hidden="true">
        <div className="cal-corner" />
        {days.map((day) => (
          <div key={day.getTime()} className={`cal-day-head${localDateString(day) === today ? " today" : ""}`}>
            {formatDay(day)}
          </div>
        ))}
      </div>

      {allDay.length > 0 && (
        <div className="cal-allday">
          <div className="cal-gutter-label">All day</div>
          {days.map((day) => {
            const next = addDays(day, 1);
            const todays = allDay.filter((item) => overlaps(item.start, item.end, day, next) || item.start.getTime() === day.getTime());
            return (
              <div key={day.getTime()} className="cal-allday-cell" aria-label={`${formatLongDay(day)}, all day`} role="group">
                {todays.map((item) => (
                  <EventButton key={item.event.id} item={item} who={who(item.event)} selected={item.event.id === selectedId} onSelect={onSelect} compact />
                ))}
              </div>
            );
          })}
        </div>
      )}

      <div className="cal-body">
        <div className="cal-gutter" aria-hidden="true">
          {Array.from({ length: rows }, (_, i) => (
            <div key={i} className="cal-hour-label">
              {formatHour(hours.start + i)}
            </div>
          ))}
        </div>
        {days.map((day) => {
          const placed = timed
            .map((item) => ({ item, box: dayBox(item.start, item.end, day, hours) }))
            .filter((entry): entry is { item: Timed; box: NonNullable<typeof entry.box> } => entry.box !== null);
          const lanes = layoutLanes(placed.map(({ item, box }) => ({ id: item.event.id, start: box.top, end: box.top + box.height })));
          const isToday = localDateString(day) === today;
          return (
            <div key={day.getTime()} className={`cal-day${isToday ? " today" : ""}`} role="group" aria-label={formatLongDay(day)}>
              {placed.map(({ item, box }) => {
                const lane = lanes.get(item.event.id) ?? { column: 0, columns: 1 };
                const width = 100 / lane.columns;
                const style: CSSProperties = {
                  top: `${box.top}%`,
                  height: `${box.height}%`,
                  left: `calc(${lane.column * width}% + 2px)`,
                  width: `calc(${width}% - 4px)`,
                };
                return (
                  <EventButton
                    key={item.event.id}
                    item={item}
                    who={who(item.event)}
                    selected={item.event.id === selectedId}
                    onSelect={onSelect}
                    style={style}
                    compact={box.height < (45 / (rows * 60)) * 100}
                  />
                );
              })}
              {isToday && nowTop >= 0 && nowTop <= 100 && <div className="cal-now" style={{ top: `${nowTop}%` }} aria-hidden="true" />}
            </div>
          );
        })}
      </div>
    </div>
  );
}

import { useEffect, useState, type FormEvent } from "react";
import { SelectField, TextField } from "@/components/field";
import type { User } from "@/api/session";
import { ClientPicker } from "@/components/client-picker";
import { readFilters, type TaskFilters } from "./task-filters";
import { PRIORITIES, priorityLabel, STATUSES, statusLabel, type TaskStatus } from "@/components/task-labels";
import { personName } from "@/lib/technicians";
import { SORTS, type TaskSort } from "./task-labels";

/**
 * The list's filters. Choices apply at once; the search applies on Enter (or "Search"), so the
 * list is not refetched on every keystroke. `onChange` gets the whole new filter set.
 */
export function TaskFilterForm({
  filters,
  onChange,
  technicians,
}: {
  filters: TaskFilters;
  onChange: (filters: TaskFilters) => void;
  /** Technicians to filter by; `null` hides the filter (roles that may not list users). */
  technicians: readonly User[] | null;
}) {
  const [q, setQ] = useState(filters.q);
  // A new URL (back button, "Clear") brings its own search text.
  useEffect(() => setQ(filters.q), [filters.q]);

  const set = (changes: Partial<TaskFilters>) => onChange({ ...filters, ...changes, offset: 0 });
  const toggleStatus = (status: TaskStatus, on: boolean) =>
    set({ status: on ? [...filters.status, status] : filters.status.filter((s) => s !== status) });
  const search = (event: FormEvent) => {
    event.preventDefault();
    set({ q });
  };

  return (
    <form className="card task-filters" onSubmit={search} role="search" aria-label="Filter tasks">
      <div className="row">
        <div className="field task-search">
          <label htmlFor="task-search">Search</label>
          <div className="task-search-inputs">
            <input
              id="task-search"
              type="search"
              placeholder="Number, title, plate, model, customer…"
              value={q}
              onChange={(e) => setQ(e.target.value)}
            />
            <button type="submit" className="button">
              Search
            </button>
          </div>
        </div>
        <SelectField
          label="Priority"
          value={filters.priority}
          onChange={(e) => set({ priority: e.target.value as TaskFilters["priority"] })}
          options={[["", "Any priority"], ...PRIORITIES.map((p) => [p, priorityLabel(p)] as const)]}
        />
        {technicians && (
          <SelectField
            label="Technician"
            value={filters.technician_id}
            onChange={(e) => set({ technician_id: e.target.value })}
            options={[["", "Any technician"], ...technicians.filter((t) => t.is_active || t.id === filters.technician_id).map((t) => [t.id, personName(t)] as const)]}
          />
        )}
        <ClientPicker value={filters.client_id} onChange={(client_id) => set({ client_id })} emptyLabel="Any client" />
      </div>
      <div className="row">
        <TextField label="From" type="date" value={filters.from} onChange={(e) => set({ from: e.target.value })} />
        <TextField label="To" type="date" value={filters.to} onChange={(e) => set({ to: e.target.value })} />
        <SelectField label="Sort" value={filters.sort || SORTS[0]?.[0]} onChange={(e) => set({ sort: e.target.value as TaskSort })} options={SORTS} />
      </div>
      <fieldset className="status-filter">
        <legend>Status</legend>
        {STATUSES.map((status) => (
          <label key={status} className="check">
            <input type="checkbox" checked={filters.status.includes(status)} onChange={(e) => toggleStatus(status, e.target.checked)} />
            {statusLabel(status)}
          </label>
        ))}
      </fieldset>
      <div className="task-filters-footer">
        <button
          type="button"
          className="button"
          onClick={() => onChange(readFilters(new URLSearchParams()))}
        >
          Clear filters
        </button>
      </div>
    </form>
  );
}

import { useId, useState } from "react";
import { useClientOption, useClientOptions } from "@/lib/client-options";

/**
 * A "Client" select over the first 100 clients matching a search (there may be thousands), with
 * the chosen client kept as an option even when the search no longer matches it.
 */
export function ClientPicker({
  value,
  onChange,
  errors,
  emptyLabel,
}: {
  value: string;
  onChange: (clientId: string) => void;
  errors?: string[] | undefined;
  /** The text of the empty option ("Any client", "No client"). */
  emptyLabel: string;
}) {
  const id = useId();
  const [search, setSearch] = useState("");
  const options = useClientOptions(search.trim());
  const clients = options.data?.items ?? [];
  const chosenMissing = Boolean(value) && !clients.some((c) => c.id === value);
  const chosen = useClientOption(chosenMissing ? value : "");
  const invalid = Boolean(errors?.length);
  const name = (c: { name: string; company_name?: string | null }) => (c.company_name ? `${c.name} (${c.company_name})` : c.name);

  return (
    <div className={`field client-picker${invalid ? " invalid" : ""}`}>
      <label htmlFor={id}>Client</label>
      <div className="client-picker-inputs">
        <input
          type="search"
          aria-label="Search by name, email or phone"
          placeholder="Search…"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <select
          id={id}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={invalid}
          aria-describedby={invalid ? `${id}-error` : undefined}
          aria-busy={options.isFetching}
        >
          <option value="">{emptyLabel}</option>
          {chosenMissing && <option value={value}>{chosen.data ? name(chosen.data) : "Current client"}</option>}
          {clients.map((c) => (
            <option key={c.id} value={c.id}>
              {name(c)}
            </option>
          ))}
        </select>
      </div>
      {options.error && <small className="field-error">Clients could not be loaded.</small>}
      {options.data && options.data.total > clients.length && (
        <small className="hint">
          Showing {clients.length} of {options.data.total}; type to narrow.
        </small>
      )}
      {invalid && (
        <small className="field-error" id={`${id}-error`} role="alert">
          {errors?.join(" ")}
        </small>
      )}
    </div>
  );
}

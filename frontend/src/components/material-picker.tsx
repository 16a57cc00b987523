import { useId, useState } from "react";
import { Link } from "react-router-dom";
import type { components } from "@/api/schema";
import { useMaterialOptions } from "@/lib/material-options";
import { formatQuantity } from "@/lib/quantity";

type Material = components["schemas"]["Material"];

/** A material as an option: its SKU, name and stock. */
const stockText = (m: Material) => `${m.sku} · ${m.name} (${formatQuantity(m.current_stock, m.unit_of_measure)} in stock${m.is_low_stock ? ", low" : ""})`;

/**
 * A "Material" select over the first 100 active materials matching a search, with the chosen one
 * kept as an option even when the search no longer matches it. `optionText` says what each
 * option shows (by default its stock).
 */
export function MaterialPicker({
  value,
  onChange,
  errors,
  emptyLabel = "Choose a material",
  optionText = stockText,
}: {
  value: Material | null;
  onChange: (material: Material | null) => void;
  errors?: string[] | undefined;
  emptyLabel?: string;
  optionText?: (material: Material) => string;
}) {
  const id = useId();
  const [search, setSearch] = useState("");
  const options = useMaterialOptions(search.trim());
  const materials = options.data?.items ?? [];
  const listed = value && !materials.some((m) => m.id === value.id) ? [value, ...materials] : materials;
  const invalid = Boolean(errors?.length);
  return (
    <div className={`field material-picker${invalid ? " invalid" : ""}`}>
      <label htmlFor={id}>Material</label>
      <div className="material-picker-inputs">
        <input type="search" aria-label="Search materials by SKU or name" placeholder="Search SKU or name…" value={search} onChange={(e) => setSearch(e.target.value)} />
        <select
          id={id}
          value={value?.id ?? ""}
          onChange={(e) => onChange(listed.find((m) => m.id === e.target.value) ?? null)}
          aria-invalid={invalid}
          aria-describedby={invalid ? `${id}-error` : undefined}
          aria-busy={options.isFetching}
        >
          <option value="">{emptyLabel}</option>
          {listed.map((m) => (
            <option key={m.id} value={m.id}>
              {optionText(m)}
            </option>
          ))}
        </select>
      </div>
      {options.error && <small className="field-error">The materials could not be loaded.</small>}
      {options.data && options.data.total === 0 && (
        <small className="hint">
          {search.trim() ? "No active material matches." : "No active materials yet; add them in the "}
          {!search.trim() && <Link to="/inventory">inventory</Link>}
        </small>
      )}
      {options.data && options.data.total > materials.length && (
        <small className="hint">
          Showing {materials.length} of {options.data.total}; type to narrow.
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

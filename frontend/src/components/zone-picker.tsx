import { useId } from "react";
import { STANDARD_ZONES, zoneLabel } from "./task-labels";

/**
 * The PPF zones as checkboxes: the standard ones, and any others `kept` lists (zones a task or a
 * quote already had), so they can be unticked. `errors` are the server's for `ppf_zones`.
 */
export function ZonePicker({
  legend,
  value,
  kept = [],
  onChange,
  errors,
}: {
  legend: string;
  value: readonly string[];
  kept?: readonly string[];
  onChange: (zones: string[]) => void;
  errors?: string[] | undefined;
}) {
  const errorId = useId();
  const choices = [...STANDARD_ZONES.map(([id]) => id), ...kept.filter((z) => !STANDARD_ZONES.some(([id]) => id === z))];
  const toggle = (zone: string, on: boolean) => onChange(on ? [...value, zone] : value.filter((z) => z !== zone));
  return (
    <fieldset className={`zones${errors ? " invalid" : ""}`} aria-describedby={errors ? errorId : undefined}>
      <legend>{legend}</legend>
      {choices.map((zone) => (
        <label key={zone} className="check">
          <input type="checkbox" name="ppf_zones" value={zone} checked={value.includes(zone)} onChange={(e) => toggle(zone, e.target.checked)} />
          {zoneLabel(zone)}
        </label>
      ))}
      {errors && (
        <small className="field-error" id={errorId} role="alert">
          {errors.join(" ")}
        </small>
      )}
    </fieldset>
  );
}

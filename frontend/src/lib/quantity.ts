// Stock quantities: numbers in a material's unit with at most three decimals (the server keeps
// whole thousandths), typed with a comma or a point.
import type { components } from "@/api/schema";

/** The unit a material is counted in. */
export type Unit = components["schemas"]["Unit"];

/** Every unit with its name and its short form, exhaustive over the generated type. */
const UNITS: Record<Unit, { name: string; short: string }> = {
  piece: { name: "Pieces", short: "pcs" },
  meter: { name: "Metres", short: "m" },
  liter: { name: "Litres", short: "L" },
  gram: { name: "Grams", short: "g" },
  roll: { name: "Rolls", short: "rolls" },
};

/** Every unit as `[value, label]` options. */
export const UNIT_OPTIONS = (Object.keys(UNITS) as Unit[]).map((unit) => [unit, UNITS[unit].name] as const);

/** Whether `value` is a unit the server knows. */
export const isUnit = (value: string): value is Unit => Object.hasOwn(UNITS, value);

/** The most any stock figure may be (the server's bound). */
export const MAX_QUANTITY = 1_000_000_000;

/**
 * A quantity as typed (`"2.5"`, `"2,5"`, `"0.125"`): `null` when empty, `NaN` when not a number
 * of at most three decimals between 0 and `MAX_QUANTITY`.
 */
export function parseQuantity(text: string): number | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  if (!/^\d+(?:[.,]\d{1,3})?$/.test(trimmed)) return Number.NaN;
  const value = Number(trimmed.replace(",", "."));
  return value <= MAX_QUANTITY ? value : Number.NaN;
}

/** A unit's short form: `m`, `pcs`. */
export const unitShort = (unit: Unit): string => UNITS[unit]?.short ?? unit;

/** A quantity with its unit: `12.5 m`, `3 pcs`. */
export function formatQuantity(value: number, unit: Unit, locale?: string): string {
  return `${value.toLocaleString(locale, { maximumFractionDigits: 3 })} ${unitShort(unit)}`;
}

// The quote's forms as plain data, and how they become request bodies. No React here, so the rules
// (euros to cents, percentages, what an empty field means) are unit-tested on their own. Nothing
// here adds up money: each line's amount and the totals are the server's.
import type { FieldErrors } from "@/api/errors";
import { centsToEuros, parseEuros } from "@/lib/money";
import { parseQuantity } from "@/lib/quantity";
import type { DiscountType, ItemFields, ItemKind, NewItem, NewQuote, Quote, QuoteFields, QuoteItem } from "./api";

/** A quote's own fields, as typed. */
export interface QuoteForm {
  client_id: string;
  description: string;
  vehicle_plate: string;
  vehicle_make: string;
  vehicle_model: string;
  vehicle_year: string;
  vehicle_vin: string;
  ppf_zones: string[];
  /** `YYYY-MM-DD`; empty on create for the server's default (30 days). */
  valid_until: string;
  notes: string;
  terms: string;
}

/** Free-text fields sent trimmed (`""` clears on update). */
const TEXT_FIELDS = ["description", "vehicle_plate", "vehicle_make", "vehicle_model", "vehicle_year", "vehicle_vin", "notes", "terms"] as const;

export function emptyQuoteForm(): QuoteForm {
  return {
    client_id: "",
    description: "",
    vehicle_plate: "",
    vehicle_make: "",
    vehicle_model: "",
    vehicle_year: "",
    vehicle_vin: "",
    ppf_zones: [],
    valid_until: "",
    notes: "",
    terms: "",
  };
}

/** The form for changing `quote`. */
export function quoteToForm(quote: Quote): QuoteForm {
  const form = emptyQuoteForm();
  for (const key of TEXT_FIELDS) form[key] = quote[key] ?? "";
  return { ...form, client_id: quote.client_id, ppf_zones: [...quote.ppf_zones], valid_until: quote.valid_until };
}

/** The body of `POST /quotes`: trimmed text, empty fields left out (the server's defaults apply). */
export function toCreateBody(form: QuoteForm): NewQuote {
  const body: NewQuote = { client_id: form.client_id };
  for (const key of TEXT_FIELDS) {
    const value = form[key].trim();
    if (value) body[key] = value;
  }
  if (form.ppf_zones.length) body.ppf_zones = [...form.ppf_zones];
  if (form.valid_until) body.valid_until = form.valid_until;
  return body;
}

const sameZones = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((z) => b.includes(z));

/**
 * The body of `PATCH /quotes/{id}`: only what changed since `original`, so other people's edits to
 * the rest stay. A cleared text is sent as `""` (the server's "clear").
 */
export function toUpdateBody(form: QuoteForm, original: QuoteForm): QuoteFields {
  const body: QuoteFields = {};
  for (const key of TEXT_FIELDS) {
    const value = form[key].trim();
    if (value !== original[key].trim()) body[key] = value;
  }
  if (form.client_id && form.client_id !== original.client_id) body.client_id = form.client_id;
  if (!sameZones(form.ppf_zones, original.ppf_zones)) body.ppf_zones = [...form.ppf_zones];
  if (form.valid_until && form.valid_until !== original.valid_until) body.valid_until = form.valid_until;
  return body;
}

/** Hundredths of a percent from a percentage as typed (`"10"`, `"12,5"`): `null` when empty, `NaN` when not 0–100 with at most two decimals. */
export function parsePercent(text: string): number | null {
  const trimmed = text.replace(/[\s%]/g, "");
  if (!trimmed) return null;
  const match = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(trimmed);
  if (!match) return Number.NaN;
  const hundredths = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return hundredths <= 10_000 ? hundredths : Number.NaN;
}

/** Hundredths of a percent as people write them: `1000` → `"10"`, `1250` → `"12.5"`, `1255` → `"12.55"`. */
export function percentText(hundredths: number): string {
  const whole = Math.trunc(hundredths / 100);
  const rest = String(Math.abs(hundredths % 100)).padStart(2, "0").replace(/0+$/, "");
  return rest ? `${whole}.${rest}` : String(whole);
}

/** A line as typed: euros for the price, a percentage for the tax. */
export interface ItemForm {
  kind: ItemKind;
  label: string;
  qty: string;
  /** Euros; empty on a material's new line for the material's unit cost. */
  unit_price: string;
  tax_rate: string;
  material_id: string;
}

/** The server's default tax rate, in percent. */
export const DEFAULT_TAX_RATE = "20";

export function emptyItemForm(kind: ItemKind = "labor"): ItemForm {
  return { kind, label: "", qty: "1", unit_price: "", tax_rate: DEFAULT_TAX_RATE, material_id: "" };
}

/** The form for changing `item`. */
export function itemToForm(item: QuoteItem): ItemForm {
  return {
    kind: item.kind,
    label: item.label,
    qty: String(item.qty),
    unit_price: centsToEuros(item.unit_price),
    tax_rate: String(item.tax_rate),
    material_id: item.material_id ?? "",
  };
}

/** Mistakes a line form catches before sending, at the server's field names. */
export function checkItemForm(form: ItemForm, creating: boolean): FieldErrors {
  const errors: FieldErrors = {};
  if (!form.label.trim() && !(creating && form.material_id)) errors.label = ["is required"];
  const qty = parseQuantity(form.qty);
  if (qty === null) errors.qty = ["is required"];
  else if (Number.isNaN(qty) || qty <= 0) errors.qty = ["must be a number more than 0 with at most 3 decimals"];
  const price = parseEuros(form.unit_price);
  if (price === null && !(creating && form.material_id)) errors.unit_price = ["is required"];
  else if (Number.isNaN(price)) errors.unit_price = ["must be an amount in euros with at most 2 decimals, such as 60.00"];
  if (Number.isNaN(parsePercent(form.tax_rate))) errors.tax_rate = ["must be a percentage from 0 to 100 with at most 2 decimals"];
  return errors;
}

/** The tax rate as the server takes it (percent), or nothing when empty (its default). */
function taxRate(text: string): number | null {
  const hundredths = parsePercent(text);
  return hundredths === null || Number.isNaN(hundredths) ? null : Number(text.replace(/[\s%]/g, "").replace(",", "."));
}

/**
 * The body of `POST /quotes/{id}/items`. A material's line with no price or label leaves them out,
 * so the server takes the material's unit cost and name.
 */
export function toNewItem(form: ItemForm): NewItem {
  const body: NewItem = { kind: form.kind, qty: parseQuantity(form.qty) ?? 1 };
  const label = form.label.trim();
  if (label) body.label = label;
  if (form.material_id) body.material_id = form.material_id;
  const price = parseEuros(form.unit_price);
  if (price !== null && !Number.isNaN(price)) body.unit_price = price;
  const rate = taxRate(form.tax_rate);
  if (rate !== null) body.tax_rate = rate;
  return body;
}

/** The body of `PATCH /quotes/{id}/items/{item_id}`: only what changed since `original`. */
export function toItemUpdate(form: ItemForm, original: ItemForm): ItemFields {
  const body: ItemFields = {};
  if (form.kind !== original.kind) body.kind = form.kind;
  if (form.label.trim() !== original.label.trim()) body.label = form.label.trim();
  const qty = parseQuantity(form.qty);
  if (qty !== null && !Number.isNaN(qty) && qty !== parseQuantity(original.qty)) body.qty = qty;
  const price = parseEuros(form.unit_price);
  if (price !== null && !Number.isNaN(price) && price !== parseEuros(original.unit_price)) body.unit_price = price;
  const rate = taxRate(form.tax_rate);
  if (rate !== null && rate !== taxRate(original.tax_rate)) body.tax_rate = rate;
  return body;
}

/** The quote-level discount as typed: a type (or none) and its value. */
export interface DiscountForm {
  type: DiscountType | "";
  /** A percentage (`"10"`) or euros (`"25.00"`), by `type`. */
  value: string;
}

export function discountToForm(quote: Pick<Quote, "discount_type" | "discount_value">): DiscountForm {
  if (quote.discount_type === "percentage") return { type: "percentage", value: percentText(quote.discount_value) };
  if (quote.discount_type === "fixed") return { type: "fixed", value: centsToEuros(quote.discount_value) };
  return { type: "", value: "" };
}

/** The discount form's mistakes, at the server's field name. */
export function checkDiscount(form: DiscountForm): FieldErrors {
  if (!form.type) return {};
  const value = form.type === "percentage" ? parsePercent(form.value) : parseEuros(form.value);
  if (value === null) return { discount_value: ["is required"] };
  if (Number.isNaN(value)) {
    return { discount_value: [form.type === "percentage" ? "must be a percentage from 0 to 100 with at most 2 decimals" : "must be an amount in euros with at most 2 decimals"] };
  }
  return {};
}

/** The discount part of `PATCH /quotes/{id}`: hundredths of a percent or cents; none clears it. */
export function toDiscountBody(form: DiscountForm): QuoteFields {
  if (!form.type) return { discount_type: null, discount_value: 0 };
  const value = form.type === "percentage" ? parsePercent(form.value) : parseEuros(form.value);
  return { discount_type: form.type, discount_value: value === null || Number.isNaN(value) ? 0 : value };
}

/** Line ids in their order with the one at `index` moved by `by` (−1 up, +1 down); unchanged at either end. */
export function lineMoved(ids: readonly string[], index: number, by: -1 | 1): string[] {
  const next = [...ids];
  const other = index + by;
  if (index < 0 || index >= next.length || other < 0 || other >= next.length) return next;
  [next[index], next[other]] = [next[other] as string, next[index] as string];
  return next;
}

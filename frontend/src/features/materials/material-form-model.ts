// The material form as plain data, and how it becomes a request body. No React here, so the
// rules (euros to cents, quantities, what an empty field means) are unit-tested on their own.
import type { FieldErrors } from "@/api/errors";
import { centsToEuros, parseEuros } from "@/lib/money";
import { parseQuantity, type Unit } from "@/lib/quantity";
import type { Material, MaterialFields, MaterialType, NewMaterial } from "./api";

/** What the form holds: text as typed (euros for the cost), choices as their values. */
export interface MaterialForm {
  sku: string;
  name: string;
  material_type: MaterialType;
  unit_of_measure: Unit;
  category_id: string;
  supplier_id: string;
  brand: string;
  /** Euros, as typed (`12,50`). */
  unit_cost: string;
  reorder_point: string;
  minimum_stock: string;
  /** On create only. */
  initial_stock: string;
  expiry_date: string;
  batch_number: string;
  storage_location: string;
  description: string;
  is_active: boolean;
}

/** Free-text fields sent trimmed (`""` clears on update). */
const TEXT_FIELDS = ["sku", "name", "brand", "expiry_date", "batch_number", "storage_location", "description"] as const;
/** Id choices (`""` clears on update). */
const ID_FIELDS = ["category_id", "supplier_id"] as const;
/** Stock figures in the material's unit. */
const QUANTITY_FIELDS = ["reorder_point", "minimum_stock", "initial_stock"] as const;

/** A blank form for a new material. */
export function emptyMaterialForm(): MaterialForm {
  return {
    sku: "",
    name: "",
    material_type: "ppf_film",
    unit_of_measure: "meter",
    category_id: "",
    supplier_id: "",
    brand: "",
    unit_cost: "",
    reorder_point: "",
    minimum_stock: "",
    initial_stock: "",
    expiry_date: "",
    batch_number: "",
    storage_location: "",
    description: "",
    is_active: true,
  };
}

/** The form for editing `material`. */
export function materialToForm(material: Material): MaterialForm {
  const form = emptyMaterialForm();
  for (const key of TEXT_FIELDS) form[key] = material[key] ?? "";
  for (const key of ID_FIELDS) form[key] = material[key] ?? "";
  return {
    ...form,
    material_type: material.material_type,
    unit_of_measure: material.unit_of_measure,
    unit_cost: centsToEuros(material.unit_cost),
    reorder_point: String(material.reorder_point),
    minimum_stock: String(material.minimum_stock),
    is_active: material.is_active,
  };
}

/** Mistakes the form catches before sending, at the server's field names. */
export function checkMaterialForm(form: MaterialForm): FieldErrors {
  const errors: FieldErrors = {};
  if (Number.isNaN(parseEuros(form.unit_cost))) errors.unit_cost = ["must be an amount in euros with at most 2 decimals, such as 12.50"];
  for (const key of QUANTITY_FIELDS) {
    if (Number.isNaN(parseQuantity(form[key]))) errors[key] = ["must be a number of at most 3 decimals"];
  }
  return errors;
}

/** The body of `POST /materials`: trimmed text, empty fields left out (the server's defaults apply). */
export function toCreateBody(form: MaterialForm): NewMaterial {
  const body: MaterialFields = { material_type: form.material_type, unit_of_measure: form.unit_of_measure };
  for (const key of [...TEXT_FIELDS, ...ID_FIELDS]) {
    const value = form[key].trim();
    if (value) body[key] = value;
  }
  const cost = parseEuros(form.unit_cost);
  if (cost !== null && !Number.isNaN(cost)) body.unit_cost = cost;
  for (const key of QUANTITY_FIELDS) {
    const value = parseQuantity(form[key]);
    if (value !== null && !Number.isNaN(value)) body[key] = value;
  }
  if (!form.is_active) body.is_active = false;
  // Sent as typed: a missing SKU or name is the server's message at that field.
  return { ...body, sku: body.sku ?? "", name: body.name ?? "" } as NewMaterial;
}

/**
 * The body of `PATCH /materials/{id}`: only what changed since `original`, so other people's
 * edits to the rest stay. A cleared text or choice is sent as `""` (the server's "clear"); a
 * cleared figure sends nothing (a figure cannot be cleared).
 */
export function toUpdateBody(form: MaterialForm, original: MaterialForm): MaterialFields {
  const body: MaterialFields = {};
  for (const key of [...TEXT_FIELDS, ...ID_FIELDS]) {
    const value = form[key].trim();
    if (value !== original[key].trim()) body[key] = value;
  }
  if (form.material_type !== original.material_type) body.material_type = form.material_type;
  if (form.unit_of_measure !== original.unit_of_measure) body.unit_of_measure = form.unit_of_measure;
  const cost = parseEuros(form.unit_cost);
  if (cost !== null && !Number.isNaN(cost) && cost !== parseEuros(original.unit_cost)) body.unit_cost = cost;
  for (const key of ["reorder_point", "minimum_stock"] as const) {
    const value = parseQuantity(form[key]);
    if (value !== null && !Number.isNaN(value) && value !== parseQuantity(original[key])) body[key] = value;
  }
  if (form.is_active !== original.is_active) body.is_active = form.is_active;
  return body;
}

import { describe, expect, it } from "vitest";
import type { Material } from "./api";
import { checkMaterialForm, emptyMaterialForm, materialToForm, toCreateBody, toUpdateBody } from "./material-form-model";

const material: Material = {
  id: "5b0a6c1e-0000-4000-8000-000000000001",
  sku: "PPF-XPEL-152",
  name: "XPEL Ultimate Plus 152 cm",
  material_type: "ppf_film",
  unit_of_measure: "meter",
  category_id: "cat_ppf_films",
  supplier_id: null,
  brand: "XPEL",
  unit_cost: 4590,
  currency: "EUR",
  current_stock: 30,
  reorder_point: 10,
  minimum_stock: 5,
  expiry_date: "2027-06-30",
  batch_number: null,
  storage_location: "Rack A",
  description: null,
  is_active: true,
  is_discontinued: false,
  is_expired: false,
  is_low_stock: false,
  created_at: "2026-12-01T09:00:00Z",
  updated_at: "2026-12-01T09:00:00Z",
};

describe("material form", () => {
  it("creates with cents from euros and only the fields filled in", () => {
    const form = { ...emptyMaterialForm(), sku: " PPF-1 ", name: "Film", unit_cost: "12,50", reorder_point: "2.5", initial_stock: "10", category_id: "cat_ppf_films" };
    expect(checkMaterialForm(form)).toEqual({});
    expect(toCreateBody(form)).toEqual({
      sku: "PPF-1",
      name: "Film",
      material_type: "ppf_film",
      unit_of_measure: "meter",
      category_id: "cat_ppf_films",
      unit_cost: 1250,
      reorder_point: 2.5,
      initial_stock: 10,
    });
  });
  it("catches a cost with more than two decimals and a quantity with more than three", () => {
    const errors = checkMaterialForm({ ...emptyMaterialForm(), unit_cost: "1.255", minimum_stock: "0.0001", initial_stock: "-1" });
    expect(Object.keys(errors).sort()).toEqual(["initial_stock", "minimum_stock", "unit_cost"]);
  });
  it("updates only what changed, clearing a text with an empty string", () => {
    const original = materialToForm(material);
    expect(original.unit_cost).toBe("45.90");
    expect(toUpdateBody(original, original)).toEqual({});
    const form = { ...original, unit_cost: "46", storage_location: "", reorder_point: "12", is_active: false };
    expect(toUpdateBody(form, original)).toEqual({ unit_cost: 4600, storage_location: "", reorder_point: 12, is_active: false });
  });
});

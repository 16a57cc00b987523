import { describe, expect, it } from "vitest";
import type { Quote, QuoteItem } from "./api";
import {
  checkDiscount,
  checkItemForm,
  discountToForm,
  emptyItemForm,
  emptyQuoteForm,
  itemToForm,
  lineMoved,
  parsePercent,
  percentText,
  quoteToForm,
  toCreateBody,
  toDiscountBody,
  toItemUpdate,
  toNewItem,
  toUpdateBody,
} from "./quote-form-model";

describe("percentages", () => {
  it("read hundredths of a percent from what people type", () => {
    expect(parsePercent("10")).toBe(1000);
    expect(parsePercent("12,5")).toBe(1250);
    expect(parsePercent("5.55 %")).toBe(555);
    expect(parsePercent("100")).toBe(10_000);
    expect(parsePercent("0")).toBe(0);
    expect(parsePercent("")).toBeNull();
    for (const text of ["100.01", "-5", "1.234", "abc", "1e2"]) expect(parsePercent(text)).toBeNaN();
  });
  it("write them back", () => {
    expect(percentText(1000)).toBe("10");
    expect(percentText(1250)).toBe("12.5");
    expect(percentText(555)).toBe("5.55");
    expect(percentText(5)).toBe("0.05");
    expect(parsePercent(percentText(1999))).toBe(1999);
  });
});

describe("the quote form", () => {
  it("creates with the client and what was typed, leaving the rest to the server", () => {
    const form = { ...emptyQuoteForm(), client_id: "c1", vehicle_plate: " AB-123-CD ", ppf_zones: ["hood"], description: "" };
    expect(toCreateBody(form)).toEqual({ client_id: "c1", vehicle_plate: "AB-123-CD", ppf_zones: ["hood"] });
  });
  it("updates only what changed, clearing a text with an empty string", () => {
    const quote = { client_id: "c1", vehicle_plate: "AB-123-CD", vehicle_model: "Model 3", description: "Front", ppf_zones: ["hood", "bumper"], valid_until: "2027-01-02" } as Quote;
    const original = quoteToForm(quote);
    expect(toUpdateBody(original, original)).toEqual({});
    const changed = { ...original, description: "", vehicle_model: "Model Y", ppf_zones: ["bumper", "hood"], valid_until: "2027-02-01" };
    expect(toUpdateBody(changed, original)).toEqual({ description: "", vehicle_model: "Model Y", valid_until: "2027-02-01" });
    expect(toUpdateBody({ ...original, ppf_zones: ["hood"] }, original)).toEqual({ ppf_zones: ["hood"] });
  });
});

describe("a line", () => {
  it("sends euros as cents and the tax rate in percent", () => {
    const form = { ...emptyItemForm("labor"), label: "Installation", qty: "3", unit_price: "60,00", tax_rate: "20" };
    expect(checkItemForm(form, true)).toEqual({});
    expect(toNewItem(form)).toEqual({ kind: "labor", label: "Installation", qty: 3, unit_price: 6000, tax_rate: 20 });
    expect(toNewItem({ ...form, qty: "2,5", unit_price: "0.29", tax_rate: "5,5" })).toMatchObject({ qty: 2.5, unit_price: 29, tax_rate: 5.5 });
  });
  it("leaves a material's price and name to the server when they are empty", () => {
    const form = { ...emptyItemForm("material"), material_id: "m1", qty: "2" };
    expect(checkItemForm(form, true)).toEqual({});
    expect(toNewItem(form)).toEqual({ kind: "material", material_id: "m1", qty: 2, tax_rate: 20 });
  });
  it("catches what the server would refuse", () => {
    const errors = checkItemForm({ ...emptyItemForm(), label: "", qty: "0", unit_price: "12.505", tax_rate: "120" }, true);
    expect(Object.keys(errors).sort()).toEqual(["label", "qty", "tax_rate", "unit_price"]);
    expect(checkItemForm({ ...emptyItemForm(), label: "Pose", qty: "1", unit_price: "" }, true)).toEqual({ unit_price: ["is required"] });
  });
  it("changes only what changed", () => {
    const item: QuoteItem = { id: "i1", quote_id: "q1", kind: "material", label: "Film", qty: 2.5, unit_price: 4000, tax_rate: 20, material_id: "m1", position: 2 };
    const original = itemToForm(item);
    expect(original).toEqual({ kind: "material", label: "Film", qty: "2.5", unit_price: "40.00", tax_rate: "20", material_id: "m1" });
    expect(toItemUpdate(original, original)).toEqual({});
    expect(toItemUpdate({ ...original, qty: "3", unit_price: "40", label: "Film XPEL" }, original)).toEqual({ qty: 3, label: "Film XPEL" });
  });
});

describe("the discount", () => {
  it("is hundredths of a percent or cents, and none clears it", () => {
    expect(toDiscountBody({ type: "percentage", value: "10" })).toEqual({ discount_type: "percentage", discount_value: 1000 });
    expect(toDiscountBody({ type: "fixed", value: "25,50" })).toEqual({ discount_type: "fixed", discount_value: 2550 });
    expect(toDiscountBody({ type: "", value: "12" })).toEqual({ discount_type: null, discount_value: 0 });
  });
  it("reads back what the quote has", () => {
    expect(discountToForm({ discount_type: "percentage", discount_value: 1250 })).toEqual({ type: "percentage", value: "12.5" });
    expect(discountToForm({ discount_type: "fixed", discount_value: 2550 })).toEqual({ type: "fixed", value: "25.50" });
    expect(discountToForm({ discount_type: null, discount_value: 0 })).toEqual({ type: "", value: "" });
  });
  it("needs a valid value when it has a type", () => {
    expect(checkDiscount({ type: "percentage", value: "" })).toEqual({ discount_value: ["is required"] });
    expect(Object.keys(checkDiscount({ type: "percentage", value: "150" }))).toEqual(["discount_value"]);
    expect(Object.keys(checkDiscount({ type: "fixed", value: "1.234" }))).toEqual(["discount_value"]);
    expect(checkDiscount({ type: "", value: "anything" })).toEqual({});
  });
});

describe("moving a line", () => {
  it("swaps it with its neighbour, and stays put at either end", () => {
    expect(lineMoved(["a", "b", "c"], 1, -1)).toEqual(["b", "a", "c"]);
    expect(lineMoved(["a", "b", "c"], 1, 1)).toEqual(["a", "c", "b"]);
    expect(lineMoved(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
    expect(lineMoved(["a", "b", "c"], 2, 1)).toEqual(["a", "b", "c"]);
  });
});

import { useState, type FormEvent } from "react";
import type { FieldErrors } from "@/api/errors";
import { FormLevelError, SelectField, TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { MaterialPicker } from "@/components/material-picker";
import { formatMoney } from "@/lib/money";
import { unitShort } from "@/lib/quantity";
import { useAddItem, type ItemKind, type Material } from "./api";
import { ITEM_KIND_OPTIONS } from "./labels";
import { checkItemForm, emptyItemForm, toNewItem } from "./quote-form-model";

const SHOWN = ["kind", "material_id", "label", "qty", "unit_price", "tax_rate"];

/** A material as an option of a quote's line: what one unit costs. */
const costText = (m: Material) => `${m.sku} · ${m.name} (${formatMoney(m.unit_cost, m.currency)} per ${unitShort(m.unit_of_measure)})`;

/**
 * Add a line at the end of a draft. For a material, the picker fills in the label and leaves the
 * price empty, so the server prices it at the material's unit cost (which may be typed over).
 */
export function NewItemForm({ quoteId }: { quoteId: string }) {
  const add = useAddItem(quoteId);
  const [form, setForm] = useState(() => emptyItemForm());
  const [material, setMaterial] = useState<Material | null>(null);
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const errors = { ...fieldErrors(add.error), ...localErrors };
  const set = (key: "label" | "qty" | "unit_price" | "tax_rate", value: string) => setForm((f) => ({ ...f, [key]: value }));
  const text = (key: "label" | "qty" | "unit_price" | "tax_rate") => ({ value: form[key], onChange: (e: { target: { value: string } }) => set(key, e.target.value), errors: errors[key] });

  const chooseKind = (kind: ItemKind) => {
    setForm((f) => ({ ...f, kind, material_id: kind === "material" ? f.material_id : "" }));
    if (kind !== "material") setMaterial(null);
  };
  const chooseMaterial = (chosen: Material | null) => {
    setMaterial(chosen);
    setForm((f) => ({ ...f, material_id: chosen?.id ?? "", label: chosen ? chosen.name : f.label, unit_price: "" }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkItemForm(form, true);
    setLocalErrors(found);
    if (Object.keys(found).length > 0) return;
    add.mutate(toNewItem(form), {
      onSuccess: () => {
        setForm(emptyItemForm(form.kind));
        setMaterial(null);
      },
    });
  };

  const labour = form.kind === "labor";
  return (
    <form className="stack quote-item-form" onSubmit={submit} noValidate aria-labelledby="new-line-title">
      <h3 id="new-line-title">Add a line</h3>
      <div className="row">
        <SelectField label="Kind" value={form.kind} onChange={(e) => chooseKind(e.target.value as ItemKind)} errors={errors.kind} options={ITEM_KIND_OPTIONS} />
        {form.kind === "material" && <MaterialPicker value={material} onChange={chooseMaterial} errors={errors.material_id} emptyLabel="No material (free text)" optionText={costText} />}
      </div>
      <div className="row">
        <TextField label="Label" maxLength={200} hint={material ? "The material's name; change it as the client should read it" : undefined} {...text("label")} />
        <TextField label={labour ? "Quantity (hours)" : "Quantity"} inputMode="decimal" {...text("qty")} />
        <TextField
          label="Unit price (€)"
          inputMode="decimal"
          placeholder={material ? "The material's unit cost" : "60.00"}
          hint={
            material
              ? `Empty: the material's unit cost, ${formatMoney(material.unit_cost, material.currency)}`
              : form.kind === "discount"
                ? "Taken off the subtotal"
                : labour
                  ? "Per hour"
                  : undefined
          }
          {...text("unit_price")}
        />
        <TextField label="Tax rate (%)" inputMode="decimal" {...text("tax_rate")} />
      </div>
      <FormLevelError error={add.error} shown={SHOWN} />
      <div>
        <button type="submit" className="button" disabled={add.isPending}>
          Add line
        </button>
      </div>
    </form>
  );
}

import { useState, type FormEvent } from "react";
import type { FieldErrors } from "@/api/errors";
import { FormLevelError, SelectField, TextAreaField, TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { FormActions } from "@/components/form-actions";
import { UNIT_OPTIONS, type Unit } from "@/lib/quantity";
import { useCategories, useSuppliers, type Category, type MaterialType } from "./api";
import { MATERIAL_TYPE_OPTIONS } from "./labels";
import { checkMaterialForm, type MaterialForm as Form } from "./material-form-model";

/** A category's option text, indented by its level (a select cannot hold a tree). */
export function categoryOption(category: Category): readonly [string, string] {
  return [category.id, `${"\u2003".repeat(Math.max(0, category.level - 1))}${category.name} (${category.code})`] as const;
}

/**
 * The material form, for a new material (`creating`: with its initial stock) and for changes.
 * The server's field errors show at their fields, anything else above the buttons.
 */
export function MaterialForm({
  initial,
  creating,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial: Form;
  creating: boolean;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (form: Form) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState(initial);
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const categories = useCategories();
  const suppliers = useSuppliers();
  const errors = { ...fieldErrors(error), ...localErrors };

  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const text = (key: { [K in keyof Form]: Form[K] extends string ? K : never }[keyof Form]) => ({
    value: form[key] as string,
    onChange: (e: { target: { value: string } }) => set(key, e.target.value as Form[typeof key]),
    errors: errors[key],
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkMaterialForm(creating ? form : { ...form, initial_stock: "" });
    setLocalErrors(found);
    if (Object.keys(found).length === 0) onSubmit(form);
  };

  const supplierChoices = (suppliers.data ?? []).filter((s) => s.is_active || s.id === form.supplier_id);
  const shown = [
    "sku", "name", "material_type", "unit_of_measure", "category_id", "supplier_id", "brand", "unit_cost", "reorder_point",
    "minimum_stock", "expiry_date", "batch_number", "storage_location", "description", ...(creating ? ["initial_stock"] : []),
  ];

  return (
    <form className="stack material-form" onSubmit={submit} noValidate aria-label={creating ? "New material" : "Material details"}>
      <div className="row">
        <TextField label="SKU" required maxLength={50} autoComplete="off" {...text("sku")} />
        <TextField label="Name" required maxLength={200} {...text("name")} />
        <TextField label="Brand" maxLength={100} {...text("brand")} />
      </div>
      <div className="row">
        <SelectField
          label="Type"
          value={form.material_type}
          onChange={(e) => set("material_type", e.target.value as MaterialType)}
          errors={errors.material_type}
          options={MATERIAL_TYPE_OPTIONS}
        />
        <SelectField
          label="Unit"
          value={form.unit_of_measure}
          onChange={(e) => set("unit_of_measure", e.target.value as Unit)}
          errors={errors.unit_of_measure}
          hint={creating ? "Every quantity of this material is in this unit" : "Fixed once the stock has moved"}
          options={UNIT_OPTIONS}
        />
        <SelectField
          label="Category"
          value={form.category_id}
          onChange={(e) => set("category_id", e.target.value)}
          errors={errors.category_id}
          hint={categories.error ? "The categories could not be loaded." : undefined}
          options={[["", "No category"], ...(categories.data ?? []).map(categoryOption)]}
        />
        <SelectField
          label="Supplier"
          value={form.supplier_id}
          onChange={(e) => set("supplier_id", e.target.value)}
          errors={errors.supplier_id}
          hint={suppliers.error ? "The suppliers could not be loaded." : undefined}
          options={[["", "No supplier"], ...supplierChoices.map((s) => [s.id, s.name] as const)]}
        />
      </div>
      <div className="row">
        <TextField label="Unit cost (€)" inputMode="decimal" placeholder="12.50" hint="Per unit, in euros" {...text("unit_cost")} />
        <TextField label="Reorder point" inputMode="decimal" hint="Low on stock at or below this" {...text("reorder_point")} />
        <TextField label="Minimum stock" inputMode="decimal" {...text("minimum_stock")} />
        {creating && <TextField label="Initial stock" inputMode="decimal" hint="Received now (the ledger's first row)" {...text("initial_stock")} />}
      </div>
      <div className="row">
        <TextField label="Expiry date" type="date" {...text("expiry_date")} />
        <TextField label="Batch" maxLength={100} {...text("batch_number")} />
        <TextField label="Storage location" maxLength={100} {...text("storage_location")} />
      </div>
      <TextAreaField label="Description" maxLength={2000} {...text("description")} />
      {!creating && (
        <label className="check">
          <input type="checkbox" checked={form.is_active} onChange={(e) => set("is_active", e.target.checked)} />
          In use (an inactive material is kept but not offered for interventions)
        </label>
      )}
      <FormLevelError error={error} shown={shown} />
      <FormActions submitLabel={submitLabel} pending={pending} onCancel={onCancel} />
    </form>
  );
}

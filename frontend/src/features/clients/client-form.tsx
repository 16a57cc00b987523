import { useState, type FormEvent } from "react";
import { FormLevelError, SelectField, TextAreaField, TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { FormActions } from "@/components/form-actions";
import type { Client, ClientFields, CustomerType } from "./api";
import { CUSTOMER_TYPES } from "./customer-types";

/** The form's text inputs, all strings (tags as a comma-separated line). */
type Values = {
  name: string;
  customer_type: CustomerType;
  company_name: string;
  contact_person: string;
  email: string;
  phone: string;
  address_street: string;
  address_zip: string;
  address_city: string;
  address_state: string;
  address_country: string;
  tax_id: string;
  tags: string;
  notes: string;
};

type TextKey = Exclude<keyof Values, "customer_type" | "tags">;
const TEXT_KEYS: readonly TextKey[] = [
  "name",
  "company_name",
  "contact_person",
  "email",
  "phone",
  "address_street",
  "address_zip",
  "address_city",
  "address_state",
  "address_country",
  "tax_id",
  "notes",
];

/** Every field the form shows (errors on any other are named above the buttons). */
const SHOWN_FIELDS: readonly string[] = [...TEXT_KEYS, "customer_type", "tags"];


function initialValues(client?: Client): Values {
  return {
    name: client?.name ?? "",
    customer_type: client?.customer_type ?? "individual",
    company_name: client?.company_name ?? "",
    contact_person: client?.contact_person ?? "",
    email: client?.email ?? "",
    phone: client?.phone ?? "",
    address_street: client?.address_street ?? "",
    address_zip: client?.address_zip ?? "",
    address_city: client?.address_city ?? "",
    address_state: client?.address_state ?? "",
    address_country: client?.address_country ?? "France",
    tax_id: client?.tax_id ?? "",
    tags: client?.tags.join(", ") ?? "",
    notes: client?.notes ?? "",
  };
}

/**
 * The request body: on create only what was filled in (the server fills defaults); on edit every
 * field, where `""` clears an optional text.
 */
function toBody(values: Values, editing: boolean): ClientFields {
  const body: ClientFields = { customer_type: values.customer_type };
  for (const key of TEXT_KEYS) {
    const value = values[key].trim();
    if (editing || value !== "") body[key] = value;
  }
  const tags = values.tags
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
  if (editing || tags.length > 0) body.tags = tags;
  return body;
}

/**
 * Create and edit a client (the same fields either way). The server's field errors show at each
 * field; anything else above the buttons.
 */
export function ClientForm({
  client,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  client?: Client;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (body: ClientFields) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState(() => initialValues(client));
  const fields = fieldErrors(error);
  const set = (key: keyof Values) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [key]: event.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(toBody(values, Boolean(client)));
  };

  return (
    <form className="stack client-form" onSubmit={submit} noValidate>
      <div className="row">
        <TextField label="Name" name="name" required autoFocus value={values.name} onChange={set("name")} errors={fields.name} maxLength={200} />
        <SelectField
          label="Customer type"
          name="customer_type"
          value={values.customer_type}
          onChange={set("customer_type")}
          options={CUSTOMER_TYPES}
          errors={fields.customer_type}
        />
      </div>
      <div className="row">
        <TextField
          label="Company"
          name="company_name"
          value={values.company_name}
          onChange={set("company_name")}
          errors={fields.company_name}
          hint={values.customer_type === "business" ? "Required for businesses." : undefined}
          required={values.customer_type === "business"}
        />
        <TextField label="Contact person" name="contact_person" value={values.contact_person} onChange={set("contact_person")} errors={fields.contact_person} />
      </div>
      <div className="row">
        <TextField label="Email" name="email" type="email" autoComplete="off" value={values.email} onChange={set("email")} errors={fields.email} />
        <TextField label="Phone" name="phone" type="tel" autoComplete="off" value={values.phone} onChange={set("phone")} errors={fields.phone} />
      </div>
      <div className="row">
        <TextField label="Street" name="address_street" value={values.address_street} onChange={set("address_street")} errors={fields.address_street} />
        <TextField label="Postal code" name="address_zip" value={values.address_zip} onChange={set("address_zip")} errors={fields.address_zip} />
        <TextField label="City" name="address_city" value={values.address_city} onChange={set("address_city")} errors={fields.address_city} />
      </div>
      <div className="row">
        <TextField label="State or region" name="address_state" value={values.address_state} onChange={set("address_state")} errors={fields.address_state} />
        <TextField label="Country" name="address_country" value={values.address_country} onChange={set("address_country")} errors={fields.address_country} />
        <TextField label="Tax ID" name="tax_id" value={values.tax_id} onChange={set("tax_id")} errors={fields.tax_id} />
      </div>
      <TextField label="Tags" name="tags" value={values.tags} onChange={set("tags")} errors={fields.tags} hint="Separated by commas." />
      <TextAreaField label="Notes" name="notes" value={values.notes} onChange={set("notes")} errors={fields.notes} maxLength={2000} />
      <FormLevelError error={error} shown={SHOWN_FIELDS} />
      <FormActions submitLabel={submitLabel} pending={pending} onCancel={onCancel} />
    </form>
  );
}

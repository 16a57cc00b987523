import { useState, type FormEvent } from "react";
import { FormLevelError, TextAreaField, TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { FormActions } from "@/components/form-actions";
import { QueryState } from "@/components/states";
import { useCreateSupplier, useSuppliers, useUpdateSupplier, type Supplier, type SupplierFields } from "./api";

const TEXTS = ["name", "contact_person", "email", "phone", "website", "notes"] as const;
type Texts = Record<(typeof TEXTS)[number], string>;

/** The suppliers by name; managers add and change them. */
export function SupplierSection({ manager }: { manager: boolean }) {
  const suppliers = useSuppliers();
  const [editing, setEditing] = useState<null | "new" | Supplier>(null);
  return (
    <>
      <QueryState query={suppliers} isEmpty={(list) => list.length === 0} empty="No suppliers yet.">
        {(list) => (
          <div className="table-scroll">
            <table data-testid="suppliers-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Contact</th>
                  <th scope="col">Status</th>
                  {manager && (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {list.map((s) => (
                  <tr key={s.id} data-testid="supplier-row">
                    <td>
                      {s.name}
                      {s.website && <div className="muted">{s.website}</div>}
                    </td>
                    <td>
                      {s.contact_person ?? "—"}
                      {(s.email || s.phone) && <div className="muted">{[s.email, s.phone].filter(Boolean).join(" · ")}</div>}
                    </td>
                    <td>{s.is_active ? "Active" : <span className="badge">Not bought from</span>}</td>
                    {manager && (
                      <td>
                        <button type="button" className="button" onClick={() => setEditing(s)} aria-label={`Edit supplier ${s.name}`}>
                          Edit
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      {manager && editing === null && (
        <div className="inline-form">
          <button type="button" className="button" onClick={() => setEditing("new")}>
            New supplier
          </button>
        </div>
      )}
      {manager && editing !== null && (
        <SupplierForm key={editing === "new" ? "new" : editing.id} supplier={editing === "new" ? null : editing} onDone={() => setEditing(null)} />
      )}
    </>
  );
}

/** Create (`supplier` null) or change a supplier; a change sends only what changed. */
function SupplierForm({ supplier, onDone }: { supplier: Supplier | null; onDone: () => void }) {
  const create = useCreateSupplier();
  const update = useUpdateSupplier();
  const mutation = supplier ? update : create;
  const [original] = useState<Texts>(() => Object.fromEntries(TEXTS.map((key) => [key, supplier?.[key] ?? ""])) as Texts);
  const [form, setForm] = useState(original);
  const [active, setActive] = useState(supplier?.is_active ?? true);
  const errors = fieldErrors(mutation.error);
  const text = (key: keyof Texts) => ({ value: form[key], onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value })), errors: errors[key] });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: SupplierFields = {};
    for (const key of TEXTS) {
      const value = form[key].trim();
      // On create, empty fields are left out; on update, a cleared one is sent as "" (clears).
      if (supplier ? value !== original[key].trim() : value || key === "name") body[key] = value;
    }
    if (supplier ? active !== supplier.is_active : !active) body.is_active = active;
    if (supplier) {
      if (Object.keys(body).length === 0) onDone();
      else update.mutate({ id: supplier.id, body }, { onSuccess: onDone });
    } else create.mutate({ ...body, name: form.name.trim() }, { onSuccess: onDone });
  };

  return (
    <form className="stack inline-form" onSubmit={submit} noValidate aria-labelledby="supplier-form-title">
      <h3 id="supplier-form-title">{supplier ? `Edit ${supplier.name}` : "New supplier"}</h3>
      <div className="row">
        <TextField label="Supplier name" required maxLength={200} {...text("name")} />
        <TextField label="Contact person" maxLength={200} {...text("contact_person")} />
      </div>
      <div className="row">
        <TextField label="Supplier email" type="email" {...text("email")} />
        <TextField label="Supplier phone" type="tel" {...text("phone")} />
        <TextField label="Website" type="url" {...text("website")} />
      </div>
      <TextAreaField label="Supplier notes" maxLength={2000} {...text("notes")} />
      <label className="check">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
        Still bought from
      </label>
      <FormLevelError error={mutation.error} shown={TEXTS} />
      <FormActions submitLabel={supplier ? "Save supplier" : "Create supplier"} pending={mutation.isPending} onCancel={onDone} />
    </form>
  );
}

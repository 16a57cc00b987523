import { useState, type FormEvent } from "react";
import type { components } from "@/api/schema";
import { FormLevelError, SelectField, TextField } from "@/components/field";
import { NewPasswordField } from "@/components/new-password-field";
import { fieldErrors } from "@/components/field-errors";
import { FormActions } from "@/components/form-actions";
import { useCreateUser } from "./api";
import { ROLE_LABELS } from "./user-rules";

type Role = components["schemas"]["Role"];
type User = components["schemas"]["User"];

const EMPTY = { email: "", username: "", first_name: "", last_name: "", phone: "", password: "" };
const FIELDS = [...Object.keys(EMPTY), "role"];

/** Create an account with one of the roles the caller may give. */
export function NewUserForm({ roles, onCreated, onCancel }: { roles: Role[]; onCreated: (user: User) => void; onCancel: () => void }) {
  const create = useCreateUser();
  const [draft, setDraft] = useState(EMPTY);
  const [role, setRole] = useState<Role>(roles.includes("technician") ? "technician" : (roles[0] ?? "viewer"));
  const fields = fieldErrors(create.error);

  const set = (key: keyof typeof EMPTY) => (event: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: event.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { phone, ...rest } = draft;
    create.mutate({ ...rest, phone: phone.trim() || null, role }, { onSuccess: onCreated });
  };

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="new-user-title" noValidate>
      <h2 id="new-user-title">New user</h2>
      <div className="row">
        <TextField label="Email" name="email" type="email" autoComplete="off" required autoFocus value={draft.email} onChange={set("email")} errors={fields.email} />
        <TextField label="Username" name="username" autoComplete="off" required value={draft.username} onChange={set("username")} errors={fields.username} hint="3–50 letters, digits, _ or -" />
      </div>
      <div className="row">
        <TextField label="First name" name="first_name" required value={draft.first_name} onChange={set("first_name")} errors={fields.first_name} />
        <TextField label="Last name" name="last_name" required value={draft.last_name} onChange={set("last_name")} errors={fields.last_name} />
      </div>
      <div className="row">
        <TextField label="Phone (optional)" name="phone" type="tel" value={draft.phone} onChange={set("phone")} errors={fields.phone} />
        <SelectField
          label="Role"
          name="role"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          options={roles.map((r) => [r, ROLE_LABELS[r]] as const)}
          errors={fields.role}
        />
      </div>
      <NewPasswordField
        label="Password"
        name="password"
        required
        value={draft.password}
        onChange={set("password")}
        errors={fields.password}
      />
      <FormLevelError error={create.error} shown={FIELDS} />
      <FormActions submitLabel="Create user" pending={create.isPending} onCancel={onCancel} />
    </form>
  );
}

import { useState, type FormEvent } from "react";
import { Navigate, useNavigate } from "react-router-dom";
import { useSession } from "@/api/provider";
import { FormLevelError, TextField } from "@/components/field";
import { NewPasswordField } from "@/components/new-password-field";
import { fieldErrors } from "@/components/field-errors";
import { Loading } from "@/components/states";
import { useBootstrapAdmin, useHasAdmins } from "./api";
import { AuthFrame } from "./auth-frame";

const EMPTY = { email: "", username: "", first_name: "", last_name: "", password: "" };
const FIELDS = Object.keys(EMPTY);

/** First run: create the first administrator (only while none exists), then sign in. */
export function BootstrapPage() {
  const session = useSession();
  const hasAdmins = useHasAdmins();
  const bootstrap = useBootstrapAdmin();
  const navigate = useNavigate();
  const [form, setForm] = useState(EMPTY);

  if (session) return <Navigate to="/" replace />;
  if (hasAdmins.isPending) return <Loading />;
  if (hasAdmins.data) return <Navigate to="/login" replace />;

  const set = (key: keyof typeof EMPTY) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.target.value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    bootstrap.mutate(form, { onSuccess: () => navigate("/") });
  };
  const fields = fieldErrors(bootstrap.error);

  return (
    <AuthFrame title="Create the first administrator">
      <p>This workshop has no accounts yet. The first account manages everything else.</p>
      <form onSubmit={submit} className="stack">
        <TextField label="Email" name="email" type="email" required value={form.email} onChange={set("email")} errors={fields.email} />
        <TextField label="Username" name="username" required value={form.username} onChange={set("username")} errors={fields.username} />
        <div className="row">
          <TextField label="First name" name="first_name" required value={form.first_name} onChange={set("first_name")} errors={fields.first_name} />
          <TextField label="Last name" name="last_name" required value={form.last_name} onChange={set("last_name")} errors={fields.last_name} />
        </div>
        <NewPasswordField
          label="Password"
          name="password"
          required
          value={form.password}
          onChange={set("password")}
          errors={fields.password}
        />
        <FormLevelError error={bootstrap.error} shown={FIELDS} />
        <button type="submit" className="button primary" disabled={bootstrap.isPending}>
          Create administrator
        </button>
      </form>
    </AuthFrame>
  );
}

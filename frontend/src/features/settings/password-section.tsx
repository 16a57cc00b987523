import { useState, type FormEvent } from "react";
import type { FieldErrors } from "@/api/errors";
import { FormLevelError, TextField } from "@/components/field";
import { NewPasswordField } from "@/components/new-password-field";
import { fieldErrors } from "@/components/field-errors";
import { useChangePassword } from "./api";
import { checkPasswordChange, type PasswordChangeDraft } from "./password-rules";

const EMPTY: PasswordChangeDraft = { current_password: "", new_password: "", confirm_password: "" };

/** Change your password: the current one, then the new one twice. */
export function PasswordSection() {
  const change = useChangePassword();
  const [draft, setDraft] = useState(EMPTY);
  const [checked, setChecked] = useState<FieldErrors>({});
  const [done, setDone] = useState(false);
  // The server's messages for the fields it names, else the form's own checks.
  const server = fieldErrors(change.error);
  const fields: FieldErrors = { ...checked, ...server };
  const set = (key: keyof PasswordChangeDraft) => (e: { target: { value: string } }) => {
    setDraft((d) => ({ ...d, [key]: e.target.value }));
    setDone(false);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = checkPasswordChange(draft);
    setChecked(problems);
    change.reset();
    if (Object.keys(problems).length > 0) return;
    change.mutate(
      { current_password: draft.current_password, new_password: draft.new_password },
      {
        onSuccess: () => {
          setDraft(EMPTY);
          setDone(true);
        },
      },
    );
  };

  return (
    <section className="card settings-section" aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <form className="stack settings-narrow" onSubmit={submit} noValidate>
        <TextField label="Current password" name="current_password" type="password" autoComplete="current-password" value={draft.current_password} onChange={set("current_password")} errors={fields.current_password} />
        <NewPasswordField
          label="New password"
          name="new_password"
          value={draft.new_password}
          onChange={set("new_password")}
          errors={fields.new_password}
        />
        <TextField label="Confirm new password" name="confirm_password" type="password" autoComplete="new-password" value={draft.confirm_password} onChange={set("confirm_password")} errors={fields.confirm_password} />
        <FormLevelError error={change.error} shown={["current_password", "new_password"]} />
        {done && (
          <p className="settings-ok" role="status">
            Password changed. Your other sessions have ended.
          </p>
        )}
        <div>
          <button type="submit" className="button primary" disabled={change.isPending}>
            Change password
          </button>
        </div>
      </form>
    </section>
  );
}

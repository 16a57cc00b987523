import { useState, type FormEvent } from "react";
import type { components } from "@/api/schema";
import { FormLevelError } from "@/components/field";
import { QueryState } from "@/components/states";
import { useAppSettings, useUpdateAppSettings } from "./api";

type AppSettings = components["schemas"]["AppSettings"];

/** Application-wide settings (admins). */
export function ApplicationSection() {
  const settings = useAppSettings(true);
  // Held here: a saved change remounts the form (new starting values), the outcome stays.
  const update = useUpdateAppSettings();
  return (
    <section className="card settings-section" aria-labelledby="application-title">
      <h2 id="application-title">Application</h2>
      <QueryState query={settings}>{(current) => <ApplicationForm key={String(current.signup_enabled)} current={current} update={update} />}</QueryState>
    </section>
  );
}

function ApplicationForm({ current, update }: { current: AppSettings; update: ReturnType<typeof useUpdateAppSettings> }) {
  const [signup, setSignup] = useState(current.signup_enabled);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ signup_enabled: signup });
  };
  return (
    <form className="stack" onSubmit={submit}>
      <label className="settings-check">
        <input type="checkbox" name="signup_enabled" checked={signup} onChange={(e) => setSignup(e.target.checked)} />
        Allow sign-up: anyone who reaches the app can create an account with the viewer role
      </label>
      <FormLevelError error={update.error} shown={[]} />
      {update.isSuccess && signup === current.signup_enabled && (
        <p className="settings-ok" role="status">
          Settings saved.
        </p>
      )}
      <div>
        <button type="submit" className="button primary" disabled={update.isPending || signup === current.signup_enabled}>
          Save settings
        </button>
      </div>
    </form>
  );
}

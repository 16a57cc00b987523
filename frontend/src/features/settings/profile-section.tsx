import { useState, type FormEvent } from "react";
import type { components } from "@/api/schema";
import { FormLevelError, TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { QueryState } from "@/components/states";
import { useMe, useUpdateProfile } from "./api";
import { PROFILE_FIELDS, profileChanges, profileDraft, type ProfileDraft } from "./profile-changes";

type User = components["schemas"]["User"];

/** Your names, username, email and phone. */
export function ProfileSection() {
  const me = useMe();
  const update = useUpdateProfile();
  const [saved, setSaved] = useState(false);
  return (
    <section className="card settings-section" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <QueryState query={me}>
        {(user) => (
          // A new server copy (after saving) starts the form again from its values.
          <ProfileForm
            key={user.updated_at}
            user={user}
            update={update}
            saved={saved}
            onSubmit={(body) => {
              setSaved(false);
              update.mutate({ id: user.id, body }, { onSuccess: () => setSaved(true) });
            }}
          />
        )}
      </QueryState>
    </section>
  );
}

function ProfileForm({
  user,
  update,
  saved,
  onSubmit,
}: {
  user: User;
  update: ReturnType<typeof useUpdateProfile>;
  saved: boolean;
  onSubmit: (body: components["schemas"]["UserUpdate"]) => void;
}) {
  const [draft, setDraft] = useState<ProfileDraft>(() => profileDraft(user));
  const changes = profileChanges(user, draft);
  const unchanged = Object.keys(changes).length === 0;
  const fields = fieldErrors(update.error);
  const set = (key: keyof ProfileDraft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!unchanged) onSubmit(changes);
  };

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <div className="row">
        <TextField label="First name" name="first_name" autoComplete="given-name" value={draft.first_name} onChange={set("first_name")} errors={fields.first_name} />
        <TextField label="Last name" name="last_name" autoComplete="family-name" value={draft.last_name} onChange={set("last_name")} errors={fields.last_name} />
      </div>
      <div className="row">
        <TextField label="Username" name="username" autoComplete="username" value={draft.username} onChange={set("username")} errors={fields.username} />
        <TextField label="Email" name="email" type="email" autoComplete="email" value={draft.email} onChange={set("email")} errors={fields.email} />
      </div>
      <TextField label="Phone" name="phone" type="tel" autoComplete="tel" value={draft.phone} onChange={set("phone")} errors={fields.phone} hint="Leave empty to remove it." />
      <FormLevelError error={update.error} shown={PROFILE_FIELDS} />
      {saved && !update.error && unchanged && (
        <p className="settings-ok" role="status">
          Profile saved.
        </p>
      )}
      <div>
        <button type="submit" className="button primary" disabled={update.isPending || unchanged}>
          Save profile
        </button>
      </div>
    </form>
  );
}

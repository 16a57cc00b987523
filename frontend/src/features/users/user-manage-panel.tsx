import { useState, type FormEvent, type ReactNode } from "react";
import { Link } from "react-router-dom";
import type { components } from "@/api/schema";
import { ConfirmButton } from "@/components/confirm-button";
import { FormLevelError, SelectField, TextAreaField, TextField } from "@/components/field";
import { NewPasswordField } from "@/components/new-password-field";
import { fieldErrors } from "@/components/field-errors";
import { useBanUser, useChangeRole, useDeleteUser, useResetPassword, useUnbanUser, useUpdateUser } from "./api";
import { ROLE_LABELS, accountStatus, assignableRoles, canManage, displayName } from "./user-rules";

type Role = components["schemas"]["Role"];
type User = components["schemas"]["User"];

/** One labelled block of the panel. */
function Part({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="user-part" aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

/** What `caller` may do to `user`: edit, role, ban, (de)activate, password, delete. */
export function UserManagePanel({ user, caller, onDeleted }: { user: User; caller: User; onDeleted: () => void }) {
  const [notice, setNotice] = useState<string | null>(null);
  const admin = caller.role === "admin";
  const done = (message: string) => () => setNotice(message);
  const status = notice && (
    <p className="user-notice" role="status">
      {notice}
    </p>
  );
  if (user.id === caller.id) {
    // Your own account: the profile lives in Settings; an admin may still hand over the role
    // (the server refuses to demote the last active admin).
    return (
      <div className="user-manage" data-testid="user-manage">
        {status}
        <p className="notice">
          This is your own account: change your profile, password and sign-in in <Link to="/settings">Settings</Link>.
        </p>
        {admin && (
          <div className="user-parts">
            <RolePart user={user} roles={assignableRoles(caller.role)} onDone={done("Role changed.")} />
          </div>
        )}
      </div>
    );
  }
  return (
    <div className="user-manage" data-testid="user-manage">
      {status}
      <div className="user-parts">
        {canManage(caller.role, user.role) && <ProfilePart user={user} onDone={done("Profile saved.")} />}
        {admin && <RolePart user={user} roles={assignableRoles(caller.role)} onDone={done("Role changed.")} />}
        {admin && <AccessPart user={user} onDone={setNotice} />}
        {admin && <PasswordPart user={user} onDone={done("Password set; their sessions have ended.")} />}
        {admin && <DeletePart user={user} onDeleted={onDeleted} />}
        {!admin && !canManage(caller.role, user.role) && <p className="notice">Only admins can manage {ROLE_LABELS[user.role].toLowerCase()} accounts.</p>}
      </div>
    </div>
  );
}

const PROFILE_FIELDS = ["first_name", "last_name", "username", "email", "phone"] as const;

function ProfilePart({ user, onDone }: { user: User; onDone: () => void }) {
  const update = useUpdateUser();
  const [draft, setDraft] = useState({
    first_name: user.first_name,
    last_name: user.last_name,
    username: user.username,
    email: user.email,
    phone: user.phone ?? "",
  });
  const fields = fieldErrors(update.error);
  const set = (key: keyof typeof draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ id: user.id, body: draft }, { onSuccess: onDone });
  };
  return (
    <Part title="Profile">
      <form className="stack" onSubmit={submit} noValidate>
        <div className="row">
          <TextField label="First name" value={draft.first_name} onChange={set("first_name")} errors={fields.first_name} />
          <TextField label="Last name" value={draft.last_name} onChange={set("last_name")} errors={fields.last_name} />
        </div>
        <div className="row">
          <TextField label="Username" value={draft.username} onChange={set("username")} errors={fields.username} />
          <TextField label="Email" type="email" value={draft.email} onChange={set("email")} errors={fields.email} />
        </div>
        <TextField label="Phone" type="tel" value={draft.phone} onChange={set("phone")} errors={fields.phone} />
        <FormLevelError error={update.error} shown={PROFILE_FIELDS} />
        <div>
          <button type="submit" className="button" disabled={update.isPending}>
            Save profile
          </button>
        </div>
      </form>
    </Part>
  );
}

function RolePart({ user, roles, onDone }: { user: User; roles: Role[]; onDone: () => void }) {
  const change = useChangeRole();
  const [role, setRole] = useState<Role>(user.role);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ id: user.id, role }, { onSuccess: onDone });
  };
  return (
    <Part title="Role">
      <form className="stack" onSubmit={submit}>
        <SelectField
          label="New role"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          options={roles.map((r) => [r, ROLE_LABELS[r]] as const)}
          errors={fieldErrors(change.error).role}
        />
        <FormLevelError error={change.error} shown={["role"]} />
        <div>
          <button type="submit" className="button" disabled={change.isPending || role === user.role}>
            Change role
          </button>
        </div>
      </form>
    </Part>
  );
}

/** Ban/unban and activate/deactivate: the two ways to keep someone from signing in. */
function AccessPart({ user, onDone }: { user: User; onDone: (message: string) => void }) {
  const ban = useBanUser();
  const unban = useUnbanUser();
  const update = useUpdateUser();
  const [reason, setReason] = useState("");
  const status = accountStatus(user);

  const submitBan = (event: FormEvent) => {
    event.preventDefault();
    ban.mutate({ id: user.id, reason }, { onSuccess: () => onDone("User banned; their sessions have ended.") });
  };
  const toggleActive = () =>
    update.mutate(
      { id: user.id, body: { is_active: !user.is_active } },
      { onSuccess: () => onDone(user.is_active ? "Account deactivated." : "Account activated.") },
    );

  return (
    <Part title="Access">
      <div className="stack">
        {user.banned_at ? (
          <div className="stack">
            <p>
              Banned on {new Date(user.banned_at).toLocaleString()}
              {user.ban_reason ? `: ${user.ban_reason}` : "."}
            </p>
            <FormLevelError error={unban.error} shown={[]} />
            <div>
              <button type="button" className="button" disabled={unban.isPending} onClick={() => unban.mutate(user.id, { onSuccess: () => onDone("Ban lifted.") })}>
                Unban
              </button>
            </div>
          </div>
        ) : (
          <form className="stack" onSubmit={submitBan}>
            <TextAreaField label="Ban reason (optional)" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} errors={fieldErrors(ban.error).reason} />
            <FormLevelError error={ban.error} shown={["reason"]} />
            <div>
              <button type="submit" className="button danger" disabled={ban.isPending}>
                Ban user
              </button>
            </div>
          </form>
        )}
        <p className="notice">
          {status === "inactive" ? "The account is deactivated: it cannot sign in." : "Deactivating ends the account's sessions; it can be activated again."}
        </p>
        <FormLevelError error={update.error} shown={[]} />
        <div>
          <button type="button" className="button" disabled={update.isPending} onClick={toggleActive}>
            {user.is_active ? "Deactivate" : "Activate"}
          </button>
        </div>
      </div>
    </Part>
  );
}

function PasswordPart({ user, onDone }: { user: User; onDone: () => void }) {
  const reset = useResetPassword();
  const [password, setPassword] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reset.mutate(
      { id: user.id, new_password: password },
      {
        onSuccess: () => {
          setPassword("");
          onDone();
        },
      },
    );
  };
  return (
    <Part title="Reset password">
      <form className="stack" onSubmit={submit} noValidate>
        <NewPasswordField
          label="New password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          errors={fieldErrors(reset.error).new_password}
        />
        <FormLevelError error={reset.error} shown={["new_password"]} />
        <div>
          <button type="submit" className="button" disabled={reset.isPending}>
            Set password
          </button>
        </div>
      </form>
    </Part>
  );
}

function DeletePart({ user, onDeleted }: { user: User; onDeleted: () => void }) {
  const remove = useDeleteUser();
  return (
    <Part title="Delete">
      <div className="stack">
        <ConfirmButton
          layout="stacked"
          label="Delete user…"
          prompt={`Delete ${displayName(user)} (${user.email})? They can no longer sign in and their sessions end at once.`}
          confirmLabel="Yes, delete user"
          pending={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(user.id, { onSuccess: onDeleted })}
        />
      </div>
    </Part>
  );
}

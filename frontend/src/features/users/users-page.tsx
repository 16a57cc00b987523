import { Fragment, useEffect, useState } from "react";
import { useSession } from "@/api/provider";
import type { components } from "@/api/schema";
import { SelectField, TextField } from "@/components/field";
import { Page } from "@/components/page";
import { Pager } from "@/components/pager";
import { QueryState } from "@/components/states";
import { USERS_PAGE_SIZE, useUsers, type UserFilters } from "./api";
import { NewUserForm } from "./new-user-form";
import { UserManagePanel } from "./user-manage-panel";
import { ROLE_LABELS, accountStatus, assignableRoles, canManage, displayName } from "./user-rules";
import "./users.css";

type Role = components["schemas"]["Role"];
type User = components["schemas"]["User"];

const ROLE_FILTER = [["", "All roles"], ...Object.entries(ROLE_LABELS)] as const;
const STATUS_FILTER = [
  ["", "Any status"],
  ["true", "Active"],
  ["false", "Inactive"],
] as const;

const STATUS_TEXT = { active: "Active", inactive: "Inactive", banned: "Banned" } as const;

/** Users (admins and supervisors): find, create and manage accounts. */
export function UsersPage() {
  const session = useSession();
  const [role, setRole] = useState<Role | "">("");
  const [active, setActive] = useState("");
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [offset, setOffset] = useState(0);
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  // Search as the user types, once they pause.
  useEffect(() => {
    const timer = setTimeout(() => {
      setQ(search.trim());
      setOffset(0);
    }, 300);
    return () => clearTimeout(timer);
  }, [search]);

  const filters: UserFilters = { role: role || undefined, active: active === "" ? undefined : active === "true", q: q || undefined, offset };
  const users = useUsers(filters);
  if (!session) return null;
  const caller = session.user;
  const roles = assignableRoles(caller.role);

  if (creating) {
    return (
      <Page title="Users">
        <NewUserForm
          roles={roles}
          onCancel={() => setCreating(false)}
          onCreated={(user) => {
            setCreating(false);
            setCreated(`${user.email} was created.`);
          }}
        />
      </Page>
    );
  }

  const actions =
    roles.length > 0 ? (
      <button
        type="button"
        className="button primary"
        onClick={() => {
          setCreated(null);
          setCreating(true);
        }}
      >
        New user
      </button>
    ) : undefined;

  return (
    <Page title="Users" actions={actions}>
      {created && (
        <p className="user-notice" role="status">
          {created}
        </p>
      )}
      <form className="row users-filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextField label="Search" type="search" placeholder="Email, username or name" value={search} onChange={(e) => setSearch(e.target.value)} />
        <SelectField
          label="Filter by role"
          value={role}
          onChange={(e) => {
            setRole(e.target.value as Role | "");
            setOffset(0);
          }}
          options={ROLE_FILTER}
        />
        <SelectField
          label="Status"
          value={active}
          onChange={(e) => {
            setActive(e.target.value);
            setOffset(0);
          }}
          options={STATUS_FILTER}
        />
      </form>
      <QueryState
        query={users}
        isEmpty={(page) => page.items.length === 0}
        empty={q || role || active ? "No users match these filters." : "No users yet."}
      >
        {(page) => (
          <>
            <div className="users-table-wrap">
              <table data-testid="users-table" aria-busy={users.isFetching}>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Email</th>
                    <th scope="col">Username</th>
                    <th scope="col">Role</th>
                    <th scope="col">Status</th>
                    <th scope="col">Last sign-in</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((user) => (
                    <Fragment key={user.id}>
                      <UserRow
                        user={user}
                        isYou={user.id === caller.id}
                        manageable={caller.role === "admin" || user.id === caller.id || canManage(caller.role, user.role)}
                        open={open === user.id}
                        onToggle={() => setOpen(open === user.id ? null : user.id)}
                      />
                      {open === user.id && (
                        <tr className="user-manage-row">
                          <td colSpan={7} id={`manage-${user.id}`}>
                            <UserManagePanel user={user} caller={caller} onDeleted={() => setOpen(null)} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager total={page.total} limit={USERS_PAGE_SIZE} offset={offset} onOffset={setOffset} />
          </>
        )}
      </QueryState>
    </Page>
  );
}

function UserRow({ user, isYou, manageable, open, onToggle }: { user: User; isYou: boolean; manageable: boolean; open: boolean; onToggle: () => void }) {
  const status = accountStatus(user);
  return (
    <tr data-testid="user-row">
      <td>
        {displayName(user)} {isYou && <span className="badge">You</span>}
      </td>
      <td>{user.email}</td>
      <td>{user.username}</td>
      <td>
        <span className={`badge role-${user.role}`}>{ROLE_LABELS[user.role]}</span>
      </td>
      <td>
        <span className={`badge status-${status}`} title={status === "banned" && user.ban_reason ? user.ban_reason : undefined}>
          {STATUS_TEXT[status]}
        </span>{" "}
        {user.two_factor_enabled && <span className="badge">2FA</span>}
      </td>
      <td>{user.last_login_at ? new Date(user.last_login_at).toLocaleString() : "Never"}</td>
      <td>
        {manageable && (
          <button type="button" className="button" aria-expanded={open} aria-controls={open ? `manage-${user.id}` : undefined} onClick={onToggle}>
            {open ? "Close" : "Manage"}
            <span className="visually-hidden"> {user.email}</span>
          </button>
        )}
      </td>
    </tr>
  );
}

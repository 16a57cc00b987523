// What the user screens may offer whom. The server decides; these rules only keep the UI from
// offering what it would refuse (see `sidecar/src/users/guard.rs`).
import type { components } from "@/api/schema";

type Role = components["schemas"]["Role"];
type User = components["schemas"]["User"];

/** Every role, workshop roles first, with the name people read. */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: "Admin",
  supervisor: "Supervisor",
  technician: "Technician",
  viewer: "Viewer",
  operator: "Operator",
  plant_head: "Plant head",
  auditor: "Auditor",
};

const ALL_ROLES = Object.keys(ROLE_LABELS) as Role[];

/** Roles a supervisor may create and manage. */
const SUPERVISED: readonly Role[] = ["technician", "viewer"];

/** The roles `caller` may give to a new account: admins any, supervisors technician and viewer. */
export function assignableRoles(caller: Role): Role[] {
  if (caller === "admin") return ALL_ROLES;
  if (caller === "supervisor") return [...SUPERVISED];
  return [];
}

/** Whether `caller` may edit the profile of an account with `target` role. */
export function canManage(caller: Role, target: Role): boolean {
  return assignableRoles(caller).includes(target);
}

/** Where an account stands: a ban wins over deactivation. */
export type AccountStatus = "banned" | "inactive" | "active";

export function accountStatus(user: Pick<User, "banned_at" | "is_active">): AccountStatus {
  if (user.banned_at) return "banned";
  return user.is_active ? "active" : "inactive";
}

/** "Ada Lovelace", or the username when both names are blank. */
export function displayName(user: Pick<User, "first_name" | "last_name" | "username">): string {
  return `${user.first_name} ${user.last_name}`.trim() || user.username;
}

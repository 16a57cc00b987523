import type { User } from "@/api/session";

/** `First Last`, the way people are named across the task screens. */
export const personName = (user: Pick<User, "first_name" | "last_name">) => `${user.first_name} ${user.last_name}`.trim();

/** Technician id → name, from the technicians list (empty for roles that may not list users). */
export function technicianNames(users: readonly User[] | undefined): Map<string, string> {
  return new Map((users ?? []).map((u) => [u.id, personName(u)]));
}

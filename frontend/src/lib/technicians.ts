import { useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/errors";
import { useApi } from "@/api/provider";
import type { User } from "@/api/session";
import { userKeys } from "./query-keys";

/** "First Last", the way people are shown; the username when both names are empty. */
export const personName = (user: Pick<User, "first_name" | "last_name" | "username">) =>
  `${user.first_name} ${user.last_name}`.trim() || user.username;

/** The server's largest page; a workshop has far fewer technicians. */
const PAGE = 500;

/**
 * Every technician, active or not (a past booking or assignment still needs a name), sorted by
 * name: the one list every screen filters by, assigns to and names people from. Only managers may
 * list users (others get 403), hence `enabled`.
 */
export function useTechnicians(enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: userKeys.technicians(),
    queryFn: async (): Promise<User[]> => {
      const page = await unwrap(api.GET("/api/v1/users", { params: { query: { role: "technician", limit: PAGE, sort: "username" } } }));
      return [...page.items].sort((a, b) => personName(a).localeCompare(personName(b)));
    },
    enabled,
    staleTime: 60_000,
  });
}

/** Technician id → name (empty for roles that may not list users). */
export function technicianNames(users: readonly User[] | undefined): Map<string, string> {
  return new Map((users ?? []).map((u) => [u.id, personName(u)]));
}

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "@/api/errors";
import { useApi, useSessions } from "@/api/provider";
import type { components } from "@/api/schema";
import { userKeys, type UserListQuery } from "@/lib/query-keys";
import type { Role } from "@/lib/roles";

type User = components["schemas"]["User"];

/** The filters of the user list (`GET /users`). */
export interface UserFilters {
  role?: Role | undefined;
  active?: boolean | undefined;
  q?: string | undefined;
  offset: number;
}

/** Rows per page of the user list. */
export const USERS_PAGE_SIZE = 25;

/** One page of users; the previous page stays on screen while the next loads. */
export function useUsers(filters: UserFilters) {
  const api = useApi();
  const query: UserListQuery = {
    limit: USERS_PAGE_SIZE,
    offset: filters.offset,
    sort: "username",
    ...(filters.role && { role: filters.role }),
    ...(filters.active !== undefined && { active: filters.active }),
    ...(filters.q && { q: filters.q }),
  };
  return useQuery({
    queryKey: userKeys.list(query),
    queryFn: () => unwrap(api.GET("/api/v1/users", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/**
 * A user mutation that refreshes the user lists when it succeeds, and the session's user when
 * the change was to the caller's own account (an admin handing over their role).
 */
function useUserMutation<Vars>(call: (vars: Vars) => Promise<User>) {
  const queryClient = useQueryClient();
  const sessions = useSessions();
  return useMutation({
    mutationFn: call,
    onSuccess: (user) => {
      if (user.id === sessions.current?.user.id) sessions.setUser(user);
      return queryClient.invalidateQueries({ queryKey: userKeys.all });
    },
  });
}

/** Create a user with a role (`POST /users`). */
export function useCreateUser() {
  const api = useApi();
  return useUserMutation((body: components["schemas"]["NewUser"]) => unwrap(api.POST("/api/v1/users", { body })));
}

/** Change a user's role (admin). */
export function useChangeRole() {
  const api = useApi();
  return useUserMutation(({ id, role }: { id: string; role: Role }) =>
    unwrap(api.PUT("/api/v1/users/{id}/role", { params: { path: { id } }, body: { role } })),
  );
}

/** Ban a user with an optional reason (admin). */
export function useBanUser() {
  const api = useApi();
  return useUserMutation(({ id, reason }: { id: string; reason: string }) =>
    unwrap(api.POST("/api/v1/users/{id}/ban", { params: { path: { id } }, body: { reason: reason.trim() || null } })),
  );
}

/** Lift a ban (admin). */
export function useUnbanUser() {
  const api = useApi();
  return useUserMutation((id: string) => unwrap(api.POST("/api/v1/users/{id}/unban", { params: { path: { id } } })));
}

/** Change a user's profile or activate/deactivate it (`PATCH /users/{id}`). */
export function useUpdateUser() {
  const api = useApi();
  return useUserMutation(({ id, body }: { id: string; body: components["schemas"]["UserUpdate"] }) =>
    unwrap(api.PATCH("/api/v1/users/{id}", { params: { path: { id } }, body })),
  );
}

/** Set a user's password (admin); their sessions end. */
export function useResetPassword() {
  const api = useApi();
  return useUserMutation(({ id, new_password }: { id: string; new_password: string }) =>
    unwrap(api.PUT("/api/v1/users/{id}/password", { params: { path: { id } }, body: { new_password } })),
  );
}

/** Delete a user (admin). */
export function useDeleteUser() {
  const api = useApi();
  return useUserMutation((id: string) => unwrap(api.DELETE("/api/v1/users/{id}", { params: { path: { id } } })));
}

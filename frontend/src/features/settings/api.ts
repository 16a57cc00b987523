import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { invoke } from "@tauri-apps/api/core";
import { unwrap } from "@/api/errors";
import { useApi, useSessions } from "@/api/provider";
import type { components } from "@/api/schema";
import { meKeys, sessionKeys, settingsKeys, systemKeys, userKeys } from "@/lib/query-keys";
import { isTauri } from "@/lib/tauri";

type User = components["schemas"]["User"];
type TwoFactorStatus = components["schemas"]["TwoFactorStatus"];

/** You, fresh from the server (the session's copy may be older). */
export function useMe() {
  const api = useApi();
  return useQuery({
    queryKey: meKeys.user(),
    queryFn: () => unwrap(api.GET("/api/v1/auth/me")),
  });
}

/** Keep the session's user and the cached "me" in step with a user the server returned. */
function useAdoptUser() {
  const sessions = useSessions();
  const queryClient = useQueryClient();
  return (user: User) => {
    sessions.setUser(user);
    queryClient.setQueryData(meKeys.user(), user);
    void queryClient.invalidateQueries({ queryKey: userKeys.all });
  };
}

/** Change your own profile (`PATCH /users/{own id}`). */
export function useUpdateProfile() {
  const api = useApi();
  const adopt = useAdoptUser();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: components["schemas"]["UserUpdate"] }) =>
      unwrap(api.PATCH("/api/v1/users/{id}", { params: { path: { id } }, body })),
    onSuccess: adopt,
  });
}

/** Change your own password; your other sessions end. */
export function useChangePassword() {
  const api = useApi();
  const adopt = useAdoptUser();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: components["schemas"]["PasswordChange"]) => unwrap(api.PUT("/api/v1/me/password", { body })),
    onSuccess: (user) => {
      adopt(user);
      void queryClient.invalidateQueries({ queryKey: sessionKeys.mine() });
    },
  });
}

/** Your 2FA state. */
export function useTwoFactorStatus() {
  const api = useApi();
  return useQuery({ queryKey: meKeys.twoFactor(), queryFn: () => unwrap(api.GET("/api/v1/auth/2fa/status")) });
}

/** After a 2FA change: the new status, and the session's user's `two_factor_enabled`. */
function useAdoptTwoFactor() {
  const queryClient = useQueryClient();
  const sessions = useSessions();
  return (status: TwoFactorStatus) => {
    queryClient.setQueryData(meKeys.twoFactor(), status);
    const user = sessions.current?.user;
    if (user && user.two_factor_enabled !== status.enabled) sessions.setUser({ ...user, two_factor_enabled: status.enabled });
    void queryClient.invalidateQueries({ queryKey: meKeys.all });
  };
}

/** Start 2FA setup: a new secret and its QR code. */
export function useSetupTwoFactor() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/auth/2fa/setup")),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meKeys.twoFactor() }),
  });
}

/** Confirm setup with a code: 2FA is on, and the 10 backup codes come back (once). */
export function useConfirmTwoFactor() {
  const api = useApi();
  const adopt = useAdoptTwoFactor();
  return useMutation({
    mutationFn: (code: string) => unwrap(api.POST("/api/v1/auth/2fa/confirm", { body: { code } })),
    onSuccess: (codes) => adopt({ enabled: true, pending_setup: false, backup_codes_remaining: codes.backup_codes.length }),
  });
}

/** Turn 2FA off (needs the password). */
export function useDisableTwoFactor() {
  const api = useApi();
  const adopt = useAdoptTwoFactor();
  return useMutation({
    mutationFn: (password: string) => unwrap(api.POST("/api/v1/auth/2fa/disable", { body: { password } })),
    onSuccess: adopt,
  });
}

/** Replace the backup codes (needs the password). */
export function useRegenerateBackupCodes() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (password: string) => unwrap(api.POST("/api/v1/auth/2fa/backup-codes", { body: { password } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meKeys.twoFactor() }),
  });
}

/** Your live sessions. */
export function useMySessions() {
  const api = useApi();
  return useQuery({
    queryKey: sessionKeys.mine(),
    queryFn: () => unwrap(api.GET("/api/v1/security/sessions", { params: { query: { limit: 100 } } })),
  });
}

/** End one of your sessions. */
export function useRevokeSession() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/security/sessions/{id}", { params: { path: { id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: sessionKeys.mine() }),
  });
}

/** End every session but this one. */
export function useRevokeOtherSessions() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/security/sessions/revoke-others")),
    onSettled: () => queryClient.invalidateQueries({ queryKey: sessionKeys.mine() }),
  });
}

/** Application settings (admin). */
export function useAppSettings(enabled: boolean) {
  const api = useApi();
  return useQuery({ queryKey: settingsKeys.app(), queryFn: () => unwrap(api.GET("/api/v1/settings")), enabled });
}

/** Change application settings (admin). */
export function useUpdateAppSettings() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: components["schemas"]["AppSettingsUpdate"]) => unwrap(api.PATCH("/api/v1/settings", { body })),
    onSuccess: (settings) => queryClient.setQueryData(settingsKeys.app(), settings),
  });
}

/** The server's build (`GET /system/info`). */
export function useSystemInfo() {
  const api = useApi();
  return useQuery({ queryKey: systemKeys.info(), queryFn: () => unwrap(api.GET("/api/v1/system/info")), staleTime: Infinity });
}

/**
 * What the shell's `get_app_info` command answers (`tauri/src/commands.rs` `AppInfo`; a shell
 * command, not part of the REST API, so not in the generated schema).
 */
export interface AppInfo {
  name: string;
  version: string;
  tauri_version: string;
  os: string;
  arch: string;
  data_dir: string;
  log_dir: string;
}

/** The desktop app's name, version and folders; only inside the shell. */
export function useAppInfo() {
  return useQuery({
    queryKey: systemKeys.appInfo(),
    queryFn: () => invoke<AppInfo>("get_app_info"),
    enabled: isTauri(),
    staleTime: Infinity,
  });
}

/** Open the log folder in the file manager (shell only). */
export function useOpenLogsDir() {
  return useMutation({ mutationFn: () => invoke<void>("open_logs_dir") });
}

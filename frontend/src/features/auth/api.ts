import { useMutation, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/errors";
import { useApi, useSessions } from "@/api/provider";
import type { components } from "@/api/schema";
import { authKeys } from "@/lib/query-keys";

type Tokens = components["schemas"]["SessionTokens"];
type Challenge = components["schemas"]["TwoFactorChallenge"];

/** Signed in, or the 2FA step is still to come. */
export type LoginResult = { kind: "signed-in" } | { kind: "2fa"; challengeToken: string };

/** Whether the first admin exists yet (first run shows the bootstrap screen). */
export function useHasAdmins() {
  const api = useApi();
  return useQuery({
    queryKey: authKeys.hasAdmins(),
    queryFn: () => unwrap(api.GET("/api/v1/auth/has-admins")).then((d) => d.has_admins),
  });
}

function isChallenge(outcome: Tokens | Challenge): outcome is Challenge {
  return "requires_2fa" in outcome && outcome.requires_2fa;
}

/** Sign in with email and password; keeps the tokens, or returns the 2FA challenge. */
export function useLogin() {
  const api = useApi();
  const sessions = useSessions();
  return useMutation({
    mutationFn: async (body: { email: string; password: string }): Promise<LoginResult> => {
      const outcome = await unwrap(api.POST("/api/v1/auth/login", { body }));
      if (isChallenge(outcome)) return { kind: "2fa", challengeToken: outcome.challenge_token };
      sessions.set({ accessToken: outcome.access_token, refreshToken: outcome.refresh_token, user: outcome.user });
      return { kind: "signed-in" };
    },
  });
}

/** Finish a 2FA sign-in with an authenticator or backup code. */
export function useLoginTwoFactor() {
  const api = useApi();
  const sessions = useSessions();
  return useMutation({
    mutationFn: async (body: { challenge_token: string; code: string }) => {
      const tokens = await unwrap(api.POST("/api/v1/auth/login/2fa", { body }));
      sessions.set({ accessToken: tokens.access_token, refreshToken: tokens.refresh_token, user: tokens.user });
    },
  });
}

/** Create the first admin (first run only), then sign in as them. */
export function useBootstrapAdmin() {
  const api = useApi();
  const sessions = useSessions();
  return useMutation({
    mutationFn: async (body: components["schemas"]["NewAccount"]) => {
      await unwrap(api.POST("/api/v1/auth/bootstrap-admin", { body }));
      const outcome = await unwrap(api.POST("/api/v1/auth/login", { body: { email: body.email, password: body.password } }));
      if (isChallenge(outcome)) throw new Error("unexpected 2FA for a new account");
      sessions.set({ accessToken: outcome.access_token, refreshToken: outcome.refresh_token, user: outcome.user });
    },
  });
}

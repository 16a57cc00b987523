import { useState, type FormEvent } from "react";
import { Navigate, useNavigate } from "react-router-dom";
import { ApiError } from "@/api/errors";
import { useSession } from "@/api/provider";
import { FormLevelError, TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { Loading } from "@/components/states";
import { useHasAdmins, useLogin, useLoginTwoFactor } from "./api";
import { AuthFrame } from "./auth-frame";

/** Sign in; with 2FA on, a second step asks for the authenticator (or a backup) code. */
export function LoginPage() {
  const session = useSession();
  const hasAdmins = useHasAdmins();
  const navigate = useNavigate();
  const login = useLogin();
  const twoFactor = useLoginTwoFactor();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [challenge, setChallenge] = useState<string | null>(null);

  if (session) return <Navigate to="/" replace />;
  if (hasAdmins.isPending) return <Loading />;
  if (hasAdmins.data === false) return <Navigate to="/setup" replace />;

  const submitPassword = (event: FormEvent) => {
    event.preventDefault();
    login.mutate(
      { email, password },
      {
        onSuccess: (result) => {
          if (result.kind === "2fa") setChallenge(result.challengeToken);
          else navigate("/");
        },
      },
    );
  };

  const submitCode = (event: FormEvent) => {
    event.preventDefault();
    if (!challenge) return;
    twoFactor.mutate({ challenge_token: challenge, code: code.trim() }, { onSuccess: () => navigate("/") });
  };

  if (challenge) {
    const expired = twoFactor.error instanceof ApiError && twoFactor.error.code === "AUTH_ERROR" && /challenge/i.test(twoFactor.error.message);
    return (
      <AuthFrame title="Two-factor authentication">
        <form onSubmit={submitCode} className="stack">
          <p>Enter the 6-digit code from your authenticator app, or one of your backup codes.</p>
          <TextField
            label="Code"
            name="code"
            autoComplete="one-time-code"
            inputMode="numeric"
            autoFocus
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
            errors={fieldErrors(twoFactor.error).code}
          />
          <FormLevelError error={twoFactor.error} shown={["code"]} />
          <button type="submit" className="button primary" disabled={twoFactor.isPending}>
            Verify
          </button>
          {expired && (
            <button type="button" className="button" onClick={() => setChallenge(null)}>
              Start again
            </button>
          )}
        </form>
      </AuthFrame>
    );
  }

  const fields = fieldErrors(login.error);
  return (
    <AuthFrame title="Sign in">
      <form onSubmit={submitPassword} className="stack">
        <TextField label="Email" name="email" type="email" autoComplete="username" autoFocus required value={email} onChange={(e) => setEmail(e.target.value)} errors={fields.email} />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} errors={fields.password} />
        <FormLevelError error={login.error} shown={["email", "password"]} />
        <button type="submit" className="button primary" disabled={login.isPending}>
          Sign in
        </button>
      </form>
    </AuthFrame>
  );
}

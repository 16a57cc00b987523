import { useState, type FormEvent } from "react";
import { useSession } from "@/api/provider";
import type { components } from "@/api/schema";
import { FormLevelError, TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { FormActions } from "@/components/form-actions";
import { QueryState } from "@/components/states";
import { saveFile, textFile } from "@/lib/download";
import { useConfirmTwoFactor, useDisableTwoFactor, useRegenerateBackupCodes, useSetupTwoFactor, useTwoFactorStatus } from "./api";
import { backupCodesFileName, backupCodesText } from "./backup-codes";

type TwoFactorSetup = components["schemas"]["TwoFactorSetup"];

/** Two-factor authentication: status, setup with a QR code, backup codes, turning it off. */
export function TwoFactorSection() {
  const status = useTwoFactorStatus();
  const setup = useSetupTwoFactor();
  // Held here, not in the form: 2FA turning on replaces the form, and the codes must still arrive.
  const confirm = useConfirmTwoFactor();
  const [codes, setCodes] = useState<string[] | null>(null);

  return (
    <section className="card settings-section" aria-labelledby="twofa-title">
      <h2 id="twofa-title">Two-factor authentication</h2>
      <QueryState query={status}>
        {(state) => (
          <div className="stack">
            <p data-testid="2fa-status" className={state.enabled ? "settings-ok" : undefined}>
              {state.enabled ? "Two-factor authentication is on" : "Two-factor authentication is off"}
              {state.enabled && !codes && (
                <span className="notice">
                  {" "}
                  · {state.backup_codes_remaining} backup {state.backup_codes_remaining === 1 ? "code" : "codes"} left
                </span>
              )}
            </p>
            {codes && <BackupCodes codes={codes} onDone={() => setCodes(null)} />}
            {!state.enabled &&
              (setup.data ? (
                <ConfirmSetup
                  setup={setup.data}
                  confirm={confirm}
                  onConfirmed={(backup) => {
                    setup.reset();
                    setCodes(backup);
                  }}
                  onCancel={() => {
                    setup.reset();
                    confirm.reset();
                  }}
                />
              ) : (
                <div className="stack">
                  <p className="notice">
                    {state.pending_setup
                      ? "A setup was started but not confirmed. Start again to get a new code for your authenticator app."
                      : "Sign-in will also ask for a code from an authenticator app on your phone."}
                  </p>
                  <FormLevelError error={setup.error} shown={[]} />
                  <div>
                    <button type="button" className="button primary" disabled={setup.isPending} onClick={() => setup.mutate()}>
                      Set up two-factor authentication
                    </button>
                  </div>
                </div>
              ))}
            {state.enabled && !codes && <ManageTwoFactor onCodes={setCodes} />}
          </div>
        )}
      </QueryState>
    </section>
  );
}

/** Scan (or type) the secret, then prove it with a code. */
function ConfirmSetup({
  setup,
  confirm,
  onConfirmed,
  onCancel,
}: {
  setup: TwoFactorSetup;
  confirm: ReturnType<typeof useConfirmTwoFactor>;
  onConfirmed: (codes: string[]) => void;
  onCancel: () => void;
}) {
  const [code, setCode] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    confirm.mutate(code.replace(/\s+/g, ""), { onSuccess: (result) => onConfirmed(result.backup_codes) });
  };
  return (
    <div className="settings-setup">
      <img className="settings-qr" alt="QR code for your authenticator app" src={"data:image/svg+xml;utf8," + encodeURIComponent(setup.qr_svg)} />
      <div className="stack">
        <p>Scan the QR code with your authenticator app, or enter this key by hand:</p>
        <code className="settings-secret" data-testid="totp-secret">
          {setup.secret}
        </code>
        <form className="stack" onSubmit={submit} noValidate>
          <TextField
            label="Authentication code"
            name="code"
            autoComplete="one-time-code"
            inputMode="numeric"
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value)}
            errors={fieldErrors(confirm.error).code}
            hint="The 6-digit code the app shows now."
          />
          <FormLevelError error={confirm.error} shown={["code"]} />
          <FormActions submitLabel="Enable" pending={confirm.isPending} onCancel={onCancel} />
        </form>
      </div>
    </div>
  );
}

/** With 2FA on: new backup codes, or turn it off; both need the password. */
function ManageTwoFactor({ onCodes }: { onCodes: (codes: string[]) => void }) {
  const regenerate = useRegenerateBackupCodes();
  const disable = useDisableTwoFactor();
  const [password, setPassword] = useState("");
  const [last, setLast] = useState<"codes" | "off">("codes");
  const error = last === "codes" ? regenerate.error : disable.error;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Enter (no submitter) takes the harmless action: new backup codes.
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const action = submitter?.value === "off" ? "off" : "codes";
    setLast(action);
    const onSuccess = () => setPassword("");
    if (action === "off") disable.mutate(password, { onSuccess });
    else
      regenerate.mutate(password, {
        onSuccess: (result) => {
          onSuccess();
          onCodes(result.backup_codes);
        },
      });
  };

  return (
    <form className="stack settings-narrow" onSubmit={submit} noValidate>
      <p className="notice">Your password is needed to make new backup codes or to turn two-factor authentication off.</p>
      <TextField label="Your password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} errors={fieldErrors(error).password} />
      <FormLevelError error={error} shown={["password"]} />
      <div className="page-actions">
        <button type="submit" value="codes" className="button" disabled={regenerate.isPending || disable.isPending}>
          New backup codes
        </button>
        <button type="submit" value="off" className="button danger" disabled={regenerate.isPending || disable.isPending}>
          Turn off two-factor authentication
        </button>
      </div>
    </form>
  );
}

/** The backup codes, shown once: copy or save them. */
function BackupCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const session = useSession();
  const [note, setNote] = useState<string | null>(null);
  const text = backupCodesText(codes, session?.user.email ?? "");
  const name = backupCodesFileName(session?.user.email ?? "account");

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setNote("Copied.");
    } catch {
      setNote("Copying is not allowed here; download the codes instead.");
    }
  };
  const save = async () => {
    try {
      setNote(await saveFile(name, textFile(text)));
    } catch (e) {
      setNote(`Could not save the codes: ${String(e)}`);
    }
  };

  return (
    <div className="settings-codes stack" role="region" aria-label="Backup codes">
      <p>
        <strong>Save these backup codes now; they are shown only once.</strong> Each one works once, instead of a code from your app, if you lose your phone.
      </p>
      <ol data-testid="backup-codes" className="settings-code-list">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="page-actions">
        <button type="button" className="button" onClick={copy}>
          Copy
        </button>
        <button type="button" className="button" onClick={save}>
          Download
        </button>
        <button type="button" className="button primary" onClick={onDone}>
          I have saved them
        </button>
      </div>
      {note && (
        <p className="notice" role="status">
          {note}
        </p>
      )}
    </div>
  );
}

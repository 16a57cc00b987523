// The password form's checks, mirroring the server's rule (`sidecar/src/validate.rs`): 8–128
// characters with an uppercase letter, a lowercase letter and a digit. The server checks again.
import type { FieldErrors } from "@/api/errors";

/** What is wrong with `password`, in the server's words; `null` when it is acceptable. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < 8) return "must be at least 8 characters";
  if (length > 128) return "must be at most 128 characters";
  const missing = [
    [/\p{Lu}/u, "an uppercase letter"],
    [/\p{Ll}/u, "a lowercase letter"],
    [/[0-9]/, "a digit"],
  ]
    .filter(([pattern]) => !(pattern as RegExp).test(password))
    .map(([, what]) => what as string);
  return missing.length ? `must contain ${missing.join(", ")}` : null;
}

/** The fields of the change-password form. */
export interface PasswordChangeDraft {
  current_password: string;
  new_password: string;
  confirm_password: string;
}

/** Field → messages for the change-password form; empty when it may be sent. */
export function checkPasswordChange(draft: PasswordChangeDraft): FieldErrors {
  const errors: FieldErrors = {};
  if (!draft.current_password) errors.current_password = ["is required"];
  const problem = passwordProblem(draft.new_password);
  if (problem) errors.new_password = [problem];
  else if (draft.current_password && draft.new_password === draft.current_password)
    errors.new_password = ["must differ from the current password"];
  if (draft.confirm_password !== draft.new_password) errors.confirm_password = ["does not match the new password"];
  return errors;
}

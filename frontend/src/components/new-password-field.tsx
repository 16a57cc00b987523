import type { ComponentProps } from "react";
import { TextField } from "./field";

/** The server's password rule (`sidecar/src/validate.rs`), as people read it. */
export const PASSWORD_RULE = "8–128 characters with an uppercase letter, a lowercase letter and a digit.";

/** A field for choosing a password: masked, marked for password managers, with the rule under it. */
export function NewPasswordField(props: Omit<ComponentProps<typeof TextField>, "type" | "autoComplete" | "hint">) {
  return <TextField type="password" autoComplete="new-password" hint={PASSWORD_RULE} {...props} />;
}

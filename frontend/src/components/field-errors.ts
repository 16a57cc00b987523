import { ApiError, type FieldErrors } from "@/api/errors";

/**
 * The per-field messages of a failed form submit: a `VALIDATION_ERROR`'s details, and also a
 * `CONFLICT` that names its field (`{"email": ["is already taken"]}`), so a taken email shows at
 * the email field rather than above the form. Empty for anything else.
 */
export function fieldErrors(error: unknown): FieldErrors {
  if (!(error instanceof ApiError)) return {};
  if (error.code === "VALIDATION_ERROR") return error.fields;
  if (error.code !== "CONFLICT" || !error.details) return {};
  const fields: FieldErrors = {};
  for (const [field, messages] of Object.entries(error.details)) {
    if (Array.isArray(messages) && messages.every((m) => typeof m === "string")) fields[field] = messages;
  }
  return fields;
}

/** The error's message unless every part of it already shows at a field of `known`. */
export function formLevelMessage(error: unknown, known: readonly string[]): string | null {
  if (!error) return null;
  const fields = Object.keys(fieldErrors(error));
  if (fields.length > 0 && fields.every((f) => known.includes(f))) return null;
  return error instanceof Error ? error.message : "Something went wrong.";
}

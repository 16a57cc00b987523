import { ApiError, errorMessage, type FieldErrors } from "@/api/errors";

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

/**
 * What a failed submit shows above its buttons, given the fields on screen: nothing when the
 * fields carry every message; the field errors whose field is not on screen (by name); and for
 * an error about no field at all, its message.
 */
export function formLevelErrors(error: unknown, shown: readonly string[]): { message: string | null; fields: [string, string[]][] } {
  if (!error) return { message: null, fields: [] };
  const fields = Object.entries(fieldErrors(error)).filter(([, messages]) => messages.length > 0);
  if (fields.length === 0) return { message: errorMessage(error), fields: [] };
  return { message: null, fields: fields.filter(([field]) => !shown.includes(field)) };
}

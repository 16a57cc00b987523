import type { components } from "./schema";

/** The machine-readable codes of the error envelope. */
export type ErrorCode = components["schemas"]["ErrorCode"];

/** Field → messages, as `VALIDATION_ERROR` details carry them. */
export type FieldErrors = Record<string, string[]>;

/** A failed request: the server's envelope, or a network failure (`status` 0). */
export class ApiError extends Error {
  readonly code: ErrorCode | "NETWORK_ERROR";
  readonly status: number;
  readonly details: Record<string, unknown> | null;

  constructor(code: ErrorCode | "NETWORK_ERROR", message: string, status: number, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
    this.details = isRecord(details) ? details : null;
  }

  /** The per-field messages of a `VALIDATION_ERROR` (empty for other errors). */
  get fields(): FieldErrors {
    if (this.code !== "VALIDATION_ERROR" || !this.details) return {};
    const fields: FieldErrors = {};
    for (const [field, messages] of Object.entries(this.details)) {
      if (Array.isArray(messages)) fields[field] = messages.map(String);
      else if (typeof messages === "string") fields[field] = [messages];
    }
    return fields;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

type Envelope<T> = { success: boolean; data: T };
type Failure = { success: false; error: components["schemas"]["ErrorBody"] };

/** The `data` of a successful call, or the envelope's error thrown as an `ApiError`. */
export async function unwrap<T>(
  call: Promise<{ data?: Envelope<T>; error?: unknown; response: Response }>,
): Promise<T> {
  let result;
  try {
    result = await call;
  } catch (cause) {
    throw new ApiError("NETWORK_ERROR", "The server cannot be reached.", 0, { cause: String(cause) });
  }
  const { data, error, response } = result;
  if (data && data.success) return data.data;
  const failure = error as Partial<Failure> | undefined;
  if (failure?.error) {
    throw new ApiError(failure.error.code, failure.error.message, response.status, failure.error.details);
  }
  throw new ApiError("INTERNAL_ERROR", `Unexpected answer (HTTP ${response.status}).`, response.status);
}

/** A message for people: the server's own, or a generic one. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}

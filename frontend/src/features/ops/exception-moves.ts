// The moves of an exception's lifecycle (Raised → Triaged → In Review → Resolved → Closed, triage
// may go straight to Resolved), as the server's state machine allows them: one exhaustive record,
// so a status the server adds fails `tsc` here until it has its moves.
import type { ExceptionStatus } from "./types";

/** A move offered as a button; `note` when the move needs one (resolving needs the resolution). */
export interface ExceptionMove {
  to: ExceptionStatus;
  label: string;
  note?: "required" | "optional";
}

const RESOLVE: ExceptionMove = { to: "Resolved", label: "Resolve", note: "required" };

const MOVES: Record<ExceptionStatus, readonly ExceptionMove[]> = {
  Raised: [{ to: "Triaged", label: "Triage", note: "optional" }],
  Triaged: [{ to: "In Review", label: "Start review", note: "optional" }, RESOLVE],
  "In Review": [RESOLVE],
  Resolved: [{ to: "Closed", label: "Close", note: "optional" }],
  Closed: [],
};

/** Every move, by its target, for a server's list of allowed targets. */
const BY_TARGET = new Map(Object.values(MOVES).flatMap((moves) => moves.map((m) => [m.to, m] as const)));

/**
 * The moves a writer may make from `status`; none for those who only read. When the server sent
 * the allowed targets (`allowed`), those are the moves, in its order.
 */
export function exceptionMoves(status: ExceptionStatus, canWrite: boolean, allowed?: readonly ExceptionStatus[] | null): readonly ExceptionMove[] {
  if (!canWrite) return [];
  if (allowed) return allowed.map((to) => BY_TARGET.get(to) ?? { to, label: to, note: "optional" as const });
  return MOVES[status] ?? [];
}

/** Whether a move may be sent with `note` (trimmed): a required note must not be empty. */
export const noteMissing = (move: ExceptionMove, note: string) => move.note === "required" && note.trim() === "";

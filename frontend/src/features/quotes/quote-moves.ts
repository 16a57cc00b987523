// What a manager may do with a quote in each status, as the server's state machine allows it:
// one exhaustive record, so a status the server adds fails `tsc` here until it has its moves.
import type { Role } from "@/lib/roles";
import { canManageQuotes, isQuoteAdmin, type QuoteStatus } from "./api";

/** A status move offered as a button; `reason` when the move takes an optional reason. */
export interface QuoteMove {
  to: QuoteStatus;
  label: string;
  reason?: boolean;
  /** Admins only. */
  admin?: boolean;
}

const EXPIRE: QuoteMove = { to: "expired", label: "Expire", admin: true };

const MOVES: Record<QuoteStatus, readonly QuoteMove[]> = {
  draft: [{ to: "sent", label: "Send" }, EXPIRE],
  sent: [
    { to: "accepted", label: "Accept" },
    { to: "rejected", label: "Reject", reason: true },
    { to: "changes_requested", label: "Request changes", reason: true },
    EXPIRE,
  ],
  changes_requested: [{ to: "draft", label: "Back to draft" }],
  rejected: [{ to: "draft", label: "Back to draft" }],
  // Converting is its own call, with the task's date (see `canConvert`).
  accepted: [],
  expired: [],
  converted: [],
};

/** The moves `role` may make from `status` (none for those who only read quotes). */
export function movesFor(status: QuoteStatus, role: Role | undefined): readonly QuoteMove[] {
  if (!canManageQuotes(role)) return [];
  return (MOVES[status] ?? []).filter((move) => !move.admin || isQuoteAdmin(role));
}

/** Whether `role` may turn a quote in `status` into a task. */
export const canConvert = (status: QuoteStatus, role: Role | undefined) => status === "accepted" && canManageQuotes(role);

/** Whether `role` may change a quote in `status` (its fields and lines): drafts only. */
export const canEdit = (status: QuoteStatus, role: Role | undefined) => status === "draft" && canManageQuotes(role);

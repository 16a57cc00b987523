import { useEffect, useState } from "react";
import { Link } from "react-router-dom";
import { useSession } from "@/api/provider";
import { FormLevelError } from "@/components/field";
import { useTransitionQuote, type QuoteDetail } from "./api";
import { ConvertForm } from "./convert-form";
import { quoteStatusLabel } from "./labels";
import { canConvert, movesFor } from "./quote-moves";

/**
 * The moves a manager may make from here, as buttons (with an optional reason where the move
 * takes one), the conversion form of an accepted quote, and the task a converted one became.
 * A refused move shows the server's words: an invalid transition, a field (`items`) or a conflict.
 */
export function QuoteActions({ quote }: { quote: QuoteDetail }) {
  const role = useSession()?.user.role;
  const move = useTransitionQuote(quote.id);
  const [reason, setReason] = useState("");
  // A refused move is stale once the quote changed (a line added after "no lines" was refused).
  const { reset } = move;
  useEffect(() => reset(), [quote.updated_at, reset]);
  const moves = movesFor(quote.status, role);
  const takesReason = moves.some((m) => m.reason);
  // Converting needs them and cannot add them (only drafts change): say so before sending.
  const missing = [...(quote.vehicle_plate ? [] : ["a vehicle plate"]), ...(quote.ppf_zones.length ? [] : ["at least one PPF zone"])];

  return (
    <div className="stack quote-actions">
      {quote.status === "converted" && quote.task_id && (
        <p>
          Converted into a task: <Link to={`/tasks/${quote.task_id}`}>open the task</Link>.
        </p>
      )}
      {quote.status === "draft" && moves.length > 0 && missing.length > 0 && (
        <p className="notice quote-warning" data-testid="quote-warning">
          To become a task once accepted, this quote needs {missing.join(" and ")}: set {missing.length > 1 ? "them" : "it"} before sending.
        </p>
      )}
      {takesReason && (
        <div className="field">
          <label htmlFor="quote-reason">Reason (optional)</label>
          <input id="quote-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder="The client's answer, the changes asked" />
        </div>
      )}
      {moves.length > 0 && (
        <div className="row-buttons" role="group" aria-label="Move the quote">
          {moves.map((m) => (
            <button
              key={m.to}
              type="button"
              className={m.to === "expired" ? "button danger" : m.to === "sent" || m.to === "accepted" ? "button primary" : "button"}
              data-testid={`quote-move-${m.to}`}
              disabled={move.isPending}
              title={`Move to ${quoteStatusLabel(m.to)}`}
              onClick={() => move.mutate({ to: m.to, ...(m.reason && reason.trim() ? { reason: reason.trim() } : {}) })}
            >
              {m.label}
            </button>
          ))}
        </div>
      )}
      <FormLevelError error={move.error} shown={[]} />
      {canConvert(quote.status, role) && <ConvertForm quote={quote} />}
      {moves.length === 0 && !canConvert(quote.status, role) && quote.status !== "converted" && (
        <p className="notice">{quote.status === "expired" ? "This quote has expired: it moves no more." : "Admins and supervisors move quotes."}</p>
      )}
    </div>
  );
}

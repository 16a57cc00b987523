import { useState } from "react";
import { Link } from "react-router-dom";
import { useSession } from "@/api/provider";
import { FormLevelError, TextAreaField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { QueryState } from "@/components/states";
import { isPlantWriter } from "@/lib/roles";
import { useException, useTransitionException } from "./api";
import { exceptionMoves, noteMissing, type ExceptionMove } from "./exception-moves";
import { formatDateTime, formatValue } from "./format";
import type { ExceptionDetail } from "./types";
import { StatusBadge } from "./widgets";

/** One exception: what happened, its impact, who owns it and where it escalates, its history, and its moves. */
export function ExceptionDetailPanel({ id }: { id: string }) {
  const detail = useException(id);
  return (
    <>
      <h2 id="exception-title">{id}</h2>
      <QueryState query={detail}>{(data) => <Detail exception={data} />}</QueryState>
    </>
  );
}

function Detail({ exception }: { exception: ExceptionDetail }) {
  const role = useSession()?.user.role;
  const canWrite = Boolean(role && isPlantWriter(role));
  return (
    <div className="stack" data-testid="exception-detail">
      <div className="ops-row">
        <StatusBadge status={exception.status} testId="exception-status" />
        <StatusBadge status={exception.severity} />
        <span>{exception.type}</span>
      </div>
      <p>{exception.description}</p>
      <dl className="ops-dl">
        <div>
          <dt>Runbook</dt>
          <dd>
            <Link to={`/ops/runbooks/${encodeURIComponent(exception.runbookId)}`}>{exception.runbook}</Link>
          </dd>
        </div>
        <div>
          <dt>Stage</dt>
          <dd>{exception.stage}</dd>
        </div>
        <div>
          <dt>Impact</dt>
          <dd>{formatValue(exception.impact)}</dd>
        </div>
        <div>
          <dt>Owner → escalation</dt>
          <dd data-testid="escalation-path">{exception.escalationPath.length > 0 ? exception.escalationPath.join(" → ") : `${exception.owner} → ${formatValue(exception.escalation)}`}</dd>
        </div>
        <div>
          <dt>Age</dt>
          <dd>{formatValue(exception.age)}</dd>
        </div>
        {exception.resolution && (
          <div>
            <dt>Resolution</dt>
            <dd>{exception.resolution}</dd>
          </div>
        )}
      </dl>
      <Moves exception={exception} canWrite={canWrite} />
      <h3>History</h3>
      {exception.history.length === 0 ? (
        <p className="notice">No data yet.</p>
      ) : (
        <ol className="ops-list" data-testid="exception-history">
          {exception.history.map((entry, i) => (
            <li key={`${entry.at}-${i}`}>
              <div className="ops-row">
                <span className="grow">
                  {entry.from ? `${entry.from} → ` : ""}
                  <strong>{entry.to}</strong>
                </span>
                <span className="muted">
                  {entry.actor} · {formatDateTime(entry.at)}
                </span>
              </div>
              {entry.note && <p>{entry.note}</p>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** The moves the lifecycle allows from here, with the note they take (resolving needs one). */
function Moves({ exception, canWrite }: { exception: ExceptionDetail; canWrite: boolean }) {
  const move = useTransitionException(exception.id);
  const [note, setNote] = useState("");
  const [refused, setRefused] = useState<string | null>(null);
  const moves = exceptionMoves(exception.status, canWrite, exception.allowed);
  if (moves.length === 0) return canWrite ? null : <p className="notice">Auditors read exceptions; others move them.</p>;

  const send = (m: ExceptionMove) => {
    if (noteMissing(m, note)) {
      setRefused(`${m.label}: write the resolution in the note first.`);
      return;
    }
    setRefused(null);
    move.mutate({ to: m.to, note: note.trim() || null }, { onSuccess: () => setNote("") });
  };

  const needsNote = moves.some((m) => m.note === "required");
  return (
    <div className="stack">
      <TextAreaField
        label={needsNote ? "Note (the resolution, needed to resolve)" : "Note (optional)"}
        value={note}
        maxLength={2000}
        onChange={(e) => setNote(e.target.value)}
        errors={fieldErrors(move.error).note ?? (refused ? [refused] : undefined)}
      />
      <div className="row-buttons" role="group" aria-label="Move the exception">
        {moves.map((m) => (
          <button key={m.to} type="button" className={m.to === "Resolved" ? "button primary" : "button"} disabled={move.isPending} onClick={() => send(m)}>
            {m.label}
          </button>
        ))}
      </div>
      <FormLevelError error={move.error} shown={["note"]} />
    </div>
  );
}

import { useState } from "react";
import { FormLevelError, TextField } from "@/components/field";
import { useAdvanceStage, useDecideGate } from "./api";
import { formatValue } from "./format";
import { RaiseExceptionForm } from "./raise-exception-form";
import type { StageDefinition } from "./types";
import { RoleChips, StatusBadge } from "./widgets";

/**
 * A stage of the timeline: its SOP reference, status, roles, gate, exception and trace activity;
 * on the current stage, a writer's moves: advance it, decide its gate, raise an exception.
 */
export function StageCard({ runbookId, stage, current, canWrite }: { runbookId: string; stage: StageDefinition; current: boolean; canWrite: boolean }) {
  const titleId = `stage-${stage.id}-title`;
  const actions = current && canWrite;
  return (
    <article className="card" aria-labelledby={titleId} data-testid="stage" data-stage={stage.id}>
      <header className="stage-head">
        <span className="sop">{stage.sopRef}</span>
        <h3 id={titleId}>{stage.name}</h3>
        <StatusBadge status={stage.status} testId={current ? "current-stage-status" : undefined} />
        {current && <span className="badge tone-info">Current stage</span>}
        {stage.isTraceHandoff && <span className="badge">Trace handoff</span>}
      </header>
      <RoleChips roles={stage.roles} />
      {stage.gate && (
        <div className="stage-block">
          <h4>
            Gate: {stage.gate.type} <StatusBadge status={stage.gate.status} testId={current ? "current-gate-status" : undefined} />
          </h4>
          <dl className="ops-dl">
            <div>
              <dt>Condition</dt>
              <dd>{stage.gate.condition}</dd>
            </div>
            <div>
              <dt>Owner</dt>
              <dd>{formatValue(stage.gate.owner)}</dd>
            </div>
            <div>
              <dt>Evidence</dt>
              <dd>{formatValue(stage.gate.evidence)}</dd>
            </div>
            <div>
              <dt>Impact</dt>
              <dd>{formatValue(stage.gate.impact)}</dd>
            </div>
          </dl>
        </div>
      )}
      {stage.exception && (
        <div className="stage-block stage-exception" data-testid="stage-exception">
          <h4>Exception: {stage.exception.type}</h4>
          <p>{stage.exception.description}</p>
        </div>
      )}
      {stage.traceActivity && (
        <div className="stage-block">
          <h4>{stage.traceActivity.header}</h4>
          <p>{stage.traceActivity.description}</p>
          {stage.traceActivity.demoNote && <p className="muted">{stage.traceActivity.demoNote}</p>}
        </div>
      )}
      {actions && <StageActions runbookId={runbookId} stage={stage} />}
    </article>
  );
}

/** The current stage's moves. Advance waits while the stage is held; a refused move (a gate not open) shows the server's words. */
function StageActions({ runbookId, stage }: { runbookId: string; stage: StageDefinition }) {
  const advance = useAdvanceStage(runbookId);
  const decide = useDecideGate(runbookId);
  const [locking, setLocking] = useState(false);
  const [evidence, setEvidence] = useState("");
  const [raising, setRaising] = useState(false);
  const gate = stage.gate;
  const busy = advance.isPending || decide.isPending;
  // A held stage cannot move until its exceptions are resolved (the server refuses too).
  const held = stage.status === "Hold";
  const evidenceMissing = locking && evidence.trim() === "";

  const reset = () => {
    advance.reset();
    decide.reset();
  };

  return (
    <div className="stage-block stack">
      <div className="row-buttons" role="group" aria-label={`Actions on ${stage.name}`}>
        <button
          type="button"
          className="button primary"
          disabled={busy || held}
          title={held ? "On hold: resolve its exceptions first" : undefined}
          onClick={() => (reset(), advance.mutate(stage.id))}
        >
          Advance
        </button>
        {gate && gate.status !== "Open" && (
          <button type="button" className="button" disabled={busy} onClick={() => (reset(), setLocking(false), decide.mutate({ stageId: stage.id, body: { status: "Open", evidence: evidence.trim() || null } }))}>
            Open gate
          </button>
        )}
        {gate && gate.status !== "Locked" && !locking && (
          <button type="button" className="button danger" disabled={busy} onClick={() => (reset(), setLocking(true))}>
            Lock gate
          </button>
        )}
        {!raising && (
          <button type="button" className="button" onClick={() => setRaising(true)}>
            Raise exception
          </button>
        )}
      </div>
      {locking && (
        <form
          className="stack"
          aria-label="Lock the gate"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (evidenceMissing) return;
            decide.mutate({ stageId: stage.id, body: { status: "Locked", evidence: evidence.trim() } }, { onSuccess: () => (setLocking(false), setEvidence("")) });
          }}
        >
          <TextField label="Evidence" required value={evidence} maxLength={1000} onChange={(e) => setEvidence(e.target.value)} hint="Why the gate is locked: it is kept with the decision" />
          <div className="form-actions">
            <button type="submit" className="button danger" disabled={busy || evidenceMissing}>
              Lock gate
            </button>
            <button type="button" className="button" onClick={() => setLocking(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <FormLevelError error={advance.error ?? decide.error} shown={[]} />
      {raising && <RaiseExceptionForm runbookId={runbookId} stage={stage} onDone={() => setRaising(false)} />}
    </div>
  );
}

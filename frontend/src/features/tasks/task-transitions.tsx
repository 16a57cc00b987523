import { useState } from "react";
import { Loading } from "@/components/states";
import { useTransitions, useTransitionTask } from "./api";
import { RequestError } from "./booking-conflicts";
import { statusLabel } from "@/components/task-labels";
import { type Task } from "./task-labels";

/** One button per status the state machine allows from here, with an optional reason. */
export function TaskTransitions({ task }: { task: Task }) {
  const transitions = useTransitions(task.id);
  const move = useTransitionTask(task.id);
  const [reason, setReason] = useState("");

  if (transitions.isPending) return <Loading label="Loading the next steps…" />;
  if (transitions.error) return <RequestError error={transitions.error} />;
  const allowed = transitions.data.allowed;
  if (allowed.length === 0) return <p className="notice">No further status: this task is closed.</p>;

  return (
    <div className="stack task-transitions">
      <div className="field">
        <label htmlFor="transition-reason">Reason (optional)</label>
        <input id="transition-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder="Kept in the history" />
      </div>
      <div className="row-buttons" role="group" aria-label="Move to">
        {allowed.map((to) => (
          <button
            key={to}
            type="button"
            className="button"
            data-testid={`transition-${to}`}
            disabled={move.isPending}
            onClick={() =>
              move.mutate({ to, ...(reason.trim() ? { reason: reason.trim() } : {}) }, { onSuccess: () => setReason("") })
            }
          >
            {statusLabel(to)}
          </button>
        ))}
      </div>
      <RequestError error={move.error} />
    </div>
  );
}

import { useState, type FormEvent } from "react";
import { TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { useDelayTask } from "./api";
import { RequestError } from "./booking-conflicts";
import type { Task } from "./task-labels";

/** Move the task to another day (same times), with a reason for the history. */
export function TaskDelay({ task }: { task: Task }) {
  const delay = useDelayTask(task.id);
  const [date, setDate] = useState("");
  const [reason, setReason] = useState("");
  const fields = fieldErrors(delay.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    delay.mutate(
      { scheduled_date: date, reason: reason.trim() },
      {
        onSuccess: () => {
          setDate("");
          setReason("");
        },
      },
    );
  };

  return (
    <form className="stack" onSubmit={submit} aria-label="Delay">
      <TextField label="New date" type="date" required value={date} onChange={(e) => setDate(e.target.value)} errors={fields.scheduled_date} />
      <TextField label="Reason for the delay" required maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} errors={fields.reason} />
      <div>
        <button type="submit" className="button" disabled={delay.isPending}>
          Delay
        </button>
      </div>
      <RequestError error={delay.error} shown={["scheduled_date", "reason"]} />
    </form>
  );
}

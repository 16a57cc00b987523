import { useState, type FormEvent } from "react";
import { SelectField } from "@/components/field";
import { personName, useTechnicians } from "@/lib/technicians";
import { useAssignTask } from "./api";
import { RequestError } from "./booking-conflicts";
import type { Task } from "./task-labels";

/** Assign the task to a free technician, or unassign it (managers). */
export function TaskAssign({ task }: { task: Task }) {
  const technicians = useTechnicians(true);
  const assign = useAssignTask(task.id);
  const [technician, setTechnician] = useState(task.technician_id ?? "");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (technician) assign.mutate(technician);
  };
  const options = (technicians.data ?? []).filter((t) => t.is_active).map((t) => [t.id, personName(t)] as const);

  return (
    <form className="stack" onSubmit={submit} aria-label="Assign">
      <SelectField
        label="Technician"
        value={technician}
        onChange={(e) => setTechnician(e.target.value)}
        options={[["", technicians.isPending ? "Loading…" : "Choose a technician"], ...options]}
        hint={technicians.error ? "Technicians could not be loaded." : undefined}
      />
      <div className="row-buttons">
        <button type="submit" className="button primary" disabled={!technician || technician === task.technician_id || assign.isPending}>
          Assign
        </button>
        {task.technician_id && (
          <button
            type="button"
            className="button"
            disabled={assign.isPending}
            onClick={() => assign.mutate(null, { onSuccess: () => setTechnician("") })}
          >
            Unassign
          </button>
        )}
      </div>
      <RequestError error={assign.error} />
    </form>
  );
}

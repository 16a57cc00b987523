import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { FormLevelError, SelectField, TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { QueryState } from "@/components/states";
import { useStartIntervention, useTaskInterventions } from "./api";

const STARTABLE = ["pending", "scheduled", "assigned", "on_hold", "overdue"];

/** On a task: its interventions, and (for staff, when the task may start) "Start intervention". */
export function TaskIntervention({ taskId, taskStatus, canStart }: { taskId: string; taskStatus: string; canStart: boolean }) {
  const list = useTaskInterventions(taskId);
  const start = useStartIntervention();
  const navigate = useNavigate();
  const [type, setType] = useState<"ppf" | "ceramic" | "detailing" | "other">("ppf");
  const [temperature, setTemperature] = useState("");
  const [humidity, setHumidity] = useState("");
  const fields = fieldErrors(start.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate(
      {
        task_id: taskId,
        intervention_type: type,
        temperature_celsius: temperature ? Number(temperature) : null,
        humidity_percentage: humidity ? Number(humidity) : null,
      },
      { onSuccess: (detail) => navigate(`/interventions/${detail.intervention.id}`) },
    );
  };
  return (
    <div className="stack">
      <QueryState query={list} isEmpty={(all) => all.length === 0} empty="No intervention yet.">
        {(all) => (
          <ul>
            {all.map((i) => (
              <li key={i.id}>
                <Link to={`/interventions/${i.id}`}>
                  {i.workflow.replace("_", " ")} · {i.status.replace("_", " ")} · {i.completion_percentage}%
                </Link>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      {canStart && STARTABLE.includes(taskStatus) && (
        <form className="stack" onSubmit={submit}>
          <SelectField
            label="Job"
            value={type}
            onChange={(e) => setType(e.target.value as typeof type)}
            options={[
              ["ppf", "PPF"],
              ["ceramic", "Ceramic"],
              ["detailing", "Detailing"],
              ["other", "Other"],
            ]}
          />
          <TextField label="Temperature (°C, 10–35)" type="number" step="0.1" value={temperature} onChange={(e) => setTemperature(e.target.value)} errors={fields.temperature_celsius} />
          <TextField label="Humidity (%, at most 80)" type="number" step="1" value={humidity} onChange={(e) => setHumidity(e.target.value)} errors={fields.humidity_percentage} />
          <FormLevelError error={start.error} shown={["temperature_celsius", "humidity_percentage"]} />
          <div>
            <button type="submit" className="button primary" disabled={start.isPending}>
              Start intervention
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

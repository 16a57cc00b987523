import { TaskIntervention } from "@/features/interventions/task-intervention";
import { TaskDetailPage } from "@/features/tasks/task-detail-page";

/** A task's page with its interventions (for staff: viewers see none). */
export function TaskScreen() {
  return (
    <TaskDetailPage
      panel={(task, canWork) =>
        canWork && (
          <section className="card" aria-labelledby="intervention-title">
            <h2 id="intervention-title">Intervention</h2>
            <TaskIntervention taskId={task.id} taskStatus={task.status} canStart={canWork} />
          </section>
        )
      }
    />
  );
}

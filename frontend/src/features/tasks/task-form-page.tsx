import { useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { useSession } from "@/api/provider";
import { isManager } from "@/lib/roles";
import { Page } from "@/components/page";
import { Empty, QueryState } from "@/components/states";
import { useCreateTask, useTask, useUpdateTask } from "./api";
import { TaskForm } from "./task-form";
import { emptyTaskForm, taskToForm, TECHNICIAN_FIELDS, toCreateBody, toUpdateBody } from "./task-form-model";
import type { Task } from "./task-labels";
import "./tasks.css";

/** `/tasks/new` (managers) and `/tasks/:id/edit` (managers; a technician their own task's few fields). */
export function TaskFormPage() {
  const { id } = useParams();
  return id ? <EditTask id={id} /> : <CreateTask />;
}

function CreateTask() {
  const create = useCreateTask();
  const navigate = useNavigate();
  return (
    <Page title="New task">
      <TaskForm
        initial={emptyTaskForm()}
        submitLabel="Create task"
        pending={create.isPending}
        error={create.error}
        onCancel={() => navigate("/tasks")}
        onSubmit={(form) => create.mutate(toCreateBody(form), { onSuccess: (task) => navigate(`/tasks/${task.id}`) })}
      />
    </Page>
  );
}

function EditTask({ id }: { id: string }) {
  const task = useTask(id);
  return <QueryState query={task}>{(data) => <EditLoadedTask task={data} />}</QueryState>;
}

function EditLoadedTask({ task }: { task: Task }) {
  const session = useSession();
  const update = useUpdateTask(task.id);
  const navigate = useNavigate();
  const role = session?.user.role;
  const technician = role === "technician";
  // The task as it was when the form opened: the update sends only what the user changed since.
  const [original] = useState(() => taskToForm(task));
  const back = () => navigate(`/tasks/${task.id}`);
  if (!role || !(isManager(role) || technician)) {
    return (
      <Page title={`Edit ${task.task_number}`}>
        <Empty>Your role may read tasks but not change them.</Empty>
      </Page>
    );
  }
  return (
    <Page title={`Edit ${task.task_number}`}>
      <TaskForm
        initial={original}
        currentStatus={task.status}
        taskId={task.id}
        only={technician ? TECHNICIAN_FIELDS : undefined}
        submitLabel="Save"
        pending={update.isPending}
        error={update.error}
        onCancel={back}
        onSubmit={(form) => {
          const body = toUpdateBody(form, original, technician ? TECHNICIAN_FIELDS : undefined);
          if (Object.keys(body).length === 0) back();
          else update.mutate(body, { onSuccess: back });
        }}
      />
    </Page>
  );
}

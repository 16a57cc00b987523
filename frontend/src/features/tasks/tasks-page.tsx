import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { errorMessage } from "@/api/errors";
import { useSession } from "@/api/provider";
import { isManager } from "@/lib/roles";
import { Page } from "@/components/page";
import { Pager } from "@/components/pager";
import { QueryState } from "@/components/states";
import { saveFile, textFile } from "@/lib/download";
import { personName, technicianNames, useTechnicians } from "@/lib/technicians";
import { useExportTasks, useTasks } from "./api";
import { readFilters, toQuery, writeFilters, type TaskFilters } from "./task-filters";
import { TaskFilterForm } from "./task-filter-form";
import { TaskImport } from "./task-import";
import { TaskTable } from "./task-table";
import "./tasks.css";

/** The task list: filters and page in the URL (a reload keeps them), CSV out and in. */
export function TasksPage() {
  const session = useSession();
  const manager = Boolean(session && isManager(session.user.role));
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const tasks = useTasks(toQuery(filters, true));
  const technicians = useTechnicians(manager);
  const exportTasks = useExportTasks();
  const [exported, setExported] = useState<string | null>(null);

  const names = technicianNames(technicians.data);
  if (session?.user.role === "technician") names.set(session.user.id, personName(session.user));

  const update = (next: TaskFilters) => setParams(writeFilters(next));

  const exportCsv = () => {
    setExported(null);
    exportTasks.mutate(toQuery(filters, false), {
      onSuccess: async (csv) => {
        try {
          setExported(await saveFile("tasks.csv", textFile(csv, "text/csv;charset=utf-8")));
        } catch (e) {
          setExported(`The file could not be saved: ${errorMessage(e)}`);
        }
      },
    });
  };

  return (
    <Page
      title="Tasks"
      actions={
        <>
          <button type="button" className="button" onClick={exportCsv} disabled={exportTasks.isPending}>
            {exportTasks.isPending ? "Exporting…" : "Export CSV"}
          </button>
          {manager && (
            <Link to="/tasks/new" className="button primary">
              New task
            </Link>
          )}
        </>
      }
    >
      {(exported || exportTasks.error) && (
        <p className={exportTasks.error ? "form-error" : "notice"} role="status">
          {exportTasks.error ? `Export failed: ${errorMessage(exportTasks.error)}` : exported}
        </p>
      )}
      <TaskFilterForm filters={filters} onChange={update} technicians={manager ? (technicians.data ?? []) : null} />
      <QueryState query={tasks} isEmpty={(page) => page.total === 0} empty="No task matches these filters.">
        {(page) => (
          <>
            <TaskTable tasks={page.items} technicianNames={names} />
            <Pager total={page.total} limit={page.limit} offset={page.offset} onOffset={(offset) => update({ ...filters, offset })} />
          </>
        )}
      </QueryState>
      {manager && <TaskImport />}
    </Page>
  );
}

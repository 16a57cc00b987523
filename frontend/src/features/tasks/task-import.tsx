import { useState, type FormEvent } from "react";
import { errorMessage } from "@/api/errors";
import { FormError } from "@/components/field";
import { useImportTasks, type ImportMode } from "./api";

/** Import tasks from a CSV file (managers), then show what was created and each row's problems. */
export function TaskImport() {
  const importTasks = useImportTasks();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>("partial");
  const [readError, setReadError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setReadError(null);
    let csv: string;
    try {
      csv = await file.text();
    } catch {
      setReadError("The file could not be read.");
      return;
    }
    importTasks.mutate({ csv, mode });
  };

  const report = importTasks.data;
  return (
    <section className="card task-import" aria-labelledby="task-import-title">
      <h2 id="task-import-title">Import tasks</h2>
      <form className="task-import-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="task-import-file">CSV file</label>
          <input
            id="task-import-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              importTasks.reset();
            }}
          />
        </div>
        <fieldset className="task-import-mode">
          <legend>When a row is wrong</legend>
          <label className="check">
            <input type="radio" name="import-mode" value="partial" checked={mode === "partial"} onChange={() => setMode("partial")} />
            Import the other rows
          </label>
          <label className="check">
            <input type="radio" name="import-mode" value="all_or_nothing" checked={mode === "all_or_nothing"} onChange={() => setMode("all_or_nothing")} />
            Import nothing (all or nothing)
          </label>
        </fieldset>
        <button type="submit" className="button primary" disabled={!file || importTasks.isPending}>
          Import CSV
        </button>
      </form>
      {importTasks.isPending && (
        <div className="task-import-progress" role="status">
          {/* The server reports only when done: an indeterminate bar while it reads and checks. */}
          <progress aria-label="Importing" />
          <span>Importing {file?.name}…</span>
        </div>
      )}
      <FormError message={readError ?? (importTasks.error ? errorMessage(importTasks.error) : null)} />
      {report && (
        <div data-testid="import-report" className="task-import-report" role="status">
          <p>
            {report.rows} {report.rows === 1 ? "row" : "rows"} read, {report.created} {report.created === 1 ? "task" : "tasks"} created
            {report.errors.length > 0 && `, ${report.errors.length} ${report.errors.length === 1 ? "problem" : "problems"}`}.
            {report.mode === "all_or_nothing" && report.errors.length > 0 && " Nothing was imported (all or nothing)."}
          </p>
          {report.errors.length > 0 && (
            <table>
              <caption className="visually-hidden">Problems by row</caption>
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">Line</th>
                  <th scope="col">Column</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {report.errors.map((e, i) => (
                  <tr key={`${e.row}-${e.field}-${i}`}>
                    <td>{e.row}</td>
                    <td>{e.line}</td>
                    <td>
                      <code>{e.field}</code>
                    </td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}

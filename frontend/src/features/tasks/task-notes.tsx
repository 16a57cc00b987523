import { useState, type FormEvent } from "react";
import { FormLevelError, TextAreaField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { QueryState } from "@/components/states";
import { useAddNote, useTaskNotes } from "./api";
import { dateTimeText } from "./task-labels";

/** The task's notes, oldest first, and (for those who may write) a form to add one. */
export function TaskNotes({ taskId, canWrite }: { taskId: string; canWrite: boolean }) {
  const notes = useTaskNotes(taskId);
  const add = useAddNote(taskId);
  const [body, setBody] = useState("");
  const fields = fieldErrors(add.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(body.trim(), { onSuccess: () => setBody("") });
  };

  return (
    <div className="stack">
      <QueryState query={notes} isEmpty={(list) => list.length === 0} empty="No notes yet.">
        {(list) => (
          <ul className="task-notes">
            {list.map((note) => (
              <li key={note.id}>
                <p className="note-body">{note.body}</p>
                <div className="muted">
                  {note.author_name ?? "Someone"} · {dateTimeText(note.created_at)}
                </div>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      {canWrite && (
        <form className="stack" onSubmit={submit}>
          <TextAreaField label="New note" required maxLength={2000} value={body} onChange={(e) => setBody(e.target.value)} errors={fields.body} />
          <FormLevelError error={add.error} shown={["body"]} />
          <div>
            <button type="submit" className="button" disabled={add.isPending || !body.trim()}>
              Add note
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

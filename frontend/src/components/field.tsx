import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { formLevelErrors } from "@/components/field-errors";

interface FieldShell {
  label: string;
  /** The server's messages for this field (`VALIDATION_ERROR` details). */
  errors?: string[] | undefined;
  hint?: ReactNode;
}

function Messages({ id, errors, hint }: { id: string; errors?: string[] | undefined; hint?: ReactNode }) {
  return (
    <>
      {hint && <small className="hint">{hint}</small>}
      {errors && errors.length > 0 && (
        <small className="field-error" id={id} role="alert">
          {errors.join(" ")}
        </small>
      )}
    </>
  );
}

/** A labelled input that shows its field's errors and marks itself invalid. */
export function TextField({ label, errors, hint, ...input }: FieldShell & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const invalid = Boolean(errors?.length);
  return (
    <div className={`field${invalid ? " invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={invalid} aria-describedby={invalid ? `${id}-error` : undefined} {...input} />
      <Messages id={`${id}-error`} errors={errors} hint={hint} />
    </div>
  );
}

/** A labelled multi-line input. */
export function TextAreaField({ label, errors, hint, ...input }: FieldShell & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  const invalid = Boolean(errors?.length);
  return (
    <div className={`field${invalid ? " invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-invalid={invalid} aria-describedby={invalid ? `${id}-error` : undefined} {...input} />
      <Messages id={`${id}-error`} errors={errors} hint={hint} />
    </div>
  );
}

/** A labelled select of `options` (value, label). */
export function SelectField({
  label,
  errors,
  hint,
  options,
  ...select
}: FieldShell & SelectHTMLAttributes<HTMLSelectElement> & { options: readonly (readonly [string, string])[] }) {
  const id = useId();
  const invalid = Boolean(errors?.length);
  return (
    <div className={`field${invalid ? " invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={invalid} aria-describedby={invalid ? `${id}-error` : undefined} {...select}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      <Messages id={`${id}-error`} errors={errors} hint={hint} />
    </div>
  );
}

/** A form-level error (not tied to one field). */
export function FormError({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}

/**
 * A failed submit's line above the buttons, by one rule for every form: field errors show at their
 * fields (`shown` lists the fields on screen), so this shows only what no field does — each
 * off-screen field by name with its messages, or the message of an error about no field.
 */
export function FormLevelError({ error, shown }: { error: unknown; shown: readonly string[] }) {
  const { message, fields } = formLevelErrors(error, shown);
  if (fields.length === 0) return <FormError message={message} />;
  // The alert wraps the list: a `role` on the `<ul>` itself would take away its list semantics.
  return (
    <div className="form-error" role="alert">
      <ul>
        {fields.map(([field, messages]) => (
          <li key={field}>
            <code>{field}</code> {messages.join(" ")}
          </li>
        ))}
      </ul>
    </div>
  );
}

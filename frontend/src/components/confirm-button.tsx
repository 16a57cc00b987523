import { useState, type ReactNode } from "react";
import { errorMessage } from "@/api/errors";
import { FormError } from "@/components/field";

/**
 * A destructive button that asks first: a click turns it into `prompt`, the confirm button and
 * Cancel; the confirm runs `onConfirm` and stays disabled while `pending`, and a failure shows
 * `error`'s message. `inline` keeps it all on one line (page headers, toolbars); `stacked` puts
 * a longer prompt above the buttons.
 */
export function ConfirmButton({
  label,
  prompt,
  confirmLabel,
  onConfirm,
  pending,
  error,
  layout = "inline",
}: {
  label: string;
  prompt: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  pending: boolean;
  error: unknown;
  layout?: "inline" | "stacked";
}) {
  const [confirming, setConfirming] = useState(false);
  const trigger = (
    <button type="button" className="button danger" onClick={() => setConfirming(true)}>
      {label}
    </button>
  );
  if (!confirming) return layout === "stacked" ? <div>{trigger}</div> : trigger;

  const buttons = (
    <>
      <button type="button" className="button danger" autoFocus disabled={pending} onClick={onConfirm}>
        {confirmLabel}
      </button>
      <button type="button" className="button" onClick={() => setConfirming(false)}>
        Cancel
      </button>
    </>
  );
  const failure = <FormError message={error ? errorMessage(error) : null} />;
  if (layout === "stacked") {
    return (
      <div className="stack" role="group" aria-label="Confirm deletion">
        <p>{prompt}</p>
        {failure}
        <div className="page-actions">{buttons}</div>
      </div>
    );
  }
  return (
    <div className="confirm" role="group" aria-label="Confirm deletion">
      <span>{prompt}</span>
      {buttons}
      {failure}
    </div>
  );
}

import type { QuoteStatus } from "./api";
import { quoteStatusLabel } from "./labels";

/** A quote's status as a badge with its label (a word, not only a colour). */
export function QuoteStatusBadge({ status }: { status: QuoteStatus }) {
  return (
    <span className={`badge quote-status quote-status-${status}`} data-status={status}>
      {quoteStatusLabel(status)}
    </span>
  );
}

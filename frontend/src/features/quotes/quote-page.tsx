import { useState, type ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { errorMessage } from "@/api/errors";
import { useSession } from "@/api/provider";
import { ConfirmButton } from "@/components/confirm-button";
import { Page } from "@/components/page";
import { QueryState } from "@/components/states";
import { zoneLabel } from "@/components/task-labels";
import { isQuoteAdmin, useDeleteQuote, useDownloadQuotePdf, useQuote, useUpdateQuote, type QuoteDetail } from "./api";
import { QuoteActions } from "./quote-actions";
import { QuoteStatusBadge } from "./quote-badge";
import { QuoteForm } from "./quote-form";
import { quoteToForm, toUpdateBody } from "./quote-form-model";
import { QuoteItems } from "./quote-items";
import { canEdit } from "./quote-moves";
import { QuoteTotals } from "./quote-totals";
import "./quotes.css";

/** One quote: its status and moves, its fields, its lines and the server's totals, its PDF. */
export function QuotePage() {
  const { id = "" } = useParams();
  const quote = useQuote(id);
  return <QueryState query={quote}>{(data) => <QuoteScreen quote={data} />}</QueryState>;
}

function QuoteScreen({ quote }: { quote: QuoteDetail }) {
  const role = useSession()?.user.role;
  const editable = canEdit(quote.status, role);

  return (
    <Page
      title={`${quote.quote_number} · ${quote.client_name}`}
      actions={
        <>
          <Link to="/quotes" className="button">
            Back to quotes
          </Link>
          <DownloadPdf quote={quote} />
          {isQuoteAdmin(role) && <DeleteQuote id={quote.id} />}
        </>
      }
    >
      <div className="quote-detail">
        <div className="stack">
          <section className="card" aria-labelledby="details-title">
            <h2 id="details-title">Details</h2>
            {/* Keyed by status: a quote moved back to draft opens its form afresh. */}
            {editable ? <EditQuote key={quote.status} quote={quote} /> : <QuoteFields quote={quote} />}
          </section>
          <section className="card" aria-labelledby="lines-title">
            <h2 id="lines-title">Lines</h2>
            <QuoteItems quote={quote} editable={editable} />
          </section>
        </div>
        <div className="stack">
          <section className="card" aria-labelledby="status-title">
            <h2 id="status-title">Status</h2>
            <p>
              <span data-testid="quote-status" data-status={quote.status}>
                <QuoteStatusBadge status={quote.status} />
              </span>
            </p>
            <QuoteActions key={quote.status} quote={quote} />
          </section>
          <section className="card" aria-labelledby="totals-title">
            <h2 id="totals-title">Totals</h2>
            <QuoteTotals quote={quote} editable={editable} />
          </section>
        </div>
      </div>
    </Page>
  );
}

/** A draft's fields as a form; a save sends only what changed since the form opened or was saved. */
function EditQuote({ quote }: { quote: QuoteDetail }) {
  const update = useUpdateQuote(quote.id);
  const [original, setOriginal] = useState(() => quoteToForm(quote));
  const [saved, setSaved] = useState(false);
  return (
    <>
      <QuoteForm
        initial={original}
        creating={false}
        submitLabel="Save details"
        pending={update.isPending}
        error={update.error}
        onSubmit={(form) => {
          setSaved(false);
          const body = toUpdateBody(form, original);
          if (Object.keys(body).length === 0) setSaved(true);
          else
            update.mutate(body, {
              onSuccess: (next) => {
                setOriginal(quoteToForm(next));
                setSaved(true);
              },
            });
        }}
      />
      {saved && !update.isPending && (
        <p className="notice" role="status">
          Details saved.
        </p>
      )}
    </>
  );
}

const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : null);

function QuoteFields({ quote }: { quote: QuoteDetail }) {
  const rows: [string, ReactNode][] = [
    ["Client", <Link to={`/clients/${quote.client_id}`}>{quote.client_name}</Link>],
    ["Description", quote.description],
    ["Vehicle plate", quote.vehicle_plate],
    ["Vehicle", [quote.vehicle_make, quote.vehicle_model, quote.vehicle_year].filter(Boolean).join(" ")],
    ["VIN", quote.vehicle_vin],
    ["PPF zones", quote.ppf_zones.map(zoneLabel).join(", ")],
    ["Valid until", quote.valid_until],
    ["Notes", quote.notes],
    ["Terms and conditions", quote.terms],
    ["Task", quote.task_id ? <Link to={`/tasks/${quote.task_id}`}>Open the task</Link> : null],
    ["Created", when(quote.created_at)],
    ["Sent", when(quote.sent_at)],
    ["Answered", when(quote.answered_at)],
    ["Converted", when(quote.converted_at)],
  ];
  return (
    <dl className="quote-fields" data-testid="quote-fields">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value === null || value === undefined || value === "" ? <span className="muted">—</span> : value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The PDF, for everyone: saved through the native dialog in the desktop, downloaded in a browser. */
function DownloadPdf({ quote }: { quote: QuoteDetail }) {
  const download = useDownloadQuotePdf(quote.id, `${quote.quote_number}.pdf`);
  const [result, setResult] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="button"
        disabled={download.isPending}
        onClick={() => {
          setResult(null);
          download.mutate(undefined, { onSuccess: (where) => setResult(where) });
        }}
      >
        {download.isPending ? "Preparing the PDF…" : "Download PDF"}
      </button>
      {(result || download.error) && (
        <span className={download.error ? "form-error" : "notice"} role="status" data-testid="pdf-result">
          {download.error ? `The PDF could not be saved: ${errorMessage(download.error)}` : result}
        </span>
      )}
    </>
  );
}

/** Delete (admins), after a second click. */
function DeleteQuote({ id }: { id: string }) {
  const remove = useDeleteQuote(id);
  const navigate = useNavigate();
  return (
    <ConfirmButton
      label="Delete"
      prompt="Delete this quote?"
      confirmLabel="Yes, delete"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate(undefined, { onSuccess: () => navigate("/quotes") })}
    />
  );
}

import { useEffect, useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { useSession } from "@/api/provider";
import { SelectField } from "@/components/field";
import { Page } from "@/components/page";
import { Pager } from "@/components/pager";
import { Empty, QueryState } from "@/components/states";
import { canManageQuotes, useCreateQuote, useQuotes } from "./api";
import { QUOTE_STATUSES, quoteStatusLabel } from "./labels";
import { QuoteForm } from "./quote-form";
import { emptyQuoteForm, toCreateBody } from "./quote-form-model";
import { readFilters, toQuery, writeFilters, type QuoteFilters } from "./quote-filters";
import { QuoteTable } from "./quote-table";
import "./quotes.css";

/** The quotes: status and search in the URL, a page of them, and (managers) a form for a new one. */
export function QuotesPage() {
  const role = useSession()?.user.role;
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const quotes = useQuotes(toQuery(filters));
  const create = useCreateQuote();
  const [creating, setCreating] = useState(false);
  const manager = canManageQuotes(role);
  const filtered = Boolean(filters.status || filters.q);

  const update = (next: QuoteFilters) => setParams(writeFilters(next), { replace: true });

  return (
    <Page
      title="Quotes"
      actions={
        manager &&
        !creating && (
          <button
            type="button"
            className="button primary"
            onClick={() => {
              create.reset();
              setCreating(true);
            }}
          >
            New quote
          </button>
        )
      }
    >
      {creating && (
        <section className="card quote-panel" aria-labelledby="new-quote-title">
          <h2 id="new-quote-title">New quote</h2>
          <QuoteForm
            initial={emptyQuoteForm()}
            creating
            submitLabel="Create quote"
            pending={create.isPending}
            error={create.error}
            onCancel={() => setCreating(false)}
            onSubmit={(form) => create.mutate(toCreateBody(form), { onSuccess: (quote) => navigate(`/quotes/${quote.id}`) })}
          />
        </section>
      )}
      <QuoteFilterForm filters={filters} onChange={update} />
      <QueryState
        query={quotes}
        isEmpty={(page) => page.total === 0}
        empty={filtered ? "No quote matches these filters." : manager ? "No quotes yet. Make the first one with “New quote”." : "No quotes yet."}
      >
        {(page) => (
          <div className={quotes.isPlaceholderData ? "is-refreshing" : undefined}>
            {page.items.length > 0 ? <QuoteTable quotes={page.items} /> : <Empty>No quotes on this page.</Empty>}
            <Pager total={page.total} limit={page.limit} offset={page.offset} onOffset={(offset) => update({ ...filters, offset })} />
          </div>
        )}
      </QueryState>
    </Page>
  );
}

/** The status applies at once, the search on Enter. */
function QuoteFilterForm({ filters, onChange }: { filters: QuoteFilters; onChange: (f: QuoteFilters) => void }) {
  const [q, setQ] = useState(filters.q);
  // A new URL (the back button, "Clear") brings its own search text.
  useEffect(() => setQ(filters.q), [filters.q]);
  const search = (event: FormEvent) => {
    event.preventDefault();
    onChange({ ...filters, q, offset: 0 });
  };
  return (
    <form className="card row quote-filters" role="search" aria-label="Filter quotes" onSubmit={search}>
      <SelectField
        label="Status"
        value={filters.status}
        onChange={(e) => onChange({ ...filters, status: e.target.value as QuoteFilters["status"], offset: 0 })}
        options={[["", "Any status"], ...QUOTE_STATUSES.map((s) => [s, quoteStatusLabel(s)] as const)]}
      />
      <div className="field quote-search">
        <label htmlFor="quote-search">Search</label>
        <div className="inline-inputs">
          <input id="quote-search" type="search" placeholder="Number, client, plate or description" value={q} onChange={(e) => setQ(e.target.value)} />
          <button type="submit" className="button">
            Search
          </button>
          {(filters.status || filters.q) && (
            <button type="button" className="button" onClick={() => onChange({ status: "", q: "", offset: 0 })}>
              Clear
            </button>
          )}
        </div>
      </div>
    </form>
  );
}

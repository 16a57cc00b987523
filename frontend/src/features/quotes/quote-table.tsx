import { Link } from "react-router-dom";
import { formatMoney } from "@/lib/money";
import type { Quote } from "./api";
import { QuoteStatusBadge } from "./quote-badge";

/** A page of quotes; each number links to its quote. The totals are the server's. */
export function QuoteTable({ quotes }: { quotes: readonly Quote[] }) {
  return (
    <div className="table-scroll">
      <table data-testid="quotes-table">
        <thead>
          <tr>
            <th scope="col">Number</th>
            <th scope="col">Client</th>
            <th scope="col">Vehicle plate</th>
            <th scope="col">Status</th>
            <th scope="col">Valid until</th>
            <th scope="col" className="numeric">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {quotes.map((q) => (
            <tr key={q.id} data-testid="quote-row">
              <td>
                <Link to={`/quotes/${q.id}`}>{q.quote_number}</Link>
              </td>
              <td>
                {q.client_name}
                {q.description && <div className="muted">{q.description}</div>}
              </td>
              <td>{q.vehicle_plate ?? "—"}</td>
              <td>
                <QuoteStatusBadge status={q.status} />
              </td>
              <td>{q.valid_until}</td>
              <td className="numeric" data-testid="quote-total">
                {formatMoney(q.total)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

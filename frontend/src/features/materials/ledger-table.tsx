import { useState } from "react";
import { Link } from "react-router-dom";
import { useSession } from "@/api/provider";
import { Pager } from "@/components/pager";
import { Empty, QueryState } from "@/components/states";
import { formatQuantity } from "@/lib/quantity";
import { isManager } from "@/lib/roles";
import { technicianNames, useTechnicians } from "@/lib/technicians";
import { useLedger, type LedgerEntry, type Material } from "./api";
import { moveLabel } from "./labels";

const PAGE = 20;

/** The quantity as the move applied it: `+5 m`, `−2 m`, a count as `= 12 m`. */
function signed(entry: LedgerEntry, material: Material): string {
  const amount = formatQuantity(entry.quantity, material.unit_of_measure);
  switch (entry.transaction_type) {
    case "stock_in":
    case "return":
      return `+${amount}`;
    case "stock_out":
    case "waste":
      return `−${amount}`;
    case "adjustment":
      return `= ${amount}`;
    case "transfer":
      return "—";
  }
}

/** A material's ledger, newest first, a page at a time: what moved, from what to what, who, why. */
export function LedgerTable({ material }: { material: Material }) {
  const session = useSession();
  const [offset, setOffset] = useState(0);
  const ledger = useLedger(material.id, offset, PAGE);
  const manager = Boolean(session && isManager(session.user.role));
  // Only managers may list users; others see their own name and "Staff" for the rest.
  const names = technicianNames(useTechnicians(manager).data);
  if (session) names.set(session.user.id, "You");
  const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

  return (
    <QueryState query={ledger} isEmpty={(page) => page.total === 0} empty="No stock moves yet.">
      {(page) => (
        <div className={ledger.isPlaceholderData ? "is-refreshing" : undefined}>
          {page.items.length === 0 ? (
            <Empty>No moves on this page.</Empty>
          ) : (
            <div className="table-scroll">
              <table data-testid="ledger-table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Move</th>
                    <th scope="col" className="numeric">
                      Quantity
                    </th>
                    <th scope="col" className="numeric">
                      Stock
                    </th>
                    <th scope="col">Reference</th>
                    <th scope="col">Notes</th>
                    <th scope="col">By</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((entry) => (
                    <tr key={entry.id} data-testid="ledger-row" data-type={entry.transaction_type}>
                      <td>{when(entry.performed_at)}</td>
                      <td>{moveLabel(entry.transaction_type)}</td>
                      <td className="numeric">{signed(entry, material)}</td>
                      <td className="numeric">
                        {formatQuantity(entry.previous_stock, material.unit_of_measure)} → {formatQuantity(entry.new_stock, material.unit_of_measure)}
                      </td>
                      <td>
                        {entry.reference_number ?? "—"}
                        {entry.reference_type && <div className="muted">{entry.reference_type}</div>}
                        {entry.intervention_id && (
                          <div>
                            <Link to={`/interventions/${entry.intervention_id}`}>Intervention</Link>
                          </div>
                        )}
                      </td>
                      <td className="ledger-notes">{entry.notes ?? "—"}</td>
                      <td>{names.get(entry.performed_by) ?? "Staff"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager total={page.total} limit={page.limit} offset={page.offset} onOffset={setOffset} />
        </div>
      )}
    </QueryState>
  );
}

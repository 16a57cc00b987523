import { useState, type FormEvent } from "react";
import type { FieldErrors } from "@/api/errors";
import { FormLevelError } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { Empty } from "@/components/states";
import { formatMoney } from "@/lib/money";
import { useDeleteItem, useReorderItems, useUpdateItem, type ItemKind, type QuoteDetail, type QuoteItem } from "./api";
import { ITEM_KIND_OPTIONS, itemKindLabel } from "./labels";
import { NewItemForm } from "./item-form";
import { checkItemForm, itemToForm, lineMoved, toItemUpdate, type ItemForm } from "./quote-form-model";

/**
 * A quote's lines, each with the amount the server computed for it (`totals.lines`, in the same
 * order). On a draft: edit a line in place, move it up or down, remove it, add one.
 */
export function QuoteItems({ quote, editable }: { quote: QuoteDetail; editable: boolean }) {
  const reorder = useReorderItems(quote.id);
  const remove = useDeleteItem(quote.id);
  const [editing, setEditing] = useState<string | null>(null);
  const ids = quote.items.map((item) => item.id);
  const busy = reorder.isPending || remove.isPending;

  return (
    <div className="stack">
      {quote.items.length === 0 ? (
        <Empty>{editable ? "No lines yet. Add the first one below." : "This quote has no lines."}</Empty>
      ) : (
        <div className="table-scroll">
          <table className="quote-items" data-testid="quote-items">
            <caption className="visually-hidden">Lines of {quote.quote_number}</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Kind</th>
                <th scope="col">Label</th>
                <th scope="col" className="numeric">
                  Quantity
                </th>
                <th scope="col" className="numeric">
                  Unit price
                </th>
                <th scope="col" className="numeric">
                  Tax
                </th>
                <th scope="col" className="numeric">
                  Amount
                </th>
                {editable && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {quote.items.map((item, index) =>
                editing === item.id ? (
                  <EditItemRow key={item.id} quoteId={quote.id} item={item} number={index + 1} onDone={() => setEditing(null)} />
                ) : (
                  <tr key={item.id} data-testid="quote-item" data-kind={item.kind}>
                    <td>{index + 1}</td>
                    <td>{itemKindLabel(item.kind)}</td>
                    <td>{item.label}</td>
                    <td className="numeric">{item.qty.toLocaleString(undefined, { maximumFractionDigits: 3 })}</td>
                    <td className="numeric">{formatMoney(item.unit_price)}</td>
                    <td className="numeric">{item.tax_rate.toLocaleString(undefined, { maximumFractionDigits: 2 })} %</td>
                    <td className="numeric" data-testid="line-amount">
                      {quote.totals.lines[index] === undefined ? "—" : formatMoney(quote.totals.lines[index])}
                    </td>
                    {editable && (
                      <td>
                        <div className="quote-item-actions">
                          <button type="button" className="button" aria-label={`Edit line ${index + 1}`} onClick={() => setEditing(item.id)}>
                            Edit
                          </button>
                          <button type="button" className="button" aria-label={`Move line ${index + 1} up`} disabled={busy || index === 0} onClick={() => reorder.mutate(lineMoved(ids, index, -1))}>
                            ↑
                          </button>
                          <button
                            type="button"
                            className="button"
                            aria-label={`Move line ${index + 1} down`}
                            disabled={busy || index === ids.length - 1}
                            onClick={() => reorder.mutate(lineMoved(ids, index, 1))}
                          >
                            ↓
                          </button>
                          <button type="button" className="button danger" aria-label={`Remove line ${index + 1}`} disabled={busy} onClick={() => remove.mutate(item.id)}>
                            Remove
                          </button>
                        </div>
                      </td>
                    )}
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
      <FormLevelError error={reorder.error ?? remove.error} shown={[]} />
      {editable && <NewItemForm quoteId={quote.id} />}
    </div>
  );
}

/** A line changed in place: each of its fields in its cell; a save sends only what changed. */
function EditItemRow({ quoteId, item, number, onDone }: { quoteId: string; item: QuoteItem; number: number; onDone: () => void }) {
  const update = useUpdateItem(quoteId);
  const [original] = useState(() => itemToForm(item));
  const [form, setForm] = useState(original);
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const errors = { ...fieldErrors(update.error), ...localErrors };
  const set = (key: keyof ItemForm, value: string) => setForm((f) => ({ ...f, [key]: value }));
  const formId = `edit-line-${item.id}`;
  const input = (key: "label" | "qty" | "unit_price" | "tax_rate", label: string) => (
    <input
      form={formId}
      aria-label={`${label} of line ${number}`}
      aria-invalid={Boolean(errors[key])}
      inputMode={key === "label" ? undefined : "decimal"}
      value={form[key]}
      onChange={(e) => set(key, e.target.value)}
    />
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkItemForm(form, false);
    setLocalErrors(found);
    if (Object.keys(found).length > 0) return;
    const body = toItemUpdate(form, original);
    if (Object.keys(body).length === 0) onDone();
    else update.mutate({ itemId: item.id, body }, { onSuccess: onDone });
  };

  return (
    <>
      <tr data-testid="quote-item-editing" className="quote-item-editing">
        <td>{number}</td>
        <td>
          <select form={formId} aria-label={`Kind of line ${number}`} value={form.kind} onChange={(e) => set("kind", e.target.value as ItemKind)}>
            {ITEM_KIND_OPTIONS.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </td>
        <td>{input("label", "Label")}</td>
        <td className="numeric">{input("qty", "Quantity")}</td>
        <td className="numeric">{input("unit_price", "Unit price (€)")}</td>
        <td className="numeric">{input("tax_rate", "Tax rate (%)")}</td>
        <td />
        <td>
          <div className="quote-item-actions">
            {/* The row's inputs belong to this form (a form cannot wrap table cells). */}
            <form id={formId} onSubmit={submit} aria-label={`Line ${number}`}>
              <button type="submit" className="button primary" disabled={update.isPending}>
                Save
              </button>
            </form>
            <button type="button" className="button" onClick={onDone}>
              Cancel
            </button>
          </div>
        </td>
      </tr>
      {(Object.keys(errors).length > 0 || update.error) && (
        <tr>
          <td colSpan={8}>
            <LineErrors errors={errors} error={update.error} />
          </td>
        </tr>
      )}
    </>
  );
}

/** A line's field errors by name (its inputs sit in cells too narrow for messages), or the error's message. */
function LineErrors({ errors, error }: { errors: FieldErrors; error: unknown }) {
  const names: Record<string, string> = { kind: "Kind", label: "Label", qty: "Quantity", unit_price: "Unit price", tax_rate: "Tax rate" };
  const fields = Object.entries(errors).filter(([, messages]) => messages.length > 0);
  if (fields.length === 0) return <FormLevelError error={error} shown={[]} />;
  return (
    <div className="form-error" role="alert">
      <ul>
        {fields.map(([field, messages]) => (
          <li key={field}>
            {names[field] ?? field} {messages.join(" ")}
          </li>
        ))}
      </ul>
    </div>
  );
}

import { useState, type FormEvent } from "react";
import type { FieldErrors } from "@/api/errors";
import { FormLevelError, SelectField, TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { formatMoney } from "@/lib/money";
import { useUpdateQuote, type DiscountType, type QuoteDetail } from "./api";
import { DISCOUNT_OPTIONS } from "./labels";
import { checkDiscount, discountToForm, percentText, toDiscountBody } from "./quote-form-model";

/**
 * The totals exactly as the server computed them (`QuoteDetail.totals`): subtotal, the discount,
 * the tax of each rate, the total. Nothing is added up here. On a draft, the discount's controls.
 */
export function QuoteTotals({ quote, editable }: { quote: QuoteDetail; editable: boolean }) {
  const { totals } = quote;
  const discount =
    quote.discount_type === "percentage" ? `Discount (${percentText(quote.discount_value)} %)` : quote.discount_type === "fixed" ? "Discount (fixed)" : "Discount";
  return (
    <div className="stack">
      <table className="quote-totals" data-testid="quote-totals">
        <caption className="visually-hidden">Totals of {quote.quote_number}</caption>
        <tbody>
          <tr>
            <th scope="row">Subtotal</th>
            <td className="numeric" data-testid="total-subtotal">
              {formatMoney(totals.subtotal)}
            </td>
          </tr>
          {(totals.discount_amount !== 0 || quote.discount_type) && (
            <tr>
              <th scope="row">{discount}</th>
              <td className="numeric" data-testid="total-discount">
                −{formatMoney(totals.discount_amount)}
              </td>
            </tr>
          )}
          {totals.taxes.map((tax) => (
            <tr key={tax.rate_bp} data-testid="total-tax-line">
              <th scope="row">
                VAT {percentText(tax.rate_bp)} % <span className="muted">on {formatMoney(tax.base)}</span>
              </th>
              <td className="numeric" data-testid={`total-tax-${tax.rate_bp}`}>
                {formatMoney(tax.tax)}
              </td>
            </tr>
          ))}
          <tr>
            <th scope="row">Tax</th>
            <td className="numeric" data-testid="total-tax">
              {formatMoney(totals.tax_total)}
            </td>
          </tr>
          <tr className="quote-grand-total">
            <th scope="row">Total</th>
            <td className="numeric" data-testid="total-total">
              {formatMoney(totals.total)}
            </td>
          </tr>
        </tbody>
      </table>
      {editable && <DiscountForm key={`${quote.discount_type}-${quote.discount_value}`} quote={quote} />}
    </div>
  );
}

/** The quote-level discount: a percentage or a fixed amount, saved with the quote's fields. */
function DiscountForm({ quote }: { quote: QuoteDetail }) {
  const update = useUpdateQuote(quote.id);
  const [form, setForm] = useState(() => discountToForm(quote));
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const errors = { ...fieldErrors(update.error), ...localErrors };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkDiscount(form);
    setLocalErrors(found);
    if (Object.keys(found).length === 0) update.mutate(toDiscountBody(form));
  };

  return (
    <form className="stack quote-discount" onSubmit={submit} noValidate aria-label="Quote discount">
      <div className="row">
        <SelectField
          label="Discount"
          value={form.type}
          onChange={(e) => setForm({ type: e.target.value as DiscountType | "", value: "" })}
          errors={errors.discount_type}
          options={DISCOUNT_OPTIONS}
        />
        {form.type && (
          <TextField
            label={form.type === "percentage" ? "Discount (%)" : "Discount (€)"}
            inputMode="decimal"
            value={form.value}
            onChange={(e) => setForm({ ...form, value: e.target.value })}
            errors={errors.discount_value}
          />
        )}
      </div>
      <FormLevelError error={update.error} shown={["discount_type", "discount_value"]} />
      <div>
        <button type="submit" className="button" disabled={update.isPending}>
          Save discount
        </button>
      </div>
    </form>
  );
}

import { useState, type FormEvent } from "react";
import type { FieldErrors } from "@/api/errors";
import { FormLevelError, SelectField, TextAreaField, TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { LowStockBadge } from "@/components/stock-badges";
import { formatQuantity, parseQuantity, unitShort } from "@/lib/quantity";
import { useMoveStock, type Material, type StockMove, type TransactionType } from "./api";
import { MOVE_OPTIONS, moveLabel, moveQuantityLabel, NEEDS_NOTES } from "./labels";

const SHOWN = ["transaction_type", "quantity", "reference_number", "notes", "to_location"];

/**
 * One form for every stock move: in, out, a count, waste, a return, a transfer to another
 * location. A move the stock cannot cover is the server's `CONFLICT`, shown above the button.
 */
export function StockForm({ material }: { material: Material }) {
  const move = useMoveStock(material.id);
  const [kind, setKind] = useState<TransactionType>("stock_in");
  const [quantity, setQuantity] = useState("");
  const [reference, setReference] = useState("");
  const [notes, setNotes] = useState("");
  const [location, setLocation] = useState("");
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const errors = { ...fieldErrors(move.error), ...localErrors };
  const transfer = kind === "transfer";
  const needsNotes = NEEDS_NOTES.includes(kind);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    const size = transfer ? 0 : parseQuantity(quantity);
    if (size === null) found.quantity = ["is required"];
    else if (Number.isNaN(size)) found.quantity = ["must be a number of at most 3 decimals"];
    if (needsNotes && !notes.trim()) found.notes = ["is required for an adjustment or waste: say why"];
    if (transfer && !location.trim()) found.to_location = ["is required for a transfer"];
    setLocalErrors(found);
    if (Object.keys(found).length > 0 || size === null) return;
    const body: StockMove = { transaction_type: kind, quantity: size };
    if (reference.trim()) body.reference_number = reference.trim();
    if (notes.trim()) body.notes = notes.trim();
    if (transfer) body.to_location = location.trim();
    move.mutate(body, {
      onSuccess: () => {
        setQuantity("");
        setReference("");
        setNotes("");
        setLocation("");
      },
    });
  };

  const done = move.data;
  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="Move stock">
      <SelectField
        label="Move"
        value={kind}
        onChange={(e) => {
          setKind(e.target.value as TransactionType);
          setLocalErrors({});
          move.reset();
        }}
        errors={errors.transaction_type}
        options={MOVE_OPTIONS}
      />
      {transfer ? (
        <TextField
          label="New storage location"
          required
          maxLength={100}
          hint={`Now: ${material.storage_location ?? "not set"}`}
          value={location}
          onChange={(e) => setLocation(e.target.value)}
          errors={errors.to_location}
        />
      ) : (
        <TextField
          label={`${moveQuantityLabel(kind)} (${unitShort(material.unit_of_measure)})`}
          required
          inputMode="decimal"
          hint={kind === "adjustment" ? "The stock becomes this number" : `In stock: ${formatQuantity(material.current_stock, material.unit_of_measure)}`}
          value={quantity}
          onChange={(e) => setQuantity(e.target.value)}
          errors={errors.quantity}
        />
      )}
      <TextField label="Reference" maxLength={100} hint="A delivery note, an order number" value={reference} onChange={(e) => setReference(e.target.value)} errors={errors.reference_number} />
      <TextAreaField
        label={needsNotes ? "Notes (required: say why)" : "Notes"}
        required={needsNotes}
        maxLength={1000}
        value={notes}
        onChange={(e) => setNotes(e.target.value)}
        errors={errors.notes}
      />
      <FormLevelError error={move.error} shown={SHOWN} />
      {done && (
        <p className="stock-moved" role="status" data-testid="stock-moved">
          {moveLabel(done.transaction.transaction_type)}: {formatQuantity(done.transaction.previous_stock, done.material.unit_of_measure)} →{" "}
          {formatQuantity(done.transaction.new_stock, done.material.unit_of_measure)}.{" "}
          {done.material.is_low_stock && <LowStockBadge />}
        </p>
      )}
      <div>
        <button type="submit" className="button primary" disabled={move.isPending}>
          {moveLabel(kind)}
        </button>
      </div>
    </form>
  );
}

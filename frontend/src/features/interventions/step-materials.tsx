import { useState, type FormEvent } from "react";
import type { FieldErrors } from "@/api/errors";
import { FormLevelError, TextField } from "@/components/field";
import { MaterialPicker } from "@/components/material-picker";
import { fieldErrors } from "@/components/field-errors";
import { QueryState } from "@/components/states";
import { LowStockBadge } from "@/components/stock-badges";
import { formatMoney } from "@/lib/money";
import { formatQuantity, parseQuantity, unitShort } from "@/lib/quantity";
import { useConsumption, useRecordConsumption, type Material, type RecordConsumption, type Step } from "./api";

const SHOWN = ["material_id", "quantity_used", "waste_quantity", "waste_reason", "batch_used"];

/**
 * A step's "Materials used": while the step may change, a form to record a material taken from
 * stock (and any waste); always, what the whole intervention used and what it cost.
 */
export function StepMaterials({ interventionId, step, canRecord }: { interventionId: string; step: Step; canRecord: boolean }) {
  const consumption = useConsumption(interventionId);
  return (
    <section className="step-materials stack" aria-labelledby={`materials-${step.id}`}>
      <h3 id={`materials-${step.id}`}>Materials used</h3>
      {canRecord && <ConsumptionForm interventionId={interventionId} stepId={step.id} />}
      <QueryState query={consumption} isEmpty={({ rows }) => rows.length === 0} empty="No materials recorded for this intervention yet.">
        {({ rows, summary }) => (
          <div className="table-scroll">
            <table data-testid="consumption-table">
              <caption className="visually-hidden">Materials used in this intervention</caption>
              <thead>
                <tr>
                  <th scope="col">Step</th>
                  <th scope="col">Material</th>
                  <th scope="col" className="numeric">
                    Used
                  </th>
                  <th scope="col" className="numeric">
                    Waste
                  </th>
                  <th scope="col">Batch</th>
                  <th scope="col" className="numeric">
                    Cost
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id} data-testid="consumption-row" aria-current={row.step_id === step.id ? "true" : undefined}>
                    <td>{row.step_number ?? "—"}</td>
                    <td>
                      {row.material_sku} <span className="muted">{row.material_name}</span>
                    </td>
                    <td className="numeric">{formatQuantity(row.quantity_used, row.unit_of_measure)}</td>
                    <td className="numeric">
                      {row.waste_quantity > 0 ? formatQuantity(row.waste_quantity, row.unit_of_measure) : "—"}
                      {row.waste_reason && <div className="muted">{row.waste_reason}</div>}
                    </td>
                    <td>{row.batch_used ?? "—"}</td>
                    <td className="numeric">{formatMoney(row.total_cost)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={5}>
                    Total ({summary.records} {summary.records === 1 ? "record" : "records"})
                  </th>
                  <td className="numeric" data-testid="consumption-total">
                    {formatMoney(summary.total_cost)}
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
        )}
      </QueryState>
    </section>
  );
}

function ConsumptionForm({ interventionId, stepId }: { interventionId: string; stepId: string }) {
  const record = useRecordConsumption(interventionId);
  const [chosen, setChosen] = useState<Material | null>(null);
  const [used, setUsed] = useState("");
  const [waste, setWaste] = useState("");
  const [reason, setReason] = useState("");
  const [batch, setBatch] = useState("");
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const errors = { ...fieldErrors(record.error), ...localErrors };
  const unit = chosen ? ` (${unitShort(chosen.unit_of_measure)})` : "";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    const quantity = parseQuantity(used);
    const wasted = parseQuantity(waste);
    if (!chosen) found.material_id = ["choose a material"];
    if (quantity === null) found.quantity_used = ["is required"];
    else if (Number.isNaN(quantity)) found.quantity_used = ["must be a number of at most 3 decimals"];
    if (wasted !== null && Number.isNaN(wasted)) found.waste_quantity = ["must be a number of at most 3 decimals"];
    if (wasted && !reason.trim()) found.waste_reason = ["is required with waste"];
    setLocalErrors(found);
    if (Object.keys(found).length > 0 || !chosen || quantity === null) return;
    const body: RecordConsumption = { material_id: chosen.id, step_id: stepId, quantity_used: quantity };
    if (wasted) {
      body.waste_quantity = wasted;
      body.waste_reason = reason.trim();
    }
    if (batch.trim()) body.batch_used = batch.trim();
    record.mutate(body, {
      onSuccess: ({ material }) => {
        setChosen(material);
        setUsed("");
        setWaste("");
        setReason("");
      },
    });
  };

  const done = record.data;
  return (
    <form className="stack consumption-form" onSubmit={submit} noValidate aria-label="Record a material used">
      <MaterialPicker
        value={chosen}
        onChange={(material) => {
          setChosen(material);
          setBatch(material?.batch_number ?? "");
          record.reset();
        }}
        errors={errors.material_id}
      />
      <div className="row">
        <TextField label={`Quantity used${unit}`} inputMode="decimal" required value={used} onChange={(e) => setUsed(e.target.value)} errors={errors.quantity_used} />
        <TextField label={`Waste${unit}`} inputMode="decimal" hint="Spoilt on top of what was used" value={waste} onChange={(e) => setWaste(e.target.value)} errors={errors.waste_quantity} />
        <TextField label="Waste reason" maxLength={500} required={Boolean(parseQuantity(waste))} value={reason} onChange={(e) => setReason(e.target.value)} errors={errors.waste_reason} />
        <TextField label="Batch" maxLength={100} value={batch} onChange={(e) => setBatch(e.target.value)} errors={errors.batch_used} />
      </div>
      <FormLevelError error={record.error} shown={SHOWN} />
      {done && (
        <p role="status" data-testid="consumption-recorded">
          Recorded {formatQuantity(done.consumption.quantity_used, done.material.unit_of_measure)} of {done.material.sku};{" "}
          <span data-testid="remaining-stock">{formatQuantity(done.material.current_stock, done.material.unit_of_measure)}</span> left in stock.{" "}
          {done.material.is_low_stock && <LowStockBadge>{`Low stock: ${formatQuantity(done.material.current_stock, done.material.unit_of_measure)} left`}</LowStockBadge>}
        </p>
      )}
      <div>
        <button type="submit" className="button" disabled={record.isPending}>
          Record material
        </button>
      </div>
    </form>
  );
}

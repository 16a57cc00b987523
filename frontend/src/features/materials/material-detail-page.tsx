import { useState, type ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { useSession } from "@/api/provider";
import { ConfirmButton } from "@/components/confirm-button";
import { Page } from "@/components/page";
import { QueryState } from "@/components/states";
import { ExpiredBadge, LowStockBadge } from "@/components/stock-badges";
import { formatMoney } from "@/lib/money";
import { formatQuantity, UNIT_OPTIONS } from "@/lib/quantity";
import { canManageInventory, canUseInventory, useCategories, useDeleteMaterial, useMaterial, useSuppliers, useUpdateMaterial, type Material } from "./api";
import { materialTypeLabel } from "./labels";
import { LedgerTable } from "./ledger-table";
import { MaterialForm } from "./material-form";
import { materialToForm, toUpdateBody } from "./material-form-model";
import { StockForm } from "./stock-form";
import "./materials.css";

/** One material: its stock and flags, its fields (editable), stock moves, and its ledger. */
export function MaterialDetailPage() {
  const { id = "" } = useParams();
  const material = useMaterial(id);
  return <QueryState query={material}>{(data) => <MaterialDetail material={data} />}</QueryState>;
}

function MaterialDetail({ material }: { material: Material }) {
  const role = useSession()?.user.role;
  const canWrite = canUseInventory(role);
  const [editing, setEditing] = useState(false);
  const stockValue = Math.round(material.current_stock * material.unit_cost);

  return (
    <Page
      title={`${material.sku} · ${material.name}`}
      actions={
        <>
          <Link to="/inventory" className="button">
            Back to inventory
          </Link>
          {canWrite && !editing && (
            <button type="button" className="button" onClick={() => setEditing(true)}>
              Edit details
            </button>
          )}
          {canManageInventory(role) && <DeleteMaterial id={material.id} />}
        </>
      }
    >
      <div className="material-detail">
        <div className="stack">
          <section className="card" aria-labelledby="stock-title">
            <h2 id="stock-title">Stock</h2>
            <dl className="material-summary">
              <div>
                <dt>In stock</dt>
                <dd data-testid="current-stock">{formatQuantity(material.current_stock, material.unit_of_measure)}</dd>
              </div>
              <div>
                <dt>Reorder at</dt>
                <dd>{formatQuantity(material.reorder_point, material.unit_of_measure)}</dd>
              </div>
              <div>
                <dt>Unit cost</dt>
                <dd>{formatMoney(material.unit_cost, material.currency)}</dd>
              </div>
              <div>
                <dt>Stock value</dt>
                <dd>{formatMoney(stockValue, material.currency)}</dd>
              </div>
            </dl>
            <p className="flags">
              {material.is_low_stock && <LowStockBadge />}
              {material.is_expired && <ExpiredBadge />}
              {!material.is_active && <span className="badge">Inactive</span>}
              {material.is_discontinued && <span className="badge">Discontinued</span>}
              {material.is_active && !material.is_low_stock && !material.is_expired && <span className="muted">Stock is fine.</span>}
            </p>
          </section>
          <section className="card" aria-labelledby="details-title">
            <h2 id="details-title">Details</h2>
            {editing ? <EditMaterial material={material} onDone={() => setEditing(false)} /> : <MaterialFields material={material} />}
          </section>
          <section className="card" aria-labelledby="ledger-title">
            <h2 id="ledger-title">Ledger</h2>
            <LedgerTable material={material} />
          </section>
        </div>
        {canWrite && (
          <section className="card" aria-labelledby="move-title">
            <h2 id="move-title">Move stock</h2>
            <StockForm material={material} />
          </section>
        )}
      </div>
    </Page>
  );
}

function EditMaterial({ material, onDone }: { material: Material; onDone: () => void }) {
  const update = useUpdateMaterial(material.id);
  // The material as it was when the form opened: the update sends only what changed since.
  const [original] = useState(() => materialToForm(material));
  return (
    <MaterialForm
      initial={original}
      creating={false}
      submitLabel="Save changes"
      pending={update.isPending}
      error={update.error}
      onCancel={onDone}
      onSubmit={(form) => {
        const body = toUpdateBody(form, original);
        if (Object.keys(body).length === 0) onDone();
        else update.mutate(body, { onSuccess: onDone });
      }}
    />
  );
}

function MaterialFields({ material }: { material: Material }) {
  const categories = useCategories();
  const suppliers = useSuppliers();
  const category = categories.data?.find((c) => c.id === material.category_id);
  const supplier = suppliers.data?.find((s) => s.id === material.supplier_id);
  const unit = UNIT_OPTIONS.find(([value]) => value === material.unit_of_measure)?.[1] ?? material.unit_of_measure;
  const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  const rows: [string, ReactNode][] = [
    ["SKU", material.sku],
    ["Name", material.name],
    ["Type", materialTypeLabel(material.material_type)],
    ["Unit", unit],
    ["Category", material.category_id ? (category?.name ?? material.category_id) : null],
    ["Supplier", material.supplier_id ? (supplier?.name ?? "A supplier") : null],
    ["Brand", material.brand],
    ["Model", material.model],
    ["Minimum stock", formatQuantity(material.minimum_stock, material.unit_of_measure)],
    ["Maximum stock", material.maximum_stock == null ? null : formatQuantity(material.maximum_stock, material.unit_of_measure)],
    ["Expiry date", material.expiry_date],
    ["Batch", material.batch_number],
    ["Storage location", material.storage_location],
    ["Description", material.description],
    ["In use", material.is_active ? "Yes" : "No"],
    ["Created", when(material.created_at)],
    ["Last changed", when(material.updated_at)],
  ];
  return (
    <dl className="material-fields">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value === null || value === undefined || value === "" ? <span className="muted">—</span> : value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Delete (managers), after a second click; the ledger and consumption stay on the server. */
function DeleteMaterial({ id }: { id: string }) {
  const remove = useDeleteMaterial(id);
  const navigate = useNavigate();
  return (
    <ConfirmButton
      label="Delete"
      prompt="Delete this material? Its ledger stays."
      confirmLabel="Yes, delete"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate(undefined, { onSuccess: () => navigate("/inventory") })}
    />
  );
}

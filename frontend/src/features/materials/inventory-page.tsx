import { useEffect, useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { ApiError, errorMessage } from "@/api/errors";
import { useSession } from "@/api/provider";
import { FormError, SelectField } from "@/components/field";
import { Page } from "@/components/page";
import { Pager } from "@/components/pager";
import { Empty, ErrorState, QueryState } from "@/components/states";
import { formatMoney } from "@/lib/money";
import { canUseInventory, useCategories, useCreateMaterial, useFindBySku, useMaterials, useMaterialStats, type Category, type MaterialType } from "./api";
import { MATERIAL_TYPE_OPTIONS } from "./labels";
import { categoryOption, MaterialForm } from "./material-form";
import { emptyMaterialForm, toCreateBody } from "./material-form-model";
import { isFiltered, readFilters, toQuery, writeFilters, type MaterialFilters } from "./material-filters";
import { MaterialTable } from "./material-table";
import "./materials.css";

/** The inventory: figures, filters in the URL, a page of materials, a form for a new one. */
export function InventoryPage() {
  const role = useSession()?.user.role;
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const materials = useMaterials(toQuery(filters));
  const categories = useCategories();
  const create = useCreateMaterial();
  const [creating, setCreating] = useState(false);
  const canWrite = canUseInventory(role);
  const byId = new Map((categories.data ?? []).map((c) => [c.id, c] as const));

  const update = (next: MaterialFilters) => setParams(writeFilters(next), { replace: true });

  return (
    <Page
      title="Inventory"
      actions={
        <>
          <Link to="/inventory/categories" className="button">
            Categories &amp; suppliers
          </Link>
          {canWrite && !creating && (
            <button
              type="button"
              className="button primary"
              onClick={() => {
                create.reset();
                setCreating(true);
              }}
            >
              New material
            </button>
          )}
        </>
      }
    >
      <StatsStrip onFilter={(changes) => update({ ...readFilters(new URLSearchParams()), ...changes })} />
      {creating && (
        <section className="card material-panel" aria-labelledby="new-material-title">
          <h2 id="new-material-title">New material</h2>
          <MaterialForm
            initial={emptyMaterialForm()}
            creating
            submitLabel="Create material"
            pending={create.isPending}
            error={create.error}
            onCancel={() => setCreating(false)}
            onSubmit={(form) => create.mutate(toCreateBody(form), { onSuccess: (material) => navigate(`/inventory/${material.id}`) })}
          />
        </section>
      )}
      <InventoryFilters filters={filters} categories={categories.data ?? []} onChange={update} />
      <QueryState
        query={materials}
        isEmpty={(page) => page.total === 0}
        empty={isFiltered(filters) ? "No material matches these filters." : canWrite ? "No materials yet. Add the first one with “New material”." : "No materials yet."}
      >
        {(page) => (
          <div className={materials.isPlaceholderData ? "is-refreshing" : undefined}>
            {page.items.length > 0 ? <MaterialTable materials={page.items} categories={byId} /> : <Empty>No materials on this page.</Empty>}
            <Pager total={page.total} limit={page.limit} offset={page.offset} onOffset={(offset) => update({ ...filters, offset })} />
          </div>
        )}
      </QueryState>
    </Page>
  );
}

/** Stock value, how many are low and expired (each a link to that filter), last 30 days' use. */
function StatsStrip({ onFilter }: { onFilter: (changes: Partial<MaterialFilters>) => void }) {
  const stats = useMaterialStats();
  if (stats.isPending) return <div className="material-stats" aria-busy="true" />;
  if (stats.error) return <ErrorState error={stats.error} onRetry={() => stats.refetch()} />;
  const s = stats.data;
  return (
    <dl className="material-stats" data-testid="material-stats">
      <div className="card material-stat">
        <dt>Stock value</dt>
        <dd data-testid="stock-value">{formatMoney(s.stock_value)}</dd>
      </div>
      <div className="card material-stat">
        <dt>Materials</dt>
        <dd>
          {s.active_materials} <span className="muted">active of {s.total_materials}</span>
        </dd>
      </div>
      <div className={`card material-stat${s.low_stock > 0 ? " stat-warn" : ""}`}>
        <dt>Low on stock</dt>
        <dd>
          <button type="button" className="link" onClick={() => onFilter({ low_stock: true })} aria-label={`${s.low_stock} low on stock: show them`}>
            {s.low_stock}
          </button>
        </dd>
      </div>
      <div className={`card material-stat${s.expired > 0 ? " stat-danger" : ""}`}>
        <dt>Expired</dt>
        <dd>
          <button type="button" className="link" onClick={() => onFilter({ expired: true })} aria-label={`${s.expired} expired: show them`}>
            {s.expired}
          </button>
        </dd>
      </div>
      <div className="card material-stat">
        <dt>Used in 30 days</dt>
        <dd>
          {formatMoney(s.consumption_cost)} <span className="muted">of which waste {formatMoney(s.waste_cost)}</span>
        </dd>
      </div>
    </dl>
  );
}

/** The list's filters: choices apply at once, the search on Enter; a SKU goes to its material. */
function InventoryFilters({ filters, categories, onChange }: { filters: MaterialFilters; categories: readonly Category[]; onChange: (f: MaterialFilters) => void }) {
  const [q, setQ] = useState(filters.q);
  // A new URL (back button, "Clear filters") brings its own search text.
  useEffect(() => setQ(filters.q), [filters.q]);
  const set = (changes: Partial<MaterialFilters>) => onChange({ ...filters, ...changes, offset: 0 });
  const search = (event: FormEvent) => {
    event.preventDefault();
    set({ q });
  };
  return (
    <div className="card inventory-filters">
      <form className="row" role="search" aria-label="Filter materials" onSubmit={search}>
        <div className="field inventory-search">
          <label htmlFor="material-search">Search</label>
          <div className="inline-inputs">
            <input id="material-search" type="search" placeholder="SKU, name, brand or model" value={q} onChange={(e) => setQ(e.target.value)} />
            <button type="submit" className="button">
              Search
            </button>
          </div>
        </div>
        <SelectField
          label="Type"
          value={filters.material_type}
          onChange={(e) => set({ material_type: e.target.value as MaterialType | "" })}
          options={[["", "Any type"], ...MATERIAL_TYPE_OPTIONS]}
        />
        <SelectField label="Category" value={filters.category_id} onChange={(e) => set({ category_id: e.target.value })} options={[["", "Any category"], ...categories.map(categoryOption)]} />
      </form>
      <div className="inventory-filters-footer">
        <label className="check">
          <input type="checkbox" checked={filters.low_stock} onChange={(e) => set({ low_stock: e.target.checked })} />
          Low stock only
        </label>
        <label className="check">
          <input type="checkbox" checked={filters.expired} onChange={(e) => set({ expired: e.target.checked })} />
          Expired only
        </label>
        <button type="button" className="button" onClick={() => onChange(readFilters(new URLSearchParams()))}>
          Clear filters
        </button>
        <SkuLookup />
      </div>
    </div>
  );
}

/** Straight to a material by its SKU (typed, or a label scanned into the field). */
function SkuLookup() {
  const find = useFindBySku();
  const navigate = useNavigate();
  const [sku, setSku] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (sku.trim()) find.mutate(sku.trim(), { onSuccess: (material) => navigate(`/inventory/${material.id}`) });
  };
  const missing = find.error instanceof ApiError && find.error.code === "NOT_FOUND";
  return (
    <form className="sku-lookup" onSubmit={submit} aria-label="Find by SKU">
      <label htmlFor="sku-lookup">Go to SKU</label>
      <input id="sku-lookup" value={sku} autoComplete="off" onChange={(e) => setSku(e.target.value)} />
      <button type="submit" className="button" disabled={find.isPending || !sku.trim()}>
        Open
      </button>
      <FormError message={find.error ? (missing ? `No material has the SKU ${sku.trim()}.` : errorMessage(find.error)) : null} />
    </form>
  );
}

import { useEffect, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router-dom";
import { useSession } from "@/api/provider";
import { FormLevelError, SelectField } from "@/components/field";
import { Page } from "@/components/page";
import { Pager } from "@/components/pager";
import { Empty, QueryState } from "@/components/states";
import { isPlantWriter } from "@/lib/roles";
import { useInventoryCategories, useInventoryItems, useUpdateInventoryItem } from "./api";
import { colorOf } from "./charts/colors";
import { readInventoryFilters, toInventoryQuery, writeInventoryFilters, type InventoryFilters } from "./filters";
import { formatNumber, formatValue } from "./format";
import { filterOptions, INVENTORY_STATUSES } from "./labels";
import type { InventoryCategory, InventoryItem, InventoryStatus } from "./types";
import { Panel, StatusBadge } from "./widgets";
import "./ops.css";

const TREND: Record<string, string> = { up: "↑ rising", down: "↓ falling", stable: "→ stable" };

/** The plant's inventory: a card per category, then the items, filtered and paged (writers set an item's status). */
export function PlantInventoryPage() {
  const [params, setParams] = useSearchParams();
  const filters = readInventoryFilters(params);
  const categories = useInventoryCategories();
  const items = useInventoryItems(toInventoryQuery(filters));
  const role = useSession()?.user.role;
  const canWrite = Boolean(role && isPlantWriter(role));
  const update = (next: InventoryFilters) => setParams(writeInventoryFilters(next), { replace: true });
  const filtered = Boolean(filters.category || filters.search || filters.status);

  return (
    <Page title="Plant inventory">
      <QueryState query={categories} isEmpty={(list) => list.length === 0} empty="No data yet: the plant has no inventory.">
        {(list) => (
          <ul className="ops-figures" aria-label="Categories">
            {list.map((category) => (
              <CategoryCard key={category.id} category={category} selected={filters.category === category.id} onSelect={() => update({ ...filters, category: filters.category === category.id ? "" : category.id, offset: 0 })} />
            ))}
          </ul>
        )}
      </QueryState>
      <ItemFilters filters={filters} categories={categories.data ?? []} onChange={update} />
      <QueryState query={items} isEmpty={(page) => page.total === 0} empty={filtered ? "No item matches these filters." : "No data yet."}>
        {(page) => (
          <div className={items.isPlaceholderData ? "is-refreshing" : undefined}>
            {page.items.length === 0 ? <Empty>No items on this page.</Empty> : <ItemTable items={page.items} canWrite={canWrite} />}
            <Pager total={page.total} limit={page.limit} offset={page.offset} onOffset={(offset) => update({ ...filters, offset })} />
          </div>
        )}
      </QueryState>
    </Page>
  );
}

function CategoryCard({ category, selected, onSelect }: { category: InventoryCategory; selected: boolean; onSelect: () => void }) {
  const { good, hold, blocked } = category.statusMix;
  const total = good + hold + blocked || 1;
  const color = colorOf(category.color, 0);
  return (
    <li className="card ops-figure" style={{ borderTop: `4px solid ${color}` }} data-testid="inventory-category">
      <div className="ops-panel-head">
        <h2 className="ops-figure-label">{category.label}</h2>
        <span className="muted">{TREND[category.trend] ?? category.trend}</span>
      </div>
      <div className="ops-figure-value">{formatNumber(category.count, 0)}</div>
      <div className="ops-figure-note">{category.description}</div>
      <div className="stack-bar" role="img" aria-label={`${category.label}: ${good} good, ${hold} on hold, ${blocked} blocked`}>
        <span className="stack-good" style={{ width: `${(good / total) * 100}%` }} />
        <span className="stack-hold" style={{ width: `${(hold / total) * 100}%` }} />
        <span className="stack-blocked" style={{ width: `${(blocked / total) * 100}%` }} />
      </div>
      <div className="ops-figure-note">
        {good} good · {hold} hold · {blocked} blocked
      </div>
      <button type="button" className="button" aria-pressed={selected} onClick={onSelect}>
        {selected ? "Show every category" : `Show ${category.label}`}
      </button>
    </li>
  );
}

/** The category and status apply at once, the search on Enter. */
function ItemFilters({ filters, categories, onChange }: { filters: InventoryFilters; categories: readonly InventoryCategory[]; onChange: (f: InventoryFilters) => void }) {
  const [search, setSearch] = useState(filters.search);
  useEffect(() => setSearch(filters.search), [filters.search]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange({ ...filters, search, offset: 0 });
  };
  return (
    <form className="card ops-toolbar" role="search" aria-label="Filter items" onSubmit={submit}>
      <SelectField
        label="Category"
        value={filters.category}
        onChange={(e) => onChange({ ...filters, category: e.target.value, offset: 0 })}
        options={[["", "Every category"], ...categories.map((c) => [c.id, c.label] as const)]}
      />
      <SelectField label="Status" value={filters.status} onChange={(e) => onChange({ ...filters, status: e.target.value as InventoryStatus | "", offset: 0 })} options={filterOptions("Any status", INVENTORY_STATUSES)} />
      <div className="field grow">
        <label htmlFor="inventory-search">Search</label>
        <div className="inline-inputs">
          <input id="inventory-search" type="search" placeholder="Id, SKU, location or batch" value={search} onChange={(e) => setSearch(e.target.value)} />
          <button type="submit" className="button">
            Search
          </button>
        </div>
      </div>
    </form>
  );
}

function ItemTable({ items, canWrite }: { items: readonly InventoryItem[]; canWrite: boolean }) {
  return (
    <Panel id="items-title" title="Items">
      <div className="table-scroll">
        <table data-testid="inventory-items">
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">SKU</th>
              <th scope="col">Location</th>
              <th scope="col">Status</th>
              <th scope="col">Age</th>
              <th scope="col">Batch</th>
              <th scope="col">Exception</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td>{item.id}</td>
                <td>{item.sku}</td>
                <td>{formatValue(item.location)}</td>
                <td>{canWrite ? <ItemStatus item={item} /> : <StatusBadge status={item.status} />}</td>
                <td>{formatValue(item.age)}</td>
                <td>{formatValue(item.batchRef)}</td>
                <td>{formatValue(item.exceptionRef)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

/** A writer's status select for one item: the change is sent at once. */
function ItemStatus({ item }: { item: InventoryItem }) {
  const update = useUpdateInventoryItem();
  return (
    <div>
      <label className="visually-hidden" htmlFor={`status-${item.id}`}>
        Status of {item.id}
      </label>
      <select
        id={`status-${item.id}`}
        value={item.status}
        disabled={update.isPending}
        onChange={(e) => update.mutate({ id: item.id, body: { status: e.target.value as InventoryStatus, exceptionRef: item.exceptionRef ?? null } })}
      >
        {INVENTORY_STATUSES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <FormLevelError error={update.error} shown={[]} />
    </div>
  );
}

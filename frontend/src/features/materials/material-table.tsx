import { Link } from "react-router-dom";
import { ExpiredBadge, LowStockBadge } from "@/components/stock-badges";
import { formatMoney } from "@/lib/money";
import { formatQuantity } from "@/lib/quantity";
import type { Category, Material } from "./api";
import { materialTypeLabel } from "./labels";

/** A page of materials; each SKU links to the material, with its stock flags as words. */
export function MaterialTable({ materials, categories }: { materials: readonly Material[]; categories: ReadonlyMap<string, Category> }) {
  return (
    <div className="table-scroll">
      <table data-testid="materials-table">
        <thead>
          <tr>
            <th scope="col">SKU</th>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Category</th>
            <th scope="col" className="numeric">
              Stock
            </th>
            <th scope="col" className="numeric">
              Reorder at
            </th>
            <th scope="col" className="numeric">
              Unit cost
            </th>
            <th scope="col">Expiry</th>
            <th scope="col">Flags</th>
          </tr>
        </thead>
        <tbody>
          {materials.map((m) => (
            <tr key={m.id} data-testid="material-row" className={m.is_active ? undefined : "inactive"}>
              <td>
                <Link to={`/inventory/${m.id}`}>{m.sku}</Link>
              </td>
              <td>
                {m.name}
                {m.brand && <div className="muted">{m.brand}</div>}
              </td>
              <td>{materialTypeLabel(m.material_type)}</td>
              <td>{(m.category_id ? categories.get(m.category_id)?.name : undefined) ?? "—"}</td>
              <td className="numeric" data-testid="material-stock">
                {formatQuantity(m.current_stock, m.unit_of_measure)}
              </td>
              <td className="numeric">{formatQuantity(m.reorder_point, m.unit_of_measure)}</td>
              <td className="numeric">{formatMoney(m.unit_cost, m.currency)}</td>
              <td>{m.expiry_date ?? "—"}</td>
              <td>
                <span className="flags">
                  {m.is_low_stock && <LowStockBadge />}
                  {m.is_expired && <ExpiredBadge />}
                  {!m.is_active && <span className="badge">Inactive</span>}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

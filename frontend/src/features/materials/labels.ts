// Material types and ledger moves with their labels, as exhaustive records over the generated
// types: a kind the server adds fails `tsc` here until it has a label.
import type { MaterialType, TransactionType } from "./api";

const TYPE_LABELS: Record<MaterialType, string> = {
  ppf_film: "PPF film",
  adhesive: "Adhesive",
  cleaning_solution: "Cleaning solution",
  tool: "Tool",
  consumable: "Consumable",
};

/** Every material type as `[value, label]` options. */
export const MATERIAL_TYPE_OPTIONS = (Object.keys(TYPE_LABELS) as MaterialType[]).map((type) => [type, TYPE_LABELS[type]] as const);

export const materialTypeLabel = (type: MaterialType): string => TYPE_LABELS[type] ?? type;

/** Whether `value` (from a URL, say) is a material type the server knows. */
export const isMaterialType = (value: string): value is MaterialType => Object.hasOwn(TYPE_LABELS, value);

/** Each stock move: its label, and what its quantity means (for the stock form). */
const MOVES: Record<TransactionType, { label: string; quantity: string }> = {
  stock_in: { label: "Stock in", quantity: "Quantity received" },
  stock_out: { label: "Stock out", quantity: "Quantity taken out" },
  adjustment: { label: "Adjust (count)", quantity: "Counted stock" },
  waste: { label: "Waste", quantity: "Quantity wasted" },
  return: { label: "Return", quantity: "Quantity returned" },
  transfer: { label: "Transfer", quantity: "Quantity" },
};

/** Every move as `[value, label]` options. */
export const MOVE_OPTIONS = (Object.keys(MOVES) as TransactionType[]).map((kind) => [kind, MOVES[kind].label] as const);

export const moveLabel = (kind: TransactionType): string => MOVES[kind]?.label ?? kind;
export const moveQuantityLabel = (kind: TransactionType): string => MOVES[kind]?.quantity ?? "Quantity";

/** Moves that must say why (the server refuses them without notes). */
export const NEEDS_NOTES: readonly TransactionType[] = ["adjustment", "waste"];

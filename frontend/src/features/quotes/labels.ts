// Quote statuses, line kinds and discount types with their labels, as exhaustive records over the
// generated types: a value the server adds fails `tsc` here until it has a label.
import type { DiscountType, ItemKind, QuoteStatus } from "./api";

/** Every status with its label, in the order a quote usually moves through them. */
const STATUS_LABELS: Record<QuoteStatus, string> = {
  draft: "Draft",
  sent: "Sent",
  changes_requested: "Changes requested",
  accepted: "Accepted",
  rejected: "Rejected",
  expired: "Expired",
  converted: "Converted",
};

/** Every status, in the order a quote usually moves through them. */
export const QUOTE_STATUSES = Object.keys(STATUS_LABELS) as readonly QuoteStatus[];

export const quoteStatusLabel = (status: QuoteStatus): string => STATUS_LABELS[status] ?? status;

/** Whether `value` (from a URL, say) is a status the server knows. */
export const isQuoteStatus = (value: string): value is QuoteStatus => Object.hasOwn(STATUS_LABELS, value);

const KIND_LABELS: Record<ItemKind, string> = {
  labor: "Labour",
  material: "Material",
  service: "Service",
  discount: "Discount",
};

/** Every line kind as `[value, label]` options. */
export const ITEM_KIND_OPTIONS = (Object.keys(KIND_LABELS) as ItemKind[]).map((kind) => [kind, KIND_LABELS[kind]] as const);

export const itemKindLabel = (kind: ItemKind): string => KIND_LABELS[kind] ?? kind;

const DISCOUNT_LABELS: Record<DiscountType, string> = {
  percentage: "Percentage (%)",
  fixed: "Fixed amount (€)",
};

/** The discount choices: none, or each type the server knows. */
export const DISCOUNT_OPTIONS: readonly (readonly [DiscountType | "", string])[] = [
  ["", "No discount"],
  ...(Object.keys(DISCOUNT_LABELS) as DiscountType[]).map((type) => [type, DISCOUNT_LABELS[type]] as const),
];

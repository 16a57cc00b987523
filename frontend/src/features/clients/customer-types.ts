import type { CustomerType } from "./api";

/** Every customer type with its labels (one, several): exhaustive over the generated `CustomerType`. */
const CUSTOMER_TYPE_LABELS: Record<CustomerType, { one: string; many: string }> = {
  individual: { one: "Individual", many: "Individuals" },
  business: { one: "Business", many: "Businesses" },
};

const ENTRIES = Object.entries(CUSTOMER_TYPE_LABELS) as [CustomerType, { one: string; many: string }][];

/** The customer types as `[value, label]`, for the form's select. */
export const CUSTOMER_TYPES: readonly (readonly [CustomerType, string])[] = ENTRIES.map(([type, label]) => [type, label.one]);
/** The customer types as `[value, plural label]`, for filters. */
export const CUSTOMER_TYPE_FILTERS: readonly (readonly [CustomerType, string])[] = ENTRIES.map(([type, label]) => [type, label.many]);

export const customerTypeLabel = (type: CustomerType): string => CUSTOMER_TYPE_LABELS[type]?.one ?? type;

/** Whether `value` (from a URL, say) is a customer type the server knows. */
export const isCustomerType = (value: string | null): value is CustomerType => value !== null && Object.hasOwn(CUSTOMER_TYPE_LABELS, value);

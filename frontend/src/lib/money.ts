// Money is integer cents everywhere the server sees it; people type and read euros. Parsing works
// on the text's digits, not on floats, so "0.29" is 29 cents and never 28.999….

/** The most a unit may cost, in cents (the server's bound). */
export const MAX_CENTS = 100_000_000_000;

/**
 * Cents from an amount as typed: `"12"`, `"12.5"`, `"12,50"` (a comma or a point before at most
 * two decimals; spaces and a euro sign are ignored). `null` when empty, `NaN` when not an amount
 * of at most two decimals between 0 and `MAX_CENTS`.
 */
export function parseEuros(text: string): number | null {
  const trimmed = text.replace(/[\s\u00a0€]/g, "");
  if (!trimmed) return null;
  const match = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(trimmed);
  if (!match) return Number.NaN;
  const cents = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return cents <= MAX_CENTS ? cents : Number.NaN;
}

/** Cents as an input's text: `1250` → `"12.50"`. */
export function centsToEuros(cents: number): string {
  const whole = Math.trunc(cents / 100);
  const rest = Math.abs(cents % 100);
  return `${cents < 0 ? "-" : ""}${Math.abs(whole)}.${String(rest).padStart(2, "0")}`;
}

/** Cents as people read them: `1250` → `€12.50` (in `locale`, the browser's by default). */
export function formatMoney(cents: number, currency = "EUR", locale?: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
  } catch {
    // A currency code the browser does not know: still show the amount.
    return `${centsToEuros(cents)} ${currency}`;
  }
}

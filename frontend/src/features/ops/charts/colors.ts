// Chart colours: the server's own (`color` of a series point) when it is a CSS colour, else the
// palette's, in order.

/** The palette, as CSS values that follow the light and dark schemes (see `ops.css`). */
export const PALETTE = ["var(--chart-1)", "var(--chart-2)", "var(--chart-3)", "var(--chart-4)", "var(--chart-5)", "var(--chart-6)"] as const;

/** A hex, `rgb()`/`hsl()` or named colour; not a class name such as `bg-red-500`. */
const CSS_COLOR = /^(#[0-9a-f]{3,8}|(rgb|rgba|hsl|hsla)\([^)]*\)|[a-z]+)$/i;

/** The colour of the `index`-th point: its own `color` if it is a CSS colour, else the palette's. */
export function colorOf(color: string | null | undefined, index: number): string {
  if (color && CSS_COLOR.test(color.trim())) return color.trim();
  return PALETTE[index % PALETTE.length] ?? PALETTE[0];
}

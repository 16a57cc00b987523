/** "Low stock": at or below the reorder point (text, not only a colour). */
export function LowStockBadge({ children = "Low stock" }: { children?: string }) {
  return (
    <span className="badge stock-low" data-testid="low-stock-badge">
      {children}
    </span>
  );
}

/** "Expired": past the expiry date. */
export function ExpiredBadge() {
  return (
    <span className="badge stock-expired" data-testid="expired-badge">
      Expired
    </span>
  );
}

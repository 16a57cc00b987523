import { Page } from "@/components/page";

// Placeholder until the screen is built.
export function ClientDetailPage() {
  return <Page title="ClientDetailPage">Not built yet.</Page>;
}

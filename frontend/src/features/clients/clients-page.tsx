import { Page } from "@/components/page";

// Placeholder until the screen is built.
export function ClientsPage() {
  return <Page title="ClientsPage">Not built yet.</Page>;
}

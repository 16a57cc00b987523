import { Page } from "@/components/page";

// Placeholder until the screen is built.
export function DashboardPage() {
  return <Page title="DashboardPage">Not built yet.</Page>;
}

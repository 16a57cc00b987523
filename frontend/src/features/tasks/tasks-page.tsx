import { Page } from "@/components/page";

// Placeholder until the screen is built.
export function TasksPage() {
  return <Page title="TasksPage">Not built yet.</Page>;
}

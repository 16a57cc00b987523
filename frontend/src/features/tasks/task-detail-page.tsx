import { Page } from "@/components/page";

// Placeholder until the screen is built.
export function TaskDetailPage() {
  return <Page title="TaskDetailPage">Not built yet.</Page>;
}

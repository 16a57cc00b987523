import { Page } from "@/components/page";

// Placeholder until the screen is built.
export function TaskFormPage() {
  return <Page title="TaskFormPage">Not built yet.</Page>;
}

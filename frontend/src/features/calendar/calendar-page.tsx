import { Page } from "@/components/page";

// Placeholder until the screen is built.
export function CalendarPage() {
  return <Page title="CalendarPage">Not built yet.</Page>;
}

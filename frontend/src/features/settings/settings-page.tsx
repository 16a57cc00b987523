import { Page } from "@/components/page";

// Placeholder until the screen is built.
export function SettingsPage() {
  return <Page title="SettingsPage">Not built yet.</Page>;
}

import { Page } from "@/components/page";

// Placeholder until the screen is built.
export function UsersPage() {
  return <Page title="UsersPage">Not built yet.</Page>;
}

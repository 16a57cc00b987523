import { fireEvent, render, screen } from "@testing-library/react";
import { Link, MemoryRouter, Route, Routes } from "react-router-dom";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Screen } from "./router";
import { ErrorBoundary } from "@/components/error-boundary";

/** Throws while `failing.now` is true; renders its text otherwise. */
const failing = { now: true };
function Flaky() {
  if (failing.now) throw new Error("task list: object is not iterable");
  return <p>The list</p>;
}

beforeEach(() => {
  failing.now = true;
  // React reports every caught error on the console; the test looks at the screen instead.
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe("ErrorBoundary", () => {
  it("shows what failed and a way back, and renders again on Try again", () => {
    render(
      <MemoryRouter>
        <nav>
          <a href="/calendar">Calendar</a>
        </nav>
        <ErrorBoundary screen="Tasks">
          <Flaky />
        </ErrorBoundary>
      </MemoryRouter>,
    );
    expect(screen.getByRole("heading", { name: "Tasks could not be shown" })).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toContain("task list: object is not iterable");
    expect(screen.getByRole("link", { name: "Back to the dashboard" }).getAttribute("href")).toBe("/");
    // The rest of the page is still there.
    expect(screen.getByRole("link", { name: "Calendar" })).toBeTruthy();

    failing.now = false;
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(screen.getByText("The list")).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("starts afresh on another screen (the router keys it by path)", () => {
    render(
      <MemoryRouter initialEntries={["/tasks"]}>
        <Link to="/calendar">Calendar</Link>
        <Link to="/tasks">Tasks</Link>
        <Routes>
          <Route path="/tasks" element={<Screen name="Tasks"><Flaky /></Screen>} />
          <Route path="/calendar" element={<Screen name="The calendar"><p>The week</p></Screen>} />
        </Routes>
      </MemoryRouter>,
    );
    expect(screen.getByRole("heading", { name: "Tasks could not be shown" })).toBeTruthy();
    fireEvent.click(screen.getByRole("link", { name: "Calendar" }));
    expect(screen.getByText("The week")).toBeTruthy();
    failing.now = false;
    fireEvent.click(screen.getByRole("link", { name: "Tasks" }));
    expect(screen.getByText("The list")).toBeTruthy();
  });
});

import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "@/api/errors";
import { ConfirmButton } from "./confirm-button";
import { FormLevelError } from "./field";

describe("ConfirmButton", () => {
  it("asks first, runs the action on the second click, and goes back on Cancel", () => {
    const onConfirm = vi.fn();
    render(<ConfirmButton label="Delete event" prompt="Delete this event?" confirmLabel="Yes, delete" pending={false} error={null} onConfirm={onConfirm} />);
    fireEvent.click(screen.getByRole("button", { name: "Delete event" }));
    expect(screen.getByText("Delete this event?")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByText("Delete this event?")).toBeNull();
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "Delete event" }));
    fireEvent.click(screen.getByRole("button", { name: "Yes, delete" }));
    expect(onConfirm).toHaveBeenCalledOnce();
  });
  it("stays disabled while pending and shows why it failed", () => {
    const error = new ApiError("AUTHORIZATION_ERROR", "only admins may delete users", 403);
    render(<ConfirmButton layout="stacked" label="Delete user…" prompt="Delete Ann?" confirmLabel="Yes, delete user" pending error={error} onConfirm={() => {}} />);
    fireEvent.click(screen.getByRole("button", { name: "Delete user…" }));
    expect((screen.getByRole("button", { name: "Yes, delete user" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole("alert").textContent).toBe("only admins may delete users");
  });
});

describe("FormLevelError", () => {
  it("says nothing a visible field already says, and names the fields not on screen", () => {
    const error = new ApiError("VALIDATION_ERROR", "the request is not valid", 400, { end_time: ["must be after the start"], status: ["cannot move"] });
    const { container, rerender } = render(<FormLevelError error={error} shown={["end_time", "status"]} />);
    expect(container.textContent).toBe("");
    rerender(<FormLevelError error={error} shown={["end_time"]} />);
    expect(screen.getByRole("alert").textContent).toBe("status cannot move");
  });
});

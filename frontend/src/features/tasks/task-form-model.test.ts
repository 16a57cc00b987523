import { describe, expect, it } from "vitest";
import {
  checkTaskForm,
  emptyTaskForm,
  parseList,
  parseMinutes,
  taskToForm,
  TECHNICIAN_FIELDS,
  toCreateBody,
  toUpdateBody,
  type TaskForm,
} from "./task-form-model";
import type { Task } from "./task-labels";

const task: Task = {
  id: "7d0c1b1e-0000-4000-8000-000000000001",
  task_number: "20261201-001",
  title: "Front PPF",
  description: "Full front",
  vehicle_plate: "AB-123-CD",
  vehicle_model: "Model 3",
  vehicle_make: null,
  ppf_zones: ["hood", "left_fender"],
  custom_ppf_zones: ["roof"],
  tags: ["vip"],
  status: "pending",
  priority: "high",
  scheduled_date: "2026-12-01",
  start_time: "09:00",
  end_time: "12:00",
  client_id: "7d0c1b1e-0000-4000-8000-0000000000c1",
  customer_name: "Ada",
  checklist_completed: false,
  completed_steps: 0,
  estimated_duration: 180,
  actual_duration: null,
  created_at: "2026-12-01T08:00:00Z",
  updated_at: "2026-12-01T08:00:00Z",
};

const filled = (changes: Partial<TaskForm>): TaskForm => ({ ...emptyTaskForm(), ...changes });

describe("parseList", () => {
  it("splits on commas, semicolons and lines, trims, drops empties and repeats", () => {
    expect(parseList(" roof, trunk;; roof\nspoiler ,")).toEqual(["roof", "trunk", "spoiler"]);
    expect(parseList("   ")).toEqual([]);
  });
});

describe("parseMinutes", () => {
  it("reads whole minutes, empty as null, anything else as NaN", () => {
    expect(parseMinutes(" 90 ")).toBe(90);
    expect(parseMinutes("")).toBeNull();
    expect(parseMinutes("1.5")).toBeNaN();
    expect(parseMinutes("-3")).toBeNaN();
  });
});

describe("toCreateBody", () => {
  it("trims text and leaves empty fields out", () => {
    const body = toCreateBody(
      filled({ vehicle_plate: "  AB-123-CD ", vehicle_model: "Model 3", title: "   ", scheduled_date: "2026-12-01", ppf_zones: ["hood"] }),
    );
    expect(body).toEqual({ vehicle_plate: "AB-123-CD", vehicle_model: "Model 3", scheduled_date: "2026-12-01", ppf_zones: ["hood"], priority: "medium" });
  });

  it("always sends the zones, so an empty choice gets the server's message at ppf_zones", () => {
    expect(toCreateBody(emptyTaskForm()).ppf_zones).toEqual([]);
  });

  it("parses extra zones, tags and minutes, and keeps the client and a chosen status", () => {
    const body = toCreateBody(
      filled({ custom_ppf_zones: "roof; trunk", tags: "vip, fleet", estimated_duration: "120", client_id: "c1", status: "pending", checklist_completed: true }),
    );
    expect(body).toMatchObject({ custom_ppf_zones: ["roof", "trunk"], tags: ["vip", "fleet"], estimated_duration: 120, client_id: "c1", status: "pending", checklist_completed: true });
    expect(body).not.toHaveProperty("actual_duration");
  });

  it("does not send a duration that is not whole minutes (the form flags it instead)", () => {
    const form = filled({ estimated_duration: "abc" });
    expect(toCreateBody(form)).not.toHaveProperty("estimated_duration");
    expect(checkTaskForm(form)).toEqual({ estimated_duration: ["must be a whole number of minutes"] });
    expect(checkTaskForm(emptyTaskForm())).toEqual({});
  });
});

describe("taskToForm", () => {
  it("fills the form from a task, lists as text and nulls as empty", () => {
    const form = taskToForm(task);
    expect(form).toMatchObject({ vehicle_plate: "AB-123-CD", vehicle_make: "", custom_ppf_zones: "roof", tags: "vip", estimated_duration: "180", actual_duration: "", status: "pending" });
    expect(form.ppf_zones).toEqual(["hood", "left_fender"]);
  });
});

describe("toUpdateBody", () => {
  const original = taskToForm(task);

  it("sends nothing when nothing changed (zone order does not count)", () => {
    expect(toUpdateBody({ ...original, ppf_zones: ["left_fender", "hood"], tags: " vip " }, original)).toEqual({});
  });

  it("sends only changed fields, trimmed, and a cleared text field as an empty string", () => {
    const body = toUpdateBody({ ...original, vehicle_model: " Model Y ", description: "  ", priority: "urgent" }, original);
    expect(body).toEqual({ vehicle_model: "Model Y", description: "", priority: "urgent" });
  });

  it("sends the start and the end together when either changes; clearing one clears both", () => {
    expect(toUpdateBody({ ...original, end_time: "13:00" }, original)).toEqual({ start_time: "09:00", end_time: "13:00" });
    expect(toUpdateBody({ ...original, start_time: "" }, original)).toEqual({ start_time: "", end_time: "12:00" });
  });

  it("does not try to clear a client or a duration the server cannot clear", () => {
    expect(toUpdateBody({ ...original, client_id: "", estimated_duration: "" }, original)).toEqual({});
    expect(toUpdateBody({ ...original, estimated_duration: "200" }, original)).toEqual({ estimated_duration: 200 });
  });

  it("sends changed zone lists whole", () => {
    expect(toUpdateBody({ ...original, ppf_zones: ["hood"], custom_ppf_zones: "" }, original)).toEqual({ ppf_zones: ["hood"], custom_ppf_zones: [] });
  });

  it("keeps a technician to the five fields they may change", () => {
    const changed: TaskForm = { ...original, vehicle_plate: "ZZ-999-ZZ", notes: "Done left side", actual_duration: "95", checklist_completed: true, status: "in_progress", lot_film: "L42" };
    expect(toUpdateBody(changed, original, TECHNICIAN_FIELDS)).toEqual({
      notes: "Done left side",
      actual_duration: 95,
      checklist_completed: true,
      status: "in_progress",
      lot_film: "L42",
    });
  });
});

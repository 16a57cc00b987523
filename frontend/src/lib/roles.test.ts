import { describe, expect, it } from "vitest";
import { isPlant, isPlantWriter, isWorkshop, plantDashboardRole, type Role } from "./roles";

const ALL: Role[] = ["admin", "supervisor", "technician", "viewer", "operator", "plant_head", "auditor"];

describe("roles", () => {
  it("lets the plant roles, admins and supervisors read the plant, and not the workshop's technicians and viewers", () => {
    expect(ALL.filter(isPlant)).toEqual(["admin", "supervisor", "operator", "plant_head", "auditor"]);
  });

  it("lets every plant role but auditors write", () => {
    expect(ALL.filter(isPlantWriter)).toEqual(["admin", "supervisor", "operator", "plant_head"]);
  });

  it("maps each plant role to its dashboard view", () => {
    expect(ALL.map(plantDashboardRole)).toEqual(["admin", "supervisor", null, null, "operator", "plant-head", "auditor"]);
  });

  it("keeps the plant-only roles out of the workshop", () => {
    expect(ALL.filter((role) => isPlant(role) && !isWorkshop(role))).toEqual(["operator", "plant_head", "auditor"]);
  });
});

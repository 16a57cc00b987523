import type { components } from "@/api/schema";

/** A user's role. */
export type Role = components["schemas"]["Role"];

/** Roles of the workshop (RPMA), most powerful first. */
export const WORKSHOP_ROLES: readonly Role[] = ["admin", "supervisor", "technician", "viewer"];

/** Workshop roles see tasks, clients and the calendar; the plant-only roles do not (see `isPlant`). */
export const isWorkshop = (role: Role) => WORKSHOP_ROLES.includes(role);
/** Admins and supervisors: create, assign and schedule tasks; manage users. */
export const isManager = (role: Role) => role === "admin" || role === "supervisor";
/** Workshop staff (not viewers): they do the work, and see interventions. */
export const isStaff = (role: Role) => isManager(role) || role === "technician";

/** Roles of the plant (BPM-OS): they read every plant screen (`/ops`). */
export const PLANT_ROLES: readonly Role[] = ["admin", "supervisor", "operator", "plant_head", "auditor"];

/** Whether `role` reads the plant screens. */
export const isPlant = (role: Role) => PLANT_ROLES.includes(role);
/** Plant roles that write (advance stages, decide gates, raise and move exceptions): all but auditors. */
export const isPlantWriter = (role: Role) => isPlant(role) && role !== "auditor";

/** The `{role}` of `GET /ops/dashboard/{role}/…` whose view a plant role lands on. */
export type PlantDashboardRole = "admin" | "supervisor" | "operator" | "plant-head" | "auditor";

const DASHBOARD_ROLES: Partial<Record<Role, PlantDashboardRole>> = {
  admin: "admin",
  supervisor: "supervisor",
  operator: "operator",
  plant_head: "plant-head",
  auditor: "auditor",
};

/** A plant role's dashboard view; `null` for the workshop-only roles (technicians, viewers). */
export const plantDashboardRole = (role: Role): PlantDashboardRole | null => DASHBOARD_ROLES[role] ?? null;

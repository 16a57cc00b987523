import type { components } from "@/api/schema";

/** A user's role. */
export type Role = components["schemas"]["Role"];

/** Roles of the workshop (RPMA), most powerful first. */
export const WORKSHOP_ROLES: readonly Role[] = ["admin", "supervisor", "technician", "viewer"];

/** Workshop roles see tasks, clients and the calendar; the plant roles only their settings. */
export const isWorkshop = (role: Role) => WORKSHOP_ROLES.includes(role);
/** Admins and supervisors: create, assign and schedule tasks; manage users. */
export const isManager = (role: Role) => role === "admin" || role === "supervisor";
/** Workshop staff (not viewers): they do the work, and see interventions. */
export const isStaff = (role: Role) => isManager(role) || role === "technician";

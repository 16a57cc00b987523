import type { Step, StepProgress, StepType } from "./api";

/** The checklist ids of each step type, as the server checks them (`interventions::data`). */
export const CHECKLISTS: Record<StepType, { key: string; items: [string, string][] }[]> = {
  inspection: [
    {
      key: "checklist",
      items: [
        ["clean_dry", "Clean and dry"],
        ["temp_ok", "Temperature 18–25 °C"],
        ["humidity_ok", "Humidity 40–60 %"],
        ["defects_logged", "Defects logged"],
        ["film_ready", "Film ready"],
        ["client_informed", "Client informed"],
      ],
    },
  ],
  preparation: [
    {
      key: "surfaceChecklist",
      items: [
        ["wash", "Wash"],
        ["clay_bar", "Clay bar"],
        ["degrease", "Degrease"],
        ["masking", "Masking"],
        ["drying", "Drying"],
        ["final_check", "Final check"],
      ],
    },
  ],
  installation: [],
  finalization: [
    {
      key: "checklist",
      items: [
        ["edges_sealed", "Edges sealed"],
        ["no_bubbles", "No bubbles"],
        ["smooth_surface", "Smooth surface"],
        ["alignment_ok", "Alignment"],
        ["clean_finish", "Clean finish"],
        ["client_briefed", "Client briefed"],
      ],
    },
  ],
  application: [],
  curing: [],
};

/** The checklist of each installed zone. */
export const ZONE_CHECKLIST: [string, string][] = [
  ["surface_ready", "Surface ready"],
  ["film_ready", "Film ready"],
  ["solution_applied", "Solution applied"],
  ["pose_ok", "Film laid"],
  ["edges_sealed", "Edges sealed"],
];

type Checks = Record<string, boolean>;
export type ZoneData = { id: string; name: string; status: "pending" | "in_progress" | "completed"; checklist: Checks; quality_score?: number };
/** What a step form edits: its checklists, zones, notes. */
export type StepDraft = { lists: Record<string, Checks>; zones: ZoneData[]; notes: string };

/** The form's starting point: what the step saved, or empty lists (one zone per intervention zone). */
export function draftOf(step: Step, zones: string[]): StepDraft {
  const data = (step.collected_data ?? {}) as Record<string, unknown>;
  const lists: Record<string, Checks> = {};
  for (const list of CHECKLISTS[step.step_type]) lists[list.key] = { ...((data[list.key] as Checks | undefined) ?? {}) };
  const saved = (data.zones as ZoneData[] | undefined) ?? [];
  const zoneDrafts =
    step.step_type === "installation"
      ? zones.map((zone) => saved.find((z) => z.id === zone) ?? { id: zone, name: zone, status: "pending" as const, checklist: {} })
      : [];
  return { lists, zones: zoneDrafts, notes: typeof data.notes === "string" ? data.notes : "" };
}

/** The step's `collected_data` for a draft: only the fields of its type. */
export function collectedData(step: Step, draft: StepDraft): StepProgress["collected_data"] {
  const data: Record<string, unknown> = { ...draft.lists };
  if (draft.notes.trim()) data.notes = draft.notes.trim();
  if (step.step_type === "installation") {
    data.zones = draft.zones;
  }
  // The document types `collected_data` as a bare object; its shape depends on the step type.
  return data as StepProgress["collected_data"];
}

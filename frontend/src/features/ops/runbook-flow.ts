import type { RunbookData } from "./types";

/**
 * The stage a runbook is at, where its moves are offered: the first not completed, in SOP order
 * (the server only advances that one); none when every stage is completed.
 */
export function currentStageId(runbook: Pick<RunbookData, "stages">): string | null {
  return runbook.stages.find((stage) => stage.status !== "Completed")?.id ?? null;
}

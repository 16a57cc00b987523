import { describe, expect, it } from "vitest";
import { currentStageId } from "./runbook-flow";
import type { StageDefinition } from "./types";

const stage = (id: string, status: StageDefinition["status"]) => ({ id, status }) as StageDefinition;

describe("a runbook's current stage", () => {
  it("is the first stage not completed, whether pending, in progress or held", () => {
    expect(currentStageId({ stages: [stage("dsp-01", "Completed"), stage("dsp-02", "Hold"), stage("dsp-03", "Pending")] })).toBe("dsp-02");
    expect(currentStageId({ stages: [stage("mat-01", "Pending"), stage("mat-02", "Pending")] })).toBe("mat-01");
  });

  it("is none when every stage is completed, or there is none", () => {
    expect(currentStageId({ stages: [stage("wty-01", "Completed"), stage("wty-02", "Completed")] })).toBeNull();
    expect(currentStageId({ stages: [] })).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { attachmentName } from "./download";

const headers = (disposition?: string) => new Headers(disposition === undefined ? {} : { "Content-Disposition": disposition });

describe("attachmentName", () => {
  it("reads the suggested file name, quoted or not", () => {
    expect(attachmentName(headers('attachment; filename="DEV-00001.pdf"'), "quote.pdf")).toBe("DEV-00001.pdf");
    expect(attachmentName(headers("attachment; filename=INT-2026-0001.pdf"), "report.pdf")).toBe("INT-2026-0001.pdf");
  });
  it("falls back when the header is missing or unreadable (not exposed to a cross-origin page)", () => {
    expect(attachmentName(headers(), "DEV-00001.pdf")).toBe("DEV-00001.pdf");
    expect(attachmentName(headers("attachment"), "report.pdf")).toBe("report.pdf");
  });
  it("keeps the name a name, not a path", () => {
    expect(attachmentName(headers('attachment; filename="../x/DEV-1.pdf"'), "f.pdf")).toBe(".._x_DEV-1.pdf");
  });
});

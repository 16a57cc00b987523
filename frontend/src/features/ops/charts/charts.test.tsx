import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { BarChart } from "./bar-chart";
import { colorOf } from "./colors";
import { Gauge } from "./gauge";
import { MixChart } from "./mix-chart";
import { Sparkline } from "./sparkline";

describe("charts", () => {
  it("describe their figures to screen readers, a missing one as a dash", () => {
    render(<BarChart title="Built per day" series={[{ label: "Mon", value: 120, value2: 110 }, { label: "Tue", value: 0 }]} valueName="built" value2Name="OK" />);
    expect(screen.getByRole("img").getAttribute("aria-label")).toBe("Built per day: Mon built 120, OK 110; Tue built 0, OK —");
  });

  it("draw a gauge's percentage, and a dash with no arc when there is no telemetry", () => {
    const { container, rerender } = render(<Gauge label="Availability" value={92.34} />);
    expect(screen.getByRole("img", { name: "Availability: 92.3 %" })).toBeTruthy();
    expect(container.querySelector("figure")?.dataset.band).toBe("ok");
    rerender(<Gauge label="Availability" value={null} />);
    expect(screen.getByRole("img", { name: "Availability: —" })).toBeTruthy();
    expect(container.querySelectorAll("path")).toHaveLength(1);
    rerender(<Gauge label="Quality" value={50} />);
    expect(container.querySelector("figure")?.dataset.band).toBe("danger");
  });

  it("give a mix's shares in its legend, and say so when there is nothing to share", () => {
    const { rerender } = render(<MixChart title="Custody mix" series={[{ label: "Manufacturer", value: 3 }, { label: "Customer", value: 1 }]} />);
    const legend = screen.getByRole("list", { name: "Custody mix" });
    expect(legend.textContent).toContain("Manufacturer3 (75 %)");
    expect(legend.textContent).toContain("Customer1 (25 %)");
    rerender(<MixChart title="Custody mix" series={[{ label: "Manufacturer", value: 0 }]} />);
    expect(screen.getByText("No data yet.")).toBeTruthy();
  });

  it("draw a sparkline of the week, or say there is no data", () => {
    render(<Sparkline title="OEE" series={[]} />);
    expect(screen.getByRole("img", { name: "OEE: no data yet" })).toBeTruthy();
  });

  it("use the server's colour when it is a CSS colour, the palette's otherwise", () => {
    expect(colorOf("#ef4444", 0)).toBe("#ef4444");
    expect(colorOf("bg-red-500", 1)).toBe("var(--chart-2)");
    expect(colorOf(null, 7)).toBe("var(--chart-2)");
  });
});

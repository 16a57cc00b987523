import { useRef, useState, type PointerEvent } from "react";

const WIDTH = 400;
const HEIGHT = 150;

/**
 * A pad the customer signs on with a finger, a pen or a mouse (pointer events cover all three).
 * Each stroke becomes an SVG path; `onChange` receives the whole drawing as SVG, or `null` once
 * cleared.
 */
export function SignaturePad({ onChange }: { onChange: (svg: string | null) => void }) {
  const [strokes, setStrokes] = useState<string[]>([]);
  // The strokes as drawn so far (the state trails pointer events by a render).
  const drawn = useRef<string[]>([]);
  const drawing = useRef<string | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);

  const point = (event: PointerEvent<SVGSVGElement>) => {
    const box = svgRef.current?.getBoundingClientRect();
    if (!box) return "0 0";
    const x = ((event.clientX - box.left) / box.width) * WIDTH;
    const y = ((event.clientY - box.top) / box.height) * HEIGHT;
    return `${x.toFixed(1)} ${y.toFixed(1)}`;
  };
  const emit = (all: string[]) =>
    onChange(
      all.length === 0
        ? null
        : `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}">${all
            .map((d) => `<path d="${d}" stroke="black" stroke-width="2" fill="none" stroke-linecap="round"/>`)
            .join("")}</svg>`,
    );

  return (
    <div className="signature-pad">
      <svg
        ref={svgRef}
        role="img"
        aria-label="Signature pad"
        data-testid="signature-pad"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        style={{ touchAction: "none" }}
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture?.(event.pointerId);
          drawing.current = `M ${point(event)}`;
          drawn.current = [...drawn.current, drawing.current];
          setStrokes(drawn.current);
        }}
        onPointerMove={(event) => {
          if (drawing.current === null) return;
          drawing.current += ` L ${point(event)}`;
          drawn.current = [...drawn.current.slice(0, -1), drawing.current];
          setStrokes(drawn.current);
        }}
        onPointerUp={() => {
          if (drawing.current === null) return;
          drawing.current = null;
          emit(drawn.current);
        }}
      >
        <rect width={WIDTH} height={HEIGHT} fill="white" stroke="#ccc" />
        {strokes.map((d, i) => (
          <path key={i} d={d} stroke="black" strokeWidth={2} fill="none" strokeLinecap="round" />
        ))}
      </svg>
      <button
        type="button"
        className="button"
        onClick={() => {
          drawn.current = [];
          setStrokes([]);
          emit([]);
        }}
      >
        Clear signature
      </button>
    </div>
  );
}

// The source tree's one-way imports (shared → features → app) and the one place query keys are
// written, checked over the files as they are.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = dirname(fileURLToPath(import.meta.url));

/** Every `.ts`/`.tsx` file under `src/`, as paths relative to it (with `/`). */
const FILES = (readdirSync(SRC, { recursive: true }) as string[])
  .filter((path) => /\.tsx?$/.test(path) && !path.endsWith(".d.ts"))
  .map((path) => path.split(sep).join("/"));

/** What `file` imports, `@/` and relative specifiers resolved to paths under `src/`. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), "utf8");
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)].map((m) => m[1] ?? "");
  return specifiers.flatMap((specifier) => {
    if (specifier.startsWith("@/")) return [specifier.slice(2)];
    if (specifier.startsWith(".")) return [relative(SRC, resolve(SRC, dirname(file), specifier)).split(sep).join("/")];
    return [];
  });
}

/** The feature a path belongs to (`features/<name>/...`), or `null`. */
const featureOf = (path: string) => /^features\/([^/]+)\//.exec(path)?.[1] ?? null;

describe("imports", () => {
  it("finds the source files", () => {
    expect(FILES).toContain("features/tasks/api.ts");
    expect(importsOf("features/tasks/tasks-page.tsx")).toContain("features/tasks/api");
  });

  it("a feature imports no other feature and nothing from the app", () => {
    const wrong = FILES.filter((file) => featureOf(file)).flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith("app/") || (featureOf(target + "/") !== null && featureOf(target + "/") !== featureOf(file)))
        .map((target) => `${file} → ${target}`),
    );
    expect(wrong).toEqual([]);
  });

  it("shared code (api, components, lib) imports no feature and nothing from the app", () => {
    const shared = FILES.filter((file) => /^(api|components|lib)\//.test(file));
    const wrong = shared.flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith("app/") || target.startsWith("features/"))
        .map((target) => `${file} → ${target}`),
    );
    expect(wrong).toEqual([]);
  });

  it("query keys are written only in lib/query-keys.ts", () => {
    const literal = /\b(?:queryKey:\s*\[|(?:setQueryData|getQueryData|removeQueries|cancelQueries)\(\s*\[)/;
    const wrong = FILES.filter((file) => file !== "lib/query-keys.ts" && !file.endsWith(".test.ts") && literal.test(readFileSync(join(SRC, file), "utf8")));
    expect(wrong).toEqual([]);
  });
});

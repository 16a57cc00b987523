// What the desktop WebDriver tests share: a session of the real shell through tauri-driver
// (WebKitWebDriver), and ways to find things on its page.
import { remote } from "webdriverio";

/** Poll `probe` until truthy or throw after `timeoutMs`. */
export async function until(what, probe, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The input labelled `label` (labels point at their inputs with `for`). */
export const labelled = (browser, label) => browser.$(`//*[(self::input or self::select or self::textarea) and @id=//label[normalize-space()="${label}"]/@for]`);
export const button = (browser, name) => browser.$(`//button[normalize-space()="${name}"]`);
export const testid = (browser, id) => browser.$(`[data-testid="${id}"]`);

/** A WebDriver session of the shell at `application`, through the tauri-driver on `port`. */
export function session(application, port) {
  return remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "warn",
    connectionRetryCount: 0,
    capabilities: {
      "tauri:options": { application },
      // WebKitWebDriver speaks classic WebDriver only (no BiDi).
      "wdio:enforceWebDriverClassic": true,
    },
  });
}

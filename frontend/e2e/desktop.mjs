// Desktop end-to-end: the real shell's webview driven through tauri-driver (WebKitWebDriver), the
// X11 window checked from outside with xprop. Run by scripts/desktop-e2e.sh, which provides the
// display, the window manager, the session bus and a tauri-driver on TAURI_DRIVER_PORT.
//
//   node e2e/desktop.mjs <bin_dir>/rpma-shell
//
// Env: TAURI_DRIVER_PORT (4444), E2E_ARTIFACTS (screenshots), RPMA_E2E_EMAIL / RPMA_E2E_PASSWORD
// (the admin to create on a first run, or to sign in with).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { button, labelled, session, testid, until } from "./webdriver.mjs";

const application = resolve(process.argv[2] ?? "");
if (!process.argv[2]) {
  console.error("usage: node e2e/desktop.mjs <path to rpma-shell>");
  process.exit(2);
}
const port = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const artifacts = resolve(process.env.E2E_ARTIFACTS ?? new URL("./artifacts", import.meta.url).pathname);
mkdirSync(artifacts, { recursive: true });
const admin = {
  email: process.env.RPMA_E2E_EMAIL ?? "desktop@example.com",
  username: "desktop",
  first_name: "Desk",
  last_name: "Top",
  password: process.env.RPMA_E2E_PASSWORD ?? "Desktop123",
};

const step = (message) => console.log(`desktop-e2e(webdriver): ${message}`);

/** The X11 state of the RPMA window, read from outside the app. */
function windowId() {
  const ids = execFileSync("xdotool", ["search", "--name", "^RPMA$"], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  if (ids.length !== 1) throw new Error(`expected one RPMA window, found ${ids.length}`);
  return ids[0];
}
function wmState(id) {
  return execFileSync("xprop", ["-id", id, "_NET_WM_STATE"], { encoding: "utf8" });
}
/** How many colours a region (`WxH+X+Y`) of an image has. */
const colours = (file, region) =>
  Number(execFileSync("convert", [file, "-crop", region, "+repage", "-format", "%k", "info:"], { encoding: "utf8" }));
const isMaximized = (state) => state.includes("_NET_WM_STATE_MAXIMIZED_VERT") && state.includes("_NET_WM_STATE_MAXIMIZED_HORZ");

/** The page's viewport width and the screen's, as the webview sees them. */
const pageWidth = () => browser.execute(() => ({ inner: window.innerWidth, screen: window.screen.availWidth }));

const browser = await session(application, port);

let failed = false;
try {
  // The page appears once the shell reports the backend healthy: setup on a first run, else sign-in.
  const first = await until(
    "the setup or sign-in page",
    async () => {
      if (await button(browser, "Create administrator").isExisting()) return "setup";
      if (await button(browser, "Sign in").isExisting()) return "login";
      if (await testid(browser, "signed-in-user").isExisting()) return "signed-in";
      return null;
    },
    60_000,
  );
  step(`app page loaded (${first}) at ${await browser.getUrl()}`);

  if (first === "setup") {
    for (const [label, value] of [
      ["Email", admin.email],
      ["Username", admin.username],
      ["First name", admin.first_name],
      ["Last name", admin.last_name],
      ["Password", admin.password],
    ]) {
      await (await labelled(browser, label)).setValue(value);
    }
    await (await button(browser, "Create administrator")).click();
  } else if (first === "login") {
    await (await labelled(browser, "Email")).setValue(admin.email);
    await (await labelled(browser, "Password")).setValue(admin.password);
    await (await button(browser, "Sign in")).click();
  }
  const who = await testid(browser, "signed-in-user");
  await who.waitForExist({ timeout: 15_000 });
  step(`signed in as ${await who.getText()}`);

  await (await browser.$(`//nav//a[normalize-space()="Tasks"]`)).click();
  const listed = await until(
    "the tasks table or its empty state",
    async () => {
      if (await testid(browser, "tasks-table").isExisting()) return "table";
      const empty = await browser.$(".state-empty");
      if ((await empty.isExisting()) && /no task/i.test(await empty.getText())) return "empty";
      return null;
    },
    15_000,
  );
  step(`tasks page shows the ${listed === "table" ? "tasks table" : "empty state"}`);
  await browser.saveScreenshot(join(artifacts, "desktop-webdriver-tasks.png"));

  // Export CSV → the shell's native save dialog (GTK): type a path into its name field and press
  // Enter; the shell writes the page's bytes there and the page says where.
  const saved = join(artifacts, `tasks-${process.pid}.csv`);
  await (await button(browser, "Export CSV")).click();
  const dialog = await until("the native save dialog", () => {
    const ids = execFileSync("xdotool", ["search", "--onlyvisible", "--name", "^Save File$"], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
    return ids[0];
  }, 15_000);
  // Real key events (XTEST) to the focused dialog: GTK ignores events sent to a window
  // (`xdotool --window` uses XSendEvent).
  execFileSync("xdotool", ["windowactivate", "--sync", dialog]);
  execFileSync("xdotool", ["key", "--clearmodifiers", "ctrl+a"]);
  execFileSync("xdotool", ["type", "--delay", "20", saved]);
  execFileSync("xdotool", ["key", "Return"]);
  await until(`${saved} to be written`, () => existsSync(saved) && readFileSync(saved, "utf8").length > 0, 10_000);
  const header = readFileSync(saved, "utf8").split("\n")[0];
  if (!header.includes("task_number")) throw new Error(`the saved CSV has no task header: ${header}`);
  const said = await browser.$(`//p[@role="status" and contains(normalize-space(), "Saved to ${saved}.")]`);
  await said.waitForExist({ timeout: 5_000 });
  step(`Export CSV saved through the native dialog to ${saved} (${header.split(",").length} columns)`);

  const id = windowId();
  if (isMaximized(wmState(id))) throw new Error("the window starts maximized");

  const toggle = await testid(browser, "toggle-maximize");
  await toggle.click();
  await until("_NET_WM_STATE maximized (vert and horz)", () => isMaximized(wmState(id)), 10_000);
  const notice = await testid(browser, "window-notice");
  await until("the notice to say Maximized", async () => (await notice.getText()) === "Maximized", 5_000);
  // The X11 state changes first; the page then gets the screen's width (and paints at that size).
  await until("the page to span the screen", async () => (await pageWidth()).inner === (await pageWidth()).screen, 5_000);
  // What is on the X screen, not WebDriver's snapshot (which can be a frame from before the resize).
  // Painted at the new size, the page's top bar reaches the right edge with the Sign out button in
  // it; right of the restored width (1100 px) a stale frame has one flat colour.
  const shot = join(artifacts, "desktop-webdriver-maximized.png");
  await until("the page to paint across the maximized window", () => {
    execFileSync("import", ["-window", "root", shot]);
    return colours(shot, "170x40+1105+20") > 10;
  }, 10_000);
  step(`maximized: ${wmState(id).trim()}; page width ${(await pageWidth()).inner}`);

  await toggle.click();
  await until("_NET_WM_STATE without MAXIMIZED", () => !wmState(id).includes("MAXIMIZED"), 10_000);
  await until("the notice to say Restored", async () => (await notice.getText()) === "Restored", 5_000);
  await until("the page to be narrower than the screen", async () => (await pageWidth()).inner < (await pageWidth()).screen, 5_000);
  execFileSync("import", ["-window", "root", join(artifacts, "desktop-webdriver-restored.png")]);
  step(`restored: ${wmState(id).trim()}; page width ${(await pageWidth()).inner}`);
} catch (error) {
  failed = true;
  console.error(`desktop-e2e(webdriver): FAIL: ${error.stack ?? error}`);
  await browser.saveScreenshot(join(artifacts, "desktop-webdriver-FAILED.png")).catch(() => undefined);
} finally {
  // Ends the session; WebKitWebDriver closes the app (the script checks nothing is left).
  await browser.deleteSession().catch((e) => console.error(`deleteSession: ${e.message}`));
}
process.exit(failed ? 1 : 0);

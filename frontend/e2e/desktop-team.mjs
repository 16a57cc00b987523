// Desktop end-to-end, a desk attached to a team server: the real shell on a fresh data dir,
// driven through tauri-driver. Run by scripts/desktop-e2e.sh, which starts the team server (a
// sidecar of its own, with no shell), creates its admin and a technician, and watches the session
// bus for notifications.
//
//   node e2e/desktop-team.mjs <bin_dir>/rpma-shell
//
// 1. On the first page (the desk's own sidecar, not set up), "Server connection" → "A team
//    server" → its URL → Connect: the shell checks it, stops its own sidecar and attaches.
// 2. The page starts again on the team server's sign-in; the technician signs in.
// 3. A task assigned to them through the team server's API raises this desktop's notification
//    (team server → event stream → page → `desktop_request` → shell → session bus).
// 4. The app closes and the team server stops. Started again, the desk attaches to its saved team
//    server, which does not answer: the page says so and offers the connection; "This computer"
//    starts the desk's own sidecar again, and its setup page is back.
//
// Env: TAURI_DRIVER_PORT (4444), E2E_ARTIFACTS, TEAM_URL, TEAM_TOKEN (the team server's admin),
// TECH_ID, TECH_EMAIL, TECH_PASSWORD, NOTIFY_LOG (dbus-monitor's output), DESK_DATA (the desk's
// data dir: its own sidecar must be gone once attached), TEAM_PID (the team server, stopped in 4).
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { button, labelled, session, testid, until } from "./webdriver.mjs";

const application = resolve(process.argv[2] ?? "");
const need = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`desktop-team.mjs needs ${name}`);
    process.exit(2);
  }
  return value;
};
const [teamUrl, adminToken, techId, techEmail, techPassword, notifyLog, deskData] = [
  "TEAM_URL",
  "TEAM_TOKEN",
  "TECH_ID",
  "TECH_EMAIL",
  "TECH_PASSWORD",
  "NOTIFY_LOG",
  "DESK_DATA",
].map(need);
const teamPid = Number(need("TEAM_PID"));
const port = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const artifacts = resolve(process.env.E2E_ARTIFACTS ?? new URL("./artifacts", import.meta.url).pathname);
mkdirSync(artifacts, { recursive: true });

const step = (message) => console.log(`desktop-e2e(team): ${message}`);

/** The desk's own sidecar processes (found by its data dir). */
function deskSidecars() {
  try {
    return execFileSync("pgrep", ["-f", `rpma-sidecar --port 0 --data-dir ${deskData}`], { encoding: "utf8" }).trim();
  } catch {
    return ""; // pgrep exits 1 when there is none
  }
}

/** Whether the desk's shell still runs (found by its data dir in its environment). */
function deskShellRuns() {
  const home = `XDG_DATA_HOME=${deskData.replace(/\/com\.rpma\.desktop$/, "")}`;
  return readdirSync("/proc").some((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "rpma-shell" && readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(home);
    } catch {
      return false;
    }
  });
}

let browser = await session(application, port);
let failed = false;
try {
  await until("the desk's own setup page", () => button(browser, "Create administrator").isExisting(), 60_000);
  if (!deskSidecars()) throw new Error("the desk's own sidecar is not running before the switch");
  step("the desk's own sidecar runs; its setup page is shown");

  await (await browser.$(`//summary[normalize-space()="Server connection"]`)).click();
  await (await browser.$(`//label[contains(normalize-space(), "A team server")]/input`)).click();
  await (await labelled(browser, "Team server URL")).setValue(teamUrl);
  await browser.saveScreenshot(join(artifacts, "desktop-team-connect.png"));
  await (await button(browser, "Connect")).click();

  // The shell checked the server and switched; the page starts again on the team server, which
  // has its admin already: its sign-in, not the setup.
  await until("the team server's sign-in page", () => button(browser, "Sign in").isExisting(), 30_000);
  await until("the desk's own sidecar to be stopped", () => deskSidecars() === "", 10_000);
  step(`attached to ${teamUrl}: the sign-in page is the team server's, the desk's own sidecar is stopped`);

  await (await labelled(browser, "Email")).setValue(techEmail);
  await (await labelled(browser, "Password")).setValue(techPassword);
  await (await button(browser, "Sign in")).click();
  const who = await testid(browser, "signed-in-user");
  await who.waitForExist({ timeout: 15_000 });
  await until("the live event stream to open", () => browser.execute(() => document.documentElement.dataset.live === "open"), 15_000);
  step(`signed in to the team server as ${await who.getText()}, live stream open`);

  // Assigned behind the page's back, through the team server's API.
  const response = await fetch(`${teamUrl}/api/v1/tasks`, {
    method: "POST",
    headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({
      vehicle_plate: "TEAM-E2E-1",
      vehicle_model: "Model 3",
      ppf_zones: ["hood"],
      scheduled_date: "2026-12-07",
      start_time: "09:00",
      end_time: "11:00",
      technician_id: techId,
    }),
  });
  const created = await response.json();
  if (response.status !== 201) throw new Error(`POST /tasks answered ${response.status}: ${JSON.stringify(created)}`);
  const title = `Task ${created.data.task_number} assigned`;
  await until(`"${title}" on the session bus`, () => readFileSync(notifyLog, "utf8").includes(title), 10_000);
  execFileSync("import", ["-window", "root", join(artifacts, "desktop-team-notified.png")]);
  step(`"${title}" assigned through the API reached this desktop's notifications`);

  await browser.deleteSession();
  await until("the desk's shell to quit", () => !deskShellRuns(), 10_000);
  process.kill(teamPid, "SIGTERM");
  await until("the team server to stop answering", () => fetch(`${teamUrl}/api/v1/health`).then(() => false, () => true), 10_000);
  browser = await session(application, port);
  const waiting = await testid(browser, "no-backend");
  await waiting.waitForExist({ timeout: 30_000 });
  if (deskSidecars()) throw new Error("the desk started its own sidecar although it is attached to a team server");
  step(`started again on the saved team server, which is down: "${await waiting.getText()}"`);
  const thisComputer = await browser.$(`//label[contains(normalize-space(), "This computer")]/input`);
  await thisComputer.waitForExist({ timeout: 10_000 });
  await browser.saveScreenshot(join(artifacts, "desktop-team-down.png"));
  await thisComputer.click();
  await (await button(browser, "Connect")).click();
  await until("the desk's own setup page again", () => button(browser, "Create administrator").isExisting(), 30_000);
  if (!deskSidecars()) throw new Error("back on this computer, the desk's own sidecar is not running");
  step("switched back to this computer: its own sidecar runs and its setup page is shown");
} catch (error) {
  failed = true;
  console.error(`desktop-e2e(team): FAIL: ${error.stack ?? error}`);
  await browser.saveScreenshot(join(artifacts, "desktop-team-FAILED.png")).catch(() => undefined);
} finally {
  await browser.deleteSession().catch((e) => console.error(`deleteSession: ${e.message}`));
}
process.exit(failed ? 1 : 0);

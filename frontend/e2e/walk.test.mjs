// Browser walks on demo data: every role signs in and visits every screen of its sidebar, in order
// and back again, with no page error, no console error and no serious or critical axe-core
// violation on any screen (the plant's on the demo plant); and a CSV import in one window shows up
// in another without a reload.
// One stack for the file: the sidecar on a database filled by `rpma-seed` (see harness.mjs).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { seriousA11yViolations, signIn as signInAs, startStack, withPage as runWithPage } from "./harness.mjs";

const PASSWORD = "Walk12345";
const ADMIN = { email: "ada@example.com", username: "ada", first_name: "Ada", last_name: "Lovelace", password: PASSWORD };
/** The roles with an account made over REST (the technician is one of the seeded ones). */
const MADE = ["supervisor", "viewer", "operator", "plant_head", "auditor"];
const ROLES = ["admin", "supervisor", "technician", "viewer", "operator", "plant_head", "auditor"];
/** What each role's sidebar lists, in order (the walk checks it, then visits each). */
const WORKSHOP_SCREENS = ["Dashboard", "Tasks", "Clients", "Quotes", "Calendar"];
/** Staff (not viewers) also see the interventions and the inventory. */
const STAFF_SCREENS = ["Dashboard", "Tasks", "Clients", "Quotes", "Interventions", "Inventory", "Calendar"];
/** The plant's screens (BPM-OS), for admins, supervisors and the plant roles. */
const PLANT_SCREENS = ["Plant", "Control tower", "Live status", "Lines", "Plant inventory", "Exceptions", "Logs", "Reports", "Compliance"];
const SIDEBAR = {
  admin: [...STAFF_SCREENS, ...PLANT_SCREENS, "Users", "Settings"],
  supervisor: [...STAFF_SCREENS, ...PLANT_SCREENS, "Users", "Settings"],
  technician: [...STAFF_SCREENS, "Settings"],
  viewer: [...WORKSHOP_SCREENS, "Settings"],
  operator: [...PLANT_SCREENS, "Settings"],
  plant_head: [...PLANT_SCREENS, "Settings"],
  auditor: [...PLANT_SCREENS, "Settings"],
};
/** The role whose walk uses the dark colour scheme. */
const DARK = "supervisor";
// Admins and supervisors walk twenty screens there and back.
const TIMEOUT = 240_000;

let stack;
let adminToken;
/** role → { email, password } */
const accounts = {};

before(async () => {
  // Small counts: enough for full pages, badges of every kind and a busy week, quick to load.
  stack = await startStack({ seed: { clients: 40, tasks: 400, technicians: 4, password: PASSWORD } });
  await stack.api.call("POST", "/auth/bootstrap-admin", { body: ADMIN });
  adminToken = await stack.api.login(ADMIN.email, ADMIN.password);
  accounts.admin = { email: ADMIN.email, password: PASSWORD };
  for (const role of MADE) {
    const user = { email: `${role}@example.com`, username: role, first_name: "Walk", last_name: role.replace("_", " "), password: PASSWORD, role };
    await stack.api.call("POST", "/users", { token: adminToken, body: user });
    accounts[role] = { email: user.email, password: PASSWORD };
  }
  // The demo plant, so the plant's screens are walked with their charts, tables and badges.
  await stack.api.call("POST", "/ops/demo", { token: adminToken });
  const technicians = await stack.api.call("GET", "/users?role=technician&limit=1", { token: adminToken });
  accounts.technician = { email: technicians.items[0].email, password: PASSWORD };
}, { timeout: 180_000 });

after(async () => {
  await stack?.close();
});

/** Run `flow` with a fresh page of this file's stack (see `harness.withPage`). */
const withPage = (name, flow) => runWithPage(stack, name, flow);

const signIn = (page, { email, password }) => signInAs(stack, page, email, password);

/** Until the screen has its title and nothing is loading any more (checked twice, 250 ms apart). */
async function settled(page) {
  await page.locator("main h1").first().waitFor();
  const busy = page.locator("main .state-loading, main [aria-busy='true']");
  for (let calm = 0; calm < 2; ) {
    await busy.first().waitFor({ state: "detached", timeout: 15_000 });
    await page.waitForTimeout(250);
    calm = (await busy.count()) === 0 ? calm + 1 : 0;
  }
}

/**
 * Open a sidebar screen and check it: loaded, no failure shown, no new page or console error, no
 * serious or critical axe-core violation. Returns what is wrong (empty when nothing is), so one
 * run lists every screen's problems.
 */
async function visit(page, label, role) {
  const before = page.problems.length;
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label, exact: true }).click();
  await settled(page);
  const where = `${role} on ${label} (${new URL(page.url()).pathname})`;
  const failed = page.getByTestId("screen-error");
  return [
    ...((await failed.count()) > 0 ? [`the screen failed: ${await failed.textContent()}`] : []),
    ...page.problems.slice(before),
    ...(await seriousA11yViolations(page)),
  ].map((problem) => `${where}: ${problem}`);
}

describe("walks", () => {
  for (const role of ROLES) {
    test(`${role}: every screen of the sidebar, there and back${role === DARK ? " (dark colour scheme)" : ""}`, { timeout: TIMEOUT }, async () => {
      await withPage(`walk-${role}`, async (page) => {
        // One workshop role walks in the dark colour scheme, so its colours are checked too.
        if (role === DARK) await page.emulateMedia({ colorScheme: "dark" });
        await signIn(page, accounts[role]);
        await settled(page);
        const sidebar = (await page.getByRole("navigation", { name: "Main" }).getByRole("link").allTextContents()).map((t) => t.trim());
        assert.deepEqual(sidebar, SIDEBAR[role], `${role}'s sidebar`);
        // There and back: each screen left for the next one and come back to (Tasks → Clients →
        // Calendar and back checks that screens share their cached data without breaking).
        const problems = [];
        for (const label of [...sidebar, ...sidebar.slice(0, -1).reverse()]) problems.push(...(await visit(page, label, role)));
        assert.deepEqual(problems, [], `${role}'s walk`);
        assert.deepEqual(page.problems, [], "no page or console error during the walk");
      });
    });
  }

  test("a CSV import in one window shows up in another open window without a reload", { timeout: TIMEOUT }, async () => {
    const plate = "IM-901-PT";
    await withPage("import-live-viewer", async (viewer) => {
      // Window B: the supervisor's task list, filtered to the plate the import will bring.
      const stream = viewer.waitForResponse((r) => r.url().includes("/api/v1/events?ticket=") && r.status() === 200, { timeout: 15_000 });
      await signIn(viewer, accounts.supervisor);
      await viewer.goto(`${stack.appUrl}/tasks?q=${plate}`);
      await viewer.locator(".state-empty").waitFor();
      await stream;
      await viewer.evaluate(() => (window.__noReload = true));

      await withPage("import-live-importer", async (importer) => {
        // Window A: the admin imports a one-row CSV through the task list's import form.
        await signIn(importer, accounts.admin);
        await importer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tasks", exact: true }).click();
        await settled(importer);
        const csv = `title,vehicle_plate,vehicle_model,ppf_zones,scheduled_date\nImported front film,${plate},Model 3,hood,2027-01-15\n`;
        await importer.getByLabel("CSV file", { exact: true }).setInputFiles({ name: "tasks.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
        await importer.getByRole("button", { name: "Import CSV" }).click();
        const report = importer.getByTestId("import-report");
        await report.waitFor();
        assert.match(await report.textContent(), /1 row read, 1 task created/);
      });

      await viewer.getByTestId("task-row").filter({ hasText: plate }).waitFor({ timeout: 10_000 });
      assert.equal(await viewer.evaluate(() => window.__noReload), true, "the page was not reloaded");
      assert.deepEqual(viewer.problems, []);
    });
  });
});

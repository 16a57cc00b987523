// Browser journeys through the plant (BPM-OS) against the real sidecar (see harness.mjs): an
// auditor on an empty plant sees every plant screen's empty state; on the demo plant, a plant head
// lands on the plant dashboard, opens the dispatch chain from the control tower, raises an
// exception on its current stage (the runbook blocks), triages and resolves it on the exception
// board (the runbook runs again); an auditor reads the same runbook with no way to change it.
// Every screen is checked with axe-core on the way, as the walks do for the sidebar's.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { checkScreen, screenshot, signIn as signInAs, startStack, waitFor, withPage as runWithPage } from "./harness.mjs";

const PASSWORD = "Plant12345";
const ADMIN = { email: "ada@example.com", username: "ada", first_name: "Ada", last_name: "Lovelace", password: PASSWORD };
const PLANT_HEAD = { email: "pia@example.com", username: "pia", first_name: "Pia", last_name: "Head", password: PASSWORD, role: "plant_head" };
const AUDITOR = { email: "aud@example.com", username: "aud", first_name: "Aud", last_name: "Itor", password: PASSWORD, role: "auditor" };
/** The plant's sidebar screens and the heading each shows. */
const PLANT_SCREENS = [
  ["Plant", "Plant"],
  ["Control tower", "Control tower"],
  ["Live status", "Live status"],
  ["Lines", "Lines"],
  ["Plant inventory", "Plant inventory"],
  ["Exceptions", "Exceptions"],
  ["Logs", "Logs"],
  ["Reports", "Reports"],
  ["Compliance", "Compliance"],
];
const DESCRIPTION = "Seal integrity check failed on pallet 4";
const TIMEOUT = 120_000;

let stack;
let adminToken;

before(async () => {
  stack = await startStack();
  await stack.api.call("POST", "/auth/bootstrap-admin", { body: ADMIN });
  adminToken = await stack.api.login(ADMIN.email, PASSWORD);
  for (const user of [PLANT_HEAD, AUDITOR]) await stack.api.call("POST", "/users", { token: adminToken, body: user });
}, { timeout: 180_000 });

after(async () => {
  await stack?.close();
});

const withPage = (name, flow) => runWithPage(stack, name, flow);

const signIn = (page, { email }) => signInAs(stack, page, email, PASSWORD);

const sidebar = (page) => page.getByRole("navigation", { name: "Main" });

/** Until the runbook's status badge reads `status`. */
async function runbookIs(page, status) {
  await waitFor(`the runbook ${status}`, async () => (await page.getByTestId("runbook-status").textContent())?.trim() === status);
}

/** Until the selected exception's status badge reads `status`. */
async function exceptionIs(page, status) {
  await waitFor(`the exception ${status}`, async () => (await page.getByTestId("exception-status").textContent())?.trim() === status);
}

describe("plant operations", () => {
  test("on an empty plant, every plant screen says there is no data yet, and only an admin is offered the demo", { timeout: TIMEOUT }, async () => {
    await withPage("ops-empty-auditor", async (page) => {
      await signIn(page, AUDITOR);
      await page.waitForURL("**/ops");
      for (const [link, heading] of PLANT_SCREENS) {
        await sidebar(page).getByRole("link", { name: link, exact: true }).click();
        await page.getByRole("heading", { level: 1, name: heading, exact: true }).waitFor();
        await checkScreen(page, `the empty ${link} screen`);
        assert.equal(await page.getByTestId("screen-error").count(), 0, `${link} did not fail`);
        // The report templates are the server's own, there with or without data.
        if (link !== "Reports") assert.ok((await page.getByText(/No data yet/).count()) > 0, `${link} says there is no data yet`);
      }
      await sidebar(page).getByRole("link", { name: "Plant", exact: true }).click();
      await page.getByTestId("empty-plant").waitFor();
      assert.equal(await page.getByRole("button", { name: "Load the demo plant" }).count(), 0, "auditors load no demo");
      assert.equal(await page.getByTestId("ops-oee").textContent(), "—", "no telemetry: no OEE");
    });
    await withPage("ops-empty-admin", async (page) => {
      await signIn(page, { email: ADMIN.email });
      await sidebar(page).getByRole("link", { name: "Plant", exact: true }).click();
      await page.getByRole("button", { name: "Load the demo plant" }).waitFor();
      await checkScreen(page, "the admin's empty plant");
    });
  });

  test("a plant head raises an exception on the dispatch chain, which blocks it, and resolves it, which runs it again", { timeout: TIMEOUT }, async () => {
    await stack.api.call("POST", "/ops/demo", { token: adminToken });
    await withPage("ops-plant-head", async (page) => {
      await page.setViewportSize({ width: 1024, height: 768 });
      await signIn(page, PLANT_HEAD);

      // Plant heads land on the plant dashboard, in the plant head's view.
      await page.waitForURL("**/ops");
      await page.getByRole("heading", { level: 1, name: "Plant", exact: true }).waitFor();
      await page.getByRole("heading", { name: "Plant head view" }).waitFor();
      assert.equal(await page.getByTestId("empty-plant").count(), 0, "the demo plant is loaded");
      await checkScreen(page, "the plant head's dashboard");
      await screenshot(page, "ops-dashboard");

      await sidebar(page).getByRole("link", { name: "Control tower", exact: true }).click();
      await page.getByTestId("runbook-card").first().waitFor();
      assert.equal(await page.getByTestId("runbook-card").count(), 4, "the demo's four runbooks");
      await checkScreen(page, "the control tower");
      await page.getByRole("link", { name: "Dispatch Chain" }).click();
      await page.waitForURL("**/ops/runbooks/dispatch");
      await page.getByRole("heading", { level: 1, name: "Dispatch Chain" }).waitFor();
      await page.getByTestId("runbook-status").waitFor();
      const before = (await page.getByTestId("runbook-status").textContent())?.trim();
      assert.notEqual(before, "Blocked", "the dispatch chain is not blocked yet");
      await checkScreen(page, "the dispatch chain");

      // An exception on the current stage, through the form: first caught without its fields.
      const current = page.locator("article", { has: page.getByText("Current stage", { exact: true }) });
      await current.getByRole("button", { name: "Raise exception" }).click();
      const form = current.getByRole("form", { name: /Raise an exception on/ });
      await form.getByRole("button", { name: "Raise exception" }).click();
      await form.getByText("choose a severity").waitFor();
      await form.getByLabel("Type", { exact: true }).fill("Quality Failure");
      await form.getByLabel("Severity", { exact: true }).selectOption("High");
      await form.getByLabel("Owner", { exact: true }).fill("QA Engineer");
      await form.getByLabel("Description", { exact: true }).fill(DESCRIPTION);
      await form.getByLabel("Impact", { exact: true }).fill("Dispatch of pallet 4 waits");
      await form.getByLabel("Escalation", { exact: true }).fill("Plant Head");
      await checkScreen(page, "the raise-exception form");
      await form.getByRole("button", { name: "Raise exception" }).click();
      await runbookIs(page, "Blocked");
      await waitFor("the stage on hold", async () => (await page.getByTestId("current-stage-status").textContent())?.trim() === "Hold");
      assert.ok(await current.getByRole("button", { name: "Advance" }).isDisabled(), "a held stage cannot be advanced");
      await checkScreen(page, "the blocked dispatch chain");
      await screenshot(page, "ops-runbook-blocked");

      const token = await stack.api.login(PLANT_HEAD.email, PASSWORD);
      const raised = (await stack.api.call("GET", "/ops/exceptions?runbook=dispatch", { token })).find((e) => e.description === DESCRIPTION);
      assert.ok(raised, "the exception is on the server");
      assert.match(raised.id, /^EX-\d{4}-\d{3}$/);
      assert.equal(raised.severity, "High");
      assert.equal(raised.status, "Raised");

      // The board: triaged, then resolved with its note.
      await sidebar(page).getByRole("link", { name: "Exceptions", exact: true }).click();
      await page.getByTestId("exception-row").first().waitFor();
      await page.getByRole("button", { name: raised.id, exact: true }).click();
      await exceptionIs(page, "Raised");
      await checkScreen(page, "the raised exception");
      const moves = page.getByRole("group", { name: "Move the exception" });
      assert.deepEqual(await moves.getByRole("button").allTextContents(), ["Triage"]);
      await moves.getByRole("button", { name: "Triage" }).click();
      await exceptionIs(page, "Triaged");
      // Resolving needs the resolution: caught before it is sent.
      await moves.getByRole("button", { name: "Resolve" }).click();
      await page.getByText("write the resolution in the note first").waitFor();
      await page.getByLabel(/^Note/).fill("Seal replaced and re-tested");
      await moves.getByRole("button", { name: "Resolve" }).click();
      await exceptionIs(page, "Resolved");
      await page.getByTestId("exception-history").getByText("Seal replaced and re-tested").waitFor();
      await checkScreen(page, "the resolved exception");
      await screenshot(page, "ops-exceptions");

      // Back on the runbook: its stage is in progress again, the runbook runs.
      await page.goto(`${stack.appUrl}/ops/runbooks/dispatch`);
      await runbookIs(page, "Running");
      assert.ok(await current.getByRole("button", { name: "Advance" }).isEnabled(), "in progress again, the stage can be advanced");
      await checkScreen(page, "the dispatch chain running again");
      const after = await stack.api.call("GET", `/ops/exceptions/${raised.id}`, { token });
      assert.equal(after.status, "Resolved");
    });
  });

  test("an auditor reads the runbook and the exceptions but has no way to change them", { timeout: TIMEOUT }, async () => {
    await withPage("ops-auditor", async (page) => {
      await page.emulateMedia({ colorScheme: "dark" });
      await signIn(page, AUDITOR);
      await page.waitForURL("**/ops");
      await page.getByRole("heading", { name: "Auditor view" }).waitFor();
      await checkScreen(page, "the auditor's dashboard (dark)");
      await page.goto(`${stack.appUrl}/ops/runbooks/dispatch`);
      await page.getByTestId("runbook-status").waitFor();
      assert.equal(await page.getByRole("button", { name: "Advance" }).count(), 0);
      assert.equal(await page.getByRole("button", { name: "Raise exception" }).count(), 0);
      await checkScreen(page, "the auditor's runbook (dark)");
      await sidebar(page).getByRole("link", { name: "Logs", exact: true }).click();
      await page.getByTestId("log-table").waitFor();
      await page.getByRole("button", { name: "Verify chain" }).click();
      await page.getByTestId("chain-result").getByText(/Chain intact: [\d,]+ rows checked/).waitFor();
      await checkScreen(page, "the log, verified");
    });
  });
});

// Browser end-to-end tests: user flows in chromium against the real sidecar (see harness.mjs).
// Run with `npm run e2e` in frontend/ (node --test). One stack per run; the tests share its
// database and run in order, each in a fresh browser profile.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { screenshot, signIn as signInAs, startStack, totp, totpStep, waitFor, withPage as runWithPage } from "./harness.mjs";

const ADMIN = { email: "ada@example.com", username: "ada", first_name: "Ada", last_name: "Lovelace", password: "Admin1234" };
const FLOW_TIMEOUT = 90_000;

let stack;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.close();
});

/** The admin's token; bootstraps the admin over REST when the setup flow has not run (filtered out). */
async function adminToken() {
  const { has_admins } = await stack.api.call("GET", "/auth/has-admins");
  if (!has_admins) await stack.api.call("POST", "/auth/bootstrap-admin", { body: ADMIN });
  return stack.api.login(ADMIN.email, ADMIN.password);
}

let plates = 0;
/** A plate no other test uses (`AB-123-CD` shape). */
function plate() {
  plates += 1;
  return `EE-${String(100 + plates).padStart(3, "0")}-ZZ`;
}

/** A task over REST, as the admin. */
function createTask(token, fields = {}) {
  return stack.api.call("POST", "/tasks", {
    token,
    body: {
      vehicle_plate: plate(),
      vehicle_model: "Model 3",
      ppf_zones: ["hood"],
      scheduled_date: "2026-12-01",
      start_time: "09:00",
      end_time: "12:00",
      ...fields,
    },
  });
}

/** Run `flow` with a fresh page of this file's stack (see `harness.withPage`). */
const withPage = (name, flow) => runWithPage(stack, name, flow);

const signIn = (page, email, password) => signInAs(stack, page, email, password);

/** The labelled control's `.field` container (where its messages are shown). */
function fieldOf(page, label) {
  return page.locator(".field").filter({ has: page.getByLabel(label, { exact: true }) });
}

describe("browser", () => {
  test("TOTP helper matches RFC 6238's SHA-1 vector", () => {
    // Secret "12345678901234567890"; T = 59 s → step 1 → 94287082, whose last 6 digits are the code.
    assert.equal(totp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 1), "287082");
    assert.equal(totp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Math.floor(1111111109 / 30)), "081804");
  });

  test("first run: bootstrap the admin, create a client and a task for it, move the task along", { timeout: FLOW_TIMEOUT }, async () => {
    await withPage("first-run", async (page) => {
      // A fresh install sends everyone to the setup screen.
      await page.goto(`${stack.appUrl}/`);
      await page.waitForURL("**/setup");
      await page.getByRole("button", { name: "Create administrator" }).waitFor();
      await screenshot(page, "setup");
      await page.getByLabel("Email", { exact: true }).fill(ADMIN.email);
      await page.getByLabel("Username", { exact: true }).fill(ADMIN.username);
      await page.getByLabel("First name", { exact: true }).fill(ADMIN.first_name);
      await page.getByLabel("Last name", { exact: true }).fill(ADMIN.last_name);
      await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
      await page.getByRole("button", { name: "Create administrator" }).click();

      const who = page.getByTestId("signed-in-user");
      await who.waitFor();
      assert.equal((await who.textContent()).trim(), "Ada Lovelace");
      // The server has its admin, and the password typed in the form is the one that works.
      assert.deepEqual(await stack.api.call("GET", "/auth/has-admins"), { has_admins: true });
      const token = await stack.api.login(ADMIN.email, ADMIN.password);
      assert.equal((await stack.api.call("GET", "/auth/me", { token })).role, "admin");

      // A client.
      await page.getByRole("link", { name: "Clients", exact: true }).click();
      await page.waitForURL("**/clients");
      await page.getByRole("button", { name: "New client" }).waitFor();
      await screenshot(page, "clients");
      await page.getByRole("button", { name: "New client" }).click();
      await page.getByLabel("Name", { exact: true }).fill("Garage Dupont");
      await page.getByLabel("Customer type", { exact: true }).selectOption("business");
      await page.getByLabel("Company", { exact: true }).fill("Dupont SARL");
      await page.getByLabel("Email", { exact: true }).fill("contact@dupont.example");
      await page.getByLabel("Phone", { exact: true }).fill("+33 1 23 45 67 89");
      await page.getByRole("button", { name: "Create client" }).click();
      const clientRow = page.getByTestId("client-row").filter({ hasText: "Garage Dupont" });
      await clientRow.waitFor();
      const clients = await stack.api.call("GET", "/clients?q=Dupont", { token });
      assert.equal(clients.total, 1);
      const client = clients.items[0];
      assert.equal(client.name, "Garage Dupont");
      assert.equal(client.customer_type, "business");
      assert.equal(client.company_name, "Dupont SARL");
      assert.equal(client.email, "contact@dupont.example");
      await clientRow.getByRole("link", { name: "Garage Dupont" }).click();
      await page.waitForURL(`**/clients/${client.id}`);
      await page.getByTestId("client-details").waitFor();

      // A task for that client.
      await page.getByRole("link", { name: "Tasks", exact: true }).click();
      await page.waitForURL("**/tasks");
      await page.getByRole("link", { name: "New task" }).waitFor();
      await page.getByRole("link", { name: "New task" }).click();
      await page.waitForURL("**/tasks/new");
      const taskPlate = "FG-456-HJ";
      await page.getByLabel("Title", { exact: true }).fill("Full front PPF");
      await page.getByLabel("Description", { exact: true }).fill("Hood and both fenders, gloss film.");
      await page.getByLabel("Vehicle plate", { exact: true }).fill(taskPlate);
      await page.getByLabel("Vehicle model", { exact: true }).fill("Model Y");
      await page.getByLabel("Scheduled date", { exact: true }).fill("2026-12-03");
      await page.getByLabel("Start time", { exact: true }).fill("09:00");
      await page.getByLabel("End time", { exact: true }).fill("12:00");
      await page.getByLabel("Priority", { exact: true }).selectOption("high");
      await page.getByLabel("Client", { exact: true }).selectOption({ label: "Garage Dupont (Dupont SARL)" });
      await page.getByRole("checkbox", { name: "Hood", exact: true }).check();
      await screenshot(page, "task-form");
      await page.getByRole("button", { name: "Create task" }).click();
      await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);

      const tasks = await stack.api.call("GET", `/tasks?q=${taskPlate}`, { token });
      assert.equal(tasks.total, 1, "one task with that plate on the server");
      const task = tasks.items[0];
      assert.equal(task.client_id, client.id);
      assert.equal(task.title, "Full front PPF");
      assert.equal(task.priority, "high");
      assert.equal(task.status, "draft");
      assert.deepEqual(task.ppf_zones, ["hood"]);
      assert.equal(task.scheduled_date, "2026-12-03");

      // Open it from the list.
      await page.getByRole("link", { name: "Tasks", exact: true }).click();
      const row = page.getByTestId("task-row").filter({ hasText: task.task_number });
      await row.waitFor();
      await screenshot(page, "tasks-list");
      await row.getByRole("link", { name: task.task_number }).click();
      await page.waitForURL(`**/tasks/${task.id}`);
      const status = page.getByTestId("task-status");
      await status.waitFor();
      assert.match(await status.textContent(), /draft/i);
      await page.getByTestId("transition-pending").waitFor();

      await page.getByTestId("transition-pending").click();
      await waitFor("the status to show pending", async () => /pending/i.test(await status.textContent()));
      const entry = page.getByTestId("task-history").locator("li").filter({ hasText: /pending/i });
      await entry.waitFor();
      assert.equal(await entry.count(), 1);
      await screenshot(page, "task-detail");

      const stored = await stack.api.call("GET", `/tasks/${task.id}`, { token });
      assert.equal(stored.status, "pending");
      const history = await stack.api.call("GET", `/tasks/${task.id}/history`, { token });
      assert.ok(
        history.some((h) => h.event === "status_changed" && h.old_status === "draft" && h.new_status === "pending"),
        `history has draft → pending: ${JSON.stringify(history)}`,
      );

      // The client's page lists the task.
      await page.goto(`${stack.appUrl}/clients/${client.id}`);
      await page.getByTestId("client-tasks").getByText(task.task_number).waitFor();
      await screenshot(page, "client-detail");
    });
  });

  test("two-factor authentication: set up in Settings, then sign in with a code", { timeout: 150_000 }, async () => {
    const token = await adminToken();
    const user = { email: "grace@example.com", username: "grace", first_name: "Grace", last_name: "Hopper", password: "Grace1234", role: "supervisor" };
    await stack.api.call("POST", "/users", { token, body: user });

    await withPage("two-factor", async (page) => {
      await signIn(page, user.email, user.password);
      await page.getByRole("link", { name: "Settings", exact: true }).click();
      await page.waitForURL("**/settings");
      await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
      const secretText = (await page.getByTestId("totp-secret").textContent()).trim();
      assert.match(secretText.replace(/\s/g, ""), /^[A-Z2-7]+=*$/, "the secret is base32");
      const qr = page.getByRole("img", { name: "QR code for your authenticator app" });
      await qr.waitFor();
      assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), "the QR code image loads");

      const enableStep = totpStep();
      await page.getByLabel("Authentication code", { exact: true }).fill(totp(secretText, enableStep));
      await page.getByRole("button", { name: "Enable" }).click();
      const codes = page.getByTestId("backup-codes");
      await codes.waitFor();
      assert.ok((await codes.textContent()).trim().length > 0, "backup codes are shown");
      await waitFor("the 2FA status to say it is on", async () =>
        (await page.getByTestId("2fa-status").textContent()).includes("Two-factor authentication is on"),
      );
      await page.getByTestId("sessions").waitFor();
      await screenshot(page, "settings");

      // The server now asks for the second step.
      const outcome = await stack.api.call("POST", "/auth/login", { body: { email: user.email, password: user.password } });
      assert.equal(outcome.requires_2fa, true);

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL("**/login");
      await page.getByRole("button", { name: "Sign in" }).waitFor();
      await screenshot(page, "login");
      await page.getByLabel("Email", { exact: true }).fill(user.email);
      await page.getByLabel("Password", { exact: true }).fill(user.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      const code = page.getByLabel("Code", { exact: true });
      await code.waitFor();
      assert.equal(await page.getByTestId("signed-in-user").count(), 0, "not signed in before the code");
      // The server refuses a code of a step already used: wait for the next step if need be.
      await waitFor("the next TOTP step", () => totpStep() > enableStep, 35_000, 250);
      await code.fill(totp(secretText));
      await page.getByRole("button", { name: "Verify" }).click();
      const who = page.getByTestId("signed-in-user");
      await who.waitFor();
      assert.equal((await who.textContent()).trim(), "Grace Hopper");
    });
  });

  test("a technician sees only the tasks assigned to them", { timeout: FLOW_TIMEOUT }, async () => {
    const token = await adminToken();
    const tech = { email: "tom@example.com", username: "tom", first_name: "Tom", last_name: "Martin", password: "Tech12345", role: "technician" };
    const created = await stack.api.call("POST", "/users", { token, body: tech });
    const mine = await createTask(token, { scheduled_date: "2026-12-10" });
    const other = await createTask(token, { scheduled_date: "2026-12-10" });
    await stack.api.call("POST", `/tasks/${mine.id}/assign`, { token, body: { technician_id: created.id } });
    // The server agrees: one task for the technician.
    const techToken = await stack.api.login(tech.email, tech.password);
    const theirs = await stack.api.call("GET", "/tasks", { token: techToken });
    assert.deepEqual(theirs.items.map((t) => t.id), [mine.id]);

    await withPage("technician", async (page) => {
      await signIn(page, tech.email, tech.password);
      // A technician's menu has no Users.
      assert.equal(await page.getByRole("link", { name: "Users", exact: true }).count(), 0);
      await page.getByRole("link", { name: "Tasks", exact: true }).click();
      await page.getByTestId("tasks-table").waitFor();
      const rows = page.getByTestId("task-row");
      assert.equal(await rows.count(), 1);
      assert.match(await rows.first().textContent(), new RegExp(mine.task_number));
      assert.equal(await page.getByText(other.task_number).count(), 0);
      // A technician creates no tasks.
      assert.equal(await page.getByRole("link", { name: "New task" }).count(), 0);
    });
  });

  test("a technician runs a whole PPF intervention from their task: photo, signature, the task completed", { timeout: FLOW_TIMEOUT }, async () => {
    const token = await adminToken();
    const tech = { email: "tina@example.com", username: "tina", first_name: "Tina", last_name: "Moreau", password: "Tech12345", role: "technician" };
    const created = await stack.api.call("POST", "/users", { token, body: tech });
    const job = await createTask(token, { scheduled_date: "2026-12-11", technician_id: created.id, status: "assigned" });
    // A 1×1 PNG, as a phone's camera roll would hand over a file.
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

    await withPage("intervention", async (page) => {
      // A tablet-sized window.
      await page.setViewportSize({ width: 1024, height: 768 });
      await signIn(page, tech.email, tech.password);
      await page.goto(`${stack.appUrl}/tasks/${job.id}`);
      await page.getByLabel("Temperature (°C, 10–35)", { exact: true }).fill("21");
      await page.getByLabel("Humidity (%, at most 80)", { exact: true }).fill("50");
      await page.getByRole("button", { name: "Start intervention" }).click();
      await page.waitForURL("**/interventions/*");
      await waitFor("the started intervention", async () => (await page.getByTestId("intervention-status").getAttribute("data-status")) === "in_progress");

      // Step 1, the inspection: a checklist item and a photo, then complete it.
      await page.getByRole("checkbox", { name: "Clean and dry" }).check();
      await page.getByTestId("photo-input").setInputFiles({ name: "hood.png", mimeType: "image/png", buffer: png });
      await waitFor("the photo counted", async () => /^1 of 10 photos/.test((await page.getByTestId("photo-count").textContent()) ?? ""));
      await page.getByRole("img", { name: "hood.png" }).waitFor();
      for (const step of ["Inspection", "Installation", "Finalisation"]) {
        await page.getByRole("heading", { name: new RegExp(step) }).waitFor();
        await page.getByRole("button", { name: "Complete step" }).click();
        await page.locator(`.stepper li[data-status="completed"]`, { hasText: step }).waitFor();
      }
      assert.equal(await page.getByTestId("intervention-progress").textContent(), "100%");

      // The customer signs with a finger (the pad takes pointer events), then it is finalised.
      await page.getByLabel("Customer satisfaction (1–10)", { exact: true }).fill("9");
      await page.getByLabel("Signed by", { exact: true }).fill("Claire Martin");
      await page.getByTestId("signature-pad").scrollIntoViewIfNeeded();
      const pad = await page.getByTestId("signature-pad").boundingBox();
      await page.mouse.move(pad.x + 20, pad.y + 100);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) await page.mouse.move(pad.x + 20 + i * 25, pad.y + 100 - (i % 2) * 50, { steps: 2 });
      await page.mouse.up();
      await page.getByRole("button", { name: "Finalise intervention" }).click();
      await waitFor("the finalised intervention", async () => (await page.getByTestId("intervention-status").getAttribute("data-status")) === "completed");
      await page.getByText("Signed by Claire Martin").waitFor();

      await page.getByRole("link", { name: `Task ${job.task_number}` }).click();
      await waitFor("the completed task", async () => (await page.getByTestId("task-status").getAttribute("data-status")) === "completed");
    });
    // The server agrees: the task is completed, the signature stored as a drawing.
    const techToken = await stack.api.login(tech.email, tech.password);
    const [latest] = await stack.api.call("GET", `/tasks/${job.id}/interventions`, { token: techToken });
    assert.equal(latest.status, "completed");
    assert.equal(latest.signatory, "Claire Martin");
    assert.match(latest.customer_signature, /<path d="M [\d.]+ [\d.]+ L/);
    const task = await stack.api.call("GET", `/tasks/${job.id}`, { token: techToken });
    assert.equal(task.status, "completed");
    assert.equal(task.completed_steps, 3);
  });

  test("a validation error from the server shows at its field", { timeout: FLOW_TIMEOUT }, async () => {
    const token = await adminToken();
    const body = { vehicle_plate: plate(), vehicle_model: "Model S", ppf_zones: ["hood"], scheduled_date: "2026-12-04", start_time: "14:00", end_time: "10:00" };
    // What the server says about an end before the start.
    const refused = await stack.api.call("POST", "/tasks", { token, body, expect: 400 });
    assert.equal(refused.error.code, "VALIDATION_ERROR");
    const message = refused.error.details?.end_time?.[0];
    assert.ok(message, `the server names end_time: ${JSON.stringify(refused.error)}`);

    await withPage("validation", async (page) => {
      await signIn(page, ADMIN.email, ADMIN.password);
      await page.goto(`${stack.appUrl}/tasks/new`);
      await page.getByLabel("Vehicle plate", { exact: true }).fill(body.vehicle_plate);
      await page.getByLabel("Vehicle model", { exact: true }).fill(body.vehicle_model);
      await page.getByLabel("Scheduled date", { exact: true }).fill(body.scheduled_date);
      await page.getByLabel("Start time", { exact: true }).fill(body.start_time);
      await page.getByLabel("End time", { exact: true }).fill(body.end_time);
      await page.getByRole("checkbox", { name: "Hood", exact: true }).check();
      await page.getByRole("button", { name: "Create task" }).click();

      const end = fieldOf(page, "End time");
      await end.getByText(message).waitFor();
      assert.equal(await page.getByLabel("End time", { exact: true }).getAttribute("aria-invalid"), "true");
      assert.equal(await page.getByLabel("Start time", { exact: true }).getAttribute("aria-invalid"), "false");
      assert.match(page.url(), /\/tasks\/new$/, "still on the form");
      await screenshot(page, "task-form-error");
    });
    const tasks = await stack.api.call("GET", `/tasks?q=${body.vehicle_plate}`, { token });
    assert.equal(tasks.total, 0, "nothing was created");
  });

  test("Toggle Maximize in a browser says there is no desktop shell", { timeout: FLOW_TIMEOUT }, async () => {
    const token = await adminToken();
    const refused = await stack.api.call("POST", "/window", { token, body: { action: "toggle" }, expect: 503 });
    assert.equal(refused.error.code, "SHELL_UNAVAILABLE");

    await withPage("toggle-maximize", async (page) => {
      await signIn(page, ADMIN.email, ADMIN.password);
      assert.equal(await page.getByTestId("window-notice").count(), 0);
      await page.getByTestId("toggle-maximize").click();
      const notice = page.getByTestId("window-notice");
      await notice.waitFor();
      assert.match(await notice.textContent(), /no desktop shell/i);
    });
  });

  test("live updates: a task created elsewhere appears in the open list", { timeout: FLOW_TIMEOUT }, async () => {
    const token = await adminToken();
    await withPage("live-updates", async (page) => {
      // The event stream (opened on sign-in) must be up before the task is created, or its event is missed.
      const stream = page.waitForResponse((r) => r.url().includes("/api/v1/events?ticket=") && r.status() === 200, { timeout: 15_000 });
      await signIn(page, ADMIN.email, ADMIN.password);
      await page.getByRole("link", { name: "Tasks", exact: true }).click();
      // The list has loaded: its table, or (run alone, on an empty database) its empty state.
      await page.getByTestId("tasks-table").or(page.locator(".state-empty")).waitFor();
      await stream;
      await page.evaluate(() => (window.__noReload = true));

      const task = await createTask(token, { scheduled_date: "2026-12-11" });
      await page.getByTestId("task-row").filter({ hasText: task.task_number }).waitFor({ timeout: 10_000 });
      assert.equal(await page.evaluate(() => window.__noReload), true, "the page was not reloaded");
    });
  });

  test("every screen renders (screenshots)", { timeout: FLOW_TIMEOUT }, async () => {
    await adminToken();
    await withPage("screens", async (page) => {
      await signIn(page, ADMIN.email, ADMIN.password);
      await page.getByRole("link", { name: "Calendar", exact: true }).click();
      await page.getByTestId("calendar-week").waitFor();
      for (const name of ["Previous week", "Today", "Next week"]) await page.getByRole("button", { name }).waitFor();
      await screenshot(page, "calendar");

      await page.getByRole("link", { name: "Users", exact: true }).click();
      await page.getByTestId("users-table").waitFor();
      await page.getByTestId("user-row").filter({ hasText: ADMIN.email }).waitFor();
      await screenshot(page, "users");

      await page.getByRole("link", { name: "Dashboard", exact: true }).click();
      await page.waitForURL(`${stack.appUrl}/`);
      await screenshot(page, "dashboard");
      assert.deepEqual(page.problems.filter((p) => p.startsWith("page error")), [], "no uncaught errors in the page");
    });
  });

  // Last: it stops the sidecar, and the other flows need not wait for it to come back.
  test("the UI keeps working when the backend restarts", { timeout: FLOW_TIMEOUT }, async () => {
    const token = await adminToken();
    await withPage("backend-restart", async (page) => {
      await signIn(page, ADMIN.email, ADMIN.password);
      await page.getByRole("link", { name: "Tasks", exact: true }).click();
      await page.waitForURL("**/tasks");
      await page.getByTestId("tasks-table").or(page.locator(".state-empty")).waitFor();
      const banner = page.getByTestId("backend-banner");
      assert.equal(await banner.count(), 0, "no banner while the backend answers");
      await page.evaluate(() => (window.__noReload = true));
      const listUrl = page.url();

      // Stopped: SIGTERM, and the process exits by itself (no SIGKILL needed).
      const exit = await stack.sidecar.stop();
      assert.deepEqual(exit, { code: 0, signal: null }, "the sidecar exits cleanly on SIGTERM");
      await assert.rejects(fetch(`${stack.apiUrl}/api/v1/health`), "nothing answers on the sidecar's address");
      // The health check runs every 3 s.
      await banner.waitFor({ timeout: 10_000 });
      assert.match(await banner.textContent(), /The backend is restarting/);
      await screenshot(page, "backend-restarting");

      // Back on the same address and data dir; the token issued before the restart still works.
      await stack.sidecar.restart();
      const task = await createTask(token, { scheduled_date: "2026-12-12" });

      await banner.waitFor({ state: "detached", timeout: 10_000 });
      await page.getByTestId("task-row").filter({ hasText: task.task_number }).waitFor({ timeout: 10_000 });
      const who = page.getByTestId("signed-in-user");
      assert.equal((await who.textContent()).trim(), "Ada Lovelace", "still signed in");
      assert.equal(page.url(), listUrl, "still on the tasks list (no redirect to /login)");
      assert.equal(await page.evaluate(() => window.__noReload), true, "the page was not reloaded");
    });
  });
});

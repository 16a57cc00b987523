// Browser journeys through the inventory against the real sidecar (see harness.mjs): a supervisor
// adds a material, moves its stock (a move the stock cannot cover is refused) and adds a
// category; a technician records the film used in an intervention's step and sees it is now low,
// and, starting an intervention from their task, records film that takes a material below its
// reorder point and sees the low-stock badge appear.
// Every screen is checked with axe-core on the way, as the walks do for the sidebar's.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { checkScreen, screenshot, signIn as signInAs, startStack, waitFor, withPage as runWithPage } from "./harness.mjs";

const PASSWORD = "Stock12345";
const ADMIN = { email: "ada@example.com", username: "ada", first_name: "Ada", last_name: "Lovelace", password: PASSWORD };
const SUPERVISOR = { email: "sam@example.com", username: "sam", first_name: "Sam", last_name: "Stock", password: PASSWORD, role: "supervisor" };
const TECHNICIAN = { email: "tom@example.com", username: "tom", first_name: "Tom", last_name: "Film", password: PASSWORD, role: "technician" };
const VIEWER = { email: "vic@example.com", username: "vic", first_name: "Vic", last_name: "Reads", password: PASSWORD, role: "viewer" };
const SKU = "PPF-E2E-152";
const TIMEOUT = 90_000;

let stack;
let technicianId;

before(async () => {
  stack = await startStack();
  await stack.api.call("POST", "/auth/bootstrap-admin", { body: ADMIN });
  const token = await stack.api.login(ADMIN.email, PASSWORD);
  for (const user of [SUPERVISOR, TECHNICIAN, VIEWER]) {
    const made = await stack.api.call("POST", "/users", { token, body: user });
    if (user === TECHNICIAN) technicianId = made.id;
  }
}, { timeout: 180_000 });

after(async () => {
  await stack?.close();
});

const withPage = (name, flow) => runWithPage(stack, name, flow);

const signIn = (page, { email }) => signInAs(stack, page, email, PASSWORD);

describe("inventory", () => {
  test("a supervisor adds a material, moves its stock and is refused a move the stock cannot cover", { timeout: TIMEOUT }, async () => {
    await withPage("inventory-supervisor", async (page) => {
      // In the dark colour scheme, so the badges' colours are checked there (the technician's are in the light one).
      await page.emulateMedia({ colorScheme: "dark" });
      await signIn(page, SUPERVISOR);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inventory", exact: true }).click();
      await page.getByText("No materials yet.", { exact: false }).waitFor();
      await checkScreen(page, "the empty inventory");

      await page.getByRole("button", { name: "New material" }).click();
      const form = page.getByRole("form", { name: "New material" });
      await form.getByLabel("SKU", { exact: true }).fill(SKU);
      await form.getByLabel("Unit cost (€)", { exact: true }).fill("45,905");
      await form.getByRole("button", { name: "Create material" }).click();
      // Caught before sending: a cost with three decimals; then the server's word on the empty name.
      await form.getByText("must be an amount in euros with at most 2 decimals", { exact: false }).waitFor();
      await form.getByLabel("Unit cost (€)", { exact: true }).fill("45,90");
      await form.getByRole("button", { name: "Create material" }).click();
      await form.locator(".field.invalid", { has: page.getByLabel("Name", { exact: true }) }).getByRole("alert").waitFor();
      await checkScreen(page, "the new material form with errors");

      await form.getByLabel("Name", { exact: true }).fill("XPEL Ultimate Plus 152 cm");
      await form.getByLabel("Category", { exact: true }).selectOption({ label: "PPF films (PPF)" });
      await form.getByLabel("Reorder point", { exact: true }).fill("10");
      await form.getByLabel("Initial stock", { exact: true }).fill("12,5");
      await form.getByRole("button", { name: "Create material" }).click();
      await page.waitForURL("**/inventory/*");
      await page.getByRole("heading", { name: `${SKU} · XPEL Ultimate Plus 152 cm` }).waitFor();
      assert.equal(await page.getByTestId("current-stock").textContent(), "12.5 m");
      assert.equal(await page.getByTestId("low-stock-badge").count(), 0);
      await page.getByTestId("ledger-row").first().waitFor();
      await checkScreen(page, "the material");
      await screenshot(page, "material");

      // More than the stock: the server's CONFLICT, and nothing moved.
      const move = page.getByRole("form", { name: "Move stock" });
      await move.getByLabel("Move", { exact: true }).selectOption("stock_out");
      await move.getByLabel("Quantity taken out (m)", { exact: true }).fill("20");
      await move.getByRole("button", { name: "Stock out" }).click();
      const refused = await move.getByRole("alert").textContent();
      assert.match(refused, /not enough stock of PPF-E2E-152: 12\.5 m(eter)? in stock, 20 asked/);
      assert.equal(await page.getByTestId("current-stock").textContent(), "12.5 m");

      await move.getByLabel("Quantity taken out (m)", { exact: true }).fill("3");
      await move.getByRole("button", { name: "Stock out" }).click();
      await waitFor("the stock after the move", async () => (await page.getByTestId("current-stock").textContent()) === "9.5 m");
      assert.match(await page.getByTestId("stock-moved").textContent(), /Stock out: 12\.5 m → 9\.5 m/);
      // 9.5 m is at or below the reorder point of 10 m.
      await page.getByTestId("stock-moved").getByTestId("low-stock-badge").waitFor();
      await waitFor("two ledger rows, newest first", async () => (await page.getByTestId("ledger-row").count()) === 2);
      assert.equal(await page.getByTestId("ledger-row").first().getAttribute("data-type"), "stock_out");

      // A count needs a reason.
      await move.getByLabel("Move", { exact: true }).selectOption("adjustment");
      await move.getByLabel("Counted stock (m)", { exact: true }).fill("9");
      await move.getByRole("button", { name: "Adjust (count)" }).click();
      await move.getByText("is required for an adjustment or waste", { exact: false }).waitFor();
      await checkScreen(page, "the stock form with errors");

      // The list, filtered to low stock in the URL, shows it with its badge.
      await page.goto(`${stack.appUrl}/inventory?low_stock=1`);
      const row = page.getByTestId("material-row").filter({ hasText: SKU });
      await row.getByTestId("low-stock-badge").waitFor();
      assert.equal(await row.getByTestId("material-stock").textContent(), "9.5 m");
      assert.match(await row.textContent(), /€45\.90/);
      assert.equal(await page.getByLabel("Low stock only", { exact: true }).isChecked(), true);
      await checkScreen(page, "the filtered inventory");
      await screenshot(page, "inventory");

      // A subcategory under a seeded root, shown indented under it.
      await page.getByRole("link", { name: "Categories & suppliers" }).click();
      await page.getByTestId("category-tree").waitFor();
      await page.getByRole("button", { name: "New category" }).click();
      await page.getByLabel("Code", { exact: true }).fill("PPF-MATTE");
      await page.getByLabel("Name", { exact: true }).fill("Matte films");
      await page.getByLabel("Parent", { exact: true }).selectOption({ label: "PPF films" });
      await page.getByLabel("Colour", { exact: true }).fill("#334455");
      await page.getByRole("button", { name: "Create category" }).click();
      const matte = page.getByTestId("category-tree").locator("li", { hasText: "Matte films" });
      await matte.waitFor();
      assert.equal(await matte.getAttribute("data-level"), "2");
      await checkScreen(page, "categories and suppliers");
      await screenshot(page, "categories");
    });
  });

  test("a technician records film used in a step and sees it is low, and is refused more than the stock", { timeout: TIMEOUT }, async () => {
    const adminToken = await stack.api.login(ADMIN.email, PASSWORD);
    const task = await stack.api.call("POST", "/tasks", {
      token: adminToken,
      body: { vehicle_plate: "MA-123-TL", vehicle_model: "Model Y", ppf_zones: ["hood"], scheduled_date: "2026-12-14", technician_id: technicianId, status: "assigned" },
    });
    const techToken = await stack.api.login(TECHNICIAN.email, PASSWORD);
    const started = await stack.api.call("POST", "/interventions", {
      token: techToken,
      body: { task_id: task.id, intervention_type: "ppf", temperature_celsius: 21, humidity_percentage: 50 },
    });

    await withPage("inventory-technician", async (page) => {
      await signIn(page, TECHNICIAN);
      await page.goto(`${stack.appUrl}/interventions/${started.intervention.id}`);
      await page.getByRole("heading", { name: "Materials used" }).waitFor();
      await page.getByText("No materials recorded for this intervention yet.").waitFor();
      await page.getByLabel("Search materials by SKU or name", { exact: true }).fill("XPEL");
      const picker = page.getByLabel("Material", { exact: true });
      await waitFor("the material offered", async () => (await picker.locator("option").allTextContents()).some((t) => t.startsWith(SKU)));
      await picker.selectOption({ index: 1 });
      await page.getByLabel("Quantity used (m)", { exact: true }).fill("2");
      await page.getByLabel("Waste (m)", { exact: true }).fill("0,5");
      await page.getByLabel("Waste reason", { exact: true }).fill("Cut too short");
      await page.getByRole("button", { name: "Record material" }).click();

      const recorded = page.getByTestId("consumption-recorded");
      await recorded.waitFor();
      assert.equal(await recorded.getByTestId("remaining-stock").textContent(), "7 m");
      assert.match(await recorded.getByTestId("low-stock-badge").textContent(), /^Low stock: 7 m left$/);
      await page.getByTestId("consumption-row").filter({ hasText: SKU }).waitFor();
      // (2 + 0.5) m × €45.90
      await waitFor("the total cost", async () => (await page.getByTestId("consumption-total").textContent()) === "€114.75");
      await checkScreen(page, "the intervention with its materials");
      await screenshot(page, "intervention-materials");

      await page.getByLabel("Quantity used (m)", { exact: true }).fill("50");
      await page.getByRole("button", { name: "Record material" }).click();
      await page.locator(".consumption-form .form-error").getByText(/not enough stock of PPF-E2E-152/).waitFor();
      assert.equal(await page.getByTestId("consumption-row").count(), 1);
    });
  });

  test("during an intervention a technician records film that crosses the reorder point, and the low-stock badge appears", { timeout: TIMEOUT }, async () => {
    const adminToken = await stack.api.login(ADMIN.email, PASSWORD);
    // 12 m in stock, reorder at 10 m: not low yet.
    const material = await stack.api.call("POST", "/materials", {
      token: adminToken,
      body: { sku: "PPF-E2E-CROSS", name: "SunTek Reaction 152 cm", material_type: "ppf_film", unit_of_measure: "meter", unit_cost: 3990, reorder_point: 10, initial_stock: 12 },
    });
    assert.equal(material.is_low_stock, false);
    const task = await stack.api.call("POST", "/tasks", {
      token: adminToken,
      body: { vehicle_plate: "CR-456-SS", vehicle_model: "Model S", ppf_zones: ["bumper"], scheduled_date: "2026-12-15", technician_id: technicianId, status: "assigned" },
    });

    await withPage("inventory-crossing", async (page) => {
      await signIn(page, TECHNICIAN);
      // The intervention started from the technician's own task.
      await page.goto(`${stack.appUrl}/tasks/${task.id}`);
      await page.getByLabel("Temperature (°C, 10–35)", { exact: true }).fill("20");
      await page.getByLabel("Humidity (%, at most 80)", { exact: true }).fill("45");
      await page.getByRole("button", { name: "Start intervention" }).click();
      await page.waitForURL("**/interventions/*");
      await waitFor("the started intervention", async () => (await page.getByTestId("intervention-status").getAttribute("data-status")) === "in_progress");
      await page.getByRole("heading", { name: "Materials used" }).waitFor();

      await page.getByLabel("Search materials by SKU or name", { exact: true }).fill("SunTek");
      const picker = page.getByLabel("Material", { exact: true });
      await waitFor("the material offered", async () => (await picker.locator("option").allTextContents()).some((t) => t.startsWith("PPF-E2E-CROSS")));
      const offered = (await picker.locator("option").allTextContents()).find((t) => t.startsWith("PPF-E2E-CROSS"));
      assert.match(offered, /\(12 m in stock\)$/, "not low before");
      await picker.selectOption({ label: offered });
      await page.getByLabel("Quantity used (m)", { exact: true }).fill("3");
      await page.getByRole("button", { name: "Record material" }).click();

      // 12 m − 3 m = 9 m, at or below the reorder point of 10 m: low now.
      const recorded = page.getByTestId("consumption-recorded");
      await recorded.waitFor();
      assert.equal(await recorded.getByTestId("remaining-stock").textContent(), "9 m");
      assert.match(await recorded.getByTestId("low-stock-badge").textContent(), /^Low stock: 9 m left$/);
      await page.getByTestId("consumption-row").filter({ hasText: "PPF-E2E-CROSS" }).waitFor();
      await checkScreen(page, "the intervention after the reorder point was crossed");

      // The inventory says so too.
      await page.goto(`${stack.appUrl}/inventory?low_stock=1`);
      await page.getByTestId("material-row").filter({ hasText: "PPF-E2E-CROSS" }).getByTestId("low-stock-badge").waitFor();
    });
    const after = await stack.api.call("GET", `/materials/${material.id}`, { token: adminToken });
    assert.equal(after.current_stock, 9);
    assert.equal(after.is_low_stock, true);
  });

  test("a viewer has no inventory: no sidebar entry, and the address leads back home", { timeout: TIMEOUT }, async () => {
    await withPage("inventory-viewer", async (page) => {
      await signIn(page, VIEWER);
      assert.equal(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inventory" }).count(), 0);
      await page.goto(`${stack.appUrl}/inventory`);
      await page.waitForURL((url) => url.pathname === "/");
      assert.deepEqual(page.problems, []);
    });
  });
});

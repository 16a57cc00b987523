// Browser journeys through the quotes against the real sidecar (see harness.mjs): a supervisor
// makes a quote for a client, adds a labour line and a material line (priced by the server at the
// material's unit cost), sees the totals the server computed, gives and takes back a discount,
// downloads the PDF, sends it, has it accepted and converts it into a task; a page that missed a
// change shows the server's refusals; a viewer only reads (in the dark colour scheme).
// Every screen is checked with axe-core on the way, as the walks do for the sidebar's.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import { checkScreen, screenshot, signIn as signInAs, startStack, waitFor, withPage as runWithPage } from "./harness.mjs";

const PASSWORD = "Quote12345";
const ADMIN = { email: "ada@example.com", username: "ada", first_name: "Ada", last_name: "Lovelace", password: PASSWORD };
const SUPERVISOR = { email: "sam@example.com", username: "sam", first_name: "Sam", last_name: "Quotes", password: PASSWORD, role: "supervisor" };
const TECHNICIAN = { email: "tom@example.com", username: "tom", first_name: "Tom", last_name: "Film", password: PASSWORD, role: "technician" };
const VIEWER = { email: "vic@example.com", username: "vic", first_name: "Vic", last_name: "Reads", password: PASSWORD, role: "viewer" };
const CLIENT = "Garage Dupont";
const PLATE = "QU-123-TE";
const TIMEOUT = 120_000;

let stack;
let adminToken;
let technicianId;
let clientId;
/** The quote the supervisor makes (for the viewer's test). */
let quoteId;

before(async () => {
  stack = await startStack();
  await stack.api.call("POST", "/auth/bootstrap-admin", { body: ADMIN });
  adminToken = await stack.api.login(ADMIN.email, PASSWORD);
  for (const user of [SUPERVISOR, TECHNICIAN, VIEWER]) {
    const made = await stack.api.call("POST", "/users", { token: adminToken, body: user });
    if (user === TECHNICIAN) technicianId = made.id;
  }
  clientId = (await stack.api.call("POST", "/clients", { token: adminToken, body: { name: CLIENT, email: "contact@dupont.example" } })).id;
  // The film the material line sells: €40.00 a metre, which the server proposes as the line's price.
  await stack.api.call("POST", "/materials", {
    token: adminToken,
    body: { sku: "PPF-Q-152", name: "XPEL Ultimate Plus 152 cm", material_type: "ppf_film", unit_of_measure: "meter", unit_cost: 4000, initial_stock: 50 },
  });
}, { timeout: 180_000 });

after(async () => {
  await stack?.close();
});

const withPage = (name, flow) => runWithPage(stack, name, flow);

const signIn = (page, { email }) => signInAs(stack, page, email, PASSWORD);

/** The text of a totals row. */
const total = (page, id) => page.getByTestId(id).textContent();

/** Until the quote shows `status`. */
async function hasStatus(page, status) {
  await waitFor(`the quote ${status}`, async () => (await page.getByTestId("quote-status").getAttribute("data-status")) === status);
}

describe("quotes", () => {
  test("a supervisor makes a quote, sees the server's totals, downloads it, sends it, has it accepted and converts it", { timeout: TIMEOUT }, async () => {
    await withPage("quotes-supervisor", async (page) => {
      await signIn(page, SUPERVISOR);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Quotes", exact: true }).click();
      await page.getByText("No quotes yet.", { exact: false }).waitFor();
      await checkScreen(page, "the empty quote list");

      // A new quote: caught before sending without a client; then made, and its editor opens.
      await page.getByRole("button", { name: "New quote" }).click();
      const form = page.getByRole("form", { name: "New quote" });
      await form.getByRole("button", { name: "Create quote" }).click();
      await form.getByRole("alert").getByText("choose a client", { exact: true }).waitFor();
      await form.getByLabel("Client", { exact: true }).selectOption({ label: CLIENT });
      await form.getByLabel("Description", { exact: true }).fill("Front end in PPF");
      await form.getByLabel("Vehicle plate", { exact: true }).fill(PLATE);
      await form.getByLabel("Vehicle make", { exact: true }).fill("Tesla");
      await form.getByLabel("Vehicle model", { exact: true }).fill("Model 3");
      await form.getByRole("checkbox", { name: "Hood", exact: true }).check();
      await checkScreen(page, "the new quote form");
      await form.getByRole("button", { name: "Create quote" }).click();
      await page.waitForURL("**/quotes/*");
      quoteId = new URL(page.url()).pathname.split("/").pop();
      const created = await stack.api.call("GET", `/quotes/${quoteId}`, { token: adminToken });
      const number = created.quote_number;
      assert.match(number, /^DEV-\d{5}$/);
      await page.getByRole("heading", { name: `${number} · ${CLIENT}` }).waitFor();
      await hasStatus(page, "draft");
      await page.getByText("No lines yet.", { exact: false }).waitFor();

      // A quote with no lines cannot be sent: the server's word on `items`.
      await page.getByRole("button", { name: "Send", exact: true }).click();
      await page.locator(".quote-actions .form-error").getByText("a quote with no lines cannot be sent").waitFor();
      await hasStatus(page, "draft");

      // 3 h of labour at €60.00.
      const add = page.getByRole("form", { name: "Add a line" });
      await add.getByLabel("Label", { exact: true }).fill("Installation");
      await add.getByLabel("Quantity (hours)", { exact: true }).fill("3");
      await add.getByLabel("Unit price (€)", { exact: true }).fill("60,00");
      await add.getByRole("button", { name: "Add line" }).click();
      await waitFor("the labour line", async () => (await page.getByTestId("quote-item").count()) === 1);

      // 2.5 m of film picked from the inventory: its name filled in, its price left to the server.
      await add.getByLabel("Kind", { exact: true }).selectOption("material");
      await add.getByLabel("Search materials by SKU or name", { exact: true }).fill("XPEL");
      const picker = add.getByLabel("Material", { exact: true });
      await waitFor("the material offered", async () => (await picker.locator("option").allTextContents()).some((t) => t.startsWith("PPF-Q-152")));
      await picker.selectOption({ index: 1 });
      assert.equal(await add.getByLabel("Label", { exact: true }).inputValue(), "XPEL Ultimate Plus 152 cm");
      assert.equal(await add.getByLabel("Unit price (€)", { exact: true }).inputValue(), "");
      await add.getByLabel("Quantity", { exact: true }).fill("2,5");
      await add.getByRole("button", { name: "Add line" }).click();
      await waitFor("the material line", async () => (await page.getByTestId("quote-item").count()) === 2);

      // Each line's amount and the totals, as the server computed them: 180 + 100 = 280, VAT 20 % = 56.
      assert.deepEqual(await page.getByTestId("line-amount").allTextContents(), ["€180.00", "€100.00"]);
      assert.equal(await total(page, "total-subtotal"), "€280.00");
      assert.equal(await total(page, "total-tax-2000"), "€56.00");
      assert.equal(await total(page, "total-tax"), "€56.00");
      assert.equal(await total(page, "total-total"), "€336.00");
      const server = await stack.api.call("GET", `/quotes/${quoteId}`, { token: adminToken });
      assert.deepEqual(server.totals, { lines: [18000, 10000], subtotal: 28000, discount_amount: 0, taxes: [{ rate_bp: 2000, base: 28000, tax: 5600 }], tax_total: 5600, total: 33600 });
      assert.equal(server.items[1].unit_price, 4000, "the film line is priced at the material's unit cost");
      await checkScreen(page, "the draft quote with two lines");
      await screenshot(page, "quote-draft");

      // A 10 % discount, saved with PATCH: the server takes it off before the tax. Then none again.
      const discount = page.getByRole("form", { name: "Quote discount" });
      await discount.getByLabel("Discount", { exact: true }).selectOption("percentage");
      await discount.getByLabel("Discount (%)", { exact: true }).fill("10");
      await discount.getByRole("button", { name: "Save discount" }).click();
      await waitFor("the discounted total", async () => (await total(page, "total-total")) === "€302.40");
      assert.equal(await total(page, "total-discount"), "−€28.00");
      assert.equal(await total(page, "total-tax"), "€50.40");
      await discount.getByLabel("Discount", { exact: true }).selectOption("");
      await discount.getByRole("button", { name: "Save discount" }).click();
      await waitFor("the total without discount", async () => (await total(page, "total-total")) === "€336.00");

      // A line moved up, and one changed in place.
      await page.getByRole("button", { name: "Move line 2 up" }).click();
      await waitFor("the film first", async () => (await page.getByTestId("line-amount").allTextContents()).join() === "€100.00,€180.00");
      await page.getByRole("button", { name: "Edit line 2" }).click();
      await page.getByLabel("Label of line 2", { exact: true }).fill("Installation (3 h)");
      await page.getByRole("form", { name: "Line 2" }).getByRole("button", { name: "Save" }).click();
      await page.getByTestId("quote-item").filter({ hasText: "Installation (3 h)" }).waitFor();
      assert.equal(await total(page, "total-total"), "€336.00");

      // The PDF, named after the quote.
      const downloading = page.waitForEvent("download");
      await page.getByRole("button", { name: "Download PDF" }).click();
      const download = await downloading;
      assert.equal(download.suggestedFilename(), `${number}.pdf`);
      const pdf = await readFile(await download.path());
      assert.equal(pdf.subarray(0, 4).toString("latin1"), "%PDF");
      await page.getByTestId("pdf-result").getByText(`Downloaded ${number}.pdf.`).waitFor();

      // Sent: read-only from now on.
      await page.getByRole("button", { name: "Send", exact: true }).click();
      await hasStatus(page, "sent");
      assert.equal(await page.getByRole("form", { name: "Add a line" }).count(), 0);
      assert.equal(await page.getByRole("button", { name: "Edit line 1" }).count(), 0);
      assert.equal(await page.getByRole("button", { name: "Save details" }).count(), 0);
      await page.getByTestId("quote-fields").getByText(PLATE).waitFor();
      await checkScreen(page, "the sent quote");

      await page.getByRole("button", { name: "Accept", exact: true }).click();
      await hasStatus(page, "accepted");
      await checkScreen(page, "the accepted quote");
      await screenshot(page, "quote-accepted");

      // Converted into a task for a day and a technician; the task's page opens.
      const convert = page.getByRole("form", { name: "Convert into a task" });
      await convert.getByRole("button", { name: "Convert into a task" }).click();
      await convert.getByText("is required").first().waitFor();
      await convert.getByLabel("Scheduled date", { exact: true }).fill("2026-12-21");
      await convert.getByLabel("Start time", { exact: true }).fill("09:00");
      await convert.getByLabel("End time", { exact: true }).fill("12:00");
      await convert.getByLabel("Technician", { exact: true }).selectOption({ label: "Tom Film" });
      await convert.getByRole("button", { name: "Convert into a task" }).click();
      await page.waitForURL((url) => /^\/tasks\/[0-9a-f-]{36}$/.test(url.pathname));
      const taskId = new URL(page.url()).pathname.split("/").pop();
      await page.getByTestId("task-status").waitFor();
      await page.locator(".task-fields").getByText(PLATE, { exact: true }).waitFor();
      assert.equal(await page.getByTestId("task-status").getAttribute("data-status"), "assigned");
      await checkScreen(page, "the task made from the quote");

      const converted = await stack.api.call("GET", `/quotes/${quoteId}`, { token: adminToken });
      assert.equal(converted.status, "converted");
      assert.equal(converted.task_id, taskId);
      const task = await stack.api.call("GET", `/tasks/${taskId}`, { token: adminToken });
      assert.equal(task.vehicle_plate, PLATE);
      assert.equal(task.client_id, clientId);
      assert.equal(task.technician_id, technicianId);

      // Back on the quote: converted, with its way to the task.
      await page.goto(`${stack.appUrl}/quotes/${quoteId}`);
      await hasStatus(page, "converted");
      await page.locator(".quote-actions").getByRole("link", { name: "open the task" }).waitFor();
      await page.goto(`${stack.appUrl}/quotes?status=converted`);
      const row = page.getByTestId("quote-row").filter({ hasText: number });
      await row.waitFor();
      assert.equal(await row.getByTestId("quote-total").textContent(), "€336.00");
      assert.equal(await page.getByLabel("Status", { exact: true }).inputValue(), "converted");
      await checkScreen(page, "the quote list filtered to converted");
      await screenshot(page, "quotes");
    });
  });

  test("a page that missed a change shows the server's refusals; a rejected quote goes back to draft", { timeout: TIMEOUT }, async () => {
    const token = await stack.api.login(SUPERVISOR.email, PASSWORD);
    const quote = await stack.api.call("POST", "/quotes", {
      token,
      body: { client_id: clientId, vehicle_plate: "RE-456-JT", ppf_zones: ["hood"], items: [{ kind: "service", label: "Wash", qty: 1, unit_price: 2500 }] },
    });

    await withPage("quotes-stale", async (page) => {
      // No live events on this page, so it keeps showing the draft after someone else sent it.
      await page.route("**/api/v1/events/ticket", (route) => route.abort());
      await signIn(page, SUPERVISOR);
      await page.goto(`${stack.appUrl}/quotes/${quote.id}`);
      await hasStatus(page, "draft");
      await stack.api.call("POST", `/quotes/${quote.id}/status`, { token, body: { to: "sent" } });

      // Only a draft changes: the server's CONFLICT, at the form that tried.
      const add = page.getByRole("form", { name: "Add a line" });
      await add.getByLabel("Label", { exact: true }).fill("Polish");
      await add.getByLabel("Unit price (€)", { exact: true }).fill("30");
      await add.getByRole("button", { name: "Add line" }).click();
      await add.getByRole("alert").getByText(/only a draft quote can be changed; .* is sent/).waitFor();
      // And a move the state machine does not allow from where the quote really is.
      await page.getByRole("button", { name: "Send", exact: true }).click();
      await page.locator(".quote-actions .form-error").getByText(/cannot go from `sent` to `sent`/).waitFor();

      await page.reload();
      await hasStatus(page, "sent");
      assert.equal(await page.getByTestId("quote-item").count(), 1, "nothing was added");
    });

    const other = await stack.api.call("POST", "/quotes", {
      token,
      body: { client_id: clientId, items: [{ kind: "labor", label: "Pose", qty: 1, unit_price: 6000 }] },
    });
    await stack.api.call("POST", `/quotes/${other.id}/status`, { token, body: { to: "sent" } });
    await withPage("quotes-rejected", async (page) => {
      await signIn(page, SUPERVISOR);
      await page.goto(`${stack.appUrl}/quotes/${other.id}`);
      await hasStatus(page, "sent");
      await page.getByLabel("Reason (optional)", { exact: true }).fill("Too dear");
      await page.getByRole("button", { name: "Reject", exact: true }).click();
      await hasStatus(page, "rejected");
      await page.getByRole("button", { name: "Back to draft" }).click();
      await hasStatus(page, "draft");
      // A draft again: editable, and warned that converting it will need a plate and a zone.
      await page.getByRole("form", { name: "Add a line" }).waitFor();
      assert.match(await page.getByTestId("quote-warning").textContent(), /a vehicle plate and at least one PPF zone/);
      await checkScreen(page, "a draft back from rejected");
    });
  });

  test("a viewer reads quotes and their PDF but changes nothing", { timeout: TIMEOUT }, async () => {
    assert.ok(quoteId, "the supervisor's journey made a quote");
    await withPage("quotes-viewer", async (page) => {
      // In the dark colour scheme, so the status badges' and totals' colours are checked there too.
      await page.emulateMedia({ colorScheme: "dark" });
      await signIn(page, VIEWER);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Quotes", exact: true }).click();
      await page.getByTestId("quote-row").first().waitFor();
      assert.equal(await page.getByRole("button", { name: "New quote" }).count(), 0);
      await checkScreen(page, "the viewer's quote list");
      await page.goto(`${stack.appUrl}/quotes/${quoteId}`);
      await page.getByTestId("quote-totals").waitFor();
      assert.equal(await page.getByRole("group", { name: "Move the quote" }).count(), 0);
      assert.equal(await page.getByRole("button", { name: "Delete" }).count(), 0);
      const downloading = page.waitForEvent("download");
      await page.getByRole("button", { name: "Download PDF" }).click();
      assert.match((await downloading).suggestedFilename(), /^DEV-\d{5}\.pdf$/);
      await checkScreen(page, "the viewer's quote");
    });
  });
});

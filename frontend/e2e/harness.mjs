// The browser end-to-end harness: the real sidecar on a fresh database, the built frontend pointed
// at it, and Debian's chromium driven by playwright-core. Everything it starts it stops, and every
// temp folder it makes it removes, also when a test fails.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, openSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { homedir, tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
/** The frontend package (where `vite build` runs). */
export const FRONTEND = resolve(here, "..");
/** Where screenshots go (git-ignored). */
export const ARTIFACTS = resolve(process.env.E2E_ARTIFACTS || join(here, "artifacts"));

const targetDir = process.env.CARGO_TARGET_DIR || join(homedir(), ".cache/rpma/target");
const SIDECAR = process.env.RPMA_SIDECAR || join(targetDir, "debug/rpma-sidecar");
/** The demo-data loader, built next to the sidecar. */
const SEED = process.env.RPMA_SEED || join(dirname(SIDECAR), "rpma-seed");
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

/** Poll `probe` until it returns a truthy value; throw `what` after `timeoutMs`. */
export async function waitFor(what, probe, timeoutMs = 10_000, intervalMs = 100) {
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
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Run a command to completion; reject with its output when it fails. */
function run(command, args, options) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolvePromise(output) : reject(new Error(`${command} ${args.join(" ")} exited ${code}\n${output}`)),
    );
  });
}

/** Stop a child: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
async function stop(child, graceMs = 3000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** A static server for `root` with the SPA fallback (unknown paths get index.html). */
async function serveStatic(root) {
  const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon", ".json": "application/json", ".woff2": "font/woff2" };
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    let file = join(root, path);
    if (!file.startsWith(root + sep) && file !== root) file = join(root, "index.html");
    const found = await stat(file).then((s) => s.isFile(), () => false);
    if (!found) file = join(root, "index.html");
    res.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream", "Cache-Control": "no-store" });
    createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return server;
}

/**
 * Start the stack: a free port for the page, the sidecar (CORS for that origin), a build of the
 * frontend with `VITE_API_URL` = the sidecar, the static server. `close()` undoes all of it, a
 * restarted sidecar included. `stack.sidecar` stops and restarts the sidecar (see `startSidecar`).
 * With `seed` (`{ clients, tasks, technicians, password }`), `rpma-seed` fills the database with
 * demo data first; its technicians sign in with `password`.
 */
export async function startStack({ seed } = {}) {
  if (!existsSync(SIDECAR)) throw new Error(`no sidecar at ${SIDECAR}: build it (cargo build -p rpma-sidecar) or set RPMA_SIDECAR`);
  if (seed && !existsSync(SEED)) throw new Error(`no rpma-seed at ${SEED}: build it (cargo build -p rpma-sidecar) or set RPMA_SEED`);
  const work = await mkdtemp(join(tmpdir(), "rpma-e2e-"));
  const stack = { work, children: [], servers: [], contexts: [] };
  stack.close = () => closeStack(stack);
  try {
    // The page's port first: the sidecar's CORS origin must name it.
    const server = await serveStatic(join(work, "dist"));
    stack.servers.push(server);
    const appUrl = `http://127.0.0.1:${server.address().port}`;

    const dataDir = join(work, "data");
    mkdirSync(dataDir);
    const logFile = join(work, "sidecar.log");
    const log = openSync(logFile, "a");
    stack.sidecarLog = logFile;
    if (seed) {
      const counts = ["clients", "tasks", "technicians"].flatMap((name) => (seed[name] === undefined ? [] : [`--${name}`, String(seed[name])]));
      await run(SEED, ["--data-dir", dataDir, ...counts, "--password", seed.password], { env: process.env });
    }
    const args = ["--data-dir", dataDir, "--cors-origin", appUrl, "--parent-pid", String(process.pid)];
    stack.sidecar = await startSidecar(stack, args, log);
    stack.apiUrl = `http://${stack.sidecar.addr}`;
    stack.appUrl = appUrl;

    await run("npx", ["vite", "build", "--outDir", join(work, "dist"), "--emptyOutDir", "--logLevel", "warn"], {
      cwd: FRONTEND,
      env: { ...process.env, VITE_API_URL: stack.apiUrl },
    });
    mkdirSync(ARTIFACTS, { recursive: true });
    // Failure pictures of an earlier run would pass for this one's.
    for (const name of await readdir(ARTIFACTS)) if (name.startsWith("FAILED-")) await rm(join(ARTIFACTS, name), { force: true });
    stack.api = restClient(stack.apiUrl);
    stack.newPage = () => newPage(stack);
    return stack;
  } catch (error) {
    await closeStack(stack);
    throw error;
  }
}

/** Spawn the sidecar with `--port <port>` and `args`; resolve `{ child, addr }` at its listening line. */
async function spawnSidecar(stack, port, args, log) {
  const child = spawn(SIDECAR, ["--port", String(port), ...args], { stdio: ["ignore", "pipe", log] });
  // Kept for `closeStack` at once, so a sidecar that never gets to listen is stopped too.
  stack.children.push(child);
  const addr = await new Promise((resolveAddr, reject) => {
    const timer = setTimeout(() => reject(new Error("the sidecar printed no listening line in 30 s")), 30_000);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the sidecar exited ${code ?? signal} before listening`));
    });
    createInterface({ input: child.stdout }).on("line", (line) => {
      try {
        const event = JSON.parse(line);
        if (event.event === "listening") {
          clearTimeout(timer);
          resolveAddr(event.addr);
        }
      } catch {
        // not the listening line
      }
    });
  });
  return { child, addr };
}

/**
 * The sidecar's handle: `addr` (host:port), `process` (the current child), `stop()` (SIGTERM, wait
 * for the exit; resolves `{ code, signal }`) and `restart()` (stop if running, then start again on
 * the same port and data dir, so the built frontend's `VITE_API_URL` still points at it).
 */
async function startSidecar(stack, args, log) {
  const first = await spawnSidecar(stack, 0, args, log);
  const handle = { addr: first.addr, process: first.child };
  const port = Number(new URL(`http://${first.addr}`).port);
  handle.stop = async (graceMs = 10_000) => {
    const child = handle.process;
    if (child.exitCode === null && child.signalCode === null) await stop(child, graceMs);
    return { code: child.exitCode, signal: child.signalCode };
  };
  handle.restart = async (timeoutMs = 20_000) => {
    await handle.stop();
    // The port was free a moment ago; should the new bind still fail (or another process take
    // the port meanwhile), try again until the deadline.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const next = await spawnSidecar(stack, port, args, log);
        if (next.addr !== handle.addr) {
          await stop(next.child);
          throw new Error(`the restarted sidecar listens on ${next.addr}, not ${handle.addr}`);
        }
        handle.process = next.child;
        return handle;
      } catch (error) {
        if (Date.now() > deadline || /listens on/.test(error.message)) throw new Error(`cannot restart the sidecar on ${handle.addr}: ${error.message}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };
  return handle;
}

async function closeStack(stack) {
  for (const context of stack.contexts.splice(0)) await context.close().catch(() => undefined);
  for (const server of stack.servers.splice(0)) {
    server.closeAllConnections?.();
    await new Promise((r) => server.close(r));
  }
  for (const child of stack.children.splice(0)) await stop(child);
  await rm(stack.work, { recursive: true, force: true });
}

let profiles = 0;

/**
 * A fresh chromium (its own `--user-data-dir`, so no session carries over between tests) with one
 * page at the app. Page errors and failed requests are kept on `page.problems` for messages.
 */
async function newPage(stack) {
  const profile = join(stack.work, `chromium-${++profiles}`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  stack.contexts.push(context);
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  page.problems = [];
  page.on("pageerror", (error) => page.problems.push(`page error: ${error.message}`));
  page.on("console", (message) => message.type() === "error" && page.problems.push(`console: ${message.text()}`));
  page.close = async () => {
    stack.contexts.splice(stack.contexts.indexOf(context), 1);
    await context.close();
  };
  return page;
}

/** Save a full-page screenshot as `<name>.png` in the artifacts folder. */
export async function screenshot(page, name) {
  // Let lazy chunks and queries settle, so the picture is the screen and not its spinner.
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await page.locator(".state-loading, [aria-busy='true']").first().waitFor({ state: "detached", timeout: 5000 }).catch(() => undefined);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Sign in through the login page (no 2FA) and wait for the signed-in frame. */
export async function signIn(stack, page, email, password) {
  await page.goto(`${stack.appUrl}/login`);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("signed-in-user").waitFor();
}

/** What chromium logs for the refusals (400, 409) a journey provokes on purpose. */
const REFUSED = /^console: Failed to load resource: the server responded with a status of (400|409) /;

/**
 * Once nothing on the screen is loading any more: no serious axe-core violation, and no page or
 * console error but the refusals a journey provokes on purpose.
 */
export async function checkScreen(page, where) {
  await page.locator("main h1").first().waitFor();
  await page.locator("main .state-loading, main [aria-busy='true']").first().waitFor({ state: "detached", timeout: 15_000 });
  assert.deepEqual(await seriousA11yViolations(page), [], `accessibility of ${where}`);
  assert.deepEqual(page.problems.filter((p) => !REFUSED.test(p)), [], `page errors on ${where}`);
}

/**
 * axe-core's violations of `impact` serious or critical on the page as it is now, as readable
 * lines (`rule: what (n nodes: selector, ...)`); empty when there are none.
 */
export async function seriousA11yViolations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations);
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.length} nodes: ${v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")} ${n.failureSummary?.split("\n").slice(1, 2).join("") ?? ""}`.trim()).join(" | ")}`);
}

/** The sidecar's REST API: `api.call(method, path, { token, body })` → the envelope's data. */
function restClient(baseUrl) {
  const call = async (method, path, { token, body, expect } = {}) => {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(`${baseUrl}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const envelope = await response.json();
    if (expect !== undefined) {
      if (response.status !== expect) throw new Error(`${method} ${path}: expected ${expect}, got ${response.status} ${JSON.stringify(envelope)}`);
      return envelope;
    }
    if (!response.ok || !envelope.success) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(envelope)}`);
    return envelope.data;
  };
  return {
    call,
    login: async (email, password) => {
      const data = await call("POST", "/auth/login", { body: { email, password } });
      if (!data.access_token) throw new Error(`${email} needs a 2FA step`);
      return data.access_token;
    },
  };
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32Decode(text) {
  const clean = text.replace(/[\s=-]/g, "").toUpperCase();
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** The RFC 6238 code (HMAC-SHA1, 30 s steps, 6 digits) of a base32 `secret` for time step `step`. */
export function totp(secret, step = totpStep()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hmac = createHmac("sha1", base32Decode(secret)).update(counter).digest();
  const offset = hmac[hmac.length - 1] & 0x0f;
  const binary = hmac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, "0");
}

/** The current 30 s TOTP step. */
export function totpStep(now = Date.now()) {
  return Math.floor(now / 1000 / 30);
}

/**
 * Run `flow` with a fresh page of `stack`; on failure keep a screenshot (`FAILED-<name>.png`) and
 * add the page's errors and the sidecar's last log lines to the message.
 */
export async function withPage(stack, name, flow) {
  const page = await stack.newPage();
  try {
    await flow(page);
  } catch (error) {
    await page.screenshot({ path: join(ARTIFACTS, `FAILED-${name}.png`), fullPage: true }).catch(() => undefined);
    const log = await readFile(stack.sidecarLog, "utf8").catch(() => "");
    error.message += `\n  at ${page.url()}\n  page problems: ${JSON.stringify(page.problems)}\n  sidecar log (tail):\n${log.split("\n").slice(-15).join("\n")}`;
    throw error;
  } finally {
    await page.close();
  }
}

// The shell's built-in page: backend status, sign-in, and Toggle Maximize through the backend.
const { invoke } = window.__TAURI__.core;
const { listen } = window.__TAURI__.event;

let backendUrl = null;
let token = null;

const $ = (id) => document.getElementById(id);

function say(text, isError = false) {
  $("message").textContent = text;
  $("message").className = isError ? "error" : "";
}

function showStatus(status) {
  $("status").textContent = status.status;
  backendUrl = status.status === "healthy" ? status.url : backendUrl;
  $("url").textContent = backendUrl ?? "";
}

async function api(method, path, body) {
  if (!backendUrl) throw new Error("the backend is not ready yet");
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${backendUrl}/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const envelope = await response.json();
  if (!envelope.success) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.data;
}

$("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const data = await api("POST", "/auth/login", { email: $("email").value, password: $("password").value });
    if (data.requires_2fa) throw new Error("this account uses 2FA; the full app supports it");
    token = data.access_token;
    $("who").textContent = data.user.email;
    $("login").hidden = true;
    $("controls").hidden = false;
    say("");
  } catch (error) {
    say(error.message, true);
  }
});

$("toggle").addEventListener("click", async () => {
  try {
    const state = await api("POST", "/window", { action: "toggle" });
    say(state.maximized ? "Maximized." : "Restored.");
  } catch (error) {
    say(error.message, true);
  }
});

listen("backend://status", (event) => showStatus(event.payload));
invoke("get_backend_info").then((info) => showStatus(info.status));

#!/usr/bin/env bash
# Desktop end-to-end test: the real shell and sidecar under Xvfb with a window manager.
#
#   1. start Xvfb, a session bus and openbox (and check the window manager is up: without one,
#      maximize silently does nothing);
#   2. start rpma-shell; wait until it reports the backend healthy;
#   3. sign in over REST and POST /api/v1/window {"action":"maximize"}: the X11 window must be
#      maximized (_NET_WM_STATE and its width = the screen's); save a screenshot; toggle restores;
#   4. load the demo plant, minimise the window over REST, raise a Critical exception: the window
#      must come back (no _NET_WM_STATE_HIDDEN, viewable) and a notification go out on the bus;
#   5. SIGKILL the shell: the sidecar must be gone within 2 s;
#   6. start again (over the stale socket file); a second launch hands over and exits; SIGTERM the
#      shell: it exits 0 and the sidecar is gone within 2 s.
#   7. scripts/desktop-faults.sh on the same display and bus: the shell ended 20 times (TERM, KILL,
#      tray Quit; during start-up, healthy, during a restart) exits within 5 s and leaves no
#      sidecar; a stale socket file and a taken port give a clean start or a clear message;
#   8. under tauri-driver (WebKitWebDriver), on a fresh data dir: frontend/e2e/desktop.mjs bootstraps
#      an admin through the page, opens Tasks, exports the CSV through the native save dialog
#      (driven with xdotool; the file must hold the CSV), clicks Toggle Maximize (maximized per
#      xprop) and again (restored); ending the session leaves no shell, sidecar or driver.
#   9. a team server (a sidecar with no shell) and a fresh desk: frontend/e2e/desktop-team.mjs
#      attaches the desk from its first page, signs in a technician, and a task assigned to them
#      through the team server's API raises that desktop's notification on the session bus; with
#      the team server stopped, the desk started again says so and switches back to this computer.
#
# Usage: desktop-e2e.sh TARGET_DIR   (where rpma-shell and rpma-sidecar are built)
# Env: E2E_ARTIFACTS (screenshots), TAURI_DRIVER_PORT (4444; tauri-driver also takes the next one)
set -euo pipefail

bin_dir=${1:?usage: desktop-e2e.sh TARGET_DIR}
artifacts=${E2E_ARTIFACTS:-$bin_dir/e2e}
mkdir -p "$artifacts"
work=$(mktemp -d)
screen_w=1280
screen_h=800
pids=()
log=""

cleanup() {
  # Wait for each to exit: a dying Xvfb still holds its display for the next run.
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  pkill -f "rpma-sidecar .*--data-dir $work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "desktop-e2e: FAIL: $*" >&2
  for f in "$log" "$work/shell.out" "$work/openbox.log" "$work/xvfb.log"; do [ -n "$f" ] && [ -f "$f" ] && { echo "--- $f" >&2; tail -n 30 "$f" >&2; }; done
  exit 1
}
step() { echo "desktop-e2e: $*"; }

# until_true DEADLINE CMD..., gone PID
. "$(dirname "$0")/lib-poll.sh"

# --- display, bus, window manager -------------------------------------------------------------
# Xvfb picks a free display and writes its number to fd 3.
# -noreset: otherwise the server resets when its last client (the readiness probe) disconnects,
# and a client connecting during the reset (openbox) fails.
Xvfb -displayfd 3 -noreset -screen 0 "${screen_w}x${screen_h}x24" -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
pids+=($!)
until_true 10 test -s "$work/display" || fail "Xvfb did not start"
export DISPLAY=":$(cat "$work/display")"
until_true 10 xdpyinfo || fail "Xvfb does not answer on $DISPLAY"

eval "$(dbus-launch --sh-syntax)"
pids+=("$DBUS_SESSION_BUS_PID")

openbox >"$work/openbox.log" 2>&1 &
pids+=($!)
until_true 20 sh -c 'wmctrl -m | grep -qi openbox' || fail "the window manager is not up (maximize would do nothing)"
step "Xvfb $DISPLAY ${screen_w}x${screen_h}, openbox running"

# --- the app, with its folders and socket in the work dir ---------------------------------------
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
export XDG_RUNTIME_DIR="$work/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
data="$XDG_DATA_HOME/com.rpma.desktop"
log="$data/logs/shell.log"

start_shell() {
  "$bin_dir/rpma-shell" >>"$work/shell.out" 2>&1 &
  shell_pid=$!
  pids+=("$shell_pid")
  until_true 60 grep -q "backend healthy" "$log" || fail "the backend did not become healthy"
  api=$(grep -o 'url=http://[0-9.:]*' "$log" | tail -n 1 | cut -d= -f2)/api/v1
  sidecar_pid=$(pgrep -f "rpma-sidecar --port 0 --data-dir $data" | head -n 1)
  [ -n "$sidecar_pid" ] || fail "no sidecar process"
}

started=$(date +%s%N)
# A data dir left readable by others (a loose umask, a copy) is narrowed at start.
mkdir -p "$data" && chmod 755 "$data"
start_shell
step "shell $shell_pid, sidecar $sidecar_pid at $api (healthy after $(( ($(date +%s%N) - started) / 1000000 )) ms)"
for dir in "$data" "$data/logs"; do
  [ "$(stat -c %a "$dir")" = 700 ] || fail "$dir is $(stat -c %a "$dir"), not 700"
done
for file in rpma.db rpma.db-wal secret.key; do
  [ "$(stat -c %a "$data/$file")" = 600 ] || fail "$data/$file is $(stat -c %a "$data/$file"), not 600"
done
step "data dir and log dir 700; database, WAL and key 600"

# --- sign in and drive the window through REST → socket → shell --------------------------------
curl -sf -X POST "$api/auth/bootstrap-admin" -H 'Content-Type: application/json' \
  -d '{"email":"e2e@example.com","username":"e2e","first_name":"End","last_name":"Toend","password":"E2etest123"}' >/dev/null \
  || fail "bootstrap"
token=$(curl -sf -X POST "$api/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"e2e@example.com","password":"E2etest123"}' | jq -r .data.access_token)
[ -n "$token" ] && [ "$token" != null ] || fail "login"

window=$(xdotool search --name '^RPMA$' | head -n 1)
[ -n "$window" ] || fail "no RPMA window"

maximized() { xprop -id "$window" _NET_WM_STATE | grep -q _NET_WM_STATE_MAXIMIZED_VERT && xprop -id "$window" _NET_WM_STATE | grep -q _NET_WM_STATE_MAXIMIZED_HORZ; }
width() { wmctrl -lG | awk -v id="$(printf '0x%08x' "$window")" '$1 == id { print $5 }'; }
window_action() {
  curl -sf -X POST "$api/window" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "{\"action\":\"$1\"}"
}

maximized && fail "the window starts maximized"
reply=$(window_action maximize) || fail "POST /window maximize"
[ "$(jq -r .data.maximized <<<"$reply")" = true ] || fail "the API says not maximized: $reply"
until_true 5 maximized || fail "_NET_WM_STATE is not maximized"
[ "$(width)" = "$screen_w" ] || fail "maximized width $(width) != screen width $screen_w"
# Wait for the page to paint: the content area (below the title bar) of a blank window has a
# colour or two, the page's text many.
painted() {
  import -window root "$artifacts/desktop-maximized.png" &&
    [ "$(convert "$artifacts/desktop-maximized.png" -crop "${screen_w}x$((screen_h - 100))+0+60" -format %k info:)" -gt 20 ]
}
until_true 10 painted || fail "the page did not paint"
step "maximized: _NET_WM_STATE maximized, width $(width) = screen; screenshot $artifacts/desktop-maximized.png"

reply=$(window_action toggle) || fail "POST /window toggle"
until_true 5 sh -c "! xprop -id $window _NET_WM_STATE | grep -q MAXIMIZED" || fail "toggle did not restore"
[ "$(width)" -lt "$screen_w" ] || fail "restored width $(width) is still the screen's"
[ "$(jq -r .data.maximized <<<"$reply")" = false ] || fail "the API says still maximized: $reply"
step "toggle restored the window (width $(width))"

# --- a Critical plant exception brings the minimised window back ---------------------------------
# Raised through the API: the sidecar asks the shell (over its socket) for a notification, which
# must go out on the session bus to the desktop's notification service, and for the window, which
# must come back from minimised.
dbus-monitor --session "interface='org.freedesktop.Notifications',member='Notify'" >"$work/notify.log" 2>&1 &
pids+=($!)
hidden() { xprop -id "$window" _NET_WM_STATE | grep -q _NET_WM_STATE_HIDDEN; }
curl -sf -X POST "$api/ops/demo" -H "Authorization: Bearer $token" >/dev/null || fail "POST /ops/demo"
window_action minimize >/dev/null || fail "POST /window minimize"
until_true 5 hidden || fail "minimize did not hide the window: $(xprop -id "$window" _NET_WM_STATE)"
step "minimised: $(xprop -id "$window" _NET_WM_STATE)"
raised=$(curl -sf -X POST "$api/ops/exceptions" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"type":"Quality Deviation","runbookId":"dispatch","stageId":"dsp-02","severity":"Critical","owner":"QA Lead","description":"Seal torque out of band on the dispatch line."}') \
  || fail "POST /ops/exceptions"
exception=$(jq -r .data.id <<<"$raised")
until_true 5 sh -c '! xprop -id "$1" _NET_WM_STATE | grep -q _NET_WM_STATE_HIDDEN' _ "$window" \
  || fail "the Critical exception $exception did not bring the window back: $(xprop -id "$window" _NET_WM_STATE)"
xwininfo -id "$window" | grep -q 'Map State: IsViewable' || fail "the window is not viewable after the exception"
until_true 5 grep -q "Critical exception $exception" "$work/notify.log" \
  || fail "no desktop notification for $exception on the session bus: $(cat "$work/notify.log")"
import -window root "$artifacts/desktop-critical-exception.png"
step "Critical exception $exception: window back ($(xprop -id "$window" _NET_WM_STATE)), notification sent on the session bus; screenshot $artifacts/desktop-critical-exception.png"

# --- SIGKILL of the shell leaves no sidecar -------------------------------------------------------
kill -KILL "$shell_pid"
until_true 2 gone "$sidecar_pid" || fail "sidecar $sidecar_pid outlived the killed shell by 2 s"
step "SIGKILL shell: sidecar gone"

# --- again over the stale socket; SIGTERM exits cleanly ------------------------------------------
# The single-instance plugin owns a D-Bus name; a new shell that finds it still taken hands over to
# the (dead) owner and exits. Wait until the bus has noticed the killed shell is gone.
name_released() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:com.rpma.desktop.SingleInstance | grep -q 'boolean false'
}
until_true 5 name_released || fail "the killed shell's single-instance name is still owned"
[ -S "$XDG_RUNTIME_DIR/rpma/shell.sock" ] && step "stale socket left by the killed shell"
: >"$log"
start_shell
step "restarted: shell $shell_pid, sidecar $sidecar_pid"

# A second launch hands over to the running instance and exits; one window, one sidecar.
timeout 20 "$bin_dir/rpma-shell" >>"$work/shell.out" 2>&1 || fail "the second launch did not exit cleanly"
gone "$shell_pid" && fail "the first instance died when a second was launched"
[ "$(xdotool search --name '^RPMA$' | wc -l)" = 1 ] || fail "more than one RPMA window"
[ "$(pgrep -fc "rpma-sidecar --port 0 --data-dir $data")" = 1 ] || fail "more than one sidecar"
step "second launch handed over to the first and exited"
kill -TERM "$shell_pid"
until_true 5 gone "$shell_pid" || fail "the shell ignored SIGTERM"
wait "$shell_pid" && code=0 || code=$?
[ "$code" = 0 ] || fail "the shell exited with $code after SIGTERM"
until_true 2 gone "$sidecar_pid" || fail "sidecar $sidecar_pid outlived the shell's SIGTERM by 2 s"
step "SIGTERM shell: exit 0, sidecar gone"

# --- faults: ending the shell every way at every moment, stale socket, taken port ----------------
"$(dirname "$0")/desktop-faults.sh" "$bin_dir" || fail "the fault tests failed"

# --- the page itself, through tauri-driver (WebKitWebDriver) -------------------------------------
# A first run in a data dir of its own: frontend/e2e/desktop.mjs bootstraps an admin through the
# UI, opens Tasks, saves the CSV export through the native save dialog, and clicks Toggle Maximize
# (page → sidecar → socket → shell); it checks the X11 window with xprop. Ending the WebDriver session closes the app: nothing may be left running.
command -v tauri-driver >/dev/null || fail "tauri-driver is not installed (cargo install tauri-driver --locked)"
command -v WebKitWebDriver >/dev/null || fail "WebKitWebDriver is not installed (Debian package webkit2gtk-driver)"
command -v node >/dev/null || fail "node is not installed"
repo=$(cd "$(dirname "$0")/.." && pwd)
driver_port=${TAURI_DRIVER_PORT:-4444}
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$driver_port" $((driver_port + 1)); do
  listening "$p" && fail "port $p is taken (set TAURI_DRIVER_PORT; tauri-driver also uses the next port)"
done
export XDG_DATA_HOME="$work/webdriver-data"
data="$XDG_DATA_HOME/com.rpma.desktop"
log="$data/logs/shell.log"
# This run's shell and sidecar: found by the data dir in their environment, not by name (other
# runs on the machine have their own).
app_pids() {
  local dir pid
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    case "$(cat "$dir/comm" 2>/dev/null)" in rpma-shell | rpma-sidecar) ;; *) continue ;; esac
    tr '\0' '\n' 2>/dev/null <"$dir/environ" | grep -qx "XDG_DATA_HOME=$XDG_DATA_HOME" && echo "$pid"
  done
}
wd_fail() {
  [ -f "$work/tauri-driver.log" ] && { echo "--- $work/tauri-driver.log" >&2; tail -n 30 "$work/tauri-driver.log" >&2; }
  fail "$@"
}
# tauri-driver starts the app with its own environment: one driver per desk (XDG dirs).
start_driver() {
  tauri-driver --port "$driver_port" --native-port $((driver_port + 1)) >>"$work/tauri-driver.log" 2>&1 &
  driver_pid=$!
  pids+=("$driver_pid")
  until_true 10 listening "$driver_port" || wd_fail "tauri-driver does not listen on $driver_port"
  step "tauri-driver $driver_pid on 127.0.0.1:$driver_port"
}
start_driver
started=$(date +%s%N)
E2E_ARTIFACTS="$artifacts" TAURI_DRIVER_PORT="$driver_port" node "$repo/frontend/e2e/desktop.mjs" "$bin_dir/rpma-shell" \
  || wd_fail "the WebDriver test of the page failed"
step "WebDriver test passed in $(( ($(date +%s%N) - started) / 1000000 )) ms; screenshots in $artifacts"
app_gone() { [ -z "$(app_pids)" ]; }
until_true 10 app_gone || wd_fail "the app outlived its WebDriver session: $(app_pids | tr '\n' ' ')"

# Stop tauri-driver and its WebKitWebDriver.
stop_driver() {
  local native_pids
  native_pids=$(pgrep -P "$driver_pid" || true)
  kill -TERM "$driver_pid"
  until_true 5 gone "$driver_pid" || wd_fail "tauri-driver ignored SIGTERM"
  for pid in $native_pids; do until_true 5 gone "$pid" || wd_fail "WebKitWebDriver $pid outlived tauri-driver"; done
}
stop_driver
step "session ended: no shell, no sidecar, no driver left"

# --- a desk attached to a team server ------------------------------------------------------------
# The team server is a sidecar with no shell (on SQLite here: the database does not matter to the
# path), with an admin and a technician. A fresh desk (data and config dirs of its own) is pointed
# at it from its first page; the technician signs in there, and a task assigned to them through the
# team server's API must raise this desktop's notification (frontend/e2e/desktop-team.mjs).
team_dir="$work/team-server"
mkdir -p "$team_dir"
XDG_DATA_HOME="$team_dir" "$bin_dir/rpma-sidecar" --port 0 --data-dir "$team_dir" >"$work/team.out" 2>"$work/team.log" &
team_pid=$!
pids+=("$team_pid")
until_true 20 grep -q '"listening"' "$work/team.out" || { log="$work/team.log"; wd_fail "the team server did not start"; }
team_url="http://$(jq -r 'select(.event == "listening") | .addr' "$work/team.out" | head -n 1)"
team_api="$team_url/api/v1"
curl -sf -X POST "$team_api/auth/bootstrap-admin" -H 'Content-Type: application/json' \
  -d '{"email":"boss@example.com","username":"boss","first_name":"Team","last_name":"Boss","password":"Teamboss123"}' >/dev/null \
  || wd_fail "bootstrap on the team server"
team_token=$(curl -sf -X POST "$team_api/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"boss@example.com","password":"Teamboss123"}' | jq -r .data.access_token)
tech_id=$(curl -sf -X POST "$team_api/users" -H "Authorization: Bearer $team_token" -H 'Content-Type: application/json' \
  -d '{"email":"tech@example.com","username":"tech","first_name":"Tess","last_name":"Tech","password":"Techtech123","role":"technician"}' | jq -r .data.id)
[ -n "$tech_id" ] && [ "$tech_id" != null ] || wd_fail "no technician on the team server"
step "team server $team_pid at $team_url: admin and technician $tech_id"
export XDG_DATA_HOME="$work/team-desk-data" XDG_CONFIG_HOME="$work/team-desk-config"
data="$XDG_DATA_HOME/com.rpma.desktop"
log="$data/logs/shell.log"
for p in "$driver_port" $((driver_port + 1)); do
  until_true 5 bash -c '! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null' _ "$p" || wd_fail "port $p is still taken"
done
start_driver
started=$(date +%s%N)
E2E_ARTIFACTS="$artifacts" TAURI_DRIVER_PORT="$driver_port" TEAM_URL="$team_url" TEAM_TOKEN="$team_token" \
  TECH_ID="$tech_id" TECH_EMAIL=tech@example.com TECH_PASSWORD=Techtech123 NOTIFY_LOG="$work/notify.log" DESK_DATA="$data" \
  TEAM_PID="$team_pid" \
  node "$repo/frontend/e2e/desktop-team.mjs" "$bin_dir/rpma-shell" \
  || wd_fail "the team server journey failed"
grep -q "attaching to a team server" "$log" || wd_fail "the shell's log does not say it attached"
# It ended back on this computer (step 4 of desktop-team.mjs), and that is what is saved.
[ "$(jq -r .mode "$XDG_CONFIG_HOME/com.rpma.desktop/connection.json")" = this_computer ] || wd_fail "the connection back to this computer was not saved"
step "team server journey passed in $(( ($(date +%s%N) - started) / 1000000 )) ms"
until_true 10 app_gone || wd_fail "the attached app outlived its WebDriver session: $(app_pids | tr '\n' ' ')"
stop_driver
step "PASS"

#!/usr/bin/env bash
# Desktop fault tests: the real shell and sidecar on a running X display and session bus
# (desktop-e2e.sh calls this with its Xvfb + openbox, so one display serves both).
#
#   1. the shell is ended 20 times in a row, by SIGTERM, SIGKILL and the tray's Quit item, each at
#      three moments: during start-up, while healthy, and just after a sidecar crash (kill -9 of
#      the sidecar, then the end while the shell restarts it). Each time the shell is gone within
#      5 s (exit 0 for TERM and Quit), and no sidecar is left behind.
#      A frozen sidecar (SIGSTOP) is killed when the shell's grace period ends: exit 0 within 3 s.
#   2. a stale socket file at the socket path: the shell removes it and serves its socket API.
#   3. no XDG_RUNTIME_DIR, and <temp>/rpma-<uid> a symbolic link to a folder anyone can write: the
#      shell refuses it, says so, and serves from a fresh private folder it removes at exit;
#   4. the port of a standalone sidecar already taken: it exits 1 at once with a message that
#      names the port and the way out.
#
# Tray Quit is the real menu item: the tray publishes its menu on the session bus
# (com.canonical.dbusmenu, as every StatusNotifier panel reads it), and the test sends the item
# the same "clicked" event a panel sends when the user clicks Quit (gdbus, of libglib2.0-bin).
#
# Start-up and restart last ~0.2 s, too short to aim at, so for those moments the sidecar is
# started through a wrapper that waits FAULT_SIDECAR_DELAY seconds (default 1.5) before it execs
# the real binary: "during start-up" and "during the restart" are then wide windows. The wrapper
# can also end the shell itself the instant the sidecar announces its address (see below): the
# moment where the old exit handler deadlocked with the supervisor's "healthy" update.
#
# Usage: desktop-faults.sh TARGET_DIR   (needs DISPLAY and DBUS_SESSION_BUS_ADDRESS)
set -euo pipefail

bin_dir=${1:?usage: desktop-faults.sh TARGET_DIR}
: "${DISPLAY:?no X display}" "${DBUS_SESSION_BUS_ADDRESS:?no session bus}"
delay=${FAULT_SIDECAR_DELAY:-1.5}
runs=${FAULT_RUNS:-20}
work=$(mktemp -d)
shell_pid=""

cleanup() {
  [ -n "$shell_pid" ] && kill -KILL "$shell_pid" 2>/dev/null || true
  for pid in $(app_pids); do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "desktop-faults: FAIL: $*" >&2
  for f in "$log" "$work/shell.out"; do [ -f "$f" ] && { echo "--- $f" >&2; tail -n 30 "$f" >&2; }; done
  exit 1
}
step() { echo "desktop-faults: $*"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# until_true DEADLINE CMD..., gone PID
. "$(dirname "$0")/lib-poll.sh"

export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
export XDG_RUNTIME_DIR="$work/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
socket="$XDG_RUNTIME_DIR/rpma/shell.sock"
data="$XDG_DATA_HOME/com.rpma.desktop"
log="$data/logs/shell.log"

# The slow-starting sidecar: from the Mth start on it waits, then it execs the real binary (same
# pid: the shell supervises the real thing), its output passing through a reader that, when
# $work/end says "N WAY M", ends the shell (SIGTERM, SIGKILL or the tray's Quit, from $work/menu) the instant the Nth sidecar
# announces its address: the shell gets the line and the end together, while its supervisor is
# about to report the backend healthy (the moment the UI thread used to deadlock).
slow="$work/slow-sidecar"
cat >"$slow" <<WRAPPER
#!/bin/bash
shell=\$PPID
n=\$(( \$(cat "$work/starts" 2>/dev/null || echo 0) + 1 )); echo "\$n" >"$work/starts"
read -r at way slow_from <"$work/end" || at=0
[ "\$n" -lt "\${slow_from:-1}" ] || sleep $delay
exec $(printf %q "$bin_dir/rpma-sidecar") "\$@" > >(
  while IFS= read -r line; do
    printf '%s\\n' "\$line"
    if [ "\$n" = "\$at" ] && [[ \$line == *'"listening"'* ]]; then
      date +%s%N >"$work/ended"
      if [ "\$way" = QUIT ]; then
        for _ in \$(seq 100); do [ -s "$work/menu" ] && break; sleep 0.05; done
        read -r name path id <"$work/menu"
        gdbus call --session --dest "\$name" --object-path "\$path" \\
          --method com.canonical.dbusmenu.Event -- "\$id" clicked '<int32 0>' 0 >/dev/null
      else
        kill -"\$way" "\$shell"
      fi
    fi
  done)
WRAPPER
chmod +x "$slow"

# This test's shell, sidecars and wrappers: found by the data dir in their environment.
app_pids() {
  local pid env
  for pid in $(pgrep -x rpma-shell; pgrep -x rpma-sidecar; pgrep -x slow-sidecar); do
    gone "$pid" && continue
    # An environment that cannot be read (a process in the middle of exec) counts as ours.
    env=$(tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ") || { gone "$pid" || echo "$pid"; continue; }
    grep -qx "XDG_DATA_HOME=$XDG_DATA_HOME" <<<"$env" && echo "$pid"
  done
  return 0
}
sidecar_pids() {
  local pid
  for pid in $(app_pids); do [ "$pid" != "$shell_pid" ] && echo "$pid"; done
  return 0
}
one_sidecar() { [ -n "$(sidecar_pids)" ]; }
in_log() { grep -q "$1" "$log"; }
# The single-instance name of the last shell is free again (a new shell would hand over to it).
name_released() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:com.rpma.desktop.SingleInstance | grep -q 'boolean false'
}

start_shell() { # [sidecar binary]
  until_true 5 name_released || fail "the last shell's single-instance name is still owned"
  mkdir -p "$(dirname "$log")" && : >"$log"
  rm -f "$work/shell.pid" "$work/shell.code"
  # In a subshell that records the exit status: bash prints no job notice for a killed shell.
  (
    RPMA_SIDECAR_BIN=${1:-$bin_dir/rpma-sidecar} "$bin_dir/rpma-shell" >>"$work/shell.out" 2>&1 &
    echo $! >"$work/shell.pid"
    { wait $!; } 2>/dev/null && echo 0 >"$work/shell.code" || echo $? >"$work/shell.code"
  ) &
  until_true 5 test -s "$work/shell.pid" || fail "the shell did not start"
  shell_pid=$(cat "$work/shell.pid")
}

# The tray menu on the bus: "<connection> <object path> <Quit item id>" of this shell.
bus() { gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus --method "org.freedesktop.DBus.$1" "${@:2}"; }
tray_menu() {
  local name path id
  for name in $(bus ListNames | grep -o "':[0-9.]*'" | tr -d "'"); do
    [ "$(bus GetConnectionUnixProcessID "$name" 2>/dev/null | grep -o ' [0-9]*' | tr -d ' ')" = "$shell_pid" ] || continue
    path=$(timeout 2 gdbus introspect --session --dest "$name" --object-path / --recurse 2>/dev/null |
      grep -o -m1 'node /[^ ]*/Menu\b' | cut -d' ' -f2) || continue
    id=$(timeout 2 gdbus call --session --dest "$name" --object-path "$path" \
      --method com.canonical.dbusmenu.GetLayout -- 0 -1 "['label']" 2>/dev/null |
      grep -o "(\([0-9]*\), {'label': <'Quit'>}" | grep -o '^([0-9]*' | tr -d '(') || continue
    [ -n "$id" ] && { echo "$name $path $id"; return 0; }
  done
  return 1
}
# Click Quit in the menu found by tray_menu (saved in $work/menu by the run).
click_quit() {
  local menu
  menu=$(cat "$work/menu") || return 1
  set -- $menu
  gdbus call --session --dest "$1" --object-path "$2" \
    --method com.canonical.dbusmenu.Event -- "$3" clicked '<int32 0>' 0 >/dev/null
}

# --- 1. ended 20 times in a row -----------------------------------------------------------------
# Start-up and restart: in the first round (and runs 19, 20) the wrapper ends the shell the
# instant the sidecar announces its address (the first one, or the one after the crash); in the
# second round the test ends it while the wrapper waits (start-up) or during the back-off
# (restart, TERM and KILL) or once the new sidecar is starting (restart, Quit).
ways=(TERM KILL QUIT)
moments=(start-up healthy restart)
worst=0
for run in $(seq 1 "$runs"); do
  combo=$(( (run - 1) % 9 ))
  way=${ways[combo % 3]}
  moment=${moments[combo / 3]}
  on_announce=""
  [ "$moment" != healthy ] && [ $(( (run - 1) / 9 % 2 )) = 0 ] && on_announce=1
  rm -f "$work/ended" "$work/menu" "$work/starts"
  # Slow from the start that matters: the first, or the one after the crash.
  first=$([ "$moment" = restart ] && echo 2 || echo 1)
  if [ -n "$on_announce" ]; then
    echo "$first $way $first" >"$work/end"
  else
    echo "0 none $first" >"$work/end"
  fi
  if [ "$moment" = healthy ]; then start_shell; else start_shell "$slow"; fi
  if [ "$way" = QUIT ]; then
    save_menu() { tray_menu >"$work/menu.new" && mv "$work/menu.new" "$work/menu"; }
    until_true 20 save_menu || fail "run $run: no tray menu on the session bus"
  fi
  when=$moment
  case $moment in
    start-up)
      if [ -n "$on_announce" ]; then
        when="start-up (as the sidecar announces itself)"
      else
        until_true 20 one_sidecar || fail "run $run: no sidecar was started"
        in_log "backend healthy" && fail "run $run: the backend was already healthy"
      fi
      ;;
    healthy)
      until_true 30 in_log "backend healthy" || fail "run $run: the backend did not become healthy"
      ;;
    restart)
      until_true 30 in_log "backend healthy" || fail "run $run: the backend did not become healthy"
      crashed=$(sidecar_pids)
      kill -KILL $crashed
      until_true 10 in_log 'status="restarting"' || fail "run $run: the crash of sidecar $crashed was not noticed"
      if [ -n "$on_announce" ]; then
        when="restart (as the new sidecar announces itself)"
      elif [ "$way" = QUIT ]; then
        new_sidecar() { [ -n "$(sidecar_pids)" ] && [ "$(sidecar_pids)" != "$crashed" ]; }
        until_true 10 new_sidecar || fail "run $run: no new sidecar after the crash"
      fi
      ;;
  esac
  left=$(sidecar_pids | tr '\n' ' ')
  if [ -n "$on_announce" ]; then
    until_true 30 test -s "$work/ended" || fail "run $run: the sidecar did not announce itself"
    started=$(( $(cat "$work/ended") / 1000000 ))
    left=$(sidecar_pids | tr '\n' ' ')
    # Reaped at once, so bash has no "Killed" job notice to print.
  else
    started=$(now_ms)
    case $way in
      TERM) kill -TERM "$shell_pid" ;;
      KILL) kill -KILL "$shell_pid" ;;
      QUIT) click_quit || fail "run $run: cannot click Quit in the tray menu" ;;
    esac
  fi
  until_true 5 gone "$shell_pid" || fail "run $run ($way during $when): the shell did not exit within 5 s"
  took=$(( $(now_ms) - started ))
  until_true 5 test -s "$work/shell.code" || fail "run $run: no exit status"
  code=$(cat "$work/shell.code")
  if [ "$way" != KILL ] && [ "$code" != 0 ]; then fail "run $run ($way during $when): exit code $code"; fi
  no_app() { [ -z "$(app_pids)" ]; }
  until_true 5 no_app || fail "run $run ($way during $when): left behind: $(app_pids | tr '\n' ' ')"
  gone_ms=$(( $(now_ms) - started ))
  [ "$gone_ms" -gt "$worst" ] && worst=$gone_ms
  step "run $run: $way during $when: shell exited ($code) in $took ms, sidecar(s) ${left:-none} gone in $gone_ms ms"
  shell_pid=""
done
step "ended $runs times: nothing left behind, slowest $worst ms"

# --- 1b. a frozen sidecar (SIGSTOP: it cannot act on SIGTERM) ----------------------------------
start_shell
until_true 30 in_log "backend healthy" || fail "the backend did not become healthy"
frozen=$(sidecar_pids)
kill -STOP $frozen
started=$(now_ms)
kill -TERM "$shell_pid"
until_true 5 gone "$shell_pid" || fail "the shell did not exit within 5 s with a frozen sidecar"
took=$(( $(now_ms) - started ))
until_true 5 test -s "$work/shell.code" && [ "$(cat "$work/shell.code")" = 0 ] || fail "exit status $(cat "$work/shell.code")"
no_app() { [ -z "$(app_pids)" ]; }
until_true 5 no_app || fail "left behind by the frozen sidecar's shell: $(app_pids | tr '\n' ' ')"
in_log "did not stop in time; killing the sidecar" || fail "the frozen sidecar was not reported"
shell_pid=""
step "frozen sidecar: TERM of the shell killed it after the grace period; exit 0 in $took ms"

# --- 2. a stale socket file ---------------------------------------------------------------------
mkdir -p "$(dirname "$socket")" && chmod 700 "$(dirname "$socket")"
rm -f "$socket"
python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$socket"
[ -S "$socket" ] || fail "no stale socket file to start over"
start_shell
until_true 30 in_log "backend healthy" || fail "no healthy start over a stale socket file"
in_log "removing a stale socket file" || fail "the stale socket file was not reported"
reply=$(curl -s --unix-socket "$socket" http://rpma-shell/health) || fail "nothing serves $socket"
[ "$(jq -r .error.code <<<"$reply")" = AUTH_ERROR ] || fail "the shell does not serve $socket: $reply"
[ "$(stat -c %a "$socket")" = 600 ] || fail "socket mode $(stat -c %a "$socket"), not 600"
kill -TERM "$shell_pid"
until_true 5 gone "$shell_pid" || fail "the shell did not exit within 5 s"
[ ! -e "$socket" ] || fail "the shell left its socket $socket behind"
shell_pid=""
step "stale socket file: removed, the shell serves $socket (0600)"

# --- 3. no XDG_RUNTIME_DIR, and the socket folder in the temp folder is not ours ----------------
tmp="$work/tmp"
mkdir -p "$tmp/elsewhere" && chmod 777 "$tmp/elsewhere"
ln -s "$tmp/elsewhere" "$tmp/rpma-$(id -u)"
: >"$log"
TMPDIR=$tmp XDG_RUNTIME_DIR= start_shell
until_true 30 in_log "backend healthy" || fail "no healthy start beside a foreign socket folder"
in_log "refusing the socket folder $tmp/rpma-$(id -u): it is a symbolic link" || fail "the foreign socket folder was not reported"
private=$(grep -o 'socket API listening path=[^ ]*' "$log" | cut -d= -f2)
case $private in "$tmp/rpma-$(id -u)-"*/shell.sock) ;; *) fail "served at $private, not in a fresh private folder" ;; esac
[ "$(stat -c %a "$(dirname "$private")")" = 700 ] && [ "$(stat -c %a "$private")" = 600 ] || fail "$private is not private"
[ -z "$(ls -A "$tmp/elsewhere")" ] || fail "something was put in the foreign folder"
reply=$(curl -s --unix-socket "$private" http://rpma-shell/health) || fail "nothing serves $private"
[ "$(jq -r .error.code <<<"$reply")" = AUTH_ERROR ] || fail "the shell does not serve $private: $reply"
tr '\0' '\n' <"/proc/$(sidecar_pids | head -n 1)/cmdline" | grep -qx "$private" || fail "the sidecar was not given $private"
kill -TERM "$shell_pid"
until_true 5 gone "$shell_pid" || fail "the shell did not exit within 5 s"
[ ! -e "$private" ] || fail "the socket $private was left behind"
[ ! -e "$(dirname "$private")" ] || fail "the private folder $(dirname "$private") was left behind"
shell_pid=""
step "socket folder a symbolic link: refused; served from $(dirname "$private") (0700, socket 0600) and removed at exit"

# --- 4. the sidecar's port already taken --------------------------------------------------------
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1], flush=True); time.sleep(60)' >"$work/port" &
holder=$!
until_true 5 test -s "$work/port" || fail "cannot take a port"
port=$(cat "$work/port")
code=0
timeout 20 "$bin_dir/rpma-sidecar" --port "$port" --data-dir "$work/standalone" >"$work/standalone.out" 2>&1 || code=$?
kill "$holder"
[ "$code" = 1 ] || fail "the sidecar on a taken port exited with $code, not 1: $(cat "$work/standalone.out")"
grep -q "port $port .*already in use" "$work/standalone.out" || fail "unclear message: $(cat "$work/standalone.out")"
step "port $port taken: the sidecar exits 1: $(grep -m1 '^rpma-sidecar:' "$work/standalone.out")"
step "PASS"

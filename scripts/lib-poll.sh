# Polling helpers of the desktop test scripts (sourced by desktop-e2e.sh and desktop-faults.sh).

# Poll a command until it succeeds or the deadline (seconds) passes.
until_true() {
  local deadline=$1; shift
  local end=$(( $(date +%s%N) + deadline * 1000000000 ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s%N)" -lt "$end" ] || return 1
    sleep 0.05
  done
}

# Whether a process is gone (or only a zombie nobody reaped yet).
gone() { ! [ -e "/proc/$1" ] || grep -q '^State:[[:space:]]*[ZX]' "/proc/$1/status" 2>/dev/null; }

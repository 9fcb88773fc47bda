#!/usr/bin/env bash
# Debian's tmux on evshim, both ways (LD_PRELOAD and LD_LIBRARY_PATH): a detached server on a
# private socket with -f /dev/null, a shell in a pane, send-keys/capture-pane round trips,
# 20,000 lines of output kept in the history, split panes, panes exiting (SIGCHLD), a client
# attached on a pseudo-terminal and detached, kill-server. tmux's server and every client
# command run with the same environment, so both sides are on evshim.
# Needs bufferevents (issue 6): listed in REAL_PENDING in the Makefile until then, and run
# against Debian's libevent by `make real-programs-pending` (EVSHIM_REAL=libevent).
source "$(dirname "$0")/lib.sh"
real_need tmux python3
real_verdict tmux
tmp=$(mktemp -d)
sock=
cleanup() {
  [ -z "$sock" ] || env $(real_env "$mode") tmux -S "$sock" kill-server 2> /dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
t() { env $(real_env "$mode") SHELL=/bin/sh PS1='$ ' ENV= tmux -S "$sock" "$@"; }
# wait_for TARGET WORD: poll the pane (10 s) until a line is WORD, alone or after the shell's
# prompt (keys typed before the prompt appears are echoed first, the output follows it).
wait_for() {
  local i
  for i in $(seq 200); do
    t capture-pane -p -t "$1" -S - | grep -qE -- "(^|[#\$] )$2\$" && return 0
    sleep 0.05
  done
  echo "--- pane $1:"; t capture-pane -p -t "$1" | tail -15
  real_fail "pane $1 never showed '$2' ($mode)"
}
for mode in $(real_modes); do
  sock=$tmp/sock-$mode
  t -f /dev/null new-session -d -s evshim -x 120 -y 40 \
    || real_fail "the tmux server did not start ($mode); evshim-check says: $("$real_root/build/bin/evshim-check" "$(command -v tmux)" | head -1)"
  server=$(t display-message -p '#{pid}')
  real_check_maps "$server" "$mode"
  t set-option -g history-limit 30000
  t set-option -g remain-on-exit off

  # Round trips: typed text goes through the server to the shell, its output comes back.
  for i in $(seq 1 20); do
    t send-keys -t evshim:0.0 "echo r\$(( $i * 7 ))x" Enter
    wait_for evshim:0.0 "r$((i * 7))x"
  done

  # A second pane (created after the history limit was raised): 20,000 lines of output.
  t split-window -h -t evshim:0
  t send-keys -t evshim:0.1 "seq -f n%g 1 20000; echo seq-done" Enter
  wait_for evshim:0.1 seq-done
  t capture-pane -p -t evshim:0.1 -S - -E - | sed -n 's/^\(.* \)\{0,1\}n\([0-9][0-9]*\)$/\2/p' > "$tmp/seq.$mode"
  seq 1 20000 | cmp -s - "$tmp/seq.$mode" || { seq 1 20000 | diff - "$tmp/seq.$mode" | head -5; real_fail "the pane's history is not 1..20000 ($(wc -l < "$tmp/seq.$mode") numeric lines, $mode)"; }

  # Three panes, each running its own command.
  t split-window -v -t evshim:0.0
  [ "$(t list-panes -t evshim:0 | wc -l)" = 3 ] || real_fail "expected 3 panes ($mode)"
  for p in 0 1 2; do t send-keys -t evshim:0.$p "echo pane\$(( $p + 100 ))" Enter; done
  for p in 0 1 2; do wait_for evshim:0.$p "pane$((p + 100))"; done

  # A pane whose shell exits: the server reaps it (SIGCHLD) and closes the pane.
  t send-keys -t evshim:0.2 "exit" Enter
  for _ in $(seq 200); do [ "$(t list-panes -t evshim:0 | wc -l)" = 2 ] && break; sleep 0.05; done
  [ "$(t list-panes -t evshim:0 | wc -l)" = 2 ] || real_fail "the exited pane was not closed ($mode)"
  # With remain-on-exit, a dead pane keeps its exit status.
  t set-option -g remain-on-exit on
  t split-window -t evshim:0.0 "sleep 0.2; exit 3"
  for _ in $(seq 200); do t list-panes -t evshim:0 -F '#{pane_dead} #{pane_dead_status}' | grep -qx '1 3' && break; sleep 0.05; done
  t list-panes -t evshim:0 -F '#{pane_dead} #{pane_dead_status}' | grep -qx '1 3' \
    || real_fail "no dead pane with status 3 ($mode): $(t list-panes -t evshim:0 -F '#{pane_dead} #{pane_dead_status}' | tr '\n' '|')"

  # A client attached on a pseudo-terminal sees the session, then is detached.
  t select-pane -t evshim:0.0
  env $(real_env "$mode") timeout 30 python3 tests/real/tmux_attach.py "$sock" evshim > "$tmp/attach.$mode" \
    || { cat "$tmp/attach.$mode"; real_fail "attach/detach ($mode)"; }

  # kill-server: the server exits and removes nothing but itself.
  t kill-server
  for _ in $(seq 100); do kill -0 "$server" 2> /dev/null || break; sleep 0.05; done
  kill -0 "$server" 2> /dev/null && real_fail "the server survived kill-server ($mode)"
  sock=
  echo "tmux ($mode): 20 send-keys round trips, 20,000 lines of history, 3 panes, pane exit (SIGCHLD) and dead-pane status, $(cat "$tmp/attach.$mode"), kill-server"
done

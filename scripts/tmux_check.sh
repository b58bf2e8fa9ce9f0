#!/usr/bin/env bash
# Drives the installed `warta` in tmux at 80x24, as a user would, and checks the screen text.
# Usage: scripts/tmux_check.sh [path/to/warta]   Exit status 0 when every check passes.
set -euo pipefail

WARTA=${1:-$(command -v warta || echo "$(dirname "$0")/../.venv/bin/warta")}
SESSION="warta-check-$$"
WORK=$(mktemp -d)
export WARTA_DATA_DIR="$WORK/data" WARTA_CONFIG_DIR="$WORK/config"
FAILED=0

cleanup() { tmux kill-session -t "$SESSION" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

screen() { tmux capture-pane -p -t "$SESSION"; }

# wait_for TEXT [SECONDS]: poll the screen until TEXT shows.
wait_for() {
    local text=$1 limit=${2:-10} waited=0
    while ! screen | grep -qF -- "$text"; do
        sleep 0.2
        waited=$((waited + 1))
        if [ "$waited" -ge $((limit * 5)) ]; then return 1; fi
    done
}

check() {  # check DESCRIPTION TEXT [SECONDS]
    if wait_for "$2" "${3:-5}"; then
        echo "ok    $1"
    else
        echo "FAIL  $1: expected to see '$2'" >&2
        screen | sed 's/^/    | /' >&2
        FAILED=1
    fi
}

check_absent() {  # check_absent DESCRIPTION TEXT
    sleep 0.3
    if screen | grep -qF -- "$2"; then
        echo "FAIL  $1: did not expect '$2'" >&2
        screen | sed 's/^/    | /' >&2
        FAILED=1
    else
        echo "ok    $1"
    fi
}

keys() { tmux send-keys -t "$SESSION" "$@"; sleep 0.3; }

start() {
    # Killing the last session stops the tmux server; a new session started while it is still
    # exiting fails with "server exited unexpectedly", so try again once it has gone.
    local command="$WARTA; echo warta-exited-\$?; sleep 60"
    tmux new-session -d -s "$SESSION" -x 80 -y 24 "$command" 2>/dev/null \
        || { sleep 1; tmux new-session -d -s "$SESSION" -x 80 -y 24 "$command"; }
}

# An article whose text looks like markup and carries an escape sequence.
printf '{"id": "t-markup", "source": "example.test", "date": "2020-01-01", "title": "Judul [b]aneh[/b]", "text": "Teks [bold red]x[/] tetap apa adanya dan \\u001b[31mmerah\\u001b[0m tanpa warna."}\n' \
    > "$WORK/markup.jsonl"

start
check "first run fills the list from the seeds" "articles ·" 15
check "footer shows the keys" "Search"
"$WARTA" add "$WORK/markup.jsonl" >/dev/null 2>&1 || true
keys q
check "q quits with status 0" "warta-exited-0"
tmux kill-session -t "$SESSION"

start
check "the added article is listed, markup literal" "Judul [b]aneh[/b]" 10
keys /
keys -l aneh
check "search as you type" "1 found"
keys Enter
check "one Enter in the search box opens the hit, markup literal" "[bold red]x[/]"
check_absent "no escape debris" "[31m"
keys b
check "b bookmarks" "★"
keys Escape
check "Esc restores the list" "articles ·"
keys g Enter
check "another article opens" "detik.com ·"
keys n
check "n moves to a highlight" "Back"
keys "["
check "[ goes back to exactly where the reader was" "[bold red]x[/]"
keys "]"
check "] goes forward" "detik.com ·"
keys BSpace
check "Backspace goes back too" "[bold red]x[/]"
keys p
check "p shows the side panel" "Entities"
keys p
keys ?
check "? shows help from the bindings" "reader.bookmark"
keys Escape
keys t
check "t shows the timeline" "events"
keys Escape
check "Esc returns to reading" "[bold red]x[/]"
keys q
check "q quits" "warta-exited-0"
tmux kill-session -t "$SESSION"

start
check "restart: the last article is open again" "[bold red]x[/]" 10
check "restart: the bookmark is kept" "★"
keys q
check "q quits again" "warta-exited-0"

if [ "$FAILED" -ne 0 ]; then
    echo "tmux check FAILED" >&2
    exit 1
fi
echo "tmux check passed"

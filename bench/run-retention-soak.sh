#!/usr/bin/env bash
# The retention soak: 10,000,000 events through append, dispatcher and a no-op target with the
# background pruner deleting done events and releases after a 1 minute horizon; prints the backlog
# file's size, free pages and rows every 10 s, and the longest pruning transaction. Extra arguments
# go to the program, e.g. `bench/run-retention-soak.sh --events 1000000 --every 5s`, or
# `--no-prune` for the same run without retention.
exec "$(dirname "$0")/run-main.sh" RetentionSoak "$@"

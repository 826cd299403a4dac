#!/usr/bin/env bash
# The adaptive concurrency benchmark: a real service releasing to the HTTP target against a local
# endpoint whose capacity steps 50 -> 10 -> 40 (429 beyond it); prints the 429 share and goodput per
# step (about 60 s). Extra arguments go to the program, e.g. `bench/run-adaptive.sh --adaptive off`.
exec "$(dirname "$0")/run-main.sh" AdaptiveBenchmark "$@"

#!/usr/bin/env bash
# The release pace benchmark: a real service releases to a local HTTP target under rate 2000/s and
# max-in-flight 32 while client threads POST S3 notifications at 0, 1,000, 5,000 and 10,000
# events/s (15 s each, 10 records per POST, 16 clients; about 70 s). Extra arguments go to the
# program, e.g. `bench/run-release-pace.sh --seconds 30 --batch 100`.
exec "$(dirname "$0")/run-main.sh" ReleasePaceBenchmark "$@"

#!/usr/bin/env bash
# The webhook ingest benchmark of issue 3: POSTs batched S3 notifications to a real service over
# loopback HTTP at a target rate (default 10,000 events/s for 60 s, 100 records per POST, 8 client
# threads). Extra arguments go to the program, e.g. `bench/run-webhook.sh --rate 20000 --seconds 30`.
exec "$(dirname "$0")/run-main.sh" WebhookIngestBenchmark "$@"

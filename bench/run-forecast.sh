#!/usr/bin/env bash
# The forecast accuracy benchmark: 10,000 events under window 500 per 1s through a real service; the
# forecast read while paused (drain time, every object's start) against the release log after the
# drain (about 30 s). Extra arguments go to the program, e.g. `bench/run-forecast.sh --events 20000`.
exec "$(dirname "$0")/run-main.sh" ForecastAccuracyBenchmark "$@"

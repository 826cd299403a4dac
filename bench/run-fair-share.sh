#!/usr/bin/env bash
# Fair share between partitions in real time: a/ has 10,000 objects waiting, b/ gets 100 a minute
# later, window 100 per 1s; prints when b/'s objects started and how full each second was (about
# 100 s). `bench/run-fair-share.sh --partitions none` runs the same without partitions.
exec "$(dirname "$0")/run-main.sh" FairShareBenchmark "$@"

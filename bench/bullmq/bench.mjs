// The BullMQ side of bench/run-bullmq.sh: the same shapes as Sluice's FillThenDrain and
// EndToEndThroughput, against a Redis that the script started. Prints one JSON line per phase on
// stdout (and nothing else there); progress goes to stderr.
//
//   node bench.mjs --port P [--jobs 100000] [--batch 1000] [--concurrency 64]
//                  [--phase fill-then-drain|end-to-end|single-add|all] [--single-jobs 5000]
//                  [--remove-on-complete]
//
// fill-then-drain: addBulk every job in batches (no worker running), then start one Worker and time
//   it until every job is completed. fill+drain = jobs / (enqueue time + drain time).
// end-to-end: the Worker runs while one producer adds the same batches; jobs / (first add to last
//   completion). The producer runs on its own thread with its own connection, as Sluice's
//   producer is a thread of its own beside the dispatcher: in one event loop the two would take
//   turns.
// single-add: one producer awaits queue.add for each job in turn (no worker), the rate of one job
//   per round trip.
//
// A job counts as processed when the Worker's 'completed' event fires: BullMQ emits it after the
// script that moves the job to the completed set has returned from Redis.
import os from "node:os";
import { Worker as Thread, isMainThread, parentPort, workerData } from "node:worker_threads";
import { Queue, Worker } from "bullmq";

function parseArgs(argv) {
  const o = {
    port: 0,
    jobs: 100_000,
    batch: 1_000,
    concurrency: 64,
    phase: "all",
    singleJobs: 5_000,
    removeOnComplete: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case "--port": o.port = positive(a, next()); break;
      case "--jobs": o.jobs = positive(a, next()); break;
      case "--batch": o.batch = positive(a, next()); break;
      case "--concurrency": o.concurrency = positive(a, next()); break;
      case "--phase": o.phase = next(); break;
      case "--single-jobs": o.singleJobs = positive(a, next()); break;
      case "--remove-on-complete": o.removeOnComplete = true; break;
      default: throw new Error(`unknown option ${a}`);
    }
  }
  if (!o.port) throw new Error("--port is required");
  if (!["fill-then-drain", "end-to-end", "single-add", "all"].includes(o.phase)) {
    throw new Error(`unknown phase ${o.phase}`);
  }
  return o;
}

function positive(name, v) {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${v}`);
  return n;
}

// The fields of one S3 object event, as Sluice's bench appends them (BenchEvents.numbered), so
// that both sides store and move a payload of the same shape.
function objectEvent(n) {
  return {
    bucket: "landing",
    key: `bench/2026/01/01/part-${String(n).padStart(8, "0")}.parquet`,
    size: 64 * 1024 * 1024,
    etag: n.toString(16).padStart(32, "0"),
    versionId: null,
    sequencer: n.toString(16).toUpperCase().padStart(16, "0"),
    eventName: "ObjectCreated:Put",
    eventTime: "2026-01-01T00:00:00Z",
    source: "bench",
  };
}

function batchOf(from, count) {
  const jobs = new Array(count);
  for (let i = 0; i < count; i++) jobs[i] = { name: "object-event", data: objectEvent(from + i) };
  return jobs;
}

const seconds = (fromNs, toNs) => Number(toNs - fromNs) / 1e9;
const rate = (n, s) => Math.round(n / s);

class Run {
  constructor(o, phase) {
    this.o = o;
    this.phase = phase;
    this.connection = { host: "127.0.0.1", port: o.port, maxRetriesPerRequest: null };
    this.name = `bench-${phase}-${process.pid}-${Date.now()}`;
    this.queue = new Queue(this.name, {
      connection: this.connection,
      defaultJobOptions: { removeOnComplete: o.removeOnComplete, removeOnFail: false },
    });
  }

  async start() {
    // Each phase starts from an empty Redis, so that one phase's completed jobs do not weigh on
    // the next (Sluice's bench also opens a fresh backlog file per phase).
    const client = await this.queue.client;
    await client.flushall();
  }

  // A Worker that is connected but not yet taking jobs; run() starts it.
  async worker(expected) {
    this.completed = 0;
    this.failed = 0;
    let resolve;
    this.allDone = new Promise((r) => (resolve = r));
    const w = new Worker(this.name, async () => undefined, {
      connection: this.connection,
      concurrency: this.o.concurrency,
      autorun: false,
    });
    w.on("completed", () => {
      if (++this.completed === expected) {
        this.doneAt = process.hrtime.bigint();
        resolve();
      }
    });
    w.on("failed", (job, err) => {
      this.failed++;
      process.stderr.write(`job ${job?.id} failed: ${err}\n`);
    });
    w.on("error", (err) => process.stderr.write(`worker error: ${err}\n`));
    await w.waitUntilReady();
    this.w = w;
    return w;
  }

  async fill() {
    const { jobs, batch } = this.o;
    for (let from = 0; from < jobs; from += batch) {
      await this.queue.addBulk(batchOf(from, Math.min(batch, jobs - from)));
    }
  }

  async close() {
    if (this.w) await this.w.close();
    await this.queue.close();
  }

  async counts() {
    return this.queue.getJobCounts("waiting", "active", "completed", "failed");
  }
}

function base(o, phase) {
  return {
    system: "bullmq",
    phase,
    jobs: o.jobs,
    batch: o.batch,
    concurrency: o.concurrency,
    removeOnComplete: o.removeOnComplete,
    load1: Number(os.loadavg()[0].toFixed(2)),
  };
}

// Every job was processed once and is where BullMQ keeps a completed job (or gone, when removed).
function check(o, counts) {
  const expected = o.removeOnComplete ? 0 : o.jobs;
  if (counts.completed !== expected || counts.waiting !== 0 || counts.failed !== 0) {
    throw new Error(`after the drain: ${JSON.stringify(counts)}, expected ${expected} completed`);
  }
}

async function fillThenDrain(o) {
  const run = new Run(o, "fill-then-drain");
  await run.start();
  const t0 = process.hrtime.bigint();
  await run.fill();
  const t1 = process.hrtime.bigint();
  const waiting = await run.queue.getWaitingCount();
  if (waiting !== o.jobs) throw new Error(`${waiting} waiting after the fill, expected ${o.jobs}`);
  const w = await run.worker(o.jobs);
  const t2 = process.hrtime.bigint();
  w.run();
  await run.allDone;
  const counts = await run.counts();
  await run.close();
  check(o, counts);
  const enqueueS = seconds(t0, t1);
  const drainS = seconds(t2, run.doneAt);
  return {
    ...base(o, "fill-then-drain"),
    enqueueS,
    enqueuePerS: rate(o.jobs, enqueueS),
    drainS,
    drainPerS: rate(o.jobs, drainS),
    fillDrainPerS: rate(o.jobs, enqueueS + drainS),
    failed: run.failed,
    counts,
  };
}

// The end-to-end producer thread: connects, says it is ready, fills on "go", says when it is done.
async function producerThread({ o, name }) {
  const queue = new Queue(name, {
    connection: { host: "127.0.0.1", port: o.port, maxRetriesPerRequest: null },
    defaultJobOptions: { removeOnComplete: o.removeOnComplete, removeOnFail: false },
  });
  await queue.waitUntilReady();
  parentPort.postMessage({ ready: true });
  await new Promise((r) => parentPort.once("message", r));
  for (let from = 0; from < o.jobs; from += o.batch) {
    await queue.addBulk(batchOf(from, Math.min(o.batch, o.jobs - from)));
  }
  parentPort.postMessage({ doneAt: process.hrtime.bigint() });
  await queue.close();
}

async function endToEnd(o) {
  const run = new Run(o, "end-to-end");
  await run.start();
  const producer = new Thread(new URL(import.meta.url), { workerData: { o, name: run.name } });
  const ready = new Promise((resolve, reject) => {
    producer.once("message", resolve);
    producer.once("error", reject);
  });
  await ready;
  const w = await run.worker(o.jobs);
  w.run();
  const produced = new Promise((resolve, reject) => {
    producer.once("message", (m) => resolve(m.doneAt));
    producer.once("error", reject);
  });
  const t0 = process.hrtime.bigint();
  producer.postMessage("go");
  const t1 = await produced;
  const completedThen = run.completed;
  await run.allDone;
  const counts = await run.counts();
  await run.close();
  check(o, counts);
  const totalS = seconds(t0, run.doneAt);
  return {
    ...base(o, "end-to-end"),
    producerS: seconds(t0, t1),
    completedWhenProducerDone: completedThen,
    endToEndS: totalS,
    endToEndPerS: rate(o.jobs, totalS),
    failed: run.failed,
    counts,
  };
}

async function singleAdd(o) {
  const run = new Run(o, "single-add");
  await run.start();
  const n = o.singleJobs;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await run.queue.add("object-event", objectEvent(i));
  const t1 = process.hrtime.bigint();
  await run.close();
  const s = seconds(t0, t1);
  return { ...base(o, "single-add"), jobs: n, enqueueS: s, enqueuePerS: rate(n, s) };
}

if (!isMainThread) {
  await producerThread(workerData);
} else {
  await main(parseArgs(process.argv.slice(2)));
}

async function main(o) {
  const phases = o.phase === "all" ? ["fill-then-drain", "end-to-end"] : [o.phase];
  for (const p of phases) {
    process.stderr.write(
      p === "single-add"
        ? `bullmq ${p}: ${o.singleJobs} jobs, one queue.add at a time\n`
        : `bullmq ${p}: ${o.jobs} jobs, batch ${o.batch}, concurrency ${o.concurrency}\n`,
    );
    const fn = { "fill-then-drain": fillThenDrain, "end-to-end": endToEnd, "single-add": singleAdd }[p];
    console.log(JSON.stringify(await fn(o)));
  }
}

// The Sluice dashboard: a client of the HTTP API on the same origin, polled once a second.
// Everything the charts draw is kept in window.sluiceDashboard, so what is on the screen can be
// checked against the API it came from.
(function () {
  "use strict";

  const POLL_MS = 1000;
  const MAX_STATUS_POINTS = 900; // 15 minutes of status polls
  const RECENT_ROWS = 50;
  const TOKEN_KEY = "sluice.control-token";

  const state = {
    status: null,
    polls: 0,
    lastPollAt: null,
    unreachableSince: null,
    unreachableReason: null,
    needsToken: false,
    windowMs: 1000,
    limit: null,
    limitHistory: [], // {t, limit}: the window limit as polls saw it change
    spanMs: 60000,
    releases: new Map(), // releaseId -> release line
    releaseWindows: [],
    outcomeWindows: [],
    backlogSeries: [],
    dead: [],
    serverOffsetMs: 0,
  };
  window.sluiceDashboard = state;

  // ---- HTTP ---------------------------------------------------------------------------------

  function headers(extra) {
    // The audit trail records which interface acted.
    const h = Object.assign({ "X-Sluice-Client": "dashboard" }, extra || {});
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) {
      h["Authorization"] = "Bearer " + token;
    }
    return h;
  }

  class HttpError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function call(method, path, body) {
    const init = { method: method, headers: headers(body === undefined ? {} : { "Content-Type": "application/json" }) };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    if (response.status === 401) {
      askForToken();
      throw new HttpError(401, "the control token is missing or wrong");
    }
    const date = response.headers.get("Date");
    if (date) {
      state.serverOffsetMs = Date.parse(date) - Date.now();
    }
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = JSON.parse(text).error || text;
      } catch (e) {
        // not JSON: show the text as it is
      }
      throw new HttpError(response.status, method + " " + path + ": " + response.status + " " + message);
    }
    return text;
  }

  async function callJson(method, path, body) {
    return JSON.parse(await call(method, path, body));
  }

  // ---- time and text ------------------------------------------------------------------------

  // Instants come with up to nanoseconds; Date.parse is only sure to read milliseconds.
  function instantMs(text) {
    if (!text) {
      return null;
    }
    const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(text);
    if (!m) {
      return Date.parse(text);
    }
    const ms = m[2] ? Number((m[2] + "00").substring(0, 3)) : 0;
    return Date.parse(m[1] + "Z") + ms;
  }

  function serverNow() {
    return Date.now() + state.serverOffsetMs;
  }

  function everyMs(every) {
    const m = /^(\d+)\s*(ms|s|m|h|d)$/.exec(String(every).trim());
    if (m) {
      const unit = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 }[m[2]];
      return Number(m[1]) * unit;
    }
    const iso = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/i.exec(String(every).trim());
    if (iso) {
      return ((Number(iso[1] || 0) * 60 + Number(iso[2] || 0)) * 60 + Number(iso[3] || 0)) * 1000;
    }
    return 1000;
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) {
      return "–";
    }
    const s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return Math.floor(s / 60) + " min " + String(s % 60).padStart(2, "0") + " s";
    }
    return Math.floor(s / 3600) + " h " + String(Math.floor((s % 3600) / 60)).padStart(2, "0") + " min";
  }

  function clock(ms) {
    return new Date(ms).toLocaleTimeString([], { hour12: false });
  }

  function el(id) {
    return document.getElementById(id);
  }

  function cell(row, text, cls) {
    const td = document.createElement("td");
    td.textContent = text === null || text === undefined ? "" : String(text);
    if (cls) {
      td.className = cls;
    }
    row.appendChild(td);
    return td;
  }

  // ---- the release log, bucketed by window ---------------------------------------------------

  // Windows of the window limit's length, laid end to end from the first release shown; after a
  // pause of a window or more, the next window starts at the next release, and a window of none
  // closes each side of the gap. Each window is an interval of the limit's length, so under the
  // limit none holds more than it: the bars show the 50, 50, 15 a burst of 115 gives under
  // "50 per minute". times must be sorted; add(window, i) counts the i-th item in.
  function chain(times, windowMs, empty, add) {
    const windows = [];
    let current = null;
    const open = (startMs) => {
      current = Object.assign({ startMs: startMs }, empty());
      windows.push(current);
    };
    times.forEach((t, i) => {
      if (current === null) {
        open(t);
      } else if (t >= current.startMs + 2 * windowMs) {
        const end = current.startMs + windowMs;
        open(end);
        if (t - windowMs > end) {
          open(t - windowMs);
        }
        open(t);
      } else if (t >= current.startMs + windowMs) {
        open(current.startMs + windowMs);
      }
      add(current, i);
    });
    return windows;
  }

  // The window limit in force at t, as far as the polls saw it: the line a bar is measured against
  // is the limit of its own time, not today's.
  function limitAt(t) {
    const h = state.limitHistory;
    let limit = h.length > 0 ? h[0].limit : state.limit;
    for (const entry of h) {
      if (entry.t <= t) {
        limit = entry.limit;
      }
    }
    return limit;
  }

  function outcomeKind(outcome) {
    if (outcome === "completed") {
      return "completed";
    }
    if (outcome === "throttled") {
      return "throttled";
    }
    if (outcome === "failed-retryable" || outcome === "failed-permanent") {
      return "failed";
    }
    return "lost"; // expired or abandoned: the answer never came back
  }

  function rebuildWindows() {
    const all = Array.from(state.releases.values());
    const released = all.map((r) => r.releasedMs).sort((a, b) => a - b);
    state.releaseWindows = chain(released, state.windowMs, () => ({ count: 0 }), (w) => w.count++).map(
      (w) => ({
        start: new Date(w.startMs).toISOString(),
        startMs: w.startMs,
        count: w.count,
        limit: limitAt(w.startMs),
      }));
    const finished = all
      .filter((r) => r.outcome && r.finishedMs !== null)
      .sort((a, b) => a.finishedMs - b.finishedMs);
    state.outcomeWindows = chain(
      finished.map((r) => r.finishedMs),
      state.windowMs,
      () => ({ completed: 0, failed: 0, throttled: 0, lost: 0 }),
      (w, i) => w[outcomeKind(finished[i].outcome)]++,
    ).map((w) => Object.assign({ start: new Date(w.startMs).toISOString() }, w));
  }

  async function pollReleases() {
    const now = serverNow();
    let sinceMs = now - state.spanMs;
    if (state.releases.size > 0) {
      // Again from the oldest release still without an outcome (its outcome may have come), or
      // else from the newest: a little earlier, for releases committed out of order.
      let from = -Infinity;
      let open = Infinity;
      for (const r of state.releases.values()) {
        from = Math.max(from, r.releasedMs);
        if (!r.outcome) {
          open = Math.min(open, r.releasedMs);
        }
      }
      sinceMs = Math.max(Math.min(from, open) - 2000, now - state.spanMs);
    }
    const text = await call("GET", "/v1/releases?since=" + new Date(sinceMs).toISOString());
    for (const line of text.split("\n")) {
      if (!line.trim()) {
        continue;
      }
      const r = JSON.parse(line);
      r.releasedMs = instantMs(r.releasedAt);
      r.finishedMs = instantMs(r.finishedAt);
      state.releases.set(r.releaseId, r);
    }
    const oldest = now - state.spanMs;
    for (const [id, r] of state.releases) {
      if (r.releasedMs < oldest) {
        state.releases.delete(id);
      }
    }
    rebuildWindows();
  }

  // ---- polling --------------------------------------------------------------------------------

  async function poll() {
    try {
      const status = await callJson("GET", "/v1/status");
      applyStatus(status);
      await pollReleases();
      state.dead = (await callJson("GET", "/v1/dead?limit=200")).dead;
      // Every fifth poll: it counts due events per partition in the backlog.
      if (state.polls % 5 === 0) {
        state.partitions = await callJson("GET", "/v1/partitions");
      }
      state.unreachableSince = null;
      state.unreachableReason = null;
      state.polls++;
      state.lastPollAt = Date.now();
    } catch (e) {
      if (!(e instanceof HttpError && e.status === 401)) {
        if (state.unreachableSince === null) {
          state.unreachableSince = Date.now();
        }
        state.unreachableReason = e.message;
      }
    }
    render();
    setTimeout(poll, POLL_MS);
  }

  function applyStatus(status) {
    state.status = status;
    // The limits in effect: the capacity schedule's, over the base limits set below.
    const inEffect = status.capacity ? status.capacity.limits : status.limits;
    const windowLimit = inEffect && inEffect.window;
    state.limit = windowLimit ? windowLimit.limit : null;
    const h = state.limitHistory;
    if (h.length === 0 || h[h.length - 1].limit !== state.limit) {
      h.push({ t: serverNow(), limit: state.limit });
    }
    const windowMs = windowLimit ? everyMs(windowLimit.every) : 1000;
    if (windowMs !== state.windowMs) {
      state.windowMs = windowMs;
    }
    state.spanMs = Math.min(3600000, Math.max(60000, 60 * state.windowMs));
    state.backlogSeries.push({
      t: serverNow(),
      backlog: status.backlog,
      due: status.due,
      inFlight: status.inFlight,
    });
    if (state.backlogSeries.length > MAX_STATUS_POINTS) {
      state.backlogSeries.shift();
    }
    fillLimitInputs(status.limits);
  }

  // ---- rendering ------------------------------------------------------------------------------

  function describeLimits(l) {
    const parts = [];
    if (l.window) {
      parts.push(l.window.limit + " per " + l.window.every);
    }
    if (l.rate) {
      parts.push(l.rate["per-second"] + "/s");
    }
    if (l.concurrency) {
      parts.push(l.concurrency["max-in-flight"] + " in flight");
    }
    return parts.length ? parts.join(", ") : "no limits";
  }

  // What the capacity schedule gives now (a blackout, the rules holding) and when that changes.
  function renderCapacity(c) {
    if (!c) {
      return;
    }
    const value = el("fig-capacity");
    value.textContent = c.blackout ? "blackout" : c.rules.length ? c.rules.join(", ") : "base limits";
    value.dataset.blackout = c.blackout;
    const next = c.nextChange ? "; changes at " + clock(Date.parse(c.nextChange)) : "";
    el("fig-capacity-next").textContent =
      (c.blackout ? "nothing released" : describeLimits(c.limits)) + next;
    el("fig-capacity-next").dataset.nextChange = c.nextChange || "";
  }

  function render() {
    renderBanner();
    const s = state.status;
    if (s) {
      el("target").textContent = "target: " + s.target;
      el("fig-backlog").textContent = s.backlog;
      el("fig-due").textContent = s.due + " due now";
      el("fig-inflight").textContent = s.inFlight;
      renderAdaptive(s);
      renderBatches(s);
      el("fig-running").textContent = s.running + " running at the target";
      el("fig-drain").textContent = s.timeToDrainSeconds === null ? "no limit" : duration(s.timeToDrainSeconds);
      el("fig-drain").dataset.seconds = s.timeToDrainSeconds === null ? "" : s.timeToDrainSeconds;
      el("fig-drain-at").textContent =
        s.timeToDrainSeconds === null || s.backlog === 0
          ? ""
          : "at the limits in force: done about " + clock(Date.now() + s.timeToDrainSeconds * 1000);
      el("fig-oldest").textContent = s.oldestWaiting ? duration(s.oldestWaitingSeconds) : "none";
      el("fig-oldest-at").textContent = s.oldestWaiting ? "since " + s.oldestWaiting : "nothing waits";
      el("fig-oldest").dataset.instant = s.oldestWaiting || "";
      el("fig-released").textContent = s.released;
      el("fig-completed").textContent = s.completed + " completed";
      el("fig-dead").textContent = s.dead;
      el("fig-retried").textContent = s.sinceStart.retried + " retried since start";
      const pill = el("state");
      const blackout = !!(s.capacity && s.capacity.blackout);
      pill.textContent = s.draining ? "draining" : s.paused ? "paused" : blackout ? "blackout" : "releasing";
      pill.className = "pill " + (s.paused || s.draining || blackout ? "pill-paused" : "pill-running");
      el("drain").disabled = !!s.draining;
      el("pause").disabled = s.paused;
      el("resume").disabled = !s.paused;
      el("window-caption").textContent = state.limit
        ? "(" + (s.capacity || s).limits.window.every + " windows, limit " + state.limit + ")"
        : "(1 s windows, no window limit)";
      renderCapacity(s.capacity);
    }
    if (state.lastPollAt) {
      el("updated").textContent = "updated " + clock(state.lastPollAt);
    }
    renderNodesTable();
    renderPartitionsTable();
    renderReleasesTable();
    renderDeadTable();
    renderCharts();
  }

  // Several nodes on one store: each node's heartbeat and leases, and which one holds the gate
  // (the only one releasing). Hidden on a single node.
  function renderNodesTable() {
    const c = state.status && state.status.cluster;
    el("nodes-card").hidden = !c;
    if (!c) {
      return;
    }
    el("nodes-caption").textContent =
      "(this is " + c.node + "; " + (c.holder ? "gate held by " + c.holder.node + ", epoch " + c.holder.epoch : "no node holds the gate") + ")";
    const rows = c.nodes.map((n) => [n.node, n.host, n.pid, n.http, Math.round(n.heartbeatAgeSeconds), n.holdsGate, n.leased]);
    if (!changed("nodes", rows)) {
      return;
    }
    const body = document.querySelector("#nodes tbody");
    body.replaceChildren();
    for (const n of c.nodes) {
      const row = document.createElement("tr");
      row.dataset.node = n.node;
      cell(row, n.node + (n.node === c.node ? " (this)" : ""));
      cell(row, n.host);
      cell(row, n.pid);
      cell(row, n.http || "");
      cell(row, Math.round(n.heartbeatAgeSeconds) + " s ago");
      cell(row, n.holdsGate ? "holds the gate" : "", n.holdsGate ? "outcome-completed" : "");
      cell(row, n.leased);
      body.appendChild(row);
    }
  }

  // Fair share between partitions: each busy partition's weight, cap, due events, in flight,
  // releases in the last minute and share of a full limit. Hidden when the backlog is not
  // partitioned.
  function renderPartitionsTable() {
    const p = state.partitions;
    el("partitions-card").hidden = !p || p.by === "none";
    if (!p || p.by === "none") {
      return;
    }
    el("partitions-caption").textContent =
      "(by " + p.by + "; default weight " + p["default-weight"] + (p.partitions.length ? "" : "; none busy") + ")";
    const rows = p.partitions.map((v) => [v.partition, v.weight, v.cap, v.due, v.inFlight, v.releasedLastMinute, v.share, v.lastGranted]);
    if (!changed("partitions", rows)) {
      return;
    }
    const body = document.querySelector("#partitions tbody");
    body.replaceChildren();
    for (const v of p.partitions) {
      const row = document.createElement("tr");
      row.dataset.partition = v.partition;
      cell(row, v.partition === "" ? "(none)" : v.partition);
      cell(row, v.weight);
      cell(row, v.cap === null ? "–" : v.cap);
      cell(row, v.due);
      cell(row, v.inFlight);
      cell(row, v.releasedLastMinute);
      cell(row, (v.share * 100).toFixed(1) + " %");
      cell(row, v.lastGranted);
      body.appendChild(row);
    }
  }

  function renderBanner() {
    const banner = el("banner");
    if (state.unreachableSince !== null) {
      banner.className = "banner banner-unreachable";
      banner.dataset.state = "unreachable";
      banner.textContent =
        "Sluice is unreachable at " + location.origin + " since " + clock(state.unreachableSince) +
        ": " + state.unreachableReason + ". The figures below are from before.";
      banner.hidden = false;
    } else if (state.status && state.status.draining) {
      banner.className = "banner banner-paused";
      banner.dataset.state = "draining";
      banner.textContent =
        "Draining: no new events are taken; the backlog is finished, then the service stops.";
      banner.hidden = false;
    } else if (state.status && state.status.paused) {
      banner.className = "banner banner-paused";
      banner.dataset.state = "paused";
      banner.textContent = "Paused: nothing is released until you resume. Intake goes on; jobs already started finish.";
      banner.hidden = false;
    } else {
      banner.dataset.state = "running";
      banner.hidden = true;
    }
  }

  // A table is redrawn only when what it shows has changed, so a button is not replaced under the
  // operator's pointer.
  const drawn = {};

  function changed(table, rows) {
    const signature = JSON.stringify(rows);
    if (drawn[table] === signature) {
      return false;
    }
    drawn[table] = signature;
    return true;
  }

  function renderReleasesTable() {
    const body = document.querySelector("#releases tbody");
    const recent = Array.from(state.releases.values())
      .sort((a, b) => b.releaseId - a.releaseId)
      .slice(0, RECENT_ROWS);
    if (!changed("releases", recent.map((r) => [r.releaseId, r.outcome, r.answeredAt]))) {
      return;
    }
    body.replaceChildren();
    for (const r of recent) {
      const row = document.createElement("tr");
      row.dataset.releaseId = r.releaseId;
      cell(row, clock(r.releasedMs));
      cell(row, r.bucket);
      cell(row, r.key);
      cell(row, r.attempt);
      cell(row, r.outcome || "in flight", "outcome-" + (r.outcome || "none"));
      const took = r.reachedAt && r.answeredAt ? instantMs(r.answeredAt) - instantMs(r.reachedAt) + " ms" : "";
      cell(row, took);
      cell(row, r.error || "", "wrap");
      body.appendChild(row);
    }
  }

  function renderDeadTable() {
    const body = document.querySelector("#dead tbody");
    el("redrive-all").disabled = state.dead.length === 0;
    if (!changed("dead", state.dead)) {
      return;
    }
    body.replaceChildren();
    for (const d of state.dead) {
      const row = document.createElement("tr");
      row.dataset.eventId = d.eventId;
      cell(row, d.eventId);
      cell(row, d.bucket);
      cell(row, d.key);
      cell(row, d.attempts);
      cell(row, d.lastError, "wrap");
      cell(row, d.deadAt);
      const td = cell(row, "");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "redrive";
      button.textContent = "Redrive";
      button.addEventListener("click", () => act("redrive " + d.key, () => callJson("POST", "/v1/dead/redrive", { ids: [d.eventId] })));
      td.appendChild(button);
      body.appendChild(row);
    }
  }

  // ---- charts ---------------------------------------------------------------------------------

  const charts = {};

  function chartSize(id) {
    const box = el(id);
    return { width: Math.max(200, box.clientWidth), height: Math.max(160, box.clientHeight) };
  }

  function makeChart(id, series, bars) {
    const size = chartSize(id);
    const opts = {
      width: size.width,
      height: size.height - 30,
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [{}, { size: 50 }],
      series: [{}].concat(series),
      legend: { live: false },
    };
    if (bars) {
      opts.series[1].paths = uPlot.paths.bars({ size: [0.7, 60] });
    }
    return new uPlot(opts, [[], ...series.map(() => [])], el(id));
  }

  function ensureCharts() {
    if (charts.releases || typeof uPlot === "undefined") {
      return;
    }
    charts.releases = makeChart(
      "chart-releases",
      [
        { label: "released", stroke: "#2c5fa8", fill: "rgba(44,95,168,0.35)" },
        {
          label: "limit",
          stroke: "#b3261e",
          width: 2,
          dash: [6, 4],
          points: { show: false },
          paths: uPlot.paths.stepped({ align: 1 }),
        },
      ],
      true);
    charts.backlog = makeChart("chart-backlog", [
      { label: "backlog", stroke: "#2c5fa8", width: 2, fill: "rgba(44,95,168,0.10)" },
      { label: "due", stroke: "#7a8699", width: 1 },
      { label: "in flight", stroke: "#b26a00", width: 2 },
    ]);
    charts.outcomes = makeChart("chart-outcomes", [
      { label: "completed", stroke: "#2f7d32", width: 2 },
      { label: "failed", stroke: "#b3261e", width: 2 },
      { label: "throttled", stroke: "#b26a00", width: 2 },
      { label: "lost", stroke: "#6a1b9a", width: 2 },
    ]);
    new ResizeObserver(() => {
      for (const [name, chart] of Object.entries(charts)) {
        const size = chartSize("chart-" + name);
        chart.setSize({ width: size.width, height: size.height - 30 });
      }
    }).observe(document.querySelector("main"));
  }

  function renderCharts() {
    ensureCharts();
    if (!charts.releases) {
      return;
    }
    const w = state.releaseWindows;
    const limitLine = w.map((x) => x.limit);
    charts.releases.setData([w.map((x) => x.startMs / 1000), w.map((x) => x.count), limitLine]);
    const b = state.backlogSeries;
    charts.backlog.setData([
      b.map((p) => p.t / 1000),
      b.map((p) => p.backlog),
      b.map((p) => p.due),
      b.map((p) => p.inFlight),
    ]);
    const o = state.outcomeWindows;
    charts.outcomes.setData([
      o.map((x) => x.startMs / 1000),
      o.map((x) => x.completed),
      o.map((x) => x.failed),
      o.map((x) => x.throttled),
      o.map((x) => x.lost),
    ]);
  }

  // ---- actions --------------------------------------------------------------------------------

  async function act(what, action) {
    const result = el("action-result");
    try {
      await action();
      result.textContent = what + ": done at " + clock(Date.now());
      result.dataset.outcome = "done";
    } catch (e) {
      result.textContent = what + ": " + e.message;
      result.dataset.outcome = "failed";
    }
    // Show the effect at once rather than at the next poll.
    try {
      applyStatus(await callJson("GET", "/v1/status"));
      state.dead = (await callJson("GET", "/v1/dead?limit=200")).dead;
    } catch (e) {
      // the next poll says what is wrong
    }
    render();
  }

  let shownLimits = null;

  function fillLimitInputs(limits) {
    const text = JSON.stringify(limits);
    if (text === shownLimits) {
      return; // leave what the operator is typing alone
    }
    shownLimits = text;
    const set = (id, value) => {
      if (document.activeElement !== el(id)) {
        el(id).value = value === null || value === undefined ? "" : value;
      }
    };
    set("lim-window-limit", limits.window && limits.window.limit);
    set("lim-window-every", limits.window ? limits.window.every : "");
    set("lim-rate-per-second", limits.rate && limits.rate["per-second"]);
    set("lim-rate-burst", limits.rate && limits.rate.burst);
    set("lim-concurrency", limits.concurrency && limits.concurrency["max-in-flight"]);
  }

  // PUT /v1/limits gets the whole limits object, read just before, with one part changed: the
  // other limits stay as they are whether the server replaces or merges.
  async function setLimit(part) {
    const limits = await callJson("GET", "/v1/limits");
    const number = (id) => (el(id).value.trim() === "" ? null : Number(el(id).value));
    if (part === "window") {
      const limit = number("lim-window-limit");
      const every = el("lim-window-every").value.trim() || (limits.window && limits.window.every) || "1m";
      limits.window = limit === null ? null : { limit: limit, every: every, aligned: !!(limits.window && limits.window.aligned) };
    } else if (part === "rate") {
      const perSecond = number("lim-rate-per-second");
      const burst = number("lim-rate-burst");
      limits.rate = perSecond === null ? null : { "per-second": perSecond, burst: burst === null ? Math.max(1, Math.ceil(perSecond)) : burst };
    } else {
      const max = number("lim-concurrency");
      limits.concurrency = max === null ? null : { "max-in-flight": max };
    }
    shownLimits = null;
    return callJson("PUT", "/v1/limits", limits);
  }

  function askForToken() {
    state.needsToken = true;
    el("token-form").hidden = false;
  }

  function wire() {
    el("pause").addEventListener("click", () => act("pause", () => callJson("POST", "/v1/pause")));
    el("resume").addEventListener("click", () => act("resume", () => callJson("POST", "/v1/resume")));
    el("drain").addEventListener("click", () => {
      if (window.confirm("Drain: take no new events, finish the backlog, then stop the service?")) {
        act("drain", () => callJson("POST", "/v1/drain"));
      }
    });
    el("redrive-all").addEventListener("click", () => act("redrive all", () => callJson("POST", "/v1/dead/redrive", {})));
    for (const button of document.querySelectorAll("#limits button[data-limit]")) {
      const part = button.dataset.limit;
      button.addEventListener("click", () => act("set " + part + " limit", () => setLimit(part)));
    }
    el("token-form").addEventListener("submit", (e) => {
      e.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, el("token-input").value.trim());
      el("token-input").value = "";
      el("token-form").hidden = true;
      state.needsToken = false;
    });
  }

  // ---- adaptive concurrency ---------------------------------------------------------------------

  // The adapted in-flight limit, its ceiling and its last change (each change is not audited: only
  // switching it on or off is); a button switches it.
  function renderAdaptive(s) {
    const a = s.adaptive;
    if (!a) {
      return;
    }
    el("fig-adaptive").textContent = a.enabled ? a.limit + " / " + a.ceiling : "off";
    el("fig-adaptive-last").textContent = a.enabled
      ? "last: " + a.lastChange.reason + " " + a.lastChange.from + " → " + a.lastChange.to +
        " at " + clock(instantMs(a.lastChange.at)) + "; " + a.decreases + " down, " + a.increases + " up"
      : "max in flight is the configured ceiling (" + a.ceiling + ")";
    el("adaptive-settings").textContent = "min " + a.min + ", backoff " + a.backoff +
      (a["latency-above"] ? ", slow above " + a["latency-above"] : "");
    el("adaptive-toggle").textContent = a.enabled ? "Switch off" : "Switch on";
    el("adaptive-toggle").dataset.enabled = a.enabled ? "true" : "false";
    renderAdaptiveRate(a);
  }

  // The share of the window and rate limits allowed now, and what they allow; 1 while only the
  // concurrency adapts.
  function renderAdaptiveRate(a) {
    const adapting = a.enabled && a.rate;
    const allowed = [];
    if (a.windowLimitNow !== null && a.windowLimitNow !== undefined) {
      allowed.push("window " + a.windowLimitNow);
    }
    if (a.ratePerSecondNow !== null && a.ratePerSecondNow !== undefined) {
      allowed.push(a.ratePerSecondNow + "/s");
    }
    el("fig-adaptive-rate").textContent = adapting
      ? "×" + Number(a.rateFactor).toFixed(2) + (allowed.length ? " (" + allowed.join(", ") + ")" : "")
      : "off";
    el("fig-adaptive-rate-last").textContent = adapting
      ? "last: " + a.rateLastChange.reason + " at " + clock(instantMs(a.rateLastChange.at)) + "; " +
        a.rateDecreases + " down, " + a.rateIncreases + " up"
      : "window and rate as configured";
    el("adaptive-rate-toggle").textContent = a.rate ? "Keep the rate" : "Adapt the rate";
    el("adaptive-rate-toggle").dataset.rate = a.rate ? "true" : "false";
  }

  // ---- batches -----------------------------------------------------------------------------------

  // Jobs that carry several events: how many went, their mean size, the partial ones (after the
  // wait) and those the target failed in part. Hidden when every job carries one event.
  function renderBatches(s) {
    const b = s.batch;
    el("batch-figure").hidden = !b;
    el("batch-settings").hidden = !b;
    if (!b) {
      return;
    }
    fillBatchInputs(b);
    const n = b.sinceStart;
    el("fig-batches").textContent = n.released + " × " + n.meanSize.toFixed(1);
    el("fig-batch-detail").textContent = "max " + b.max + ", wait " + b.wait + ", limits count " +
      b.count + ", by " + b.groupedBy + "; " + n.partial + " partial, " + n.partiallyFailed +
      " partly failed";
  }

  let shownBatch = null;

  // The size and wait in force, unless the operator is typing in the field.
  function fillBatchInputs(b) {
    const text = b.max + " " + b.wait;
    if (text === shownBatch) {
      return;
    }
    shownBatch = text;
    if (document.activeElement !== el("batch-max")) {
      el("batch-max").value = b.max;
    }
    if (document.activeElement !== el("batch-wait")) {
      el("batch-wait").value = b.wait;
    }
  }

  // PATCH /v1/batch with the fields filled in; the server checks them as the config file is.
  function setBatch() {
    const patch = {};
    const max = el("batch-max").value.trim();
    const wait = el("batch-wait").value.trim();
    if (max !== "") {
      patch.max = Number(max);
    }
    if (wait !== "") {
      patch.wait = wait;
    }
    shownBatch = null;
    return callJson("PATCH", "/v1/batch", patch);
  }

  function wireBatch() {
    el("batch-set").addEventListener("click", () => act("set batch", setBatch));
  }

  function wireAdaptive() {
    el("adaptive-toggle").addEventListener("click", () => {
      const on = el("adaptive-toggle").dataset.enabled !== "true";
      act("adaptive " + (on ? "on" : "off"), () => callJson("PATCH", "/v1/adaptive", { enabled: on }));
    });
    el("adaptive-rate-toggle").addEventListener("click", () => {
      const rate = el("adaptive-rate-toggle").dataset.rate !== "true";
      act("adaptive rate " + (rate ? "on" : "off"), () => callJson("PATCH", "/v1/adaptive", { rate: rate }));
    });
  }

  wire();
  wireAdaptive();
  wireBatch();
  poll();
})();

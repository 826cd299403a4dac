package dev.sluice.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.InvalidInputException;
import dev.sluice.core.ListedObject;
import dev.sluice.core.backlog.BacklogUnavailableException;
import dev.sluice.core.backlog.DeadLetter;
import dev.sluice.core.backlog.EventLocation;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.batch.BatchPlanner;
import dev.sluice.core.batch.BatchSettings;
import dev.sluice.core.batch.LimitCount;
import dev.sluice.core.control.AuditEntry;
import dev.sluice.core.gate.CapacitySchedule;
import dev.sluice.core.gate.Limits;
import dev.sluice.ingest.IntakeReport;
import dev.sluice.ingest.ListingIntake;
import dev.sluice.service.Sluice;
import dev.sluice.service.config.AdaptiveDocument;
import dev.sluice.service.config.BatchDocument;
import dev.sluice.service.config.HttpConfig;
import dev.sluice.service.config.LimitsDocument;
import dev.sluice.service.config.LimitsPatch;
import dev.sluice.service.config.PartitionsDocument;
import dev.sluice.service.config.ScheduleDocument;
import dev.sluice.service.config.WebhookAuthConfig;
import dev.sluice.service.control.Caller;
import dev.sluice.service.control.Operator;
import dev.sluice.service.forecast.FlowReading;
import dev.sluice.service.forecast.ReleaseOrder;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.staticfiles.Location;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The HTTP API: intake ({@code POST /v1/events}), views (status, limits, dead letters, release log,
 * audit trail, where an object stands, Prometheus metrics at {@code GET /metrics}) and actions,
 * each a thin call to the {@link Operator}; and the dashboard at {@code /}, a static page that is a
 * client of those endpoints. Every error is JSON {@code {"error": "...", "code": "..."}}: the
 * message names the problem, the code is what a program tests.
 *
 * <p>The class of an error decides its status: bad input ({@link InvalidInputException}) is 400, a
 * backlog that cannot commit now ({@link BacklogUnavailableException}: disk full, I/O error) is 503
 * with {@code Retry-After}, anything else is 500. A 5xx is logged with its cause (503s at most once
 * a minute, with a count).
 */
public final class HttpApi implements AutoCloseable {
  private static final int RELEASE_PAGE = 5_000;
  // Marks an error answer written by our own handlers, so the 404 fallback leaves it alone.
  private static final String ANSWERED_ERROR = "sluice.answeredError";

  private static final int AUDIT_PAGE = 100;
  private static final long STOP_GRACE_MILLIS = 5_000;

  /** How long a sender should wait before it sends again to a backlog that cannot commit. */
  static final int STORE_RETRY_AFTER_SECONDS = 5;

  private static final System.Logger LOG = System.getLogger(HttpApi.class.getName());

  /** The header the CLI and the dashboard name themselves in, for the audit trail. */
  public static final String CLIENT_HEADER = "X-Sluice-Client";

  private final Operator operator;
  private final Sluice sluice;
  private final ObjectMapper json;
  private final long maxBodyBytes;
  private final WebhookAuth auth;
  private final ControlAccess control;
  private final ListingIntake listings;
  private final Javalin app;
  private final AtomicReference<Server> jetty = new AtomicReference<>();

  /** Refusals for a backlog that cannot write: the first, then one line a minute. */
  private final RefusalLog refusals;

  private HttpApi(
      Operator operator, ObjectMapper json, HttpConfig http, WebhookAuthConfig authConfig) {
    this.operator = operator;
    this.sluice = operator.sluice();
    this.json = json;
    this.maxBodyBytes = http.maxBody();
    this.auth = new WebhookAuth(authConfig);
    this.control = new ControlAccess(http, auth);
    this.refusals = new RefusalLog(LOG, sluice.time(), Duration.ofMinutes(1));
    this.listings = new ListingIntake(sluice.intake(), sluice.backlog());
    this.app =
        Javalin.create(
                c -> {
                  // We enforce the body limit ourselves (413 with a JSON body); Jetty's own limit
                  // stays above it so it never answers first.
                  c.http.maxRequestSize = drainLimit();
                  c.startup.showJavalinBanner = false;
                  // Tracks requests in progress, so that a stop after a drain can wait for them
                  // (see stopGracefully); an ordinary stop does not wait.
                  c.jetty.modifyServer(server -> jetty.set(server));
                  c.jetty.modifyServletContextHandler(
                      context -> context.insertHandler(new GracefulHandler()));
                  // The dashboard at / and its chart library: everything the page loads comes
                  // from this server, so it works with no internet.
                  c.staticFiles.enableWebjars();
                  c.staticFiles.add(
                      files -> {
                        files.hostedPath = "/";
                        files.directory = "/dashboard";
                        files.location = Location.CLASSPATH;
                      });
                  c.routes.get(
                      "/healthz", ctx -> ctx.json(json.createObjectNode().put("status", "ok")));
                  c.routes.post("/v1/events", this::postEvents);
                  c.routes.get("/v1/status", view(ctx -> send(ctx, 200, status())));
                  c.routes.get("/metrics", view(this::getMetrics));
                  c.routes.post("/v1/pause", action(this::pause));
                  c.routes.post("/v1/resume", action(this::resume));
                  c.routes.post("/v1/drain", action(this::drain));
                  c.routes.get(
                      "/v1/limits",
                      view(ctx -> send(ctx, 200, LimitsDocument.write(sluice.limits(), json))));
                  c.routes.put("/v1/limits", action(this::putLimits));
                  c.routes.patch("/v1/limits", action(this::patchLimits));
                  c.routes.get("/v1/schedule", view(ctx -> send(ctx, 200, schedule())));
                  c.routes.put("/v1/schedule", action(this::putSchedule));
                  c.routes.delete("/v1/schedule", action(this::deleteSchedule));
                  c.routes.get("/v1/adaptive", view(ctx -> send(ctx, 200, adaptiveState())));
                  c.routes.patch("/v1/adaptive", action(this::patchAdaptive));
                  c.routes.get("/v1/batch", view(ctx -> send(ctx, 200, batchState())));
                  c.routes.patch("/v1/batch", action(this::patchBatch));
                  c.routes.get("/v1/partitions", view(ctx -> send(ctx, 200, partitions())));
                  c.routes.patch("/v1/partitions", action(this::patchPartitions));
                  c.routes.get("/v1/dead", view(this::getDead));
                  c.routes.delete("/v1/dead", action(this::purge));
                  c.routes.post("/v1/dead/redrive", action(this::redrive));
                  c.routes.get("/v1/releases", view(this::getReleases));
                  c.routes.get("/v1/audit", view(this::getAudit));
                  // The key may hold '/': the <key> segment takes the rest of the path.
                  c.routes.get("/v1/events/{bucket}/<key>", view(this::getEvent));
                  c.routes.get("/v1/events", view(this::getEvent));
                  c.routes.post("/v1/events/lookup", view(this::lookup));
                  c.routes.post("/v1/events/listed", action(this::takeListed));
                  c.routes.exception(
                      ApiError.class, (e, ctx) -> error(ctx, e.status, e.code, e.getMessage()));
                  // Input the caller can correct: sending it again cannot succeed.
                  c.routes.exception(
                      InvalidInputException.class,
                      (e, ctx) -> error(ctx, 400, "bad_request", e.getMessage()));
                  c.routes.exception(BacklogUnavailableException.class, this::backlogUnavailable);
                  c.routes.exception(
                      Exception.class,
                      (e, ctx) -> {
                        LOG.log(
                            System.Logger.Level.ERROR,
                            ctx.method() + " " + ctx.path() + " failed: 500",
                            e);
                        error(ctx, 500, "internal", "internal error: " + e.getMessage());
                      });
                  // Javalin has already written its own plain-text (or problem+json) 404 by now;
                  // every 404 becomes our JSON error, except one of ours (an unknown object).
                  c.routes.error(
                      404,
                      ctx -> {
                        if (ctx.attribute(ANSWERED_ERROR) == null) {
                          error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
                        }
                      });
                  c.routes.error(
                      405,
                      ctx ->
                          error(
                              ctx, 405, "method not allowed: " + ctx.method() + " " + ctx.path()));
                })
            .start(http.host(), http.port());
  }

  /**
   * Starts the API on {@code http.host:http.port} (port 0 picks a free one): the webhook guarded by
   * {@code auth}, control by {@code http.control-token} (or {@code auth.protect-control}).
   */
  public static HttpApi start(
      Operator operator, ObjectMapper json, HttpConfig http, WebhookAuthConfig auth) {
    return new HttpApi(operator, json, http, auth);
  }

  /**
   * Makes the coming stop wait (up to 5 s) for the requests in progress. A drain ends the service
   * right after its last release, which may be while the answer to {@code POST /v1/drain} is still
   * being written.
   */
  public void stopGracefully() {
    Server server = jetty.get();
    if (server != null) {
      server.setStopTimeout(STOP_GRACE_MILLIS);
    }
  }

  public int port() {
    return app.port();
  }

  private void postEvents(Context ctx) throws IOException {
    // The size limit comes first: an oversized body is 413 before any work is done on it.
    byte[] body = readBody(ctx);
    if (operator.draining()) {
      throw new ApiError(
          503,
          "draining",
          "sluice is draining: it takes no new events and exits when the backlog is done");
    }
    Optional<String> denied =
        auth.checkPost(ctx.header("Authorization"), ctx.header(auth.signatureHeader()), body);
    if (denied.isPresent()) {
      throw unauthorized(ctx, denied.get());
    }
    // A body that cannot be read is InvalidInputException (400); a backlog that cannot commit,
    // BacklogUnavailableException (503): see the exception handlers.
    IntakeReport report = sluice.intake().acceptBody(body);
    ObjectNode out = json.createObjectNode();
    out.put("accepted", report.accepted());
    out.put("duplicates", report.duplicates());
    out.set("dropped", problems(report.dropped()));
    out.set("rejected", problems(report.rejected()));
    if (report.nothingUsable()) {
      out.put("error", "no record could be read: " + report.rejected().get(0).reason());
      send(ctx, 400, out);
    } else {
      send(ctx, 200, out);
    }
  }

  /** A control endpoint that changes something: it needs the control token when one is set. */
  private Handler action(Handler handler) {
    return ctx -> {
      Optional<String> denied = control.checkAction(ctx.header("Authorization"));
      if (denied.isPresent()) {
        throw unauthorized(ctx, denied.get());
      }
      handler.handle(ctx);
    };
  }

  /** A read-only control endpoint: open on loopback, the control token from elsewhere. */
  private Handler view(Handler handler) {
    return ctx -> {
      Optional<String> denied = control.checkView(ctx.header("Authorization"), ctx.ip());
      if (denied.isPresent()) {
        throw unauthorized(ctx, denied.get());
      }
      handler.handle(ctx);
    };
  }

  private static Caller caller(Context ctx) {
    return Caller.overHttp(ctx.header(CLIENT_HEADER), ctx.ip());
  }

  private ObjectNode status() {
    return StatusJson.of(sluice, operator.draining(), json);
  }

  private static ApiError unauthorized(Context ctx, String problem) {
    ctx.header("WWW-Authenticate", "Bearer");
    return new ApiError(401, problem);
  }

  private ArrayNode problems(List<IntakeReport.Problem> list) {
    ArrayNode arr = json.createArrayNode();
    for (IntakeReport.Problem p : list) {
      arr.addObject().put("index", p.index()).put("reason", p.reason());
    }
    return arr;
  }

  /**
   * Reads the body up to the limit; over it is 413 without keeping the rest in memory. The rest is
   * read and dropped (up to {@link #drainLimit()}) before answering: a client that sends its whole
   * body before reading the answer, as {@code java.net.http} does, would otherwise see a broken
   * pipe instead of the 413.
   */
  private byte[] readBody(Context ctx) throws IOException {
    String declared = ctx.header("Content-Length");
    long declaredLength = -1;
    if (declared != null) {
      try {
        declaredLength = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        throw new ApiError(400, "Content-Length is not a number: " + declared);
      }
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (InputStream in = ctx.bodyInputStream()) {
      if (declaredLength > maxBodyBytes) {
        throw tooLarge(in, declaredLength <= drainLimit());
      }
      byte[] chunk = new byte[16 * 1024];
      for (int n; (n = in.read(chunk)) >= 0; ) {
        buf.write(chunk, 0, n);
        if (buf.size() > maxBodyBytes) {
          throw tooLarge(in, true);
        }
      }
    }
    return buf.toByteArray();
  }

  /** Bodies up to this size are drained before a 413; larger ones are cut off at once. */
  private long drainLimit() {
    return maxBodyBytes * 2 + 1024;
  }

  private ApiError tooLarge(InputStream rest, boolean drain) throws IOException {
    if (drain) {
      byte[] sink = new byte[16 * 1024];
      long drained = 0;
      for (int n; drained <= drainLimit() && (n = rest.read(sink)) >= 0; ) {
        drained += n;
      }
    }
    return new ApiError(413, "body is larger than the limit of " + maxBodyBytes + " bytes");
  }

  /** Every meter in the Prometheus text exposition format (version 0.0.4). */
  private void getMetrics(Context ctx) {
    ctx.status(200)
        .contentType("text/plain; version=0.0.4; charset=utf-8")
        .result(sluice.metrics().scrape());
  }

  private void pause(Context ctx) {
    operator.pause(caller(ctx));
    send(ctx, 200, status());
  }

  private void resume(Context ctx) {
    operator.resume(caller(ctx));
    send(ctx, 200, status());
  }

  private void drain(Context ctx) {
    operator.drain(caller(ctx));
    send(ctx, 202, status());
  }

  /** Replaces every limit: a part absent or null is no longer limited. */
  private void putLimits(Context ctx) throws IOException {
    JsonNode node = jsonBody(ctx);
    Operator.LimitsChange change = changeLimits(ctx, current -> LimitsDocument.read(node));
    send(ctx, 200, LimitsDocument.write(change.after(), json));
  }

  /** Changes the parts named and keeps the rest; answers the limits before and after. */
  private void patchLimits(Context ctx) throws IOException {
    JsonNode node = jsonBody(ctx);
    Operator.LimitsChange change = changeLimits(ctx, current -> LimitsPatch.apply(current, node));
    ObjectNode out = json.createObjectNode();
    out.set("before", LimitsDocument.write(change.before(), json));
    out.set("after", LimitsDocument.write(change.after(), json));
    send(ctx, 200, out);
  }

  /**
   * The capacity schedule, and what it gives now: {@code {"schedule": {"zone": ..., "rules":
   * [...]}, "capacity": {"limits": ..., "blackout": false, "rules": [...], "nextChange": ...}}}.
   */
  private ObjectNode schedule() {
    ObjectNode out = json.createObjectNode();
    out.set("schedule", ScheduleDocument.write(sluice.schedule(), json));
    out.set("capacity", ScheduleDocument.writeCapacity(sluice.capacity(), json));
    return out;
  }

  /** Replaces the schedule; a document that breaks a rule is a ConfigException: 400. */
  private void putSchedule(Context ctx) throws IOException {
    JsonNode node = jsonBody(ctx);
    operator.changeSchedule(current -> ScheduleDocument.read(node), caller(ctx));
    send(ctx, 200, schedule());
  }

  /** Removes every rule: the base limits hold at all times. */
  private void deleteSchedule(Context ctx) {
    operator.changeSchedule(current -> CapacitySchedule.NONE, caller(ctx));
    send(ctx, 200, schedule());
  }

  /**
   * Changes the adaptive concurrency settings named and keeps the rest ({@code {"enabled": false}}
   * switches it off); answers the settings before and after, and the adapted limit now.
   */
  private void patchAdaptive(Context ctx) throws IOException {
    JsonNode node = jsonBody(ctx);
    Operator.AdaptiveChange change =
        operator.changeAdaptive(current -> AdaptiveDocument.patch(current, node), caller(ctx));
    ObjectNode out = json.createObjectNode();
    out.set("before", AdaptiveDocument.write(change.before(), json));
    out.set("after", AdaptiveDocument.write(change.after(), json));
    out.set("state", adaptiveState());
    send(ctx, 200, out);
  }

  /** The partitions: how they are formed, their weights and caps, and the busy ones now. */
  private ObjectNode partitions() {
    return PartitionsJson.of(
        sluice.dispatcher().partitions(), sluice.backlog(), sluice.time().now(), json);
  }

  /**
   * Changes the weights and caps named ({@code {"weights": {"a/": 3, "b/": null}}}: set a's, remove
   * b's) and keeps the rest; answers the settings before and after, and the partitions now.
   */
  private void patchPartitions(Context ctx) throws IOException {
    JsonNode node = jsonBody(ctx);
    Operator.PartitionsChange change =
        operator.changePartitions(current -> PartitionsDocument.patch(current, node), caller(ctx));
    ObjectNode out = json.createObjectNode();
    out.set("before", PartitionsDocument.write(change.before(), json));
    out.set("after", PartitionsDocument.write(change.after(), json));
    out.set("state", partitions());
    send(ctx, 200, out);
  }

  /**
   * The batch settings, what the limits count, how batches are grouped and the batches since start,
   * as status shows them; without batching {@code max} 1 and no grouping.
   */
  private ObjectNode batchState() {
    ObjectNode o = StatusJson.batch(sluice, json);
    if (o == null) {
      o = BatchDocument.write(BatchSettings.NONE, json);
      o.put("count", LimitCount.OBJECTS.word());
      o.putNull("groupedBy");
      o.putNull("sinceStart");
    }
    return o;
  }

  /**
   * Changes the batch size ({@code max}) and the wait named and keeps the other; answers the
   * settings before and after, and the batches now. Switching batching on or off, or what the
   * limits count, is refused (400): those are the config file's.
   */
  private void patchBatch(Context ctx) throws IOException {
    JsonNode node = jsonBody(ctx);
    BatchPlanner planner = sluice.dispatcher().batchPlanner();
    LimitCount count = planner == null ? LimitCount.OBJECTS : planner.count();
    Operator.BatchChange change =
        operator.changeBatch(current -> BatchDocument.patch(current, count, node), caller(ctx));
    ObjectNode out = json.createObjectNode();
    out.set("before", BatchDocument.write(change.before(), json));
    out.set("after", BatchDocument.write(change.after(), json));
    out.set("state", batchState());
    send(ctx, 200, out);
  }

  private ObjectNode adaptiveState() {
    return AdaptiveDocument.state(sluice.dispatcher().adaptive().state(), json);
  }

  /** A limits document that breaks a rule is a ConfigException: 400, by its class. */
  private Operator.LimitsChange changeLimits(Context ctx, UnaryOperator<Limits> change) {
    return operator.changeLimits(change.andThen(this::batchesCanGo)::apply, caller(ctx));
  }

  /**
   * Counting objects, a batch takes K permits at once: limits below K would hold every batch back,
   * so they are refused as the config file refuses them.
   */
  private Limits batchesCanGo(Limits limits) {
    BatchPlanner planner = sluice.dispatcher().batchPlanner();
    if (planner != null) {
      BatchDocument.checkAgainst(planner.settings(), planner.count(), limits);
    }
    return limits;
  }

  /**
   * Nothing of the request was committed, and the same request may succeed once the store writes
   * again (space returns): 503, with when to try again.
   */
  private void backlogUnavailable(BacklogUnavailableException e, Context ctx) {
    refusals.refused(ctx.method() + " " + ctx.path(), e);
    ctx.header("Retry-After", String.valueOf(STORE_RETRY_AFTER_SECONDS));
    String message =
        e.full()
            ? "the backlog is full and cannot take events now; nothing was accepted, send again"
                + " later: "
            : "the backlog cannot write now; nothing was accepted, send again later: ";
    error(ctx, 503, e.full() ? "store_full" : "store_unavailable", message + e.getMessage());
  }

  private JsonNode jsonBody(Context ctx) throws IOException {
    try {
      return json.readTree(readBody(ctx));
    } catch (IOException e) {
      throw new ApiError(400, "body is not JSON: " + firstLine(e.getMessage()));
    }
  }

  private void getDead(Context ctx) {
    long after = longParam(ctx, "after", 0);
    long requested = longParam(ctx, "limit", 1000);
    if (requested < 1) {
      throw new ApiError(400, "limit must be >= 1, got " + requested);
    }
    int limit = (int) Math.min(requested, 10_000);
    List<DeadLetter> dead = sluice.backlog().deadLetters(after, limit);
    ObjectNode out = json.createObjectNode();
    ArrayNode arr = out.putArray("dead");
    for (DeadLetter d : dead) {
      ObjectNode o = arr.addObject();
      o.put("eventId", d.eventId());
      o.put("bucket", d.event().bucket());
      o.put("key", d.event().key());
      o.put("identity", d.event().identity().toString());
      o.put("attempts", d.attempts());
      o.put("lastError", d.lastError());
      o.put("deadAt", String.valueOf(d.deadAt()));
    }
    if (dead.size() == limit) {
      out.put("next", dead.get(dead.size() - 1).eventId());
    }
    send(ctx, 200, out);
  }

  private void redrive(Context ctx) throws IOException {
    int moved = operator.redrive(ids(ctx), caller(ctx)).count();
    send(ctx, 200, json.createObjectNode().put("redriven", moved));
  }

  /** {@code DELETE /v1/dead}: ids in the query ({@code ?ids=1,2}) or the body; none means all. */
  private void purge(Context ctx) throws IOException {
    List<Long> ids = new ArrayList<>();
    String query = ctx.queryParam("ids");
    if (query != null && !query.isBlank()) {
      for (String id : query.split(",")) {
        try {
          ids.add(Long.parseLong(id.strip()));
        } catch (NumberFormatException e) {
          throw new ApiError(400, "ids must be integers separated by commas, got " + query);
        }
      }
    }
    ids.addAll(ids(ctx));
    int purged = operator.purge(ids, caller(ctx)).count();
    send(ctx, 200, json.createObjectNode().put("purged", purged));
  }

  /** {@code GET /v1/audit?before=ID&limit=N}: the audit trail, newest first. */
  private void getAudit(Context ctx) {
    long before = longParam(ctx, "before", 0);
    long requested = longParam(ctx, "limit", AUDIT_PAGE);
    if (requested < 1) {
      throw new ApiError(400, "limit must be >= 1, got " + requested);
    }
    int limit = (int) Math.min(requested, 1000);
    List<AuditEntry> page = operator.audit(before, limit);
    ObjectNode out = json.createObjectNode();
    ArrayNode arr = out.putArray("entries");
    page.forEach(e -> arr.add(AuditJson.of(e, json)));
    if (page.size() == limit) {
      out.put("next", page.get(page.size() - 1).id());
    }
    send(ctx, 200, out);
  }

  /** The {@code ids} of a JSON body {@code {"ids": [..]}}; empty for no body or no ids. */
  private List<Long> ids(Context ctx) throws IOException {
    byte[] body = readBody(ctx);
    List<Long> ids = new ArrayList<>();
    if (body.length > 0) {
      JsonNode node;
      try {
        node = json.readTree(body);
      } catch (IOException e) {
        throw new ApiError(400, "body is not JSON: " + firstLine(e.getMessage()));
      }
      JsonNode idsNode = node == null ? null : node.get("ids");
      if (idsNode != null && !idsNode.isNull()) {
        if (!idsNode.isArray()) {
          throw new ApiError(400, "ids must be an array of event ids");
        }
        for (JsonNode id : idsNode) {
          if (!id.canConvertToLong()) {
            throw new ApiError(400, "ids must hold integers, got " + id);
          }
          ids.add(id.asLong());
        }
      }
    }
    return ids;
  }

  /**
   * Where the events of one object stand, with their forecast start: {@code /v1/events/BUCKET/KEY}
   * (KEY percent-encoded as a path) or {@code /v1/events?bucket=BUCKET&key=KEY}.
   */
  private void getEvent(Context ctx) {
    String bucket;
    String key;
    if (ctx.pathParamMap().containsKey("bucket")) {
      bucket = ctx.pathParam("bucket");
      key = ctx.pathParam("key");
    } else {
      bucket = ctx.queryParam("bucket");
      key = ctx.queryParam("key");
      if (bucket == null || bucket.isEmpty() || key == null || key.isEmpty()) {
        throw new ApiError(
            400, "give the object as /v1/events/BUCKET/KEY or /v1/events?bucket=BUCKET&key=KEY");
      }
    }
    Instant now = sluice.time().now();
    List<EventLocation> found = sluice.backlog().locate(bucket, key, now);
    if (found.isEmpty()) {
      throw new ApiError(404, "no event for bucket " + bucket + " key " + key);
    }
    // The forecast reads the release log: only worth it when an event still waits.
    boolean waits = found.stream().anyMatch(l -> l.ahead() != null);
    BatchPlanner batches = sluice.dispatcher().batchPlanner();
    FlowReading reading =
        waits
            ? FlowReading.of(
                sluice.backlog(),
                sluice.limits(),
                sluice.schedule(),
                batches,
                sluice.dispatcher().adaptive().rateFactor(),
                sluice.dispatcher().adaptive().wholeReleasePermits(),
                now)
            : null;
    ReleaseOrder order =
        ReleaseOrder.of(sluice.dispatcher().partitions(), batches, sluice.backlog());
    List<Long> permitsBefore = new ArrayList<>(found.size());
    for (EventLocation l : found) {
      permitsBefore.add(order.permitsBefore(l, now));
    }
    send(
        ctx,
        200,
        EventJson.of(
            bucket,
            key,
            found,
            new EventJson.Placing(order.name(), permitsBefore),
            now,
            reading,
            sluice.dispatcher().isPaused(),
            json));
  }

  /**
   * {@code POST /v1/events/lookup}: which of the objects a listing found the backlog has seen (by
   * bucket and key, and eTag when both sides have one), as {@code {"known": [true, false, ...]}} in
   * the order asked. What {@code sluice reconcile} compares a listing with.
   */
  private void lookup(Context ctx) throws IOException {
    List<ListedObject> objects = ListedObjectsJson.objects(jsonBody(ctx));
    ArrayNode known = json.createArrayNode();
    sluice.backlog().known(objects).forEach(known::add);
    ObjectNode out = json.createObjectNode();
    out.set("known", known);
    send(ctx, 200, out);
  }

  /**
   * {@code POST /v1/events/listed}: takes the objects a listing found as events of the body's
   * source ({@code backfill} unless named), those the backlog has not seen; answers {@code
   * {"listed", "taken", "known"}} once the taken ones are durable.
   */
  private void takeListed(Context ctx) throws IOException {
    JsonNode body = jsonBody(ctx);
    List<ListedObject> objects = ListedObjectsJson.objects(body);
    String source = ListedObjectsJson.source(body);
    if (operator.draining()) {
      throw new ApiError(
          503,
          "draining",
          "sluice is draining: it takes no new events and exits when the backlog is done");
    }
    ListingIntake.Taken taken = listings.take(objects, source);
    send(
        ctx,
        200,
        json.createObjectNode()
            .put("listed", taken.listed())
            .put("taken", taken.taken())
            .put("known", taken.known()));
  }

  /** The release log as JSON lines, streamed page by page so a long log never sits in memory. */
  private void getReleases(Context ctx) throws IOException {
    Instant since = Instant.EPOCH;
    String s = ctx.queryParam("since");
    if (s != null && !s.isBlank()) {
      try {
        since = Instant.parse(s.trim());
      } catch (DateTimeParseException e) {
        throw new ApiError(
            400, "since must be an ISO-8601 instant like 2026-01-01T00:00:00Z, got " + s);
      }
    }
    ctx.status(200);
    ctx.contentType("application/x-ndjson");
    OutputStream out = ctx.outputStream();
    long after = 0;
    while (true) {
      List<ReleaseRecord> page = sluice.backlog().releases(since, after, RELEASE_PAGE);
      for (ReleaseRecord r : page) {
        out.write(json.writeValueAsBytes(ReleaseJson.of(r, json)));
        out.write('\n');
      }
      if (page.size() < RELEASE_PAGE) {
        break;
      }
      after = page.get(page.size() - 1).releaseId();
    }
    out.flush();
  }

  private static long longParam(Context ctx, String name, long dflt) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < 0) {
        throw new ApiError(400, name + " must be >= 0, got " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ApiError(400, name + " must be an integer, got " + v);
    }
  }

  private void send(Context ctx, int status, JsonNode body) {
    try {
      ctx.status(status).contentType("application/json").result(json.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private void error(Context ctx, int status, String message) {
    error(ctx, status, ApiError.codeOf(status), message);
  }

  private void error(Context ctx, int status, String code, String message) {
    ctx.attribute(ANSWERED_ERROR, Boolean.TRUE);
    send(ctx, status, json.createObjectNode().put("error", message).put("code", code));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override
  public void close() {
    app.stop();
  }
}

package dev.sluice.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.SluiceException;
import dev.sluice.core.backlog.DeadLetter;
import dev.sluice.core.backlog.EventLocation;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.ingest.IntakeReport;
import dev.sluice.ingest.MalformedBodyException;
import dev.sluice.service.Sluice;
import dev.sluice.service.config.ConfigException;
import dev.sluice.service.config.LimitsDocument;
import dev.sluice.service.config.WebhookAuthConfig;
import dev.sluice.service.forecast.FlowReading;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.staticfiles.Location;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP API: intake ({@code POST /v1/events}), control (status, pause, resume, limits, dead
 * letters, release log), Prometheus metrics ({@code GET /metrics}) and the dashboard at {@code /},
 * a static page that is a client of those endpoints. Every error is JSON {@code {"error": "..."}}
 * naming the problem.
 */
public final class HttpApi implements AutoCloseable {
  private static final int RELEASE_PAGE = 5_000;
  // Marks an error answer written by our own handlers, so the 404 fallback leaves it alone.
  private static final String ANSWERED_ERROR = "sluice.answeredError";

  private final Sluice sluice;
  private final ObjectMapper json;
  private final long maxBodyBytes;
  private final WebhookAuth auth;
  private final Javalin app;

  private HttpApi(
      Sluice sluice,
      ObjectMapper json,
      long maxBodyBytes,
      WebhookAuthConfig authConfig,
      String host,
      int port) {
    this.sluice = sluice;
    this.json = json;
    this.maxBodyBytes = maxBodyBytes;
    this.auth = new WebhookAuth(authConfig);
    this.app =
        Javalin.create(
                c -> {
                  // We enforce the body limit ourselves (413 with a JSON body); Jetty's own limit
                  // stays above it so it never answers first.
                  c.http.maxRequestSize = drainLimit();
                  c.startup.showJavalinBanner = false;
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
                  c.routes.get(
                      "/v1/status", guarded(ctx -> send(ctx, 200, StatusJson.of(sluice, json))));
                  c.routes.get("/metrics", guarded(this::getMetrics));
                  c.routes.post("/v1/pause", guarded(this::pause));
                  c.routes.post("/v1/resume", guarded(this::resume));
                  c.routes.get(
                      "/v1/limits",
                      guarded(ctx -> send(ctx, 200, LimitsDocument.write(sluice.limits(), json))));
                  c.routes.put("/v1/limits", guarded(this::putLimits));
                  c.routes.get("/v1/dead", guarded(this::getDead));
                  c.routes.post("/v1/dead/redrive", guarded(this::redrive));
                  c.routes.get("/v1/releases", guarded(this::getReleases));
                  // The key may hold '/': the <key> segment takes the rest of the path.
                  c.routes.get("/v1/events/{bucket}/<key>", guarded(this::getEvent));
                  c.routes.get("/v1/events", guarded(this::getEvent));
                  c.routes.exception(
                      ApiError.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
                  // Broken infrastructure (the backlog cannot commit): nothing was accepted, and
                  // 503 tells the sender to try again.
                  c.routes.exception(
                      SluiceException.class,
                      (e, ctx) -> error(ctx, 503, "backlog unavailable: " + e.getMessage()));
                  c.routes.exception(
                      Exception.class,
                      (e, ctx) -> error(ctx, 500, "internal error: " + e.getMessage()));
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
            .start(host, port);
  }

  /** Starts the API on host:port (port 0 picks a free one), with an open webhook. */
  public static HttpApi start(
      Sluice sluice, ObjectMapper json, long maxBodyBytes, String host, int port) {
    return start(sluice, json, maxBodyBytes, WebhookAuthConfig.none(), host, port);
  }

  /** Starts the API on host:port (port 0 picks a free one), guarded by {@code auth}. */
  public static HttpApi start(
      Sluice sluice,
      ObjectMapper json,
      long maxBodyBytes,
      WebhookAuthConfig auth,
      String host,
      int port) {
    return new HttpApi(sluice, json, maxBodyBytes, auth, host, port);
  }

  public int port() {
    return app.port();
  }

  private void postEvents(Context ctx) throws IOException {
    // The size limit comes first: an oversized body is 413 before any work is done on it.
    byte[] body = readBody(ctx);
    Optional<String> denied =
        auth.checkPost(ctx.header("Authorization"), ctx.header(auth.signatureHeader()), body);
    if (denied.isPresent()) {
      throw unauthorized(ctx, denied.get());
    }
    IntakeReport report;
    try {
      report = sluice.intake().acceptBody(body);
    } catch (MalformedBodyException e) {
      throw new ApiError(400, e.getMessage());
    }
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

  /** A control endpoint that needs the bearer token when {@code protect-control} is on. */
  private Handler guarded(Handler handler) {
    if (!auth.protectsControl()) {
      return handler;
    }
    return ctx -> {
      Optional<String> denied = auth.checkControl(ctx.header("Authorization"));
      if (denied.isPresent()) {
        throw unauthorized(ctx, denied.get());
      }
      handler.handle(ctx);
    };
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
    sluice.dispatcher().pause();
    send(ctx, 200, StatusJson.of(sluice, json));
  }

  private void resume(Context ctx) {
    sluice.dispatcher().resume();
    send(ctx, 200, StatusJson.of(sluice, json));
  }

  private void putLimits(Context ctx) throws IOException {
    JsonNode node;
    try {
      node = json.readTree(readBody(ctx));
    } catch (IOException e) {
      throw new ApiError(400, "body is not JSON: " + firstLine(e.getMessage()));
    }
    try {
      sluice.dispatcher().setLimits(LimitsDocument.read(node));
    } catch (ConfigException e) {
      throw new ApiError(400, e.getMessage());
    }
    send(ctx, 200, LimitsDocument.write(sluice.limits(), json));
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
    int moved = sluice.backlog().redrive(ids, sluice.time().now());
    sluice.dispatcher().wake();
    send(ctx, 200, json.createObjectNode().put("redriven", moved));
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
    FlowReading reading = waits ? FlowReading.of(sluice.backlog(), sluice.limits(), now) : null;
    send(
        ctx,
        200,
        EventJson.of(bucket, key, found, now, reading, sluice.dispatcher().isPaused(), json));
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
    ctx.attribute(ANSWERED_ERROR, Boolean.TRUE);
    send(ctx, status, json.createObjectNode().put("error", message));
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

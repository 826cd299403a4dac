package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.service.config.WebhookAuthConfig;
import dev.sluice.testkit.RecordingTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sources.webhook.auth} against the real service over HTTP: the bearer token and the
 * HMAC-SHA256 signature of the body are required when configured, and a post without them is 401
 * naming what was missing or wrong, with nothing kept.
 */
class WebhookAuthTest {
  private static final String TOKEN = "t0ken-for-tests";
  private static final String SECRET = "hmac-secret-for-tests";

  @TempDir Path dataDir;

  private static byte[] body(String... keys) {
    return Notifications.forKeys(List.of(keys)).getBytes(StandardCharsets.UTF_8);
  }

  /** HMAC-SHA256 of {@code body} under {@code secret}, as lowercase hex. */
  private static String sign(String secret, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  private static long backlog(RunningSluice sluice) {
    return sluice.status().get("backlog").asLong();
  }

  @Test
  void postEvents_whenBearerTokenConfigured_needsTheTokenAndKeepsOnlyAuthorizedPosts() {
    try (RunningSluice sluice =
        RunningSluice.startWithAuth(
            dataDir, RecordingTarget.completing(), true, WebhookAuthConfig.bearer(TOKEN))) {
      String missing = sluice.api.post("/v1/events", body("a"), Map.of()).error(401);
      assertThat(missing).contains("missing Authorization header");

      String wrong =
          sluice
              .api
              .post("/v1/events", body("b"), Map.of("Authorization", "Bearer not-the-token"))
              .error(401);
      assertThat(wrong).contains("bearer token does not match").doesNotContain(TOKEN);

      String noScheme =
          sluice.api.post("/v1/events", body("c"), Map.of("Authorization", TOKEN)).error(401);
      assertThat(noScheme).contains("bearer token does not match");
      assertThat(backlog(sluice)).isZero();

      assertThat(
              sluice
                  .api
                  .post("/v1/events", body("d", "e"), Map.of("Authorization", "Bearer " + TOKEN))
                  .ok()
                  .get("accepted")
                  .asInt())
          .isEqualTo(2);
      // The scheme is case-insensitive (RFC 9110).
      assertThat(
              sluice
                  .api
                  .post("/v1/events", body("f"), Map.of("Authorization", "bearer " + TOKEN))
                  .ok()
                  .get("accepted")
                  .asInt())
          .isEqualTo(1);
      // Control endpoints stay open unless protect-control is set.
      assertThat(backlog(sluice)).isEqualTo(3);
    }
  }

  @Test
  void postEvents_whenTokenHasTwoWords_acceptsItAsMinioSendsIt() {
    // MinIO sends an auth_token of the form "<scheme> <token>" as the whole header.
    String minioToken = "Token abc123";
    try (RunningSluice sluice =
        RunningSluice.startWithAuth(
            dataDir, RecordingTarget.completing(), true, WebhookAuthConfig.bearer(minioToken))) {
      assertThat(
              sluice
                  .api
                  .post("/v1/events", body("m1"), Map.of("Authorization", minioToken))
                  .ok()
                  .get("accepted")
                  .asInt())
          .isEqualTo(1);
      assertThat(
              sluice
                  .api
                  .post("/v1/events", body("m2"), Map.of("Authorization", "Token abc124"))
                  .error(401))
          .contains("bearer token does not match");
      assertThat(backlog(sluice)).isEqualTo(1);
    }
  }

  @Test
  void postEvents_whenHmacConfigured_needsASignatureOfTheExactBody() throws Exception {
    try (RunningSluice sluice =
        RunningSluice.startWithAuth(
            dataDir, RecordingTarget.completing(), true, WebhookAuthConfig.hmac(SECRET))) {
      byte[] first = body("h1");
      byte[] second = body("h2", "h3");
      byte[] third = body("h4");

      assertThat(sluice.api.post("/v1/events", first, Map.of()).error(401))
          .contains("missing X-Sluice-Signature header");
      assertThat(
              sluice
                  .api
                  .post("/v1/events", first, Map.of("X-Sluice-Signature", sign(SECRET, second)))
                  .error(401))
          .contains("X-Sluice-Signature does not match the body");
      assertThat(
              sluice
                  .api
                  .post("/v1/events", first, Map.of("X-Sluice-Signature", sign("other", first)))
                  .error(401))
          .contains("does not match")
          .doesNotContain(SECRET);
      assertThat(
              sluice
                  .api
                  .post("/v1/events", first, Map.of("X-Sluice-Signature", "sha256=zz-not-hex"))
                  .error(401))
          .contains("X-Sluice-Signature is not hex");
      assertThat(backlog(sluice)).isZero();

      assertThat(
              sluice
                  .api
                  .post("/v1/events", first, Map.of("X-Sluice-Signature", sign(SECRET, first)))
                  .ok()
                  .get("accepted")
                  .asInt())
          .isEqualTo(1);
      assertThat(
              sluice
                  .api
                  .post(
                      "/v1/events",
                      second,
                      Map.of("X-Sluice-Signature", "sha256=" + sign(SECRET, second)))
                  .ok()
                  .get("accepted")
                  .asInt())
          .isEqualTo(2);
      // Header names are case-insensitive; upper-case hex is the same signature.
      assertThat(
              sluice
                  .api
                  .post(
                      "/v1/events",
                      third,
                      Map.of("x-sluice-signature", sign(SECRET, third).toUpperCase()))
                  .ok()
                  .get("accepted")
                  .asInt())
          .isEqualTo(1);
      assertThat(backlog(sluice)).isEqualTo(4);
    }
  }

  @Test
  void postEvents_whenBothConfigured_needsBoth() throws Exception {
    WebhookAuthConfig both = new WebhookAuthConfig(TOKEN, SECRET, "X-Hub-Signature-256", false);
    try (RunningSluice sluice =
        RunningSluice.startWithAuth(dataDir, RecordingTarget.completing(), true, both)) {
      byte[] b = body("both");
      String signature = "sha256=" + sign(SECRET, b);

      assertThat(
              sluice
                  .api
                  .post("/v1/events", b, Map.of("Authorization", "Bearer " + TOKEN))
                  .error(401))
          .contains("missing X-Hub-Signature-256 header");
      assertThat(
              sluice.api.post("/v1/events", b, Map.of("X-Hub-Signature-256", signature)).error(401))
          .contains("missing Authorization header");
      assertThat(backlog(sluice)).isZero();

      assertThat(
              sluice
                  .api
                  .post(
                      "/v1/events",
                      b,
                      Map.of("Authorization", "Bearer " + TOKEN, "X-Hub-Signature-256", signature))
                  .ok()
                  .get("accepted")
                  .asInt())
          .isEqualTo(1);
    }
  }

  @Test
  void postEvents_whenAuthorizedButUnreadableOrTooLarge_answers400Or413() throws Exception {
    try (RunningSluice sluice =
        RunningSluice.startWithAuth(
            dataDir, RecordingTarget.completing(), true, WebhookAuthConfig.hmac(SECRET))) {
      byte[] garbage = "{\"Records\": [".getBytes(StandardCharsets.UTF_8);
      assertThat(
              sluice
                  .api
                  .post("/v1/events", garbage, Map.of("X-Sluice-Signature", sign(SECRET, garbage)))
                  .error(400))
          .contains("not JSON");

      // Over the limit, with no credentials at all: the size limit answers before auth.
      byte[] huge = new byte[2 * 1024 * 1024];
      Arrays.fill(huge, (byte) ' ');
      assertThat(sluice.api.post("/v1/events", huge, Map.of()).error(413)).contains("larger than");
      assertThat(sluice.api.get("/healthz").ok().get("status").asText()).isEqualTo("ok");
    }
  }

  @Test
  void controlEndpoints_whenProtectControlSet_needTheTokenButHealthzStaysOpen() {
    WebhookAuthConfig guarded =
        new WebhookAuthConfig(TOKEN, null, WebhookAuthConfig.DEFAULT_HMAC_HEADER, true);
    try (RunningSluice sluice =
        RunningSluice.startWithAuth(dataDir, RecordingTarget.completing(), true, guarded)) {
      assertThat(sluice.api.get("/v1/status").error(401)).contains("missing Authorization header");
      assertThat(sluice.api.post("/v1/resume", "").error(401))
          .contains("missing Authorization header");
      assertThat(sluice.api.get("/v1/releases").error(401))
          .contains("missing Authorization header");
      assertThat(sluice.api.put("/v1/limits", "{}").error(401))
          .contains("missing Authorization header");
      assertThat(sluice.api.get("/healthz").ok().get("status").asText()).isEqualTo("ok");

      ApiCalls.Answer status =
          sluice.api.send(
              "GET",
              "/v1/status",
              java.net.http.HttpRequest.BodyPublishers.noBody(),
              Map.of("Authorization", "Bearer " + TOKEN));
      assertThat(status.ok().has("backlog")).isTrue();
    }
  }
}

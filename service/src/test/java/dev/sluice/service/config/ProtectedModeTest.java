package dev.sluice.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.dispatch.RetryPolicy;
import dev.sluice.service.SluiceService;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Beyond loopback, a service without credentials refuses to start unless told it may. */
class ProtectedModeTest {
  private static final String TOKEN = "c0ntrol-t0ken-0123456789abcdef";

  @TempDir Path dir;

  private static SluiceConfig httpOn(String host) {
    SluiceConfig d = SluiceConfig.defaults();
    return d.withHttp(new HttpConfig(host, 0, HttpConfig.DEFAULT_MAX_BODY))
        .withS3Endpoint(
            new S3EndpointConfig(
                false, "127.0.0.1", 0, d.s3Endpoint().buckets(), null, null, "us-east-1"));
  }

  @Test
  void refusal_whenHttpOnAllInterfacesWithoutCredentials_namesBothKeysAndTheEscape() {
    String why = ProtectedMode.refusal(httpOn("0.0.0.0")).orElseThrow();

    assertThat(why)
        .contains("0.0.0.0")
        .contains("sources.webhook.auth")
        .contains("http.control-token")
        .contains("http.allow-unprotected: true")
        .doesNotContain("\n");
  }

  @Test
  void refusal_whenOnlyTheWebhookIsGuarded_namesTheControlToken() {
    SluiceConfig c = httpOn("192.168.1.5").withWebhookAuth(WebhookAuthConfig.hmac("s3cret"));

    assertThat(ProtectedMode.refusal(c).orElseThrow())
        .contains("control endpoints are open")
        .contains("http.control-token")
        .doesNotContain("sources.webhook.auth and");
  }

  @Test
  void refusal_whenBothGuardedOrAllowedOrLoopback_isEmpty() {
    SluiceConfig guarded =
        httpOn("0.0.0.0").withWebhookAuth(WebhookAuthConfig.bearer("webhook-token"));
    guarded = guarded.withHttp(guarded.http().withControlToken(TOKEN));
    HttpConfig open = new HttpConfig("0.0.0.0", 0, HttpConfig.DEFAULT_MAX_BODY, null, true);

    assertThat(ProtectedMode.refusal(guarded)).isEmpty();
    assertThat(ProtectedMode.refusal(httpOn("0.0.0.0").withHttp(open))).isEmpty();
    assertThat(ProtectedMode.refusal(httpOn("127.0.0.1"))).isEmpty();
    assertThat(ProtectedMode.refusal(httpOn("localhost"))).isEmpty();
    assertThat(ProtectedMode.refusal(httpOn("::1"))).isEmpty();
    assertThat(ProtectedMode.refusal(SluiceConfig.defaults())).isEmpty();
  }

  @Test
  void refusal_whenS3EndpointBeyondLoopbackWithoutKeys_namesItsKeys() {
    SluiceConfig c =
        SluiceConfig.defaults()
            .withS3Endpoint(
                new S3EndpointConfig(
                    true, "0.0.0.0", 0, java.util.List.of("data"), null, null, "us-east-1"));

    assertThat(ProtectedMode.refusal(c).orElseThrow())
        .contains("S3 endpoint")
        .contains("s3-endpoint.access-key")
        .contains("s3-endpoint.allow-unprotected: true");
    SluiceConfig signed =
        c.withS3Endpoint(
            new S3EndpointConfig(
                true, "0.0.0.0", 0, java.util.List.of("data"), "AKID", "secret", "us-east-1"));
    assertThat(ProtectedMode.refusal(signed)).isEmpty();
  }

  @Test
  void isLoopback_judgesLiteralsAndLocalhostOnly() {
    assertThat(ProtectedMode.isLoopback("127.0.0.1")).isTrue();
    assertThat(ProtectedMode.isLoopback("127.1.2.3")).isTrue();
    assertThat(ProtectedMode.isLoopback("[::1]")).isTrue();
    assertThat(ProtectedMode.isLoopback("0.0.0.0")).isFalse();
    assertThat(ProtectedMode.isLoopback("127.0.0.1.example.com")).isFalse();
    assertThat(ProtectedMode.isLoopback("127.0.0.300")).isFalse();
    assertThat(ProtectedMode.isLoopback("myhost")).isFalse();
  }

  @Test
  void start_whenRefused_throwsBeforeOpeningAnything() {
    SluiceConfig c =
        new SluiceConfig(
            dir.resolve("data"),
            new HttpConfig("0.0.0.0", 0, HttpConfig.DEFAULT_MAX_BODY),
            new S3EndpointConfig(
                false, "127.0.0.1", 0, java.util.List.of("data"), null, null, "us-east-1"),
            SluiceConfig.DEFAULT_LIMITS,
            RetryPolicy.defaults(),
            DispatcherConfig.defaults(),
            TargetConfig.log(),
            StoreConfig.defaults());

    assertThatThrownBy(() -> SluiceService.start(c))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("allow-unprotected");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void load_whenKeysSet_readsControlTokenAndAllowUnprotected() {
    SluiceConfig c =
        ConfigLoader.parse(
            "http:\n  host: 0.0.0.0\n  control-token: "
                + TOKEN
                + "\n  allow-unprotected: true\n"
                + "s3-endpoint:\n  host: 0.0.0.0\n  allow-unprotected: true\n");

    assertThat(c.http().controlToken()).isEqualTo(TOKEN);
    assertThat(c.http().allowUnprotected()).isTrue();
    assertThat(c.s3Endpoint().allowUnprotected()).isTrue();
    assertThat(c.toString()).doesNotContain(TOKEN);
    assertThatThrownBy(() -> ConfigLoader.parse("http:\n  control-token: abc\n"))
        .hasMessageContaining("http.control-token")
        .hasMessageContaining("16");
    assertThatThrownBy(() -> ConfigLoader.parse("http:\n  control-token: \"has space in it xx\"\n"))
        .hasMessageContaining("control-token");
  }
}

package dev.sluice.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.service.config.HttpConfig;
import dev.sluice.service.config.WebhookAuthConfig;
import org.junit.jupiter.api.Test;

class ControlAccessTest {
  private static final String TOKEN = "c0ntrol-t0ken-0123456789abcdef";

  private static ControlAccess withToken() {
    return new ControlAccess(
        HttpConfig.defaults().withControlToken(TOKEN),
        new WebhookAuth(WebhookAuthConfig.bearer("webhook-token")));
  }

  @Test
  void checkView_whenClientIsBeyondLoopback_needsTheControlToken() {
    ControlAccess access = withToken();

    assertThat(access.checkView(null, "10.0.0.7")).get().asString().contains("missing");
    assertThat(access.checkView("Bearer webhook-token", "10.0.0.7"))
        .get()
        .asString()
        .contains("does not match");
    assertThat(access.checkView("Bearer " + TOKEN, "10.0.0.7")).isEmpty();
    assertThat(access.checkView(null, "127.0.0.1")).isEmpty();
    assertThat(access.checkView(null, "0:0:0:0:0:0:0:1")).isEmpty();
  }

  @Test
  void checkAction_whenClientIsOnLoopback_stillNeedsTheControlToken() {
    ControlAccess access = withToken();

    assertThat(access.checkAction(null)).isPresent();
    // The webhook's token is a different credential.
    assertThat(access.checkAction("Bearer webhook-token")).isPresent();
    assertThat(access.checkAction("bearer " + TOKEN)).isEmpty();
  }

  @Test
  void check_whenNoControlTokenAndProtectControl_usesTheWebhookTokenForViewsAndActions() {
    ControlAccess access =
        new ControlAccess(
            HttpConfig.defaults(),
            new WebhookAuth(
                new WebhookAuthConfig(
                    "webhook-token", null, WebhookAuthConfig.DEFAULT_HMAC_HEADER, true)));

    assertThat(access.checkView(null, "127.0.0.1")).isPresent();
    assertThat(access.checkAction("Bearer webhook-token")).isEmpty();
  }

  @Test
  void check_whenNothingConfigured_isOpen() {
    ControlAccess access =
        new ControlAccess(HttpConfig.defaults(), new WebhookAuth(WebhookAuthConfig.none()));

    assertThat(access.checkAction(null)).isEmpty();
    assertThat(access.checkView(null, "10.0.0.7")).isEmpty();
  }

  @Test
  void isLoopback_readsLiteralAddressesOnly() {
    assertThat(ControlAccess.isLoopback("127.0.0.1")).isTrue();
    assertThat(ControlAccess.isLoopback("127.3.2.1")).isTrue();
    assertThat(ControlAccess.isLoopback("[::1]")).isTrue();
    assertThat(ControlAccess.isLoopback("10.0.0.7")).isFalse();
    assertThat(ControlAccess.isLoopback("localhost")).isFalse();
    assertThat(ControlAccess.isLoopback(null)).isFalse();
  }
}

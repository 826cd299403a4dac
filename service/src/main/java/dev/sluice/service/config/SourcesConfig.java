package dev.sluice.service.config;

import java.util.Objects;

/**
 * The {@code sources:} section: where events come from besides the embedded S3 endpoint.
 *
 * @param webhook how {@code POST /v1/events} reads notifications ({@code sources.webhook})
 * @param webhookAuth who may post to it ({@code sources.webhook.auth})
 */
public record SourcesConfig(WebhookSourceConfig webhook, WebhookAuthConfig webhookAuth) {

  public SourcesConfig {
    Objects.requireNonNull(webhook, "sources.webhook");
    Objects.requireNonNull(webhookAuth, "sources.webhook.auth");
  }

  public static SourcesConfig defaults() {
    return new SourcesConfig(WebhookSourceConfig.defaults(), WebhookAuthConfig.none());
  }

  public SourcesConfig withWebhook(WebhookSourceConfig w) {
    return new SourcesConfig(w, webhookAuth);
  }

  public SourcesConfig withWebhookAuth(WebhookAuthConfig a) {
    return new SourcesConfig(webhook, a);
  }
}

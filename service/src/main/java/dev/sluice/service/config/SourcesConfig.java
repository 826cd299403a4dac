package dev.sluice.service.config;

import java.util.Objects;

/**
 * The {@code sources:} section: where events come from besides the embedded S3 endpoint.
 *
 * @param webhook how {@code POST /v1/events} reads notifications ({@code sources.webhook})
 * @param webhookAuth who may post to it ({@code sources.webhook.auth})
 * @param sqs the SQS poller ({@code sources.sqs}), disabled by default
 * @param sqsDecoding key decoding and filters of the SQS source's messages ({@code sources.sqs},
 *     the same keys as the webhook's)
 */
public record SourcesConfig(
    WebhookSourceConfig webhook,
    WebhookAuthConfig webhookAuth,
    SqsSourceConfig sqs,
    WebhookSourceConfig sqsDecoding) {

  public SourcesConfig {
    Objects.requireNonNull(webhook, "sources.webhook");
    Objects.requireNonNull(webhookAuth, "sources.webhook.auth");
    Objects.requireNonNull(sqs, "sources.sqs");
    Objects.requireNonNull(sqsDecoding, "sources.sqs");
  }

  public static SourcesConfig defaults() {
    return new SourcesConfig(
        WebhookSourceConfig.defaults(),
        WebhookAuthConfig.none(),
        SqsSourceConfig.disabled(),
        WebhookSourceConfig.defaults());
  }

  public SourcesConfig withWebhook(WebhookSourceConfig w) {
    return new SourcesConfig(w, webhookAuth, sqs, sqsDecoding);
  }

  public SourcesConfig withWebhookAuth(WebhookAuthConfig a) {
    return new SourcesConfig(webhook, a, sqs, sqsDecoding);
  }

  public SourcesConfig withSqs(SqsSourceConfig q) {
    return new SourcesConfig(webhook, webhookAuth, q, sqsDecoding);
  }
}

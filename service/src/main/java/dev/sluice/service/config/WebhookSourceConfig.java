package dev.sluice.service.config;

import dev.sluice.intake.KeyEncoding;
import dev.sluice.intake.SourceOptions;
import java.util.List;
import java.util.Objects;

/**
 * The webhook source ({@code POST /v1/events}), YAML {@code sources.webhook}: how its keys are
 * encoded and which records it keeps.
 *
 * @param keyEncoding {@code auto} (per record: Ceph raw, everything else form-encoded), {@code
 *     form} or {@code raw}
 * @param eventNames event-name patterns to keep, e.g. {@code ObjectCreated:*}
 * @param prefix decoded keys must start with this ({@code ""} keeps all)
 * @param suffix decoded keys must end with this ({@code ""} keeps all)
 */
public record WebhookSourceConfig(
    KeyEncoding keyEncoding, List<String> eventNames, String prefix, String suffix) {

  /** The source name recorded on the webhook's events. */
  public static final String SOURCE = "webhook";

  public WebhookSourceConfig {
    Objects.requireNonNull(keyEncoding, "key-encoding");
    eventNames = List.copyOf(Objects.requireNonNull(eventNames, "event-names"));
    prefix = prefix == null ? "" : prefix;
    suffix = suffix == null ? "" : suffix;
    // SourceOptions checks the patterns; its messages start with the YAML key names.
    new SourceOptions(SOURCE, keyEncoding, eventNames, prefix, suffix);
  }

  public static WebhookSourceConfig defaults() {
    return new WebhookSourceConfig(KeyEncoding.AUTO, SourceOptions.DEFAULT_EVENT_NAMES, "", "");
  }

  /** The intake options for this source. */
  public SourceOptions sourceOptions() {
    return new SourceOptions(SOURCE, keyEncoding, eventNames, prefix, suffix);
  }
}

package dev.sluice.intake;

import java.util.List;
import java.util.Objects;

/**
 * How to read one source's notifications and which of its records to keep.
 *
 * @param source recorded on every event, e.g. {@code webhook}, {@code sqs}
 * @param keyEncoding how the source encodes keys; {@link KeyEncoding#AUTO} decides per record
 * @param eventNames patterns of event names to keep, e.g. {@code ObjectCreated:*}; a trailing
 *     {@code *} matches any rest, {@code *} alone matches every name, and the {@code s3:} prefix
 *     MinIO and Ceph send is ignored on both sides
 * @param prefix decoded keys must start with this ({@code ""} keeps every key)
 * @param suffix decoded keys must end with this ({@code ""} keeps every key)
 */
public record SourceOptions(
    String source, KeyEncoding keyEncoding, List<String> eventNames, String prefix, String suffix) {

  public static final String DEFAULT_SOURCE = "webhook";
  public static final List<String> DEFAULT_EVENT_NAMES = List.of("ObjectCreated:*");

  private static final String S3_PREFIX = "s3:";

  public SourceOptions {
    Objects.requireNonNull(source, "source");
    if (source.isBlank()) {
      throw new IllegalArgumentException("source must not be blank");
    }
    Objects.requireNonNull(keyEncoding, "key-encoding");
    Objects.requireNonNull(eventNames, "event-names");
    eventNames = List.copyOf(eventNames);
    if (eventNames.isEmpty()) {
      throw new IllegalArgumentException(
          "event-names must name at least one pattern (\"*\" keeps every event)");
    }
    for (int i = 0; i < eventNames.size(); i++) {
      String pattern = eventNames.get(i);
      if (pattern.isBlank()) {
        throw new IllegalArgumentException("event-names[" + i + "] must not be empty");
      }
      int star = pattern.indexOf('*');
      if (star >= 0 && star != pattern.length() - 1) {
        throw new IllegalArgumentException(
            "event-names["
                + i
                + "] may have '*' only at its end, like ObjectCreated:*, got '"
                + pattern
                + "'");
      }
    }
    prefix = prefix == null ? "" : prefix;
    suffix = suffix == null ? "" : suffix;
  }

  /** Every default: source {@value #DEFAULT_SOURCE}, AUTO keys, {@code ObjectCreated:*}. */
  public static SourceOptions defaults() {
    return defaults(DEFAULT_SOURCE);
  }

  /** Every default but the source name. */
  public static SourceOptions defaults(String source) {
    return new SourceOptions(source, KeyEncoding.AUTO, DEFAULT_EVENT_NAMES, "", "");
  }

  public SourceOptions withSource(String name) {
    return new SourceOptions(name, keyEncoding, eventNames, prefix, suffix);
  }

  public SourceOptions withKeyEncoding(KeyEncoding encoding) {
    return new SourceOptions(source, encoding, eventNames, prefix, suffix);
  }

  public SourceOptions withEventNames(List<String> names) {
    return new SourceOptions(source, keyEncoding, names, prefix, suffix);
  }

  public SourceOptions withPrefix(String p) {
    return new SourceOptions(source, keyEncoding, eventNames, p, suffix);
  }

  public SourceOptions withSuffix(String s) {
    return new SourceOptions(source, keyEncoding, eventNames, prefix, s);
  }

  /** True when {@code eventName} matches one of {@link #eventNames()}. */
  public boolean keepsEventName(String eventName) {
    String name = withoutS3Prefix(eventName);
    for (String pattern : eventNames) {
      String p = withoutS3Prefix(pattern);
      boolean matches =
          p.endsWith("*") ? name.startsWith(p.substring(0, p.length() - 1)) : name.equals(p);
      if (matches) {
        return true;
      }
    }
    return false;
  }

  private static String withoutS3Prefix(String name) {
    return name.startsWith(S3_PREFIX) ? name.substring(S3_PREFIX.length()) : name;
  }
}

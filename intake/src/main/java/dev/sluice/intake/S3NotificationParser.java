package dev.sluice.intake;

/**
 * The parser from before every shape was taken: kept so existing callers compile. It is a {@link
 * NotificationParser} with default options and the given source; prefer {@link NotificationParser}
 * with {@link SourceOptions}.
 */
public final class S3NotificationParser {

  /** The source recorded on events when none is given. */
  public static final String DEFAULT_SOURCE = SourceOptions.DEFAULT_SOURCE;

  private final NotificationParser parser;

  /** A parser that marks events as coming from {@value #DEFAULT_SOURCE}. */
  public S3NotificationParser() {
    this(DEFAULT_SOURCE);
  }

  /**
   * A parser that marks events as coming from {@code source}.
   *
   * @param source recorded on every event, e.g. {@code webhook}, {@code sqs}, {@code minio}
   */
  public S3NotificationParser(String source) {
    this.parser = new NotificationParser(SourceOptions.defaults(source));
  }

  /** The events, dropped and rejected records in {@code body}, or why it cannot be read. */
  public ParseResult parse(byte[] body) {
    return parser.parse(body);
  }

  /** The parser this delegates to. */
  public NotificationParser notificationParser() {
    return parser;
  }
}

package dev.sluice.bench;

/** Webhook bodies in the shape S3 sends: a {@code Records} array of ObjectCreated records. */
final class S3NotificationBodies {

  private S3NotificationBodies() {}

  /** {@code count} records whose keys are numbered from {@code firstKey}, each key distinct. */
  static String of(long firstKey, int count) {
    StringBuilder b = new StringBuilder(count * 360).append("{\"Records\":[");
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        b.append(',');
      }
      long n = firstKey + i;
      b.append("{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\",")
          .append("\"eventTime\":\"2026-11-25T00:00:00.000Z\",\"eventName\":\"ObjectCreated:Put\",")
          .append("\"s3\":{\"s3SchemaVersion\":\"1.0\",\"bucket\":{\"name\":\"landing\"},")
          .append("\"object\":{\"key\":\"ingest/")
          .append(String.format("%012d", n))
          .append(".parquet\",\"size\":1048576,\"eTag\":\"")
          .append(Long.toHexString(n))
          .append("\",\"sequencer\":\"")
          .append(String.format("%016X", n))
          .append("\"}}}");
    }
    return b.append("]}").toString();
  }
}

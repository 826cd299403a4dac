package dev.sluice.cli;

/**
 * An {@code s3://BUCKET/PREFIX} argument: the bucket to list and the key prefix to list under
 * (empty for the whole bucket).
 *
 * @param bucket bucket name
 * @param prefix key prefix, possibly empty
 */
record S3Url(String bucket, String prefix) {

  static S3Url parse(String text) {
    if (text == null || !text.startsWith("s3://")) {
      throw new CliException("expected s3://BUCKET/PREFIX, got '" + text + "'");
    }
    String rest = text.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new CliException("no bucket in '" + text + "': expected s3://BUCKET/PREFIX");
    }
    // The SDK would reject these too, later and with a less direct message.
    if (!bucket.matches("[a-zA-Z0-9._-]{1,255}")) {
      throw new CliException("'" + bucket + "' in '" + text + "' is not a bucket name");
    }
    return new S3Url(bucket, prefix);
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + prefix;
  }
}

package dev.sluice.cli.demo;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import java.io.PrintStream;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The demo's target: real work per object. Reads the object back through the S3 API and checks its
 * size and ETag against the event, as a processing job would before it starts.
 */
final class ReadBackTarget implements Target {
  private final Supplier<S3Client> s3;
  private final PrintStream out;
  private final boolean printEach;

  ReadBackTarget(Supplier<S3Client> s3, PrintStream out, boolean printEach) {
    this.s3 = s3;
    this.out = out;
    this.printEach = printEach;
  }

  @Override
  public Outcome deliver(Job job) {
    var e = job.event();
    ResponseBytes<GetObjectResponse> obj;
    try {
      obj = s3.get().getObjectAsBytes(b -> b.bucket(e.bucket()).key(e.key()));
    } catch (NoSuchKeyException ex) {
      return Outcome.permanent("s3://" + e.bucket() + "/" + e.key() + " does not exist");
    } catch (SdkException ex) {
      return Outcome.retryable(
          "reading s3://" + e.bucket() + "/" + e.key() + ": " + ex.getMessage());
    }
    String etag = obj.response().eTag() == null ? null : obj.response().eTag().replace("\"", "");
    long size = obj.asByteArray().length;
    if (e.eTag() != null && !e.eTag().equals(etag)) {
      return Outcome.permanent("ETag changed: event " + e.eTag() + ", object " + etag);
    }
    if (printEach) {
      out.printf("  read s3://%s/%s  %d bytes  etag %s%n", e.bucket(), e.key(), size, etag);
    }
    return Outcome.completed();
  }

  @Override
  public String describe() {
    return "read each object back through the S3 API";
  }
}

package dev.sluice.cli.demo;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import java.io.PrintStream;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The demo's target: real work per object. Reads the object back through the S3 API and checks its
 * size and ETag against the event, as a processing job would before it starts.
 *
 * <p>It works like a backend with a few processing slots: a job that arrives while every slot is
 * reading waits for one. Without the slots, a window of 1000 jobs would be 1000 reads at once on
 * the same two cores as Sluice itself, and the scheduler's thrash would delay the jobs' very
 * arrival; a backend of its own would never share Sluice's CPU like that.
 */
final class ReadBackTarget implements Target {
  /** Reads at once: about what two cores keep busy. */
  static final int DEFAULT_SLOTS = 8;

  private final Supplier<S3Client> s3;
  private final PrintStream out;
  private final boolean printEach;
  private final Semaphore slots;

  ReadBackTarget(Supplier<S3Client> s3, PrintStream out, boolean printEach, int slots) {
    this.s3 = s3;
    this.out = out;
    this.printEach = printEach;
    this.slots = new Semaphore(slots, true);
  }

  @Override
  public Outcome deliver(Job job) {
    return deliver(job, Arrival.IGNORED);
  }

  /** The backend has the job as soon as it is queued for a slot: limits count from then. */
  @Override
  public Outcome deliver(Job job, Arrival arrival) {
    arrival.arrived();
    try {
      slots.acquire();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return Outcome.retryable("interrupted while waiting for a read slot");
    }
    try {
      return readBack(job);
    } finally {
      slots.release();
    }
  }

  private Outcome readBack(Job job) {
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

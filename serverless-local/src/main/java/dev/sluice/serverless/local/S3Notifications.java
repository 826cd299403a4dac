package dev.sluice.serverless.local;

import dev.sluice.core.ObjectEvent;
import dev.sluice.s3endpoint.ObjectEventSink;
import java.util.List;
import java.util.Objects;

/**
 * S3's event notifications to the intake function: each new object on the embedded S3 endpoint
 * becomes an S3 notification ({@link S3Notification}) that invokes the intake function. The
 * endpoint calls this before it answers the upload, so a failed invocation fails the upload and the
 * client sends it again; on AWS, S3 answers first and retries the asynchronous invocation itself.
 * Either way an acknowledged object has its event on the event queue.
 */
public final class S3Notifications implements ObjectEventSink {
  private final LocalFunction intake;
  private final String region;

  public S3Notifications(LocalFunction intake, String region) {
    this.intake = Objects.requireNonNull(intake, "intake");
    this.region = Objects.requireNonNull(region, "region");
  }

  /**
   * Invokes the intake function once per event, as S3 sends one notification per object.
   *
   * @throws FunctionErrorException if an invocation failed
   */
  @Override
  public void accept(List<ObjectEvent> events) {
    for (ObjectEvent event : events) {
      intake.invoke(S3Notification.of(event, region));
    }
  }
}

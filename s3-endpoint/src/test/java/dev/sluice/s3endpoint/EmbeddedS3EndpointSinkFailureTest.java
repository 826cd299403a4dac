package dev.sluice.s3endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.ObjectEvent;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** "Accepted means durable": a client never gets a 2xx for an object whose event was not kept. */
class EmbeddedS3EndpointSinkFailureTest {
  private static final String BUCKET = "incoming";

  @TempDir Path dataDir;
  private final RecordingSink sink = new RecordingSink();
  private EmbeddedS3Endpoint endpoint;
  private S3Client s3;

  @BeforeEach
  void start() {
    endpoint = EmbeddedS3Endpoint.start(EmbeddedS3Config.anonymous(dataDir, List.of(BUCKET)), sink);
    s3 = S3Clients.dummy(endpoint.endpoint());
  }

  @AfterEach
  void stop() {
    s3.close();
    endpoint.close();
  }

  @Test
  void putObject_whenSinkThrows_failsWithServerErrorAndKeepsNoEvent() {
    // IllegalStateException is what s3proxy would turn into a 400, which a client does not retry.
    sink.failWhen(e -> e.key().equals("rejected.csv"));

    assertThatThrownBy(
            () ->
                s3.putObject(
                    b -> b.bucket(BUCKET).key("rejected.csv"), RequestBody.fromString("x")))
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(500));

    assertThat(sink.calls()).as("the SDK retried the 500").hasSizeGreaterThan(1);
    assertThat(sink.accepted()).isEmpty();
  }

  @Test
  void putObject_whenTheBacklogIsFull_failsWith503SlowDown_andIsAcceptedOnceSpaceReturns() {
    sink.full(true);

    assertThatThrownBy(
            () -> s3.putObject(b -> b.bucket(BUCKET).key("full.csv"), RequestBody.fromString("x")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(503);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
              assertThat(e.awsErrorDetails().errorMessage())
                  .contains("incoming/full.csv")
                  .contains("disk is full");
            });
    assertThat(sink.calls()).as("the SDK retried the 503").hasSizeGreaterThan(1);
    assertThat(sink.accepted()).isEmpty();

    sink.full(false);
    s3.putObject(b -> b.bucket(BUCKET).key("full.csv"), RequestBody.fromString("x"));
    assertThat(sink.accepted()).extracting(ObjectEvent::key).containsExactly("full.csv");
  }

  @Test
  void putObject_whenSinkRecovers_retryIsAcceptedWithOneKeptEvent() {
    sink.failWhen(e -> true);
    assertThatThrownBy(
        () -> s3.putObject(b -> b.bucket(BUCKET).key("later.csv"), RequestBody.fromString("x")));

    sink.failWhen(e -> false);
    s3.putObject(b -> b.bucket(BUCKET).key("later.csv"), RequestBody.fromString("x"));

    assertThat(sink.accepted()).extracting(ObjectEvent::key).containsExactly("later.csv");
  }

  @Test
  void completeMultipartUpload_whenSinkThrows_clientIsToldItFailedAndNoObjectIsLeftWithoutEvent() {
    String key = "big.parquet";
    String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
    String eTag =
        s3.uploadPart(
                b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(Bytes.random(1000, 1)))
            .eTag();
    sink.failWhen(e -> true);

    // s3proxy answers CompleteMultipartUpload with 200 before the work is done, and puts a failure
    // in
    // the body (as S3 does); the SDK retries it, and the retry must not come back as a success.
    assertThatThrownBy(
            () ->
                s3.completeMultipartUpload(
                    b ->
                        b.bucket(BUCKET)
                            .key(key)
                            .uploadId(uploadId)
                            .multipartUpload(
                                m ->
                                    m.parts(
                                        CompletedPart.builder().partNumber(1).eTag(eTag).build()))))
        .isInstanceOf(S3Exception.class);
    assertThat(sink.accepted()).isEmpty();
    assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET)).contents()).isEmpty();
  }

  @Test
  void copyObject_whenSinkThrows_failsWithServerError() {
    s3.putObject(b -> b.bucket(BUCKET).key("source.csv"), RequestBody.fromString("x"));
    sink.failWhen(e -> e.eventName().equals("ObjectCreated:Copy"));

    assertThatThrownBy(
            () ->
                s3.copyObject(
                    b ->
                        b.sourceBucket(BUCKET)
                            .sourceKey("source.csv")
                            .destinationBucket(BUCKET)
                            .destinationKey("copy.csv")))
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(500));
    assertThat(sink.accepted()).extracting(ObjectEvent::key).containsExactly("source.csv");
  }
}

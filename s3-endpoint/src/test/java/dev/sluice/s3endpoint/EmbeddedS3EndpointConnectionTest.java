package dev.sluice.s3endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ObjectEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Keep-alive connections must survive aws-chunked uploads: s3proxy leaves the end of such a body
 * unread, and without {@link RequestBodyDrainFilter} Jetty now and then closed the connection under
 * a client still writing it, so the client retried a put that had succeeded (two events, one
 * object).
 */
class EmbeddedS3EndpointConnectionTest {
  private static final int ROUNDS = 400;

  @TempDir Path dataDir;

  @Test
  void
      putObject_whenManyChunkedUploadsShareOneConnection_sendsEachRequestOnceAndEmitsOneEventEach() {
    RecordingSink sink = new RecordingSink();
    AtomicInteger attempts = new AtomicInteger();
    int calls = 0;
    try (EmbeddedS3Endpoint endpoint =
            EmbeddedS3Endpoint.start(
                EmbeddedS3Config.anonymous(dataDir, List.of("incoming")), sink);
        S3Client s3 = S3Clients.signedWith(endpoint.endpoint(), "a", "b", attempts)) {
      for (int i = 0; i < ROUNDS; i++) {
        String key = "object-" + i;
        if (i % 4 == 0) {
          String uploadId = s3.createMultipartUpload(b -> b.bucket("incoming").key(key)).uploadId();
          s3.uploadPart(
              b -> b.bucket("incoming").key(key).uploadId(uploadId).partNumber(1),
              RequestBody.fromBytes(Bytes.random(1024, i)));
          s3.abortMultipartUpload(b -> b.bucket("incoming").key(key).uploadId(uploadId));
          calls += 3;
        }
        s3.putObject(b -> b.bucket("incoming").key(key), RequestBody.fromString("body " + i));
        calls++;
      }
    }

    assertThat(attempts.get()).as("HTTP attempts, retries included").isEqualTo(calls);
    assertThat(sink.calls()).hasSize(ROUNDS);
    assertThat(sink.accepted()).extracting(ObjectEvent::key).doesNotHaveDuplicates();
  }
}

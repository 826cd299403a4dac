package dev.sluice.s3endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ObjectEvent;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

class EmbeddedS3EndpointMultipartAndCopyTest {
  private static final String BUCKET = "incoming";
  private static final int MIB = 1024 * 1024;

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
  void completeMultipartUpload_whenTwoParts_emitsExactlyOneEventForTheWholeObject()
      throws Exception {
    String key = "exports/day 1/big+file.parquet";
    byte[] part1 = Bytes.random(5 * MIB, 1);
    byte[] part2 = Bytes.random(MIB + 123, 2);

    String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
    String eTag1 =
        s3.uploadPart(
                b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(part1))
            .eTag();
    String eTag2 =
        s3.uploadPart(
                b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(part2))
            .eTag();
    assertThat(sink.calls()).as("no event before the upload completes").isEmpty();
    CompleteMultipartUploadResponse completed =
        s3.completeMultipartUpload(
            b ->
                b.bucket(BUCKET)
                    .key(key)
                    .uploadId(uploadId)
                    .multipartUpload(
                        m ->
                            m.parts(
                                CompletedPart.builder().partNumber(1).eTag(eTag1).build(),
                                CompletedPart.builder().partNumber(2).eTag(eTag2).build())));

    // S3's multipart eTag: MD5 over the parts' binary MD5s, then "-<part count>".
    ByteArrayOutputStream partDigests = new ByteArrayOutputStream();
    partDigests.write(HexFormat.of().parseHex(Bytes.md5Hex(part1)));
    partDigests.write(HexFormat.of().parseHex(Bytes.md5Hex(part2)));
    String expectedETag = Bytes.md5Hex(partDigests.toByteArray()) + "-2";

    assertThat(sink.calls()).hasSize(1);
    ObjectEvent event = sink.accepted().get(0);
    assertThat(event.bucket()).isEqualTo(BUCKET);
    assertThat(event.key()).isEqualTo(key);
    assertThat(event.size()).isEqualTo((long) part1.length + part2.length);
    assertThat(event.eTag()).isEqualTo(expectedETag);
    assertThat(completed.eTag()).isEqualTo("\"" + expectedETag + "\"");
    assertThat(event.eventName()).isEqualTo("ObjectCreated:CompleteMultipartUpload");
    assertThat(event.source()).isEqualTo("s3-endpoint");
    assertThat(event.sequencer()).matches("[0-9A-F]{16}");

    byte[] read = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    assertThat(read).hasSize(part1.length + part2.length);
    assertThat(Bytes.md5Hex(read)).isEqualTo(Bytes.md5Hex(concat(part1, part2)));
    assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET)).contents())
        .extracting(S3Object::key)
        .containsExactly(key);
  }

  @Test
  void abortMultipartUpload_whenNeverCompleted_emitsNoEvent() {
    String uploadId =
        s3.createMultipartUpload(b -> b.bucket(BUCKET).key("abandoned.bin")).uploadId();
    s3.uploadPart(
        b -> b.bucket(BUCKET).key("abandoned.bin").uploadId(uploadId).partNumber(1),
        RequestBody.fromBytes(Bytes.random(1024, 3)));
    s3.abortMultipartUpload(b -> b.bucket(BUCKET).key("abandoned.bin").uploadId(uploadId));
    s3.putObject(b -> b.bucket(BUCKET).key("after.txt"), RequestBody.fromString("after"));

    assertThat(sink.calls()).hasSize(1);
    assertThat(sink.accepted()).extracting(ObjectEvent::key).containsExactly("after.txt");
  }

  @Test
  void copyObject_whenDestinationIsNew_emitsOneCopyEventForTheDestination() {
    byte[] body = Bytes.random(4321, 4);
    s3.putObject(b -> b.bucket(BUCKET).key("source/a b.csv"), RequestBody.fromBytes(body));

    CopyObjectResponse copied =
        s3.copyObject(
            b ->
                b.sourceBucket(BUCKET)
                    .sourceKey("source/a b.csv")
                    .destinationBucket(BUCKET)
                    .destinationKey("copies/a+b ü.csv"));

    assertThat(sink.accepted()).hasSize(2);
    ObjectEvent copy = sink.accepted().get(1);
    assertThat(copy.key()).isEqualTo("copies/a+b ü.csv");
    assertThat(copy.bucket()).isEqualTo(BUCKET);
    assertThat(copy.size()).isEqualTo((long) body.length);
    assertThat(copy.eTag()).isEqualTo(Bytes.md5Hex(body));
    assertThat(copied.copyObjectResult().eTag()).isEqualTo("\"" + copy.eTag() + "\"");
    assertThat(copy.eventName()).isEqualTo("ObjectCreated:Copy");
    assertThat(copy.sequencer()).isGreaterThan(sink.accepted().get(0).sequencer());
    assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("copies/a+b ü.csv")).asByteArray())
        .isEqualTo(body);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}

package dev.sluice.s3endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ObjectEvent;
import dev.sluice.core.time.ManualTimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

class EmbeddedS3EndpointPutTest {
  private static final String BUCKET = "incoming";
  private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

  // Keys that a URL-encoding mistake anywhere between client and event would change.
  private static final List<String> AWKWARD_KEYS =
      List.of(
          "plain.parquet",
          "with space.csv",
          "plus+sign.parquet",
          "percent%20literal%.txt",
          "unicodé/日本語/データ.bin",
          "nested/deeper/still deeper/part-0001.json",
          "equals=and&ampersand;semi.txt",
          "tilde~(parens)'quote'!.log");

  @TempDir Path dataDir;
  private final RecordingSink sink = new RecordingSink();
  private final ManualTimeSource time = new ManualTimeSource(START);
  private EmbeddedS3Endpoint endpoint;
  private S3Client s3;

  @BeforeEach
  void start() {
    endpoint =
        EmbeddedS3Endpoint.start(EmbeddedS3Config.anonymous(dataDir, List.of(BUCKET)), sink, time);
    s3 = S3Clients.dummy(endpoint.endpoint());
  }

  @AfterEach
  void stop() {
    s3.close();
    endpoint.close();
  }

  @Test
  void endpoint_whenStartedOnPortZero_isLoopbackWithTheRealPort() {
    assertThat(endpoint.endpoint().getScheme()).isEqualTo("http");
    assertThat(endpoint.endpoint().getHost()).isEqualTo("127.0.0.1");
    assertThat(endpoint.endpoint().getPort()).isPositive();
    assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains(BUCKET);
  }

  @Test
  void putObject_whenKeysNeedEncoding_emitsOneEventPerObjectWithTheDecodedKeySizeAndETag() {
    Map<String, PutObjectResponse> responses = new LinkedHashMap<>();
    Map<String, byte[]> contents = new LinkedHashMap<>();
    for (int i = 0; i < AWKWARD_KEYS.size(); i++) {
      String key = AWKWARD_KEYS.get(i);
      byte[] body = Bytes.random(100 + i * 37, i);
      contents.put(key, body);
      responses.put(key, s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body)));
    }

    List<ObjectEvent> events = sink.accepted();
    assertThat(events).extracting(ObjectEvent::key).containsExactlyElementsOf(AWKWARD_KEYS);
    for (ObjectEvent event : events) {
      byte[] body = contents.get(event.key());
      String sdkETag = responses.get(event.key()).eTag();
      assertThat(event.bucket()).isEqualTo(BUCKET);
      assertThat(event.size()).as("size of %s", event.key()).isEqualTo((long) body.length);
      assertThat(event.eTag()).as("eTag of %s", event.key()).isEqualTo(Bytes.md5Hex(body));
      assertThat(sdkETag).isEqualTo("\"" + event.eTag() + "\"");
      assertThat(event.eventName()).isEqualTo("ObjectCreated:Put");
      assertThat(event.source()).isEqualTo("s3-endpoint");
      assertThat(event.versionId()).isNull();
      assertThat(event.eventTime()).isEqualTo(START);
      assertThat(event.sequencer()).matches("[0-9A-F]{16}");
    }
  }

  @Test
  void putObject_whenStored_objectCanBeReadListedAndFoundAsAFileUnderDataDir() throws Exception {
    for (String key : AWKWARD_KEYS) {
      s3.putObject(
          b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(Bytes.utf8("body of " + key)));
    }

    for (String key : AWKWARD_KEYS) {
      byte[] read = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
      assertThat(read).as("GET %s", key).isEqualTo(Bytes.utf8("body of " + key));
      assertThat(Files.readAllBytes(dataDir.resolve(BUCKET).resolve(key)))
          .as("file of %s", key)
          .isEqualTo(Bytes.utf8("body of " + key));
    }
    List<String> listed =
        s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
            .map(S3Object::key)
            .toList();
    assertThat(listed).containsExactlyInAnyOrderElementsOf(AWKWARD_KEYS);
  }

  @Test
  void putObject_whenSameKeyIsWrittenAgain_eachWriteHasALaterSequencer() {
    List<String> sequencers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String body = "version " + i;
      s3.putObject(b -> b.bucket(BUCKET).key("same.parquet"), RequestBody.fromString(body));
      if (i % 5 == 0) {
        // Virtual time moving or standing still must not matter: order comes from the writes.
        time.advance(Duration.ofMillis(1));
      }
    }
    for (ObjectEvent event : sink.accepted()) {
      sequencers.add(event.sequencer());
    }

    assertThat(sequencers).hasSize(20).doesNotHaveDuplicates();
    assertThat(sequencers).isSortedAccordingTo(String::compareTo);
    assertThat(sink.accepted())
        .extracting(ObjectEvent::eTag)
        .last()
        .isEqualTo(Bytes.md5Hex(Bytes.utf8("version 19")));
  }

  @Test
  void putObject_whenEmpty_emitsEventWithSizeZero() {
    s3.putObject(b -> b.bucket(BUCKET).key("empty.marker"), RequestBody.empty());

    assertThat(sink.accepted())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.size()).isZero();
              assertThat(e.eTag()).isEqualTo(Bytes.md5Hex(new byte[0]));
            });
  }

  @Test
  void start_whenDataDirHoldsEarlierObjects_keepsThemAndLaterWritesSortAfterEarlierOnes() {
    s3.putObject(b -> b.bucket(BUCKET).key("kept.csv"), RequestBody.fromString("first"));
    String before = sink.accepted().get(0).sequencer();
    s3.close();
    endpoint.close();

    // A restart with a fresh sequencer state and a clock that did not move (virtual time).
    RecordingSink after = new RecordingSink();
    endpoint =
        EmbeddedS3Endpoint.start(
            EmbeddedS3Config.anonymous(dataDir, List.of(BUCKET)),
            after,
            new ManualTimeSource(START.plusSeconds(1)));
    s3 = S3Clients.dummy(endpoint.endpoint());
    s3.putObject(b -> b.bucket(BUCKET).key("kept.csv"), RequestBody.fromString("second"));

    assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET)).contents())
        .extracting(S3Object::key)
        .containsExactly("kept.csv");
    assertThat(after.accepted().get(0).sequencer()).isGreaterThan(before);
  }
}

package dev.sluice.s3endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.ObjectEvent;
import dev.sluice.core.time.ManualTimeSource;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Every key S3 accepts is its own object at the endpoint, and none reaches outside dataDir. */
class EmbeddedS3EndpointKeysTest {
  private static final String BUCKET = "incoming";

  static final String LONG_KEY = "k".repeat(1024);
  static final String LONG_UNICODE_KEY = "日".repeat(341) + "x"; // 341 * 3 + 1 = 1024 bytes

  // Keys a file system cannot take as a plain path, or takes as a different one.
  static final List<String> TRICKY_KEYS =
      List.of(
          LONG_KEY,
          LONG_UNICODE_KEY,
          "seg/" + "s".repeat(300) + "/leaf.txt",
          "dots/../up.txt",
          "n1/../sibling.txt",
          "sibling.txt",
          "./here.txt",
          "a/./b.txt",
          "a/b.txt",
          "..",
          "...",
          "double//slash.txt",
          "double/slash.txt",
          "/leading.txt",
          "trailing/",
          "trailing/inside.txt",
          "%~looks-escaped",
          "100% sure.txt",
          "with space/and  two.txt",
          "ünïcødé/😀.txt");

  @TempDir Path root;
  private Path dataDir;
  private final RecordingSink sink = new RecordingSink();
  private EmbeddedS3Endpoint endpoint;
  private S3Client s3;

  @BeforeEach
  void start() {
    dataDir = root.resolve("data");
    endpoint =
        EmbeddedS3Endpoint.start(
            EmbeddedS3Config.anonymous(dataDir, List.of(BUCKET)),
            sink,
            new ManualTimeSource(Instant.parse("2026-03-01T12:00:00Z")));
    s3 = S3Clients.dummy(endpoint.endpoint());
  }

  @AfterEach
  void stop() {
    s3.close();
    endpoint.close();
  }

  /** One HTTP/1.1 request with no body, its path sent exactly as given; the whole answer. */
  private String rawRequest(String method, String path) throws IOException {
    URI base = endpoint.endpoint();
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      String request =
          method
              + " "
              + path
              + " HTTP/1.1\r\nHost: "
              + base.getHost()
              + ":"
              + base.getPort()
              + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private void put(String key) {
    s3.putObject(
        b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(Bytes.utf8("body of " + key)));
  }

  private String get(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
  }

  private List<String> listAll(String prefix) {
    return s3
        .listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix).maxKeys(3))
        .contents()
        .stream()
        .map(S3Object::key)
        .toList();
  }

  @Test
  void trickyKeys_areEachTheirOwnObject_readListedAndDeletedUnderTheirOwnName() throws Exception {
    for (String key : TRICKY_KEYS) {
      put(key);
    }

    for (String key : TRICKY_KEYS) {
      assertThat(get(key)).as("GET %s", key).isEqualTo("body of " + key);
      assertThat(s3.headObject(b -> b.bucket(BUCKET).key(key)).contentLength())
          .as("HEAD %s", key)
          .isEqualTo(Bytes.utf8("body of " + key).length);
    }
    assertThat(listAll(null)).containsExactlyInAnyOrderElementsOf(TRICKY_KEYS);
    assertThat(sink.accepted()).extracting(ObjectEvent::key).containsExactlyElementsOf(TRICKY_KEYS);
    assertOnlyInsideDataDir();

    s3.deleteObject(b -> b.bucket(BUCKET).key("n1/../sibling.txt"));
    assertThat(get("sibling.txt")).isEqualTo("body of sibling.txt");
    assertThat(catchThrowableOfType(() -> get("n1/../sibling.txt"), NoSuchKeyException.class))
        .isNotNull();
    for (String key : TRICKY_KEYS) {
      s3.deleteObject(b -> b.bucket(BUCKET).key(key));
    }
    assertThat(listAll(null)).isEmpty();
  }

  @Test
  void listing_withPrefixesAndDelimiter_groupsByTheRealKeys() {
    for (String key : TRICKY_KEYS) {
      put(key);
    }

    ListObjectsV2Response top = s3.listObjectsV2(b -> b.bucket(BUCKET).delimiter("/"));
    assertThat(top.commonPrefixes())
        .extracting(CommonPrefix::prefix)
        .containsExactly(
            "./",
            "/",
            "a/",
            "dots/",
            "double/",
            "n1/",
            "seg/",
            "trailing/",
            "with space/",
            "ünïcødé/");
    assertThat(top.contents())
        .extracting(S3Object::key)
        .containsExactly(
            "%~looks-escaped",
            "..", "...", "100% sure.txt", LONG_KEY, "sibling.txt", LONG_UNICODE_KEY);

    assertThat(listAll("double/")).containsExactly("double//slash.txt", "double/slash.txt");
    ListObjectsV2Response underDouble =
        s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("double/").delimiter("/"));
    assertThat(underDouble.commonPrefixes())
        .extracting(CommonPrefix::prefix)
        .containsExactly("double//");
    assertThat(underDouble.contents())
        .extracting(S3Object::key)
        .containsExactly("double/slash.txt");
    assertThat(listAll("trailing/")).containsExactly("trailing/", "trailing/inside.txt");
    assertThat(listAll("n1/..")).containsExactly("n1/../sibling.txt");

    // Paged one by one, the listing still visits every key once.
    List<String> paged = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).maxKeys(1))
        .contents()
        .forEach(o -> paged.add(o.key()));
    assertThat(paged).containsExactlyInAnyOrderElementsOf(TRICKY_KEYS).doesNotHaveDuplicates();

    // ListObjects (version 1) pages by marker, the last key of the previous page.
    List<String> pagedV1 = new ArrayList<>();
    String marker = null;
    for (int page = 0; page <= TRICKY_KEYS.size(); page++) {
      String from = marker;
      ListObjectsResponse v1 = s3.listObjects(b -> b.bucket(BUCKET).maxKeys(2).marker(from));
      v1.contents().forEach(o -> pagedV1.add(o.key()));
      if (!v1.isTruncated()) {
        break;
      }
      marker = v1.contents().get(v1.contents().size() - 1).key();
    }
    assertThat(pagedV1).containsExactlyInAnyOrderElementsOf(TRICKY_KEYS).doesNotHaveDuplicates();
  }

  @Test
  void copyAndMultipart_toTrickyKeys_keepTheExactKeyInObjectAndEvent() {
    put("dots/../up.txt");
    s3.copyObject(
        b ->
            b.sourceBucket(BUCKET)
                .sourceKey("dots/../up.txt")
                .destinationBucket(BUCKET)
                .destinationKey(LONG_KEY));
    String upload =
        s3.createMultipartUpload(b -> b.bucket(BUCKET).key("m/./" + "p".repeat(400))).uploadId();
    String eTag =
        s3.uploadPart(
                b -> b.bucket(BUCKET).key("m/./" + "p".repeat(400)).uploadId(upload).partNumber(1),
                RequestBody.fromBytes(Bytes.utf8("multipart body")))
            .eTag();
    s3.completeMultipartUpload(
        b ->
            b.bucket(BUCKET)
                .key("m/./" + "p".repeat(400))
                .uploadId(upload)
                .multipartUpload(
                    m -> m.parts(CompletedPart.builder().partNumber(1).eTag(eTag).build())));

    assertThat(get(LONG_KEY)).isEqualTo("body of dots/../up.txt");
    assertThat(get("m/./" + "p".repeat(400))).isEqualTo("multipart body");
    assertThat(sink.accepted())
        .extracting(ObjectEvent::key)
        .containsExactly("dots/../up.txt", LONG_KEY, "m/./" + "p".repeat(400));
    assertThat(listAll(null))
        .containsExactlyInAnyOrder("dots/../up.txt", LONG_KEY, "m/./" + "p".repeat(400));
  }

  @Test
  void keyOverS3sLimit_isRefusedWith400KeyTooLongError_andNoEvent() {
    String key = "k".repeat(1025);
    S3Exception refused = catchThrowableOfType(() -> put(key), S3Exception.class);

    assertThat(refused).isNotNull();
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("KeyTooLongError");
    assertThat(sink.accepted()).isEmpty();
    S3Exception copy =
        catchThrowableOfType(
            () -> {
              put("short");
              s3.copyObject(
                  b ->
                      b.sourceBucket(BUCKET)
                          .sourceKey("short")
                          .destinationBucket(BUCKET)
                          .destinationKey("日".repeat(342)));
            },
            S3Exception.class);
    assertThat(copy.awsErrorDetails().errorCode()).isEqualTo("KeyTooLongError");
  }

  @Test
  void keysThatClimbOutOfTheBucket_stayInsideItsDirectory() throws Exception {
    List<String> climbing = List.of("../escape.txt", "../incoming/sibling.txt");
    put("sibling.txt");
    for (String key : climbing) {
      put(key);
    }

    for (String key : climbing) {
      assertThat(get(key)).as("GET %s", key).isEqualTo("body of " + key);
    }
    assertThat(get("sibling.txt")).isEqualTo("body of sibling.txt");
    assertThat(listAll(null))
        .containsExactlyInAnyOrder("sibling.txt", "../escape.txt", "../incoming/sibling.txt");
    assertOnlyInsideDataDir();
  }

  @Test
  void keysWhoseUrlClimbsAboveTheRoot_areRefusedWith400_andWriteNothing() throws Exception {
    // The HTTP layer refuses a request path that resolves above "/" before any S3 code sees it;
    // the client gets a 4xx it does not retry, and nothing is written. It answers and closes the
    // connection without reading a request body, so a client still writing one may see the
    // connection reset instead of the answer: the PUTs here carry no body, which makes what is
    // read the server's answer every time.
    for (String key : List.of("../../escape.txt", "x/../../../escape.txt")) {
      String answer = rawRequest("PUT", "/" + BUCKET + "/" + key);
      assertThat(answer).as("PUT %s", key).startsWith("HTTP/1.1 400 ").contains("InvalidURI");
      S3Exception refused =
          catchThrowableOfType(
              () -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)), S3Exception.class);
      assertThat(refused).as("GET %s", key).isNotNull();
      assertThat(refused.statusCode()).as("GET %s", key).isEqualTo(400);
    }
    put("inside.txt");
    assertOnlyInsideDataDir();
    assertThat(listAll(null)).containsExactly("inside.txt");
  }

  @Test
  void aKeyAndKeysUnderItAsAFolder_areAllObjects_inEitherOrder() throws Exception {
    List<String> keys = List.of("fd", "fd/child", "fd/child/grandchild", "df/child", "df", "df/");
    for (String key : keys) {
      put(key);
    }

    for (String key : keys) {
      assertThat(get(key)).as("GET %s", key).isEqualTo("body of " + key);
    }
    assertThat(listAll(null)).containsExactlyInAnyOrderElementsOf(keys);
    assertThat(sink.accepted()).extracting(ObjectEvent::key).containsExactlyElementsOf(keys);
    assertOnlyInsideDataDir();

    // Overwritten once the way is clear, a key is still one object with the new body.
    s3.deleteObject(b -> b.bucket(BUCKET).key("fd"));
    s3.putObject(
        b -> b.bucket(BUCKET).key("fd/child"), RequestBody.fromBytes(Bytes.utf8("second body")));
    assertThat(get("fd/child")).isEqualTo("second body");
    assertThat(listAll("fd")).containsExactly("fd/child", "fd/child/grandchild");
    s3.copyObject(
        b ->
            b.sourceBucket(BUCKET)
                .sourceKey("fd/child")
                .destinationBucket(BUCKET)
                .destinationKey("fd/child/grandchild/x"));
    assertThat(get("fd/child/grandchild/x")).isEqualTo("second body");
    for (String key : listAll(null)) {
      s3.deleteObject(b -> b.bucket(BUCKET).key(key));
    }
    assertThat(listAll(null)).isEmpty();
  }

  /** Every file the endpoint wrote is under the bucket's directory, none beside or above it. */
  private void assertOnlyInsideDataDir() throws Exception {
    try (Stream<Path> all = Files.walk(root)) {
      assertThat(all.filter(Files::isRegularFile).toList())
          .isNotEmpty()
          .allSatisfy(p -> assertThat(p).startsWith(dataDir.resolve(BUCKET)));
    }
  }
}

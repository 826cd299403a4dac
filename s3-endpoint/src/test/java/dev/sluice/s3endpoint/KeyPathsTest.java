package dev.sluice.s3endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyPathsTest {
  private static final List<String> KEYS =
      List.of(
          "plain.txt",
          "nested/dir/file.parquet",
          "100% sure.txt",
          "percent%20literal%.txt",
          "unicodé/日本語/データ.bin",
          "",
          "/",
          "//",
          ".",
          "..",
          "./x",
          "x/.",
          "x/..",
          "trailing/",
          "%~",
          "%~x",
          "%~%2E",
          "a%+/b",
          "k".repeat(1024),
          "k".repeat(240),
          "k".repeat(241),
          "k".repeat(255),
          "k".repeat(256),
          "日".repeat(341) + "x",
          "😀".repeat(256),
          "nul\0char");

  @Test
  void ordinaryKeys_areTheirOwnPath_asOlderVersionsStoredThem() {
    for (String key :
        List.of("plain.txt", "nested/dir/file.parquet", "100% sure.txt", "unicodé/データ.bin")) {
      assertThat(KeyPaths.encode(key)).isEqualTo(key);
    }
  }

  @Test
  void everyKey_decodesBackToItself_andNoTwoKeysShareAPath() {
    Set<String> paths = new HashSet<>();
    for (String key : KEYS) {
      String path = KeyPaths.encode(key);
      assertThat(KeyPaths.decode(path)).as("decode(encode(%s))", key).isEqualTo(key);
      assertThat(paths.add(path)).as("path of %s is its own: %s", key, path).isTrue();
    }
    for (String key : KEYS) {
      if (key.isEmpty()) {
        continue; // S3 has no empty key, and it has no displaced path
      }
      String displaced = KeyPaths.displaced(key);
      assertThat(KeyPaths.decode(displaced)).as("decode(displaced(%s))", key).isEqualTo(key);
      assertThat(paths.add(displaced)).as("displaced path of %s is its own", key).isTrue();
      assertThat(KeyPaths.encode(key))
          .as("own path of %s", key)
          .doesNotStartWith(KeyPaths.DISPLACED);
    }
  }

  @Test
  void everyPathSegment_isAFileNameThatStaysInItsDirectory() {
    for (String key : KEYS) {
      String both = KeyPaths.encode(key) + (key.isEmpty() ? "" : "/" + KeyPaths.displaced(key));
      for (String segment : both.split("/", -1)) {
        assertThat(segment).as("segment of %s", key).isNotEmpty().isNotIn(".", "..");
        assertThat(segment.getBytes(StandardCharsets.UTF_8).length)
            .as("bytes of a segment of %s", key)
            .isLessThanOrEqualTo(255);
        assertThat(segment).doesNotContain("\0");
      }
    }
  }
}

package dev.sluice.targets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobJsonTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void toJson_whenEveryFieldIsKnown_writesEveryField() throws Exception {
    JsonNode json = mapper.readTree(JobJson.toJson(TestJobs.full()));

    assertThat(json.get("bucket").asText()).isEqualTo("photos");
    assertThat(json.get("key").asText()).isEqualTo("2026/01/my file+1.parquet");
    assertThat(json.get("size").asLong()).isEqualTo(1234L);
    assertThat(json.get("eTag").asText()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    assertThat(json.get("versionId").asText()).isEqualTo("3HL4kqtJlcpXroDTDmJ");
    assertThat(json.get("sequencer").asText()).isEqualTo("0055AED6DCD90281E5");
    assertThat(json.get("eventName").asText()).isEqualTo("ObjectCreated:Put");
    assertThat(json.get("eventTime").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(json.get("source").asText()).isEqualTo("webhook");
    assertThat(json.get("identity").asText())
        .isEqualTo("photos/2026/01/my file+1.parquet@v:3HL4kqtJlcpXroDTDmJ");
    assertThat(json.get("idempotencyKey").asText())
        .isEqualTo(sha256Hex("photos\u00002026/01/my file+1.parquet\u0000v:3HL4kqtJlcpXroDTDmJ"));
    assertThat(json.get("attempt").asInt()).isEqualTo(2);
    assertThat(json.get("releasedAt").asText()).isEqualTo("2026-01-01T00:00:05Z");
    assertThat(json.get("eventId").asLong()).isEqualTo(7);
    assertThat(json.get("releaseId").asLong()).isEqualTo(9);
  }

  @Test
  void toJson_whenFieldsAreUnknown_omitsThemInsteadOfWritingNull() throws Exception {
    JsonNode json = mapper.readTree(JobJson.toJson(TestJobs.minimal()));

    assertThat(json.has("size")).isFalse();
    assertThat(json.has("eTag")).isFalse();
    assertThat(json.has("versionId")).isFalse();
    assertThat(json.has("sequencer")).isFalse();
    assertThat(json.has("eventTime")).isFalse();
    List<String> nullFields = new ArrayList<>();
    json.fields()
        .forEachRemaining(
            f -> {
              if (f.getValue().isNull()) {
                nullFields.add(f.getKey());
              }
            });
    assertThat(nullFields).isEmpty();
    assertThat(json.get("identity").asText()).isEqualTo("photos/a.txt");
  }

  @Test
  void toJson_always_writesOneLine() {
    assertThat(JobJson.toJson(TestJobs.full())).doesNotContain("\n");
  }

  private static String sha256Hex(String text) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}

package dev.sluice.targets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
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
    // Golden value computed outside this code, in a shell: { printf 'photos'; printf '\0';
    // printf '2026/01/my file+1.parquet'; printf '\0'; printf 'v:3HL4kqtJlcpXroDTDmJ'; } |
    // sha256sum
    assertThat(json.get("idempotencyKey").asText())
        .isEqualTo("497569783131935cf236c72ec26ed8e20e2911dea7a977cb80d31dfcfd506ab0");
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
}

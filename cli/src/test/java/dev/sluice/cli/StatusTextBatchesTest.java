package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The batches line of {@code sluice status}, from the status document's {@code batch}. */
class StatusTextBatchesTest {

  @Test
  void render_whenBatching_printsABatchesLine() {
    String status =
        "{\"batch\":{\"max\":20,\"wait\":\"30s\",\"count\":\"jobs\",\"groupedBy\":\"bucket\","
            + "\"sinceStart\":{\"released\":50,\"events\":980,\"meanSize\":19.6,\"partial\":3,"
            + "\"partiallyFailed\":1}},\"limits\":{},\"target\":\"t\"}";

    String text = StatusText.render(Json.read(status));

    assertThat(text)
        .contains(
            "batches      max 20, wait 30s, limits count jobs, by bucket; 50 released (mean size"
                + " 19.6), 3 partial, 1 partly failed");
  }

  @Test
  void render_whenNotBatching_printsNoBatchesLine() {
    String text = StatusText.render(Json.read("{\"batch\":null,\"limits\":{},\"target\":\"t\"}"));

    assertThat(text).doesNotContain("batches");
  }
}

package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/events/lookup} and {@code POST /v1/events/listed}: which listed objects the
 * backlog has seen, and taking the others as events; bad bodies get a 400 that names the field.
 */
class ListedObjectsApiTest {
  @TempDir Path dataDir;

  @Test
  void lookupAndListed_whenANotificationBroughtSomeObjects_takeOnlyTheOthersOnce() {
    try (RunningSluice sluice =
        RunningSluice.start(
            dataDir,
            RecordingTarget.completing(),
            Limits.none(),
            RunningSluice.fastRetry(3),
            true)) {
      // Notified: a/1 with eTag e1. Listed: a/1 (e1, seen), a/1 again with a new content (e9, not
      // seen), a/2 (not seen).
      sluice
          .api
          .post(
              "/v1/events",
              "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":"
                  + "\"landing\"},\"object\":{\"key\":\"a/1\",\"eTag\":\"e1\",\"sequencer\":"
                  + "\"0A\"}}}]}")
          .ok();
      String listed =
          "{\"objects\":[{\"bucket\":\"landing\",\"key\":\"a/1\",\"eTag\":\"\\\"e1\\\"\"},"
              + "{\"bucket\":\"landing\",\"key\":\"a/1\",\"eTag\":\"e9\"},"
              + "{\"bucket\":\"landing\",\"key\":\"a/2\",\"eTag\":\"e2\",\"size\":5,"
              + "\"lastModified\":\"2026-12-01T00:00:00Z\"}]}";

      JsonNode known = sluice.api.post("/v1/events/lookup", listed).ok();
      assertThat(known.get("known").toString()).isEqualTo("[true,false,false]");

      JsonNode taken = sluice.api.post("/v1/events/listed", listed).ok();
      assertThat(taken.get("listed").asInt()).isEqualTo(3);
      assertThat(taken.get("taken").asInt()).isEqualTo(2);
      assertThat(taken.get("known").asInt()).isEqualTo(1);

      JsonNode again = sluice.api.post("/v1/events/listed", listed).ok();
      assertThat(again.get("taken").asInt()).isZero();
      assertThat(again.get("known").asInt()).isEqualTo(3);
      assertThat(sluice.api.post("/v1/events/lookup", listed).ok().get("known").toString())
          .isEqualTo("[true,true,true]");
      JsonNode a2 = sluice.api.get("/v1/events?bucket=landing&key=a/2").ok();
      assertThat(a2.get("events")).hasSize(1);
      assertThat(a2.get("events").get(0).get("identity").asText()).isEqualTo("landing/a/2@e:e2");
    }
  }

  @Test
  void listed_whenTheBodyIsWrong_answers400NamingTheField() {
    try (RunningSluice sluice =
        RunningSluice.start(
            dataDir,
            RecordingTarget.completing(),
            Limits.none(),
            RunningSluice.fastRetry(3),
            true)) {
      assertThat(sluice.api.post("/v1/events/listed", "{}").error(400)).contains("objects");
      assertThat(sluice.api.post("/v1/events/listed", "not json").error(400)).contains("not JSON");
      assertThat(sluice.api.post("/v1/events/listed", "{\"objects\":[{\"key\":\"k\"}]}").error(400))
          .isEqualTo("objects[0].bucket is required");
      assertThat(
              sluice
                  .api
                  .post(
                      "/v1/events/listed",
                      "{\"objects\":[{\"bucket\":\"b\",\"key\":\"a\\u0000b\"}]}")
                  .error(400))
          .isEqualTo("objects[0].key contains a NUL character (U+0000)");
      assertThat(
              sluice
                  .api
                  .post(
                      "/v1/events/listed",
                      "{\"objects\":[{\"bucket\":\"b\",\"key\":\"k\",\"size\":-1}]}")
                  .error(400))
          .contains("objects[0].size");
      assertThat(
              sluice
                  .api
                  .post(
                      "/v1/events/listed",
                      "{\"objects\":[{\"bucket\":\"b\",\"key\":\"k\","
                          + "\"lastModified\":\"yesterday\"}]}")
                  .error(400))
          .contains("objects[0].lastModified");
      assertThat(
              sluice
                  .api
                  .post(
                      "/v1/events/listed",
                      "{\"source\":\"Back Fill\",\"objects\":[{\"bucket\":\"b\",\"key\":\"k\"}]}")
                  .error(400))
          .contains("source");
      List<String> many = new ArrayList<>();
      for (int i = 0; i < 1_001; i++) {
        many.add("{\"bucket\":\"b\",\"key\":\"k" + i + "\"}");
      }
      assertThat(
              sluice
                  .api
                  .post("/v1/events/lookup", "{\"objects\":[" + String.join(",", many) + "]}")
                  .error(400))
          .contains("at most 1000");
      // Nothing was taken by any of them.
      assertThat(sluice.api.get("/v1/status").ok().get("backlog").asInt()).isZero();
    }
  }
}

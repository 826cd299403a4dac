package dev.sluice.serverless;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ObjectEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The message the scheduler puts on the invocation queue, pinned: its execution name is what Step
 * Functions deduplicates a repeated start by, so a change renames every execution in flight.
 */
class SluiceMessageGoldenTest {

  private static final ObjectEvent EVENT =
      new ObjectEvent(
          "data",
          "out/part-00001.parquet",
          42L,
          "d41d8cd98f00b204e9800998ecf8427e",
          null,
          "0055AED6DCD90281E5",
          "ObjectCreated:Put",
          Instant.parse("2026-03-01T12:00:00Z"),
          "s3");

  // The hash was computed outside this code, in a shell (the sequencer is the version marker):
  //   { printf 'data'; printf '\0'; printf 'out/part-00001.parquet'; printf '\0';
  //     printf 's:0055AED6DCD90281E5'; } | sha256sum
  //   ca5259127c8bb78d11e1c36e749a49446f21b77e1d0e16921e31d91d9f7ec222
  // The name is the key's last segment with '.' as '_', its first 40 hex digits, the attempt.
  @Test
  void named_isPinned() {
    assertThat(new SluiceMessage(EVENT, 3, null).named().executionName())
        .isEqualTo("part-00001_parquet-ca5259127c8bb78d11e1c36e749a49446f21b77e-3");
    assertThat(SluiceMessage.firstAttempt(EVENT).named().toJson())
        .isEqualTo(
            "{\"sluice\":1,\"bucket\":\"data\",\"key\":\"out/part-00001.parquet\",\"size\":42,"
                + "\"eTag\":\"d41d8cd98f00b204e9800998ecf8427e\","
                + "\"sequencer\":\"0055AED6DCD90281E5\",\"eventName\":\"ObjectCreated:Put\","
                + "\"eventTime\":\"2026-03-01T12:00:00Z\",\"source\":\"s3\",\"attempt\":1,"
                + "\"executionName\":\"part-00001_parquet-ca5259127c8bb78d11e1c36e749a49446f21b77e-1\"}");
  }

  @Test
  void nextAttempt_leavesTheNameToTheScheduler() {
    SluiceMessage retry = SluiceMessage.firstAttempt(EVENT).named().nextAttempt();
    assertThat(retry.executionName()).isNull();
    assertThat(retry.named().executionName())
        .isEqualTo("part-00001_parquet-ca5259127c8bb78d11e1c36e749a49446f21b77e-2");
  }
}

package dev.sluice.targets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExecutionInputTest {

  @Test
  void of_isTheSameForEveryReleaseOfOneAttempt() {
    // Two releases of attempt 2 (different release ids and times) must send the same text.
    assertThat(ExecutionInput.of(TestJobs.full(7, 9).event(), 2))
        .isEqualTo(ExecutionInput.of(TestJobs.full(7, 12).event(), 2));
  }

  /**
   * The whole text, pinned: Step Functions takes a repeated start as the same execution only when
   * name and input are identical, so a change here starts every redelivered attempt twice. The hash
   * was computed outside this code: { printf 'photos'; printf '\0'; printf '2026/01/my
   * file+1.parquet'; printf '\0'; printf 'v:3HL4kqtJlcpXroDTDmJ'; } | sha256sum; the name is the
   * key's last segment with other characters as '_', the first 40 hex digits, the attempt.
   */
  @Test
  void of_isPinned() {
    assertThat(ExecutionInput.of(TestJobs.full().event(), 2))
        .isEqualTo(
            "{\"bucket\":\"photos\",\"key\":\"2026/01/my file+1.parquet\",\"size\":1234,"
                + "\"eTag\":\"d41d8cd98f00b204e9800998ecf8427e\",\"versionId\":\"3HL4kqtJlcpXroDTDmJ\","
                + "\"sequencer\":\"0055AED6DCD90281E5\",\"eventName\":\"ObjectCreated:Put\","
                + "\"eventTime\":\"2026-01-01T00:00:00Z\",\"source\":\"webhook\","
                + "\"identity\":\"photos/2026/01/my file+1.parquet@v:3HL4kqtJlcpXroDTDmJ\","
                + "\"idempotencyKey\":\"497569783131935cf236c72ec26ed8e20e2911dea7a977cb80d31dfcfd506ab0\","
                + "\"attempt\":2,"
                + "\"executionName\":\"my_file_1_parquet-497569783131935cf236c72ec26ed8e20e2911de-2\"}");
  }

  @Test
  void of_carriesTheEventAttemptAndExecutionNameAndNoReleaseFields() {
    String input = ExecutionInput.of(TestJobs.full().event(), 2);

    assertThat(input)
        .startsWith("{\"bucket\":\"photos\",\"key\":\"2026/01/my file+1.parquet\",\"size\":1234,")
        .contains("\"attempt\":2,\"executionName\":\"my_file_1_parquet-")
        .endsWith("-2\"}")
        .doesNotContain("releaseId")
        .doesNotContain("releasedAt")
        .doesNotContain("eventId");
  }
}

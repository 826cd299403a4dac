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

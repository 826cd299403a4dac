package dev.sluice.serverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Lambda's reading of a partial batch response, rule by rule. */
class BatchItemFailuresTest {
  private static final Set<String> BATCH = Set.of("m1", "m2");

  @Test
  void of_emptyNullOrMissingList_isACompleteSuccess() {
    assertThat(BatchItemFailures.of("{\"batchItemFailures\":[]}", BATCH)).contains(Set.of());
    assertThat(BatchItemFailures.of("{\"batchItemFailures\":null}", BATCH)).contains(Set.of());
    assertThat(BatchItemFailures.of("{}", BATCH)).contains(Set.of());
    assertThat(BatchItemFailures.of("", BATCH)).contains(Set.of());
    assertThat(BatchItemFailures.of("null", BATCH)).contains(Set.of());
  }

  @Test
  void of_listedIds_areTheFailedMessages() {
    assertThat(BatchItemFailures.of("{\"batchItemFailures\":[{\"itemIdentifier\":\"m2\"}]}", BATCH))
        .contains(Set.of("m2"));
  }

  @Test
  void of_badAnswers_failTheWholeBatch() {
    assertThat(BatchItemFailures.of("not json", BATCH)).isEmpty();
    assertThat(BatchItemFailures.of("{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}", BATCH))
        .isEmpty();
    assertThat(BatchItemFailures.of("{\"batchItemFailures\":[{\"itemIdentifier\":null}]}", BATCH))
        .isEmpty();
    assertThat(BatchItemFailures.of("{\"batchItemFailures\":[{\"id\":\"m1\"}]}", BATCH)).isEmpty();
    assertThat(BatchItemFailures.of("{\"batchItemFailures\":[{\"itemIdentifier\":\"m9\"}]}", BATCH))
        .isEmpty();
  }
}

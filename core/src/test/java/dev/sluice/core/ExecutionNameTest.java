package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExecutionNameTest {

  // Golden values: the hashes were computed outside this code (Python's hashlib over
  // bucket NUL key NUL version). A change here renames every execution in flight.
  @Test
  void of_isPinned() {
    assertThat(
            ExecutionName.of(
                new EventIdentity("data", "out/part-00001.parquet", "s:0055AED6DCD90281E5"), 1))
        .isEqualTo("part-00001_parquet-ca5259127c8bb78d11e1c36e749a49446f21b77e-1");
    assertThat(ExecutionName.of(new EventIdentity("data", "dir/", ""), 3))
        .isEqualTo("7702527eb7bf7a8ac6c9a91907aa9d1236d83538-3");
    assertThat(
            ExecutionName.of(
                new EventIdentity(
                    "b",
                    "ünïcode ☃ key with spaces and a very long name indeed.parquet",
                    "v:3HL4kqtJlcpXroDTDmJ"),
                9999))
        .isEqualTo("_n_code___key_with_spaces_and_-0ad2f9f83f4e9c203dddf8078bbe0ecb58e71532-9999");
  }

  @Test
  void of_keepsTheNameRules_forAnyKey() {
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 2000; i++) {
      StringBuilder key = new StringBuilder();
      int n = 1 + random.nextInt(300);
      for (int j = 0; j < n; j++) {
        key.appendCodePoint(
            random.nextInt(4) == 0 ? 0x20 + random.nextInt(0x3000) : 'a' + random.nextInt(26));
      }
      String name =
          ExecutionName.of(new EventIdentity("b", key.toString(), ""), 1 + random.nextInt(9999));
      assertThat(ExecutionName.isValid(name)).as(name).isTrue();
    }
  }

  @Test
  void of_whenOnlyTheAttemptDiffers_isAnotherName() {
    EventIdentity id = new EventIdentity("data", "a.csv", "e:x");
    assertThat(ExecutionName.of(id, 1)).isNotEqualTo(ExecutionName.of(id, 2));
    assertThat(ExecutionName.of(id, 1)).isEqualTo(ExecutionName.of(id, 1));
  }

  @Test
  void of_whenAttemptOutOfRange_refuses() {
    EventIdentity id = new EventIdentity("data", "a.csv", "");
    assertThatThrownBy(() -> ExecutionName.of(id, 0)).hasMessageContaining("attempt");
    assertThatThrownBy(() -> ExecutionName.of(id, 10000)).hasMessageContaining("attempt");
  }
}

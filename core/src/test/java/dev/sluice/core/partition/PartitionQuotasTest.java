package dev.sluice.core.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionQuotasTest {

  @Test
  void any_limitsNoPartition() {
    assertThat(PartitionQuotas.ANY.isAny()).isTrue();
    assertThat(PartitionQuotas.ANY.of("a/")).isEqualTo(Integer.MAX_VALUE);
    assertThat(PartitionQuotas.ANY.of("")).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void limits_givesEachNamedPartitionItsQuotaAndOthersNone() {
    PartitionQuotas quotas = PartitionQuotas.limits(Map.of("a/", 3, "b/", 1));

    assertThat(quotas.isAny()).isFalse();
    assertThat(quotas.of("a/")).isEqualTo(3);
    assertThat(quotas.of("b/")).isEqualTo(1);
    assertThat(quotas.of("c/")).isZero();
  }

  @Test
  void limits_dropsZeroQuotasAndSortsByPartition() {
    PartitionQuotas quotas = PartitionQuotas.limits(Map.of("z", 2, "a", 1, "m", 0));

    assertThat(quotas.asMap()).containsExactly(Map.entry("a", 1), Map.entry("z", 2));
    assertThat(quotas).isEqualTo(PartitionQuotas.limits(Map.of("a", 1, "z", 2)));
  }

  @Test
  void limits_whenQuotaNegative_namesThePartition() {
    assertThatThrownBy(() -> PartitionQuotas.limits(Map.of("a/", -1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a/'")
        .hasMessageContaining("-1");
  }
}

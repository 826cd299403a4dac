package dev.sluice.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTextTest {

  @Test
  void parse_whenBinarySuffixes_multipliesBy1024() {
    assertThat(ByteSizeText.parse("1048576")).isEqualTo(1_048_576L);
    assertThat(ByteSizeText.parse("100B")).isEqualTo(100L);
    assertThat(ByteSizeText.parse("512KiB")).isEqualTo(524_288L);
    assertThat(ByteSizeText.parse("1MiB")).isEqualTo(1_048_576L);
    assertThat(ByteSizeText.parse("2GiB")).isEqualTo(2_147_483_648L);
  }

  @Test
  void parse_whenDecimalOrUnknownUnit_throwsNamingTheForms() {
    for (String bad : new String[] {"1MB", "1.5MiB", "-1", "lots", "99999999999999GiB"}) {
      assertThatThrownBy(() -> ByteSizeText.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("expected a size like 1048576, 512KiB or 1MiB, got '" + bad + "'");
    }
  }
}

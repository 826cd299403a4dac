package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequencersTest {
  @Test
  void compare_whenSameLength_comparesAsStrings() {
    assertThat(Sequencers.compare("0055AED6DCD90281E5", "0055AED6DCD90281E6")).isNegative();
    assertThat(Sequencers.compare("0055AED6DCD90281E6", "0055AED6DCD90281E5")).isPositive();
    assertThat(Sequencers.compare("0055AED6DCD90281E5", "0055AED6DCD90281E5")).isZero();
  }

  @Test
  void compare_whenLengthsDiffer_padsTheShorterOnTheRightWithZeros() {
    // Right-padded, "0055AED6DCD90281E5" is "0055AED6DCD90281E500": earlier than "...E501".
    assertThat(Sequencers.compare("0055AED6DCD90281E5", "0055AED6DCD90281E501")).isNegative();
    // and equal to an explicit trailing-zero form
    assertThat(Sequencers.compare("0055AED6DCD90281E5", "0055AED6DCD90281E500")).isZero();
    // A numeric comparison would call "FF" < "0100"; the S3 rule compares "FF00" > "0100".
    assertThat(Sequencers.compare("FF", "0100")).isPositive();
  }

  @Test
  void compare_ignoresHexCase() {
    assertThat(Sequencers.compare("00ab", "00AB")).isZero();
  }

  @Test
  void sortKey_whenBlank_isNull() {
    assertThat(Sequencers.sortKey(null)).isNull();
    assertThat(Sequencers.sortKey(" ")).isNull();
  }
}

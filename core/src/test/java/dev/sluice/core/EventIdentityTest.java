package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventIdentityTest {
  private static ObjectEvent event(String versionId, String sequencer, String eTag) {
    return new ObjectEvent(
        "b", "red flower.jpg", 1L, eTag, versionId, sequencer, "ObjectCreated:Put", null, "t");
  }

  @Test
  void identity_prefersVersionIdThenSequencerThenETag() {
    assertThat(event("v1", "0A", "e1").identity().version()).isEqualTo("v:v1");
    assertThat(event(null, "0A", "e1").identity().version()).isEqualTo("s:0A");
    assertThat(event(null, null, "e1").identity().version()).isEqualTo("e:e1");
    assertThat(event(null, null, null).identity().version()).isEmpty();
  }

  @Test
  void identity_whenOnlyTheVersionDiffers_isAnotherEvent() {
    assertThat(event("v1", null, null).identity()).isNotEqualTo(event("v2", null, null).identity());
    assertThat(event("v1", "0A", "x").identity()).isEqualTo(event("v1", "0B", "y").identity());
  }

  @Test
  void idempotencyKey_isStableHexSha256() {
    String key = event("v1", null, null).identity().idempotencyKey();
    assertThat(key).hasSize(64).matches("[0-9a-f]+");
    assertThat(event("v1", null, null).identity().idempotencyKey()).isEqualTo(key);
    assertThat(event("v2", null, null).identity().idempotencyKey()).isNotEqualTo(key);
  }

  // Golden values computed outside this code, in a shell:
  //   { printf 'photos'; printf '\0'; printf '2026/01/my file+1.parquet'; printf '\0';
  //     printf 'v:3HL4kqtJlcpXroDTDmJ'; } | sha256sum
  // Every target deduplicates on this key: a change here repeats every job in flight.
  @Test
  void idempotencyKey_isPinned() {
    assertThat(
            new EventIdentity("photos", "2026/01/my file+1.parquet", "v:3HL4kqtJlcpXroDTDmJ")
                .idempotencyKey())
        .isEqualTo("497569783131935cf236c72ec26ed8e20e2911dea7a977cb80d31dfcfd506ab0");
    // { printf 'photos'; printf '\0'; printf 'a.txt'; printf '\0'; } | sha256sum
    assertThat(new EventIdentity("photos", "a.txt", "").idempotencyKey())
        .isEqualTo("2d1df870b9377b6e8f66d4df4a965ef7ec1c3367fda0de5742270d8fb2afac17");
    // { printf 'data'; printf '\0'; printf 'in/report.csv'; printf '\0';
    //   printf 'e:d41d8cd98f00b204e9800998ecf8427e'; } | sha256sum
    // An event with only an eTag is identified by it.
    ObjectEvent eTagOnly =
        new ObjectEvent(
            "data",
            "in/report.csv",
            0L,
            "d41d8cd98f00b204e9800998ecf8427e",
            null,
            null,
            "ObjectCreated:Put",
            null,
            "s3");
    assertThat(eTagOnly.identity().idempotencyKey())
        .isEqualTo("f499122c1858eab1d7b0c0491e4c91cdc7fb4eb20d116e1395093c50f5fb9c31");
  }

  @Test
  void fromString_invertsAsString() {
    EventIdentity id = event(null, "0055AED6DCD90281E5", null).identity();
    assertThat(EventIdentity.fromString(id.asString())).isEqualTo(id);
  }
}

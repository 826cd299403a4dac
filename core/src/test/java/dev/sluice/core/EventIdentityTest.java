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

  @Test
  void fromString_invertsAsString() {
    EventIdentity id = event(null, "0055AED6DCD90281E5", null).identity();
    assertThat(EventIdentity.fromString(id.asString())).isEqualTo(id);
  }
}

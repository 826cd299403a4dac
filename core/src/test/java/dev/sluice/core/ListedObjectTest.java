package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ListedObjectTest {
  private static final Instant MODIFIED = Instant.parse("2026-11-30T08:15:00Z");

  @Test
  void eTag_whenQuotedAsListingsGiveIt_isKeptUnquoted() {
    assertThat(ListedObject.of("b", "k", "\"9b2cf535f27731c974343645a3985328\"").eTag())
        .isEqualTo("9b2cf535f27731c974343645a3985328");
    assertThat(ListedObject.of("b", "k", "\"\"").eTag()).isNull();
    assertThat(ListedObject.of("b", "k", "abc-3").eTag()).isEqualTo("abc-3");
  }

  @Test
  void toEvent_carriesTheListingAndHasTheETagIdentity() {
    ObjectEvent e =
        new ListedObject("landing", "in/a b.csv", "\"abc\"", 12L, MODIFIED).toEvent("backfill");

    assertThat(e)
        .isEqualTo(
            new ObjectEvent(
                "landing",
                "in/a b.csv",
                12L,
                "abc",
                null,
                null,
                "ObjectCreated:Listed",
                MODIFIED,
                "backfill"));
    assertThat(e.identity()).isEqualTo(new EventIdentity("landing", "in/a b.csv", "e:abc"));
  }

  @Test
  void matches_comparesBucketKeyAndETagUnlessOneSideHasNone() {
    ObjectEvent notified =
        new ObjectEvent("landing", "k", 1L, "abc", null, "0A", "ObjectCreated:Put", null, "sqs");
    ObjectEvent bare = ObjectEvent.created("landing", "k", "webhook");

    assertThat(ListedObject.of("landing", "k", "\"abc\"").matches(notified)).isTrue();
    assertThat(ListedObject.of("landing", "k", "def").matches(notified)).isFalse();
    assertThat(ListedObject.of("landing", "k2", "abc").matches(notified)).isFalse();
    assertThat(ListedObject.of("other", "k", "abc").matches(notified)).isFalse();
    assertThat(ListedObject.of("landing", "k", null).matches(notified)).isTrue();
    assertThat(ListedObject.of("landing", "k", "def").matches(bare)).isTrue();
  }

  @Test
  void new_whenBucketOrKeyEmpty_throws() {
    assertThatThrownBy(() -> ListedObject.of("", "k", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bucket");
    assertThatThrownBy(() -> ListedObject.of("b", "", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key");
  }
}

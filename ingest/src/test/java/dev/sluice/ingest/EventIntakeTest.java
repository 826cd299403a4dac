package dev.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.AppendResult;
import dev.sluice.core.backlog.InMemoryBacklog;
import dev.sluice.core.time.ManualTimeSource;
import dev.sluice.intake.Dropped;
import dev.sluice.intake.NotificationParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The intake with no server and no store library around it: what a Lambda handler gets. A real
 * parser and the in-memory backlog.
 */
class EventIntakeTest {
  private final InMemoryBacklog backlog = new InMemoryBacklog();
  private final ManualTimeSource time = new ManualTimeSource();
  private final AtomicInteger wakes = new AtomicInteger();
  private final EventIntake intake =
      new EventIntake(new NotificationParser(), backlog, time, wakes::incrementAndGet);

  private static String record(String eventName, String encodedKey, String sequencer) {
    return "{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"eventName\":\""
        + eventName
        + "\",\"s3\":{\"bucket\":{\"name\":\"landing\"},\"object\":{\"key\":\""
        + encodedKey
        + "\",\"sequencer\":\""
        + sequencer
        + "\"}}}";
  }

  private static byte[] body(String... records) {
    return ("{\"Records\":[" + String.join(",", records) + "]}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void acceptBody_whenRecordsAreNewRepeatedAndRemoved_commitsTheNewAndCountsTheRest() {
    byte[] first = body(record("ObjectCreated:Put", "my+file.parquet", "0A"));
    intake.acceptBody(first);

    IntakeReport report =
        intake.acceptBody(
            body(
                record("ObjectCreated:Put", "my+file.parquet", "0A"),
                record("ObjectCreated:Put", "b%2Fc.parquet", "0B"),
                record("ObjectRemoved:Delete", "gone.parquet", "0C")));

    assertThat(report.accepted()).isEqualTo(1);
    assertThat(report.duplicates()).isEqualTo(1);
    assertThat(report.dropped()).extracting(IntakeReport.Problem::index).containsExactly(2);
    assertThat(report.rejected()).isEmpty();
    assertThat(backlog.claim(10, Duration.ofMinutes(1), time.now()))
        .extracting(j -> j.event().key())
        .containsExactly("my file.parquet", "b/c.parquet");
    assertThat(wakes).hasValue(2);
    assertThat(intake.droppedCounts().byLabel()).containsValue(1L);
  }

  @Test
  void observer_isToldAcceptedAndDuplicatesBySource_droppedAndRejected() {
    List<String> told = new ArrayList<>();
    EventIntake observed =
        new EventIntake(
            new NotificationParser(),
            backlog,
            time,
            () -> {},
            new IntakeObserver() {
              @Override
              public void appended(String source, AppendResult r) {
                told.add(source + " +" + r.accepted() + " =" + r.duplicates());
              }

              @Override
              public void dropped(List<Dropped> dropped) {
                dropped.forEach(d -> told.add("dropped " + d.category().label()));
              }

              @Override
              public void rejected(int records) {
                told.add("rejected " + records);
              }
            });

    observed.acceptBody(
        body(
            record("ObjectCreated:Put", "a.parquet", "01"),
            record("ObjectCreated:Put", "a.parquet", "01"),
            record("ObjectRemoved:Delete", "gone.parquet", "02"),
            "{\"eventName\":\"ObjectCreated:Put\"}"));
    observed.appendEvents(
        List.of(
            ObjectEvent.created("landing", "x", "s3-endpoint"),
            ObjectEvent.created("landing", "y", "sqs"),
            ObjectEvent.created("landing", "a.parquet", "sqs")));

    assertThat(told)
        .containsExactly(
            "webhook +1 =1", "dropped event-name", "rejected 1", "s3-endpoint +1 =0", "sqs +2 =0");
  }

  @Test
  void acceptBody_whenNotANotification_throwsAndKeepsNothing() {
    assertThatThrownBy(() -> intake.acceptBody("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedBodyException.class);

    assertThat(backlog.stats(time.now()).waiting()).isZero();
    assertThat(wakes).hasValue(0);
  }

  @Test
  void sqsIntake_whenABatchMixesGoodAndUnreadableBodies_commitsOnceAndKeepsTheUnreadable() {
    SqsIntake sqs = new SqsIntake(intake, new NotificationParser());

    List<MessageVerdict> verdicts =
        sqs.accept(
            List.of(
                new String(
                    body(record("ObjectCreated:Put", "a.parquet", "01")), StandardCharsets.UTF_8),
                "{\"Records\": 7}",
                new String(
                    body(record("ObjectCreated:Put", "b.parquet", "02")), StandardCharsets.UTF_8)));

    assertThat(verdicts)
        .containsExactly(
            MessageVerdict.COMMITTED, MessageVerdict.NEVER_READABLE, MessageVerdict.COMMITTED);
    assertThat(backlog.stats(time.now()).waiting()).isEqualTo(2);
    assertThat(wakes).as("one commit for the batch").hasValue(1);
  }
}

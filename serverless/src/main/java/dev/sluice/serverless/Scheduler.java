package dev.sluice.serverless;

import dev.sluice.core.gate.stored.AlignedWindowPolicy;
import dev.sluice.core.gate.stored.ConcurrencyPolicy;
import dev.sluice.core.gate.stored.InFlightSlots;
import dev.sluice.core.gate.stored.LimitStateStore;
import dev.sluice.core.gate.stored.StoredGate;
import dev.sluice.core.gate.stored.StoredLimit;
import dev.sluice.core.gate.stored.TickUsage;
import dev.sluice.ingest.MessageVerdict;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The scheduler function's work for one tick: move at most the tick's budget of jobs from the event
 * queue to the invocation queue.
 *
 * <p>Per batch of up to ten messages received: read each body ({@link EventQueueReader}); take the
 * messages whose jobs fit the budget left, whole; reserve their jobs in the stored limits with a
 * conditional write ({@link StoredGate}) before anything moves; send the reserved jobs ten to a
 * call; delete only the messages whose every job was sent; give back the budget and slots of what
 * was not sent. Messages that did not fit, or whose send failed, are made visible again at the end
 * of the tick. A message that cannot be read is left alone, so the queue's redrive policy moves it
 * to the dead-letter queue; a test event is deleted. On the happy path a batch of ten costs three
 * SQS calls (receive, send, delete) and one or two conditional writes.
 *
 * <p>Two invocations for one tick, at once or one after the other, share the tick's budget through
 * its stored state: together they never move more than the limit.
 */
public final class Scheduler {
  private static final System.Logger LOG = System.getLogger(Scheduler.class.getName());
  private static final int MAX_DELAY_SECONDS = 900;

  private final SqsClient sqs;
  private final SchedulerSettings settings;
  private final LimitStateStore<TickUsage> ticks;
  private final LimitStateStore<InFlightSlots> slots;
  private final AlignedWindowPolicy window;
  private final ConcurrencyPolicy concurrency;
  private final EventQueueReader reader;
  private final BatchSender invocationQueue;
  private final PrintStream log;

  /**
   * @param slots where in-flight slots are kept; unused without {@link
   *     SchedulerSettings#maxInFlight()}
   * @param log where the tick's summary line and metrics go (the function's standard output)
   */
  public Scheduler(
      SqsClient sqs,
      LimitStateStore<TickUsage> ticks,
      LimitStateStore<InFlightSlots> slots,
      SchedulerSettings settings,
      PrintStream log) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.ticks = Objects.requireNonNull(ticks, "ticks");
    this.slots = slots;
    this.window = new AlignedWindowPolicy(settings.limit(), settings.every());
    this.concurrency =
        settings.maxInFlight() == null
            ? null
            : new ConcurrencyPolicy(settings.maxInFlight(), settings.slotExpiry());
    if (concurrency != null) {
      Objects.requireNonNull(slots, "slots (MAX_IN_FLIGHT is set)");
    }
    this.reader = new EventQueueReader(settings.sourceOptions());
    this.invocationQueue = new BatchSender(sqs, settings.invocationQueueUrl());
    this.log = Objects.requireNonNull(log, "log");
  }

  /** The tick that {@code now} falls in, for an invocation that carries no scheduled time. */
  public Instant tickOf(Instant now) {
    return window.tickStart(now);
  }

  /**
   * Runs the tick scheduled for {@code scheduledTime}: its budget is that of the tick it falls in.
   *
   * @param timeLeft false once the invocation must stop receiving (its deadline is near)
   */
  public TickReport runTick(Instant scheduledTime, BooleanSupplier timeLeft) {
    Instant at = scheduledTime;
    StoredLimit<TickUsage> tickLimit = new StoredLimit<>(window, ticks);
    StoredLimit<InFlightSlots> slotLimit =
        concurrency == null ? null : new StoredLimit<>(concurrency, slots);
    StoredGate gate =
        new StoredGate(slotLimit == null ? List.of(tickLimit) : List.of(tickLimit, slotLimit));
    Tally tally = new Tally();
    int budget = gate.permits(at);
    int left = budget;
    List<Message> toReturn = new ArrayList<>();

    while (left > 0 && timeLeft.getAsBoolean()) {
      List<Message> received = receive(Math.min(BatchSender.MAX_BATCH, left));
      if (received.isEmpty()) {
        break;
      }
      List<Message> toDelete = new ArrayList<>();
      List<Candidate> fitting = new ArrayList<>();
      Map<String, SluiceMessage> jobs = new LinkedHashMap<>();
      for (Message m : received) {
        EventQueueReader.Read read = reader.read(m.body());
        tally.dropped += read.parsed().dropped().size();
        tally.rejected += read.parsed().rejected().size();
        if (read.verdict() == MessageVerdict.NEVER_READABLE) {
          tally.unreadable++;
          LOG.log(
              System.Logger.Level.WARNING,
              "event queue message {0} cannot be read, left for the dead-letter queue: {1}",
              m.messageId(),
              read.parsed().isMalformed() ? read.parsed().bodyError() : read.parsed().rejected());
          continue;
        }
        if (read.jobs().isEmpty()) {
          toDelete.add(m); // a test event, or records outside the filters
          continue;
        }
        List<String> names = read.jobs().stream().map(SluiceMessage::executionName).toList();
        long newNames = names.stream().distinct().filter(n -> !jobs.containsKey(n)).count();
        if (jobs.size() + newNames > left) {
          toReturn.add(m); // does not fit the budget left: returned whole
          continue;
        }
        read.jobs().forEach(j -> jobs.putIfAbsent(j.executionName(), j));
        fitting.add(new Candidate(m, names));
      }

      List<String> asked = new ArrayList<>(jobs.keySet());
      List<String> granted = asked.isEmpty() ? List.of() : gate.reserve(at, asked);
      Set<String> grantedSet = new HashSet<>(granted);
      List<Candidate> going = new ArrayList<>();
      Set<String> goingNames = new HashSet<>();
      for (Candidate c : fitting) {
        if (grantedSet.containsAll(c.names())) {
          going.add(c);
          goingNames.addAll(c.names());
        } else {
          toReturn.add(c.message());
        }
      }
      List<String> toSend = granted.stream().filter(goingNames::contains).toList();
      List<String> giveBack =
          new ArrayList<>(granted.stream().filter(n -> !goingNames.contains(n)).toList());

      long firstPosition = tickLimit.lastKnown(at).state().used() - granted.size();
      List<BatchSender.Outgoing> outgoing = new ArrayList<>(toSend.size());
      for (int i = 0; i < toSend.size(); i++) {
        outgoing.add(
            new BatchSender.Outgoing(
                jobs.get(toSend.get(i)).toJson(), delaySeconds(firstPosition + i)));
      }
      List<BatchSender.Unsent> unsent = invocationQueue.send(outgoing);
      Set<String> unsentNames = new HashSet<>();
      for (BatchSender.Unsent u : unsent) {
        String name = toSend.get(u.index());
        unsentNames.add(name);
        LOG.log(System.Logger.Level.WARNING, "job {0} not sent: {1}", name, u.reason());
      }
      giveBack.addAll(unsentNames);
      if (!giveBack.isEmpty()) {
        gate.giveBack(at, giveBack);
      }
      for (Candidate c : going) {
        if (c.names().stream().anyMatch(unsentNames::contains)) {
          toReturn.add(c.message()); // sent again on a later tick; its sent jobs are deduplicated
        } else {
          toDelete.add(c.message());
        }
      }
      tally.deleted += delete(toDelete);
      int sent = toSend.size() - unsentNames.size();
      tally.released += sent;
      tally.unsent += unsentNames.size();
      left -= granted.size() - giveBack.size();
      if (granted.size() < asked.size()) {
        // Another invocation holds part of the budget, or slots are full: ask the store again.
        left = Math.min(left, gate.permits(at));
      }
      if (!toSend.isEmpty() && sent == 0) {
        break; // the invocation queue takes nothing now: leave the rest for a later tick
      }
    }
    tally.returned += makeVisible(toReturn);

    long backlog = settings.backlogMetric() ? backlog() : -1;
    long inFlight =
        slotLimit == null ? -1 : concurrency.inFlight(slotLimit.lastKnown(at).state(), at);
    TickReport report =
        new TickReport(
            scheduledTime,
            window.tickStart(at),
            budget,
            tally.released,
            tally.unsent,
            tally.returned,
            tally.deleted,
            tally.unreadable,
            tally.dropped,
            tally.rejected,
            backlog,
            inFlight);
    log.println(report.toJson());
    Map<String, Long> metrics = new LinkedHashMap<>();
    metrics.put("Released", (long) report.released());
    if (backlog >= 0) {
      metrics.put("Backlog", backlog);
    }
    if (inFlight >= 0) {
      metrics.put("InFlight", inFlight);
    }
    log.println(EmbeddedMetrics.line(settings.pipeline(), scheduledTime, metrics));
    return report;
  }

  /** A message whose jobs fit the budget left, with their execution names. */
  private record Candidate(Message message, List<String> names) {}

  /** Counts of one tick. */
  private static final class Tally {
    int released;
    int unsent;
    int returned;
    int deleted;
    int unreadable;
    int dropped;
    int rejected;
  }

  /** With SMOOTH, the {@code position}-th release of a tick waits its even share of the tick. */
  private int delaySeconds(long position) {
    if (!settings.smooth() || position <= 0) {
      return 0;
    }
    long seconds = position * settings.every().toSeconds() / settings.limit();
    return (int) Math.min(MAX_DELAY_SECONDS, seconds);
  }

  private List<Message> receive(int max) {
    return sqs.receiveMessage(
            b ->
                b.queueUrl(settings.eventQueueUrl())
                    .maxNumberOfMessages(max)
                    .waitTimeSeconds(settings.receiveWaitSeconds()))
        .messages();
  }

  /** Deletes the messages; returns how many are gone. A failed delete only means a repeat. */
  private int delete(List<Message> messages) {
    int deleted = 0;
    for (int from = 0; from < messages.size(); from += BatchSender.MAX_BATCH) {
      List<Message> chunk =
          messages.subList(from, Math.min(messages.size(), from + BatchSender.MAX_BATCH));
      List<DeleteMessageBatchRequestEntry> entries =
          IntStream.range(0, chunk.size())
              .mapToObj(
                  i ->
                      DeleteMessageBatchRequestEntry.builder()
                          .id(Integer.toString(i))
                          .receiptHandle(chunk.get(i).receiptHandle())
                          .build())
              .toList();
      try {
        var response =
            sqs.deleteMessageBatch(b -> b.queueUrl(settings.eventQueueUrl()).entries(entries));
        deleted += response.successful().size();
        if (!response.failed().isEmpty()) {
          LOG.log(
              System.Logger.Level.WARNING,
              "messages not deleted (they will be released again, under the same execution names):"
                  + " {0}",
              response.failed());
        }
      } catch (SdkException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "DeleteMessageBatch failed (the messages will be released again, under the same"
                + " execution names): {0}",
            e.toString());
      }
    }
    return deleted;
  }

  /** Makes the messages visible again at once, for a later tick. */
  private int makeVisible(List<Message> messages) {
    int returned = 0;
    for (int from = 0; from < messages.size(); from += BatchSender.MAX_BATCH) {
      List<Message> chunk =
          messages.subList(from, Math.min(messages.size(), from + BatchSender.MAX_BATCH));
      List<ChangeMessageVisibilityBatchRequestEntry> entries =
          IntStream.range(0, chunk.size())
              .mapToObj(
                  i ->
                      ChangeMessageVisibilityBatchRequestEntry.builder()
                          .id(Integer.toString(i))
                          .receiptHandle(chunk.get(i).receiptHandle())
                          .visibilityTimeout(0)
                          .build())
              .toList();
      try {
        returned +=
            sqs.changeMessageVisibilityBatch(
                    b -> b.queueUrl(settings.eventQueueUrl()).entries(entries))
                .successful()
                .size();
      } catch (SdkException e) {
        // They come back after their visibility timeout all the same.
        LOG.log(
            System.Logger.Level.WARNING, "ChangeMessageVisibilityBatch failed: {0}", e.toString());
      }
    }
    return returned;
  }

  private long backlog() {
    try {
      String n =
          sqs.getQueueAttributes(
                  b ->
                      b.queueUrl(settings.eventQueueUrl())
                          .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
              .attributes()
              .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
      return n == null ? -1 : Long.parseLong(n);
    } catch (SdkException | NumberFormatException e) {
      LOG.log(System.Logger.Level.WARNING, "backlog unknown: {0}", e.toString());
      return -1;
    }
  }
}

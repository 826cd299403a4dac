package dev.sluice.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Several sender threads posting S3 notifications, one batch per request, as a real sender does,
 * keeping exact account of which objects were acknowledged (a 2xx answer). A sender whose request
 * gets no answer (the service died) stops; its batch and every batch not yet sent stay
 * unacknowledged, to be sent again.
 */
final class NotificationSenders {
  private final SluiceClient client;
  private final Queue<List<Integer>> toSend;
  private final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
  private final Queue<List<Integer>> unanswered = new ConcurrentLinkedQueue<>();
  private final Queue<String> wrongAnswers = new ConcurrentLinkedQueue<>();
  private final AtomicInteger acknowledgedCount = new AtomicInteger();
  private final AtomicLong duplicatesReported = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();

  NotificationSenders(SluiceClient client, List<List<Integer>> batches) {
    this.client = client;
    this.toSend = new ConcurrentLinkedQueue<>(batches);
  }

  /** Objects 0..count-1 in batches of {@code batchSize}. */
  static List<List<Integer>> batches(int count, int batchSize) {
    List<List<Integer>> out = new ArrayList<>();
    for (int from = 0; from < count; from += batchSize) {
      List<Integer> batch = new ArrayList<>();
      for (int n = from; n < Math.min(count, from + batchSize); n++) {
        batch.add(n);
      }
      out.add(batch);
    }
    return out;
  }

  /** Regroups numbers into batches of {@code batchSize}. */
  static List<List<Integer>> rebatch(List<Integer> numbers, int batchSize) {
    List<List<Integer>> out = new ArrayList<>();
    for (int i = 0; i < numbers.size(); i += batchSize) {
      out.add(new ArrayList<>(numbers.subList(i, Math.min(numbers.size(), i + batchSize))));
    }
    return out;
  }

  NotificationSenders start(int threadCount) {
    for (int i = 0; i < threadCount; i++) {
      Thread t = new Thread(this::sendUntilDoneOrDown, "sender-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    return this;
  }

  private void sendUntilDoneOrDown() {
    for (List<Integer> batch; (batch = toSend.poll()) != null; ) {
      SluiceClient.Response answer;
      try {
        answer = client.postEvents(NumberedObjects.notification(batch));
      } catch (IOException e) {
        unanswered.add(batch);
        return;
      }
      if (!answer.ok()) {
        // A live service must take every well-formed batch; any other answer is a finding.
        wrongAnswers.add("HTTP " + answer.status() + ": " + answer.body());
        unanswered.add(batch);
        continue;
      }
      JsonNode report = answer.json();
      int taken = report.path("accepted").asInt() + report.path("duplicates").asInt();
      if (taken != batch.size() || !report.path("rejected").isEmpty()) {
        wrongAnswers.add("batch of " + batch.size() + " answered " + answer.body());
      }
      duplicatesReported.addAndGet(report.path("duplicates").asInt());
      acknowledged.addAll(batch);
      acknowledgedCount.addAndGet(batch.size());
    }
  }

  /** Waits until every sender has stopped (all sent, or the service went away). */
  NotificationSenders awaitStopped() throws InterruptedException {
    for (Thread t : threads) {
      t.join(60_000);
      if (t.isAlive()) {
        throw new AssertionError(t.getName() + " still sending after 60 s");
      }
    }
    return this;
  }

  int acknowledgedCount() {
    return acknowledgedCount.get();
  }

  /** Objects in batches that got a 2xx. */
  Set<Integer> acknowledged() {
    return Set.copyOf(acknowledged);
  }

  /** Objects never acknowledged: in a batch without an answer, or never sent. Call when stopped. */
  List<Integer> unacknowledged() {
    List<Integer> out = new ArrayList<>();
    unanswered.forEach(out::addAll);
    toSend.forEach(out::addAll);
    out.sort(Integer::compare);
    return out;
  }

  /** Records the service reported as already held (the {@code duplicates} of its answers). */
  long duplicatesReported() {
    return duplicatesReported.get();
  }

  /** Answers that were neither a 2xx taking the whole batch nor a missing answer. */
  List<String> wrongAnswers() {
    return List.copyOf(wrongAnswers);
  }
}

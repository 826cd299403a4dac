package dev.sluice.serverless.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.ObjectEvent;
import dev.sluice.localaws.LocalSqs;
import dev.sluice.sfnlocal.ExecutionStatus;
import dev.sluice.sfnlocal.LocalStepFunctions;
import dev.sluice.sfnlocal.RecordedExecution;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * One test's serverless shape: fresh queues (each with its dead-letter queue, redrive after 5
 * receives) and table on the shared ElasticMQ and dynalite, its own Step Functions endpoint (the
 * judge of what started), and the four functions wired by {@link LocalServerless}.
 */
final class TestPipeline implements AutoCloseable {
  static final SharedAws AWS = SharedAws.get();
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String MACHINE = "sluice-target";

  final LocalSqs.QueueWithDeadLetter events;
  final LocalSqs.QueueWithDeadLetter invocations;
  final String table;
  final LocalStepFunctions sfn;
  final LocalServerless functions;

  /**
   * @param endpoint adds the test's settings to the Step Functions endpoint (durations, outcomes,
   *     throttling)
   * @param wiring adds the test's settings to the functions (limit, every, environment)
   * @param invocationVisibilitySeconds the invocation queue's visibility timeout
   */
  TestPipeline(
      Consumer<LocalStepFunctions.Builder> endpoint,
      Consumer<LocalServerless.Builder> wiring,
      int invocationVisibilitySeconds) {
    events = AWS.sqs.createQueueWithDeadLetter(SharedAws.unique("events"), 30, 5);
    invocations =
        AWS.sqs.createQueueWithDeadLetter(
            SharedAws.unique("invocations"), invocationVisibilitySeconds, 5);
    table = SharedAws.unique("limits");
    AWS.dynamo.createTable(table);
    LocalStepFunctions.Builder sfnBuilder = LocalStepFunctions.builder().stateMachine(MACHINE);
    endpoint.accept(sfnBuilder);
    sfn = sfnBuilder.start();
    LocalServerless.Builder builder =
        LocalServerless.builder(
                new FunctionResources(
                    events.queue().toString(),
                    invocations.queue().toString(),
                    invocations.deadLetterQueue().toString(),
                    table,
                    sfn.stateMachineArn(MACHINE)))
            .endpoints(AWS.sqs.endpoint(), AWS.dynamo.endpoint(), sfn.endpoint());
    wiring.accept(builder);
    functions = builder.build();
    sfn.addListener(functions.completionRule());
  }

  TestPipeline(
      Consumer<LocalStepFunctions.Builder> endpoint, Consumer<LocalServerless.Builder> wiring) {
    this(endpoint, wiring, 30);
  }

  /** {@code count} new objects under {@code prefix}, as the embedded S3 endpoint reports them. */
  static List<ObjectEvent> objects(String prefix, int count) {
    Instant t = Instant.parse("2026-03-01T12:00:00Z");
    return IntStream.range(0, count)
        .mapToObj(
            i ->
                new ObjectEvent(
                    "data",
                    String.format("%s/part %05d.parquet", prefix, i),
                    100L + i,
                    String.format("%032x", i),
                    null,
                    String.format("%016X", 0x1000L + i),
                    "ObjectCreated:Put",
                    t,
                    "s3-endpoint"))
        .toList();
  }

  static List<String> keys(List<ObjectEvent> objects) {
    return objects.stream().map(ObjectEvent::key).toList();
  }

  /** S3 notifies the intake function of each object. */
  void notifyIntake(List<ObjectEvent> objects) {
    functions.s3Notifications().accept(objects);
  }

  /** The key in an execution's input. */
  static String keyOf(RecordedExecution e) {
    try {
      return JSON.readTree(e.input()).path("key").asText();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  List<RecordedExecution> executions() {
    return sfn.recording().executions();
  }

  List<RecordedExecution> succeeded() {
    List<RecordedExecution> out = new ArrayList<>();
    for (RecordedExecution e : executions()) {
      if (e.status() == ExecutionStatus.SUCCEEDED) {
        out.add(e);
      }
    }
    return out;
  }

  /** Messages on a queue, visible, in flight or delayed. */
  long messagesOn(URI queue) {
    return AWS.sqs.messagesOn(queue);
  }

  /** Messages on the four queues together. */
  long messagesOnAllQueues() {
    return messagesOn(events.queue())
        + messagesOn(events.deadLetterQueue())
        + messagesOn(invocations.queue())
        + messagesOn(invocations.deadLetterQueue());
  }

  @Override
  public void close() {
    functions.close();
    sfn.close();
  }
}

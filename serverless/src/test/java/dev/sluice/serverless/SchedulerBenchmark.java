package dev.sluice.serverless;

import dev.sluice.core.ObjectEvent;
import dev.sluice.localaws.LocalClients;
import dev.sluice.localaws.LocalDynamo;
import dev.sluice.localaws.LocalSqs;
import dev.sluice.localaws.SqsProxy;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Reports, for the scheduler against ElasticMQ and dynalite on this machine: SQS calls per event
 * moved (counted by the proxy) and events moved per second per scheduler invocation (the wall time
 * of each tick, through the proxy and straight to ElasticMQ). A program that prints figures, not a
 * test.
 *
 * <p>Arguments: events (default 2000), limit per tick (default 100). Run from the repository:
 *
 * <pre>
 * ./mvnw -q -pl serverless -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/serverless.cp -Dmdep.includeScope=test
 * cd serverless &amp;&amp; java -cp "target/test-classes:target/classes:$(cat /tmp/serverless.cp)" \
 *     dev.sluice.serverless.SchedulerBenchmark 2000 100
 * </pre>
 */
public final class SchedulerBenchmark {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);

  public static void main(String[] args) {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int limit = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    try (LocalSqs sqs = LocalSqs.start();
        SqsProxy proxy = SqsProxy.start(sqs.endpoint());
        LocalDynamo dynamo = LocalDynamo.start();
        SqsClient proxied = LocalClients.sqs(proxy.endpoint())) {
      System.out.printf("events %d, limit per tick %d%n", events, limit);
      for (String path : new String[] {"direct", "proxied", "direct", "proxied"}) {
        SqsClient client = path.equals("direct") ? sqs.client() : proxied;
        String table = LocalAws.unique("bench");
        dynamo.createTable(table);
        URI eventQueue = sqs.createQueue(LocalAws.unique("events"), 60);
        URI invocationQueue = sqs.createQueue(LocalAws.unique("invocations"), 60);
        sqs.send(
            eventQueue,
            IntStream.range(0, events)
                .mapToObj(
                    i ->
                        SluiceMessage.firstAttempt(
                                ObjectEvent.created("bucket", "in/object-" + i + ".parquet", "s3"))
                            .toJson())
                .toList());
        Scheduler scheduler =
            new Scheduler(
                client,
                DynamoLimitStateStore.ticks(dynamo.client(), table),
                DynamoLimitStateStore.inFlight(dynamo.client(), table),
                new SchedulerSettings(
                    eventQueue.toString(),
                    invocationQueue.toString(),
                    table,
                    limit,
                    MINUTE,
                    null,
                    null,
                    false,
                    "",
                    "",
                    "bench",
                    0),
                quiet);
        proxy.resetCalls();
        int moved = 0;
        long nanos = 0;
        int ticks = 0;
        while (moved < events) {
          long start = System.nanoTime();
          TickReport r = scheduler.runTick(T0.plus(MINUTE.multipliedBy(ticks)), () -> true);
          nanos += System.nanoTime() - start;
          moved += r.released();
          ticks++;
          if (r.released() == 0) {
            throw new IllegalStateException("a tick moved nothing with events waiting");
          }
        }
        double seconds = nanos / 1e9;
        System.out.printf(
            "%-8s %d events in %d ticks: %.0f events/s per invocation (%.1f ms per tick of %d)",
            path, moved, ticks, moved / seconds, seconds * 1000 / ticks, limit);
        if (path.equals("proxied")) {
          System.out.printf(
              "; SQS calls per event %.3f %s", (double) proxy.totalCalls() / moved, proxy.calls());
        }
        System.out.println();
      }
    }
  }
}

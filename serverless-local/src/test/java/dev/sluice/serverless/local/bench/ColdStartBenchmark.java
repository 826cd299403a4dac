package dev.sluice.serverless.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.gate.stored.ConcurrencyPolicy;
import dev.sluice.core.gate.stored.InFlightSlots;
import dev.sluice.core.gate.stored.StoredLimit;
import dev.sluice.localaws.LocalDynamo;
import dev.sluice.localaws.LocalSqs;
import dev.sluice.serverless.DynamoLimitStateStore;
import dev.sluice.serverless.SluiceMessage;
import dev.sluice.serverless.local.S3Notification;
import dev.sluice.sfnlocal.LocalStepFunctions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reports each function's cold start on this machine: for every handler, five fresh JVMs on the
 * shaded jar alone ({@code serverless/target/sluice-serverless.jar}), each making the handler as
 * the Lambda runtime would and handling one real event against ElasticMQ, dynalite and the local
 * Step Functions endpoint ({@link ColdStartDriver}); the median time from the JVM's start (its
 * {@code RuntimeMXBean} start time) to the first event handled, split into JVM start to {@code
 * main}, handler construction (settings, SDK clients) and the first event. Once with the JVM's
 * defaults, once with {@code -XX:TieredStopAtLevel=1} (C1 only), as the Lambda Java runtime starts
 * its JVM. Also the jar's size. A program that prints figures, not a test.
 *
 * <p>Run from the repository:
 *
 * <pre>
 * ./mvnw -q -pl serverless-local -am package -DskipTests
 * ./mvnw -q -pl serverless-local -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/serverless-local.cp -Dmdep.includeScope=test
 * java -cp "serverless-local/target/test-classes:serverless-local/target/classes:$(cat /tmp/serverless-local.cp)" \
 *     dev.sluice.serverless.local.bench.ColdStartBenchmark [runs]
 * </pre>
 */
public final class ColdStartBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LINE =
      Pattern.compile("jvmStart=(\\d+) main=(\\d+) constructed=(\\d+) handled=(\\d+) answer=(.*)");
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  /** What each handler answers when it did its work on the event. */
  private static final Map<String, String> EXPECTED_ANSWERS =
      Map.of(
          "IntakeHandler", "\"sent\":1",
          "SchedulerHandler", "\"released\":1",
          "InvokeHandler", "{\"batchItemFailures\":[]}",
          "CompletionHandler", "\"result\":\"SUCCEEDED\"");

  private ColdStartBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path jar = findJar();
    Path driverClasses =
        Path.of(ColdStartDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toAbsolutePath();
    Path work = Files.createTempDirectory("cold-start-");
    System.out.printf(
        "shaded jar %s: %.1f MB (%d bytes)%n",
        jar, Files.size(jar) / 1024.0 / 1024.0, Files.size(jar));
    System.out.printf(
        "java %s, %d processors; %d runs per handler%n%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), runs);

    try (LocalSqs sqs = LocalSqs.start();
        LocalDynamo dynamo = LocalDynamo.start();
        LocalStepFunctions sfn = LocalStepFunctions.builder().stateMachine("target").start()) {
      var events = sqs.createQueueWithDeadLetter("events", 30, 5);
      var invocations = sqs.createQueueWithDeadLetter("invocations", 30, 5);
      URI intakeQueue = sqs.createQueue("intake-events", 30);
      dynamo.createTable("limits");
      String machine = sfn.stateMachineArn("target");

      Map<String, String> env = new HashMap<>();
      env.put("AWS_REGION", "us-east-1");
      env.put("AWS_ACCESS_KEY_ID", "local");
      env.put("AWS_SECRET_ACCESS_KEY", "local");
      env.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString());
      env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint().toString());
      env.put("AWS_ENDPOINT_URL_SFN", sfn.endpoint().toString());
      env.put("EVENT_QUEUE_URL", events.queue().toString());
      env.put("INVOCATION_QUEUE_URL", invocations.queue().toString());
      env.put("INVOCATION_DLQ_URL", invocations.deadLetterQueue().toString());
      env.put("TABLE_NAME", "limits");
      env.put("STATE_MACHINE_ARN", machine);
      env.put("LIMIT", "50");
      env.put("EVERY", "PT1M");
      env.put("RECEIVE_WAIT_SECONDS", "0");

      Map<String, IntFunction<String>> handlers = new LinkedHashMap<>();
      int[] counter = {0};
      handlers.put(
          "IntakeHandler", run -> S3Notification.of(object("intake", ++counter[0]), "us-east-1"));
      handlers.put(
          "SchedulerHandler",
          run -> {
            // One event waiting for each tick.
            sqs.send(
                events.queue(),
                List.of(SluiceMessage.firstAttempt(object("tick", ++counter[0])).toJson()));
            return "{\"scheduledTime\":\"" + T0.plusSeconds(60L * counter[0]) + "\"}";
          });
      handlers.put("InvokeHandler", run -> sqsEvent(object("invoke", ++counter[0])));
      StoredLimit<InFlightSlots> slots =
          new StoredLimit<>(
              new ConcurrencyPolicy(10_000, Duration.ofDays(1)),
              DynamoLimitStateStore.inFlight(dynamo.client(), "limits"));
      handlers.put(
          "CompletionHandler",
          run -> {
            // The execution holds a slot, as the scheduler took it: the function frees it.
            String name = "done-" + ++counter[0];
            slots.reserve(Instant.now(), List.of(name));
            return statusChange(machine, name);
          });

      for (List<String> jvmFlags : List.of(List.<String>of(), List.of("-XX:TieredStopAtLevel=1"))) {
        System.out.printf(
            "JVM flags: %s%n", jvmFlags.isEmpty() ? "(defaults)" : String.join(" ", jvmFlags));
        System.out.printf(
            "  %-18s %10s %10s %10s %10s %12s%n",
            "handler", "to main", "init", "1st event", "total", "spawn→done");
        for (var h : handlers.entrySet()) {
          List<long[]> samples = new ArrayList<>();
          for (int run = 0; run < runs; run++) {
            Path eventFile = work.resolve(h.getKey() + "-" + run + ".json");
            Files.writeString(eventFile, h.getValue().apply(run));
            Map<String, String> handlerEnv = new HashMap<>(env);
            if (h.getKey().equals("IntakeHandler")) {
              // Its own queue, so the scheduler's runs find exactly the one event put for each.
              handlerEnv.put("EVENT_QUEUE_URL", intakeQueue.toString());
            }
            samples.add(coldStart(jar, driverClasses, jvmFlags, handlerEnv, h.getKey(), eventFile));
          }
          System.out.printf(
              "  %-18s %7d ms %7d ms %7d ms %7d ms %9d ms%n",
              h.getKey(),
              median(samples, 0),
              median(samples, 1),
              median(samples, 2),
              median(samples, 3),
              median(samples, 4));
        }
        System.out.println();
      }
      System.out.println(
          "medians of "
              + runs
              + " fresh JVMs each; total = JVM start time (RuntimeMXBean) to the first event"
              + " handled; spawn→done also counts the JVM's own start before that");
    }
  }

  /** One fresh JVM: [to main, init, first event, total, spawn to handled] in milliseconds. */
  private static long[] coldStart(
      Path jar,
      Path driverClasses,
      List<String> jvmFlags,
      Map<String, String> env,
      String handler,
      Path event)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(jar + java.io.File.pathSeparator + driverClasses);
    command.add(ColdStartDriver.class.getName());
    command.add(handler);
    command.add(event.toString());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    long spawn = System.currentTimeMillis();
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes());
    int code = p.waitFor();
    Matcher m = null;
    for (String line : output.split("\n")) {
      Matcher candidate = LINE.matcher(line);
      if (candidate.matches()) {
        m = candidate;
      }
    }
    if (code != 0 || m == null) {
      throw new IllegalStateException(handler + " failed (exit " + code + "):\n" + output);
    }
    long jvmStart = Long.parseLong(m.group(1));
    long main = Long.parseLong(m.group(2));
    long constructed = Long.parseLong(m.group(3));
    long handled = Long.parseLong(m.group(4));
    String answer = m.group(5);
    if (!answer.contains(EXPECTED_ANSWERS.get(handler))) {
      throw new IllegalStateException(handler + " did not handle its event: " + answer);
    }
    return new long[] {
      main - jvmStart,
      constructed - main,
      handled - constructed,
      handled - jvmStart,
      handled - spawn
    };
  }

  private static long median(List<long[]> samples, int column) {
    List<Long> values = new ArrayList<>();
    for (long[] s : samples) {
      values.add(s[column]);
    }
    Collections.sort(values);
    return values.get(values.size() / 2);
  }

  private static ObjectEvent object(String prefix, int i) {
    return new ObjectEvent(
        "data",
        "cold/" + prefix + "-" + i + ".parquet",
        100L,
        "etag" + i,
        null,
        String.format("%016X", i),
        "ObjectCreated:Put",
        T0,
        "s3");
  }

  private static String sqsEvent(ObjectEvent event) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode r = root.putArray("Records").addObject();
    r.put("messageId", "m-" + event.key().hashCode());
    r.put("receiptHandle", "r");
    r.put("body", SluiceMessage.firstAttempt(event).named().toJson());
    r.putObject("attributes").put("ApproximateReceiveCount", "1");
    r.putObject("messageAttributes");
    r.put("eventSource", "aws:sqs");
    return root.toString();
  }

  private static String statusChange(String machine, String name) {
    ObjectNode event = JSON.createObjectNode();
    event.put("source", "aws.states");
    event.put("detail-type", "Step Functions Execution Status Change");
    ObjectNode detail = event.putObject("detail");
    detail.put("stateMachineArn", machine);
    detail.put("name", name);
    detail.put("status", "SUCCEEDED");
    detail.put("input", "{}");
    return event.toString();
  }

  private static Path findJar() {
    for (Path p :
        List.of(
            Path.of("serverless/target/sluice-serverless.jar"),
            Path.of("../serverless/target/sluice-serverless.jar"))) {
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException(
        "no serverless/target/sluice-serverless.jar: build it first (./mvnw -q -pl serverless -am"
            + " package -DskipTests)");
  }
}

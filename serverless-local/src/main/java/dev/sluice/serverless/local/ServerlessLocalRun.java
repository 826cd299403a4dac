package dev.sluice.serverless.local;

import dev.sluice.core.ExecutionName;
import dev.sluice.core.ObjectEvent;
import dev.sluice.localaws.LocalClients;
import dev.sluice.s3endpoint.EmbeddedS3Config;
import dev.sluice.s3endpoint.EmbeddedS3Endpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

/**
 * {@code sluice serverless-local}: the reference scenario on the serverless shape, on this machine.
 * A burst of objects is uploaded with the AWS SDK to the embedded S3 endpoint; S3 notifications
 * invoke the intake function; an aligned schedule invokes the scheduler function; the SQS event
 * source feeds the invoke function, which starts one execution per object on the Step Functions
 * endpoint; its status changes feed the completion function. It runs until every object's execution
 * has started, then prints the executions started per tick, counted from the endpoint's own record
 * ({@link InvocationsPerTick}), e.g. {@code invocations per tick: 50 50 15}.
 */
public final class ServerlessLocalRun {
  static final String BUCKET = "data";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final Duration POLL = Duration.ofMillis(200);

  private final ServerlessLocalSettings settings;
  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;

  public ServerlessLocalRun(
      ServerlessLocalSettings settings, PrintStream out, PrintStream err, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Runs the scenario; returns the exit code: 0 when every execution started and the endpoint's
   * record agrees with the scheduler's reports, 1 otherwise (the reason printed on {@code err}).
   */
  public int run() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("sluice-serverless-local-");
    PrintStream functionLog =
        settings.verbose() ? err : new PrintStream(OutputStream.nullOutputStream());
    ConcurrentLinkedQueue<ObjectEvent> uploaded = new ConcurrentLinkedQueue<>();
    try (LocalServices services = LocalServices.start(settings);
        LocalServerless functions =
            LocalServerless.builder(services.resources)
                .endpoints(services.sqsEndpoint, services.dynamoDbEndpoint, services.sfnEndpoint)
                .limit(settings.limit())
                .every(settings.every())
                .maxInFlight(settings.maxInFlight())
                .functionLog(functionLog)
                .clock(clock)
                .build();
        EmbeddedS3Endpoint s3 =
            EmbeddedS3Endpoint.start(
                EmbeddedS3Config.anonymous(dir, List.of(BUCKET)),
                events -> {
                  functions.s3Notifications().accept(events);
                  uploaded.addAll(events);
                });
        S3Client s3Client = s3Client(s3);
        SfnClient sfn = sfnClient(services)) {
      if (services.sfn != null) {
        services.sfn.addListener(functions.completionRule());
      }
      functions.startEventSource();
      header(services, s3);

      Instant uploadStart = clock.instant();
      upload(s3Client);
      out.printf(
          "uploaded %d objects to s3://%s/data/ in %.2fs; each went through the intake function"
              + " to the event queue%n",
          settings.objects(), BUCKET, seconds(Duration.between(uploadStart, clock.instant())));
      Set<String> expected = new HashSet<>();
      for (ObjectEvent e : uploaded) {
        expected.add(ExecutionName.of(e.identity(), 1));
      }

      AtomicInteger startedSoFar = new AtomicInteger();
      AtomicReference<RuntimeException> tickFailure = new AtomicReference<>();
      ScheduleTicker ticker = functions.ticker();
      ticker.start(
          tick ->
              out.printf(
                  "  tick %s  released %5d  backlog %6d%s  started so far %d/%d%n",
                  TIME.format(tick.scheduledTime()),
                  tick.released(),
                  tick.backlog(),
                  tick.inFlight() >= 0 ? String.format("  in flight %4d", tick.inFlight()) : "",
                  startedSoFar.get(),
                  expected.size()),
          tickFailure::set);

      Instant deadline = clock.instant().plus(settings.timeout());
      Set<String> started;
      while (true) {
        started = startedNames(sfn, services.resources.stateMachineArn());
        startedSoFar.set(countIn(started, expected));
        if (tickFailure.get() != null) {
          err.println("sluice: the scheduler function failed: " + tickFailure.get().getMessage());
          return 1;
        }
        if (started.containsAll(expected) && started.containsAll(releasedNames(ticker))) {
          break;
        }
        if (clock.instant().isAfter(deadline)) {
          err.printf(
              "sluice: %d of %d executions started within --timeout %s%n",
              countIn(started, expected), expected.size(), settings.timeout());
          return 1;
        }
        Thread.sleep(POLL.toMillis());
      }
      ticker.close();
      // A tick that fired while the last executions started released nothing more; read the
      // record once more so the count covers every tick that ran.
      started = startedNames(sfn, services.resources.stateMachineArn());
      List<Tick> ticks = ticker.ticks();
      InvocationsPerTick perTick = InvocationsPerTick.of(ticks, started);
      out.printf(
          "all %d executions started; %d ticks of %ds%n",
          expected.size(), perTick.counts().size(), settings.every().toSeconds());
      out.println(perTick.releasedLine());
      out.println(perTick.line());
      if (!perTick.agrees()) {
        err.printf(
            "sluice: the Step Functions endpoint's record (%s) does not agree with the scheduler's"
                + " reports (%s)%s%n",
            perTick.line(),
            perTick.releasedLine(),
            perTick.notStarted() > 0 ? "; released, never started: " + perTick.notStarted() : "");
        return 1;
      }
      return 0;
    } finally {
      deleteTree(dir);
    }
  }

  private void header(LocalServices services, EmbeddedS3Endpoint s3) {
    FunctionResources r = services.resources;
    out.println("sluice serverless-local: the four Lambda handlers in this process");
    out.printf("  S3                 embedded endpoint %s, bucket %s%n", s3.endpoint(), BUCKET);
    for (String line : services.description) {
      out.println("  " + line);
    }
    out.printf("  intake             S3 notifications -> %s%n", r.eventQueueUrl());
    out.printf(
        "  scheduler          every %ds, at most %d per tick%s -> %s (table %s)%n",
        settings.every().toSeconds(),
        settings.limit(),
        settings.maxInFlight() == null ? "" : " and " + settings.maxInFlight() + " in flight",
        r.invocationQueueUrl(),
        r.tableName());
    out.printf("  invoke             SQS event source, batches of 10 -> %s%n", r.stateMachineArn());
    out.printf(
        "  completion         %s%n%n",
        services.sfn != null
            ? "status changes of the state machine (frees slots, retries failed executions)"
            : "not fed: the Step Functions endpoint is not the embedded one");
  }

  private void upload(S3Client s3) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 0; i < settings.objects(); i++) {
        String key = String.format("data/part-%05d.parquet", i);
        byte[] body = ("object " + i + " of a cluster job's output\n").getBytes();
        puts.add(
            pool.submit(
                () -> s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body))));
      }
      for (Future<?> f : puts) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("upload failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Every execution name of the state machine, from ListExecutions (all pages). */
  private static Set<String> startedNames(SfnClient sfn, String stateMachineArn) {
    Set<String> names = new HashSet<>();
    for (ExecutionListItem e :
        sfn.listExecutionsPaginator(b -> b.stateMachineArn(stateMachineArn).maxResults(1000))
            .executions()) {
      names.add(e.name());
    }
    return names;
  }

  private static Set<String> releasedNames(ScheduleTicker ticker) {
    Set<String> names = new HashSet<>();
    for (Tick t : ticker.ticks()) {
      names.addAll(t.releasedNames());
    }
    return names;
  }

  private static int countIn(Set<String> started, Set<String> expected) {
    int n = 0;
    for (String name : expected) {
      if (started.contains(name)) {
        n++;
      }
    }
    return n;
  }

  private static S3Client s3Client(EmbeddedS3Endpoint s3) {
    return S3Client.builder()
        .endpointOverride(s3.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        // The embedded endpoint is anonymous on 127.0.0.1: any signature is accepted.
        .credentialsProvider(LocalClients.credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static SfnClient sfnClient(LocalServices services) {
    return SfnClient.builder()
        .endpointOverride(services.sfnEndpoint)
        .region(Region.of(services.resources.region()))
        .credentialsProvider(LocalClients.credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.sluice.sfnlocal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A local Step Functions endpoint for the real AWS SDK: it speaks the service's JSON protocol on
 * 127.0.0.1, checks every request as the service would and answers with the service's results and
 * errors, so a client tested against it meets the same refusals it would meet on AWS.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * try (LocalStepFunctions sfn = LocalStepFunctions.builder()
 *         .stateMachine("ingest")
 *         .executionDuration(Duration.ofMillis(200))
 *         .outcome(e -> e.name().startsWith("bad") ? ExecutionOutcome.fail("Boom", "scripted")
 *                                                  : ExecutionOutcome.succeed(e.input()))
 *         .startExecutionRate(5, 10)      // bucket of 5, 10 more per second
 *         .listener(event -> handler.handle(event.json()))
 *         .start()) {
 *   SfnClient client = SfnClient.builder().endpointOverride(sfn.endpoint())
 *       .region(Region.US_EAST_1).credentialsProvider(anyStaticCredentials).build();
 *   client.startExecution(r -> r.stateMachineArn(sfn.stateMachineArn("ingest")).name("n-1"));
 *   assertThat(sfn.recording().maxRunningAtOnce()).isLessThanOrEqualTo(5);
 * }
 * }</pre>
 *
 * From a shell: {@code java -cp ... dev.sluice.sfnlocal.LocalStepFunctions --port 8083
 * --state-machine ingest --duration 2s --print-events} (see {@link #launch(String...)}).
 *
 * <h2>What it checks, as the service does</h2>
 *
 * <ul>
 *   <li>The protocol: {@code POST /}, content type {@code application/x-amz-json-1.0}, a JSON
 *       object body, {@code X-Amz-Target: AWSStepFunctions.<Operation>}.
 *   <li>A SigV4 {@code Authorization} header ({@code MissingAuthenticationTokenException} without
 *       one, {@code IncompleteSignatureException} when a part is missing), its credential scoped to
 *       this region and to {@code states}, and {@code host} among the signed headers.
 *   <li>Model constraints on every member ({@code ValidationException}, all violations in one
 *       message): required members, lengths (an execution name of more than 80 characters is
 *       answered so, as AWS does), enum values, page sizes.
 *   <li>ARN shapes ({@code InvalidArn}), the characters of execution names ({@code InvalidName}),
 *       the input being one JSON text of at most 256 KiB of UTF-8 ({@code InvalidExecutionInput}),
 *       unknown state machines and executions ({@code StateMachineDoesNotExist}, {@code
 *       ExecutionDoesNotExist}).
 *   <li>Name idempotency of Standard machines: the same name and input while that execution runs
 *       answers the same execution; a name used before in any other case is {@code
 *       ExecutionAlreadyExists}, for ever (the service keeps names 90 days).
 *   <li>An optional StartExecution quota as a token bucket, answered with {@code
 *       ThrottlingException} ("Rate exceeded"), which the SDK classifies as throttling. A throttled
 *       call starts nothing.
 * </ul>
 *
 * <p>Operations: StartExecution, DescribeExecution, ListExecutions (newest first, paged),
 * StopExecution. Other operations of the API are answered with {@code UnknownOperationException}.
 *
 * <h2>Executions</h2>
 *
 * Each execution runs for the configured duration, then closes with the outcome the configured
 * function gives it (succeed with an output, fail with error and cause, time out). Executions close
 * on a background thread when due and, in any case, on every read, with their stop date at the due
 * instant, so answers agree with the injected clock. Every status change (RUNNING, then the
 * terminal one) is delivered to listeners as the EventBridge event "Step Functions Execution Status
 * Change", as a record and as JSON. {@link #recording()} keeps what happened for assertions.
 *
 * <h2>What it does not do</h2>
 *
 * <ul>
 *   <li>No Amazon States Language: no definition is read or run; outcomes are scripted.
 *   <li>No signature verification: any access key and secret pass; only the header's shape and
 *       scope are checked.
 *   <li>No Express state machines (their name rules, idempotency and events differ), no versions or
 *       aliases, no Map Runs, no redrive, no execution history, no KMS.
 *   <li>Error messages follow the service's wording where it is known; the codes, HTTP statuses and
 *       namespaces are what clients depend on.
 * </ul>
 */
public final class LocalStepFunctions implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(LocalStepFunctions.class.getName());

  /** How long to wait before looking again at an execution the clock says is not due yet. */
  private static final Duration RECHECK = Duration.ofMillis(20);

  private final String region;
  private final String account;
  private final Clock clock;
  private final boolean finishInBackground;
  private final HttpServer server;
  private final ExecutorService httpThreads;
  private final ScheduledExecutorService finisher;
  private final ExecutorService delivery;
  private final List<StatusChangeListener> listeners;
  private final ExecutionStore store;
  private final Recording recording;

  private LocalStepFunctions(Builder b) {
    this.region = b.region;
    this.account = b.account;
    this.clock = b.clock;
    this.finishInBackground = b.finishInBackground;
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
    ObjectMapper mapper = new ObjectMapper();
    Set<String> machines = new LinkedHashSet<>(b.stateMachineArns);
    for (String name : b.stateMachineNames) {
      machines.add(Arns.stateMachine(region, account, name));
    }
    this.finisher = Executors.newSingleThreadScheduledExecutor(daemon("sfn-local-finisher"));
    this.delivery = Executors.newSingleThreadExecutor(daemon("sfn-local-events"));
    StartRateLimit rateLimit =
        b.bucketSize == 0
            ? null
            : new StartRateLimit(b.bucketSize, b.refillPerSecond, clock.instant());
    this.store =
        new ExecutionStore(
            clock,
            machines,
            b.outcomes,
            b.durations,
            rateLimit,
            new StatusChangeJson(mapper),
            this::publish,
            this::scheduleFinish);
    this.recording = new Recording(store);
    this.httpThreads = Executors.newFixedThreadPool(8, daemon("sfn-local-http"));
    try {
      server =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), b.port), 128);
    } catch (IOException e) {
      finisher.shutdownNow();
      delivery.shutdownNow();
      httpThreads.shutdownNow();
      throw new UncheckedIOException("cannot bind 127.0.0.1:" + b.port, e);
    }
    server.createContext(
        "/", new JsonProtocolHandler(new StepFunctionsApi(store, mapper), store, mapper, region));
    server.setExecutor(httpThreads);
    server.start();
  }

  /** A builder with the defaults: us-east-1, account 123456789012, any free port, no machines. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts an endpoint from command-line arguments: {@code --port N}, {@code --region R}, {@code
   * --account A}, {@code --state-machine NAME} (repeatable; {@code sluice} when none), {@code
   * --duration D} ({@code 500ms}, {@code 2s} or ISO-8601 such as {@code PT1M}), {@code --start-rate
   * BUCKET/REFILL_PER_SECOND}, {@code --fail-matching REGEX} (executions whose name matches fail)
   * and {@code --print-events} (each status change event as one JSON line on standard output).
   */
  public static LocalStepFunctions launch(String... args) {
    return LaunchArguments.parse(args).start();
  }

  /** Runs {@link #launch(String...)} until the process is stopped. */
  public static void main(String[] args) throws InterruptedException {
    LocalStepFunctions sfn = launch(args);
    Runtime.getRuntime().addShutdownHook(new Thread(sfn::close, "sfn-local-shutdown"));
    System.out.println("sfn-local endpoint " + sfn.endpoint() + " region " + sfn.region);
    for (String arn : sfn.stateMachineArns()) {
      System.out.println("state machine " + arn);
    }
    System.out.flush();
    Thread.currentThread().join();
  }

  /** The URI to give the SDK as endpoint override. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The region requests must be signed for. */
  public String region() {
    return region;
  }

  /** The account in every ARN. */
  public String account() {
    return account;
  }

  /** The ARN a state machine named {@code name} has on this endpoint (registered or not). */
  public String stateMachineArn(String name) {
    return Arns.stateMachine(region, account, name);
  }

  /** The ARNs of the registered state machines. */
  public Set<String> stateMachineArns() {
    return store.stateMachines();
  }

  /** What the endpoint did so far. */
  public Recording recording() {
    return recording;
  }

  /** Adds a listener for the status changes from now on. */
  public void addListener(StatusChangeListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Closes every execution that is due by the clock now, as the background finisher would: for
   * tests that move a manual clock and run without the finisher.
   */
  public void finishDueExecutions() {
    store.finishDue(clock.instant());
  }

  /** Stops the server and the threads; executions still running stay running. */
  @Override
  public void close() {
    server.stop(0);
    httpThreads.shutdownNow();
    finisher.shutdownNow();
    delivery.shutdown();
    try {
      delivery.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void publish(StatusChangeEvent event) {
    if (listeners.isEmpty()) {
      return;
    }
    try {
      delivery.execute(() -> deliver(event));
    } catch (RejectedExecutionException closed) {
      // Closed: nobody is listening any more.
    }
  }

  private void deliver(StatusChangeEvent event) {
    for (StatusChangeListener l : listeners) {
      try {
        l.onStatusChange(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a status change listener failed on " + event.json(), e);
      }
    }
  }

  private void scheduleFinish(String executionArn, Instant dueAt) {
    if (!finishInBackground) {
      return;
    }
    Duration delay = Duration.between(clock.instant(), dueAt);
    long millis = Math.max(0, delay.toMillis());
    try {
      finisher.schedule(() -> finish(executionArn, dueAt), millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      // Closed: the execution is left running.
    }
  }

  private void finish(String executionArn, Instant dueAt) {
    store.finishDue(clock.instant());
    if (store.isRunning(executionArn)) {
      // The scheduler's timer and the clock disagree (or the clock is a manual one): look again.
      Duration remaining = Duration.between(clock.instant(), dueAt);
      long millis = Math.max(RECHECK.toMillis(), remaining.toMillis());
      try {
        finisher.schedule(() -> finish(executionArn, dueAt), millis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closed) {
        // Closed.
      }
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Configures a {@link LocalStepFunctions}; every setter checks its value. */
  public static final class Builder {
    private String region = "us-east-1";
    private String account = "123456789012";
    private int port;
    private Clock clock = Clock.systemUTC();
    private final List<String> stateMachineNames = new ArrayList<>();
    private final List<String> stateMachineArns = new ArrayList<>();
    private Function<ExecutionStart, Duration> durations = e -> Duration.ZERO;
    private Function<ExecutionStart, ExecutionOutcome> outcomes =
        e -> ExecutionOutcome.succeed(e.input());
    private int bucketSize;
    private double refillPerSecond;
    private final List<StatusChangeListener> listeners = new ArrayList<>();
    private boolean finishInBackground = true;

    private Builder() {}

    /** The region requests must be signed for and ARNs are in. Default us-east-1. */
    public Builder region(String region) {
      if (region == null || !Pattern.matches("[a-z]{2}(-[a-z]+)+-\\d{1,2}", region)) {
        throw new IllegalArgumentException("region must look like us-east-1, got " + region);
      }
      this.region = region;
      return this;
    }

    /** The account in ARNs: 12 digits. Default 123456789012. */
    public Builder account(String account) {
      if (account == null || !Pattern.matches("\\d{12}", account)) {
        throw new IllegalArgumentException("account must be 12 digits, got " + account);
      }
      this.account = account;
      return this;
    }

    /** The port on 127.0.0.1; 0 (the default) takes a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** The clock for start and stop dates, durations and the rate limit. Default: system UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Registers a Standard state machine named {@code name} in this region and account. */
    public Builder stateMachine(String name) {
      if (name == null
          || name.isEmpty()
          || name.length() > NameRules.MAX_LENGTH
          || !NameRules.hasOnlyAllowedCharacters(name)) {
        throw new IllegalArgumentException(
            "stateMachine name must be 1 to 80 allowed characters, got " + name);
      }
      stateMachineNames.add(name);
      return this;
    }

    /** Registers a Standard state machine by its full ARN. */
    public Builder stateMachineArn(String arn) {
      Objects.requireNonNull(arn, "arn");
      Arns.checkStateMachine(arn)
          .ifPresent(
              e -> {
                throw new IllegalArgumentException("stateMachineArn: " + e.message());
              });
      stateMachineArns.add(arn);
      return this;
    }

    /** How long every execution runs. Default zero: each is due as soon as it starts. */
    public Builder executionDuration(Duration duration) {
      if (duration == null || duration.isNegative()) {
        throw new IllegalArgumentException("executionDuration must be >= 0, got " + duration);
      }
      this.durations = e -> duration;
      return this;
    }

    /** How long each execution runs, decided when it starts (must answer a duration >= 0). */
    public Builder executionDuration(Function<ExecutionStart, Duration> durations) {
      this.durations = Objects.requireNonNull(durations, "durations");
      return this;
    }

    /**
     * How each execution ends, decided when it starts. Default: it succeeds with its input as
     * output, as a state machine of one Pass state would. Called under the endpoint's lock: keep it
     * quick and do not call the endpoint from it.
     */
    public Builder outcome(Function<ExecutionStart, ExecutionOutcome> outcomes) {
      this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
      return this;
    }

    /**
     * Throttles StartExecution with a token bucket of {@code bucketSize} calls, refilled at {@code
     * refillPerSecond}. Default: no limit.
     */
    public Builder startExecutionRate(int bucketSize, double refillPerSecond) {
      if (bucketSize < 1) {
        throw new IllegalArgumentException(
            "startExecutionRate bucketSize must be >= 1, got " + bucketSize);
      }
      if (!(refillPerSecond >= 0) || Double.isInfinite(refillPerSecond)) {
        throw new IllegalArgumentException(
            "startExecutionRate refillPerSecond must be finite and >= 0, got " + refillPerSecond);
      }
      this.bucketSize = bucketSize;
      this.refillPerSecond = refillPerSecond;
      return this;
    }

    /** Adds a listener for every status change. */
    public Builder listener(StatusChangeListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Whether a background thread closes executions when due (default true). Without it they close
     * only when read or on {@link LocalStepFunctions#finishDueExecutions()}: for tests on a manual
     * clock.
     */
    public Builder finishInBackground(boolean finishInBackground) {
      this.finishInBackground = finishInBackground;
      return this;
    }

    /** Binds the port and starts serving. */
    public LocalStepFunctions start() {
      return new LocalStepFunctions(this);
    }
  }
}

package dev.sluice.serverless.local;

import dev.sluice.localaws.LocalClients;
import dev.sluice.s3endpoint.ObjectEventSink;
import dev.sluice.serverless.CompletionHandler;
import dev.sluice.serverless.IntakeHandler;
import dev.sluice.serverless.InvokeHandler;
import dev.sluice.serverless.SchedulerHandler;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The serverless shape in this process: the four Lambda handlers of {@code sluice-serverless}, each
 * with its environment and its own SDK clients, and the wiring AWS does between them.
 *
 * <ul>
 *   <li>S3 notifications to the intake function: {@link #s3Notifications()}, a sink for the
 *       embedded S3 endpoint.
 *   <li>EventBridge Scheduler to the scheduler function: {@link #ticker()} ({@link #tick} for one
 *       invocation now).
 *   <li>The SQS event source mapping to the invoke function: {@link #startEventSource()}.
 *   <li>The EventBridge rule on status changes to the completion function: {@link
 *       #completionRule()}, a listener for the local Step Functions endpoint.
 * </ul>
 *
 * It creates nothing: the queues, the table and the state machine are given ({@link
 * FunctionResources}), so the functions can run against resources another implementation uses too.
 */
public final class LocalServerless implements AutoCloseable {
  /** Intake, invoke and completion timeouts, as deployed. */
  static final Duration INTAKE_TIMEOUT = Duration.ofSeconds(30);

  static final Duration INVOKE_TIMEOUT = Duration.ofSeconds(60);
  static final Duration COMPLETION_TIMEOUT = Duration.ofSeconds(30);

  private final FunctionResources resources;
  private final String region;
  private final Clock clock;
  private final int pollers;
  private final int pollWaitSeconds;
  private final SqsClient intakeSqs;
  private final SqsClient schedulerSqs;
  private final DynamoDbClient schedulerDynamo;
  private final SfnClient invokeSfn;
  private final SqsClient invokeSqs;
  private final DynamoDbClient invokeDynamo;
  private final SqsClient completionSqs;
  private final DynamoDbClient completionDynamo;
  private final SqsClient eventSourceSqs;
  private final LocalFunction intake;
  private final LocalFunction scheduler;
  private final LocalFunction invoke;
  private final LocalFunction completion;
  private final ScheduleTicker ticker;
  private final StatusChangeRule completionRule;
  private final Map<String, Map<String, String>> environments = new LinkedHashMap<>();
  private SqsEventSource eventSource;

  private LocalServerless(Builder b) {
    this.resources = b.resources;
    this.region = resources.region();
    this.clock = b.clock;
    this.pollers = b.pollers;
    this.pollWaitSeconds = b.pollWaitSeconds;
    URI sqs = Objects.requireNonNull(b.sqs, "sqs endpoint");
    URI dynamo = Objects.requireNonNull(b.dynamoDb, "DynamoDB endpoint");
    URI sfn = Objects.requireNonNull(b.stepFunctions, "Step Functions endpoint");
    ReleasedNames releasedNames = new ReleasedNames(resources.invocationQueueUrl());

    intakeSqs = sqsClient(sqs, null);
    schedulerSqs = sqsClient(b.schedulerSqs == null ? sqs : b.schedulerSqs, releasedNames);
    schedulerDynamo = dynamoClient(dynamo);
    invokeSfn = sfnClient(sfn);
    invokeSqs = sqsClient(sqs, null);
    invokeDynamo = dynamoClient(dynamo);
    completionSqs = sqsClient(sqs, null);
    completionDynamo = dynamoClient(dynamo);
    eventSourceSqs = sqsClient(sqs, null);

    Map<String, String> intakeEnv = new LinkedHashMap<>();
    intakeEnv.put("EVENT_QUEUE_URL", resources.eventQueueUrl());
    Map<String, String> schedulerEnv = new LinkedHashMap<>();
    schedulerEnv.put("EVENT_QUEUE_URL", resources.eventQueueUrl());
    schedulerEnv.put("INVOCATION_QUEUE_URL", resources.invocationQueueUrl());
    schedulerEnv.put("TABLE_NAME", resources.tableName());
    schedulerEnv.put("LIMIT", Integer.toString(b.limit));
    schedulerEnv.put("EVERY", b.every.toString());
    // On a laptop the backlog after each tick is worth its one more call: the progress shows it.
    schedulerEnv.put("BACKLOG_METRIC", "true");
    if (b.maxInFlight != null) {
      schedulerEnv.put("MAX_IN_FLIGHT", b.maxInFlight.toString());
    }
    Map<String, String> invokeEnv = new LinkedHashMap<>();
    invokeEnv.put("STATE_MACHINE_ARN", resources.stateMachineArn());
    invokeEnv.put("TABLE_NAME", resources.tableName());
    invokeEnv.put("INVOCATION_QUEUE_URL", resources.invocationQueueUrl());
    invokeEnv.put("INVOCATION_DLQ_URL", resources.invocationDeadLetterQueueUrl());
    Map<String, String> completionEnv = new LinkedHashMap<>();
    completionEnv.put("TABLE_NAME", resources.tableName());
    completionEnv.put("EVENT_QUEUE_URL", resources.eventQueueUrl());
    completionEnv.put("INVOCATION_DLQ_URL", resources.invocationDeadLetterQueueUrl());
    completionEnv.put("STATE_MACHINE_ARN", resources.stateMachineArn());
    for (Map<String, String> env :
        java.util.List.of(intakeEnv, schedulerEnv, invokeEnv, completionEnv)) {
      env.put("PIPELINE", "local");
      env.putAll(b.environment);
    }
    environments.put("intake", Map.copyOf(intakeEnv));
    environments.put("scheduler", Map.copyOf(schedulerEnv));
    environments.put("invoke", Map.copyOf(invokeEnv));
    environments.put("completion", Map.copyOf(completionEnv));

    PrintStream log = b.functionLog;
    // Settings are read when a container starts, as on Lambda: read them once now, so a bad one
    // fails here rather than on the first event.
    new IntakeHandler(intakeEnv, intakeSqs, log);
    new SchedulerHandler(schedulerEnv, schedulerSqs, schedulerDynamo, clock, log);
    new InvokeHandler(invokeEnv, invokeSfn, invokeSqs, invokeDynamo, clock, log);
    new CompletionHandler(completionEnv, completionSqs, completionDynamo, clock, log);
    intake =
        new LocalFunction(
            "sluice-intake",
            INTAKE_TIMEOUT,
            () -> new IntakeHandler(intakeEnv, intakeSqs, log),
            clock,
            log);
    scheduler =
        new LocalFunction(
            "sluice-scheduler",
            schedulerTimeout(b.every),
            () -> new SchedulerHandler(schedulerEnv, schedulerSqs, schedulerDynamo, clock, log),
            clock,
            log);
    invoke =
        new LocalFunction(
            "sluice-invoke",
            INVOKE_TIMEOUT,
            () -> new InvokeHandler(invokeEnv, invokeSfn, invokeSqs, invokeDynamo, clock, log),
            clock,
            log);
    completion =
        new LocalFunction(
            "sluice-completion",
            COMPLETION_TIMEOUT,
            () -> new CompletionHandler(completionEnv, completionSqs, completionDynamo, clock, log),
            clock,
            log);
    ticker = new ScheduleTicker(scheduler, releasedNames, b.every, clock);
    completionRule = new StatusChangeRule(completion, resources.stateMachineArn());
  }

  /** The scheduler function's timeout: a tick, and at least EventBridge's shortest schedule. */
  static Duration schedulerTimeout(Duration every) {
    Duration min = Duration.ofMinutes(1);
    Duration max = Duration.ofMinutes(15);
    return every.compareTo(min) < 0 ? min : every.compareTo(max) > 0 ? max : every;
  }

  public static Builder builder(FunctionResources resources) {
    return new Builder(resources);
  }

  public FunctionResources resources() {
    return resources;
  }

  /** The environment each function runs with, by {@code intake}, {@code scheduler}, ... */
  public Map<String, Map<String, String>> environments() {
    return environments;
  }

  /** S3's notifications of new objects to the intake function: give it to the S3 endpoint. */
  public ObjectEventSink s3Notifications() {
    return new S3Notifications(intake, region);
  }

  /** EventBridge Scheduler for the scheduler function (not started). */
  public ScheduleTicker ticker() {
    return ticker;
  }

  /** One scheduler invocation for {@code scheduledTime}, now, on this thread. */
  public Tick tick(Instant scheduledTime) {
    return ticker.tick(scheduledTime);
  }

  /** Starts the SQS event source mapping of the invoke function on the invocation queue. */
  public synchronized SqsEventSource startEventSource() {
    if (eventSource == null) {
      eventSource =
          new SqsEventSource(
                  eventSourceSqs, resources.invocationQueueUrl(), region, invoke, pollWaitSeconds)
              .start(pollers);
    }
    return eventSource;
  }

  /** The EventBridge rule to the completion function: add it to the Step Functions endpoint. */
  public StatusChangeRule completionRule() {
    return completionRule;
  }

  public LocalFunction intake() {
    return intake;
  }

  public LocalFunction scheduler() {
    return scheduler;
  }

  public LocalFunction invoke() {
    return invoke;
  }

  public LocalFunction completion() {
    return completion;
  }

  /** Stops the schedule and the event source, then closes the clients. */
  @Override
  public void close() {
    ticker.close();
    SqsEventSource source;
    synchronized (this) {
      source = eventSource;
    }
    if (source != null) {
      source.close();
    }
    intakeSqs.close();
    schedulerSqs.close();
    schedulerDynamo.close();
    invokeSfn.close();
    invokeSqs.close();
    invokeDynamo.close();
    completionSqs.close();
    completionDynamo.close();
    eventSourceSqs.close();
  }

  private SqsClient sqsClient(URI endpoint, ReleasedNames interceptor) {
    var builder =
        SqsClient.builder()
            .endpointOverride(endpoint)
            .region(Region.of(region))
            .credentialsProvider(LocalClients.credentials())
            .httpClient(UrlConnectionHttpClient.create());
    if (interceptor != null) {
      builder.overrideConfiguration(c -> c.addExecutionInterceptor(interceptor));
    }
    return builder.build();
  }

  private DynamoDbClient dynamoClient(URI endpoint) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(Region.of(region))
        .credentialsProvider(LocalClients.credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private SfnClient sfnClient(URI endpoint) {
    return SfnClient.builder()
        .endpointOverride(endpoint)
        .region(Region.of(region))
        .credentialsProvider(LocalClients.credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** Configures a {@link LocalServerless}. */
  public static final class Builder {
    private final FunctionResources resources;
    private URI sqs;
    private URI schedulerSqs;
    private URI dynamoDb;
    private URI stepFunctions;
    private int limit = 50;
    private Duration every = Duration.ofMinutes(1);
    private Integer maxInFlight;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private PrintStream functionLog = new PrintStream(OutputStream.nullOutputStream());
    private Clock clock = Clock.systemUTC();
    private int pollers = 5;
    private int pollWaitSeconds = 1;

    private Builder(FunctionResources resources) {
      this.resources = Objects.requireNonNull(resources, "resources");
    }

    /** The endpoints of SQS, DynamoDB and Step Functions every function and the wiring use. */
    public Builder endpoints(URI sqs, URI dynamoDb, URI stepFunctions) {
      this.sqs = Objects.requireNonNull(sqs, "sqs");
      this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
      this.stepFunctions = Objects.requireNonNull(stepFunctions, "stepFunctions");
      return this;
    }

    /** Another SQS endpoint for the scheduler function alone (a proxy that injects faults). */
    public Builder schedulerSqsEndpoint(URI endpoint) {
      this.schedulerSqs = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** {@code LIMIT}: jobs per tick. */
    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    /** {@code EVERY}: the schedule's period, a whole number of seconds. */
    public Builder every(Duration every) {
      this.every = Objects.requireNonNull(every, "every");
      return this;
    }

    /** {@code MAX_IN_FLIGHT}, or null for none. */
    public Builder maxInFlight(Integer maxInFlight) {
      this.maxInFlight = maxInFlight;
      return this;
    }

    /** One more variable in every function's environment ({@code RETRY_DELAY}, ...). */
    public Builder environment(String name, String value) {
      environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Where the functions' log lines go (default: nowhere). */
    public Builder functionLog(PrintStream log) {
      this.functionLog = Objects.requireNonNull(log, "log");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Concurrent batches of the event source mapping (default 5, Lambda's first pollers). */
    public Builder pollers(int pollers) {
      if (pollers < 1) {
        throw new IllegalArgumentException("pollers must be >= 1, got " + pollers);
      }
      this.pollers = pollers;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the function setting that is wrong
     */
    public LocalServerless build() {
      return new LocalServerless(this);
    }
  }
}

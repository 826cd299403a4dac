package dev.sluice.serverless.cdk;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.iam.ServicePrincipalOpts;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.EventSourceMappingOptions;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.IBucketNotificationDestination;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.s3.notifications.LambdaDestination;
import software.amazon.awscdk.services.scheduler.ContextAttribute;
import software.amazon.awscdk.services.scheduler.Schedule;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.TimeWindow;
import software.amazon.awscdk.services.scheduler.targets.LambdaInvoke;
import software.amazon.awscdk.services.scheduler.targets.ScheduleTargetBaseProps;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * Sluice's serverless shape: S3 → intake function (or S3 directly) → event queue → scheduler
 * function on an EventBridge Scheduler schedule, which reserves each tick's budget in DynamoDB and
 * moves at most N events per tick → invocation queue → invoke function → Step Functions; a
 * completion function fed by the state machine's status-change events frees in-flight slots and
 * retries or dead-letters failed executions. With a Lambda function as the target ({@link
 * TargetFunction}) the invoke function invokes it instead, and there is no state machine, no
 * status-change rule and no completion function: an invocation's answer is its end. Built from
 * {@link SluiceSettings}; the handlers come from the handler jar, as the handler contract
 * describes.
 */
public final class SluiceStack extends Stack {

  /** Every handler's environment names its pipeline for the metrics' dimension. */
  static final String PIPELINE = "PIPELINE";

  private static final Duration INTAKE_TIMEOUT = Duration.ofSeconds(30);

  /** The invoke function's timeout when each start is quick (an execution, an Event). */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private static final Duration COMPLETION_TIMEOUT = Duration.ofSeconds(30);

  private final SluiceSettings settings;
  private final IBucket bucket;
  private final SluiceQueues queues;
  private final Table table;
  private final TargetStateMachine target;
  private final HandlerFunction intake;
  private final HandlerFunction scheduler;
  private final HandlerFunction invoke;
  private final HandlerFunction completion;
  private final Schedule schedule;
  private final Role scheduleRole;
  private final Rule statusChangeRule;
  private final SluiceMonitoring monitoring;

  public SluiceStack(Construct scope, String id, StackProps props, SluiceSettings settings) {
    super(scope, id, props);
    this.settings = settings;
    Code code = Code.fromAsset(settings.handlerJar().toString());

    Duration invokeTimeout =
        settings.targetFunction() == null
            ? START_TIMEOUT
            : settings.targetFunction().invokeTimeout(START_TIMEOUT);
    this.queues =
        new SluiceQueues(
            this, "Queues", settings, cdk(settings.schedulerTimeout()), cdk(invokeTimeout));
    this.table = ledgerTable();
    this.target =
        settings.targetFunction() == null ? new TargetStateMachine(this, "Target", settings) : null;
    IStateMachine stateMachine = target == null ? null : target.stateMachine();

    this.scheduler =
        new HandlerFunction(
            this,
            "Scheduler",
            settings,
            code,
            "SchedulerHandler",
            "Sluice scheduler: reserves the tick's budget, moves at most N events per tick",
            cdk(settings.schedulerTimeout()),
            schedulerEnvironment(),
            settings.schedulerReservedConcurrency());
    HandlerPermissions.scheduler(
        scheduler.role(), queues.eventQueue(), queues.invocationQueue(), table);

    this.invoke =
        new HandlerFunction(
            this,
            "Invoke",
            settings,
            code,
            "InvokeHandler",
            target == null
                ? "Sluice invoke: invokes the target Lambda function once per released event"
                : "Sluice invoke: starts one Step Functions execution per released event",
            cdk(invokeTimeout),
            invokeEnvironment(stateMachine),
            null);
    if (target == null) {
      HandlerPermissions.invokeFunction(
          invoke.role(),
          queues.invocationQueue(),
          queues.invocationDeadLetterQueue(),
          settings.targetFunction().arn(),
          table);
    } else {
      HandlerPermissions.invoke(
          invoke.role(),
          queues.invocationQueue(),
          queues.invocationDeadLetterQueue(),
          stateMachine,
          target.executionsArn(),
          table);
      Nag.acknowledge(
          invoke.role(),
          target.executionsWildcardFinding(),
          "states:DescribeExecution is granted on the executions of the target machine only"
              + " (execution:<machine>:*); execution names are made per event, so they cannot be"
              + " listed in advance.");
    }
    invoke
        .alias()
        .addEventSourceMapping(
            "InvocationQueueSource",
            EventSourceMappingOptions.builder()
                .eventSourceArn(queues.invocationQueue().getQueueArn())
                .batchSize(10)
                .reportBatchItemFailures(true)
                .build());

    if (target == null) {
      // An invocation's answer is its end: nothing would feed a completion function.
      this.completion = null;
      this.statusChangeRule = null;
    } else {
      this.completion =
          new HandlerFunction(
              this,
              "Completion",
              settings,
              code,
              "CompletionHandler",
              "Sluice completion: frees in-flight slots, retries or dead-letters failed executions",
              cdk(COMPLETION_TIMEOUT),
              environment(
                  "TABLE_NAME", table.getTableName(),
                  "EVENT_QUEUE_URL", queues.eventQueue().getQueueUrl(),
                  "INVOCATION_DLQ_URL", queues.invocationDeadLetterQueue().getQueueUrl(),
                  "STATE_MACHINE_ARN", stateMachine.getStateMachineArn(),
                  "MAX_ATTEMPTS", Integer.toString(settings.maxAttempts())),
              null);
      HandlerPermissions.completion(
          completion.role(), queues.eventQueue(), queues.invocationDeadLetterQueue(), table);
      this.statusChangeRule = statusChangeRule(stateMachine);
    }

    this.bucket = bucket();
    if (settings.wiring() == Wiring.INTAKE_FUNCTION) {
      this.intake =
          new HandlerFunction(
              this,
              "Intake",
              settings,
              code,
              "IntakeHandler",
              "Sluice intake: turns S3 notifications into events on the event queue",
              cdk(INTAKE_TIMEOUT),
              keyFilter(environment("EVENT_QUEUE_URL", queues.eventQueue().getQueueUrl())),
              null);
      HandlerPermissions.intake(intake.role(), queues.eventQueue());
      notifyOnObjectCreated(new LambdaDestination(intake.alias()));
    } else {
      this.intake = null;
      notifyOnObjectCreated(
          new QueueNotificationDestination(queues.eventQueue(), bucket.getBucketArn()));
    }
    acknowledgeNotificationsHandler();

    this.scheduleRole = newScheduleRole();
    this.schedule = tickSchedule();
    this.monitoring = new SluiceMonitoring(this, "Monitoring", settings, queues, stateMachine);
    acknowledgeRuntime();
    outputs();
  }

  private Table ledgerTable() {
    return Table.Builder.create(this, "Ledger")
        .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .timeToLiveAttribute("expiresAt")
        .pointInTimeRecoverySpecification(
            PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
        // The in-flight ledger outlives a redeploy: executions started before a destroy still
        // hold their slots when the stack comes back.
        .removalPolicy(RemovalPolicy.RETAIN)
        .build();
  }

  private Map<String, String> invokeEnvironment(IStateMachine stateMachine) {
    Map<String, String> env =
        stateMachine == null
            ? environment(
                "TARGET_FUNCTION", settings.targetFunction().arn(),
                "INVOCATION_TYPE", settings.targetFunction().invocationType().contextValue())
            : environment("STATE_MACHINE_ARN", stateMachine.getStateMachineArn());
    env.put("TABLE_NAME", table.getTableName());
    env.put("INVOCATION_QUEUE_URL", queues.invocationQueue().getQueueUrl());
    env.put("INVOCATION_DLQ_URL", queues.invocationDeadLetterQueue().getQueueUrl());
    // At its last receive a start that keeps failing is dead-lettered with its error by the
    // function, not silently by the queue's redrive.
    env.put("MAX_RECEIVES", Integer.toString(settings.maxReceiveCount()));
    return env;
  }

  private Map<String, String> schedulerEnvironment() {
    Map<String, String> env =
        environment(
            "EVENT_QUEUE_URL", queues.eventQueue().getQueueUrl(),
            "INVOCATION_QUEUE_URL", queues.invocationQueue().getQueueUrl(),
            "TABLE_NAME", table.getTableName(),
            "LIMIT", Integer.toString(settings.limit()),
            "EVERY", settings.schedule().every().toString(),
            "SMOOTH", Boolean.toString(settings.smooth()));
    if (settings.maxInFlight() != null) {
      env.put("MAX_IN_FLIGHT", settings.maxInFlight().toString());
    }
    return keyFilter(env);
  }

  private Map<String, String> environment(String... keysAndValues) {
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      env.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    env.put(PIPELINE, settings.pipeline());
    return env;
  }

  /** The key filter goes to whoever parses S3 notifications: intake and scheduler. */
  private Map<String, String> keyFilter(Map<String, String> env) {
    if (!settings.prefix().isEmpty()) {
      env.put("KEY_PREFIX", settings.prefix());
    }
    if (!settings.suffix().isEmpty()) {
      env.put("KEY_SUFFIX", settings.suffix());
    }
    return env;
  }

  private IBucket bucket() {
    if (settings.bucketName() != null) {
      return Bucket.fromBucketName(this, "Bucket", settings.bucketName());
    }
    Bucket created =
        Bucket.Builder.create(this, "Bucket")
            .encryption(BucketEncryption.S3_MANAGED)
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .enforceSsl(true)
            // It holds the operator's objects: a destroy leaves it, with them, in place.
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    Nag.acknowledge(
        created,
        "AwsSolutions-S1",
        "Every object created in this bucket is recorded by the pipeline itself (its"
            + " notification, the event queue, the execution); server access logs would"
            + " need a second bucket to hold them, which an operator who wants them adds.");
    return created;
  }

  private void notifyOnObjectCreated(IBucketNotificationDestination destination) {
    if (settings.prefix().isEmpty() && settings.suffix().isEmpty()) {
      bucket.addEventNotification(EventType.OBJECT_CREATED, destination);
      return;
    }
    NotificationKeyFilter.Builder filter = NotificationKeyFilter.builder();
    if (!settings.prefix().isEmpty()) {
      filter.prefix(settings.prefix());
    }
    if (!settings.suffix().isEmpty()) {
      filter.suffix(settings.suffix());
    }
    bucket.addEventNotification(EventType.OBJECT_CREATED, destination, filter.build());
  }

  /**
   * CDK sets bucket notifications through a Lambda-backed custom resource it writes itself, with
   * AWS's basic execution role; its only other grant is s3:PutBucketNotification on this bucket.
   */
  private void acknowledgeNotificationsHandler() {
    Construct handler =
        (Construct)
            getNode().tryFindChild("BucketNotificationsHandler050a0587b7544547bf325f094a3db834");
    if (handler == null) {
      return;
    }
    Nag.acknowledge(
        handler,
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        "CDK's bucket-notifications custom resource runs once per deploy and comes with"
            + " the basic execution role; its code and role are CDK's, not Sluice's.");
  }

  private Rule statusChangeRule(IStateMachine stateMachine) {
    return Rule.Builder.create(this, "ExecutionStatusChange")
        .description(
            "Terminal status changes of the target's executions, to the completion function")
        .eventPattern(
            EventPattern.builder()
                .source(List.of("aws.states"))
                .detailType(List.of("Step Functions Execution Status Change"))
                .detail(
                    Map.of(
                        "stateMachineArn", List.of(stateMachine.getStateMachineArn()),
                        "status", List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")))
                .build())
        .targets(
            List.of(
                LambdaFunction.Builder.create(completion.alias())
                    // A lost completion leaves a slot held until its ledger entry expires: retry
                    // for as long as EventBridge allows.
                    .retryAttempts(185)
                    .maxEventAge(cdk(Duration.ofHours(24)))
                    .build()))
        .build();
  }

  private Role newScheduleRole() {
    return Role.Builder.create(this, "ScheduleRole")
        .assumedBy(
            new ServicePrincipal(
                "scheduler.amazonaws.com",
                ServicePrincipalOpts.builder()
                    .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
                    .build()))
        .description("EventBridge Scheduler: invokes the scheduler function's alias, nothing else")
        .build();
  }

  private Schedule tickSchedule() {
    Duration every = settings.schedule().every();
    // A tick retried later than its own period is pointless: the next tick reserves its own
    // budget. EventBridge Scheduler accepts 60 s at least.
    Duration maxAge = every.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : every;
    return Schedule.Builder.create(this, "Tick")
        .description("Sluice tick: the scheduler releases at most " + settings.limit() + " events")
        .schedule(ScheduleExpression.expression(settings.schedule().expression()))
        .timeWindow(TimeWindow.off())
        .target(
            new LambdaInvoke(
                scheduler.alias(),
                ScheduleTargetBaseProps.builder()
                    .role(scheduleRole)
                    .input(
                        ScheduleTargetInput.fromObject(
                            Map.of("scheduledTime", ContextAttribute.getScheduledTime())))
                    .retryAttempts(3)
                    .maxEventAge(cdk(maxAge))
                    .build()))
        .build();
  }

  private void acknowledgeRuntime() {
    String reason =
        "The handler jar is built and tested for java17 and java21 (the runtime context key"
            + " chooses); a newer runtime follows once the handlers are built for it.";
    for (HandlerFunction handler : handlers()) {
      Nag.acknowledge(handler.function(), "AwsSolutions-L1", reason);
    }
  }

  private void outputs() {
    output("BucketName", bucket.getBucketName(), "The bucket whose ObjectCreated events are gated");
    output("EventQueueUrl", queues.eventQueue().getQueueUrl(), "The backlog");
    output(
        "EventDeadLetterQueueUrl",
        queues.eventDeadLetterQueue().getQueueUrl(),
        "Events the scheduler could not move");
    output(
        "InvocationQueueUrl",
        queues.invocationQueue().getQueueUrl(),
        "Released jobs waiting to start");
    output(
        "InvocationDeadLetterQueueUrl",
        queues.invocationDeadLetterQueue().getQueueUrl(),
        "Dead letters: jobs that exhausted their attempts");
    output("TableName", table.getTableName(), "Tick budgets and the in-flight ledger");
    if (target != null) {
      output(
          "StateMachineArn",
          target.stateMachine().getStateMachineArn(),
          "The target each released event starts");
    } else {
      output(
          "TargetFunctionArn",
          settings.targetFunction().arn(),
          "The target each released event invokes");
    }
    output("DashboardName", monitoring.dashboard().getDashboardName(), "The CloudWatch dashboard");
  }

  private void output(String id, String value, String description) {
    CfnOutput.Builder.create(this, id).value(value).description(description).build();
  }

  private static software.amazon.awscdk.Duration cdk(Duration duration) {
    return software.amazon.awscdk.Duration.seconds(duration.toSeconds());
  }

  List<HandlerFunction> handlers() {
    return Stream.of(intake, scheduler, invoke, completion).filter(Objects::nonNull).toList();
  }

  SluiceSettings settings() {
    return settings;
  }

  SluiceQueues queues() {
    return queues;
  }

  Table table() {
    return table;
  }

  /** The target state machine, or null when the target is a function. */
  TargetStateMachine target() {
    return target;
  }

  /** The intake function, or null with the {@code direct} wiring. */
  HandlerFunction intake() {
    return intake;
  }

  HandlerFunction scheduler() {
    return scheduler;
  }

  HandlerFunction invoke() {
    return invoke;
  }

  /** The completion function, or null when the target is a function. */
  HandlerFunction completion() {
    return completion;
  }

  Role scheduleRole() {
    return scheduleRole;
  }

  Schedule schedule() {
    return schedule;
  }

  /** The status-change rule, or null when the target is a function. */
  Rule statusChangeRule() {
    return statusChangeRule;
  }

  SluiceMonitoring monitoring() {
    return monitoring;
  }

  IBucket bucketConstruct() {
    return bucket;
  }
}

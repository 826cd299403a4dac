package dev.sluice.serverless.cdk;

import static dev.sluice.serverless.cdk.SynthesizedSluice.properties;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/**
 * The stack with every default: a new bucket notifying the intake function, the sample state
 * machine, java17, N = 50 per rate(1 minute) tick. Synthesized once for the class.
 */
class SluiceStackTest {

  private static SynthesizedSluice synth;

  @BeforeAll
  static void synthesize() {
    synth = SynthesizedSluice.of(Map.of());
  }

  @Test
  void queues_whenDefault_twoStandardQueuesEachWithItsOwnDeadLetterQueue() {
    Map<String, Map<String, Object>> queues = synth.resources("AWS::SQS::Queue");
    assertThat(queues).hasSize(4);
    List<Map<String, Object>> withRedrive =
        queues.values().stream()
            .map(SynthesizedSluice::properties)
            .filter(p -> p.containsKey("RedrivePolicy"))
            .toList();
    assertThat(withRedrive).hasSize(2);
    List<Object> deadLetterTargets =
        withRedrive.stream()
            .map(p -> (Object) ((Map<?, ?>) p.get("RedrivePolicy")).get("deadLetterTargetArn"))
            .toList();
    assertThat(deadLetterTargets).doesNotHaveDuplicates();
    for (Map<String, Object> p : withRedrive) {
      assertThat(((Map<?, ?>) p.get("RedrivePolicy")).get("maxReceiveCount")).isEqualTo(5);
    }
    for (Map<String, Object> queue : queues.values()) {
      Map<String, Object> p = properties(queue);
      assertThat(p).doesNotContainKey("FifoQueue");
      assertThat(p.get("SqsManagedSseEnabled")).isEqualTo(true);
      assertThat(p.get("MessageRetentionPeriod")).isEqualTo(1_209_600);
    }
  }

  @Test
  void queues_whenDefault_everyQueueRefusesRequestsWithoutTls() {
    Map<String, Map<String, Object>> policies = synth.resources("AWS::SQS::QueuePolicy");
    for (String queueId : synth.resources("AWS::SQS::Queue").keySet()) {
      boolean denied =
          policies.values().stream()
              .map(SynthesizedSluice::properties)
              .filter(p -> ((List<?>) p.get("Queues")).contains(Map.of("Ref", queueId)))
              .flatMap(p -> statements(p).stream())
              .anyMatch(
                  s ->
                      "Deny".equals(s.get("Effect"))
                          && String.valueOf(s.get("Condition")).contains("aws:SecureTransport"));
      assertThat(denied).as("queue %s denies insecure transport", queueId).isTrue();
    }
  }

  @Test
  void visibilityTimeouts_whenDefault_coverTheFunctionsThatHoldTheirMessages() {
    int invokeTimeout = timeout(synth.stack.invoke());
    int schedulerTimeout = timeout(synth.stack.scheduler());
    assertThat(visibility(synth.logicalId(synth.stack.queues().invocationQueue())))
        .as("six times the invoke function's timeout, as Lambda advises")
        .isGreaterThanOrEqualTo(6 * invokeTimeout);
    assertThat(visibility(synth.logicalId(synth.stack.queues().eventQueue())))
        .isGreaterThan(schedulerTimeout);
    assertThat(schedulerTimeout).as("one tick of rate(1 minute)").isEqualTo(60);
  }

  @Test
  void table_whenDefault_keyedByPkOnDemandWithTtlAndPointInTimeRecovery() {
    synth.template.resourceCountIs("AWS::DynamoDB::Table", 1);
    synth.template.hasResource(
        "AWS::DynamoDB::Table",
        Map.of(
            "DeletionPolicy",
            "Retain",
            "Properties",
            Map.of(
                "KeySchema",
                List.of(Map.of("AttributeName", "pk", "KeyType", "HASH")),
                "AttributeDefinitions",
                List.of(Map.of("AttributeName", "pk", "AttributeType", "S")),
                "BillingMode",
                "PAY_PER_REQUEST",
                "TimeToLiveSpecification",
                Map.of("AttributeName", "expiresAt", "Enabled", true),
                "PointInTimeRecoverySpecification",
                Map.of("PointInTimeRecoveryEnabled", true))));
  }

  @Test
  void functions_whenDefault_fourHandlersOnJava17WithSnapStartBehindAnAlias() {
    List<String> handlers =
        synth.resources("AWS::Lambda::Function").values().stream()
            .map(r -> (String) properties(r).get("Handler"))
            .filter(h -> h.startsWith("dev.sluice.serverless."))
            .sorted()
            .toList();
    assertThat(handlers)
        .containsExactly(
            "dev.sluice.serverless.CompletionHandler::handleRequest",
            "dev.sluice.serverless.IntakeHandler::handleRequest",
            "dev.sluice.serverless.InvokeHandler::handleRequest",
            "dev.sluice.serverless.SchedulerHandler::handleRequest");
    for (HandlerFunction handler : synth.stack.handlers()) {
      Map<String, Object> p = functionProperties(handler);
      assertThat(p.get("Runtime")).isEqualTo("java17");
      assertThat(p.get("MemorySize")).isEqualTo(1024);
      assertThat(p.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
      Map<String, Object> alias =
          properties(synth.resources("AWS::Lambda::Alias").get(synth.logicalId(handler.alias())));
      assertThat(alias.get("Name")).isEqualTo("live");
      assertThat(alias.get("FunctionName"))
          .isEqualTo(Map.of("Ref", synth.logicalId(handler.function())));
      String versionId =
          (String) ((List<?>) ((Map<?, ?>) alias.get("FunctionVersion")).get("Fn::GetAtt")).get(0);
      assertThat(
              properties(synth.resources("AWS::Lambda::Version").get(versionId))
                  .get("FunctionName"))
          .isEqualTo(Map.of("Ref", synth.logicalId(handler.function())));
    }
    assertThat(functionProperties(synth.stack.scheduler()).get("ReservedConcurrentExecutions"))
        .isEqualTo(1);
  }

  @Test
  void environment_whenDefault_eachFunctionNamesItsQueuesTableAndStateMachine() {
    SluiceStack stack = synth.stack;
    Object eventQueue = Map.of("Ref", synth.logicalId(stack.queues().eventQueue()));
    Object invocationQueue = Map.of("Ref", synth.logicalId(stack.queues().invocationQueue()));
    Object invocationDlq =
        Map.of("Ref", synth.logicalId(stack.queues().invocationDeadLetterQueue()));
    Object table = Map.of("Ref", synth.logicalId(stack.table()));
    Object stateMachine = Map.of("Ref", synth.logicalId(stack.target().stateMachine()));

    assertThat(environment(stack.intake()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("EVENT_QUEUE_URL", eventQueue, "PIPELINE", "Sluice"));
    assertThat(environment(stack.scheduler()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "EVENT_QUEUE_URL", eventQueue,
                "INVOCATION_QUEUE_URL", invocationQueue,
                "TABLE_NAME", table,
                "LIMIT", "50",
                "EVERY", "PT1M",
                "SMOOTH", "false",
                "PIPELINE", "Sluice"));
    assertThat(environment(stack.invoke()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "STATE_MACHINE_ARN", stateMachine,
                "TABLE_NAME", table,
                "INVOCATION_QUEUE_URL", invocationQueue,
                "INVOCATION_DLQ_URL", invocationDlq,
                "MAX_RECEIVES", "5",
                "PIPELINE", "Sluice"));
    assertThat(environment(stack.completion()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "TABLE_NAME", table,
                "EVENT_QUEUE_URL", eventQueue,
                "INVOCATION_DLQ_URL", invocationDlq,
                "STATE_MACHINE_ARN", stateMachine,
                "MAX_ATTEMPTS", "3",
                "PIPELINE", "Sluice"));
  }

  @Test
  void notifications_whenIntakeFunctionWiring_newBucketNotifiesTheIntakeAlias() {
    synth.template.resourceCountIs("AWS::S3::Bucket", 1);
    String bucketId = synth.resources("AWS::S3::Bucket").keySet().iterator().next();
    Object intakeAlias = Map.of("Ref", synth.logicalId(synth.stack.intake().alias()));
    synth.template.hasResourceProperties(
        "Custom::S3BucketNotifications",
        Map.of(
            "BucketName", Map.of("Ref", bucketId),
            "NotificationConfiguration",
                Map.of(
                    "LambdaFunctionConfigurations",
                    List.of(
                        Map.of(
                            "Events",
                            List.of("s3:ObjectCreated:*"),
                            "LambdaFunctionArn",
                            intakeAlias)))));
    synth.template.hasResourceProperties(
        "AWS::Lambda::Permission",
        Map.of(
            "FunctionName",
            intakeAlias,
            "Principal",
            "s3.amazonaws.com",
            "SourceArn",
            Map.of("Fn::GetAtt", List.of(bucketId, "Arn")),
            "SourceAccount",
            Map.of("Ref", "AWS::AccountId")));
    synth.template.hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Retain"));
  }

  @Test
  void schedule_whenDefault_invokesTheSchedulerAliasEveryMinuteWithTheScheduledTime() {
    synth.template.resourceCountIs("AWS::Scheduler::Schedule", 1);
    Map<String, Object> schedule =
        properties(synth.resources("AWS::Scheduler::Schedule").values().iterator().next());
    assertThat(schedule.get("ScheduleExpression")).isEqualTo("rate(1 minute)");
    assertThat(schedule.get("FlexibleTimeWindow")).isEqualTo(Map.of("Mode", "OFF"));
    Map<?, ?> target = (Map<?, ?>) schedule.get("Target");
    assertThat(target.get("Arn"))
        .isEqualTo(Map.of("Ref", synth.logicalId(synth.stack.scheduler().alias())));
    assertThat(target.get("Input"))
        .isEqualTo("{\"scheduledTime\":\"<aws.scheduler.scheduled-time>\"}");
    Map<?, ?> retry = (Map<?, ?>) target.get("RetryPolicy");
    assertThat((Integer) retry.get("MaximumRetryAttempts")).isPositive();
    assertThat(retry.get("MaximumEventAgeInSeconds")).isEqualTo(60);
    assertThat(target.get("RoleArn"))
        .isEqualTo(
            Map.of("Fn::GetAtt", List.of(synth.logicalId(synth.stack.scheduleRole()), "Arn")));
  }

  @Test
  void scheduleRole_whenDefault_mayOnlyInvokeTheSchedulerAlias() {
    String roleId = synth.logicalId(synth.stack.scheduleRole());
    List<Map<String, Object>> statements =
        synth.resources("AWS::IAM::Policy").values().stream()
            .map(SynthesizedSluice::properties)
            .filter(p -> ((List<?>) p.get("Roles")).contains(Map.of("Ref", roleId)))
            .flatMap(p -> statements(p).stream())
            .toList();
    assertThat(statements)
        .containsExactly(
            Map.of(
                "Action", "lambda:InvokeFunction",
                "Effect", "Allow",
                "Resource", Map.of("Ref", synth.logicalId(synth.stack.scheduler().alias()))));
    Map<String, Object> role = properties(synth.resources("AWS::IAM::Role").get(roleId));
    assertThat(String.valueOf(role.get("AssumeRolePolicyDocument")))
        .contains("scheduler.amazonaws.com")
        .contains("aws:SourceAccount");
  }

  @Test
  void invokeSource_whenDefault_batchesOfTenFromTheInvocationQueueWithPartialFailures() {
    synth.template.resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
    Map<String, Object> mapping =
        properties(synth.resources("AWS::Lambda::EventSourceMapping").values().iterator().next());
    assertThat(mapping.get("BatchSize")).isEqualTo(10);
    assertThat(mapping.get("FunctionResponseTypes")).isEqualTo(List.of("ReportBatchItemFailures"));
    assertThat(mapping.get("EventSourceArn"))
        .isEqualTo(synth.resolve(synth.stack.queues().invocationQueue().getQueueArn()));
    assertThat(String.valueOf(mapping.get("FunctionName")))
        .as("the mapping invokes the alias, not $LATEST")
        .contains(synth.logicalId(synth.stack.invoke().alias()))
        .contains(":live");
  }

  @Test
  void statusChangeRule_whenDefault_sendsTerminalStatusesOfTheMachineToTheCompletionAlias() {
    Object stateMachine = Map.of("Ref", synth.logicalId(synth.stack.target().stateMachine()));
    synth.template.hasResourceProperties(
        "AWS::Events::Rule",
        Map.of(
            "EventPattern",
            Map.of(
                "source", List.of("aws.states"),
                "detail-type", List.of("Step Functions Execution Status Change"),
                "detail",
                    Map.of(
                        "stateMachineArn", List.of(stateMachine),
                        "status", List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"))),
            "Targets",
            Match.arrayWith(
                List.of(
                    Match.objectLike(
                        Map.of(
                            "Arn",
                            Map.of("Ref", synth.logicalId(synth.stack.completion().alias()))))))));
  }

  @Test
  void sampleStateMachine_whenNoArnGiven_isAStandardWaitAndPassMachineThatLogs() {
    synth.template.resourceCountIs("AWS::StepFunctions::StateMachine", 1);
    Map<String, Object> machine =
        properties(synth.resources("AWS::StepFunctions::StateMachine").values().iterator().next());
    assertThat(machine.get("StateMachineType")).isEqualTo("STANDARD");
    String definition = String.valueOf(machine.get("DefinitionString"));
    assertThat(definition).contains("\"Type\":\"Wait\"").contains("\"Type\":\"Pass\"");
    assertThat(String.valueOf(machine.get("LoggingConfiguration"))).contains("Level=ALL");
  }

  @Test
  void iam_whenIntakeFunctionWiring_eachRoleHoldsExactlyTheContractGrants() {
    assertThat(synth.stack.handlers()).hasSize(4);
    HandlerContract.assertGrantsMatchContract(synth);
  }

  @Test
  void iam_whenDefault_noAllowedActionAnywhereIsAWildcard() {
    for (Map<String, Object> policy : synth.resources("AWS::IAM::Policy").values()) {
      for (Map<String, Object> statement : statements(properties(policy))) {
        assertThat(HandlerContract.list(statement.get("Action")))
            .allSatisfy(action -> assertThat(action).doesNotContain("*"));
      }
    }
    for (Map<String, Object> policy : synth.resources("AWS::SQS::QueuePolicy").values()) {
      for (Map<String, Object> statement : statements(properties(policy))) {
        if ("Allow".equals(statement.get("Effect"))) {
          assertThat(HandlerContract.list(statement.get("Action")))
              .allSatisfy(action -> assertThat(action).doesNotContain("*"));
        }
      }
    }
  }

  @Test
  void alarms_whenDefault_deadLettersAndTheOldestEventRaiseAlarms() {
    synth.template.resourceCountIs("AWS::CloudWatch::Alarm", 3);
    for (var dlq :
        List.of(
            synth.stack.queues().eventDeadLetterQueue(),
            synth.stack.queues().invocationDeadLetterQueue())) {
      synth.template.hasResourceProperties(
          "AWS::CloudWatch::Alarm",
          Map.of(
              "MetricName", "ApproximateNumberOfMessagesVisible",
              "Namespace", "AWS/SQS",
              "Threshold", 0,
              "ComparisonOperator", "GreaterThanThreshold",
              "Dimensions",
                  List.of(
                      Map.of("Name", "QueueName", "Value", synth.resolve(dlq.getQueueName())))));
    }
    synth.template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Map.of(
            "MetricName",
            "ApproximateAgeOfOldestMessage",
            "Threshold",
            3600,
            "ComparisonOperator",
            "GreaterThanThreshold",
            "Dimensions",
            List.of(
                Map.of(
                    "Name",
                    "QueueName",
                    "Value",
                    synth.resolve(synth.stack.queues().eventQueue().getQueueName())))));
    synth.template.resourceCountIs("AWS::SNS::Topic", 0);
  }

  @Test
  void dashboard_whenDefault_showsReleasesBacklogInFlightFailuresAndDeadLetters() {
    synth.template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    Map<String, Object> dashboard =
        properties(synth.resources("AWS::CloudWatch::Dashboard").values().iterator().next());
    assertThat(dashboard.get("DashboardName")).isEqualTo("Sluice-sluice");
    String body = String.valueOf(dashboard.get("DashboardBody"));
    for (String metric :
        List.of(
            "\"Sluice\",\"Released\",\"Pipeline\",\"Sluice\"",
            "\"Sluice\",\"Backlog\",\"Pipeline\",\"Sluice\"",
            "\"Sluice\",\"InFlight\",\"Pipeline\",\"Sluice\"",
            "\"Sluice\",\"Failed\",\"Pipeline\",\"Sluice\"",
            "\"Sluice\",\"DeadLettered\",\"Pipeline\",\"Sluice\"",
            "\"AWS/States\",\"ExecutionsFailed\"",
            // CloudWatch's name for it: singular, unlike ExecutionsFailed.
            "\"AWS/States\",\"ExecutionThrottled\"",
            "\"AWS/SQS\",\"ApproximateNumberOfMessagesVisible\"")) {
      assertThat(body).contains(metric);
    }
  }

  @Test
  void outputs_whenDefault_nameQueuesTableStateMachineAndDashboard() {
    @SuppressWarnings("unchecked")
    Map<String, Object> outputs = (Map<String, Object>) synth.json.get("Outputs");
    assertThat(outputs)
        .containsKeys(
            "EventQueueUrl",
            "EventDeadLetterQueueUrl",
            "InvocationQueueUrl",
            "InvocationDeadLetterQueueUrl",
            "TableName",
            "StateMachineArn",
            "DashboardName");
  }

  @Test
  void cdkNag_whenDefault_noUnacknowledgedAwsSolutionsFinding() {
    assertThat(synth.nagReport.getViolations()).isNotNull();
    assertThat(synth.unacknowledgedFindings()).isEmpty();
  }

  @Test
  void cdkNag_whenDefault_everyAcknowledgmentGivesAReason() {
    List<String[]> acks = synth.acknowledgments();
    // CDK stores a plain rule id with the prefix of its annotation plugin.
    assertThat(acks.stream().map(a -> a[1].replace("Annotation::", "")).collect(Collectors.toSet()))
        .contains("AwsSolutions-L1", "AwsSolutions-S1", "AwsSolutions-SF2");
    for (String[] ack : acks) {
      assertThat(ack[2])
          .as("reason for %s at %s", ack[1], ack[0])
          .isNotBlank()
          .hasSizeGreaterThan(40);
    }
  }

  private static int timeout(HandlerFunction handler) {
    return (Integer) functionProperties(handler).get("Timeout");
  }

  private static int visibility(String queueId) {
    return (Integer)
        properties(synth.resources("AWS::SQS::Queue").get(queueId)).get("VisibilityTimeout");
  }

  private static Map<String, Object> functionProperties(HandlerFunction handler) {
    return properties(
        synth.resources("AWS::Lambda::Function").get(synth.logicalId(handler.function())));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> environment(HandlerFunction handler) {
    return (Map<String, Object>)
        ((Map<String, Object>) functionProperties(handler).get("Environment")).get("Variables");
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> statements(Map<String, Object> policyProperties) {
    Map<String, Object> document = (Map<String, Object>) policyProperties.get("PolicyDocument");
    return (List<Map<String, Object>>) document.get("Statement");
  }
}

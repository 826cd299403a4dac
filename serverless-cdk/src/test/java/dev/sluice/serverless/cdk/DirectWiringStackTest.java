package dev.sluice.serverless.cdk;

import static dev.sluice.serverless.cdk.SynthesizedSluice.properties;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/**
 * The stack with the other choice of everything: S3 notifying the event queue directly (no intake
 * function), an existing bucket and an existing state machine, java21, alarm mail, a key filter, a
 * two-minute tick and a cap on executions in flight. Synthesized once for the class.
 */
class DirectWiringStackTest {

  private static final String MACHINE = "arn:aws:states:eu-west-1:123456789012:stateMachine:orders";

  private static SynthesizedSluice synth;

  @BeforeAll
  static void synthesize() {
    synth =
        SynthesizedSluice.of(
            Map.ofEntries(
                Map.entry("stackName", "Orders"),
                Map.entry("wiring", "direct"),
                Map.entry("bucketName", "orders-landing"),
                Map.entry("prefix", "incoming/"),
                Map.entry("suffix", ".parquet"),
                Map.entry("stateMachineArn", MACHINE),
                Map.entry("runtime", "java21"),
                Map.entry("alarmEmail", "ops@example.com"),
                Map.entry("schedule", "rate(2 minutes)"),
                Map.entry("limit", "100"),
                Map.entry("maxInFlight", "20"),
                Map.entry("smooth", "true"),
                Map.entry("maxReceiveCount", "3"),
                Map.entry("schedulerReservedConcurrency", "none"),
                Map.entry("oldestMessageAlarmSeconds", "900")));
  }

  @Test
  void functions_whenDirectWiring_threeHandlersAndNoIntake() {
    assertThat(synth.stack.intake()).isNull();
    List<String> handlers =
        synth.resources("AWS::Lambda::Function").values().stream()
            .map(r -> (String) properties(r).get("Handler"))
            .filter(h -> h.startsWith("dev.sluice.serverless."))
            .sorted()
            .toList();
    assertThat(handlers)
        .containsExactly(
            "dev.sluice.serverless.CompletionHandler::handleRequest",
            "dev.sluice.serverless.InvokeHandler::handleRequest",
            "dev.sluice.serverless.SchedulerHandler::handleRequest");
    for (HandlerFunction handler : synth.stack.handlers()) {
      Map<String, Object> p = function(handler);
      assertThat(p.get("Runtime")).isEqualTo("java21");
      assertThat(p.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
    }
    assertThat(function(synth.stack.scheduler())).doesNotContainKey("ReservedConcurrentExecutions");
  }

  @Test
  @SuppressWarnings("unchecked")
  void notifications_whenDirectWiring_existingBucketNotifiesTheEventQueueThroughTheFilter() {
    synth.template.resourceCountIs("AWS::S3::Bucket", 0);
    synth.template.hasResourceProperties(
        "Custom::S3BucketNotifications",
        Map.of(
            "BucketName",
            "orders-landing",
            "Managed",
            false,
            "NotificationConfiguration",
            Map.of(
                "QueueConfigurations",
                List.of(
                    Map.of(
                        "Events",
                        List.of("s3:ObjectCreated:*"),
                        "QueueArn",
                        synth.resolve(synth.stack.queues().eventQueue().getQueueArn()),
                        "Filter",
                        Match.anyValue())))));
    Map<String, Object> notifications =
        properties(synth.resources("Custom::S3BucketNotifications").values().iterator().next());
    Map<?, ?> configuration =
        (Map<?, ?>)
            ((List<?>)
                    ((Map<?, ?>) notifications.get("NotificationConfiguration"))
                        .get("QueueConfigurations"))
                .get(0);
    Object rules =
        ((Map<?, ?>) ((Map<?, ?>) configuration.get("Filter")).get("Key")).get("FilterRules");
    assertThat((List<Object>) rules)
        .containsExactlyInAnyOrder(
            Map.of("Name", "prefix", "Value", "incoming/"),
            Map.of("Name", "suffix", "Value", ".parquet"));
  }

  @Test
  void eventQueuePolicy_whenDirectWiring_letsOnlyThatBucketInThisAccountSend() {
    String eventQueueId = synth.logicalId(synth.stack.queues().eventQueue());
    List<Map<String, Object>> allows =
        synth.resources("AWS::SQS::QueuePolicy").values().stream()
            .map(SynthesizedSluice::properties)
            .filter(p -> ((List<?>) p.get("Queues")).contains(Map.of("Ref", eventQueueId)))
            .flatMap(p -> SluiceStackTest.statements(p).stream())
            .filter(s -> "Allow".equals(s.get("Effect")))
            .toList();
    assertThat(allows).hasSize(1);
    Map<String, Object> allow = allows.get(0);
    assertThat(allow.get("Principal")).isEqualTo(Map.of("Service", "s3.amazonaws.com"));
    assertThat(allow.get("Action")).isEqualTo("sqs:SendMessage");
    assertThat(allow.get("Condition"))
        .isEqualTo(
            Map.of(
                "ArnEquals",
                Map.of(
                    "aws:SourceArn",
                    Map.of(
                        "Fn::Join",
                        List.of(
                            "",
                            List.of(
                                "arn:", Map.of("Ref", "AWS::Partition"), ":s3:::orders-landing")))),
                "StringEquals",
                Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId"))));
    // Nothing else may send to the event queue by resource policy, nor to any other queue.
    long otherAllows =
        synth.resources("AWS::SQS::QueuePolicy").values().stream()
            .flatMap(p -> SluiceStackTest.statements(properties(p)).stream())
            .filter(s -> "Allow".equals(s.get("Effect")))
            .count();
    assertThat(otherAllows).isEqualTo(1);
  }

  @Test
  void scheduler_whenSettingsGiven_environmentCarriesThem() {
    @SuppressWarnings("unchecked")
    Map<String, Object> env =
        (Map<String, Object>)
            ((Map<String, Object>) function(synth.stack.scheduler()).get("Environment"))
                .get("Variables");
    assertThat(env)
        .containsEntry("LIMIT", "100")
        .containsEntry("EVERY", "PT2M")
        .containsEntry("MAX_IN_FLIGHT", "20")
        .containsEntry("SMOOTH", "true")
        .containsEntry("KEY_PREFIX", "incoming/")
        .containsEntry("KEY_SUFFIX", ".parquet")
        .containsEntry("PIPELINE", "Orders");
    assertThat(function(synth.stack.scheduler()).get("Timeout")).isEqualTo(120);
    Map<String, Object> schedule =
        properties(synth.resources("AWS::Scheduler::Schedule").values().iterator().next());
    assertThat(schedule.get("ScheduleExpression")).isEqualTo("rate(2 minutes)");
  }

  @Test
  void existingStateMachine_whenArnGiven_isStartedDescribedAndWatchedButNotCreated() {
    synth.template.resourceCountIs("AWS::StepFunctions::StateMachine", 0);
    List<Map<String, Object>> statements =
        synth.resources("AWS::IAM::Policy").values().stream()
            .flatMap(p -> SluiceStackTest.statements(properties(p)).stream())
            .toList();
    assertThat(statements)
        .anySatisfy(
            s -> {
              assertThat(s.get("Action")).isEqualTo("states:StartExecution");
              assertThat(s.get("Resource")).isEqualTo(MACHINE);
            })
        .anySatisfy(
            s -> {
              assertThat(s.get("Action")).isEqualTo("states:DescribeExecution");
              assertThat(s.get("Resource"))
                  .isEqualTo("arn:aws:states:eu-west-1:123456789012:execution:orders:*");
            });
    synth.template.hasResourceProperties(
        "AWS::Events::Rule",
        Match.objectLike(
            Map.of(
                "EventPattern",
                Match.objectLike(
                    Map.of(
                        "detail",
                        Match.objectLike(Map.of("stateMachineArn", List.of(MACHINE))))))));
  }

  @Test
  void queues_whenMaxReceiveCountGiven_bothRedrivePoliciesUseIt() {
    List<Object> counts =
        synth.resources("AWS::SQS::Queue").values().stream()
            .map(SynthesizedSluice::properties)
            .filter(p -> p.containsKey("RedrivePolicy"))
            .map(p -> (Object) ((Map<?, ?>) p.get("RedrivePolicy")).get("maxReceiveCount"))
            .toList();
    assertThat(counts).containsExactly(3, 3);
  }

  @Test
  void alarms_whenEmailGiven_everyAlarmNotifiesTheTopic() {
    synth.template.resourceCountIs("AWS::SNS::Topic", 1);
    String topicId = synth.resources("AWS::SNS::Topic").keySet().iterator().next();
    synth.template.hasResourceProperties(
        "AWS::SNS::Subscription",
        Map.of(
            "Protocol",
            "email",
            "Endpoint",
            "ops@example.com",
            "TopicArn",
            Map.of("Ref", topicId)));
    Map<String, Map<String, Object>> alarms = synth.resources("AWS::CloudWatch::Alarm");
    assertThat(alarms).hasSize(3);
    for (Map<String, Object> alarm : alarms.values()) {
      assertThat(properties(alarm).get("AlarmActions")).isEqualTo(List.of(Map.of("Ref", topicId)));
    }
    synth.template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Map.of("MetricName", "ApproximateAgeOfOldestMessage", "Threshold", 900));
  }

  @Test
  void iam_whenDirectWiring_eachRoleHoldsExactlyTheContractGrants() {
    assertThat(synth.stack.handlers()).hasSize(3);
    HandlerContract.assertGrantsMatchContract(synth);
  }

  @Test
  void cdkNag_whenDirectWiring_noUnacknowledgedAwsSolutionsFinding() {
    assertThat(synth.unacknowledgedFindings()).isEmpty();
    for (String[] ack : synth.acknowledgments()) {
      assertThat(ack[2]).as("reason for %s at %s", ack[1], ack[0]).hasSizeGreaterThan(40);
    }
  }

  private static Map<String, Object> function(HandlerFunction handler) {
    return properties(
        synth.resources("AWS::Lambda::Function").get(synth.logicalId(handler.function())));
  }
}

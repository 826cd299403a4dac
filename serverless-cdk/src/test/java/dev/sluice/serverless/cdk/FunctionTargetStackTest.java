package dev.sluice.serverless.cdk;

import static dev.sluice.serverless.cdk.SynthesizedSluice.properties;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stack with a Lambda function as the target (an alias of an existing function, invoked
 * RequestResponse, with a two-minute timeout) instead of a state machine. Synthesized once for the
 * class.
 */
class FunctionTargetStackTest {

  private static final String ALIAS_ARN =
      "arn:aws:lambda:eu-west-1:123456789012:function:process-object:live";

  private static SynthesizedSluice synth;

  @BeforeAll
  static void synthesize() {
    synth =
        SynthesizedSluice.of(
            Map.of(
                "targetFunctionArn", ALIAS_ARN,
                "invocationType", "RequestResponse",
                "targetFunctionTimeoutSeconds", "120"));
  }

  @Test
  void resources_whenAFunctionIsTheTarget_noStateMachineNoStatusRuleNoCompletion() {
    synth.template.resourceCountIs("AWS::StepFunctions::StateMachine", 0);
    synth.template.resourceCountIs("AWS::Events::Rule", 0);
    synth.template.resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
    assertThat(synth.stack.target()).isNull();
    assertThat(synth.stack.completion()).isNull();
    List<String> handlers =
        synth.resources("AWS::Lambda::Function").values().stream()
            .map(r -> (String) properties(r).get("Handler"))
            .filter(h -> h.startsWith("dev.sluice.serverless."))
            .sorted()
            .toList();
    assertThat(handlers)
        .containsExactly(
            "dev.sluice.serverless.IntakeHandler::handleRequest",
            "dev.sluice.serverless.InvokeHandler::handleRequest",
            "dev.sluice.serverless.SchedulerHandler::handleRequest");
  }

  @Test
  void invoke_whenAFunctionIsTheTarget_environmentNamesTheFunctionAndNoStateMachine() {
    SluiceStack stack = synth.stack;
    assertThat(environment(stack.invoke()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "TARGET_FUNCTION",
                ALIAS_ARN,
                "INVOCATION_TYPE",
                "RequestResponse",
                "TABLE_NAME",
                Map.of("Ref", synth.logicalId(stack.table())),
                "INVOCATION_QUEUE_URL",
                Map.of("Ref", synth.logicalId(stack.queues().invocationQueue())),
                "INVOCATION_DLQ_URL",
                Map.of("Ref", synth.logicalId(stack.queues().invocationDeadLetterQueue())),
                "MAX_RECEIVES",
                "5",
                "PIPELINE",
                "Sluice"));
  }

  @Test
  void invoke_whenRequestResponse_waitsForTheFunctionsTimeoutAndTheQueueCoversIt() {
    Map<String, Object> invoke =
        properties(
            synth
                .resources("AWS::Lambda::Function")
                .get(synth.logicalId(synth.stack.invoke().function())));
    // 120 s of the target's run and 30 s for the rest of the batch's work.
    assertThat(invoke.get("Timeout")).isEqualTo(150);
    Map<String, Object> queue =
        properties(
            synth
                .resources("AWS::SQS::Queue")
                .get(synth.logicalId(synth.stack.queues().invocationQueue())));
    assertThat(queue.get("VisibilityTimeout")).isEqualTo(6 * 150);
  }

  @Test
  void iam_whenAFunctionIsTheTarget_invokeMayInvokeExactlyThatAliasAndNothingOfStepFunctions() {
    assertThat(synth.stack.handlers()).hasSize(3);
    HandlerContract.assertGrantsMatchContract(synth);
    List<Map<String, Object>> statements =
        synth.resources("AWS::IAM::Policy").values().stream()
            .flatMap(p -> SluiceStackTest.statements(properties(p)).stream())
            .toList();
    assertThat(statements)
        .filteredOn(s -> HandlerContract.list(s.get("Action")).contains("lambda:InvokeFunction"))
        .extracting(s -> s.get("Resource"))
        // The alias ARN itself: a grant on the unqualified function would not cover invoking
        // the alias, and the role gets no other version or alias. The other grant is the
        // schedule's own, on the scheduler's alias.
        .containsExactlyInAnyOrder(
            ALIAS_ARN, Map.of("Ref", synth.logicalId(synth.stack.scheduler().alias())));
    assertThat(statements)
        .flatExtracting(s -> HandlerContract.list(s.get("Action")))
        .noneMatch(action -> action.startsWith("states:"));
  }

  @Test
  void monitoring_whenAFunctionIsTheTarget_noStateMachineMetricsAndTheUsualAlarms() {
    synth.template.resourceCountIs("AWS::CloudWatch::Alarm", 3);
    String body =
        String.valueOf(
            properties(synth.resources("AWS::CloudWatch::Dashboard").values().iterator().next())
                .get("DashboardBody"));
    assertThat(body)
        .doesNotContain("AWS/States")
        .contains("\"Sluice\",\"Failed\",\"Pipeline\",\"Sluice\"")
        .contains("\"Sluice\",\"DeadLettered\",\"Pipeline\",\"Sluice\"");
    @SuppressWarnings("unchecked")
    Map<String, Object> outputs = (Map<String, Object>) synth.json.get("Outputs");
    assertThat(outputs).containsKey("TargetFunctionArn").doesNotContainKey("StateMachineArn");
  }

  @Test
  void cdkNag_whenAFunctionIsTheTarget_noUnacknowledgedFindingAndNoWildcardToAcknowledge() {
    assertThat(synth.unacknowledgedFindings()).isEmpty();
    List<String[]> acks = synth.acknowledgments();
    for (String[] ack : acks) {
      assertThat(ack[2]).as("reason for %s at %s", ack[1], ack[0]).hasSizeGreaterThan(40);
    }
    assertThat(acks)
        .as("the invoke role's only grant outside the stack names one ARN, no wildcard")
        .noneMatch(ack -> ack[0].contains("/Invoke/") && ack[1].contains("IAM5"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> environment(HandlerFunction handler) {
    Map<String, Object> function =
        properties(
            synth.resources("AWS::Lambda::Function").get(synth.logicalId(handler.function())));
    return (Map<String, Object>)
        ((Map<String, Object>) function.get("Environment")).get("Variables");
  }
}

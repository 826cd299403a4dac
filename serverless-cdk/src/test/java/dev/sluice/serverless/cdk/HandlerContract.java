package dev.sluice.serverless.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The handler contract's least-privilege table, written out here as (action @ resource) pairs, and
 * the check that a synthesized stack grants each handler's role exactly those and nothing more. The
 * only addition to the contract is writing to the function's own log group, which every Lambda
 * function needs.
 */
final class HandlerContract {
  private HandlerContract() {}

  private static final Set<String> LOGS =
      Set.of("logs:CreateLogStream@ownLogs", "logs:PutLogEvents@ownLogs");

  static final Map<String, Set<String>> GRANTS =
      Map.of(
          "IntakeHandler",
          Set.of("sqs:SendMessage@eventQueue"),
          "SchedulerHandler",
          Set.of(
              "sqs:ReceiveMessage@eventQueue",
              "sqs:DeleteMessage@eventQueue",
              "sqs:ChangeMessageVisibility@eventQueue",
              "sqs:GetQueueAttributes@eventQueue",
              "sqs:SendMessage@invocationQueue",
              "dynamodb:GetItem@table",
              "dynamodb:PutItem@table",
              "dynamodb:UpdateItem@table"),
          "InvokeHandler",
          Set.of(
              // What Lambda's SQS poller needs to consume the invocation queue.
              "sqs:ReceiveMessage@invocationQueue",
              "sqs:DeleteMessage@invocationQueue",
              "sqs:GetQueueAttributes@invocationQueue",
              "sqs:SendMessage@invocationQueue",
              "sqs:SendMessage@invocationDeadLetterQueue",
              "states:StartExecution@stateMachine",
              "states:DescribeExecution@executions",
              "dynamodb:GetItem@table",
              "dynamodb:UpdateItem@table"),
          "CompletionHandler",
          Set.of(
              "dynamodb:GetItem@table",
              "dynamodb:UpdateItem@table",
              "sqs:SendMessage@eventQueue",
              "sqs:SendMessage@invocationDeadLetterQueue"));

  /**
   * The invoke function's grants when its target is a Lambda function: invoking that function (by
   * the ARN it is given) instead of starting and describing executions.
   */
  static final Set<String> FUNCTION_TARGET_INVOKE_GRANTS =
      Set.of(
          "sqs:ReceiveMessage@invocationQueue",
          "sqs:DeleteMessage@invocationQueue",
          "sqs:GetQueueAttributes@invocationQueue",
          "sqs:SendMessage@invocationQueue",
          "sqs:SendMessage@invocationDeadLetterQueue",
          "lambda:InvokeFunction@targetFunction",
          "dynamodb:GetItem@table",
          "dynamodb:UpdateItem@table");

  /** Asserts that every handler role in the stack holds exactly its contract grants. */
  static void assertGrantsMatchContract(SynthesizedSluice synth) {
    boolean functionTarget = synth.stack.settings().targetFunction() != null;
    for (HandlerFunction handler : synth.stack.handlers()) {
      String handlerClass = handlerClass(synth, handler);
      Set<String> expected =
          new TreeSet<>(
              functionTarget && handlerClass.equals("InvokeHandler")
                  ? FUNCTION_TARGET_INVOKE_GRANTS
                  : GRANTS.get(handlerClass));
      expected.addAll(LOGS);
      assertThat(grants(synth, handler))
          .as("grants of %s's role", handlerClass)
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  /** The short handler class of a function, read from its Handler property. */
  static String handlerClass(SynthesizedSluice synth, HandlerFunction handler) {
    Map<String, Object> function =
        synth.resources("AWS::Lambda::Function").get(synth.logicalId(handler.function()));
    String handlerString = (String) SynthesizedSluice.properties(function).get("Handler");
    assertThat(handlerString).startsWith("dev.sluice.serverless.").endsWith("::handleRequest");
    return handlerString.substring(
        "dev.sluice.serverless.".length(), handlerString.length() - "::handleRequest".length());
  }

  /** The (action @ resource) pairs that the IAM policies attached to the handler's role allow. */
  @SuppressWarnings("unchecked")
  static Set<String> grants(SynthesizedSluice synth, HandlerFunction handler) {
    Map<String, Object> roleRef = Map.of("Ref", synth.logicalId(handler.role()));
    Map<Object, String> names = resourceNames(synth, handler);
    Set<String> pairs = new TreeSet<>();
    for (Map<String, Object> policy : synth.resources("AWS::IAM::Policy").values()) {
      Map<String, Object> props = SynthesizedSluice.properties(policy);
      if (!((List<Object>) props.get("Roles")).contains(roleRef)) {
        continue;
      }
      Map<String, Object> document = (Map<String, Object>) props.get("PolicyDocument");
      for (Object s : (List<Object>) document.get("Statement")) {
        Map<String, Object> statement = (Map<String, Object>) s;
        assertThat(statement.get("Effect")).isEqualTo("Allow");
        assertThat(statement).doesNotContainKeys("NotAction", "NotResource");
        for (String action : list(statement.get("Action"))) {
          for (Object resource : objects(statement.get("Resource"))) {
            pairs.add(action + "@" + names.getOrDefault(resource, "unknown:" + resource));
          }
        }
      }
    }
    Map<String, Object> role =
        synth.resources("AWS::IAM::Role").get(synth.logicalId(handler.role()));
    assertThat(SynthesizedSluice.properties(role))
        .as("a handler role has no managed or inline policy")
        .doesNotContainKeys("ManagedPolicyArns", "Policies");
    return pairs;
  }

  private static Map<Object, String> resourceNames(
      SynthesizedSluice synth, HandlerFunction handler) {
    SluiceStack stack = synth.stack;
    Map<Object, String> names = new LinkedHashMap<>();
    names.put(synth.resolve(stack.queues().eventQueue().getQueueArn()), "eventQueue");
    names.put(
        synth.resolve(stack.queues().eventDeadLetterQueue().getQueueArn()), "eventDeadLetterQueue");
    names.put(synth.resolve(stack.queues().invocationQueue().getQueueArn()), "invocationQueue");
    names.put(
        synth.resolve(stack.queues().invocationDeadLetterQueue().getQueueArn()),
        "invocationDeadLetterQueue");
    names.put(synth.resolve(stack.table().getTableArn()), "table");
    if (stack.target() != null) {
      names.put(synth.resolve(stack.target().stateMachine().getStateMachineArn()), "stateMachine");
      names.put(synth.resolve(stack.target().executionsArn()), "executions");
    } else {
      names.put(stack.settings().targetFunction().arn(), "targetFunction");
    }
    names.put(synth.resolve(handler.logGroup().getLogGroupArn()), "ownLogs");
    return names;
  }

  static List<String> list(Object value) {
    List<String> out = new ArrayList<>();
    for (Object o : objects(value)) {
      out.add((String) o);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<Object> objects(Object value) {
    return value instanceof List ? (List<Object>) value : List.of(value);
  }
}

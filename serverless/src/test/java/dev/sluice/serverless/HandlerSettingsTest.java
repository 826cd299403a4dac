package dev.sluice.serverless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.targets.aws.LambdaSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The invoke and completion functions' environments: defaults, and errors naming the variable. */
class HandlerSettingsTest {
  private static Map<String, String> invokeEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("STATE_MACHINE_ARN", "arn:aws:states:eu-west-1:123456789012:stateMachine:p");
    env.put("TABLE_NAME", "t");
    env.put("INVOCATION_QUEUE_URL", "https://sqs/q");
    env.put("INVOCATION_DLQ_URL", "https://sqs/d");
    return env;
  }

  @Test
  void invoke_defaults() {
    InvokeSettings s = InvokeSettings.fromEnvironment(invokeEnv());
    assertThat(s.maxReceives()).isEqualTo(5);
    assertThat(s.maxThrottleDelay()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void invoke_whenAVariableIsMissingOrWrong_namesIt() {
    Map<String, String> missing = invokeEnv();
    missing.remove("INVOCATION_DLQ_URL");
    Map<String, String> tooLong = invokeEnv();
    tooLong.put("MAX_THROTTLE_DELAY", "PT20M");

    assertThatThrownBy(() -> InvokeSettings.fromEnvironment(missing))
        .hasMessageStartingWith("INVOCATION_DLQ_URL is required");
    assertThatThrownBy(() -> InvokeSettings.fromEnvironment(tooLong))
        .hasMessageStartingWith("MAX_THROTTLE_DELAY must be at most PT15M");
  }

  private static Map<String, String> functionEnv() {
    Map<String, String> env = invokeEnv();
    env.remove("STATE_MACHINE_ARN");
    env.put("TARGET_FUNCTION", "arn:aws:lambda:eu-west-1:123456789012:function:process:live");
    return env;
  }

  @Test
  void invoke_whenAFunctionIsTheTarget_defaults() {
    InvokeSettings s = InvokeSettings.fromEnvironment(functionEnv());

    assertThat(s.stateMachineArn()).isNull();
    assertThat(s.targetFunction())
        .isEqualTo(
            new LambdaSettings(
                "arn:aws:lambda:eu-west-1:123456789012:function:process:live",
                LambdaSettings.InvocationType.REQUEST_RESPONSE,
                true,
                Set.of()));
  }

  @Test
  void invoke_whenAFunctionIsTheTarget_readsHowToInvokeIt() {
    Map<String, String> env = functionEnv();
    env.put("TARGET_FUNCTION", "process");
    env.put("INVOCATION_TYPE", "Event");
    env.put("PERMANENT_ERROR_TYPES", " ValidationError, ,SchemaError ");
    env.put("RETRY_FUNCTION_ERRORS", "false");

    assertThat(InvokeSettings.fromEnvironment(env).targetFunction())
        .isEqualTo(
            new LambdaSettings(
                "process",
                LambdaSettings.InvocationType.EVENT,
                false,
                Set.of("ValidationError", "SchemaError")));
  }

  @Test
  void invoke_whenNeitherOrBothTargetsAreSet_namesBothVariables() {
    Map<String, String> neither = functionEnv();
    neither.remove("TARGET_FUNCTION");
    Map<String, String> both = functionEnv();
    both.put("STATE_MACHINE_ARN", "arn:aws:states:eu-west-1:123456789012:stateMachine:p");

    assertThatThrownBy(() -> InvokeSettings.fromEnvironment(neither))
        .hasMessageStartingWith("STATE_MACHINE_ARN or TARGET_FUNCTION is required");
    assertThatThrownBy(() -> InvokeSettings.fromEnvironment(both))
        .hasMessageStartingWith("STATE_MACHINE_ARN and TARGET_FUNCTION are both set");
  }

  @Test
  void invoke_whenAFunctionSettingIsWrong_namesTheVariable() {
    Map<String, String> badType = functionEnv();
    badType.put("INVOCATION_TYPE", "DryRun");
    Map<String, String> badName = functionEnv();
    badName.put("TARGET_FUNCTION", "arn:aws:states:eu-west-1:123456789012:stateMachine:p");
    Map<String, String> badRetry = functionEnv();
    badRetry.put("RETRY_FUNCTION_ERRORS", "sometimes");
    Map<String, String> notForMachines = invokeEnv();
    notForMachines.put("INVOCATION_TYPE", "Event");

    assertThatThrownBy(() -> InvokeSettings.fromEnvironment(badType))
        .hasMessage("INVOCATION_TYPE must be RequestResponse or Event, got 'DryRun'");
    assertThatThrownBy(() -> InvokeSettings.fromEnvironment(badName))
        .hasMessageStartingWith("TARGET_FUNCTION must be a Lambda function name or ARN");
    assertThatThrownBy(() -> InvokeSettings.fromEnvironment(badRetry))
        .hasMessageStartingWith("RETRY_FUNCTION_ERRORS must be true or false");
    assertThatThrownBy(() -> InvokeSettings.fromEnvironment(notForMachines))
        .hasMessageStartingWith("INVOCATION_TYPE applies only to a function target");
  }

  @Test
  void completion_whenMaxAttemptsIsNotAPositiveNumber_namesIt() {
    Map<String, String> env = new HashMap<>();
    env.put("STATE_MACHINE_ARN", "arn");
    env.put("TABLE_NAME", "t");
    env.put("EVENT_QUEUE_URL", "https://sqs/q");
    env.put("INVOCATION_DLQ_URL", "https://sqs/d");
    env.put("MAX_ATTEMPTS", "0");

    assertThatThrownBy(() -> CompletionSettings.fromEnvironment(env))
        .hasMessage("MAX_ATTEMPTS must be a whole number > 0, got '0'");
  }
}

package dev.sluice.serverless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
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

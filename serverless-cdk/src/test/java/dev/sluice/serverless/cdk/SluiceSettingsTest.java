package dev.sluice.serverless.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/** Reading and validating the context; no stack is synthesized here. */
class SluiceSettingsTest {

  private static Path dir;
  private static Path jar;

  @BeforeAll
  static void standInJar() {
    dir = SynthesizedSluice.tempDir();
    jar = SynthesizedSluice.standInJar(dir);
  }

  private static SluiceSettings read(Map<String, Object> context) {
    Map<String, Object> withJar = new HashMap<>(context);
    withJar.putIfAbsent("handlerJar", jar.toString());
    return SluiceSettings.fromContext(withJar::get, dir, "Sluice");
  }

  private static InvalidSettingException rejected(Map<String, Object> context) {
    try {
      read(context);
    } catch (InvalidSettingException e) {
      return e;
    }
    throw new AssertionError("accepted " + context);
  }

  @Test
  void fromContext_whenNothingGiven_documentedDefaults() {
    SluiceSettings settings = read(Map.of());
    assertThat(settings.pipeline()).isEqualTo("Sluice");
    assertThat(settings.wiring()).isEqualTo(Wiring.INTAKE_FUNCTION);
    assertThat(settings.bucketName()).isNull();
    assertThat(settings.prefix()).isEmpty();
    assertThat(settings.suffix()).isEmpty();
    assertThat(settings.maxReceiveCount()).isEqualTo(5);
    assertThat(settings.runtime()).isEqualTo(HandlerRuntime.JAVA_17);
    assertThat(settings.memoryMb()).isEqualTo(1024);
    assertThat(settings.schedule().expression()).isEqualTo("rate(1 minute)");
    assertThat(settings.schedule().every()).isEqualTo(Duration.ofMinutes(1));
    assertThat(settings.limit()).isEqualTo(50);
    assertThat(settings.maxInFlight()).isNull();
    assertThat(settings.smooth()).isFalse();
    assertThat(settings.maxAttempts()).isEqualTo(3);
    assertThat(settings.stateMachineArn()).isNull();
    assertThat(settings.oldestMessageAlarmSeconds()).isEqualTo(3600);
    assertThat(settings.alarmEmail()).isNull();
    assertThat(settings.schedulerReservedConcurrency()).isEqualTo(1);
    assertThat(settings.schedulerTimeout()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void fromContext_whenLimitNegative_messageNamesLimitAndTheValue() {
    InvalidSettingException e = rejected(Map.of("limit", "-5"));
    assertThat(e.key()).isEqualTo("limit");
    assertThat(e.getMessage()).isEqualTo("context limit must be >= 1, got -5");
  }

  @Test
  void fromContext_whenNumberIsNotANumber_messageNamesTheKey() {
    assertThat(rejected(Map.of("maxInFlight", "ten")).getMessage())
        .isEqualTo("context maxInFlight must be a whole number, got \"ten\"");
  }

  @Test
  void fromContext_whenJsonNumbersGiven_readsThem() {
    SluiceSettings settings = read(Map.of("limit", 7, "smooth", true, "maxReceiveCount", 9));
    assertThat(settings.limit()).isEqualTo(7);
    assertThat(settings.smooth()).isTrue();
    assertThat(settings.maxReceiveCount()).isEqualTo(9);
  }

  @Test
  void fromContext_whenRateSchedule_everyFollowsIt() {
    assertThat(read(Map.of("schedule", "rate(5 minutes)")).schedule().every())
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(read(Map.of("schedule", "rate(1 hour)", "every", "PT1H")).schedule().every())
        .isEqualTo(Duration.ofHours(1));
    assertThat(read(Map.of("schedule", "rate(1 hour)")).schedulerTimeout())
        .as("Lambda's longest timeout")
        .isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void fromContext_whenEveryDisagreesWithTheRate_messageNamesEvery() {
    InvalidSettingException e = rejected(Map.of("schedule", "rate(1 minute)", "every", "PT2M"));
    assertThat(e.key()).isEqualTo("every");
    assertThat(e.getMessage()).contains("rate(1 minute)").contains("PT1M").contains("PT2M");
  }

  @Test
  void fromContext_whenCronWithoutEvery_messageNamesEvery() {
    assertThat(rejected(Map.of("schedule", "cron(0/5 8-17 ? * MON-FRI *)")).key())
        .isEqualTo("every");
    assertThat(read(Map.of("schedule", "cron(0/5 8-17 ? * MON-FRI *)", "every", "PT5M")).schedule())
        .isEqualTo(new TickSchedule("cron(0/5 8-17 ? * MON-FRI *)", Duration.ofMinutes(5)));
  }

  @Test
  void fromContext_whenScheduleMalformed_messageNamesSchedule() {
    assertThat(rejected(Map.of("schedule", "every minute")).key()).isEqualTo("schedule");
    assertThat(rejected(Map.of("schedule", "rate(1 minutes)")).key()).isEqualTo("schedule");
    assertThat(rejected(Map.of("schedule", "rate(0 minutes)")).key()).isEqualTo("schedule");
    assertThat(rejected(Map.of("schedule", "at(2026-12-31T00:00:00)")).key()).isEqualTo("schedule");
  }

  @Test
  void fromContext_whenEveryUnderAMinute_messageNamesEvery() {
    assertThat(rejected(Map.of("schedule", "cron(* * * * ? *)", "every", "PT30S")).getMessage())
        .isEqualTo("context every must be at least PT1M, got PT30S");
  }

  @Test
  void fromContext_whenChoiceUnknown_messageListsTheChoices() {
    assertThat(rejected(Map.of("wiring", "sns")).getMessage())
        .isEqualTo("context wiring must be one of intake-function, direct, got \"sns\"");
    assertThat(rejected(Map.of("runtime", "java11")).getMessage())
        .isEqualTo("context runtime must be java17 or java21, got \"java11\"");
    assertThat(rejected(Map.of("smooth", "yes")).key()).isEqualTo("smooth");
  }

  @Test
  void fromContext_whenValuesOutOfRange_eachNamesItsKey() {
    assertThat(rejected(Map.of("maxReceiveCount", "0")).key()).isEqualTo("maxReceiveCount");
    assertThat(rejected(Map.of("maxAttempts", "0")).key()).isEqualTo("maxAttempts");
    assertThat(rejected(Map.of("memoryMb", "128")).key()).isEqualTo("memoryMb");
    assertThat(rejected(Map.of("oldestMessageAlarmSeconds", "10")).key())
        .isEqualTo("oldestMessageAlarmSeconds");
    assertThat(rejected(Map.of("schedulerReservedConcurrency", "0")).key())
        .isEqualTo("schedulerReservedConcurrency");
    assertThat(rejected(Map.of("pipeline", "has space")).key()).isEqualTo("pipeline");
  }

  @Test
  void fromContext_whenNamesMalformed_eachNamesItsKey() {
    assertThat(rejected(Map.of("bucketName", "Not_A_Bucket")).key()).isEqualTo("bucketName");
    assertThat(rejected(Map.of("stateMachineArn", "arn:aws:lambda:eu-west-1:1:function:f")).key())
        .isEqualTo("stateMachineArn");
    assertThat(rejected(Map.of("alarmEmail", "ops")).key()).isEqualTo("alarmEmail");
  }

  private static final String FUNCTION = "arn:aws:lambda:eu-west-1:123456789012:function:f";

  @Test
  void fromContext_whenNoTargetFunctionGiven_theTargetIsAStateMachine() {
    assertThat(read(Map.of()).targetFunction()).isNull();
  }

  @Test
  void fromContext_whenTargetFunctionGiven_requestResponseWaitingUpToLambdasLongestRun() {
    TargetFunction target = read(Map.of("targetFunctionArn", FUNCTION + ":live")).targetFunction();

    assertThat(target)
        .isEqualTo(
            new TargetFunction(
                FUNCTION + ":live", TargetFunction.InvocationType.REQUEST_RESPONSE, 900));
    assertThat(target.invokeTimeout(Duration.ofSeconds(60))).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void fromContext_whenEventOrAShortFunction_theInvokeTimeoutFollows() {
    TargetFunction event =
        read(Map.of("targetFunctionArn", FUNCTION, "invocationType", "Event")).targetFunction();
    TargetFunction quick =
        read(Map.of("targetFunctionArn", FUNCTION, "targetFunctionTimeoutSeconds", 10))
            .targetFunction();
    TargetFunction slow =
        read(Map.of("targetFunctionArn", FUNCTION, "targetFunctionTimeoutSeconds", "300"))
            .targetFunction();

    assertThat(event.invocationType()).isEqualTo(TargetFunction.InvocationType.EVENT);
    assertThat(event.invokeTimeout(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(60));
    assertThat(quick.invokeTimeout(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(60));
    assertThat(slow.invokeTimeout(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(330));
  }

  @Test
  void fromContext_whenBothTargetsGiven_messageNamesBothKeys() {
    InvalidSettingException e =
        rejected(
            Map.of(
                "targetFunctionArn",
                FUNCTION,
                "stateMachineArn",
                "arn:aws:states:eu-west-1:123456789012:stateMachine:orders"));

    assertThat(e.getMessage())
        .startsWith("context targetFunctionArn and stateMachineArn are both given")
        .contains("give only one of them");
  }

  @Test
  void fromContext_whenTargetFunctionSettingsWrong_eachNamesItsKey() {
    assertThat(rejected(Map.of("invocationType", "Event")).getMessage())
        .isEqualTo("context invocationType applies only with targetFunctionArn");
    assertThat(rejected(Map.of("targetFunctionTimeoutSeconds", "60")).key())
        .isEqualTo("targetFunctionTimeoutSeconds");
    assertThat(
            rejected(Map.of("targetFunctionArn", FUNCTION, "invocationType", "DryRun"))
                .getMessage())
        .isEqualTo("context invocationType must be RequestResponse or Event, got \"DryRun\"");
    assertThat(
            rejected(
                    Map.of(
                        "targetFunctionArn",
                        "arn:aws:states:eu-west-1:123456789012:stateMachine:orders"))
                .key())
        .isEqualTo("targetFunctionArn");
    assertThat(rejected(Map.of("targetFunctionArn", "process-object")).key())
        .as("a name alone cannot be granted: the ARN is required")
        .isEqualTo("targetFunctionArn");
    assertThat(
            rejected(Map.of("targetFunctionArn", FUNCTION, "targetFunctionTimeoutSeconds", "901"))
                .getMessage())
        .isEqualTo("context targetFunctionTimeoutSeconds must be between 1 and 900, got 901");
    assertThat(
            rejected(
                    Map.of(
                        "targetFunctionArn",
                        FUNCTION,
                        "invocationType",
                        "Event",
                        "targetFunctionTimeoutSeconds",
                        "60"))
                .key())
        .isEqualTo("targetFunctionTimeoutSeconds");
  }

  @Test
  void fromContext_whenNoneGivenForReservedConcurrency_noReservation() {
    assertThat(read(Map.of("schedulerReservedConcurrency", "none")).schedulerReservedConcurrency())
        .isNull();
  }

  @Test
  void fromContext_whenHandlerJarRelative_resolvedAgainstTheModuleDirectory() {
    SluiceSettings settings = read(Map.of("handlerJar", "sub/../" + jar.getFileName().toString()));
    assertThat(settings.handlerJar()).isEqualTo(jar.toAbsolutePath().normalize());
  }

  @Test
  void fromContext_whenHandlerJarMissing_messageSaysHowToBuildIt() {
    InvalidSettingException e = rejected(Map.of("handlerJar", "nowhere/sluice-serverless.jar"));
    assertThat(e.key()).isEqualTo("handlerJar");
    assertThat(e.getMessage())
        .contains(dir.resolve("nowhere/sluice-serverless.jar").toString())
        .contains("./mvnw -q -pl serverless -am package");
  }

  @Test
  void define_whenAppContextHasABadLimit_failsBeforeAnyStackNamingLimit() {
    App app =
        new App(
            AppProps.builder()
                .context(Map.of("limit", "-5", "handlerJar", jar.toString()))
                .outdir(dir.resolve("bad.out").toString())
                .build());
    assertThatThrownBy(() -> SluiceApp.define(app, dir))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage("context limit must be >= 1, got -5");
    assertThat(app.getNode().getChildren()).isEmpty();
  }

  @Test
  void arguments_whenKeyValuePairs_becomeContext() {
    assertThat(SluiceApp.arguments(new String[] {"limit=5", "schedule=rate(2 minutes)"}))
        .containsExactly(Map.entry("limit", "5"), Map.entry("schedule", "rate(2 minutes)"));
    assertThatThrownBy(() -> SluiceApp.arguments(new String[] {"limit"}))
        .hasMessageContaining("key=value");
  }
}

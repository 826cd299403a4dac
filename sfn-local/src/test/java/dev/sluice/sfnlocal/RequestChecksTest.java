package dev.sluice.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ValidationException;

class RequestChecksTest {

  private LocalStepFunctions sfn;
  private SfnClient client;
  private String machine;

  @BeforeEach
  void start() {
    sfn = LocalStepFunctions.builder().stateMachine("ingest").start();
    client = SfnClients.of(sfn);
    machine = sfn.stateMachineArn("ingest");
  }

  @AfterEach
  void stop() {
    client.close();
    sfn.close();
  }

  @Test
  void name_of81Characters_isAModelConstraintViolation_asAwsAnswersIt() {
    String name = "n".repeat(81);

    ValidationException e =
        catchThrowableOfType(
            ValidationException.class,
            () -> client.startExecution(r -> r.stateMachineArn(machine).name(name)));

    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.awsErrorDetails().errorMessage())
        .isEqualTo(
            "1 validation error detected: Value '"
                + name
                + "' at 'name' failed to satisfy constraint: "
                + "Member must have length less than or equal to 80");
    assertThat(sfn.recording().executions()).isEmpty();
  }

  @Test
  void name_of80Characters_isTaken() {
    String name = "n".repeat(80);
    client.startExecution(r -> r.stateMachineArn(machine).name(name));
    assertThat(sfn.recording().startedNames()).containsExactly(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "has space",
        "a/b",
        "tab\there",
        "a<b",
        "a{b",
        "a[b",
        "q?",
        "star*",
        "quote\"",
        "hash#",
        "pct%",
        "back\\slash",
        "caret^",
        "pipe|",
        "tilde~",
        "tick`",
        "dollar$",
        "amp&",
        "comma,",
        "semi;",
        "colon:",
        "bell\u0007",
        "del\u007f",
        "c1\u0085",
        "nbsp\u00a0",
        "fffe\ufffe"
      })
  void name_withAForbiddenCharacter_isInvalidName(String name) {
    InvalidNameException e =
        catchThrowableOfType(
            InvalidNameException.class,
            () -> client.startExecution(r -> r.stateMachineArn(machine).name(name)));

    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidName");
    assertThat(sfn.recording().executions()).isEmpty();
  }

  @Test
  void name_withLettersDigitsDotsDashesAndUnicodeLetters_isTaken() {
    List<String> names = List.of("part-00001_parquet.v2", "ünïcode-名前", "emoji-\uD83D\uDE00");
    for (String name : names) {
      client.startExecution(r -> r.stateMachineArn(machine).name(name));
    }
    assertThat(sfn.recording().startedNames()).containsExactlyElementsOf(names);
  }

  @Test
  void emptyName_isAModelConstraintViolation() {
    assertThat(
            catchThrowableOfType(
                ValidationException.class,
                () -> client.startExecution(r -> r.stateMachineArn(machine).name(""))))
        .hasMessageContaining("Member must have length greater than or equal to 1");
  }

  @Test
  void unknownStateMachine_isStateMachineDoesNotExist() {
    String unknown = sfn.stateMachineArn("nope");

    StateMachineDoesNotExistException e =
        catchThrowableOfType(
            StateMachineDoesNotExistException.class,
            () -> client.startExecution(r -> r.stateMachineArn(unknown).name("x")));

    assertThat(e.awsErrorDetails().errorMessage()).contains(unknown);
    assertThat(
            catchThrowableOfType(
                StateMachineDoesNotExistException.class,
                () -> client.listExecutions(r -> r.stateMachineArn(unknown))))
        .isNotNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not-an-arn",
        "arn:aws:states:us-east-1:123456789012:activity:ingest",
        "arn:aws:states:us-east-1:12345:stateMachine:ingest",
        "arn:aws:lambda:us-east-1:123456789012:stateMachine:ingest",
        "arn:aws:states:us-east-1:123456789012:stateMachine:"
      })
  void malformedStateMachineArn_isInvalidArn(String arn) {
    assertThat(
            catchThrowableOfType(
                InvalidArnException.class,
                () -> client.startExecution(r -> r.stateMachineArn(arn).name("x"))))
        .isNotNull();
  }

  @Test
  void missingStateMachineArn_isAModelConstraintViolation() {
    assertThat(
            catchThrowableOfType(
                ValidationException.class, () -> client.startExecution(r -> r.name("x"))))
        .hasMessageContaining(
            "Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"a\":}", "not json", "{} {}", ""})
  void inputThatIsNotOneJsonText_isInvalidExecutionInput(String input) {
    InvalidExecutionInputException e =
        catchThrowableOfType(
            InvalidExecutionInputException.class,
            () -> client.startExecution(r -> r.stateMachineArn(machine).name("x").input(input)));

    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidExecutionInput");
    assertThat(sfn.recording().executions()).isEmpty();
  }

  @Test
  void inputOfAnyJsonValue_isTaken() {
    client.startExecution(r -> r.stateMachineArn(machine).name("a").input("[1,2]"));
    client.startExecution(r -> r.stateMachineArn(machine).name("b").input("\"text\""));
    assertThat(sfn.recording().executions()).hasSize(2);
  }

  @Test
  void inputOfMoreThan256KibOfUtf8_isRefused_andUpTo256KibIsTaken() {
    String atLimit = "\"" + "x".repeat(262_144 - 2) + "\"";
    client.startExecution(r -> r.stateMachineArn(machine).name("at-limit").input(atLimit));

    // 87,382 characters, 262,146 bytes: within the model's length, over the byte limit.
    String overInBytes = "\"" + "€".repeat(87_381) + "\"";
    assertThat(
            catchThrowableOfType(
                InvalidExecutionInputException.class,
                () ->
                    client.startExecution(
                        r -> r.stateMachineArn(machine).name("bytes").input(overInBytes))))
        .isNotNull();
    String overInCharacters = "\"" + "x".repeat(262_144) + "\"";
    assertThat(
            catchThrowableOfType(
                ValidationException.class,
                () ->
                    client.startExecution(
                        r -> r.stateMachineArn(machine).name("chars").input(overInCharacters))))
        .hasMessageContaining("Value at 'input' failed to satisfy constraint");
    assertThat(sfn.recording().startedNames()).containsExactly("at-limit");
  }

  @Test
  void unknownExecution_isExecutionDoesNotExist_andMalformedOneIsInvalidArn() {
    String unknown = "arn:aws:states:us-east-1:123456789012:execution:ingest:never";
    ExecutionDoesNotExistException e =
        catchThrowableOfType(
            ExecutionDoesNotExistException.class,
            () -> client.describeExecution(r -> r.executionArn(unknown)));
    assertThat(e.awsErrorDetails().errorMessage()).contains(unknown);
    assertThat(
            catchThrowableOfType(
                ExecutionDoesNotExistException.class,
                () -> client.stopExecution(r -> r.executionArn(unknown))))
        .isNotNull();
    assertThat(
            catchThrowableOfType(
                InvalidArnException.class,
                () -> client.describeExecution(r -> r.executionArn(machine))))
        .isNotNull();
  }

  @Test
  void listExecutions_withATokenOfAnotherRequest_isInvalidToken() {
    for (int i = 0; i < 3; i++) {
      client.startExecution(r -> r.stateMachineArn(machine));
    }
    String token = client.listExecutions(r -> r.stateMachineArn(machine).maxResults(1)).nextToken();
    assertThat(token).isNotNull();

    assertThat(
            catchThrowableOfType(
                InvalidTokenException.class,
                () ->
                    client.listExecutions(
                        r -> r.stateMachineArn(machine).statusFilter("FAILED").nextToken(token))))
        .isNotNull();
    assertThat(
            catchThrowableOfType(
                InvalidTokenException.class,
                () -> client.listExecutions(r -> r.stateMachineArn(machine).nextToken("garbage!"))))
        .isNotNull();
  }

  @Test
  void listExecutions_outOfRangePageSizeAndUnknownFilter_areOneValidationException() {
    ValidationException e =
        catchThrowableOfType(
            ValidationException.class,
            () ->
                client.listExecutions(
                    r -> r.stateMachineArn(machine).maxResults(1001).statusFilter("DONE")));

    assertThat(e.awsErrorDetails().errorMessage())
        .startsWith("2 validation errors detected: ")
        .contains("Value 'DONE' at 'statusFilter' failed to satisfy constraint")
        .contains(
            "Value '1001' at 'maxResults' failed to satisfy constraint: "
                + "Member must have value less than or equal to 1000");
  }

  @Test
  void everyRefusal_isCountedAndStartsNothing() {
    client.startExecution(r -> r.stateMachineArn(machine).name("ok"));
    for (String bad : List.of("a b", "a/b", "x".repeat(81))) {
      assertThat(
              catchThrowableOfType(
                  SfnException.class,
                  () -> client.startExecution(r -> r.stateMachineArn(machine).name(bad))))
          .isNotNull();
    }

    assertThat(sfn.recording().startCounts()).isEqualTo(new StartExecutionCounts(1, 0, 3));
    assertThat(sfn.recording().startedNames()).containsExactly("ok");
  }
}

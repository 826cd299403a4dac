package dev.sluice.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.SluiceException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Bad files: one {@link ConfigException}, one line, naming the key (or the YAML line) at fault. */
class ConfigErrorsTest {

  private static String errorOf(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml));
    assertThat(e).as("expected a ConfigException for:\n%s", yaml).isNotNull();
    assertThat(e.getMessage()).doesNotContain("\n");
    return e.getMessage();
  }

  @Test
  void parse_whenStoreMaxSizeIsNotASize_namesStoreMaxSize() {
    assertThat(errorOf("store: { max-size: lots }\n")).startsWith("store.max-size: expected");
    assertThat(errorOf("store: { max-size: -1 }\n"))
        .isEqualTo("store.max-size: must be >= 0 (0 for no cap), got -1");
  }

  @Test
  void parse_whenWindowLimitNegative_namesLimitsWindowLimit() {
    assertThat(errorOf("limits: { window: { limit: -5, every: 1m } }\n"))
        .isEqualTo("limits.window.limit: must be > 0, got -5");
  }

  @Test
  void parse_whenWindowEveryZero_namesLimitsWindowEvery() {
    assertThat(errorOf("limits: { window: { limit: 5, every: 0s } }\n"))
        .startsWith("limits.window.every: must be a positive duration");
  }

  @Test
  void parse_whenRateNotPositive_namesLimitsRatePerSecond() {
    assertThat(errorOf("limits: { rate: { per-second: 0 } }\n"))
        .isEqualTo("limits.rate.per-second: must be > 0, got 0.0");
  }

  @Test
  void parse_whenMaxInFlightZero_namesLimitsConcurrency() {
    assertThat(errorOf("limits: { concurrency: { max-in-flight: 0 } }\n"))
        .isEqualTo("limits.concurrency.max-in-flight: must be >= 1, got 0");
  }

  @Test
  void parse_whenTargetTypeUnknown_listsTheValidOnes() {
    assertThat(errorOf("target: { type: foo }\n"))
        .isEqualTo(
            "target.type: unknown value 'foo' (expected log, command, http, step-functions, lambda)");
  }

  @Test
  void parse_whenStepFunctionsWithoutStateMachine_namesStateMachineArn() {
    assertThat(errorOf("target: { type: step-functions }\n"))
        .isEqualTo("target.state-machine-arn: must be set when type is step-functions");
  }

  @Test
  void parse_whenStateMachineArnMalformed_namesIt() {
    assertThat(errorOf("target: { type: step-functions, state-machine-arn: my-machine }\n"))
        .startsWith("target.state-machine-arn: must be arn:aws:states:");
  }

  @Test
  void parse_whenCompletionUnknown_listsTheValidOnes() {
    assertThat(
            errorOf(
                "target: { type: step-functions, completion: events, state-machine-arn:"
                    + " 'arn:aws:states:eu-west-1:123456789012:stateMachine:process' }\n"))
        .isEqualTo("target.completion: unknown value 'events' (expected poll, none)");
  }

  @Test
  void parse_whenLambdaWithoutFunction_namesFunction() {
    assertThat(errorOf("target: { type: lambda }\n"))
        .isEqualTo("target.function: must be set for type lambda");
  }

  @Test
  void parse_whenLambdaInvocationTypeUnknown_namesIt() {
    assertThat(errorOf("target: { type: lambda, function: f, invocation-type: DryRun }\n"))
        .isEqualTo("target.invocation-type: must be RequestResponse or Event, got DryRun");
  }

  @Test
  void parse_whenPortNotAnInteger_namesHttpPort() {
    assertThat(errorOf("http: { port: abc }\n"))
        .isEqualTo("http.port: expected an integer, got 'abc'");
    assertThat(errorOf("http: { port: 80.5 }\n"))
        .isEqualTo("http.port: expected an integer, got 80.5");
  }

  @Test
  void parse_whenPortOutOfRange_namesHttpPort() {
    assertThat(errorOf("http: { port: 70000 }\n"))
        .startsWith("http.port: must be between 0 and 65535");
  }

  @Test
  void parse_whenDispatcherLeadOutOfRange_namesDispatcherLead() {
    assertThat(errorOf("dispatcher: { lead: 2s }\n"))
        .isEqualTo("dispatcher.lead: must be between 0ms and 1s, got 2s");
    assertThat(errorOf("dispatcher: { lead: soon }\n"))
        .startsWith("dispatcher.lead: expected a duration like 500ms");
  }

  @Test
  void parse_whenTopLevelKeyUnknown_namesIt() {
    assertThat(errorOf("limts: { window: { limit: 5 } }\n"))
        .isEqualTo("unknown key 'limts' at top level (did you mean 'limits'?)");
  }

  @Test
  void parse_whenNestedKeyUnknown_namesItAndItsSection() {
    assertThat(errorOf("limits:\n  window: { limit: 5, evry: 1m }\n"))
        .isEqualTo("unknown key 'evry' in limits.window (did you mean 'every'?)");
    assertThat(errorOf("http: { colour: blue }\n"))
        .isEqualTo(
            "unknown key 'colour' in http (expected one of host, port, max-body, control-token, allow-unprotected)");
  }

  @Test
  void parse_whenDurationMalformed_namesKeyAndAcceptedForms() {
    assertThat(errorOf("retry: { initial-backoff: 2 seconds }\n"))
        .isEqualTo(
            "retry.initial-backoff: expected a duration like 500ms, 2s, 1m, 1h or PT2S,"
                + " got '2 seconds'");
    assertThat(errorOf("dispatcher: { lease: 300 }\n"))
        .isEqualTo("dispatcher.lease: expected a duration like 500ms, 2s, 1m, 1h or PT2S, got 300");
  }

  @Test
  void parse_whenMaxBodyHasDecimalUnit_namesHttpMaxBody() {
    assertThat(errorOf("http: { max-body: 1MB }\n"))
        .isEqualTo("http.max-body: expected a size like 1048576, 512KiB or 1MiB, got '1MB'");
  }

  @Test
  void parse_whenBackoffsInverted_namesMaxBackoff() {
    assertThat(errorOf("retry: { initial-backoff: 1m, max-backoff: 10s }\n"))
        .isEqualTo("retry.max-backoff: must be >= initial-backoff (1m), got 10s");
  }

  @Test
  void parse_whenCommandTargetWithoutCommand_namesTargetCommand() {
    assertThat(errorOf("target: { type: command }\n"))
        .startsWith("target.command: must name a program when type is command");
  }

  @Test
  void parse_whenHttpTargetWithoutHttpUrl_namesTargetUrl() {
    assertThat(errorOf("target: { type: http }\n"))
        .isEqualTo(
            "target.url: must be an http or https URL with a host when type is http, got nothing");
    assertThat(errorOf("target: { type: http, url: 'ftp://files.example.com/x' }\n"))
        .startsWith("target.url: must be an http or https URL")
        .endsWith("got 'ftp://files.example.com/x'");
  }

  @Test
  void parse_whenTargetTimeoutNotPositive_namesTargetTimeoutWhateverTheType() {
    assertThat(errorOf("target: { type: http, url: 'http://jobs.example.com/', timeout: 0s }\n"))
        .isEqualTo("target.timeout: must be a positive duration, got 0s");
    assertThat(errorOf("target: { timeout: 0s }\n"))
        .isEqualTo("target.timeout: must be a positive duration, got 0s");
  }

  @Test
  void parse_whenHeaderReservedByTheHttpTarget_namesTargetHeaders() {
    assertThat(
            errorOf(
                "target: { type: http, url: 'http://jobs.example.com/',"
                    + " headers: { Idempotency-Key: x } }\n"))
        .startsWith("target.headers: must not set Idempotency-Key");
  }

  @Test
  void parse_whenEndpointHasNoHost_namesTargetEndpoint() {
    assertThat(errorOf("target: { type: lambda, function: f, endpoint: 'localhost' }\n"))
        .isEqualTo("target.endpoint: must be an http or https URL with a host, got 'localhost'");
  }

  @Test
  void parse_whenHeaderNameInvalid_namesTargetHeaders() {
    assertThat(errorOf("target: { headers: { 'X Bad': 1 } }\n"))
        .isEqualTo("target.headers: must have valid HTTP header names, got 'X Bad'");
  }

  @Test
  void parse_whenOnlyAccessKeySet_namesSecretKey() {
    assertThat(errorOf("s3-endpoint: { access-key: AKID }\n"))
        .isEqualTo("s3-endpoint.secret-key: must be set when access-key is set");
  }

  @Test
  void parse_whenBucketNameInvalid_namesTheBucket() {
    assertThat(errorOf("s3-endpoint: { buckets: [data, My_Bucket] }\n"))
        .startsWith("s3-endpoint.buckets[1]: must be a valid bucket name")
        .endsWith("got 'My_Bucket'");
  }

  @Test
  void parse_whenEndpointAndHttpShareAPort_namesS3EndpointPort() {
    assertThat(errorOf("http: { port: 9000 }\n"))
        .isEqualTo("s3-endpoint.port: must differ from http.port on the same host, got 9000");
  }

  @Test
  void parse_whenSectionIsNotAMapping_namesIt() {
    assertThat(errorOf("retry: 5\n")).isEqualTo("retry: expected a mapping, got 5");
  }

  @Test
  void parse_whenBooleanMalformed_namesIt() {
    assertThat(errorOf("s3-endpoint: { enabled: sometimes }\n"))
        .isEqualTo("s3-endpoint.enabled: expected true or false, got 'sometimes'");
  }

  @Test
  void parse_whenSynchronousUnknown_listsTheValidOnes() {
    assertThat(errorOf("store: { synchronous: 'off' }\n"))
        .isEqualTo("store.synchronous: unknown value 'off' (expected full, normal)");
  }

  @Test
  void parse_whenYamlTurnedAWordIntoABoolean_saysToQuoteIt() {
    // YAML 1.1 reads a bare off as false: the message must not just say "got false".
    assertThat(errorOf("store: { synchronous: off }\n"))
        .startsWith("store.synchronous: expected one of full, normal, got false")
        .contains("quote the value");
    assertThat(errorOf("s3-endpoint: { region: no }\n"))
        .startsWith("s3-endpoint.region: expected a string, got false")
        .contains("quote the value");
  }

  @Test
  void parse_whenYamlSyntaxBroken_givesOneLineWithLineNumber() {
    String yaml = "http:\n  port: 8080\n   host: 127.0.0.1\n";

    assertThat(errorOf(yaml)).startsWith("invalid YAML at line 3, column ").contains("not allowed");
  }

  @Test
  void parse_whenFlowSequenceUnclosed_givesOneLineWithLineNumber() {
    assertThat(errorOf("s3-endpoint:\n  buckets: [a, b\nstore: {}\n"))
        .startsWith("invalid YAML at line 3, column ");
  }

  @Test
  void parse_whenKeyRepeated_givesOneLineWithLineNumber() {
    assertThat(errorOf("data-dir: a\ndata-dir: b\n"))
        .startsWith("invalid YAML at line 2")
        .contains("data-dir");
  }

  @Test
  void parse_whenTopLevelIsAList_saysSo() {
    assertThat(errorOf("- a\n- b\n"))
        .isEqualTo("expected a mapping of keys at top level, got a list");
  }

  @Test
  void load_whenFileMissing_namesTheFile() {
    Path missing = Path.of("does-not-exist", "sluice.yaml");

    assertThatThrownBy(() -> ConfigLoader.load(missing))
        .isInstanceOf(ConfigException.class)
        .isInstanceOf(SluiceException.class)
        .hasMessage("config file not found: " + missing);
  }
}

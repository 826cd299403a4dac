package dev.sluice.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SfnException;

class SignatureAndProtocolTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SIGNED =
      "AWS4-HMAC-SHA256 Credential=AKIDLOCALTEST/20261201/us-east-1/states/aws4_request, "
          + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=abc123";

  private LocalStepFunctions sfn;
  private final HttpClient http = HttpClient.newHttpClient();
  private String startBody;

  @BeforeEach
  void start() {
    sfn = LocalStepFunctions.builder().stateMachine("ingest").start();
    startBody = "{\"stateMachineArn\":\"" + sfn.stateMachineArn("ingest") + "\",\"name\":\"raw\"}";
  }

  @AfterEach
  void stop() {
    sfn.close();
  }

  @Test
  void theSdkWithoutCredentials_sendsNoSignature_andIsRefused() {
    try (SfnClient unsigned =
        SfnClients.of(sfn, Region.US_EAST_1, AnonymousCredentialsProvider.create())) {
      SfnException e =
          catchThrowableOfType(
              SfnException.class,
              () ->
                  unsigned.startExecution(
                      r -> r.stateMachineArn(sfn.stateMachineArn("ingest")).name("x")));

      assertThat(e.statusCode()).isEqualTo(400);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MissingAuthenticationTokenException");
      assertThat(e.awsErrorDetails().errorMessage())
          .isEqualTo("Request is missing Authentication Token");
    }
    assertThat(sfn.recording().executions()).isEmpty();
    assertThat(sfn.recording().startCounts()).isEqualTo(new StartExecutionCounts(0, 0, 1));
  }

  @Test
  void aRequestWithoutAuthorization_isAnsweredAsTheServiceDoes() throws Exception {
    HttpResponse<String> r = post("AWSStepFunctions.StartExecution", null, startBody);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("x-amzn-ErrorType").orElseThrow())
        .startsWith("MissingAuthenticationTokenException:");
    assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("__type").asText())
        .isEqualTo("com.amazon.coral.service#MissingAuthenticationTokenException");
    assertThat(body.get("message").asText()).isEqualTo("Request is missing Authentication Token");
    assertThat(sfn.recording().executions()).isEmpty();
  }

  @Test
  void anAuthorizationWithoutItsParts_isAnIncompleteSignature() throws Exception {
    HttpResponse<String> r =
        post("AWSStepFunctions.StartExecution", "AWS4-HMAC-SHA256 Credential=x", startBody);

    assertThat(JSON.readTree(r.body()).get("__type").asText())
        .isEqualTo("com.amazon.coral.service#IncompleteSignatureException");
    assertThat(JSON.readTree(r.body()).get("message").asText())
        .contains("requires 'Signature' parameter")
        .contains("requires 'SignedHeaders' parameter");
  }

  @Test
  void aSignatureForAnotherRegion_isRefused_butItsValueIsNeverChecked() throws Exception {
    try (SfnClient otherRegion = SfnClients.of(sfn, Region.US_WEST_2, SfnClients.DUMMY_KEYS)) {
      SfnException e =
          catchThrowableOfType(
              SfnException.class,
              () ->
                  otherRegion.startExecution(
                      r -> r.stateMachineArn(sfn.stateMachineArn("ingest")).name("x")));
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
      assertThat(e.awsErrorDetails().errorMessage()).contains("not 'us-west-2'");
    }

    // A well-formed header with a made-up signature passes.
    HttpResponse<String> r = post("AWSStepFunctions.StartExecution", SIGNED, startBody);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow())
        .isEqualTo("application/x-amz-json-1.0");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("executionArn").asText()).endsWith(":execution:ingest:raw");
    // Dates travel as epoch seconds with a fraction, as the JSON protocol carries them.
    assertThat(body.get("startDate").isNumber()).isTrue();
    assertThat(r.body()).containsPattern("\"startDate\":\\d{10}\\.\\d{3}[,}]");
  }

  @Test
  void aBodyThatIsNotJson_isASerializationException() throws Exception {
    HttpResponse<String> r = post("AWSStepFunctions.StartExecution", SIGNED, "{not json");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).get("__type").asText())
        .isEqualTo("com.amazon.coral.service#SerializationException");
    assertThat(sfn.recording().startCounts().refused()).isEqualTo(1);
  }

  @Test
  void anUnknownTarget_isAnUnknownOperation_andAnOperationNotServedHereSaysSo() throws Exception {
    HttpResponse<String> unknown = post("DynamoDB_20120810.ListTables", SIGNED, "{}");
    assertThat(JSON.readTree(unknown.body()).get("__type").asText())
        .isEqualTo("com.amazon.coral.service#UnknownOperationException");

    HttpResponse<String> notHere = post("AWSStepFunctions.CreateStateMachine", SIGNED, "{}");
    assertThat(notHere.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(notHere.body()).get("message").asText())
        .contains("CreateStateMachine");
  }

  @Test
  void anotherContentTypeOrMethod_isNotTheJsonProtocol() throws Exception {
    HttpRequest form =
        HttpRequest.newBuilder(sfn.endpoint())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-Amz-Target", "AWSStepFunctions.StartExecution")
            .header("Authorization", SIGNED)
            .header("X-Amz-Date", "20261201T100000Z")
            .POST(HttpRequest.BodyPublishers.ofString(startBody))
            .build();
    assertThat(http.send(form, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    HttpRequest get = HttpRequest.newBuilder(sfn.endpoint()).GET().build();
    assertThat(http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    assertThat(sfn.recording().executions()).isEmpty();
  }

  private HttpResponse<String> post(String target, String authorization, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(sfn.endpoint() + "/"))
            .header("Content-Type", "application/x-amz-json-1.0")
            .header("X-Amz-Target", target)
            .header("X-Amz-Date", "20261201T100000Z")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}

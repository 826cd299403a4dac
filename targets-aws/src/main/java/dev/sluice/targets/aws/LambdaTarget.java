package dev.sluice.targets.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchOutcome;
import dev.sluice.targets.BatchItemFailures;
import dev.sluice.targets.BatchJson;
import dev.sluice.targets.JobJson;
import java.io.IOException;
import java.time.Duration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/**
 * Invokes a Lambda function per job with the job's JSON as the payload (its {@code idempotencyKey}
 * lets the function deduplicate).
 *
 * <p>{@code RequestResponse}: the function's answer is the outcome; a function error (the function
 * ran and threw) is a failure, retried or not as {@link LambdaSettings} says, with the error type
 * and message kept on the dead letter. {@code Event}: Lambda queues the invocation (HTTP 202) and
 * the job is done then; Lambda runs and retries it on its own, and no end of the run comes back
 * here, so max-in-flight bounds the calls, not the runs. Throttling ({@code
 * TooManyRequestsException}, 429) is {@link Outcome.Throttled}, honouring its retry-after.
 */
public final class LambdaTarget implements Target {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final LambdaClient lambda;
  private final LambdaSettings settings;
  private final boolean ownsClient;

  /**
   * @param ownsClient whether {@link #close()} closes {@code lambda}
   */
  public LambdaTarget(LambdaClient lambda, LambdaSettings settings, boolean ownsClient) {
    this.lambda = lambda;
    this.settings = settings;
    this.ownsClient = ownsClient;
  }

  @Override
  public Outcome deliver(Job job) {
    return deliver(job, Arrival.IGNORED);
  }

  @Override
  public Outcome deliver(Job job, Arrival arrival) {
    return invoke(JobJson.toJson(job), arrival);
  }

  /**
   * One invocation for the whole batch, with the batch's document ({@link BatchJson}) as the
   * payload. {@code RequestResponse}: a function error fails every member; otherwise an answer with
   * {@code batchItemFailures} naming members by their {@code idempotencyKey} fails only those
   * ({@link BatchItemFailures}), the shape a Lambda function already returns to SQS. {@code Event}:
   * no answer comes back, so every member is done once Lambda queued the invocation.
   */
  @Override
  public BatchOutcome deliverBatch(Batch batch, Arrival arrival) {
    Invoked invoked = call(BatchJson.toJson(batch), arrival);
    if (!(invoked.outcome() instanceof Outcome.Completed) || invoked.answer() == null) {
      return BatchOutcome.all(invoked.outcome());
    }
    return BatchItemFailures.read(batch, invoked.answer(), describe());
  }

  /**
   * Invokes the function with {@code payload} (JSON text) and reads the answer as {@link
   * #deliver(Job)} does: for callers whose payload is not a job of {@code sluice serve}, such as
   * the serverless invoke function, which sends the execution input of one attempt.
   */
  public Outcome invoke(String payload) {
    return invoke(payload, Arrival.IGNORED);
  }

  private Outcome invoke(String payload, Arrival arrival) {
    return call(payload, arrival).outcome();
  }

  /** An invocation's outcome, and the function's answer when it returned one without error. */
  private record Invoked(Outcome outcome, String answer) {}

  private Invoked call(String payload, Arrival arrival) {
    InvokeResponse r;
    try {
      r =
          lambda.invoke(
              b ->
                  b.functionName(settings.functionName())
                      .invocationType(settings.invocationType().wire)
                      .payload(SdkBytes.fromUtf8String(payload)));
    } catch (TooManyRequestsException e) {
      Duration wait = null;
      if (e.retryAfterSeconds() != null) {
        try {
          wait = Duration.ofSeconds(Long.parseLong(e.retryAfterSeconds().trim()));
        } catch (NumberFormatException ignored) {
          // the backoff decides
        }
      }
      return new Invoked(
          Outcome.throttled(wait, "Invoke: TooManyRequestsException: " + e.getMessage()), null);
    } catch (SdkException e) {
      return new Invoked(AwsOutcomes.of("Invoke", e), null);
    }
    arrival.arrived();
    if (r.functionError() == null) {
      return new Invoked(
          Outcome.completed(), r.payload() == null ? null : r.payload().asUtf8String());
    }
    return new Invoked(functionError(r), null);
  }

  private Outcome functionError(InvokeResponse r) {
    String type = r.functionError();
    String message = "";
    String text = r.payload() == null ? "" : r.payload().asUtf8String();
    try {
      JsonNode body = MAPPER.readTree(text);
      if (body != null && body.hasNonNull("errorType")) {
        type = body.get("errorType").asText();
      }
      if (body != null && body.hasNonNull("errorMessage")) {
        message = body.get("errorMessage").asText();
      }
    } catch (IOException notJson) {
      message = text;
    }
    String error =
        AwsOutcomes.clip("function error " + type + (message.isEmpty() ? "" : ": " + message));
    boolean retryable =
        settings.functionErrorsRetryable() && !settings.permanentErrorTypes().contains(type);
    return retryable ? Outcome.retryable(error) : Outcome.permanent(error);
  }

  @Override
  public String describe() {
    return "lambda " + settings.functionName() + " (" + settings.invocationType().wire + ")";
  }

  @Override
  public void close() {
    if (ownsClient) {
      lambda.close();
    }
  }
}

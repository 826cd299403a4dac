package dev.sluice.serverless.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * Which execution names one scheduler invocation put on the invocation queue: an interceptor on the
 * scheduler's SQS client that reads every {@code SendMessageBatch} to that queue and keeps the
 * execution names of the entries SQS answered as successful. An invocation is marked by running it
 * inside {@link #during}; the SDK's synchronous client runs interceptors on the calling thread.
 *
 * <p>This is what makes counting invocations per tick exact: an execution belongs to the tick whose
 * scheduler invocation sent its name, whenever it started.
 */
public final class ReleasedNames implements ExecutionInterceptor {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String invocationQueueUrl;
  private final ThreadLocal<List<String>> current = new ThreadLocal<>();

  public ReleasedNames(String invocationQueueUrl) {
    this.invocationQueueUrl = Objects.requireNonNull(invocationQueueUrl, "invocationQueueUrl");
  }

  /** Runs {@code invocation} and returns what it returned with the names it sent, in order. */
  public <T> Marked<T> during(Supplier<T> invocation) {
    List<String> names = new ArrayList<>();
    List<String> outer = current.get();
    current.set(names);
    try {
      T result = invocation.get();
      return new Marked<>(result, List.copyOf(names));
    } finally {
      if (outer == null) {
        current.remove();
      } else {
        current.set(outer);
      }
    }
  }

  /**
   * What an invocation returned and the names it sent.
   *
   * @param result the invocation's result
   * @param names the execution names SQS took, in the order they were sent
   */
  public record Marked<T>(T result, List<String> names) {}

  @Override
  public void afterExecution(
      Context.AfterExecution context, ExecutionAttributes executionAttributes) {
    List<String> names = current.get();
    if (names == null
        || !(context.request() instanceof SendMessageBatchRequest request)
        || !(context.response() instanceof SendMessageBatchResponse response)
        || !invocationQueueUrl.equals(request.queueUrl())) {
      return;
    }
    Set<String> successful = new HashSet<>();
    for (SendMessageBatchResultEntry e : response.successful()) {
      successful.add(e.id());
    }
    for (SendMessageBatchRequestEntry entry : request.entries()) {
      if (successful.contains(entry.id())) {
        names.add(executionName(entry.messageBody()));
      }
    }
  }

  private static String executionName(String body) {
    try {
      JsonNode name = JSON.readTree(body).get("executionName");
      return name == null ? "(no execution name)" : name.asText();
    } catch (IOException e) {
      return "(unreadable body)";
    }
  }
}

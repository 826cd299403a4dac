package dev.sluice.sources.sqs;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * ElasticMQ embedded in the test JVM, and an SDK client for it that counts the SQS calls it makes
 * by operation name (the source's client and the test's own are separate, so the counts are the
 * source's alone).
 */
final class LocalSqs implements AutoCloseable {
  private final SQSRestServer server;
  private final URI endpoint;
  private final SqsClient testClient;

  LocalSqs() {
    server = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
    int port = server.waitUntilStarted().localAddress().getPort();
    endpoint = URI.create("http://127.0.0.1:" + port);
    testClient = client(new CallCounter()).httpClient(UrlConnectionHttpClient.create()).build();
  }

  URI endpoint() {
    return endpoint;
  }

  /** A client of this server whose calls {@code counter} counts, before its HTTP client is set. */
  SqsClientBuilder client(CallCounter counter) {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        .overrideConfiguration(c -> c.addExecutionInterceptor(counter));
  }

  /** The test's own client, for sending and inspecting. */
  SqsClient sqs() {
    return testClient;
  }

  URI createQueue(String name, int visibilitySeconds) {
    return URI.create(
        testClient
            .createQueue(
                b ->
                    b.queueName(name)
                        .attributes(
                            Map.of(
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                String.valueOf(visibilitySeconds))))
            .queueUrl());
  }

  /** A queue whose messages move to {@code deadLetterQueue} after {@code maxReceiveCount}. */
  URI createQueueWithRedrive(
      String name, int visibilitySeconds, URI deadLetterQueue, int maxReceiveCount) {
    String dlqArn =
        testClient
            .getQueueAttributes(
                b ->
                    b.queueUrl(deadLetterQueue.toString())
                        .attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    String redrive =
        "{\"maxReceiveCount\":\""
            + maxReceiveCount
            + "\",\"deadLetterTargetArn\":\""
            + dlqArn
            + "\"}";
    return URI.create(
        testClient
            .createQueue(
                b ->
                    b.queueName(name)
                        .attributes(
                            Map.of(
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                String.valueOf(visibilitySeconds),
                                QueueAttributeName.REDRIVE_POLICY,
                                redrive)))
            .queueUrl());
  }

  /** Sends the bodies ten to a SendMessageBatch call. */
  void send(URI queue, List<String> bodies) {
    for (int from = 0; from < bodies.size(); from += 10) {
      List<String> chunk = bodies.subList(from, Math.min(bodies.size(), from + 10));
      List<SendMessageBatchRequestEntry> entries =
          java.util.stream.IntStream.range(0, chunk.size())
              .mapToObj(
                  i ->
                      SendMessageBatchRequestEntry.builder()
                          .id("m" + i)
                          .messageBody(chunk.get(i))
                          .build())
              .toList();
      var response =
          testClient.sendMessageBatch(b -> b.queueUrl(queue.toString()).entries(entries));
      if (!response.failed().isEmpty()) {
        throw new AssertionError("send failed: " + response.failed());
      }
    }
  }

  /** Messages on the queue, visible or not: SQS's two approximate counts, exact on ElasticMQ. */
  long messagesOn(URI queue) {
    var attributes =
        testClient
            .getQueueAttributes(
                b ->
                    b.queueUrl(queue.toString())
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Long.parseLong(
            attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  /** One short receive by another consumer: the messages visible right now (up to 10). */
  List<Message> receiveVisible(URI queue, int visibilitySeconds) {
    return testClient
        .receiveMessage(
            b ->
                b.queueUrl(queue.toString())
                    .maxNumberOfMessages(10)
                    .waitTimeSeconds(0)
                    .visibilityTimeout(visibilitySeconds))
        .messages();
  }

  @Override
  public void close() {
    testClient.close();
    server.stopAndWait();
  }

  /** Counts SDK calls by operation name (ReceiveMessage, DeleteMessageBatch, ...). */
  static final class CallCounter implements ExecutionInterceptor {
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
      calls.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    }

    long calls(String operation) {
      AtomicLong n = calls.get(operation);
      return n == null ? 0 : n.get();
    }

    long total() {
      return calls.values().stream().mapToLong(AtomicLong::get).sum();
    }

    @Override
    public String toString() {
      return calls.toString();
    }
  }
}

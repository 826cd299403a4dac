package dev.sluice.e2e;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * ElasticMQ embedded in the test JVM, with a queue of notifications and its dead-letter queue
 * (redrive after {@code maxReceiveCount} receives), as a bucket's S3 -> SQS notifications would
 * use.
 */
final class LocalQueues implements AutoCloseable {
  private final SQSRestServer server;
  private final URI endpoint;
  private final SqsClient sqs;
  private final URI queue;
  private final URI deadLetterQueue;

  LocalQueues(int visibilitySeconds, int maxReceiveCount) {
    server = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
    endpoint = URI.create("http://127.0.0.1:" + server.waitUntilStarted().localAddress().getPort());
    sqs =
        SqsClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    deadLetterQueue = URI.create(sqs.createQueue(b -> b.queueName("events-dlq")).queueUrl());
    String dlqArn =
        sqs.getQueueAttributes(
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
    queue =
        URI.create(
            sqs.createQueue(
                    b ->
                        b.queueName("events")
                            .attributes(
                                Map.of(
                                    QueueAttributeName.VISIBILITY_TIMEOUT,
                                    String.valueOf(visibilitySeconds),
                                    QueueAttributeName.REDRIVE_POLICY,
                                    redrive)))
                .queueUrl());
  }

  URI endpoint() {
    return endpoint;
  }

  URI queue() {
    return queue;
  }

  URI deadLetterQueue() {
    return deadLetterQueue;
  }

  /** Sends the bodies to the queue, ten to a SendMessageBatch call. */
  void send(List<byte[]> bodies) {
    for (int from = 0; from < bodies.size(); from += 10) {
      List<byte[]> chunk = bodies.subList(from, Math.min(bodies.size(), from + 10));
      List<SendMessageBatchRequestEntry> entries =
          IntStream.range(0, chunk.size())
              .mapToObj(
                  i ->
                      SendMessageBatchRequestEntry.builder()
                          .id("m" + i)
                          .messageBody(
                              new String(chunk.get(i), java.nio.charset.StandardCharsets.UTF_8))
                          .build())
              .toList();
      var response = sqs.sendMessageBatch(b -> b.queueUrl(queue.toString()).entries(entries));
      if (!response.failed().isEmpty()) {
        throw new AssertionError("SendMessageBatch failed: " + response.failed());
      }
    }
  }

  /** Messages on {@code q}, visible or in flight (not yet deleted). */
  long messagesOn(URI q) {
    var a =
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(q.toString())
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  @Override
  public void close() {
    sqs.close();
    server.stopAndWait();
  }
}

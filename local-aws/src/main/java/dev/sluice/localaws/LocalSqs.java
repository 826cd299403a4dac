package dev.sluice.localaws;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * An SQS-compatible server (ElasticMQ) embedded in this JVM on 127.0.0.1, with a client of its own
 * for creating queues and looking at them. Standard queues only.
 */
public final class LocalSqs implements AutoCloseable {
  private final SQSRestServer server;
  private final URI endpoint;
  private final SqsClient client;

  private LocalSqs(SQSRestServer server, URI endpoint) {
    this.server = server;
    this.endpoint = endpoint;
    this.client = LocalClients.sqs(endpoint);
  }

  /** Starts a server on a free port; returns once it listens. */
  public static LocalSqs start() {
    SQSRestServer server = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
    int port = server.waitUntilStarted().localAddress().getPort();
    return new LocalSqs(server, URI.create("http://127.0.0.1:" + port));
  }

  public URI endpoint() {
    return endpoint;
  }

  /** This server's own client, shared; closed by {@link #close()}. */
  public SqsClient client() {
    return client;
  }

  /** A standard queue. */
  public URI createQueue(String name, int visibilitySeconds) {
    return URI.create(
        client
            .createQueue(
                b ->
                    b.queueName(name)
                        .attributes(
                            Map.of(
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                String.valueOf(visibilitySeconds))))
            .queueUrl());
  }

  /**
   * A standard queue and its dead-letter queue ({@code <name>-dlq}): a message received {@code
   * maxReceiveCount} times without being deleted moves to the dead-letter queue.
   */
  public QueueWithDeadLetter createQueueWithDeadLetter(
      String name, int visibilitySeconds, int maxReceiveCount) {
    URI dlq = createQueue(name + "-dlq", visibilitySeconds);
    String dlqArn =
        client
            .getQueueAttributes(
                b -> b.queueUrl(dlq.toString()).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    String redrive =
        "{\"maxReceiveCount\":\""
            + maxReceiveCount
            + "\",\"deadLetterTargetArn\":\""
            + dlqArn
            + "\"}";
    URI queue =
        URI.create(
            client
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
    return new QueueWithDeadLetter(queue, dlq);
  }

  /**
   * A queue and the queue its dead letters go to.
   *
   * @param queue the queue's URL
   * @param deadLetterQueue its dead-letter queue's URL
   */
  public record QueueWithDeadLetter(URI queue, URI deadLetterQueue) {}

  /** Sends the bodies, ten to a SendMessageBatch call; any failed entry is an error. */
  public void send(URI queue, List<String> bodies) {
    for (int from = 0; from < bodies.size(); from += 10) {
      List<String> chunk = bodies.subList(from, Math.min(bodies.size(), from + 10));
      List<SendMessageBatchRequestEntry> entries =
          IntStream.range(0, chunk.size())
              .mapToObj(
                  i ->
                      SendMessageBatchRequestEntry.builder()
                          .id(String.valueOf(i))
                          .messageBody(chunk.get(i))
                          .build())
              .toList();
      var response = client.sendMessageBatch(b -> b.queueUrl(queue.toString()).entries(entries));
      if (!response.failed().isEmpty()) {
        throw new IllegalStateException("SendMessageBatch failed: " + response.failed());
      }
    }
  }

  /** Messages on the queue, visible or not (SQS's approximate counts, exact on ElasticMQ). */
  public long messagesOn(URI queue) {
    var attributes =
        client
            .getQueueAttributes(
                b ->
                    b.queueUrl(queue.toString())
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
            .attributes();
    return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Long.parseLong(
            attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        + Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
  }

  /**
   * Receives and deletes every message visible now, delayed ones included once their delay is over
   * only: returns their bodies in the order received.
   */
  public List<Message> drain(URI queue) {
    List<Message> all = new ArrayList<>();
    while (true) {
      List<Message> got =
          client
              .receiveMessage(
                  b ->
                      b.queueUrl(queue.toString())
                          .maxNumberOfMessages(10)
                          .waitTimeSeconds(0)
                          .messageSystemAttributeNamesWithStrings("All"))
              .messages();
      if (got.isEmpty()) {
        return all;
      }
      all.addAll(got);
      client.deleteMessageBatch(
          b ->
              b.queueUrl(queue.toString())
                  .entries(
                      IntStream.range(0, got.size())
                          .mapToObj(
                              i ->
                                  software.amazon.awssdk.services.sqs.model
                                      .DeleteMessageBatchRequestEntry.builder()
                                      .id(String.valueOf(i))
                                      .receiptHandle(got.get(i).receiptHandle())
                                      .build())
                          .toList()));
    }
  }

  @Override
  public void close() {
    client.close();
    server.stopAndWait();
  }
}

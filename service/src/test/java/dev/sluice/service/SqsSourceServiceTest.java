package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.gate.Limits;
import dev.sluice.service.config.HttpConfig;
import dev.sluice.service.config.S3EndpointConfig;
import dev.sluice.service.config.SluiceConfig;
import dev.sluice.service.config.SqsSourceConfig;
import dev.sluice.service.config.StoreConfig;
import dev.sluice.service.config.TargetConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code sluice serve} with {@code sources.sqs} enabled, against ElasticMQ in the test JVM: what
 * the service's intake answers decides each message's fate.
 */
class SqsSourceServiceTest {
  private static final String TEST_EVENT =
      "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-01-01T00:00:00.000Z\","
          + "\"Bucket\":\"landing\",\"RequestId\":\"R\",\"HostId\":\"H\"}";

  /** A notification whose only record has no object key: readable JSON, nothing usable. */
  private static final String ALL_RECORDS_BAD =
      "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\","
          + "\"eventName\":\"ObjectCreated:Put\",\"eventTime\":\"2026-01-01T00:00:00.000Z\","
          + "\"s3\":{\"bucket\":{\"name\":\"landing\"},\"object\":{\"size\":1}}}]}";

  private SQSRestServer server;
  private URI endpoint;
  private SqsClient sqs;

  @BeforeEach
  void startSqs() {
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
  }

  @AfterEach
  void stopSqs() {
    sqs.close();
    server.stopAndWait();
  }

  @Test
  void serve_whenTheQueueHoldsNotifications_commitsEventsDropsTestEventsAndRedrivesUnreadableOnes(
      @TempDir Path dir) throws Exception {
    URI dlq = URI.create(sqs.createQueue(b -> b.queueName("events-dlq")).queueUrl());
    String dlqArn =
        sqs.getQueueAttributes(
                b -> b.queueUrl(dlq.toString()).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    URI queue =
        URI.create(
            sqs.createQueue(
                    b ->
                        b.queueName("events")
                            .attributes(
                                Map.of(
                                    QueueAttributeName.REDRIVE_POLICY,
                                    "{\"maxReceiveCount\":\"2\",\"deadLetterTargetArn\":\""
                                        + dlqArn
                                        + "\"}")))
                .queueUrl());
    List<String> keys = Notifications.keys("sqs", 0, 25);
    for (String body :
        List.of(
            Notifications.forKeys(keys.subList(0, 10)),
            TEST_EVENT,
            "this is not a notification",
            ALL_RECORDS_BAD,
            Notifications.forKeys(keys.subList(10, 25)))) {
      sqs.sendMessage(b -> b.queueUrl(queue.toString()).messageBody(body));
    }

    SqsSourceConfig source =
        new SqsSourceConfig(
            true,
            queue,
            endpoint,
            null,
            "x",
            "x",
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            10);
    try (SluiceService service =
        SluiceService.start(
            config(dir, source), SluiceService.Options.defaults().paused(true).withTarget(null))) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> messagesOn(queue) == 0 && messagesOn(dlq) == 2);

      assertThat(service.sluice().backlog().stats(service.sluice().time().now()).waiting())
          .as("events waiting in the backlog (the dispatcher is paused)")
          .isEqualTo(25);
      List<Message> dead =
          sqs.receiveMessage(b -> b.queueUrl(dlq.toString()).maxNumberOfMessages(10)).messages();
      assertThat(dead)
          .extracting(Message::body)
          .containsExactlyInAnyOrder("this is not a notification", ALL_RECORDS_BAD);

      String text = new ApiCalls(service.apiUrl()).get("/metrics").body();
      assertThat(Promtool.check(text)).isEmpty();
      Map<String, Double> m = Promtool.samples(text);
      assertThat(m)
          .containsEntry("sluice_accepted_events_total{source=\"sqs\"}", 25.0)
          .containsEntry("sluice_dropped_events_total{reason=\"test-event\"}", 1.0)
          .containsEntry("sluice_sqs_deleted_messages_total", 3.0)
          .containsEntry("sluice_sqs_errors_total", 0.0)
          .containsKey("sluice_sqs_visibility_extensions_calls_total");
      // Each unreadable message came back until the queue moved it: at least twice each.
      assertThat(m.get("sluice_sqs_unreadable_messages_total")).isGreaterThanOrEqualTo(4.0);
      // With no failed call, every message received was either deleted or left on the queue.
      assertThat(m.get("sluice_sqs_received_messages_total"))
          .isEqualTo(
              m.get("sluice_sqs_deleted_messages_total")
                  + m.get("sluice_sqs_unreadable_messages_total"));
    }
  }

  @Test
  void drain_stopsReceivingSoLaterMessagesStayInTheQueue(@TempDir Path dir) throws Exception {
    URI queue = URI.create(sqs.createQueue(b -> b.queueName("drained")).queueUrl());
    sqs.sendMessage(
        b ->
            b.queueUrl(queue.toString())
                .messageBody(Notifications.forKeys(Notifications.keys("early", 0, 3))));
    SqsSourceConfig source =
        new SqsSourceConfig(
            true,
            queue,
            endpoint,
            null,
            "x",
            "x",
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            10);
    try (SluiceService service =
        SluiceService.start(
            config(dir, source),
            SluiceService.Options.defaults()
                .withTarget(dev.sluice.testkit.RecordingTarget.completing()))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> messagesOn(queue) == 0);

      service.operator().drain(dev.sluice.service.control.Caller.local());
      await().atMost(Duration.ofSeconds(20)).until(() -> service.drained().isDone());
      // The drain stops the source's poller: once its thread is gone nothing can receive, so the
      // check below needs no wait and cannot pass merely because the poller was slow.
      await().atMost(Duration.ofSeconds(20)).until(() -> !sqsPollerAlive());
      sqs.sendMessage(
          b ->
              b.queueUrl(queue.toString())
                  .messageBody(Notifications.forKeys(Notifications.keys("late", 0, 1))));

      assertThat(messagesOn(queue)).isEqualTo(1);
      var stats = service.sluice().backlog().stats(service.sluice().time().now());
      assertThat(stats.waiting() + stats.leased() + stats.done()).isEqualTo(3);
    }
  }

  /** Whether an SQS source's poller thread (named by {@code SqsSource}) is still running. */
  private static boolean sqsPollerAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().equals("sluice-sqs-poller"));
  }

  private long messagesOn(URI queue) {
    var a =
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(queue.toString())
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  private static SluiceConfig config(Path dir, SqsSourceConfig sqs) {
    return new SluiceConfig(
            dir,
            new HttpConfig("127.0.0.1", 0, HttpConfig.DEFAULT_MAX_BODY),
            new S3EndpointConfig(false, "127.0.0.1", 0, List.of("data"), null, null, "us-east-1"),
            Limits.none(),
            RunningSluice.fastRetry(3),
            DispatcherConfig.defaults().withWorkers(4).withBatch(100),
            TargetConfig.log(),
            StoreConfig.defaults())
        .withSqsSource(sqs);
  }
}

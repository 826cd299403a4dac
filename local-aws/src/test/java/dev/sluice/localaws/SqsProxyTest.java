package dev.sluice.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

class SqsProxyTest {
  private static LocalSqs sqs;
  private static SqsProxy proxy;
  private static SqsClient viaProxy;

  @BeforeAll
  static void start() {
    sqs = LocalSqs.start();
    proxy = SqsProxy.start(sqs.endpoint());
    viaProxy = LocalClients.sqs(proxy.endpoint());
  }

  @AfterAll
  static void stop() {
    viaProxy.close();
    proxy.close();
    sqs.close();
  }

  private static SendMessageBatchResponse sendTen(URI queue, String prefix) {
    return viaProxy.sendMessageBatch(
        b ->
            b.queueUrl(queue.toString())
                .entries(
                    IntStream.range(0, 10)
                        .mapToObj(
                            i ->
                                SendMessageBatchRequestEntry.builder()
                                    .id("e" + i)
                                    .messageBody(prefix + i)
                                    .build())
                        .toList()));
  }

  @Test
  void calls_areCountedPerOperation() {
    URI queue = sqs.createQueue("counted", 30);
    proxy.resetCalls();

    sendTen(queue, "m");
    viaProxy.receiveMessage(b -> b.queueUrl(queue.toString()).maxNumberOfMessages(10));
    viaProxy.receiveMessage(b -> b.queueUrl(queue.toString()).maxNumberOfMessages(10));

    assertThat(proxy.calls("SendMessageBatch")).isEqualTo(1);
    assertThat(proxy.calls("ReceiveMessage")).isEqualTo(2);
    assertThat(proxy.totalCalls()).isEqualTo(3);
  }

  @Test
  void failSendEntries_failsAFractionAsAPartialBatchFailureAndForwardsTheRest() {
    URI faulty = sqs.createQueue("faulty", 30);
    URI healthy = sqs.createQueue("healthy", 30);
    proxy.failSendEntries("faulty", 0.3, 42);
    try {
      int failed = 0;
      for (int round = 0; round < 10; round++) {
        SendMessageBatchResponse r = sendTen(faulty, "r" + round + "-");
        assertThat(r.successful().size() + r.failed().size()).isEqualTo(10);
        for (BatchResultErrorEntry f : r.failed()) {
          assertThat(f.senderFault()).isFalse();
          assertThat(f.code()).isEqualTo("InternalError");
        }
        failed += r.failed().size();
      }
      SendMessageBatchResponse other = sendTen(healthy, "h");

      assertThat(failed).isBetween(10, 55).isEqualTo((int) proxy.entriesFailed());
      assertThat(sqs.messagesOn(faulty)).isEqualTo(100 - failed);
      assertThat(other.failed()).isEmpty();
      assertThat(sqs.messagesOn(healthy)).isEqualTo(10);
    } finally {
      proxy.stopFailing();
    }
  }

  @Test
  void failSendEntries_withTheSameSeed_failsTheSameEntries() {
    URI queue = sqs.createQueue("seeded", 30);
    proxy.failSendEntries("seeded", 0.5, 7);
    List<String> first =
        sendTen(queue, "a").failed().stream().map(BatchResultErrorEntry::id).toList();
    proxy.failSendEntries("seeded", 0.5, 7);
    List<String> second =
        sendTen(queue, "b").failed().stream().map(BatchResultErrorEntry::id).toList();
    proxy.stopFailing();

    assertThat(first).isNotEmpty().isEqualTo(second);
  }
}

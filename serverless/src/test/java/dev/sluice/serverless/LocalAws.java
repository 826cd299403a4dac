package dev.sluice.serverless;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.gate.stored.ConcurrencyPolicy;
import dev.sluice.core.gate.stored.InFlightSlots;
import dev.sluice.core.gate.stored.StoredLimit;
import dev.sluice.localaws.LocalClients;
import dev.sluice.localaws.LocalDynamo;
import dev.sluice.localaws.LocalSqs;
import dev.sluice.localaws.SqsProxy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The local AWS pieces the tests share, started once per test JVM: ElasticMQ, a proxy in front of
 * it (the code under test talks through it, so its calls are counted and faults injected), and
 * dynalite. Tests create their own queues and tables, named uniquely.
 */
final class LocalAws {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalAws instance;

  final LocalSqs sqs;
  final SqsProxy proxy;
  final LocalDynamo dynamo;

  /** The client for the code under test: through the proxy. */
  final SqsClient proxiedSqs;

  private LocalAws() {
    sqs = LocalSqs.start();
    proxy = SqsProxy.start(sqs.endpoint());
    dynamo = LocalDynamo.start();
    proxiedSqs = LocalClients.sqs(proxy.endpoint());
  }

  static synchronized LocalAws get() {
    if (instance == null) {
      instance = new LocalAws();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::close));
    }
    return instance;
  }

  private void close() {
    proxiedSqs.close();
    proxy.close();
    sqs.close();
    dynamo.close();
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A fresh table shaped as the contract says. */
  String newTable() {
    String name = unique("limits");
    dynamo.createTable(name);
    return name;
  }

  /**
   * Receives what is visible on {@code queue} now (up to 10), with every message attribute and
   * SQS's own attributes (sent and first-receive timestamps), without deleting it.
   */
  List<Message> receiveVisible(URI queue) {
    return sqs.client()
        .receiveMessage(
            b ->
                b.queueUrl(queue.toString())
                    .maxNumberOfMessages(10)
                    .waitTimeSeconds(0)
                    .messageAttributeNames("All")
                    .messageSystemAttributeNamesWithStrings("All"))
        .messages();
  }

  /** The in-flight slots kept in {@code table}, as the functions keep them. */
  StoredLimit<InFlightSlots> slots(String table) {
    return new StoredLimit<>(
        new ConcurrencyPolicy(100, java.time.Duration.ofDays(1)),
        DynamoLimitStateStore.inFlight(dynamo.client(), table));
  }

  /** Attempt {@code attempt} of an event of {@code key} in bucket {@code data}, named. */
  static SluiceMessage message(String key, int attempt) {
    ObjectEvent event =
        new ObjectEvent("data", key, 12L, "e1", null, "0A1B", "ObjectCreated:Put", null, "s3");
    return new SluiceMessage(event, attempt, null).named();
  }

  /** One message of a Lambda SQS event, as the event source mapping builds it. */
  static ObjectNode sqsRecord(String id, String body, int receiveCount) {
    ObjectNode r = JSON.createObjectNode();
    r.put("messageId", id);
    r.put("receiptHandle", "handle-" + id);
    r.put("body", body);
    r.putObject("attributes").put("ApproximateReceiveCount", Integer.toString(receiveCount));
    r.putObject("messageAttributes");
    r.put("eventSource", "aws:sqs");
    return r;
  }

  /** Runs the invoke function on a Lambda SQS event; returns the ids it reports failed. */
  static List<String> invoke(InvokeHandler handler, ObjectNode... records) throws IOException {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode list = event.putArray("Records");
    for (ObjectNode r : records) {
      list.add(r);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, null);
    return JSON.readTree(out.toByteArray())
        .get("batchItemFailures")
        .findValuesAsText("itemIdentifier");
  }

  static String fixture(String name) {
    String resource = "/s3-events/" + name + ".json";
    try (InputStream in = LocalAws.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + resource);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

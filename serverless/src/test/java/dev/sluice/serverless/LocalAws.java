package dev.sluice.serverless;

import dev.sluice.localaws.LocalClients;
import dev.sluice.localaws.LocalDynamo;
import dev.sluice.localaws.LocalSqs;
import dev.sluice.localaws.SqsProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local AWS pieces the tests share, started once per test JVM: ElasticMQ, a proxy in front of
 * it (the code under test talks through it, so its calls are counted and faults injected), and
 * dynalite. Tests create their own queues and tables, named uniquely.
 */
final class LocalAws {
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

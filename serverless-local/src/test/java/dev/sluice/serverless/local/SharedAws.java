package dev.sluice.serverless.local;

import dev.sluice.localaws.LocalDynamo;
import dev.sluice.localaws.LocalSqs;
import dev.sluice.localaws.SqsProxy;
import java.util.UUID;

/**
 * The local AWS pieces every test of this module shares, started once per test JVM: ElasticMQ, a
 * proxy in front of it (for the scheduler's client in fault tests) and dynalite. Tests make their
 * own queues and tables, named uniquely, and their own Step Functions endpoint.
 */
final class SharedAws {
  private static SharedAws instance;

  final LocalSqs sqs;
  final SqsProxy proxy;
  final LocalDynamo dynamo;

  private SharedAws() {
    sqs = LocalSqs.start();
    proxy = SqsProxy.start(sqs.endpoint());
    dynamo = LocalDynamo.start();
  }

  static synchronized SharedAws get() {
    if (instance == null) {
      instance = new SharedAws();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::close));
    }
    return instance;
  }

  private void close() {
    proxy.close();
    sqs.close();
    dynamo.close();
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}

package dev.sluice.localaws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * A DynamoDB-compatible server on 127.0.0.1: dynalite (npm), run with Node from the project's own
 * {@code local-aws/node} folder, installed there on first use from its lock file. In memory: every
 * start is empty. dynalite has no {@code UpdateTimeToLive} and no transactions; never call them.
 */
public final class LocalDynamo implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LocalDynamo.class.getName());

  /** Where the node folder is when neither the property nor the search finds it. */
  public static final String NODE_DIR_PROPERTY = "sluice.localaws.node";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

  private final Process process;
  private final URI endpoint;
  private final DynamoDbClient client;

  private LocalDynamo(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
    this.client = LocalClients.dynamo(endpoint);
  }

  /** Starts dynalite from the node folder found by {@link #nodeDir()}. */
  public static LocalDynamo start() {
    return start(nodeDir());
  }

  /**
   * Starts dynalite from {@code nodeDir} (a folder holding the package.json that names it),
   * installing it there first if it is missing; returns once it answers.
   */
  public static LocalDynamo start(Path nodeDir) {
    Path cli = ensureInstalled(nodeDir);
    RuntimeException last = null;
    // A free port is free when asked, not when node binds it: another process may take it in
    // between, and then dynalite exits. A new port, a few times, makes that harmless.
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        return startOn(cli, freePort());
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw last;
  }

  private static LocalDynamo startOn(Path cli, int port) {
    ProcessBuilder pb =
        new ProcessBuilder(
                "node",
                cli.toString(),
                "--port",
                String.valueOf(port),
                "--host",
                "127.0.0.1",
                // Tables are ACTIVE at once, as the tests need them.
                "--createTableMs",
                "0",
                "--deleteTableMs",
                "0",
                "--updateTableMs",
                "0")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run node (is Node.js on the PATH?): " + e, e);
    }
    LocalDynamo dynamo = new LocalDynamo(process, URI.create("http://127.0.0.1:" + port));
    try {
      dynamo.awaitAnswer();
    } catch (RuntimeException e) {
      dynamo.close();
      throw e;
    }
    return dynamo;
  }

  public URI endpoint() {
    return endpoint;
  }

  /** A client of this server, shared; closed by {@link #close()}. */
  public DynamoDbClient client() {
    return client;
  }

  /**
   * Creates the table the serverless shape uses: partition key {@code pk} (string), no sort key, on
   * demand. The TTL attribute ({@code expiresAt}) is set by the deployment, not here.
   */
  public void createTable(String name) {
    client.createTable(
        b ->
            b.tableName(name)
                .attributeDefinitions(
                    AttributeDefinition.builder()
                        .attributeName("pk")
                        .attributeType(ScalarAttributeType.S)
                        .build())
                .keySchema(
                    KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (client.describeTable(b -> b.tableName(name)).table().tableStatus()
        != TableStatus.ACTIVE) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("table " + name + " not ACTIVE after " + START_TIMEOUT);
      }
      sleep(20);
    }
  }

  @Override
  public void close() {
    client.close();
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The {@code local-aws/node} folder: the system property {@value #NODE_DIR_PROPERTY} if set, else
   * the first {@code local-aws/node} (or {@code node} inside {@code local-aws}) found from the
   * working directory upwards.
   */
  public static Path nodeDir() {
    String property = System.getProperty(NODE_DIR_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      for (Path candidate : List.of(dir.resolve("local-aws/node"), dir.resolve("node"))) {
        if (Files.isRegularFile(candidate.resolve("package.json"))
            && candidate.getParent().getFileName().toString().equals("local-aws")) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(
        "cannot find local-aws/node/package.json from "
            + Path.of("").toAbsolutePath()
            + " upwards; set -D"
            + NODE_DIR_PROPERTY
            + "=<path of local-aws/node>");
  }

  /** Installs dynalite into {@code nodeDir} unless it is there; one installer at a time. */
  static Path ensureInstalled(Path nodeDir) {
    Path cli = nodeDir.resolve("node_modules/dynalite/cli.js");
    if (Files.isRegularFile(cli)) {
      return cli;
    }
    if (!Files.isRegularFile(nodeDir.resolve("package.json"))) {
      throw new IllegalStateException("no package.json in " + nodeDir);
    }
    try (FileChannel lockFile =
            FileChannel.open(
                nodeDir.resolve(".install.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock ignored = lockFile.lock()) {
      if (Files.isRegularFile(cli)) {
        return cli; // another process installed it while this one waited
      }
      boolean locked = Files.isRegularFile(nodeDir.resolve("package-lock.json"));
      List<String> command =
          locked
              ? List.of("npm", "ci", "--no-audit", "--no-fund")
              : List.of("npm", "install", "--no-audit", "--no-fund");
      LOG.log(
          System.Logger.Level.INFO,
          "installing dynalite into {0} ({1}), once",
          nodeDir,
          String.join(" ", command));
      Path log = Files.createTempFile("npm-install", ".log");
      Process npm;
      try {
        npm =
            new ProcessBuilder(command)
                .directory(nodeDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
      } catch (IOException e) {
        throw new IllegalStateException(
            "dynalite is not installed in "
                + nodeDir
                + " and npm cannot run (install Node.js 20"
                + " with npm): "
                + e,
            e);
      }
      if (!npm.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        npm.destroyForcibly();
        throw new IllegalStateException(
            "npm did not finish in " + INSTALL_TIMEOUT + "; see " + log);
      }
      if (npm.exitValue() != 0 || !Files.isRegularFile(cli)) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " in "
                + nodeDir
                + " failed (exit "
                + npm.exitValue()
                + "): "
                + Files.readString(log));
      }
      Files.deleteIfExists(log);
      return cli;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install dynalite in " + nodeDir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing dynalite", e);
    }
  }

  private void awaitAnswer() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "dynalite exited with " + process.exitValue() + " before it answered on " + endpoint);
      }
      try {
        client.listTables();
        return;
      } catch (RuntimeException e) {
        last = e;
        sleep(50);
      }
    }
    throw new IllegalStateException(
        "dynalite did not answer on " + endpoint + " within " + START_TIMEOUT, last);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}

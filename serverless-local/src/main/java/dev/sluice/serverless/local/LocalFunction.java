package dev.sluice.serverless.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One Lambda function run in this process: each invocation takes an idle instance of the handler (a
 * "container") or makes a new one, and gives it back when it returns, so an instance never runs two
 * invocations at once, as on Lambda. Handlers keep state between invocations of one container
 * (clients, remembered limit states), which is what a warm container does too.
 */
public final class LocalFunction {
  private final String name;
  private final Duration timeout;
  private final Supplier<? extends RequestStreamHandler> containers;
  private final Clock clock;
  private final PrintStream log;
  private final ConcurrentLinkedDeque<RequestStreamHandler> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger created = new AtomicInteger();
  private final AtomicInteger invocations = new AtomicInteger();

  /**
   * @param name the function's name, as the context reports it
   * @param timeout the function's timeout, as the context's time left counts it down
   * @param containers makes a new instance of the handler (a cold start)
   * @param log where the context's logger writes
   */
  public LocalFunction(
      String name,
      Duration timeout,
      Supplier<? extends RequestStreamHandler> containers,
      Clock clock,
      PrintStream log) {
    this.name = Objects.requireNonNull(name, "name");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.containers = Objects.requireNonNull(containers, "containers");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.log = Objects.requireNonNull(log, "log");
  }

  public String name() {
    return name;
  }

  /**
   * Invokes the function with {@code event} (JSON) and returns what it answered.
   *
   * @throws FunctionErrorException if the handler threw: Lambda reports that as a function error
   */
  public String invoke(String event) {
    RequestStreamHandler handler = idle.pollFirst();
    if (handler == null) {
      try {
        handler = containers.get();
      } catch (RuntimeException e) {
        throw new FunctionErrorException(name, "init failed: " + e.getMessage(), e);
      }
      created.incrementAndGet();
    }
    invocations.incrementAndGet();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      handler.handleRequest(
          new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
          out,
          LocalLambdaContext.starting(name, timeout, clock, log));
    } catch (IOException | RuntimeException e) {
      throw new FunctionErrorException(name, e.toString(), e);
    } finally {
      idle.addFirst(handler);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Instances made so far (cold starts). */
  public int containersCreated() {
    return created.get();
  }

  /** Invocations so far. */
  public int invocations() {
    return invocations.get();
  }
}

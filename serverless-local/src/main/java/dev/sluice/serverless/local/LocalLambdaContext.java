package dev.sluice.serverless.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The context of one local invocation, as Lambda gives a handler: a request id, the function's
 * name, and the time left before the function's timeout, which the scheduler reads to stop
 * receiving before its deadline.
 */
public final class LocalLambdaContext implements Context {
  private static final int MEMORY_MB = 512;

  private final String functionName;
  private final String requestId = UUID.randomUUID().toString();
  private final Instant deadline;
  private final Clock clock;
  private final PrintStream log;

  private LocalLambdaContext(String functionName, Instant deadline, Clock clock, PrintStream log) {
    this.functionName = functionName;
    this.deadline = deadline;
    this.clock = clock;
    this.log = log;
  }

  /** The context of an invocation starting now, with {@code timeout} to run. */
  public static LocalLambdaContext starting(
      String functionName, Duration timeout, Clock clock, PrintStream log) {
    return new LocalLambdaContext(functionName, clock.instant().plus(timeout), clock, log);
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + functionName;
  }

  @Override
  public String getLogStreamName() {
    return "local";
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:us-east-1:123456789012:function:" + functionName;
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    long left = Duration.between(clock.instant(), deadline).toMillis();
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
  }

  @Override
  public int getMemoryLimitInMB() {
    return MEMORY_MB;
  }

  @Override
  public LambdaLogger getLogger() {
    return new LambdaLogger() {
      @Override
      public void log(String message) {
        log.println(message);
      }

      @Override
      public void log(byte[] message) {
        log.println(new String(message, StandardCharsets.UTF_8));
      }
    };
  }
}

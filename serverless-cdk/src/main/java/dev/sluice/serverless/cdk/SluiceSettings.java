package dev.sluice.serverless.cdk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything the stack is built from, read from CDK context and validated once. A wrong value fails
 * before any construct exists, with a message naming the context key ({@link
 * InvalidSettingException}).
 *
 * <p>Optional values are null when not given: {@code bucketName} (a new bucket is created), {@code
 * stateMachineArn} (a sample state machine is created, unless {@code targetFunction} is given),
 * {@code targetFunction} (the target is a state machine), {@code maxInFlight} (no cap), {@code
 * alarmEmail} (no topic), {@code schedulerReservedConcurrency} (the scheduler shares the account's
 * unreserved pool).
 *
 * @param pipeline the {@code Pipeline} dimension of the Sluice metrics and the handlers' {@code
 *     PIPELINE}
 * @param wiring how S3 notifications reach the event queue
 * @param bucketName an existing bucket to watch, or null for a new one
 * @param prefix the key prefix of the ObjectCreated notifications, "" for all keys
 * @param suffix the key suffix of the ObjectCreated notifications, "" for all keys
 * @param maxReceiveCount receives before a message moves to its queue's dead-letter queue
 * @param runtime the Lambda runtime
 * @param handlerJar the absolute path of the handler jar
 * @param memoryMb the memory of every function
 * @param schedule the scheduler's schedule and tick length
 * @param limit N, the releases allowed per tick
 * @param maxInFlight the cap on executions in flight, or null for none
 * @param smooth whether the scheduler spreads a tick's releases over the tick
 * @param maxAttempts executions of one event before it is dead-lettered
 * @param stateMachineArn an existing target state machine, or null for the sample one (or none,
 *     when the target is a function)
 * @param targetFunction a Lambda function as the target instead of a state machine, or null
 * @param oldestMessageAlarmSeconds the age of the oldest waiting event that raises an alarm
 * @param alarmEmail where alarm notifications go, or null for none
 * @param schedulerReservedConcurrency the scheduler's reserved concurrency, or null for none
 */
public record SluiceSettings(
    String pipeline,
    Wiring wiring,
    String bucketName,
    String prefix,
    String suffix,
    int maxReceiveCount,
    HandlerRuntime runtime,
    Path handlerJar,
    int memoryMb,
    TickSchedule schedule,
    int limit,
    Integer maxInFlight,
    boolean smooth,
    int maxAttempts,
    String stateMachineArn,
    TargetFunction targetFunction,
    int oldestMessageAlarmSeconds,
    String alarmEmail,
    Integer schedulerReservedConcurrency) {

  /** Where the handler jar is, relative to this module, when {@code handlerJar} is not given. */
  public static final String DEFAULT_HANDLER_JAR = "../serverless/target/sluice-serverless.jar";

  public static final int DEFAULT_LIMIT = 50;
  public static final int DEFAULT_MAX_RECEIVE_COUNT = 5;
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final int DEFAULT_MEMORY_MB = 1024;
  public static final int DEFAULT_OLDEST_MESSAGE_ALARM_SECONDS = 3600;
  public static final int DEFAULT_SCHEDULER_RESERVED_CONCURRENCY = 1;

  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern STATE_MACHINE_ARN =
      Pattern.compile("arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  public SluiceSettings {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(wiring, "wiring");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(suffix, "suffix");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(handlerJar, "handlerJar");
    Objects.requireNonNull(schedule, "schedule");
    // It also names the dashboard, whose name allows only these characters.
    if (!pipeline.matches("[A-Za-z0-9_-]{1,200}")) {
      throw new InvalidSettingException(
          "pipeline", "must be 1 to 200 letters, digits, '_' or '-'", pipeline);
    }
    if (bucketName != null && !BUCKET_NAME.matcher(bucketName).matches()) {
      throw new InvalidSettingException("bucketName", "must be a valid S3 bucket name", bucketName);
    }
    requireRange("maxReceiveCount", maxReceiveCount, 1, 1000);
    requireRange("memoryMb", memoryMb, 512, 10240);
    requireRange("limit", limit, 1, Integer.MAX_VALUE);
    if (maxInFlight != null) {
      requireRange("maxInFlight", maxInFlight, 1, Integer.MAX_VALUE);
    }
    requireRange("maxAttempts", maxAttempts, 1, 100);
    requireRange("oldestMessageAlarmSeconds", oldestMessageAlarmSeconds, 60, 1_209_600);
    if (schedulerReservedConcurrency != null) {
      requireRange("schedulerReservedConcurrency", schedulerReservedConcurrency, 1, 1000);
    }
    if (stateMachineArn != null && !STATE_MACHINE_ARN.matcher(stateMachineArn).matches()) {
      throw new InvalidSettingException(
          "stateMachineArn",
          "must be arn:<partition>:states:<region>:<account>:stateMachine:<name>",
          stateMachineArn);
    }
    if (stateMachineArn != null && targetFunction != null) {
      throw new InvalidSettingException(
          "targetFunctionArn",
          "and stateMachineArn are both given: the invoke function starts one target, a Lambda"
              + " function or a state machine; give only one of them");
    }
    if (alarmEmail != null && !EMAIL.matcher(alarmEmail).matches()) {
      throw new InvalidSettingException("alarmEmail", "must be an email address", alarmEmail);
    }
    if (!handlerJar.isAbsolute() || !Files.isRegularFile(handlerJar)) {
      throw new InvalidSettingException(
          "handlerJar",
          "must name an existing file (build it with ./mvnw -q -pl serverless -am package"
              + " -DskipTests)",
          handlerJar.toString());
    }
  }

  /**
   * Reads every setting from {@code context}, with the defaults documented in docs/deploy-aws.md.
   *
   * @param context the app's context
   * @param moduleDir the directory a relative {@code handlerJar} is resolved against
   * @param stackName the default {@code pipeline}
   * @throws InvalidSettingException naming the first key whose value is wrong
   */
  public static SluiceSettings fromContext(
      ContextLookup context, Path moduleDir, String stackName) {
    ContextReader read = new ContextReader(context);
    String jar = read.string("handlerJar", DEFAULT_HANDLER_JAR);
    return new SluiceSettings(
        read.string("pipeline", stackName),
        Wiring.fromContext("wiring", read.string("wiring", Wiring.INTAKE_FUNCTION.contextValue())),
        read.string("bucketName", null),
        read.string("prefix", ""),
        read.string("suffix", ""),
        read.integer("maxReceiveCount", DEFAULT_MAX_RECEIVE_COUNT),
        HandlerRuntime.fromContext(
            "runtime", read.string("runtime", HandlerRuntime.JAVA_17.contextValue())),
        moduleDir.resolve(jar).toAbsolutePath().normalize(),
        read.integer("memoryMb", DEFAULT_MEMORY_MB),
        TickSchedule.of(
            read.string(TickSchedule.SCHEDULE_KEY, TickSchedule.DEFAULT_EXPRESSION),
            read.string(TickSchedule.EVERY_KEY, null)),
        read.integer("limit", DEFAULT_LIMIT),
        read.optionalInteger("maxInFlight"),
        read.bool("smooth", false),
        read.integer("maxAttempts", DEFAULT_MAX_ATTEMPTS),
        read.string("stateMachineArn", null),
        TargetFunction.fromContext(read),
        read.integer("oldestMessageAlarmSeconds", DEFAULT_OLDEST_MESSAGE_ALARM_SECONDS),
        read.string("alarmEmail", null),
        read.integerOrNone("schedulerReservedConcurrency", DEFAULT_SCHEDULER_RESERVED_CONCURRENCY));
  }

  /**
   * The scheduler function's timeout: one tick, so a smoothed tick can spread its releases over the
   * whole tick, within Lambda's bounds (one minute at least, fifteen at most).
   */
  public Duration schedulerTimeout() {
    Duration every = schedule.every();
    Duration max = Duration.ofMinutes(15);
    return every.compareTo(max) > 0 ? max : every;
  }

  private static void requireRange(String key, long value, long min, long max) {
    if (value < min || value > max) {
      String rule =
          max == Integer.MAX_VALUE ? "must be >= " + min : "must be between " + min + " and " + max;
      throw new InvalidSettingException(key, rule, value);
    }
  }
}

package dev.sluice.sfnlocal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Turns the command-line arguments of {@link LocalStepFunctions#launch} into a builder. */
final class LaunchArguments {

  /** The error name failed executions carry when {@code --fail-matching} picks them. */
  static final String SCRIPTED_FAILURE = "Sluice.ScriptedFailure";

  private LaunchArguments() {}

  static LocalStepFunctions.Builder parse(String... args) {
    return parse(System.out, args);
  }

  static LocalStepFunctions.Builder parse(PrintStream events, String... args) {
    LocalStepFunctions.Builder b = LocalStepFunctions.builder();
    List<String> machines = new ArrayList<>();
    Pattern failing = null;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--print-events")) {
        b.listener(
            e -> {
              synchronized (events) {
                events.println(e.json());
                events.flush();
              }
            });
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args[++i];
      switch (option) {
        case "--port" -> b.port(Integer.parseInt(value));
        case "--region" -> b.region(value);
        case "--account" -> b.account(value);
        case "--state-machine" -> machines.add(value);
        case "--duration" -> b.executionDuration(duration(value));
        case "--start-rate" -> {
          String[] p = value.split("/");
          if (p.length != 2) {
            throw new IllegalArgumentException(
                "--start-rate must be BUCKET/REFILL_PER_SECOND, got " + value);
          }
          b.startExecutionRate(Integer.parseInt(p[0]), Double.parseDouble(p[1]));
        }
        case "--fail-matching" -> failing = Pattern.compile(value);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (machines.isEmpty()) {
      machines.add("sluice");
    }
    machines.forEach(b::stateMachine);
    if (failing != null) {
      Pattern f = failing;
      b.outcome(
          e ->
              f.matcher(e.name()).find()
                  ? ExecutionOutcome.fail(SCRIPTED_FAILURE, "the name matches --fail-matching " + f)
                  : ExecutionOutcome.succeed(e.input()));
    }
    return b;
  }

  /** {@code 250ms}, {@code 3s}, {@code 2m} or an ISO-8601 duration such as {@code PT1M}. */
  static Duration duration(String value) {
    if (value.startsWith("P") || value.startsWith("p")) {
      return Duration.parse(value);
    }
    if (value.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
    }
    if (value.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
    }
    if (value.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
    }
    throw new IllegalArgumentException("duration must be like 250ms, 3s, 2m or PT1M, got " + value);
  }
}

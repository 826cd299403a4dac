package dev.sluice.serverless.cdk;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When the scheduler function runs, and the tick length it is told (its {@code EVERY}). The
 * scheduler's budget is N per tick, so the two must agree: a {@code rate(...)} expression gives the
 * tick itself; a {@code cron(...)} expression needs {@code every} spelled out.
 *
 * @param expression an EventBridge Scheduler expression, {@code rate(...)} or {@code cron(...)}
 * @param every the tick length, at least one minute (the Scheduler's finest rate)
 */
public record TickSchedule(String expression, Duration every) {

  static final String SCHEDULE_KEY = "schedule";
  static final String EVERY_KEY = "every";
  static final String DEFAULT_EXPRESSION = "rate(1 minute)";

  private static final Pattern RATE =
      Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");
  private static final Pattern CRON = Pattern.compile("cron\\(\\S+( \\S+){5}\\)");

  public TickSchedule {
    if (every.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new InvalidSettingException(EVERY_KEY, "must be at least PT1M", every);
    }
  }

  /**
   * Reads the two context values; {@code every} may be null for a rate expression.
   *
   * @throws InvalidSettingException naming {@code schedule} or {@code every}
   */
  static TickSchedule of(String expression, String every) {
    Matcher rate = RATE.matcher(expression);
    if (rate.matches()) {
      Duration period = ratePeriod(expression, rate);
      if (every == null) {
        return new TickSchedule(expression, period);
      }
      Duration given = parseEvery(every);
      if (!given.equals(period)) {
        throw new InvalidSettingException(
            EVERY_KEY, "must equal the period of " + expression + " (" + period + ")", every);
      }
      return new TickSchedule(expression, given);
    }
    if (CRON.matcher(expression).matches()) {
      if (every == null) {
        throw new InvalidSettingException(
            EVERY_KEY, "is required with a cron schedule: the tick length the scheduler budgets");
      }
      return new TickSchedule(expression, parseEvery(every));
    }
    throw new InvalidSettingException(
        SCHEDULE_KEY,
        "must be rate(<n> minute|minutes|hour|hours|day|days) or cron(<6 fields>)",
        expression);
  }

  private static Duration ratePeriod(String expression, Matcher rate) {
    long amount = Long.parseLong(rate.group(1));
    String unit = rate.group(2);
    if (amount < 1) {
      throw new InvalidSettingException(SCHEDULE_KEY, "must have a rate of at least 1", expression);
    }
    boolean plural = unit.endsWith("s");
    if ((amount == 1) == plural) {
      // The Scheduler rejects "rate(1 minutes)" and "rate(5 minute)" at deploy time.
      throw new InvalidSettingException(
          SCHEDULE_KEY, "must use a singular unit for 1 and a plural one otherwise", expression);
    }
    if (unit.startsWith("minute")) {
      return Duration.ofMinutes(amount);
    }
    return unit.startsWith("hour") ? Duration.ofHours(amount) : Duration.ofDays(amount);
  }

  private static Duration parseEvery(String every) {
    try {
      return Duration.parse(every);
    } catch (DateTimeParseException e) {
      throw new InvalidSettingException(
          EVERY_KEY, "must be an ISO-8601 duration such as PT1M", every);
    }
  }
}

package dev.sluice.core.gate;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A token bucket: {@code perSecond} tokens added per second up to {@code burst}, one token per
 * release; it starts full. Permits are the whole tokens in the bucket; when there is less than one,
 * the answer is the instant one whole token is there.
 *
 * <p>Exact: the rate is taken as the decimal the operator wrote (0.1 is one tenth), and the tokens
 * are computed in integers from the time elapsed since the bucket was last full, so nothing drifts
 * however long the bucket stays busy.
 *
 * <p>The bucket never holds less than zero tokens: a release of more than the permits (only seen
 * when releases made under an older, looser limit are replayed) empties it and no more.
 */
public final class RateLimit implements Limit {

  private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private final int burst;
  // Tokens per nanosecond as the fraction tokensNumerator / nanosDenominator.
  private final BigInteger tokensNumerator;
  private final BigInteger nanosDenominator;

  // Tokens taken from the full bucket since baseNanos, not counting the refill since; 0 = full.
  private long missing;
  private long baseNanos;

  public RateLimit(Limits.Rate rate) {
    this.burst = rate.burst();
    BigDecimal perSecond = BigDecimal.valueOf(rate.perSecond());
    if (perSecond.scale() < 0) {
      perSecond = perSecond.setScale(0);
    }
    this.tokensNumerator = perSecond.unscaledValue();
    this.nanosDenominator = NANOS_PER_SECOND.multiply(BigInteger.TEN.pow(perSecond.scale()));
  }

  /**
   * A job not yet started holds a token that it takes from the bucket when it starts; so the
   * starts, not only the releases, never take more than the bucket holds.
   */
  @Override
  public Admission admission(long nowNanos, long notYetStarted) {
    long tokens = wholeTokens(nowNanos) - notYetStarted;
    if (tokens >= 1) {
      return Admission.admit((int) tokens);
    }
    // Reach one whole token: burst - (missing + notYetStarted) + refilled >= 1, refilled counted
    // from baseNanos (or from now when the bucket is full and only unstarted jobs hold tokens).
    long needed = missing + notYetStarted - burst + 1;
    long from = missing == 0 ? nowNanos : baseNanos;
    return Admission.waitUntil(saturatedAdd(from, nanosToRefill(needed)));
  }

  @Override
  public void onRelease(long nowNanos, int count) {
    long tokens = wholeTokens(nowNanos);
    if (missing == 0) {
      baseNanos = nowNanos;
    }
    missing += Math.min(count, tokens);
  }

  /**
   * A bucket of {@code newRate} holding the whole tokens this one holds at {@code nowNanos} (no
   * more than its burst). For a change of the rate while releases go on: rebuilt from its history
   * alone, a bucket drained steadily for longer than that history would start near full.
   */
  RateLimit resizedTo(Limits.Rate newRate, long nowNanos) {
    RateLimit resized = new RateLimit(newRate);
    long tokens = Math.min(resized.burst, wholeTokens(nowNanos));
    resized.missing = resized.burst - Math.max(0, tokens);
    resized.baseNanos = nowNanos;
    return resized;
  }

  @Override
  public long historyNanos() {
    return nanosToRefill(burst);
  }

  /** Whole tokens at {@code nowNanos}; forgets the past once the bucket is full again. */
  private long wholeTokens(long nowNanos) {
    if (missing == 0) {
      return burst;
    }
    long refilled = tokensRefilledIn(Math.max(0, nowNanos - baseNanos));
    if (refilled >= missing) {
      missing = 0;
      return burst;
    }
    return burst - (missing - refilled);
  }

  private long tokensRefilledIn(long nanos) {
    BigInteger tokens =
        BigInteger.valueOf(nanos).multiply(tokensNumerator).divide(nanosDenominator);
    return tokens.min(LONG_MAX).longValue();
  }

  /** The shortest time in which at least {@code tokens} whole tokens are refilled. */
  private long nanosToRefill(long tokens) {
    BigInteger[] qr =
        BigInteger.valueOf(tokens).multiply(nanosDenominator).divideAndRemainder(tokensNumerator);
    BigInteger ceil = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    return ceil.min(LONG_MAX).longValue();
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}

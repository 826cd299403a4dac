package dev.sluice.core.batch;

import dev.sluice.core.Job;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Up to K jobs of one partition released together as one job of the target: one Step Functions
 * execution, one HTTP POST, one process. Each member keeps its own release (so a partial failure
 * settles per member); the batch is only how they travel.
 *
 * <p>The batch's {@link #idempotencyKey()} is derived from its members' idempotency keys, sorted
 * and hashed, so a repeat of the same members (after a crash, an expired lease) is the same batch
 * whatever order the claim returned them in, and a different set of members is a different batch.
 */
public final class Batch {
  private final String partition;
  private final List<Job> members;
  private final String idempotencyKey;

  private Batch(String partition, List<Job> members) {
    this.partition = Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(members, "members");
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a batch must have at least one member");
    }
    this.members = List.copyOf(members);
    Set<Long> ids = new HashSet<>();
    for (Job j : this.members) {
      if (!ids.add(j.eventId())) {
        throw new IllegalArgumentException("event " + j.eventId() + " is twice in one batch");
      }
    }
    this.idempotencyKey = keyOf(this.members);
  }

  /**
   * A batch of {@code members} (in the order they were claimed) from {@code partition}.
   *
   * @throws IllegalArgumentException if there is no member or an event is there twice
   */
  public static Batch of(String partition, List<Job> members) {
    return new Batch(partition, members);
  }

  /**
   * Groups claimed jobs into batches: by partition ({@code partitionOf}), in claim order, {@code
   * max} members each; the last batch of a partition holds what is left. Partitions come in the
   * order of their first job.
   */
  public static List<Batch> group(List<Job> jobs, Function<Job, String> partitionOf, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, got " + max);
    }
    Map<String, List<Job>> byPartition = new LinkedHashMap<>();
    for (Job j : jobs) {
      byPartition.computeIfAbsent(partitionOf.apply(j), p -> new ArrayList<>()).add(j);
    }
    List<Batch> batches = new ArrayList<>();
    byPartition.forEach(
        (partition, members) -> {
          for (int from = 0; from < members.size(); from += max) {
            batches.add(
                new Batch(partition, members.subList(from, Math.min(members.size(), from + max))));
          }
        });
    return batches;
  }

  /** The partition every member belongs to ({@code ""} when events are not partitioned). */
  public String partition() {
    return partition;
  }

  /** The members, in claim order. */
  public List<Job> members() {
    return members;
  }

  public int size() {
    return members.size();
  }

  /**
   * 64 hex characters: SHA-256 over the members' idempotency keys, sorted, one per line. The same
   * members give the same key in any order.
   */
  public String idempotencyKey() {
    return idempotencyKey;
  }

  /**
   * The attempt a target names the batch's work by: the highest of its members' attempts (a batch
   * repeated after a crash counts one more attempt for every member, so its attempt rises too).
   */
  public int attempt() {
    int a = 1;
    for (Job j : members) {
      a = Math.max(a, j.attempt());
    }
    return a;
  }

  /** The latest release instant of the members: the batch may not reach the target before it. */
  public Instant releasedAt() {
    Instant latest = null;
    for (Job j : members) {
      if (j.releasedAt() != null && (latest == null || j.releasedAt().isAfter(latest))) {
        latest = j.releasedAt();
      }
    }
    return latest;
  }

  /** The batch's reference in the release log: the lowest release id among its members. */
  public long reference() {
    long r = Long.MAX_VALUE;
    for (Job j : members) {
      r = Math.min(r, j.releaseId());
    }
    return r;
  }

  /** The member with this idempotency key, or null. */
  public Job memberWithKey(String key) {
    for (Job j : members) {
      if (j.idempotencyKey().equals(key)) {
        return j;
      }
    }
    return null;
  }

  private static String keyOf(List<Job> members) {
    List<String> keys = new ArrayList<>(members.size());
    for (Job j : members) {
      keys.add(j.idempotencyKey());
    }
    keys.sort(null);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String k : keys) {
        sha.update(k.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Batch b && b.partition.equals(partition) && b.members.equals(members);
  }

  @Override
  public int hashCode() {
    return Objects.hash(partition, members);
  }

  @Override
  public String toString() {
    return "Batch["
        + (partition.isEmpty() ? "" : partition + ", ")
        + members.size()
        + " members, "
        + idempotencyKey.substring(0, 12)
        + "]";
  }
}

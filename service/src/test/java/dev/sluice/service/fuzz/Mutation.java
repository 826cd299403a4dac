package dev.sluice.service.fuzz;

import java.util.Random;

/** One way of breaking a notification body, as a buggy or hostile sender would. */
public interface Mutation {
  /** Names the mutation in figures. */
  String name();

  /** A broken variant of {@code validBody}; deterministic for a given {@code random}. */
  byte[] apply(String validBody, Random random);
}

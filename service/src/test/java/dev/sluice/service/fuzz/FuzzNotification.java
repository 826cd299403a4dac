package dev.sluice.service.fuzz;

import java.util.List;

/**
 * One body the fuzz test sends and what must come of it.
 *
 * @param index position in the run
 * @param kind the shape's name for a valid body, {@code mixed:<shape>} for a valid batch with one
 *     bad record, or the mutation's name
 * @param body the bytes sent
 * @param validKeys keys that must be accepted from this body (empty for a mutant)
 */
public record FuzzNotification(int index, String kind, byte[] body, List<String> validKeys) {
  public boolean mutant() {
    return validKeys.isEmpty();
  }
}

package dev.sluice.serverless;

import dev.sluice.core.SluiceException;
import java.util.List;

/**
 * Some events of a notification could not be put on the queue. Thrown so that the invocation fails
 * and its sender (S3's asynchronous invoke) delivers the whole notification again; the events that
 * did go are harmless twice, since their execution names are the same.
 */
public final class UnsentEventsException extends SluiceException {
  private final List<String> unsent;

  /**
   * @param unsent each event not sent, as {@code bucket/key@version: reason}
   * @param total events the notification held
   */
  public UnsentEventsException(List<String> unsent, int total) {
    super(
        unsent.size()
            + " of "
            + total
            + " events not sent to the event queue (the notification must be delivered again): "
            + String.join("; ", unsent));
    this.unsent = List.copyOf(unsent);
  }

  public List<String> unsent() {
    return unsent;
  }
}

package dev.sluice.s3endpoint;

import dev.sluice.core.ObjectEvent;
import java.util.List;

/**
 * Where the embedded S3 endpoint hands the events of new objects.
 *
 * <p>The endpoint calls the sink inside the S3 request, before the response is sent, so an
 * implementation must return only once the events are durable (committed to the backlog). If it
 * throws, the S3 request fails with a 5xx and the client retries: an object whose event was not
 * kept is never acknowledged. The endpoint serves requests on several threads, so implementations
 * must be thread-safe.
 */
@FunctionalInterface
public interface ObjectEventSink {

  /**
   * Keeps {@code events} durably, or throws.
   *
   * @param events the events of one S3 request, never empty
   */
  void accept(List<ObjectEvent> events);
}

package dev.sluice.sfnlocal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the endpoint answers to one call: a result body, or an error. */
sealed interface Answer {

  /** HTTP 200 with this body. */
  record Ok(ObjectNode body) implements Answer {}

  /** The error answer. */
  record Refused(ApiError error) implements Answer {}

  static Answer refused(ApiError error) {
    return new Refused(error);
  }
}

package dev.sluice.sfnlocal;

/**
 * Receives every status change of every execution, in the order the changes happened, on one
 * delivery thread of the endpoint (so a listener may call the endpoint back through the SDK). What
 * a listener throws is logged and does not stop later deliveries.
 */
@FunctionalInterface
public interface StatusChangeListener {

  /** Called once per status change. */
  void onStatusChange(StatusChangeEvent event);
}

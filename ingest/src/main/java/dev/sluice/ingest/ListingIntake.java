package dev.sluice.ingest;

import dev.sluice.core.ListedObject;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.AppendResult;
import dev.sluice.core.backlog.Backlog;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes objects a bucket listing found (a backfill, a reconcile) as events: those the backlog has
 * not seen ({@link Backlog#known}) are committed through the {@link EventIntake}, as events of the
 * given source with the identity bucket + key + eTag. An object a notification already brought is
 * left alone, although its identity (by sequencer or version id) differs from the one a listing
 * gives; the identity still makes a listed object taken twice one event, should two listings race.
 */
public final class ListingIntake {
  private final EventIntake intake;
  private final Backlog backlog;

  public ListingIntake(EventIntake intake, Backlog backlog) {
    this.intake = intake;
    this.backlog = backlog;
  }

  /**
   * What taking a list did.
   *
   * @param listed objects in the list
   * @param taken objects that are now new events, durable
   * @param known objects the backlog had already seen (or took from a listing racing this one)
   */
  public record Taken(int listed, int taken, int known) {}

  /**
   * Commits the objects of {@code listed} that the backlog has not seen; returns once they are
   * durable.
   *
   * @param source the events' source, e.g. {@code backfill}
   */
  public Taken take(List<ListedObject> listed, String source) {
    List<Boolean> known = backlog.known(listed);
    List<ObjectEvent> fresh = new ArrayList<>();
    for (int i = 0; i < listed.size(); i++) {
      if (!known.get(i)) {
        fresh.add(listed.get(i).toEvent(source));
      }
    }
    AppendResult appended = intake.appendEvents(fresh);
    return new Taken(listed.size(), appended.accepted(), listed.size() - appended.accepted());
  }
}

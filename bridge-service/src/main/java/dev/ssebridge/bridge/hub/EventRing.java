package dev.ssebridge.bridge.hub;

import dev.ssebridge.bridge.where.ParsedValues;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The most recent events of one channel, bounded by count and bytes, in the order the tail read them.
 * Not thread-safe: the owning {@link ChannelHub} guards it with its lock.
 *
 * <p>Per partition it keeps a floor: the ring holds every deliverable record of that partition from
 * the floor up to the tail's position. Evicting an event raises its partition's floor past it. A
 * resume whose start offset is at or above the floor can be served from here alone.
 */
final class EventRing {

    private final int maxEvents;
    private final long maxBytes;
    private final ArrayDeque<ChannelEvent> events = new ArrayDeque<>();
    private long bytes;
    /** The parsed {@code where} values of the events held, counted in the bound with their frames. */
    private final ParsedValues parsed = new ParsedValues();
    private long[] floor = new long[0];

    EventRing(int maxEvents, long maxBytes) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /** The tail holds these partitions now; partitions the ring did not know start empty at {@code start}. */
    void assigned(long[] start) {
        if (start.length > floor.length) {
            long[] grown = Arrays.copyOf(floor, start.length);
            System.arraycopy(start, floor.length, grown, floor.length, start.length - floor.length);
            floor = grown;
        }
    }

    void add(ChannelEvent event) {
        if (maxEvents == 0) {
            raiseFloor(event);
            return;
        }
        events.addLast(event);
        event.value().heldBy(parsed);
        bytes += event.size();
        // Values parsed since the last event count from here: the bound holds at each event, exceeded meanwhile by
        // at most what the loops parsed since.
        while (events.size() > maxEvents || (bytes + parsed.bytes() > maxBytes && events.size() > 1)) {
            ChannelEvent evicted = events.removeFirst();
            evicted.value().releasedBy(parsed);
            bytes -= evicted.size();
            raiseFloor(evicted);
        }
    }

    private void raiseFloor(ChannelEvent event) {
        if (event.partition() >= floor.length) {
            floor = Arrays.copyOf(floor, event.partition() + 1);
        }
        floor[event.partition()] = Math.max(floor[event.partition()], event.offset() + 1);
    }

    /** Whether every deliverable record of {@code partition} from {@code offset} on is here. */
    boolean covers(int partition, long offset) {
        return partition < floor.length && offset >= floor[partition];
    }

    /**
     * Events of the partitions marked in {@code wanted} at or above {@code from[partition]}, oldest first.
     * Scans back from the newest event and stops once every wanted partition is below its start, so a
     * resume that missed a few events costs a few steps.
     */
    List<ChannelEvent> since(long[] from, boolean[] wanted) {
        int open = 0;
        boolean[] stillOpen = wanted.clone();
        for (boolean w : wanted) {
            open += w ? 1 : 0;
        }
        if (open == 0) {
            return List.of();
        }
        List<ChannelEvent> found = new ArrayList<>();
        for (Iterator<ChannelEvent> it = events.descendingIterator(); it.hasNext() && open > 0; ) {
            ChannelEvent event = it.next();
            int p = event.partition();
            if (p >= stillOpen.length || !stillOpen[p]) {
                continue;
            }
            if (event.offset() >= from[p]) {
                found.add(event);
            } else {
                stillOpen[p] = false;
                open--;
            }
        }
        Collections.reverse(found);
        return found;
    }

    /** The floor of the first {@code partitions} partitions (partitions it has not seen: 0). */
    long[] floor(int partitions) {
        return Arrays.copyOf(floor, partitions);
    }

    int size() {
        return events.size();
    }

    /** Frames and the parsed values of the events held: what the bound counts. */
    long bytes() {
        return bytes + parsed.bytes();
    }
}

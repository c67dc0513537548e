package dev.ssebridge.bridge.conflation;

import dev.ssebridge.bridge.hub.ChannelEvent;
import dev.ssebridge.bridge.hub.EventBatch;

/**
 * The bounded queue of one connection, as {@link Conflation} sees it: what it sends to, and how full it is. The
 * connection's outbox implements it. Every method is called with the queue's monitor held (see {@link #runLocked}).
 */
public interface ConflatedQueue {

    /** Queues a live event as it is; false when the connection takes no more. */
    boolean send(ChannelEvent event);

    /** Queues live events that leave in one write; false when the connection takes no more. */
    boolean send(EventBatch batch);

    /**
     * Queues a live event whose {@code id:} must carry {@code idPosition} (the tail's position lowered to what is
     * still held); false when the connection takes no more.
     */
    boolean sendConflated(ChannelEvent event, long[] idPosition);

    /** More than half full: the client reads slower than its channels write. */
    boolean congested();

    /** Events the queue takes before it is {@link #congested()}, at least 1. */
    int roomBeforeCongested();

    /** Conflation cannot hold more: the connection ends as one that fell behind. */
    void overflow();

    /** Runs {@code task} with the queue's monitor held: how a timer's release joins the offers' serial order. */
    void runLocked(Runnable task);
}

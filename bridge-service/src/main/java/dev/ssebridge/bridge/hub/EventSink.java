package dev.ssebridge.bridge.hub;

import java.util.concurrent.Executor;

/**
 * Where a hub hands a subscriber its live events: a connection's bounded queue. Called on the subscriber's
 * event loop ({@link #loop()}), by {@link LoopFanout}, one event loop task for all of that loop's subscribers.
 */
public interface EventSink {

    /** The event loop the subscriber is served on; its events are offered there. */
    Executor loop();

    /** @return false when the subscriber takes no more events (ended, gone, or just overflowed) */
    boolean offer(ChannelEvent event);

    /** Events that leave in one write; see {@link #offer(ChannelEvent)}. */
    boolean offer(EventBatch batch);

    /**
     * Tail thread: the channel's topic was deleted and re-created. The sink no longer takes its events (their offsets
     * start again); it ends after what it holds, and its client resumes in the new topic.
     */
    void topicRecreated();
}

package dev.ssebridge.bridge.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** A subscriber for hub tests: keeps what it is offered, in order, on its loop, until it is ended. */
final class CollectingSink implements EventSink {

    /** What was offered: {@link ChannelEvent}s and {@link EventBatch}es. */
    final List<Object> offered = new CopyOnWriteArrayList<>();
    private final Executor loop;
    private final Consumer<ChannelEvent> onEvent;
    private volatile boolean ended;
    /** Whether the hub told it the topic was re-created. */
    volatile boolean topicRecreated;
    /** Offers made after the end, which it refused. */
    volatile int refused;

    CollectingSink() {
        this(Runnable::run);
    }

    CollectingSink(Executor loop) {
        this(loop, event -> { });
    }

    /** @param onEvent sees each event as it is offered, on the loop */
    CollectingSink(Executor loop, Consumer<ChannelEvent> onEvent) {
        this.loop = loop;
        this.onEvent = onEvent;
    }

    @Override
    public Executor loop() {
        return loop;
    }

    @Override
    public boolean offer(ChannelEvent event) {
        if (ended) {
            refused++;
            return false;
        }
        offered.add(event);
        onEvent.accept(event);
        return true;
    }

    @Override
    public void topicRecreated() {
        topicRecreated = true;
    }

    @Override
    public boolean offer(EventBatch batch) {
        if (ended) {
            refused++;
            return false;
        }
        offered.add(batch);
        batch.events().forEach(onEvent);
        return true;
    }

    void end() {
        ended = true;
    }

    /** Every event offered, batches opened. */
    List<ChannelEvent> events() {
        List<ChannelEvent> events = new ArrayList<>();
        for (Object item : offered) {
            if (item instanceof EventBatch batch) {
                events.addAll(batch.events());
            } else {
                events.add((ChannelEvent) item);
            }
        }
        return events;
    }
}

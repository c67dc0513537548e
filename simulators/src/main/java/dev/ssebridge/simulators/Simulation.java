package dev.ssebridge.simulators;

import dev.ssebridge.schemas.EventType;
import java.util.List;

/**
 * A generator of one event stream. Deterministic for a given random seed: the same seed yields the same
 * records in the same order, whatever the wall clock does. Not thread-safe; one thread ticks it.
 */
public interface Simulation {

    EventType type();

    /** Advances the simulated world by one step and returns the records that step produced. */
    List<Emission> tick();
}

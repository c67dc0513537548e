package dev.ssebridge.bridge.kafka;

import java.time.Duration;

/**
 * How long to wait before trying Kafka again after it refused the bridge: {@code first}, doubled at each refusal in
 * a row, never more than {@code max}. Refusals are fixed by an operator (credentials, ACLs), on the broker's side
 * or the bridge's; trying again at a bounded interval lets a fix on the broker's side take without a restart, and
 * keeps a refused fleet of bridges from loading the brokers' authenticators.
 */
record RefusalBackoff(Duration first, Duration max) {

    /** The wait after the {@code refusals}-th refusal in a row (1 for the first). */
    Duration after(int refusals) {
        Duration wait = first;
        for (int i = 1; i < refusals && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }
}

package dev.ssebridge.bridge.lifecycle;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs an action at a fixed interval on its own named thread for as long as the application runs.
 * An action that throws is logged and run again at the next interval rather than silently cancelled.
 */
public final class PeriodicTask implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final Duration interval;
    private final Runnable action;
    private Scheduler scheduler;
    private Disposable task;

    public PeriodicTask(String name, Duration interval, Runnable action) {
        this.name = name;
        this.interval = interval;
        this.action = action;
    }

    @Override
    public synchronized void start() {
        scheduler = Schedulers.newSingle(name);
        long millis = interval.toMillis();
        task = scheduler.schedulePeriodically(this::run, 0, millis, TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("{} failed; it runs again in {}", name, interval, e);
        }
    }

    @Override
    public synchronized void stop() {
        if (task != null) {
            task.dispose();
            scheduler.dispose();
            task = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return task != null;
    }
}

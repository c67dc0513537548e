package dev.ssebridge.bridge.support;

import dev.ssebridge.testsupport.KafkaBroker;
import dev.ssebridge.testsupport.TestKafka;
import dev.ssebridge.testsupport.TestProducer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The integration tests' fixture: the four channels on fresh topics of the shared test broker, a bridge reading
 * them, and a producer. Registered on a static field it serves the whole class; on an instance field, each test
 * gets its own. Topics, producer (and a broker of its own) are made when first asked for; whatever the fixture
 * started it stops, after the test or the class, however the test ended.
 * <pre>
 * &#64;RegisterExtension
 * final BridgeFixture fixture = BridgeFixture.withPartitions(3).settings(Map.of("bridge.ring.max-events", 10));
 * </pre>
 * Configured in the field's initializer: each configuring method returns this fixture.
 */
public final class BridgeFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final int partitions;
    private Map<String, String> topicConfigs = Map.of();
    private final Set<String> topicsNotCreated = new HashSet<>();
    private final Map<String, Object> settings = new HashMap<>();
    private final Map<String, Object> producerSettings = new HashMap<>();
    private Consumer<GenericApplicationContext> beans = context -> { };
    private Supplier<? extends KafkaBroker> ownBroker;
    private boolean startedByTest;
    private boolean awaitTails = true;

    private boolean perClass;
    private KafkaBroker broker;
    private TestChannels channels;
    private TestProducer producer;
    private RunningBridge bridge;
    /** Instances of {@link #startAnother(Map)}; those from {@code othersOfTheClass} on were started by the test. */
    private final List<RunningBridge> others = new ArrayList<>();
    private int othersOfTheClass;

    private BridgeFixture(int partitions) {
        this.partitions = partitions;
    }

    /** Topics of {@code partitions} partitions, default bridge settings for tests. */
    public static BridgeFixture withPartitions(int partitions) {
        return new BridgeFixture(partitions);
    }

    /** Bridge settings beside the test defaults of {@link RunningBridge}. */
    public BridgeFixture settings(Map<String, Object> more) {
        settings.putAll(more);
        return this;
    }

    /** Configs of the fresh topics, e.g. {@code message.timestamp.type}. */
    public BridgeFixture topicConfigs(Map<String, String> configs) {
        topicConfigs = Map.copyOf(configs);
        return this;
    }

    /**
     * Each test starts the bridge itself, with settings of its own ({@link #start(Map)}); it is stopped after the
     * test. On a static field, the topics serve the whole class.
     */
    public BridgeFixture startedByEachTest() {
        startedByTest = true;
        return this;
    }

    /** The channel's topic is named ({@link #topic(String)}) but not created: for a topic that comes later. */
    public BridgeFixture topicNotCreated(String channel) {
        topicsNotCreated.add(channel);
        return this;
    }

    /** A started bridge is not waited for to read every topic: for one whose Kafka refuses it or lacks a topic. */
    public BridgeFixture tailsNotAwaited() {
        awaitTails = false;
        return this;
    }

    /** Beans of the test's own, registered in every bridge before the application's own. */
    public BridgeFixture beans(Consumer<GenericApplicationContext> register) {
        beans = register;
        return this;
    }

    /**
     * Topics, producer and bridges on a broker this fixture starts and closes instead of the shared one: for tests
     * that stop Kafka, secure it, or need another kind of broker.
     */
    public BridgeFixture onOwnBroker(Supplier<? extends KafkaBroker> start) {
        ownBroker = start;
        return this;
    }

    /** Settings of the test's own for the producer, e.g. sends that wait through a Kafka outage. */
    public BridgeFixture producerSettings(Map<String, Object> more) {
        producerSettings.putAll(more);
        return this;
    }

    /**
     * Starts the bridge with these settings beside the fixture's (for {@link #startedByEachTest()}), on the test's
     * topics, which exist before: a test may write to them first. A bridge the test started before is stopped.
     */
    public RunningBridge start(Map<String, Object> more) {
        if (bridge != null) {
            bridge.close();
            bridge = null;
        }
        bridge = startBridge(more);
        return bridge;
    }

    /**
     * Starts another instance on the same topics with these settings beside the fixture's, as a deployment runs
     * several. It is stopped after the test that started it (after the class, when started in {@code @BeforeAll}).
     */
    public RunningBridge startAnother(Map<String, Object> more) {
        RunningBridge another = startBridge(more);
        others.add(another);
        return another;
    }

    /** The fresh topics. */
    public synchronized TestChannels channels() {
        if (channels == null) {
            channels = TestChannels.create(broker(), partitions, topicConfigs, topicsNotCreated);
        }
        return channels;
    }

    /** The broker the topics are on: the fixture's own ({@link #onOwnBroker(Supplier)}) or the shared one. */
    public synchronized KafkaBroker broker() {
        if (ownBroker == null) {
            return TestKafka.broker();
        }
        if (broker == null) {
            broker = ownBroker.get();
        }
        return broker;
    }

    public RunningBridge bridge() {
        return bridge;
    }

    public synchronized TestProducer producer() {
        if (producer == null) {
            Map<String, Object> props = new HashMap<>();
            broker().adminClientProperties().forEach((name, value) -> props.put((String) name, value));
            props.putAll(producerSettings);
            producer = new TestProducer(broker().bootstrapServers(), props);
        }
        return producer;
    }

    /** The fresh topic of {@code channel}. */
    public String topic(String channel) {
        return channels().topic(channel);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        if (!startedByTest) {
            bridge = startBridge(Map.of());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        othersOfTheClass = others.size();
        if (!perClass && !startedByTest) {
            bridge = startBridge(Map.of());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stopAll();
            return;
        }
        // A fixture of the class keeps what the class started; what this test started goes.
        List<RunningBridge> startedByThisTest = others.subList(othersOfTheClass, others.size());
        List<AutoCloseable> stopping = new ArrayList<>(startedByThisTest);
        Collections.reverse(stopping);
        startedByThisTest.clear();
        if (startedByTest) {
            stopping.add(bridge);
            bridge = null;
        }
        closeAll(stopping);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopAll();
    }

    private RunningBridge startBridge(Map<String, Object> more) {
        Map<String, Object> merged = new HashMap<>();
        if (ownBroker != null) {
            merged.put("bridge.kafka.bootstrap-servers", broker().bootstrapServers());
        }
        merged.putAll(settings);
        merged.putAll(more);
        return RunningBridge.start(channels(), merged, awaitTails, beans);
    }

    /** Stops all the fixture started, newest first. */
    private synchronized void stopAll() {
        List<AutoCloseable> started = new ArrayList<>(others);
        Collections.reverse(started);
        started.add(bridge);
        started.add(producer);
        started.add(broker);
        others.clear();
        bridge = null;
        producer = null;
        broker = null;
        channels = null;
        closeAll(started);
    }

    /** Closes each (nulls skipped), even when one before it fails to close. */
    private static void closeAll(List<? extends AutoCloseable> started) {
        RuntimeException failure = null;
        for (AutoCloseable resource : started) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}

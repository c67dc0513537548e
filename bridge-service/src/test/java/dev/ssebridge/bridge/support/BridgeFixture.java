package dev.ssebridge.bridge.support;

import dev.ssebridge.testsupport.TestProducer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The integration tests' fixture: the four channels on fresh topics of the shared test broker, a bridge reading
 * them, and a producer. Registered on a static field it serves the whole class; on an instance field, each test
 * gets its own.
 * <pre>
 * &#64;RegisterExtension
 * final BridgeFixture fixture = BridgeFixture.withPartitions(3).settings(Map.of("bridge.ring.max-events", 10));
 * </pre>
 */
public final class BridgeFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final int partitions;
    private final Map<String, String> topicConfigs;
    private final Map<String, Object> settings;
    private final boolean startedByTest;
    private TestChannels channels;
    private RunningBridge bridge;
    private TestProducer producer;
    private boolean perClass;

    private BridgeFixture(int partitions, Map<String, String> topicConfigs, Map<String, Object> settings,
                          boolean startedByTest) {
        this.partitions = partitions;
        this.topicConfigs = topicConfigs;
        this.settings = settings;
        this.startedByTest = startedByTest;
    }

    /** Topics of {@code partitions} partitions, default bridge settings for tests. */
    public static BridgeFixture withPartitions(int partitions) {
        return new BridgeFixture(partitions, Map.of(), Map.of(), false);
    }

    /** Bridge settings beside the test defaults of {@link RunningBridge}. */
    public BridgeFixture settings(Map<String, Object> more) {
        Map<String, Object> merged = new HashMap<>(settings);
        merged.putAll(more);
        return new BridgeFixture(partitions, topicConfigs, merged, startedByTest);
    }

    /** Configs of the fresh topics, e.g. {@code message.timestamp.type}. */
    public BridgeFixture topicConfigs(Map<String, String> configs) {
        return new BridgeFixture(partitions, configs, settings, startedByTest);
    }

    /** Each test starts the bridge itself, with settings of its own ({@link #start(Map)}); it is stopped after. */
    public BridgeFixture startedByEachTest() {
        return new BridgeFixture(partitions, topicConfigs, settings, true);
    }

    /**
     * Starts the bridge with these settings beside the fixture's (for {@link #startedByEachTest()}), on the test's
     * topics, which exist before: a test may write to them first. A bridge the test started before is stopped.
     */
    public RunningBridge start(Map<String, Object> more) {
        Map<String, Object> merged = new HashMap<>(settings);
        merged.putAll(more);
        if (bridge != null) {
            bridge.close();
        }
        bridge = RunningBridge.start(channels, merged);
        return bridge;
    }

    public TestChannels channels() {
        return channels;
    }

    public RunningBridge bridge() {
        return bridge;
    }

    public TestProducer producer() {
        return producer;
    }

    /** The fresh topic of {@code channel}. */
    public String topic(String channel) {
        return channels.topic(channel);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        startWith(settings);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (perClass) {
            return;
        }
        if (startedByTest) {
            channels = TestChannels.create(partitions, topicConfigs);
            producer = new TestProducer();
        } else {
            startWith(settings);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private void startWith(Map<String, Object> bridgeSettings) {
        channels = TestChannels.create(partitions, topicConfigs);
        bridge = RunningBridge.start(channels, bridgeSettings);
        producer = new TestProducer();
    }

    private void stop() {
        if (producer != null) {
            producer.close();
        }
        if (bridge != null) {
            bridge.close();
        }
        producer = null;
        bridge = null;
    }
}

package dev.ssebridge.benchmarks;

/** Creates the benchmark topic before a server that needs it at connect time (KafkaSSE) starts. */
public final class CreateTopic {

    private CreateTopic() {
    }

    public static void main(String[] args) throws Exception {
        BenchProducer.createTopic(args[0], args[1], 3);
    }
}

package dev.ssebridge.bridge.config;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Binds {@code bridge.*} settings as the application does and says what validation refuses, as "path: message". */
final class SettingsViolations {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    private SettingsViolations() {
    }

    /** The violations of {@code settings} beside one valid channel, {@code training}. */
    static Set<String> of(Map<String, String> settings) {
        return VALIDATOR.validate(bind(settings)).stream().map(v -> v.getPropertyPath() + ": " + v.getMessage())
                .collect(Collectors.toSet());
    }

    /** {@code settings} beside one valid channel, {@code training}, bound as the application binds them. */
    static BridgeProperties bind(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("bridge.channels.training.topic", "t",
                "bridge.channels.training.event-name", "training_progress"));
        all.putAll(settings);
        return new Binder(new MapConfigurationPropertySource(all)).bind("bridge", BridgeProperties.class).get();
    }
}

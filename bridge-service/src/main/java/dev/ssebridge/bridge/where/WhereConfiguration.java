package dev.ssebridge.bridge.where;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One compiler of {@code ?where=} expressions for the application: building CEL's environment is the costly part. */
@Configuration(proxyBeanMethods = false)
class WhereConfiguration {

    @Bean
    WhereCompiler whereCompiler() {
        return new WhereCompiler();
    }
}

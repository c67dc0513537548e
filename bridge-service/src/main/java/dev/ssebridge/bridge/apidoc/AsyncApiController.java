package dev.ssebridge.bridge.apidoc;

import dev.ssebridge.bridge.config.BridgeProperties;
import io.swagger.v3.oas.annotations.Hidden;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /asyncapi.json}: the event contract ({@link AsyncApiDocument}), with this instance as its server. */
@Hidden
@RestController
class AsyncApiController {

    static final String PATH = "/asyncapi.json";

    private final AsyncApiDocument document;

    AsyncApiController(BridgeProperties properties) {
        this.document = new AsyncApiDocument(properties);
    }

    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<String> asyncApi(ServerHttpRequest request) {
        URI uri = request.getURI();
        return Mono.just(document.render(uri.getScheme(), uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())));
    }
}

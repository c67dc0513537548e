package dev.ssebridge.benchmarks;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The floor for the idle scenario: a bare Reactor Netty server that holds SSE streams and does nothing
 * else (no WebFlux, no security, no Kafka). What one of its connections costs is what any stream served on
 * Reactor Netty costs at least, on this machine and JVM.
 *
 * <pre>java -cp benchmarks.jar -Dloader.main=dev.ssebridge.benchmarks.FloorServer
 *     org.springframework.boot.loader.launch.PropertiesLauncher PORT</pre>
 */
public final class FloorServer {

    private FloorServer() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        DisposableServer server = HttpServer.create().port(port)
                .route(routes -> routes.get("/floor", (request, response) -> response
                        .header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                        .sendString(Flux.interval(Duration.ofSeconds(30)).map(tick -> ":ping\n\n")
                                .startWith(":connected\n\n"))))
                .bindNow();
        server.onDispose().block();
    }
}

package dev.ssebridge.bridge.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class ClientAddressesTest {

    private static MockServerHttpRequest request(String forwardedFor) {
        MockServerHttpRequest.BaseBuilder<?> builder = MockServerHttpRequest.get("/api/v1/sse/training")
                .remoteAddress(new InetSocketAddress("10.1.2.3", 40000));
        if (forwardedFor != null) {
            builder.header("X-Forwarded-For", forwardedFor);
        }
        return builder.build();
    }

    @Test
    void withoutATrustedProxyTheHeaderIsIgnored() {
        assertThat(new ClientAddresses(null).of(request("198.51.100.1"))).isEqualTo("10.1.2.3");
    }

    @Test
    void behindATrustedProxyItsOwnEntryCounts() {
        ClientAddresses addresses = new ClientAddresses("X-Forwarded-For");
        assertThat(addresses.of(request("198.51.100.1"))).isEqualTo("198.51.100.1");
        assertThat(addresses.of(request("6.6.6.6, 198.51.100.1"))).isEqualTo("198.51.100.1");
        assertThat(addresses.of(request(null))).isEqualTo("10.1.2.3");
        assertThat(addresses.of(request("  "))).isEqualTo("10.1.2.3");
    }
}
